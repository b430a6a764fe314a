import type { VideoInfo } from "../probe.ts";

/**
 * Settings that decide the bytes of x264's SPS and PPS, as x264 writes them in its SEI
 * ("cabac=1 ref=3 ..."), mapped to the names `-x264-params` takes. Anything else in the SEI
 * (motion search, psy, threads) only changes speed or look, never the parameter sets.
 */
const HEADER_SETTINGS: Record<string, string> = {
  cabac: "cabac",
  ref: "ref",
  "8x8dct": "8x8dct",
  chroma_qp_offset: "chroma-qp-offset",
  bframes: "bframes",
  b_pyramid: "b-pyramid",
  b_adapt: "b-adapt",
  weightb: "weightb",
  weightp: "weightp",
  open_gop: "open-gop",
  keyint: "keyint",
  keyint_min: "min-keyint",
  constrained_intra: "constrained-intra",
  bluray_compat: "bluray-compat",
  crf: "crf",
  qp: "qp",
  bitrate: "bitrate",
  vbv_maxrate: "vbv-maxrate",
  vbv_bufsize: "vbv-bufsize",
  nal_hrd: "nal-hrd",
};

/** The "options: ..." part of x264's SEI, as key/value pairs. */
export function parseX264Settings(options: string): Map<string, string> {
  const settings = new Map<string, string>();
  for (const pair of options.trim().split(/\s+/)) {
    const equals = pair.indexOf("=");
    if (equals > 0) settings.set(pair.slice(0, equals), pair.slice(equals + 1));
  }
  return settings;
}

/**
 * Encoder arguments for a head or tail that must splice into the master's own stream: the same
 * SPS/PPS bytes, so the one sample entry of the MP4 describes every frame. Null when the master
 * used something this cannot reproduce (custom quant matrices, an unknown rate control).
 * The caller still compares the parameter sets before trusting the result.
 */
export function matchingH264Args(settings: Map<string, string>, video: VideoInfo): string[] | null {
  if (settings.get("cqm") !== "0") return null;
  const rc = settings.get("rc");
  if (rc !== "crf" && rc !== "cqp" && rc !== "abr" && rc !== "2pass" && rc !== "cbr") return null;
  const params: string[] = [];
  for (const [seiName, paramName] of Object.entries(HEADER_SETTINGS)) {
    const value = settings.get(seiName);
    if (value !== undefined) params.push(`${paramName}=${value}`);
  }
  // The SEI writes "enabled:alpha:beta"; the parameter takes "alpha:beta" or off.
  const [enabled, alpha, beta] = (settings.get("deblock") ?? "1:0:0").split(":");
  params.push(enabled === "0" ? "no-deblock=1" : `deblock=${alpha ?? 0},${beta ?? 0}`);
  const interlaced = settings.get("interlaced");
  if (interlaced === "tff" || interlaced === "bff") params.push(`${interlaced}=1`);
  if (interlaced === "fake") params.push("fake-interlaced=1");
  params.push(
    // x264 lowers chroma_qp_offset when psy is on; the SEI shows the lowered value, so psy off keeps it.
    "psy=0",
    // A scene cut would put an IDR where the master has none; harmless, but keeps heads predictable.
    "scenecut=0",
  );
  if (video.level !== null) params.push(`level=${video.level / 10}`);
  return [
    ...["-c:v", "libx264"],
    // Heads and tails are a GOP at most and sit on the download's critical path: ultrafast's
    // analysis (no mbtree, no sub-pixel search) halves the time of superfast, and at the same CRF
    // spends more bits, so it is also closer to the master. The header settings above override
    // everything of the preset that would change the SPS/PPS.
    ...["-preset", "ultrafast"],
    ...["-pix_fmt", video.pixelFormat],
    ...["-x264-params", params.join(":")],
    ...colourArgs(video),
  ];
}

/** An H.264 for newsroom editing and the web, from any master. */
export function deliveryH264Args(video: VideoInfo): string[] {
  const interlaced = video.fieldOrder === "tff" || video.fieldOrder === "bff";
  return [
    ...["-c:v", "libx264"],
    // veryfast halves the encode time of medium at this quality; clips are short-lived downloads.
    ...["-preset", "veryfast"],
    // Visually lossless against a broadcast master; journalists re-edit and re-encode the clip.
    ...["-crf", "16"],
    // 4:2:0 8-bit: what every editing system, browser and phone decodes.
    ...["-pix_fmt", "yuv420p"],
    ...["-profile:v", "high"],
    // Encode fields as fields, so the clip can be cut back into an interlaced programme.
    ...(interlaced ? ["-x264-params", `${video.fieldOrder}=1`] : []),
    ...colourArgs(video),
  ];
}

/** Carry the master's colour signalling so the clip is shown with the same colours. */
export function colourArgs(video: VideoInfo): string[] {
  return [
    ...(video.colorRange !== null ? ["-color_range", video.colorRange] : []),
    ...(video.colorSpace !== null ? ["-colorspace", video.colorSpace] : []),
    ...(video.colorPrimaries !== null ? ["-color_primaries", video.colorPrimaries] : []),
    ...(video.colorTransfer !== null ? ["-color_trc", video.colorTransfer] : []),
  ];
}
