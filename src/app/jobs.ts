import type { FeatureDeps } from "../core/deps.ts";
import type { JobHandlers } from "../db/jobs.ts";
import { mediaProcessJob } from "../ingest/job.ts";
import { sendIssue } from "../newsletter/send-job.ts";

/** The handler of every job in the registry (db/jobs.ts). */
export function jobHandlers(deps: FeatureDeps): JobHandlers {
  return {
    "media.process": mediaProcessJob(deps),
    "newsletter.send": (id) => sendIssue(deps, Number(id)),
  };
}
