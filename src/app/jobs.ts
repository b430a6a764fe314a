import type { FeatureDeps } from "../core/deps.ts";
import type { JobHandlers } from "../db/jobs.ts";
import { transcriptAlignJob } from "../editor/alignment.ts";
import { mediaProcessJob } from "../ingest/jobs.ts";
import { sendIssueJob } from "../newsletter/jobs.ts";

/** The handler of every job in the registry (db/jobs.ts). */
export function jobHandlers(deps: FeatureDeps): JobHandlers {
  return {
    "media.process": mediaProcessJob(deps),
    "newsletter.send": (id, run) => sendIssueJob(deps, Number(id), run.signal),
    "transcript.align": transcriptAlignJob(deps),
  };
}
