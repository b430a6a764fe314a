import type { FeatureDeps } from "../core/deps.ts";
import type { JobHandler } from "../db/jobs.ts";
import { announceAvailableItems } from "./announce.ts";
import { digestDue, sendDigests, sendImmediateAlerts } from "./sending.ts";

/** The alerts' jobs ("alerts.announce" and "alerts.send" for id "all", "alerts.digest" for a day). */
export function alertJobs(deps: FeatureDeps): {
  announce: JobHandler;
  send: JobHandler;
  digest: JobHandler;
} {
  return {
    announce: async (_id, run) => {
      await announceAvailableItems(deps, run.signal);
    },
    send: async (_id, run) => {
      await sendImmediateAlerts(deps, run.signal);
    },
    digest: async (day, run) => {
      await sendDigests(deps, day, run.signal);
    },
  };
}

export type AlertTicker = { stop(): Promise<void> };

/**
 * In every process that works jobs: every 30 s, queue the announcing (an embargo that lifted
 * has nobody to publish it), and once a day, after 07:00 UTC, the day's digests. Queuing is
 * idempotent (one job per id at a time; a digest is sent once per user and day), so several
 * processes may tick together. `stop` waits for a tick under way.
 */
export function startAlertTicker(
  deps: Pick<FeatureDeps, "jobs" | "now" | "log">,
  intervalMs = 30_000,
): AlertTicker {
  let lastDigestDay: string | null = null;
  let running: Promise<void> = Promise.resolve();
  const tick = async () => {
    try {
      await deps.jobs.enqueue("alerts.announce", "all");
      const { day } = digestDue(deps.now());
      if (day !== lastDigestDay) {
        await deps.jobs.enqueue("alerts.digest", day);
        lastDigestDay = day;
      }
    } catch (error) {
      deps.log.warn({ err: error }, "alerts could not be queued; next try in 30 s");
    }
  };
  const timer = setInterval(() => {
    running = running.then(tick);
  }, intervalMs);
  running = tick();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
