import type { Rational } from "../../web/client/frames.ts";
import { createPreviewPlayer, type PreviewPlayer, publishPlayer } from "../../web/client/preview-player.ts";

export { frameAt, secondsOfFrame, timecodeOf } from "../../web/client/frames.ts";
/**
 * The preview player island: plays the HLS preview natively where the browser can (Safari)
 * and through hls.js elsewhere, shows the master's timecode, steps frame by frame (buttons and
 * the , and . keys) and starts at ?t=. Other islands reach it with `whenPlayerReady()`.
 */
export type { PreviewPlayer } from "../../web/client/preview-player.ts";
export { PLAYER_READY_EVENT, whenPlayerReady } from "../../web/client/preview-player.ts";

function numberOf(value: string | undefined): number | null {
  if (value === undefined || value === "") return null;
  const n = Number(value);
  return Number.isFinite(n) ? n : null;
}

async function loadSource(video: HTMLVideoElement, src: string, startAt: number): Promise<void> {
  video.querySelector("source")?.remove();
  if (video.canPlayType("application/vnd.apple.mpegurl")) {
    video.src = startAt > 0 ? `${src}#t=${startAt}` : src;
    return;
  }
  // Loaded only where needed: hls.js is most of the player's weight.
  const { default: Hls } = await import("hls.js");
  if (!Hls.isSupported()) return;
  // No worker: it would start from a blob: URL, which the CSP (script-src 'self') refuses.
  const hls = new Hls({ enableWorker: false, startPosition: startAt > 0 ? startAt : -1 });
  hls.loadSource(src);
  hls.attachMedia(video);
}

function isTyping(target: EventTarget | null): boolean {
  return (
    target instanceof HTMLElement &&
    (target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName))
  );
}

function bindControls(player: PreviewPlayer): void {
  const { root } = player;
  const output = root.querySelector<HTMLOutputElement>("[data-timecode]");
  const show = () => {
    if (output) output.value = player.timecode();
  };
  player.onTimeChange(show);
  show();
  const controls = root.querySelector<HTMLElement>("[data-player-controls]");
  if (controls) controls.hidden = false;
  for (const button of Array.from(root.querySelectorAll<HTMLButtonElement>("[data-frame-step]"))) {
    if (!player.rate) button.hidden = true;
    button.addEventListener("click", () => player.stepFrames(Number(button.dataset.frameStep)));
  }
  const help = root.querySelector<HTMLElement>("[data-player-help]");
  if (help && player.rate) help.hidden = false;
  document.addEventListener("keydown", (event) => {
    if (!player.rate || event.altKey || event.ctrlKey || event.metaKey || isTyping(event.target)) return;
    if (event.key !== "," && event.key !== ".") return;
    event.preventDefault();
    player.stepFrames(event.key === "," ? -1 : 1);
  });
}

async function attach(root: HTMLElement): Promise<PreviewPlayer> {
  const video = root.querySelector("video")!;
  const { rateNum, rateDen, startTimecode, startAt, duration, src } = root.dataset;
  const num = numberOf(rateNum);
  const den = numberOf(rateDen);
  const rate: Rational | null = num && den ? { num, den } : null;
  const player = createPreviewPlayer(root, video, rate, startTimecode || null, numberOf(duration));
  bindControls(player);
  const start = numberOf(startAt) ?? 0;
  if (start > 0) {
    // Native players honour #t=; this covers those that do not, and hls.js before it seeks.
    video.addEventListener(
      "loadedmetadata",
      () => {
        if (Math.abs(video.currentTime - start) > 0.5) video.currentTime = start;
      },
      { once: true },
    );
  }
  if (src) await loadSource(video, src, start);
  return player;
}

for (const root of Array.from(document.querySelectorAll<HTMLElement>("[data-player]"))) {
  publishPlayer(root, attach(root));
}
