/**
 * A live item's page before its stream has started (issue 12): every 3 s it asks the API (with
 * the user's session cookie) whether the live has started, and reloads the page once its first
 * seconds are recorded, so
 * the player appears without the journalist having to think of reloading. Signed out (the API
 * says 401) or the item gone, it stops: the notice says to reload.
 */

const INTERVAL_MS = 3000;

const notice = document.querySelector<HTMLElement>("[data-live-wait]");
if (notice) wait(notice.dataset.liveWait ?? "");

function wait(url: string): void {
  const tick = async (): Promise<void> => {
    try {
      const res = await fetch(url, { headers: { accept: "application/json" }, credentials: "same-origin" });
      if (res.status >= 400 && res.status < 500) return;
      if (res.ok) {
        const live = ((await res.json()) as { live?: { state: string; receivedSeconds?: number } }).live;
        // Once a first piece is stored: a player on an empty playlist would have nothing to play.
        if (live && live.state !== "waiting" && (live.state === "ended" || (live.receivedSeconds ?? 0) > 0)) {
          window.location.reload();
          return;
        }
      }
    } catch {
      // Offline for a moment: the next tick tries again.
    }
    window.setTimeout(() => void tick(), INTERVAL_MS);
  };
  window.setTimeout(() => void tick(), INTERVAL_MS);
}
