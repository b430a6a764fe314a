import { CorruptMedia } from "./errors.ts";
import { pathTools, type RunOptions, runTool } from "./ffmpeg.ts";
import type { Rational } from "./timecode.ts";

export interface Keyframe {
  /** Its frame number in presentation order, counting from 0. */
  frame: number;
  /** Its place among the stream's packets in file (decode) order. */
  decodeIndex: number;
  /** Presentation time in the stream's time base. */
  pts: number;
  /** Where its packet starts in the file, for a reader that seeks by byte. */
  byteOffset: number | null;
  /**
   * Frames shown before this keyframe but stored after it, predicted from the previous GOP
   * (an open GOP). A copy starting here must drop them, or the cut must re-encode this GOP.
   */
  leadingFrames: number;
}

/** Everything a cut needs to know about the video's GOPs, built once at ingest. */
export interface KeyframeIndex {
  frameCount: number;
  timeBase: Rational;
  keyframes: Keyframe[];
  /** Frame number of each packet in file order: shows what a copied run of packets will display. */
  decodeOrder: number[];
  /** Some GOP reaches back into the one before it. */
  openGop: boolean;
  /**
   * Hash of the stream's parameter sets (H.264 SPS/PPS, MPEG-2 sequence header) as the container
   * stores them: a re-encoded head must match it to be spliced into copied packets.
   */
  parameterSetsHash: string | null;
}

interface Packet {
  pts: number;
  keyframe: boolean;
  byteOffset: number | null;
}

/**
 * Reads packet headers only (no decoding): ffprobe's compact output of four fields per video packet,
 * which runs through an hour of HD in seconds.
 */
export async function indexKeyframes(path: string, options: RunOptions = {}): Promise<KeyframeIndex> {
  const tools = options.tools ?? pathTools;
  const args = [
    ...["-v", "error", "-select_streams", "v:0", "-of", "compact=p=0"],
    ...["-show_entries", "packet=pts,dts,pos,flags:stream=time_base,extradata_hash"],
    ...["-show_data_hash", "SHA256", path],
  ];
  const { stdout } = await runTool(tools.ffprobe, args, options);
  let timeBase: Rational | null = null;
  let parameterSetsHash: string | null = null;
  const packets: Packet[] = [];
  for (const line of stdout.toString("utf8").split("\n")) {
    const fields = new Map(line.split("|").map((pair) => pair.split("=") as [string, string]));
    const base = fields.get("time_base");
    if (base !== undefined) {
      const [num, den] = base.split("/").map(Number);
      timeBase = { num: num ?? 1, den: den ?? 1 };
      parameterSetsHash = fields.get("extradata_hash") ?? null;
      continue;
    }
    const flags = fields.get("flags");
    if (flags === undefined) continue;
    // Packets the demuxer marks discard are never shown (edit-list pre-roll).
    if (flags.includes("D")) continue;
    const pts = Number(fields.get("pts") === "N/A" ? fields.get("dts") : fields.get("pts"));
    const pos = Number(fields.get("pos"));
    packets.push({ pts, keyframe: flags.startsWith("K"), byteOffset: Number.isFinite(pos) ? pos : null });
  }
  if (timeBase === null || packets.length === 0 || packets.some((p) => !Number.isFinite(p.pts))) {
    throw new CorruptMedia("the video's packets carry no usable timestamps");
  }
  return { ...buildIndex(packets, timeBase), parameterSetsHash };
}

/** The same hash as `KeyframeIndex.parameterSetsHash`, for a freshly encoded piece of a clip. */
export async function readParameterSetsHash(path: string, options: RunOptions = {}): Promise<string | null> {
  const tools = options.tools ?? pathTools;
  const args = ["-v", "error", "-select_streams", "v:0", "-of", "compact=p=0:nk=1"];
  const { stdout } = await runTool(
    tools.ffprobe,
    [...args, "-show_entries", "stream=extradata_hash", "-show_data_hash", "SHA256", path],
    options,
  );
  return stdout.toString("utf8").trim() || null;
}

function buildIndex(packets: Packet[], timeBase: Rational): Omit<KeyframeIndex, "parameterSetsHash"> {
  const byPts = packets.map((packet, decodeIndex) => ({ pts: packet.pts, decodeIndex }));
  byPts.sort((a, b) => a.pts - b.pts);
  const decodeOrder = new Array<number>(packets.length).fill(0);
  byPts.forEach((entry, frame) => {
    decodeOrder[entry.decodeIndex] = frame;
  });

  const keyframes: Keyframe[] = [];
  packets.forEach((packet, decodeIndex) => {
    if (!packet.keyframe) return;
    const frame = decodeOrder[decodeIndex] ?? 0;
    let leadingFrames = 0;
    for (let i = decodeIndex + 1; i < packets.length && packets[i]?.keyframe !== true; i++) {
      if ((decodeOrder[i] ?? 0) < frame) leadingFrames++;
    }
    keyframes.push({ frame, decodeIndex, pts: packet.pts, byteOffset: packet.byteOffset, leadingFrames });
  });
  return {
    frameCount: packets.length,
    timeBase,
    keyframes,
    decodeOrder,
    openGop: keyframes.some((k) => k.leadingFrames > 0),
  };
}
