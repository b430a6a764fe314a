import pino from "pino";
import { startAlertTicker } from "../alerts/jobs.ts";
import type { Config } from "../core/config.ts";
import type { FeatureDeps } from "../core/deps.ts";
import { startWorkers, type Workers } from "../db/jobs.ts";
import { keepStatistics } from "../db/statistics.ts";
import { loadDemoIfEmpty } from "../demo/command.ts";
import { demoLiveInboxCommands } from "../demo/live.ts";
import { startIngestInbox } from "../ingest/inbox.ts";
import { startLiveReceiver } from "../ingest/live/receiver.ts";
import { recoverInterruptedJobs } from "../ingest/recovery.ts";
import { checkFfmpegVersion } from "../media/ffmpeg.ts";
import { buildApp } from "./build-app.ts";
import { eventInboxCommands } from "./event-command.ts";
import { jobHandlers } from "./jobs.ts";
import { openServices, outboxDir, type Runtime } from "./services.ts";

// A person trying the portal in a terminal reads lines, not JSON; a service manager gets JSON.
const logOptions = process.stdout.isTTY
  ? { transport: { target: "pino-pretty", options: { translateTime: "SYS:HH:MM:ss" } } }
  : {};
const log = pino({ name: "pressroom", ...logOptions });

/** How often the embedded database's tables are checked for statistics gone stale. */
const STATISTICS_CHECK_MS = 10 * 60_000;

/** The portal: web process, and in the default mode the job workers too. */
export async function startPortal(config: Config, options: { work: boolean }): Promise<void> {
  // Side by side: the check costs a second on a busy machine. A failure ends the process (main.ts).
  const [{ runtime, deps, close }] = await Promise.all([openServices(config, log), checkMediaTools(config)]);
  const app = await buildApp(deps, { logger: { level: "info", ...logOptions } });
  const workers = options.work ? await startJobs(config, runtime, deps) : null;
  const inbox = await startIngestInbox(deps, { ...eventInboxCommands(deps), ...demoLiveInboxCommands(deps) });
  // Venue encoders' streams (issue 12) come to the portal's process: SRT and RTMP listeners.
  const live = await startLiveReceiver(deps);
  // The embedded database has no autovacuum to keep the planner's statistics (db/statistics.ts).
  const statistics =
    runtime.db.kind === "pglite"
      ? keepStatistics(runtime.db, {
          everyMs: STATISTICS_CHECK_MS,
          onError: (error) => log.warn({ err: error }, "The database's statistics could not be refreshed"),
          onAnalysed: (tables) => log.info({ tables }, "database statistics refreshed"),
        })
      : null;
  onShutdown(async () => {
    await statistics?.stop();
    await live.close();
    await app.close();
    await inbox.close();
    await workers?.stop();
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
  const [{ runtime, deps, close }] = await Promise.all([openServices(config, log), checkMediaTools(config)]);
  const workers = await startJobs(config, runtime, deps);
  onShutdown(async () => {
    await workers.stop();
    await close();
  });
  log.info("Pressroom worker is running");
}

/** A missing or too old ffmpeg stops the process at start, rather than failing every job later. */
async function checkMediaTools(config: Config): Promise<void> {
  const { version } = await checkFfmpegVersion(config.ffmpeg);
  log.info({ ffmpeg: config.ffmpeg.ffmpeg, version }, `ffmpeg ${version}`);
}

/** Tidies what a dead process left (recovery.ts), then works jobs until the process stops. */
async function startJobs(config: Config, runtime: Runtime, deps: FeatureDeps): Promise<Workers> {
  const recovered = await recoverInterruptedJobs({
    db: runtime.db,
    boss: runtime.boss,
    dataDir: config.dataDir,
  });
  if (recovered.retried > 0 || recovered.removedFolders > 0) {
    log.info(recovered, "work left by a process that stopped: jobs handed back for a retry, folders removed");
  }
  const workers = startWorkers(runtime.boss, jobHandlers(deps), {
    db: runtime.db,
    log,
    leaseSeconds: config.jobs.leaseSeconds,
  });
  // Announcing (embargoes lift by themselves) and the daily digests are queued on a clock.
  const alerts = startAlertTicker(deps);
  return {
    async stop() {
      await alerts.stop();
      await workers.stop();
    },
  };
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
