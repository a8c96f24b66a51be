import { defineConfig } from "@playwright/test";

/**
 * End-to-end specs in Debian's Chromium against a production build (`next start`). The global
 * setup builds if needed and starts one server on a free loopback port with a fresh data dir;
 * specs that kill or reconfigure the server start their own (see e2e/support/app-server.ts).
 */
export default defineConfig({
  testDir: "e2e",
  testMatch: "**/*.spec.ts",
  workers: 1,
  fullyParallel: false,
  retries: 0,
  timeout: 180_000,
  expect: { timeout: 30_000 },
  globalSetup: "./e2e/support/global-setup.ts",
  reporter: "list",
  use: {
    viewport: { width: 1440, height: 900 },
    acceptDownloads: true,
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-quic",
      ],
    },
  },
  projects: [{ name: "chromium", use: { browserName: "chromium" } }],
});
