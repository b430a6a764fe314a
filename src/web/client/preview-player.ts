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
  /** Seconds on the master's clock (0 = its first frame). */
  currentTime(): number;
  /** The frame on screen, counted from the master's first frame (0). */
  currentFrame(): number;
  /** The master's timecode label of a frame (or of the current frame). */
  timecode(frame?: number): string;
  seekToSeconds(seconds: number): void;
  seekToFrame(frame: number): void;
  /** Pauses and moves by whole frames (negative: backwards). */
  stepFrames(delta: number): void;
  /** Called on every time change (playback, seeks); returns a function that stops it. */
  onTimeChange(listener: (seconds: number, frame: number) => void): () => void;
  /**
   * Where the rendition's own clock sits on the video element's: hls.js lays the stream out
   * from the first segment it loads, so a session that starts mid-way sees every picture a
   * fraction of a frame or more away from its timestamp (the player island tells it here).
   */
  setTimelineShift(seconds: number): void;
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

/**
 * `firstFrame`: where the rendition's first picture sits on the video element's clock (ingest
 * measures it; x264's B-frames put it two frames after zero at 25 fps). Positions the player
 * gives and takes are seconds on the master's clock, counted from that picture.
 */
export function createPreviewPlayer(
  root: HTMLElement,
  video: HTMLVideoElement,
  rate: Rational | null,
  startTimecode: string | null,
  knownDuration: number | null,
  firstFrame = 0,
): PreviewPlayer {
  const listeners = new Set<(seconds: number, frame: number) => void>();
  let shift = 0;
  // The element's time of the master's first frame.
  const origin = () => firstFrame + shift;
  const masterSeconds = () => Math.max(0, video.currentTime - origin());
  const lastFrame = () => {
    const d = player.duration();
    return rate ? Math.max(0, frameAt(d, rate) - 1) : 0;
  };
  // The picture the browser last composited, from requestVideoFrameCallback: during playback
  // currentTime runs ahead of it, and after a seek it is the truth about what the user sees.
  // Forgotten when a seek starts, until the new picture arrives (currentTime decides meanwhile).
  let presented: number | null = null;
  // The frame a seek of ours is going to: the one to count from until it is shown, so two quick
  // steps make two frames even before the browser has started the first seek.
  let target: number | null = null;
  const frameOnScreen = (): number => {
    if (!rate) return 0;
    if (target !== null) return target;
    if (presented !== null) return Math.max(0, Math.round(((presented - origin()) * rate.num) / rate.den));
    return frameAt(masterSeconds(), rate);
  };
  const player: PreviewPlayer = {
    root,
    video,
    rate,
    startTimecode,
    duration: () => {
      if (Number.isFinite(video.duration)) return Math.max(0, video.duration - origin());
      // A live recording (issue 12) grows: as far as can be reached so far.
      const reach = video.seekable;
      if (reach.length > 0) return Math.max(0, reach.end(reach.length - 1) - origin());
      return knownDuration ?? 0;
    },
    currentTime: masterSeconds,
    currentFrame: frameOnScreen,
    timecode: (frame) =>
      rate ? timecodeOf(frame ?? frameOnScreen(), rate, startTimecode) : clock(masterSeconds()),
    seekToSeconds(seconds) {
      // Inside the frame showing at that moment: a time on a frame's edge can show its neighbour.
      if (rate) player.seekToFrame(frameAt(seconds, rate));
      else video.currentTime = origin() + Math.max(0, Math.min(seconds, player.duration() || seconds));
    },
    seekToFrame(frame) {
      if (!rate) return;
      target = Math.max(0, Math.min(frame, lastFrame()));
      presented = null;
      video.currentTime = origin() + secondsOfFrame(target, rate);
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
    setTimelineShift(seconds) {
      shift = seconds;
    },
  };
  const notify = () => {
    for (const listener of listeners) listener(masterSeconds(), player.currentFrame());
  };
  video.addEventListener("seeking", () => {
    presented = null;
  });
  video.addEventListener("seeked", () => {
    target = null;
  });
  for (const type of ["timeupdate", "seeked", "seeking", "loadedmetadata"])
    video.addEventListener(type, notify);
  if (typeof video.requestVideoFrameCallback === "function") {
    const onFrame = (_now: number, metadata: VideoFrameCallbackMetadata) => {
      if (!video.seeking) presented = metadata.mediaTime;
      notify();
      video.requestVideoFrameCallback(onFrame);
    };
    video.requestVideoFrameCallback(onFrame);
  } else {
    // timeupdate fires only a few times a second: follow every frame while playing.
    const follow = () => {
      notify();
      if (!video.paused && !video.ended) requestAnimationFrame(follow);
    };
    video.addEventListener("play", () => requestAnimationFrame(follow));
  }
  return player;
}
