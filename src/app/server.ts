import pino from "pino";
import type { Config } from "../core/config.ts";
import { startWorkers } from "../db/jobs.ts";
import { loadDemoIfEmpty } from "../demo/command.ts";
import { startIngestInbox } from "../ingest/inbox.ts";
import { recoverInterruptedJobs } from "../ingest/recovery.ts";
import { buildApp } from "./build-app.ts";
import { jobHandlers } from "./jobs.ts";
import { openServices, outboxDir } from "./services.ts";

// A person trying the portal in a terminal reads lines, not JSON; a service manager gets JSON.
const logOptions = process.stdout.isTTY
  ? { transport: { target: "pino-pretty", options: { translateTime: "SYS:HH:MM:ss" } } }
  : {};
const log = pino({ name: "pressroom", ...logOptions });

/** The portal: web process, and in the default mode the job workers too. */
export async function startPortal(config: Config, options: { work: boolean }): Promise<void> {
  const { runtime, deps, close } = await openServices(config, log);
  const app = await buildApp(deps, { logger: { level: "info", ...logOptions } });
  if (options.work) {
    // Jobs left running by a process that died: retried now rather than after their expiry.
    await recoverInterruptedJobs({ db: runtime.db, boss: runtime.boss, dataDir: config.dataDir });
    await startWorkers(runtime.boss, jobHandlers(deps));
  }
  const inbox = await startIngestInbox(deps);
  onShutdown(async () => {
    await app.close();
    await inbox.close();
    await close();
  });
  await app.listen({ port: config.port, host: config.host });
  log.info(
    `Pressroom is running at ${config.publicUrl} (database: ${runtime.db.kind === "pglite" ? `embedded, in ${config.dataDir}` : "PostgreSQL"}; ` +
      `mail: ${config.smtpUrl ? "SMTP" : `written to ${outboxDir(config)}`})`,
  );
  // In the background: the portal answers while the demo media is generated and processed.
  void loadDemoIfEmpty(deps).catch((error: unknown) =>
    log.error({ err: error }, "Demo content could not be loaded"),
  );
}

/** A process that only works jobs, beside the portal, on a shared PostgreSQL server. */
export async function startWorkerProcess(config: Config): Promise<void> {
  if (!config.databaseUrl) {
    throw new Error(
      "npm run worker needs DATABASE_URL: with the embedded database only one process can open the data folder, " +
        "and the portal (npm start) already works the jobs.",
    );
  }
  const { runtime, deps, close } = await openServices(config, log);
  await startWorkers(runtime.boss, jobHandlers(deps));
  onShutdown(close);
  log.info("Pressroom worker is running");
}

function onShutdown(stop: () => Promise<void>): void {
  let stopping = false;
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => {
      if (stopping) return;
      stopping = true;
      log.info(`${signal}: stopping`);
      stop().then(
        () => process.exit(0),
        (error: unknown) => {
          log.error({ err: error }, "Error while stopping");
          process.exit(1);
        },
      );
    });
  }
}
