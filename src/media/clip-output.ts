import { aacArgs, mp3Args, pcmArgs } from "./encoder-args/audio.ts";
import type { MasterInfo } from "./probe.ts";

export type ClipFormat = "original" | "mp4" | "mxf" | "prores" | "wav" | "mp3";

export type AudioLayout =
  /** Every track of the master as its own stream, as broadcast containers carry them. */
  | "tracks"
  /** All tracks as the channels of one stream: WAV holds a single stream. */
  | "merged"
  /** The first track alone, downmixed to stereo at most: MP3. */
  | "first";

export interface ClipOutput {
  /** Container arguments, ending with `-f`. */
  container: string[];
  /**
   * Container arguments for a file written front to back and never revisited, so it can go to
   * the client while it is made; null where the muxer must seek back to finish the file.
   */
  sequential: string[] | null;
  audio: AudioLayout;
  audioCodec: string[];
  hasVideo: boolean;
}

/** The container the clip is written in, and how its sound is carried, for each format offered. */
export function clipOutput(format: ClipFormat, info: MasterInfo): ClipOutput {
  switch (format) {
    case "original":
      // An MXF written to a pipe keeps its header partition open and incomplete.
      if (info.container === "mxf") return { ...video("mxf", pcmArgs(info.audio)), sequential: null };
      if (info.container === "mov") return video("mov", pcmArgs(info.audio));
      // MP4 players expect AAC; a master with PCM in MP4 is rare and still gets AAC.
      return video("mp4", aacArgs(info.audio));
    case "mp4":
      return video("mp4", aacArgs(info.audio));
    case "mxf":
      return { ...video("mxf", pcmArgs(info.audio)), sequential: null };
    case "prores":
      return video("mov", pcmArgs(info.audio));
    case "wav":
      // RF64 only when past 4 GB, so ordinary clips stay plain WAV for every tool. Sizes are
      // written at the end: a piped WAV would say 0xFFFFFFFF, which some audio editors refuse.
      return {
        container: ["-rf64", "auto", "-f", "wav"],
        sequential: null,
        audio: "merged",
        audioCodec: pcmArgs(info.audio),
        hasVideo: false,
      };
    case "mp3":
      // The LAME header telling decoders to skip the encoder's delay is written at the end;
      // without it the sound would start about 24 ms late.
      return {
        container: ["-f", "mp3"],
        sequential: null,
        audio: "first",
        audioCodec: mp3Args(info.audio),
        hasVideo: false,
      };
  }
}

/**
 * Whether a streamed clip's header (its initialisation segment) is the same for every clip of a
 * master in this format, so an earlier clip's can be sent ahead (fmp4-init.ts). Measured true
 * for MP4 with AAC; a MOV with PCM describes its first fragment's sound samples in the header.
 */
export function clipHeaderIsStable(format: ClipFormat, info: MasterInfo): boolean {
  return clipOutput(format, info).sequential?.at(-1) === "mp4";
}

/** Whether a clip in this format can be sent to the client while ffmpeg writes it. */
export function canStreamClip(format: ClipFormat, info: MasterInfo): boolean {
  return clipOutput(format, info).sequential !== null;
}

function video(muxer: "mp4" | "mov" | "mxf", audioCodec: string[]): ClipOutput {
  return {
    // Moving the index to the front lets an editing system or browser start reading before the end.
    container: muxer === "mxf" ? ["-f", muxer] : ["-movflags", "+faststart", "-f", muxer],
    // Fragments need no index at the end. The index goes out with the first fragment (delay_moov)
    // because only then are the edit lists known that hide the B-frame delay and AAC priming;
    // fragments of at most a second keep that first byte close to the first encoded second.
    sequential: [
      ...["-movflags", "+frag_keyframe+empty_moov+delay_moov+default_base_moof"],
      ...["-frag_duration", "1000000", "-f", muxer],
    ],
    audio: "tracks",
    audioCodec,
    hasVideo: true,
  };
}
