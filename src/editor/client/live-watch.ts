/**
 * A live item's page follows its stream (issue 12): every 2 s it asks the API (with the editor's
 * session cookie) for the item, writes the stream's figures in place (bit rate, frame rate,
 * dropped frames, last frame, seconds recorded), and reloads the page when the live's state or
 * its problem changes, so the words and buttons that go with them appear. It does not reload over
 * what the editor has started typing in the item's form. Without this island, a reload is all.
 */

type Health = {
  bitrateKbps?: number;
  frameRate?: number;
  droppedFrames?: number;
  lastFrameAt?: string;
};
type Live = {
  state: string;
  receivedSeconds: number;
  receiving?: boolean;
  ingest?: { health: Health; problem: string | null };
};

const INTERVAL_MS = 2000;

const panel = document.querySelector<HTMLElement>("[data-live-watch]");
if (panel) watch(panel);

function watch(panel: HTMLElement): void {
  const url = panel.dataset.liveWatch ?? "";
  const shown = `${panel.dataset.liveState ?? ""}|${panel.dataset.liveProblem ?? ""}|${panel.dataset.liveReceiving ?? ""}`;
  const numbers = new Intl.NumberFormat(document.documentElement.lang || undefined, {
    maximumFractionDigits: 2,
  });
  let typing = false;
  document.addEventListener("input", () => {
    typing = true;
  });
  const write = (name: string, text: string) => {
    const target = panel.querySelector(`[data-live-health="${name}"]`);
    if (target && target.textContent !== text) target.textContent = text;
  };
  const figure = (value: number | undefined) => (value === undefined ? "—" : numbers.format(value));
  const tick = async (): Promise<void> => {
    try {
      const res = await fetch(url, { headers: { accept: "application/json" }, credentials: "same-origin" });
      // Signed out, or the item is gone: a reload says the rest.
      if (res.status >= 400 && res.status < 500) return;
      if (res.ok) {
        const live = ((await res.json()) as { live?: Live }).live;
        if (!live) return;
        // The encoder going away or coming back changes the words on the page too.
        const receiving = live.state === "live" && live.receiving === false ? "no" : "yes";
        if (`${live.state}|${live.ingest?.problem ?? ""}|${receiving}` !== shown) {
          if (!typing) window.location.reload();
          return;
        }
        const health = live.ingest?.health ?? {};
        write("receivedSeconds", figure(live.receivedSeconds));
        write("bitrateKbps", figure(health.bitrateKbps));
        write("frameRate", figure(health.frameRate));
        write("droppedFrames", figure(health.droppedFrames));
        write(
          "lastFrameAt",
          health.lastFrameAt ? new Date(health.lastFrameAt).toISOString().slice(11, 19) : "—",
        );
      }
    } catch {
      // Offline for a moment: the next tick tries again.
    }
    window.setTimeout(() => void tick(), INTERVAL_MS);
  };
  window.setTimeout(() => void tick(), INTERVAL_MS);
}
