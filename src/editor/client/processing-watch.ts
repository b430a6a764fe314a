import { followItem } from "../../web/client/follow-item.ts";

/**
 * While an item's master is being processed, its page follows the job (web/client/follow-item.ts):
 * the percentage is written in place, and the page is loaded again once the status changes (ready,
 * or failed with its reason). Without this island the page shows the state it was loaded with
 * (found by hand: "Processing 0 %" for 80 s after the video was ready).
 */

const box = document.querySelector<HTMLElement>("[data-processing-watch]");
if (box) {
  const shown = box.dataset.status ?? "";
  followItem<{ status?: string; progress?: number }>(box.dataset.processingWatch ?? "", (item) => {
    if (item.status !== shown) return true;
    const progress = item.progress ?? 0;
    for (const bar of Array.from(box.querySelectorAll("progress"))) bar.value = progress;
    for (const text of Array.from(box.querySelectorAll("[data-progress-value]")))
      text.textContent = String(progress);
    return false;
  });
}
