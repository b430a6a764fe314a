import { createReadStream } from "node:fs";
import { rm } from "node:fs/promises";
import path from "node:path";
import { type RunOptions, runFfmpeg } from "./ffmpeg.ts";
import type { MasterInfo } from "./probe.ts";

/**
 * Peaks in the JSON format of BBC's audiowaveform (what peaks.js and wavesurfer read):
 * `data` alternates the minimum and maximum of each pixel, as signed 8-bit values.
 */
export interface WaveformPeaks {
  version: 2;
  channels: 1;
  sample_rate: number;
  samples_per_pixel: number;
  bits: 8;
  length: number;
  data: number[];
}

// 8 kHz keeps speech's shape; 400 samples a pixel gives 20 pixels a second, fine enough to find a pause.
const SAMPLE_RATE = 8000;
const SAMPLES_PER_PIXEL = 400;

/** Peaks of the first audio track, or null when the master has none. `workDir` holds a temporary PCM file. */
export async function makeWaveform(
  masterPath: string,
  info: MasterInfo,
  workDir: string,
  options: RunOptions = {},
): Promise<WaveformPeaks | null> {
  const track = info.audio[0];
  if (!track) return null;
  // A file rather than a pipe: an hour of PCM would otherwise sit in memory before it is read.
  const pcm = path.join(workDir, "waveform.s16le");
  try {
    await runFfmpeg(
      [
        ...["-i", masterPath, "-map", `0:${track.streamIndex}`, "-vn"],
        ...["-ac", "1", "-ar", String(SAMPLE_RATE), "-c:a", "pcm_s16le", "-f", "s16le", pcm],
      ],
      options,
    );
    return await peaksOf(pcm);
  } finally {
    await rm(pcm, { force: true });
  }
}

async function peaksOf(pcmPath: string): Promise<WaveformPeaks> {
  const data: number[] = [];
  let min = 0;
  let max = 0;
  let inPixel = 0;
  let carry: Buffer | null = null;
  for await (const chunk of createReadStream(pcmPath) as AsyncIterable<Buffer>) {
    const buffer: Buffer = carry ? Buffer.concat([carry, chunk]) : chunk;
    const whole = buffer.length - (buffer.length % 2);
    for (let offset = 0; offset < whole; offset += 2) {
      const sample = buffer.readInt16LE(offset);
      if (sample < min) min = sample;
      if (sample > max) max = sample;
      if (++inPixel === SAMPLES_PER_PIXEL) {
        data.push(min >> 8, max >> 8);
        min = 0;
        max = 0;
        inPixel = 0;
      }
    }
    carry = whole < buffer.length ? buffer.subarray(whole) : null;
  }
  if (inPixel > 0) data.push(min >> 8, max >> 8);
  return {
    version: 2,
    channels: 1,
    sample_rate: SAMPLE_RATE,
    samples_per_pixel: SAMPLES_PER_PIXEL,
    bits: 8,
    length: data.length / 2,
    data,
  };
}
