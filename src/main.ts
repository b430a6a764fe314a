import { parseArgs } from "node:util";
import { setV8Flags } from "./app/v8-flags.ts";
import { ConfigError, loadConfig } from "./core/config.ts";
import { DataDirInUse } from "./db/data-dir-lock.ts";

const usage = `Usage: pressroom <command>
  start     the portal (web + jobs), on the embedded database unless DATABASE_URL is set
  worker    a process that only works jobs (needs DATABASE_URL)
  migrate   apply database migrations and exit
  cli ...   administration: user:add, ingest FILE --event SLUG, demo`;

async function main(argv: string[]): Promise<void> {
  const { positionals } = parseArgs({ args: argv.slice(0, 1), allowPositionals: true, strict: false });
  const command = positionals[0];
  const config = loadConfig();
  // Before the rest of the code is loaded (hence the dynamic imports below): see v8-flags.ts.
  setV8Flags(config);
  switch (command) {
    case "start":
      await (await import("./app/server.ts")).startPortal(config, { work: true });
      return;
    case "worker":
      await (await import("./app/server.ts")).startWorkerProcess(config);
      return;
    case "migrate":
      await (await import("./app/cli.ts")).runCli(config, ["migrate"]);
      return;
    case "cli":
      await (await import("./app/cli.ts")).runCli(config, argv.slice(1));
      return;
    default:
      console.error(usage);
      process.exitCode = 2;
  }
}

function isNamed(error: unknown, name: string): error is Error {
  return error instanceof Error && error.name === name;
}

main(process.argv.slice(2)).catch((error: unknown) => {
  // Problems an operator can fix get one clear sentence, not a stack trace.
  // FfmpegUnavailable (no ffmpeg, or one too old) by name: media/ is not loaded before the V8 flags.
  if (error instanceof ConfigError || error instanceof DataDirInUse || isNamed(error, "FfmpegUnavailable")) {
    console.error(error.message);
  } else {
    console.error(error);
  }
  process.exit(1);
});
