import type { JobHandler } from "../db/jobs.ts";
import type { IngestDeps } from "./items.ts";
import { processItem } from "./process.ts";

/** The handler of "media.process" jobs (the job carries the item id). */
export function mediaProcessJob(deps: IngestDeps): JobHandler {
  return async (id, run) => {
    const itemId = Number(id);
    if (!Number.isSafeInteger(itemId)) throw new Error(`media.process: bad item id "${id}"`);
    // Aborted when this process loses the job or stops: ffmpeg is killed, the job retried.
    await processItem(deps, itemId, { signal: run.signal });
  };
}
