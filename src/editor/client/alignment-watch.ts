/**
 * While a transcript is being timed automatically, the page follows the job: every 2 s it asks the
 * API (with the editor's session cookie) how far it has got, writes the new percentage in place,
 * and reloads the page once a language's state changes, so the timed sentences or the reason for a
 * failure appear. It does not reload over what the editor has started typing: the page's
 * "Refresh" link stays for that. Without this island the link is all there is.
 */

type Timing = { lang: string; state: string; progress: number };

const INTERVAL_MS = 2000;

const box = document.querySelector<HTMLElement>("[data-align-watch]");
if (box) watch(box);

function watch(box: HTMLElement): void {
  const url = box.dataset.alignWatch ?? "";
  const shown = box.dataset.alignStates ?? "";
  let typing = false;
  document.addEventListener("input", () => {
    typing = true;
  });
  const tick = async (): Promise<void> => {
    try {
      const res = await fetch(url, { headers: { accept: "application/json" }, credentials: "same-origin" });
      // Signed out, or the item is gone: the refresh link says the rest.
      if (res.status >= 400 && res.status < 500) return;
      if (res.ok) {
        const timings = ((await res.json()) as { transcriptTiming?: Timing[] }).transcriptTiming ?? [];
        if (timings.map((x) => `${x.lang}:${x.state}`).join(",") !== shown) {
          if (!typing) window.location.reload();
          return;
        }
        for (const x of timings) {
          const progress = box.querySelector(`[data-align-progress="${x.lang}"]`);
          if (progress) progress.textContent = String(x.progress);
        }
      }
    } catch {
      // Offline for a moment: the next tick tries again.
    }
    window.setTimeout(() => void tick(), INTERVAL_MS);
  };
  window.setTimeout(() => void tick(), INTERVAL_MS);
}
