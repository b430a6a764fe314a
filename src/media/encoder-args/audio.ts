import type { AudioTrack } from "../probe.ts";

/**
 * PCM for broadcast containers: lossless, and cut to the exact sample (a copied AAC stream
 * ends on its own 1024-sample frames). 16-bit masters stay 16-bit; everything else is 24-bit.
 */
export function pcmArgs(tracks: AudioTrack[]): string[] {
  const sixteen = tracks.length > 0 && tracks.every((t) => t.bitDepth === 16);
  return ["-c:a", sixteen ? "pcm_s16le" : "pcm_s24le", "-ar", "48000"];
}

/** AAC for MP4, at a rate per channel that keeps speech and music clean after one more generation. */
export function aacArgs(tracks: AudioTrack[]): string[] {
  return [
    ...["-c:a", "aac"],
    ...tracks.flatMap((track, i) => [`-b:a:${i}`, `${Math.min(2, Math.max(1, track.channels)) * 128}k`]),
  ];
}

/** MP3 for radio: one stereo (or mono) stream, the first track's, at the rate radio accepts. */
export function mp3Args(tracks: AudioTrack[]): string[] {
  const channels = Math.min(2, tracks[0]?.channels ?? 2);
  return ["-c:a", "libmp3lame", "-b:a", "256k", "-ac", String(channels), "-ar", "48000"];
}
