import type { JobHandlers } from "./db/jobs.ts";
import type { FeatureDeps } from "./features.ts";

/** The handler of every job in the registry (db/jobs.ts). */
export function jobHandlers(_deps: FeatureDeps): JobHandlers {
  return {
    "media.process": async () => {},
    "newsletter.send": async () => {},
  };
}
