import type { AudioTrack } from "../probe.ts";

/** The sound rates the encoders below write; the download size estimate counts with the same ones. */
export const PCM_SAMPLE_RATE = 48_000;
export const AAC_BITS_PER_CHANNEL = 128_000;
export const MP3_BITS = 256_000;

/** PCM keeps 16-bit masters 16-bit; everything else is written 24-bit. */
export function pcmBitDepth(tracks: Pick<AudioTrack, "bitDepth">[]): 16 | 24 {
  return tracks.length > 0 && tracks.every((t) => t.bitDepth === 16) ? 16 : 24;
}

/** AAC channels per track: mono stays mono, anything wider is encoded as stereo. */
export function aacChannels(track: Pick<AudioTrack, "channels">): number {
  return Math.min(2, Math.max(1, track.channels));
}

/**
 * PCM for broadcast containers: lossless, and cut to the exact sample (a copied AAC stream
 * ends on its own 1024-sample frames).
 */
export function pcmArgs(tracks: AudioTrack[]): string[] {
  return ["-c:a", pcmBitDepth(tracks) === 16 ? "pcm_s16le" : "pcm_s24le", "-ar", String(PCM_SAMPLE_RATE)];
}

/** AAC for MP4, at a rate per channel that keeps speech and music clean after one more generation. */
export function aacArgs(tracks: AudioTrack[]): string[] {
  return [
    ...["-c:a", "aac"],
    ...tracks.flatMap((track, i) => [`-b:a:${i}`, `${(aacChannels(track) * AAC_BITS_PER_CHANNEL) / 1000}k`]),
  ];
}

/** MP3 for radio: one stereo (or mono) stream, the first track's, at the rate radio accepts. */
export function mp3Args(tracks: AudioTrack[]): string[] {
  const channels = Math.min(2, tracks[0]?.channels ?? 2);
  return [
    "-c:a",
    "libmp3lame",
    "-b:a",
    `${MP3_BITS / 1000}k`,
    "-ac",
    String(channels),
    "-ar",
    String(PCM_SAMPLE_RATE),
  ];
}
