import type { Rational } from "../../web/client/frames.ts";
import { createPreviewPlayer, type PreviewPlayer, publishPlayer } from "../../web/client/preview-player.ts";
import { onShortcut } from "../../web/client/shortcuts.ts";

export { frameAt, secondsOfFrame, timecodeOf } from "../../web/client/frames.ts";
/**
 * The preview player island: plays the HLS preview through hls.js (natively where the browser
 * has no Media Source Extensions; the single MP4 where neither works), shows the master's
 * timecode of the frame on screen, steps frame by frame (buttons and the , and . keys while the
 * player has focus) and starts at ?t=. Other islands reach it with `whenPlayerReady()`.
 */
export type { PreviewPlayer } from "../../web/client/preview-player.ts";
export { PLAYER_READY_EVENT, whenPlayerReady } from "../../web/client/preview-player.ts";

function numberOf(value: string | undefined): number | null {
  if (value === undefined || value === "") return null;
  const n = Number(value);
  return Number.isFinite(n) ? n : null;
}

const hasMse = () => "MediaSource" in window || "ManagedMediaSource" in window;

/** Whether the browser plays HLS one way or the other; if not, the single MP4 plays. */
function playsHls(video: HTMLVideoElement): boolean {
  return hasMse() || video.canPlayType("application/vnd.apple.mpegurl") !== "";
}

/**
 * HLS through Media Source Extensions and hls.js where the browser has them, since there the
 * pictures keep the rendition's own timestamps, which frame counting relies on (Chromium's own
 * HLS player was seen showing a picture off its frame's time after a seek); natively where only
 * that works (older iPhones); else the single MP4. `at`: where to start, on the rendition's clock.
 */
async function loadSource(player: PreviewPlayer, src: string, at: number): Promise<void> {
  const { video } = player;
  const mp4 = video.querySelector<HTMLSourceElement>("source[data-mp4]")?.src.replace(/#.*$/, "");
  for (const source of Array.from(video.querySelectorAll("source"))) source.remove();
  const from = (url: string) => (at > 0 ? `${url}#t=${at}` : url);
  if (hasMse()) {
    // Loaded only where needed: hls.js is most of the player's weight.
    const { default: Hls } = await import("hls.js");
    if (Hls.isSupported()) {
      // No worker: it would start from a blob: URL, which the CSP (script-src 'self') refuses.
      const hls = new Hls({ enableWorker: false, startPosition: at > 0 ? at : -1 });
      // hls.js puts a picture stamped PTS at PTS − initPTS on the element's clock, initPTS
      // taken from the first segment it loads (not always the first of the stream).
      hls.on(Hls.Events.INIT_PTS_FOUND, (_event, data) => {
        if (data.id === "main") player.setTimelineShift(-data.initPTS / data.timescale);
      });
      hls.loadSource(src);
      hls.attachMedia(video);
      return;
    }
  }
  if (video.canPlayType("application/vnd.apple.mpegurl")) video.src = from(src);
  else if (mp4) video.src = from(mp4);
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
  if (player.rate) onShortcut([",", "."], (key) => player.stepFrames(key === "," ? -1 : 1));
}

/**
 * A live item's recording as it arrives (issue 12): hls.js opens the EVENT playlist at the live
 * edge and keeps reloading it. Its clock is the playlist's (each piece where the recording has it,
 * reconnections included), which is the recording's timeline: no first-picture shift applies.
 * "From the start" goes to the first piece, "Back to live" to where hls.js keeps the live edge.
 */
async function attachLive(root: HTMLElement): Promise<PreviewPlayer> {
  const video = root.querySelector("video")!;
  const { rateNum, rateDen, startTimecode, src } = root.dataset;
  const num = numberOf(rateNum);
  const den = numberOf(rateDen);
  const player = createPreviewPlayer(
    root,
    video,
    num && den ? { num, den } : null,
    startTimecode || null,
    null,
  );
  const output = root.querySelector<HTMLOutputElement>("[data-timecode]");
  player.onTimeChange(() => {
    if (output) output.value = player.timecode();
  });
  let edge = (): number | null => null;
  let first = (): number | null => null;
  let attached = false;
  for (const source of Array.from(video.querySelectorAll("source"))) source.remove();
  if (src && hasMse()) {
    const { default: Hls } = await import("hls.js");
    if (Hls.isSupported()) {
      const hls = new Hls({ enableWorker: false, startPosition: -1 });
      // Once pieces are loaded, hls.js moves every piece's start to where its first sample
      // really lies: the recording's first frame is where the first piece now starts.
      first = () => hls.latestLevelDetails?.fragments[0]?.start ?? null;
      hls.on(Hls.Events.FRAG_BUFFERED, () => player.setTimelineShift(first() ?? 0));
      hls.loadSource(src);
      hls.attachMedia(video);
      edge = () => hls.liveSyncPosition;
      attached = true;
    }
  }
  if (!attached && src) video.src = src;
  const seekable = (end: boolean): number | null => {
    const ranges = video.seekable;
    if (ranges.length === 0) return null;
    return end ? ranges.end(ranges.length - 1) : ranges.start(0);
  };
  const play = () => void video.play().catch(() => undefined);
  root.querySelector("[data-live-start]")?.addEventListener("click", () => {
    // Inside the first frame, not before the first piece: hls.js takes a position before a live
    // playlist's first piece for one behind its window, and jumps to the live edge.
    if (player.rate) player.seekToFrame(0);
    else {
      const at = first() ?? seekable(false);
      if (at !== null) video.currentTime = at + 0.05;
    }
    play();
  });
  root.querySelector("[data-live-edge]")?.addEventListener("click", () => {
    const at = edge() ?? seekable(true);
    if (at !== null) video.currentTime = at;
    play();
  });
  const controls = root.querySelector<HTMLElement>("[data-player-controls]");
  if (controls) controls.hidden = false;
  return player;
}

async function attach(root: HTMLElement): Promise<PreviewPlayer> {
  if (root.dataset.live !== undefined) return attachLive(root);
  const video = root.querySelector("video")!;
  const { rateNum, rateDen, startTimecode, startAt, duration, src, firstFrame, mp4FirstFrame } = root.dataset;
  const num = numberOf(rateNum);
  const den = numberOf(rateDen);
  const rate: Rational | null = num && den ? { num, den } : null;
  // Frames are counted from the first picture of the rendition that plays (ingest measured it).
  const offset = numberOf(playsHls(video) ? firstFrame : mp4FirstFrame) ?? 0;
  const player = createPreviewPlayer(root, video, rate, startTimecode || null, numberOf(duration), offset);
  bindControls(player);
  const start = numberOf(startAt) ?? 0;
  if (start > 0) {
    // Native players honour #t= and hls.js its start position, but the exact time of that
    // moment is known only once the stream is laid out: land on it then.
    video.addEventListener("loadeddata", () => player.seekToSeconds(start), { once: true });
  }
  if (src) await loadSource(player, src, start > 0 ? start + offset : 0);
  return player;
}

for (const root of Array.from(document.querySelectorAll<HTMLElement>("[data-player]"))) {
  publishPlayer(root, attach(root));
}
