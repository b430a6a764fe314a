import type { Readable } from "node:stream";
import { CorruptMedia } from "../errors.ts";
import { type FfmpegTools, runFfmpeg, runFfprobeJson, ToolFailed } from "../ffmpeg.ts";
import type { Priority } from "../launch.ts";
import { NoAudio } from "./errors.ts";
import { FeatureCollector, HOP_SECONDS, MfccExtractor } from "./mfcc.ts";

/** The real audio as the aligner needs it: cepstra and levels a frame (10 ms), nothing else. */
export interface RealFeatures {
  frames: number;
  /** frames × 13 cepstra. */
  cepstra: Float32Array;
  /** Level of each frame in dBFS. */
  levels: Float32Array;
  durationSeconds: number;
}

export interface DecodeOptions {
  audioPath: string;
  /** Which audio track, counted among audio tracks only; 0 is the first. */
  audioStream?: number;
  tools?: FfmpegTools;
  priority?: Priority;
  signal?: AbortSignal;
  onProgress?: (fraction: number) => void;
}

const SAMPLE_RATE = 16_000;

interface ProbeJson {
  streams?: { index?: number; duration?: string }[];
  format?: { duration?: string };
}

/** Finds the track and its length; a file without the track is the editor's error, not ours. */
async function probeAudio(options: DecodeOptions): Promise<number> {
  const track = options.audioStream ?? 0;
  const json = (await unreadableAsCorrupt(
    runFfprobeJson(
      ["-show_entries", "stream=index,duration:format=duration", "-select_streams", "a", options.audioPath],
      { tools: options.tools, priority: options.priority, signal: options.signal },
    ),
  )) as ProbeJson;
  const streams = json.streams ?? [];
  const stream = streams[track];
  if (!stream) {
    throw new NoAudio(
      streams.length === 0
        ? "the file has no audio track"
        : `the file has no audio track number ${track + 1}`,
      { tracks: streams.length },
    );
  }
  const duration = Number(stream.duration ?? json.format?.duration);
  return Number.isFinite(duration) && duration > 0 ? duration : 0;
}

/**
 * Decodes the track to 16 kHz mono floats through a pipe and turns it into cepstra as it comes:
 * memory stays that of the features whatever the length of the recording.
 */
export async function decodeFeatures(options: DecodeOptions): Promise<RealFeatures> {
  const expectedSeconds = await probeAudio(options);
  const collector = new FeatureCollector(Math.ceil(expectedSeconds / HOP_SECONDS) + 16);
  const extractor = new MfccExtractor(SAMPLE_RATE, collector);
  const expectedSamples = expectedSeconds * SAMPLE_RATE;
  let samples = 0;
  let lastReport = 0;
  const consume = async (stdout: Readable): Promise<void> => {
    const reader = new FloatChunks();
    for await (const chunk of stdout as AsyncIterable<Buffer>) {
      const floats = reader.push(chunk);
      extractor.push(floats);
      samples += floats.length;
      if (options.onProgress && expectedSamples > 0 && samples - lastReport > SAMPLE_RATE * 30) {
        lastReport = samples;
        options.onProgress(Math.min(1, samples / expectedSamples));
      }
    }
  };
  const track = options.audioStream ?? 0;
  await unreadableAsCorrupt(
    runFfmpeg(
      [
        ...["-i", options.audioPath, "-map", `0:a:${track}`, "-vn", "-sn", "-dn"],
        // Mono at 16 kHz covers speech (to 8 kHz); floats avoid a conversion on our side.
        ...["-ac", "1", "-ar", String(SAMPLE_RATE), "-c:a", "pcm_f32le", "-f", "f32le", "pipe:1"],
      ],
      { tools: options.tools, priority: options.priority, signal: options.signal },
      consume,
    ),
  );
  extractor.flush();
  options.onProgress?.(1);
  return {
    frames: collector.levels.length,
    cepstra: collector.cepstra.toArray(),
    levels: collector.levels.toArray(),
    durationSeconds: samples / SAMPLE_RATE,
  };
}

/**
 * The 32-bit floats of a byte stream that arrives in chunks cut anywhere. Each chunk is copied
 * into one reused buffer (a chunk's offset in its pool need not be a multiple of four), the bytes
 * of a float split between chunks kept at its start. A new copy per chunk left an hour's worth of
 * 64 kB garbage for the collector: 30 MB resident at the end of decoding (docs/ALIGNMENT.md).
 */
export class FloatChunks {
  private scratch = new Uint8Array(1 << 16);
  /** The bytes of a float split between chunks: `carried` bytes from `carryAt` in `scratch`. */
  private carryAt = 0;
  private carried = 0;

  /** The floats this chunk completes: a view, valid until the next call. */
  push(chunk: Uint8Array): Float32Array {
    // The view handed out last time is done with: the split float's bytes move to the front.
    this.scratch.copyWithin(0, this.carryAt, this.carryAt + this.carried);
    const total = this.carried + chunk.length;
    if (total > this.scratch.length) {
      const grown = new Uint8Array(total);
      grown.set(this.scratch.subarray(0, this.carried));
      this.scratch = grown;
    }
    this.scratch.set(chunk, this.carried);
    const whole = total - (total % 4);
    this.carryAt = whole;
    this.carried = total - whole;
    return new Float32Array(this.scratch.buffer, 0, whole / 4);
  }
}

/**
 * ffprobe or ffmpeg refusing the file (not media, truncated, damaged) is about the file the editor
 * gave, so it becomes CorruptMedia, which the portal already words for users; anything else (an
 * abort, a missing ffmpeg) goes through as it is.
 */
async function unreadableAsCorrupt<T>(run: Promise<T>): Promise<T> {
  try {
    return await run;
  } catch (error) {
    if (error instanceof ToolFailed) {
      throw new CorruptMedia("ffmpeg cannot read the audio of the file", { exitCode: error.exitCode ?? -1 });
    }
    throw error;
  }
}
