/**
 * `npm run sandbox -- [--port N] [--account ID] [--data DIR] [--latency-ms N]
 * [--throttle-rate F] [--propagation-delay-ms N] [--clock-offset-ms N] [--fault-rate F]`
 *
 * Runs the sandbox alone. stdout carries only the `export ...` lines a shell can `eval`;
 * everything else (logs as key=value lines) goes to stderr. Each flag has an environment
 * twin, `ROLECHAIN_SANDBOX_<FLAG>` (e.g. ROLECHAIN_SANDBOX_LATENCY_MS); a flag wins over it.
 * Exit codes: 0 after SIGINT/SIGTERM, 1 when the sandbox cannot start, 2 for bad flags.
 */
import { formatLogLine, parseCliArgs, toSandboxOptions, UsageError } from "./cli-args";
import { type SandboxOptions, startSandbox } from "./index";

const ORPHAN_CHECK_MS = 1000;

async function main(): Promise<void> {
  const log = (fields: Record<string, unknown>) => {
    process.stderr.write(`${formatLogLine({ time: new Date().toISOString(), ...fields })}\n`);
  };
  let options: SandboxOptions;
  try {
    options = toSandboxOptions(parseCliArgs(process.argv.slice(2), process.env));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`rolechain sandbox: ${error.message}\n`);
    process.exit(2);
  }
  const sandbox = await startSandbox({ ...options, log });
  process.stdout.write(
    [
      `export AWS_ENDPOINT_URL=${sandbox.url}`,
      `export AWS_ACCESS_KEY_ID=${sandbox.baseUser.accessKeyId}`,
      `export AWS_SECRET_ACCESS_KEY=${sandbox.baseUser.secretAccessKey}`,
      "export AWS_REGION=us-east-1",
      "",
    ].join("\n"),
  );
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log({ event: "stopping", signal });
    sandbox.close().then(
      () => process.exit(0),
      (error: unknown) => {
        log({ event: "close-failed", error: String(error) });
        process.exit(1);
      },
    );
  };
  process.on("SIGINT", () => stop("SIGINT"));
  process.on("SIGTERM", () => stop("SIGTERM"));
  // `npm run` does not pass a SIGTERM aimed at npm on to this process; when whoever started
  // us goes away we are re-parented, and stop rather than linger holding the port.
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent) stop("parent-exited");
  }, ORPHAN_CHECK_MS).unref();
}

main().catch((error: unknown) => {
  const { code, message } = error as { code?: unknown; message?: unknown };
  process.stderr.write(
    `rolechain sandbox: cannot start: ${String(code ?? "")} ${String(message)}\n`,
  );
  process.exit(1);
});
