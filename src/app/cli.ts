import { parseArgs } from "node:util";
import { addAccount } from "../accounts/admin.ts";
import type { Config } from "../core/config.ts";
import { UserError } from "../core/errors.ts";
import type { Database } from "../db/database.ts";
import { createQueues, type JobName, jobNames, jobPending, jobQueue, unfinishedJobs } from "../db/jobs.ts";
import { DemoCommandError, demoUsage, runDemoCommand } from "../demo/command.ts";
import { demoLiveUsage, runDemoLive } from "../demo/live.ts";
import { runImportCommand } from "../ingest/cli-command.ts";
import { ImportFolderProblems, importDirUsage, runImportDir } from "../ingest/import-dir.ts";
import { ImportCommandError, importUsage } from "../ingest/import-file.ts";
import { refreshOldPreviews } from "../ingest/refresh-previews.ts";
import { errorMessage } from "../web/error-handler.ts";
import { EventCommandError, eventAddUsage, optionProblems, runEventAdd } from "./event-command.ts";
import { openRuntime, openServices, type Runtime } from "./services.ts";

/** Administration commands. Each prints JSON on success and one clear line on failure. */
export async function runCli(config: Config, args: string[]): Promise<void> {
  const [command, ...rest] = args;
  // Not through openRuntime: while the portal holds the embedded database it does the import.
  if (command === "ingest")
    return reportErrors(async () =>
      console.log(JSON.stringify(await runImportCommand(config, rest, openServices))),
    );
  if (command === "event:add")
    return reportErrors(async () => console.log(JSON.stringify(await runEventAdd(config, rest))));
  if (command === "import")
    return reportErrors(async () => {
      const summary = await runImportDir(config, rest, openServices, (line) => console.log(line));
      if (summary.refused > 0) process.exitCode = 1;
    });
  if (command === "demo")
    return reportErrors(async () =>
      console.log(JSON.stringify(await runDemoCommand(config, rest, openServices))),
    );
  // Sends until Ctrl-C, to the running portal (which makes the live item through its inbox).
  if (command === "demo:live") return reportErrors(() => runDemoLive(config, rest, openServices));
  // The command is known before the database is opened: while the portal holds the embedded
  // one, `cli help` would otherwise answer that the data folder is in use.
  const work = runtimeCommand(config, command, rest);
  if (work === null) {
    // Say what was wrong before the list: a typo reads as such, not as a request for help.
    if (command === "jobs:retry")
      console.error(`jobs:retry needs a job name (${jobNames.join(", ")}) and an id.`);
    else if (command && command !== "help" && command !== "--help")
      console.error(`Unknown command "${command}".`);
    console.error(
      `Commands: migrate | user:add --email E --password P [--role media|editor|admin] [--name N] | ${eventAddUsage} | ${importUsage} | ${importDirUsage} | ${demoUsage} | ${demoLiveUsage} | jobs | jobs:retry ${jobNames.join("|")} ID | media:refresh-previews`,
    );
    process.exitCode = 2;
    return;
  }
  const runtime = await openRuntime(config);
  try {
    await work(runtime);
  } catch (error) {
    if (!(error instanceof UserError)) throw error;
    printUserError(error);
  } finally {
    await runtime.close();
  }
}

/** What a command that needs the database does, or null for one not known or lacking its arguments. */
function runtimeCommand(
  config: Config,
  command: string | undefined,
  rest: string[],
): ((runtime: Runtime) => Promise<void>) | null {
  switch (command) {
    case "migrate":
      return async () => console.log(JSON.stringify({ status: "migrated" }));
    case "user:add":
      return async (runtime) => console.log(JSON.stringify(await addUser(runtime.db, rest)));
    case "jobs":
      return async (runtime) => {
        await openQueue(runtime);
        for (const job of await unfinishedJobs(runtime.db)) console.log(JSON.stringify(job));
      };
    case "media:refresh-previews":
      return async (runtime) => {
        await openQueue(runtime);
        const jobs = jobQueue(runtime.boss, config.jobs);
        console.log(JSON.stringify(await refreshOldPreviews({ db: runtime.db, jobs }, new Date())));
      };
    case "jobs:retry": {
      const [name, id] = rest;
      if (!isJobName(name) || !id) return null;
      return async (runtime) => {
        await openQueue(runtime);
        await retryJob(config, runtime, name, id);
      };
    }
    default:
      return null;
  }
}

async function reportErrors(work: () => Promise<void>): Promise<void> {
  try {
    await work();
  } catch (error) {
    if (error instanceof UserError) printUserError(error);
    else if (error instanceof EventCommandError || error instanceof ImportFolderProblems) {
      // The operator's mistake, said where it is; nothing was changed.
      console.error(
        error instanceof ImportFolderProblems ? `${error.message}\nNothing was imported.` : error.message,
      );
      process.exitCode = 2;
    } else if (error instanceof ImportCommandError || error instanceof DemoCommandError) {
      console.error(error.message);
      process.exitCode = 1;
    } else throw error;
  }
}

function printUserError(error: UserError): void {
  // Each problem named by its option ("--kind: Choose one of: …"), as event:add says them.
  const details = optionProblems(error);
  console.error([errorMessage("en", error.code, error.params), ...details].join("\n  - "));
  process.exitCode = 1;
}

/** pg-boss makes its tables (schema pgboss) when it first starts; a new data folder has none yet. */
async function openQueue(runtime: Runtime): Promise<void> {
  await runtime.boss.start();
  await createQueues(runtime.boss);
}

function isJobName(name: string | undefined): name is JobName {
  return (jobNames as readonly (string | undefined)[]).includes(name);
}

/** `jobs:retry NAME ID`: queues the job again, e.g. once its tries were spent; never beside a live one. */
async function retryJob(config: Config, runtime: Runtime, name: JobName, id: string): Promise<void> {
  if (await jobPending(runtime.db, name, id)) {
    console.error(`A ${name} job for ${id} is already waiting or running: nothing queued.`);
    process.exitCode = 1;
    return;
  }
  await jobQueue(runtime.boss, config.jobs).enqueue(name, id);
  console.log(JSON.stringify({ name, id, status: "queued" }));
}

/** `user:add`: the arguments, then the accounts feature does the rest. */
function addUser(db: Database, args: string[]) {
  const { values } = parseArgs({
    args,
    options: {
      email: { type: "string" },
      password: { type: "string" },
      role: { type: "string", default: "media" },
      name: { type: "string" },
      organisation: { type: "string" },
      country: { type: "string", default: "BE" },
      language: { type: "string", default: "en" },
    },
  });
  return addAccount(db, values, new Date());
}
