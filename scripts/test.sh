#!/usr/bin/env bash
# Every test rolechain has: lint and types, unit and integration (Vitest), then the dashboard
# built for production and driven in Debian's Chromium (Playwright). Ends with one line
# "tests: N passed, N failed" counted over both runners.
set -uo pipefail
cd "$(dirname "$0")/.."
export AWS_EC2_METADATA_DISABLED=true
export NEXT_TELEMETRY_DISABLED=1
# The SDK warns once per process that its 2027 releases need Node 22 (README says so); in
# tests that warning is noise in every worker.
export AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED=true
results=.test-results
rm -rf "$results" && mkdir -p "$results"

step() { printf '\n== %s\n' "$1"; }

step "lint (Biome)"
npx biome check . || exit 1

step "types (tsc)"
npx tsc --noEmit -p . || exit 1

step "unit and integration (Vitest)"
npx vitest run --reporter=default --reporter=json --outputFile.json="$results/vitest.json"
vitest_rc=$?

step "production build (next build)"
npx next build || exit 1

step "end to end (Playwright, /usr/bin/chromium)"
PLAYWRIGHT_JSON_OUTPUT_NAME="$results/playwright.json" npx playwright test --reporter=list,json
e2e_rc=$?

node scripts/test-summary.mjs "$results/vitest.json" "$results/playwright.json"
summary_rc=$?
[ $vitest_rc -eq 0 ] && [ $e2e_rc -eq 0 ] && [ $summary_rc -eq 0 ]
