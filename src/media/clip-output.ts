import { type AudioLayout, type ClipFormat, deliveryFormat, type Muxer } from "./formats.ts";
import type { MasterInfo } from "./probe.ts";

export type { AudioLayout, ClipFormat } from "./formats.ts";

export interface ClipOutput {
  /** Container arguments, ending with `-f`. */
  container: string[];
  /**
   * Container arguments for a file written front to back, so it can go to the client while it
   * is made (an MXF's work file is then closed in place: mxf-stream.ts); null where the muxer
   * must seek back to finish the file.
   */
  sequential: string[] | null;
  audio: AudioLayout;
  audioCodec: string[];
  hasVideo: boolean;
}

/** The container the clip is written in, and how its sound is carried (formats.ts decides which). */
export function clipOutput(format: ClipFormat, info: MasterInfo): ClipOutput {
  const definition = deliveryFormat(format);
  return {
    ...containerArgs(definition.muxer(info)),
    audio: definition.audio,
    audioCodec: definition.audioCodec(info.audio, info),
    hasVideo: definition.kind === "video",
  };
}

function containerArgs(muxer: Muxer): Pick<ClipOutput, "container" | "sequential"> {
  switch (muxer) {
    case "mp4":
    case "mov":
    case "mxf":
      return video(muxer);
    case "wav":
      // RF64 only when past 4 GB, so ordinary clips stay plain WAV for every tool. Sizes are
      // written at the end: a piped WAV would say 0xFFFFFFFF, which some audio editors refuse.
      return { container: ["-rf64", "auto", "-f", "wav"], sequential: null };
    case "mp3":
      // The LAME header telling decoders to skip the encoder's delay is written at the end;
      // without it the sound would start about 24 ms late.
      return { container: ["-f", "mp3"], sequential: null };
  }
}

/**
 * Whether a streamed clip's header is the same for every clip of a master in this format, so an
 * earlier clip's can be sent ahead. Measured true for MP4 with AAC (fmp4-init.ts) and for MXF
 * (mxf-stream.ts); a MOV with PCM describes its first fragment's sound samples in the header.
 */
export function clipHeaderIsStable(format: ClipFormat, info: MasterInfo): boolean {
  const muxer = deliveryFormat(format).muxer(info);
  return muxer === "mp4" || muxer === "mxf";
}

/** Whether a clip in this format can be sent to the client while ffmpeg writes it. */
export function canStreamClip(format: ClipFormat, info: MasterInfo): boolean {
  return clipOutput(format, info).sequential !== null;
}

function video(muxer: "mp4" | "mov" | "mxf"): Pick<ClipOutput, "container" | "sequential"> {
  return {
    // Moving the index to the front lets an editing system or browser start reading before the end.
    container: muxer === "mxf" ? ["-f", muxer] : ["-movflags", "+faststart", "-f", muxer],
    sequential:
      muxer === "mxf"
        ? // Unable to seek, ffmpeg leaves the header partition open; mxf-stream.ts completes it
          // in the footer and closes the cached copy. Bit-exact, its UMIDs (and timestamps) are
          // fixed, so an earlier clip's header is byte for byte this one's but for the start
          // timecode; mxf-stream.ts gives each clip its own material number.
          ["-fflags", "+bitexact", "-f", muxer]
        : // Fragments need no index at the end. The index goes out with the first fragment
          // (delay_moov) because only then are the edit lists known that hide the B-frame delay
          // and AAC priming; fragments of at most a second keep that first byte close to the
          // first encoded second.
          [
            ...["-movflags", "+frag_keyframe+empty_moov+delay_moov+default_base_moof"],
            ...["-frag_duration", "1000000", "-f", muxer],
          ],
  };
}
