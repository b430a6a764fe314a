import { type AudioLayout, type ClipFormat, deliveryFormat } from "./formats.ts";
import type { MasterInfo } from "./probe.ts";
import { parseTimecode, timecodeToFrames } from "./timecode.ts";

// The arguments a clip's tracks and start timecode need, shared by the file cut and the streamed one.

export function selectTracks(info: MasterInfo, positions: number[] | undefined): MasterInfo["audio"] {
  if (positions === undefined) return info.audio;
  return positions.map((position) => {
    const track = info.audio[position];
    // The caller offers only tracks the master has; anything else is a bug, not a user's choice.
    if (track === undefined) throw new RangeError(`the master has no audio track ${position}`);
    return track;
  });
}

/**
 * The clip's sound tracks, each padded with silence to `seconds` (the clip's length): at a live
 * recording's edge the sound received ends a few frames before the picture (the encoder sends it
 * later), and a clip's sound must last as long as its picture, as editing systems expect.
 */
export function audioMaps(layout: AudioLayout, input: number, info: MasterInfo, seconds: string): string[] {
  const tracks = info.audio.map((track) => `${input}:${track.streamIndex}`);
  if (tracks.length === 0) return [];
  const pad = `apad=whole_dur=${seconds}`;
  if (layout === "merged" && tracks.length > 1) {
    const inputs = tracks.map((t) => `[${t}]`).join("");
    return ["-filter_complex", `${inputs}amerge=inputs=${tracks.length},${pad}[sound]`, "-map", "[sound]"];
  }
  const maps = layout === "first" ? ["-map", tracks[0] ?? ""] : tracks.flatMap((track) => ["-map", track]);
  return [...maps, "-af", pad];
}

export function timecodeArgs(format: ClipFormat, startTimecode: string, info: MasterInfo): string[] {
  const muxer = deliveryFormat(format).muxer(info);
  if (muxer === "mp3") return [];
  if (muxer === "wav") {
    // Broadcast WAV stores the start as samples since midnight, which is what audio editors read.
    const rate = info.video.frameRate;
    const sampleRate = info.audio[0]?.sampleRate ?? 48_000;
    const samples = Math.round(
      (timecodeToFrames(parseTimecode(startTimecode), rate) * rate.den * sampleRate) / rate.num,
    );
    return ["-write_bext", "1", "-metadata", `time_reference=${samples}`];
  }
  return ["-timecode", startTimecode];
}
