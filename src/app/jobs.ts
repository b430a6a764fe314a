import { alertJobs } from "../alerts/jobs.ts";
import { deliverWebhookJob } from "../alerts/webhook-delivery.ts";
import type { FeatureDeps } from "../core/deps.ts";
import type { JobHandlers } from "../db/jobs.ts";
import { liveHeadersJob } from "../downloads/live-headers.ts";
import { transcriptAlignJob } from "../editor/alignment.ts";
import { mediaProcessJob } from "../ingest/jobs.ts";
import { liveFinishJob } from "../ingest/live/finish.ts";
import { sendIssueJob } from "../newsletter/jobs.ts";

/** The handler of every job in the registry (db/jobs.ts). */
export function jobHandlers(deps: FeatureDeps): JobHandlers {
  const alerts = alertJobs(deps);
  return {
    "alerts.announce": alerts.announce,
    "alerts.digest": alerts.digest,
    "alerts.send": alerts.send,
    "live.finish": liveFinishJob(deps),
    "live.headers": liveHeadersJob(deps),
    "media.process": mediaProcessJob(deps),
    "newsletter.send": (id, run) => sendIssueJob(deps, Number(id), run.signal),
    "transcript.align": transcriptAlignJob(deps),
    "webhooks.deliver": deliverWebhookJob(deps),
  };
}
