import type { Rational } from "./timecode.ts";

/**
 * `-ss` values for reaching frame N of a constant-rate master. ffmpeg takes seconds and
 * rounds them to microseconds, so each use gets the rounding that cannot miss its frame.
 */

/** For decoding: a quarter frame early, so rounding never drops frame N; ffmpeg discards the earlier ones. */
export function decodeSeek(frame: number, rate: Rational): string {
  return Math.max(0, ((frame - 0.25) * rate.den) / rate.num).toFixed(6);
}

/** For stream copy from keyframe N: rounded up, so the demuxer never lands on the keyframe before. */
export function copySeek(frame: number, rate: Rational): string {
  return (Math.ceil((frame * rate.den * 1e6) / rate.num) / 1e6).toFixed(6);
}

/** For audio: the frame's exact instant (within a microsecond, far below one 48 kHz sample). */
export function exactSeconds(frame: number, rate: Rational): string {
  return ((frame * rate.den) / rate.num).toFixed(6);
}
