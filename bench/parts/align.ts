import { spawn } from "node:child_process";
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { ALIGN_NODE_FLAGS, type AlignResult, alignChildEnv } from "../../src/media/align/index.ts";
import type { ChildAnswer } from "../lib/align-child.ts";
import { ALIGN_DIR, composeLong } from "../lib/align-compose.ts";
import { loadFixtures } from "../lib/align-fixtures.ts";
import {
  type Placement,
  poolScores,
  proportionalBaseline,
  type Reference,
  referenceOf,
  type Scores,
  score,
  summary,
} from "../lib/align-metrics.ts";
import { scaledVoices, twoSpeakers, VOICE_FACTORS } from "../lib/align-voices.ts";
import { loadAverage, machine } from "../lib/machine.ts";
import { type PartReport, runContext } from "../lib/results.ts";
import { ROOT } from "../lib/settings.ts";
import { mb, ms, percent, ratio, table, verdict } from "../lib/stats.ts";
import { measureBilingual } from "./align-bilingual.ts";

/**
 * Part 6: transcript alignment (src/media/align) on the real recordings of shared/alignment and on
 * a long recording composed from them, against a naive baseline measured in the same run.
 */
export interface Recording {
  name: string;
  file: string;
  lang: "en" | "fr";
  seconds: number;
  texts: string[];
  reference: Reference;
  /** Overrides of the aligner's tuning (the voice as espeak-ng speaks it, for the voices' table). */
  tuning?: { voiceWarp: number };
  /** Per sentence, its speaker (the two-speaker recording). */
  speakers?: string[];
  /** Per sentence, the language it is said in (a bilingual text), when not `lang`. */
  langs?: ("en" | "fr")[];
}

/** One speaker of the two-speaker recording, in one of the SPEAKER_MODES. */
interface SpeakerMeasured {
  speaker: string;
  /** How the voice was set: a scale per named speaker, found in the audio, or as espeak-ng speaks. */
  mode: SpeakerMode;
  scores: Scores;
  /** The scale their sentences were spoken at. */
  warp: number;
}

type SpeakerMode = "named" | "questions" | "unnamed" | "plain";

const SPEAKER_MODES: Record<SpeakerMode, string> = {
  named: "a scale per speaker (chosen)",
  questions: "each journalist's sentence another journalist's question",
  unnamed: "no speaker lines: scales found in the audio",
  plain: "as espeak-ng speaks it",
};

/** One scaled voice (bench/lib/align-voices.ts) aligned with the voice fitted or as espeak-ng speaks it. */
interface VoiceMeasured {
  factor: number;
  fitted: boolean;
  scores: Scores;
  refused: boolean;
  warp: number | null;
}

interface Measured {
  recording: Recording;
  aligner: Scores;
  baseline: Scores;
  answer: ChildAnswer;
}

const CHILD = path.join(ROOT, "bench", "lib", "align-child.ts");
const TARGETS = {
  sentenceP90: 0.25,
  sentenceWithin500: 0.95,
  wordMedian: 0.03,
  wordP90: 0.1,
  longWithin500: 0.9,
  speed: 60,
};
const MEMORY_BUDGET = 300 * 1024 * 1024;

function alignMinutes(): number {
  const raw = process.env.BENCH_ALIGN_MINUTES?.trim();
  const value = raw ? Number(raw) : 45;
  if (!Number.isInteger(value) || value < 20 || value > 120) {
    throw new Error(`BENCH_ALIGN_MINUTES must be a whole number from 20 to 120, got "${raw}"`);
  }
  return value;
}

export async function alignPart(log: (line: string) => void): Promise<PartReport> {
  const started = new Date();
  const loadBefore = loadAverage();
  const minutes = alignMinutes();
  const fixtures = await loadFixtures();
  const composed = await composeLong(fixtures, minutes, log);
  const recordings: Recording[] = [
    ...fixtures.map((f) => ({
      name: f.name,
      file: f.file,
      lang: f.lang,
      seconds: 0,
      texts: f.sentences.map((s) => s.text),
      reference: referenceOf(f.sentences),
    })),
    {
      name: `composed, ${composed.durationSeconds >= 600 ? Math.round(composed.durationSeconds / 60) : (composed.durationSeconds / 60).toFixed(1)} min`,
      file: composed.file,
      lang: composed.lang,
      seconds: composed.durationSeconds,
      texts: composed.sentences.map((s) => s.text),
      reference: referenceOf(composed.sentences),
    },
  ];
  const jobs = path.join(ALIGN_DIR, "jobs");
  await mkdir(jobs, { recursive: true });
  const measured: Measured[] = [];
  const voices: VoiceMeasured[] = [];
  const byspeaker: SpeakerMeasured[] = [];
  let bilingual = "";
  try {
    for (const recording of recordings) {
      const answer = await alignInChild(recording, jobs);
      if (!answer.result) throw new Error(`${recording.name}: the aligner failed with ${answer.error}`);
      recording.seconds = answer.result.durationSeconds;
      const baseline = await proportionalBaseline(
        recording.file,
        recording.texts.map((text) => ({ text })),
      );
      const m = {
        recording,
        aligner: score(placementOf(answer.result), recording.reference),
        baseline: score(baseline, recording.reference),
        answer,
      };
      measured.push(m);
      const s = summary(m.aligner.sentenceErrors);
      log(
        `${recording.name}: ${answer.seconds.toFixed(1)} s (${ratio(recording.seconds / answer.seconds, 0)} real time), ` +
          `peak ${mb(answer.peakBytes)}; sentence starts median ${ms(s.median * 1000, 0)}, ` +
          `${percent(s.within500)} within 500 ms (baseline ${percent(summary(m.baseline.sentenceErrors).within500)})`,
      );
    }
    for (const voice of await scaledVoices(fixtures)) {
      for (const fitted of [true, false]) {
        const recording: Recording = {
          name: `${voice.fixture.name} ×${voice.factor}${fitted ? "" : " plain"}`,
          file: voice.file,
          lang: voice.fixture.lang,
          seconds: 0,
          texts: voice.fixture.sentences.map((s) => s.text),
          reference: referenceOf(voice.fixture.sentences),
          ...(fitted ? {} : { tuning: { voiceWarp: 1 } }),
        };
        const answer = await alignInChild(recording, jobs);
        // A recording refused as another text's (TextNotMatching) has every sentence missed.
        const placement: Placement = answer.result
          ? placementOf(answer.result)
          : { sentences: recording.texts.map(() => null), unsure: recording.texts.map(() => false) };
        voices.push({
          factor: voice.factor,
          fitted,
          scores: score(placement, recording.reference),
          refused: answer.result === null,
          warp: answer.result?.voiceWarp ?? null,
        });
        log(
          `${recording.name}: ${answer.result ? `voice scaled ${answer.result.voiceWarp}` : `refused (${answer.error})`}`,
        );
      }
    }
    const two = await twoSpeakers(fixtures);
    const speakers = two.parts.flatMap((p) => p.fixture.sentences.map(() => p.speaker));
    const reference: Reference = {
      sentences: two.parts.flatMap((p) => referenceOf(p.fixture.sentences, p.offset).sentences),
    };
    // A Q&A's journalists each asking one question: too little speech each for a scale of their own.
    const questions = speakers.map((name, i) => (name === "Journalist" ? `Q (outlet ${i})` : name));
    for (const mode of ["named", "questions", "unnamed", "plain"] as const) {
      const recording: Recording = {
        name: `two speakers, journalist ×${two.factor} ${mode}`,
        file: two.file,
        lang: "en",
        seconds: 0,
        texts: two.parts.flatMap((p) => p.fixture.sentences.map((s) => s.text)),
        reference,
        ...(mode === "unnamed" ? {} : { speakers: mode === "questions" ? questions : speakers }),
        ...(mode === "plain" ? { tuning: { voiceWarp: 1 } } : {}),
      };
      const answer = await alignInChild(recording, jobs);
      if (!answer.result) throw new Error(`${recording.name}: the aligner failed with ${answer.error}`);
      const placement = placementOf(answer.result);
      for (const speaker of ["Journalist", "Minister"]) {
        const mine = speakers.flatMap((name, i) => (name === speaker ? [i] : []));
        // The scale their sentences were spoken at: their own, that of the stretch of the audio
        // found in another voice, or the recording's.
        const stretch = answer.result.otherVoices.find((v) => v.sentences.includes(mine[0] ?? -1));
        byspeaker.push({
          speaker,
          mode,
          scores: score(
            {
              sentences: mine.map((i) => placement.sentences[i] ?? null),
              unsure: mine.map((i) => placement.unsure[i] ?? false),
            },
            { sentences: mine.map((i) => reference.sentences[i]!) },
          ),
          warp: answer.result.speakerWarps[speaker] ?? stretch?.warp ?? answer.result.voiceWarp,
        });
      }
      log(
        `${recording.name}: scales ${JSON.stringify(answer.result.speakerWarps)}, other voices ${JSON.stringify(answer.result.otherVoices)}`,
      );
    }
    bilingual = await measureBilingual(fixtures, (r) => alignInChild(r, jobs), placementOf, log);
  } finally {
    await rm(jobs, { recursive: true, force: true });
  }
  return {
    id: "align",
    title: "6. Transcript alignment: sentence and word times",
    body:
      report(measured, started, loadBefore, composed.description) +
      voicesReport(voices) +
      speakersReport(byspeaker) +
      bilingual,
  };
}

async function alignInChild(recording: Recording, jobs: string): Promise<ChildAnswer> {
  const job = path.join(jobs, `${recording.name.replace(/\W+/g, "-")}.json`);
  const out = `${job}.out`;
  await writeFile(
    job,
    JSON.stringify({
      audioPath: recording.file,
      lang: recording.lang,
      sentences: recording.texts.map((text, i) => ({
        text,
        speaker: recording.speakers?.[i] ?? null,
        lang: recording.langs?.[i],
      })),
      tuning: recording.tuning,
    }),
  );
  await new Promise<void>((resolve, reject) => {
    // The environment the portal gives its aligner (src/media/align/in-child.ts).
    const child = spawn(process.execPath, [...ALIGN_NODE_FLAGS, "--import", "tsx", CHILD, job, out], {
      cwd: ROOT,
      env: alignChildEnv(),
      stdio: ["ignore", "inherit", "inherit"],
    });
    child.on("error", reject);
    child.on("exit", (code) =>
      code === 0 ? resolve() : reject(new Error(`align child exited with ${code}`)),
    );
  });
  return JSON.parse(await readFile(out, "utf8")) as ChildAnswer;
}

function placementOf(result: AlignResult): Placement {
  return {
    sentences: result.sentences.map((s) =>
      s.status === "unspoken" || s.start === null
        ? null
        : { start: s.start, words: s.words.map((w) => w.start) },
    ),
    unsure: result.sentences.map((s) => s.status === "unsure"),
  };
}

function pooled(list: Measured[], side: "aligner" | "baseline"): Scores {
  return poolScores(list.map((m) => m[side]));
}

function accuracyRows(name: string, aligner: Scores, baseline: Scores): string[][] {
  const row = (who: string, s: Scores): string[] => {
    const sentences = summary(s.sentenceErrors);
    const words = s.wordErrors.length > 0 ? summary(s.wordErrors) : null;
    return [
      who === "aligner" ? name : "",
      who,
      String(s.sentenceErrors.length),
      ms(sentences.median * 1000, 0),
      ms(sentences.p90 * 1000, 0),
      percent(sentences.within250),
      percent(sentences.within500),
      words ? String(s.wordErrors.length) : "—",
      words ? ms(words.median * 1000, 0) : "—",
      words ? ms(words.p90 * 1000, 0) : "—",
    ];
  };
  return [row("aligner", aligner), row("baseline", baseline)];
}

function report(measured: Measured[], started: Date, loadBefore: string, description: string): string {
  const fixtures = measured.slice(0, -1);
  const long = measured.at(-1)!;
  const fixturesAligner = pooled(fixtures, "aligner");
  const fixturesBaseline = pooled(fixtures, "baseline");
  const rows = [
    ...fixtures.flatMap((m) => accuracyRows(m.recording.name, m.aligner, m.baseline)),
    ...accuracyRows("**fixtures, pooled**", fixturesAligner, fixturesBaseline),
    ...accuracyRows(`**${long.recording.name}**`, long.aligner, long.baseline),
  ];
  const f = summary(fixturesAligner.sentenceErrors);
  const fw = summary(fixturesAligner.wordErrors);
  const l = summary(long.aligner.sentenceErrors);
  const speed = long.recording.seconds / long.answer.seconds;
  const otherRows = measured.map((m) => [
    m.recording.name,
    `${(m.recording.seconds / 60).toFixed(1)} min`,
    `${m.answer.seconds.toFixed(1)} s`,
    `${((m.answer.seconds / m.recording.seconds) * 60).toFixed(2)} s`,
    ratio(m.recording.seconds / m.answer.seconds, 0),
    mb(m.answer.peakBytes),
    mb(m.answer.idleBytes),
    `${m.aligner.unspokenFlagged} of ${m.aligner.unspokenLines}${m.aligner.unspokenUnsure > 0 ? ` (${m.aligner.unspokenUnsure} more unsure)` : ""}`,
    `${m.aligner.spokenUnsure} unsure, ${m.aligner.spokenMissed} unspoken`,
  ]);
  const targets = [
    [
      `fixtures: sentence starts p90 ≤ ${ms(TARGETS.sentenceP90 * 1000, 0)}`,
      ms(f.p90 * 1000, 0),
      verdict(f.p90 <= TARGETS.sentenceP90),
    ],
    [
      `fixtures: sentence starts within 500 ms ≥ ${percent(TARGETS.sentenceWithin500)}`,
      // One decimal: a share just under its target must not read as the target.
      percent(f.within500, 1),
      verdict(f.within500 >= TARGETS.sentenceWithin500),
    ],
    [
      `fixtures: word starts median ≤ ${ms(TARGETS.wordMedian * 1000, 0)}`,
      ms(fw.median * 1000, 0),
      verdict(fw.median <= TARGETS.wordMedian),
    ],
    [
      `fixtures: word starts p90 ≤ ${ms(TARGETS.wordP90 * 1000, 0)}`,
      ms(fw.p90 * 1000, 0),
      verdict(fw.p90 <= TARGETS.wordP90),
    ],
    [
      `long: spoken sentences within 500 ms ≥ ${percent(TARGETS.longWithin500)}`,
      percent(l.within500, 1),
      verdict(l.within500 >= TARGETS.longWithin500),
    ],
    [
      "long: lines never spoken flagged unspoken, not stretched",
      `${long.aligner.unspokenFlagged} of ${long.aligner.unspokenLines}`,
      verdict(long.aligner.unspokenFlagged === long.aligner.unspokenLines),
    ],
    [`long: speed ≥ ${TARGETS.speed}× real time`, ratio(speed, 0), verdict(speed >= TARGETS.speed)],
    [
      "peak memory of the aligning process well under 300 MB",
      mb(Math.max(...measured.map((m) => m.answer.peakBytes))),
      verdict(Math.max(...measured.map((m) => m.answer.peakBytes)) < 0.8 * MEMORY_BUDGET),
    ],
  ];
  return `
${runContext(machine(), started, loadBefore)}

**How:** each recording is aligned by \`alignTranscript\` (src/media/align) in its own process
(\`bench/lib/align-child.ts\`, \`node --import tsx\`), which reports its wall time and its peak resident memory
(VmHWM of \`/proc/self/status\`: not getrusage, which Linux carries over from the forking parent). The baseline, computed in the same run on the same files, spreads
the sentences over the stretches \`ffmpeg -af silencedetect=noise=-35dB:d=0.3\` does not call silence, in
proportion to their length in characters (words likewise inside each sentence); it never reports a line
unspoken. Errors are |reported start − reference start|; a spoken sentence reported unspoken counts as a
miss (60 s). References and the "sentences" of the English fixtures (their transcripts have no punctuation)
are defined in \`bench/lib/align-fixtures.ts\`: the .lab's words, fillers ("uh", "um") left out as a press
office's text leaves them out, cut where the reference shows ≥ 0.4 s without a word (a sentence of fewer than
three words joins the one before); words start where the MFA TextGrid says. French: the seven lines of
ej-fra.txt, starting at the end of the silence before them (\`silencedetect=noise=-40dB:d=0.08\`; 1.54 s,
the level's dip, for the sentence said right after "Bonjour."). The long recording is built once into
\`.bench-data/align/\` (\`bench/lib/align-compose.ts\`): ${description}; the clips repeat, sped up or slowed
(atempo 0.92–1.08), louder or quieter, some over room noise; between them music, silence, noise,
applause-like noise, a tone, English clips played backwards (speech not in the text) and the French clip
(an interpreter); the text has the clips' sentences with a word changed here and there and lines never
spoken (headings, annotations, a greeting, boilerplate). Length: \`BENCH_ALIGN_MINUTES\` (default 45).

${table(
  [
    "recording",
    "",
    "sentences",
    "start error median",
    "p90",
    "≤ 250 ms",
    "≤ 500 ms",
    "words",
    "word error median",
    "p90",
  ],
  rows,
)}

${table(["recording", "length", "aligner time", "per minute of audio", "speed", "peak memory", "idle process", "lines never spoken: flagged", "spoken sentences"], otherRows)}

"Idle process" is the child's peak before it starts aligning (Node, tsx and the code loaded): the aligner's
own share is the difference.

${table(["target", "measured", "verdict"], targets)}
`;
}

function voicesReport(voices: VoiceMeasured[]): string {
  const rows = VOICE_FACTORS.flatMap((factor) =>
    [true, false].map((fitted) => {
      const list = voices.filter((v) => v.factor === factor && v.fitted === fitted);
      const sentences = list.flatMap((v) => v.scores.sentenceErrors);
      const words = list.flatMap((v) => v.scores.wordErrors);
      const w = words.length > 0 ? summary(words) : null;
      return [
        fitted ? `×${factor}` : "",
        fitted ? "fitted (chosen per recording)" : "as espeak-ng speaks it",
        `${sentences.filter((e) => e <= 0.5).length} of ${sentences.length}`,
        w ? `${words.length}` : "—",
        w ? ms(w.median * 1000, 0) : "—",
        w ? ms(w.p90 * 1000, 0) : "—",
        String(words.filter((e) => e > 0.1).length),
        `${list.filter((v) => v.refused).length} of ${list.length}`,
        fitted ? list.map((v) => (v.warp === null ? "—" : String(v.warp))).join(", ") : "1",
      ];
    }),
  );
  return `
**Other voices.** The three English fixtures with every frequency scaled (pitch and formants, as a shorter or
longer vocal tract has them), timing unchanged (\`asetrate\` then \`atempo\`, \`bench/lib/align-voices.ts\`),
aligned with the voice's frequency scale chosen for each recording (\`src/media/align/warp.ts\`) and with
the voice as espeak-ng speaks it (\`voiceWarp: 1\`). A recording refused as another text's ("the text does
not fit the audio") counts all its sentences and words as missed (60 s).

${table(
  [
    "voice",
    "synthetic voice",
    "sentences within 500 ms",
    "words",
    "word error median",
    "p90",
    "words over 100 ms",
    "refused",
    "scale used",
  ],
  rows,
)}
`;
}

function speakersReport(list: SpeakerMeasured[]): string {
  const rows = list.map((m) => {
    const w = m.scores.wordErrors.length > 0 ? summary(m.scores.wordErrors) : null;
    const sentences = m.scores.sentenceErrors;
    return [
      m.speaker,
      SPEAKER_MODES[m.mode],
      `${sentences.filter((e) => e <= 0.5).length} of ${sentences.length}`,
      w ? ms(w.median * 1000, 0) : "—",
      w ? ms(w.p90 * 1000, 0) : "—",
      `${m.scores.wordErrors.filter((e) => e > 0.1).length} of ${m.scores.wordErrors.length}`,
      String(m.warp),
    ];
  });
  return `
**Two speakers in one text.** \`acoustic_corpus\` as it is ("Minister"), \`cold_corpus3\` with its
frequencies scaled by 1.2 ("Journalist"), \`cold_corpus\` as it is ("Minister"), one after the other; every
sentence in the text with its speaker (\`bench/lib/align-voices.ts\`, \`src/media/align/speakers.ts\`); or
each of the journalist's sentences a question of another journalist ("Q (outlet n)", too little speech each
for a scale of their own), or the same text with no speaker lines (\`src/media/align/stretches.ts\`).

${table(
  [
    "speaker",
    "synthetic voice",
    "sentences within 500 ms",
    "word error median",
    "p90",
    "words over 100 ms",
    "scale used",
  ],
  rows,
)}
`;
}
