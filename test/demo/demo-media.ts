import { fileURLToPath } from "node:url";
import { runFfmpeg, runFfprobeJson } from "../../src/media/ffmpeg.ts";

/** Generated demo media is cached here between runs (gitignored with the rest of .test-data). */
export const DEMO_CACHE = fileURLToPath(new URL("../../.test-data/demo-cache/", import.meta.url));

export { shortDemo } from "../../src/demo/generate.ts";

export async function probeDuration(file: string): Promise<number> {
  const probe = (await runFfprobeJson(["-show_entries", "format=duration", file])) as {
    format: { duration: string };
  };
  return Number(probe.format.duration);
}

export async function probeTimecode(file: string): Promise<string | undefined> {
  const probe = (await runFfprobeJson(["-show_entries", "stream_tags=timecode", file])) as {
    streams: { tags?: { timecode?: string } }[];
  };
  return probe.streams.find((stream) => stream.tags?.timecode)?.tags?.timecode;
}

/** Where sound starts and stops, as ffmpeg's silencedetect hears it in the encoded file. */
export async function speechBoundaries(file: string): Promise<{ onsets: number[]; ends: number[] }> {
  // Longer than espeak-ng's pauses within a sentence (under 0.3 s), shorter than the gaps between
  // sentences; quieter than where the generator trims each sentence (-46 dBFS), so it hears the same edges.
  const detect = ["-af", "silencedetect=noise=-50dB:d=0.45", "-f", "null", "-"];
  // silencedetect reports at info level, which runFfmpeg's "-v error" would hide.
  const { stderr } = await runFfmpeg(["-v", "info", "-i", file, "-map", "0:a", ...detect]);
  const values = (name: string) =>
    [...stderr.matchAll(new RegExp(`${name}: ([\\d.]+)`, "g"))].map((m) => Number(m[1]));
  return { onsets: values("silence_end"), ends: values("silence_start") };
}

/** The picture's bottom middle, where the timecode is burned in, as grey bytes. */
export async function timecodeArea(file: string, seconds: number): Promise<Buffer> {
  const crop = "crop=640:120:320:580,format=gray";
  const { stdout } = await runFfmpeg([
    "-ss",
    String(seconds),
    "-i",
    file,
    "-frames:v",
    "1",
    "-vf",
    crop,
    "-f",
    "rawvideo",
    "-",
  ]);
  return stdout;
}
