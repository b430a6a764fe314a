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
  audio: AudioLayout;
  audioCodec: string[];
  hasVideo: boolean;
}

/** The container the clip is written in, and how its sound is carried, for each format offered. */
export function clipOutput(format: ClipFormat, info: MasterInfo): ClipOutput {
  // Moving the index to the front lets an editing system or browser start reading before the end.
  const faststart = ["-movflags", "+faststart"];
  switch (format) {
    case "original":
      if (info.container === "mxf") return video(["-f", "mxf"], pcmArgs(info.audio));
      if (info.container === "mov") return video([...faststart, "-f", "mov"], pcmArgs(info.audio));
      // MP4 players expect AAC; a master with PCM in MP4 is rare and still gets AAC.
      return video([...faststart, "-f", "mp4"], aacArgs(info.audio));
    case "mp4":
      return video([...faststart, "-f", "mp4"], aacArgs(info.audio));
    case "mxf":
      return video(["-f", "mxf"], pcmArgs(info.audio));
    case "prores":
      return video([...faststart, "-f", "mov"], pcmArgs(info.audio));
    case "wav":
      // RF64 only when past 4 GB, so ordinary clips stay plain WAV for every tool.
      return {
        container: ["-rf64", "auto", "-f", "wav"],
        audio: "merged",
        audioCodec: pcmArgs(info.audio),
        hasVideo: false,
      };
    case "mp3":
      return { container: ["-f", "mp3"], audio: "first", audioCodec: mp3Args(info.audio), hasVideo: false };
  }
}

function video(container: string[], audioCodec: string[]): ClipOutput {
  return { container, audio: "tracks", audioCodec, hasVideo: true };
}
