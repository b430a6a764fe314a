import { setItemProgress } from "../catalogue/item-store.ts";
import type { Queryable } from "../db/database.ts";

export type ProgressReporter = {
  /** `fraction` (0–1) of the step that spans `from`–`to` percent of the whole job. */
  step(from: number, to: number): (fraction: number) => void;
  /** Waits for the last write. */
  flush(): Promise<void>;
};

// ffmpeg reports many times a second; the item's row needs a new value about once a second.
const MIN_INTERVAL_MS = 1000;

/** Writes media_items.progress as whole percents, never more than once a second, in order. */
export function progressReporter(
  db: Queryable,
  itemId: number,
  listener?: (percent: number) => void,
): ProgressReporter {
  let written = -1;
  let lastWrite = 0;
  let chain: Promise<void> = Promise.resolve();
  const report = (percent: number) => {
    listener?.(percent);
    const now = Date.now();
    if (percent <= written || now - lastWrite < MIN_INTERVAL_MS) return;
    written = percent;
    lastWrite = now;
    chain = chain.then(() => setItemProgress(db, itemId, percent)).catch(() => undefined);
  };
  return {
    step: (from, to) => (fraction) =>
      report(Math.floor(from + (to - from) * Math.min(1, Math.max(0, fraction)))),
    flush: () => chain,
  };
}
