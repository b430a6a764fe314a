import { type RunOptions, runFfprobeJson } from "../ffmpeg.ts";
import { parseRate } from "../probe.ts";
import type { Rational } from "../timecode.ts";

/**
 * What a received piece carries: its picture's codec and rate, and its sounds' codecs. Read from
 * the stream headers only: a piece starts mid-recording, which the checks a master gets at
 * ingest (media/probe.ts: does the last second decode?) are not made for.
 */
export type PieceStreams = {
  video: { codec: string; frameRate: Rational } | null;
  audio: string[];
  /** A timecode the sender put in the stream, if any. */
  timecode: string | null;
};

type ProbeJson = {
  streams?: {
    codec_type?: string;
    codec_name?: string;
    avg_frame_rate?: string;
    r_frame_rate?: string;
    tags?: { timecode?: string };
  }[];
  format?: { tags?: { timecode?: string } };
};

export async function probePiece(file: string, options: RunOptions = {}): Promise<PieceStreams> {
  const json = (await runFfprobeJson(["-show_streams", "-show_format", file], options)) as ProbeJson;
  const streams = json.streams ?? [];
  const video = streams.find((s) => s.codec_type === "video");
  const rate = parseRate(video?.avg_frame_rate) ?? parseRate(video?.r_frame_rate);
  return {
    video: video?.codec_name && rate ? { codec: video.codec_name, frameRate: rate } : null,
    audio: streams.filter((s) => s.codec_type === "audio").map((s) => s.codec_name ?? "unknown"),
    timecode: video?.tags?.timecode ?? json.format?.tags?.timecode ?? null,
  };
}
