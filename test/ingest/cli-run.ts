import { spawn } from "node:child_process";
import path from "node:path";
import { serverArgs } from "../helpers/server-bundle.ts";

const root = path.resolve(import.meta.dirname, "../..");

/** `npm run cli -- ingest ...` as an operator runs it, without DATABASE_URL (the embedded database). */
export function runIngestCli(args: string[], dataDir: string): Promise<CliRun> {
  return runCli(["ingest", ...args], dataDir);
}

export type CliRun = { status: number | null; stdout: string; stderr: string };

/** `npm run cli -- COMMAND ...`, the same way. */
export function runCli(args: string[], dataDir: string): Promise<CliRun> {
  const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir };
  delete env.DATABASE_URL;
  return new Promise((resolve) => {
    const child = spawn(process.execPath, serverArgs("cli", ...args), {
      cwd: root,
      env,
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("close", (status) => resolve({ status, stdout, stderr }));
  });
}
