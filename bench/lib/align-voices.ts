import { existsSync } from "node:fs";
import { mkdir, rename } from "node:fs/promises";
import path from "node:path";
import { runFfmpeg, runFfprobeJson } from "../../src/media/ffmpeg.ts";
import { ALIGN_DIR } from "./align-compose.ts";
import type { Fixture } from "./align-fixtures.ts";

/**
 * Other voices made from the English fixtures: every frequency scaled by a factor (pitch and
 * formants, as a shorter or longer vocal tract has them: 1.2 for a higher voice, 0.85 for a lower
 * one), the timing unchanged (ffmpeg asetrate, then atempo back), so the references still hold.
 * Made once into .bench-data/align/voices/.
 */
export const VOICE_FACTORS = [0.85, 1.2];

export interface ScaledVoice {
  fixture: Fixture;
  factor: number;
  file: string;
}

/** ffmpeg's filter for a voice scaled by `factor`, its timing kept. */
function scaled(factor: number): string {
  return `asetrate=${16000 * factor},aresample=16000,atempo=${1 / factor}`;
}

/** Makes `file` once, through a partial file renamed when whole (an interrupted run leaves no half file). */
async function madeOnce(file: string, make: (partial: string) => Promise<unknown>): Promise<void> {
  if (existsSync(file)) return;
  await mkdir(path.dirname(file), { recursive: true });
  const partial = `${file}.part.wav`;
  await make(partial);
  await rename(partial, file);
}

export async function scaledVoices(fixtures: Fixture[]): Promise<ScaledVoice[]> {
  const dir = path.join(ALIGN_DIR, "voices");
  const out: ScaledVoice[] = [];
  for (const factor of VOICE_FACTORS) {
    for (const fixture of fixtures.filter((f) => f.hasWords)) {
      const file = path.join(dir, `${fixture.name}-${factor}.wav`);
      await madeOnce(file, (partial) => runFfmpeg(["-i", fixture.file, "-af", scaled(factor), partial]));
      out.push({ fixture, factor, file });
    }
  }
  return out;
}

/** A text of two speakers: one fixture scaled by `factor` ("Journalist") between two as they are ("Minister"). */
export interface TwoSpeakers {
  file: string;
  factor: number;
  parts: { fixture: Fixture; speaker: string; offset: number }[];
}

export async function twoSpeakers(fixtures: Fixture[], factor = 1.2): Promise<TwoSpeakers> {
  const byName = (name: string): Fixture => {
    const found = fixtures.find((f) => f.name === name);
    if (!found) throw new Error(`fixture ${name} missing`);
    return found;
  };
  const [minister, journalist, again] = [
    byName("acoustic_corpus"),
    byName("cold_corpus3"),
    byName("cold_corpus"),
  ];
  const file = path.join(ALIGN_DIR, "voices", `two-speakers-${factor}.wav`);
  await madeOnce(file, (partial) =>
    runFfmpeg([
      ...["-i", minister.file, "-i", journalist.file, "-i", again.file],
      "-filter_complex",
      `[1:a]${scaled(factor)}[b];[0:a][b][2:a]concat=n=3:v=0:a=1[o]`,
      ...["-map", "[o]", partial],
    ]),
  );
  const seconds = async (f: Fixture): Promise<number> => {
    const probe = (await runFfprobeJson(["-show_entries", "format=duration", f.file])) as {
      format: { duration: string };
    };
    return Number(probe.format.duration);
  };
  const first = await seconds(minister);
  const second = first + (await seconds(journalist));
  return {
    file,
    factor,
    parts: [
      { fixture: minister, speaker: "Minister", offset: 0 },
      { fixture: journalist, speaker: "Journalist", offset: first },
      { fixture: again, speaker: "Minister", offset: second },
    ],
  };
}

/** A bilingual event: the French reader, then an English speaker, in one recording. */
export interface Bilingual {
  file: string;
  french: Fixture;
  english: Fixture;
  /** Where the English speech starts: the French clip padded with silence to this. */
  englishAt: number;
}

export async function bilingualRecordings(fixtures: Fixture[]): Promise<Bilingual[]> {
  const french = fixtures.find((f) => f.lang === "fr");
  if (!french) throw new Error("the French fixture is missing");
  const englishAt = 36; // the French clip is 34.1 s
  const out: Bilingual[] = [];
  for (const english of fixtures.filter((f) => f.lang === "en")) {
    const file = path.join(ALIGN_DIR, "voices", `bilingual-${english.name}.wav`);
    await madeOnce(file, (partial) =>
      runFfmpeg([
        ...["-i", french.file, "-i", english.file],
        "-filter_complex",
        `[0:a]aresample=16000,aformat=channel_layouts=mono,apad=whole_dur=${englishAt}[a];` +
          "[1:a]aresample=16000,aformat=channel_layouts=mono[b];[a][b]concat=n=2:v=0:a=1[o]",
        ...["-map", "[o]", partial],
      ]),
    );
    out.push({ file, french, english, englishAt });
  }
  return out;
}
