import type { MasterInfo } from "../media/probe.ts";

/**
 * The masters we take (issue 3): MXF OP1a with XDCAM HD422 (MPEG-2), AVC-Intra (H.264) or DNxHD;
 * MOV with ProRes, DNxHD, H.264 or H.265; MP4 with H.264 or H.265. Up to 8 audio tracks; a
 * silent master (B-roll without sound) is taken too.
 */
const codecsByContainer: Record<string, readonly string[]> = {
  mxf: ["mpeg2video", "h264", "dnxhd"],
  mov: ["prores", "dnxhd", "h264", "hevc"],
  mp4: ["h264", "hevc"],
};
const MAX_AUDIO_TRACKS = 8;

/** Why the master is refused, in English for the editors' log and the error detail; null when accepted. */
export function refusalOf(info: MasterInfo): string | null {
  const codecs = codecsByContainer[info.container];
  if (!codecs) return `${info.container} files are not accepted (MXF, MOV or MP4)`;
  if (!codecs.includes(info.video.codec)) {
    return `${info.video.codec} video in ${info.container.toUpperCase()} is not accepted (${codecs.join(", ")})`;
  }
  if (info.audio.length > MAX_AUDIO_TRACKS) {
    return `${info.audio.length} audio tracks, at most ${MAX_AUDIO_TRACKS} are accepted`;
  }
  return null;
}
