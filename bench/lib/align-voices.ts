import { existsSync } from "node:fs";
import { mkdir, rename, rm } from "node:fs/promises";
import path from "node:path";
import { runFfmpeg } from "../../src/media/ffmpeg.ts";
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

export async function scaledVoices(fixtures: Fixture[]): Promise<ScaledVoice[]> {
  const dir = path.join(ALIGN_DIR, "voices");
  await mkdir(dir, { recursive: true });
  const out: ScaledVoice[] = [];
  for (const factor of VOICE_FACTORS) {
    for (const fixture of fixtures.filter((f) => f.hasWords)) {
      const file = path.join(dir, `${fixture.name}-${factor}.wav`);
      if (!existsSync(file)) {
        const partial = `${file}.part.wav`;
        await runFfmpeg([
          "-i",
          fixture.file,
          "-af",
          `asetrate=${16000 * factor},aresample=16000,atempo=${1 / factor}`,
          partial,
        ]);
        await rename(partial, file);
        await rm(partial, { force: true });
      }
      out.push({ fixture, factor, file });
    }
  }
  return out;
}
