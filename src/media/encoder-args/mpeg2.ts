import type { VideoInfo } from "../probe.ts";

export interface Mpeg2Gop {
  /** Frames from one I-frame to the next. */
  length: number;
  /** B-frames between reference frames. */
  bFrames: number;
  /** Every GOP decodable on its own: needed where encoded frames are spliced before copied ones. */
  closed: boolean;
}

/** XDCAM HD422's GOP: half a second at 25 fps, two B-frames. */
export const XDCAM_GOP: Mpeg2Gop = { length: 12, bFrames: 2, closed: false };

// XDCAM HD422's video buffer size; decoders of broadcast playout expect exactly this.
const XDCAM_BUFFER_BITS = 17_825_792;

/**
 * MPEG-2 long-GOP at the master's size, rate and scan, for `mxf` clips and for re-encoding
 * part of an MPEG-2 master with its own settings. 4:2:2 at 50 Mbit/s CBR is XDCAM HD422.
 */
export function mpeg2Args(video: VideoInfo, gop: Mpeg2Gop, bitRate: number, chroma: "422" | "420"): string[] {
  const is422 = chroma === "422";
  const hd = video.height > 576;
  const interlaced = video.fieldOrder === "tff" || video.fieldOrder === "bff";
  const flags = [
    // Each GOP decodable alone, so copied pictures can follow encoded ones.
    ...(gop.closed ? ["+cgop"] : []),
    // Interlaced DCT and motion keep fields apart, as the master's encoder did.
    ...(interlaced ? ["+ilme", "+ildct"] : []),
  ];
  return [
    ...["-c:v", "mpeg2video"],
    // MPEG-2 has no 10-bit; 4:2:2 is what broadcast MPEG-2 (XDCAM HD422, IMX) carries.
    ...["-pix_fmt", is422 ? "yuv422p" : "yuv420p"],
    // 4:2:2 profile (0) or Main (4); High level (2 for 4:2:2, 4 for Main) above SD, Main level below.
    ...["-profile:v", is422 ? "0" : "4", "-level:v", is422 ? (hd ? "2" : "5") : hd ? "4" : "8"],
    // Constant bit rate, as broadcast playout servers and XDCAM decks require.
    ...["-b:v", String(bitRate), "-minrate", String(bitRate), "-maxrate", String(bitRate)],
    ...["-bufsize", String(XDCAM_BUFFER_BITS), "-rc_init_occupancy", String(XDCAM_BUFFER_BITS)],
    ...["-g", String(gop.length), "-bf", String(gop.bFrames)],
    // One -flags only: a second one would replace the first.
    ...(flags.length > 0 ? ["-flags", flags.join("")] : []),
    // Closed GOPs are only allowed without scene-cut I-frames; the master's cadence is kept anyway.
    ...(gop.closed ? ["-sc_threshold", "1000000000"] : []),
    ...(interlaced ? ["-top", video.fieldOrder === "tff" ? "1" : "0"] : []),
    ...(interlaced ? ["-field_order", video.fieldOrder === "tff" ? "tt" : "bb"] : []),
    // Quality tools every XDCAM encoder uses: better intra VLC, finer quantiser, 10-bit DC.
    ...["-intra_vlc", "1", "-non_linear_quant", "1", "-qmax", "28", "-dc", "10"],
  ];
}

/** The chroma a re-encode of part of a master must keep to match the rest of it. */
export function masterChroma(video: VideoInfo): "422" | "420" {
  return video.pixelFormat.startsWith("yuv422") ? "422" : "420";
}

/** 50 Mbit/s for HD (XDCAM HD422); SD and web-sized masters need far less for the same quality. */
export function mpeg2DeliveryBitRate(video: Pick<VideoInfo, "height">): number {
  return video.height > 576 ? 50_000_000 : 15_000_000;
}
