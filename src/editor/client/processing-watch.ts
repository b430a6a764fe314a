/**
 * While an item's master is being processed, its page follows the job: every 2 s it asks the API
 * (with the editor's session cookie) how far it has got, writes the percentage in place, and
 * reloads the page once the status changes (ready, or failed with its reason). It does not reload
 * over what the editor has started typing. Without this island the page shows the state it was
 * loaded with (found by hand: "Processing 0 %" for 80 s after the video was ready).
 */

const INTERVAL_MS = 2000;

const box = document.querySelector<HTMLElement>("[data-processing-watch]");
if (box) watch(box);

function watch(box: HTMLElement): void {
  const url = box.dataset.processingWatch ?? "";
  const shown = box.dataset.status ?? "";
  let typing = false;
  document.addEventListener("input", () => {
    typing = true;
  });
  const tick = async (): Promise<void> => {
    try {
      const res = await fetch(url, { headers: { accept: "application/json" }, credentials: "same-origin" });
      // Signed out, or the item is gone: a reload says the rest.
      if (res.status >= 400 && res.status < 500) return;
      if (res.ok) {
        const { status, progress } = (await res.json()) as { status?: string; progress?: number };
        if (status !== shown) {
          if (!typing) window.location.reload();
          return;
        }
        const value = String(progress ?? 0);
        for (const bar of Array.from(box.querySelectorAll("progress"))) bar.value = Number(value);
        for (const text of Array.from(box.querySelectorAll("[data-progress-value]")))
          text.textContent = value;
      }
    } catch {
      // Offline for a moment: the next tick tries again.
    }
    window.setTimeout(() => void tick(), INTERVAL_MS);
  };
  window.setTimeout(() => void tick(), INTERVAL_MS);
}
