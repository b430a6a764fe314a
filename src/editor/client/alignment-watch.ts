import { followItem } from "../../web/client/follow-item.ts";

/**
 * While a transcript is being timed automatically, the page follows the job (web/client/follow-item.ts):
 * the new percentage is written in place, and the page is loaded again once a language's state
 * changes, so the timed sentences or the reason for a failure appear. It does not reload over what
 * the editor has started typing: the page's "Refresh" link stays for that. Without this island the
 * link is all there is.
 */

type Timing = { lang: string; state: string; progress: number };

const box = document.querySelector<HTMLElement>("[data-align-watch]");
if (box) {
  const shown = box.dataset.alignStates ?? "";
  followItem<{ transcriptTiming?: Timing[] }>(box.dataset.alignWatch ?? "", (item) => {
    const timings = item.transcriptTiming ?? [];
    if (timings.map((x) => `${x.lang}:${x.state}`).join(",") !== shown) return true;
    for (const x of timings) {
      const progress = box.querySelector(`[data-align-progress="${x.lang}"]`);
      if (progress) progress.textContent = String(x.progress);
    }
    return false;
  });
}
