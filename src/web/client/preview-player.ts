import { clock, frameAt, type Rational, secondsOfFrame, timecodeOf } from "./frames.ts";

/**
 * The preview player as other islands see it (the transcript; the downloads' IN/OUT selector).
 * Islands are separate bundles, so the player is found through its element, not a module
 * variable: `whenPlayerReady()` works whichever script runs first.
 */
export interface PreviewPlayer {
  readonly root: HTMLElement;
  readonly video: HTMLVideoElement;
  /** The master's frame rate; null when unknown (no frame stepping then). */
  readonly rate: Rational | null;
  /** The master's timecode on its first frame, e.g. "10:00:00:00" (";" for drop-frame). */
  readonly startTimecode: string | null;
  /** Preview duration in seconds, when known. */
  duration(): number;
  currentTime(): number;
  /** Frames counted from the master's first frame (0). */
  currentFrame(): number;
  /** The master's timecode label of a frame (or of the current frame). */
  timecode(frame?: number): string;
  seekToSeconds(seconds: number): void;
  seekToFrame(frame: number): void;
  /** Pauses and moves by whole frames (negative: backwards). */
  stepFrames(delta: number): void;
  /** Called on every time change (playback, seeks); returns a function that stops it. */
  onTimeChange(listener: (seconds: number, frame: number) => void): () => void;
}

export const PLAYER_READY_EVENT = "pressroom:player-ready";

type Host = HTMLElement & { previewPlayer?: Promise<PreviewPlayer> };

/** Resolves with the page's player (or the one in `root`), once it is set up. */
export function whenPlayerReady(root: ParentNode = document): Promise<PreviewPlayer> {
  const host = (
    root instanceof HTMLElement && root.matches("[data-player]") ? root : root.querySelector("[data-player]")
  ) as Host | null;
  if (!host) return Promise.reject(new Error("no player on this page"));
  if (host.previewPlayer) return host.previewPlayer;
  return new Promise((resolve) =>
    host.addEventListener(PLAYER_READY_EVENT, () => resolve(host.previewPlayer!), { once: true }),
  );
}

/** Registers the player's promise on its element and tells waiting islands. */
export function publishPlayer(host: HTMLElement, player: Promise<PreviewPlayer>): void {
  (host as Host).previewPlayer = player;
  void player.then(() => host.dispatchEvent(new CustomEvent(PLAYER_READY_EVENT)));
}

export function createPreviewPlayer(
  root: HTMLElement,
  video: HTMLVideoElement,
  rate: Rational | null,
  startTimecode: string | null,
  knownDuration: number | null,
): PreviewPlayer {
  const listeners = new Set<(seconds: number, frame: number) => void>();
  const lastFrame = () => {
    const d = Number.isFinite(video.duration) ? video.duration : (knownDuration ?? 0);
    return rate ? Math.max(0, frameAt(d, rate) - 1) : 0;
  };
  const player: PreviewPlayer = {
    root,
    video,
    rate,
    startTimecode,
    duration: () => (Number.isFinite(video.duration) ? video.duration : (knownDuration ?? 0)),
    currentTime: () => video.currentTime,
    currentFrame: () => (rate ? frameAt(video.currentTime, rate) : 0),
    timecode: (frame) =>
      rate
        ? timecodeOf(frame ?? frameAt(video.currentTime, rate), rate, startTimecode)
        : clock(video.currentTime),
    seekToSeconds(seconds) {
      video.currentTime = Math.max(0, Math.min(seconds, player.duration() || seconds));
    },
    seekToFrame(frame) {
      if (!rate) return;
      video.currentTime = secondsOfFrame(Math.max(0, Math.min(frame, lastFrame())), rate);
    },
    stepFrames(delta) {
      if (!rate) return;
      video.pause();
      player.seekToFrame(player.currentFrame() + delta);
    },
    onTimeChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  const notify = () => {
    for (const listener of listeners) listener(video.currentTime, player.currentFrame());
  };
  for (const type of ["timeupdate", "seeked", "seeking", "loadedmetadata"])
    video.addEventListener(type, notify);
  // timeupdate fires only a few times a second: follow every frame while playing.
  const follow = () => {
    notify();
    if (!video.paused && !video.ended) requestAnimationFrame(follow);
  };
  video.addEventListener("play", () => requestAnimationFrame(follow));
  return player;
}
