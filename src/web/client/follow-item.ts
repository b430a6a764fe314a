/**
 * Follows an item through the API while a job runs for it (alignment-watch, processing-watch):
 * every 2 s it asks `url` (with the editor's session cookie) and hands the answer to `changed`,
 * which updates the page in place and says whether what the page shows is no longer so; the page
 * is then loaded again, unless the editor has started typing. A refusal (signed out, the item
 * gone) stops it; a moment offline does not.
 */
const INTERVAL_MS = 2000;

export function followItem<T>(url: string, changed: (answer: T) => boolean): void {
  let typing = false;
  document.addEventListener("input", () => {
    typing = true;
  });
  const tick = async (): Promise<void> => {
    try {
      const res = await fetch(url, { headers: { accept: "application/json" }, credentials: "same-origin" });
      if (res.status >= 400 && res.status < 500) return;
      if (res.ok && changed((await res.json()) as T)) {
        if (!typing) window.location.reload();
        return;
      }
    } catch {
      // Offline for a moment: the next tick tries again.
    }
    window.setTimeout(() => void tick(), INTERVAL_MS);
  };
  window.setTimeout(() => void tick(), INTERVAL_MS);
}
