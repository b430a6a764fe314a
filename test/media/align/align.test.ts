import { mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  alignTranscript,
  InvalidAlignInput,
  NoAudio,
  SilentAudio,
  TextNotMatching,
  TextTooLong,
} from "../../../src/media/align/index.ts";
import { CorruptMedia } from "../../../src/media/errors.ts";
import { runFfmpeg } from "../../../src/media/ffmpeg.ts";
import { childrenOf, isAlive } from "../../helpers/processes.ts";
import {
  ACOUSTIC_SECONDS,
  ANOTHER_SPEECH,
  COLD_SECONDS,
  COLD3_SECONDS,
  cachedMedia,
  concatenate,
  englishFixture,
  FIXTURES,
  frenchFixture,
  median,
  type RefSentence,
  SLOW,
  startErrors,
} from "./fixtures.ts";

// Bounds looser than the bench's targets (bench/RESULTS.md): these must hold on any machine, and
// fail when the aligner breaks, not when it is a little worse. Each is out of reach of the naive
// baseline of the bench (sentences spread over the sound by their length).

let work: string;
beforeAll(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), "align-test-"));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe("alignTranscript on real speech", { timeout: SLOW }, () => {
  it("times French read speech from an AAC file: sentence starts within 250 ms (median)", async () => {
    const fixture = await frenchFixture();
    const progress: number[] = [];
    const result = await alignTranscript({
      audioPath: fixture.file,
      lang: "fr",
      sentences: fixture.sentences.map((s) => ({ text: s.text })),
      onProgress: (f) => progress.push(f),
    });
    const errors = startErrors(result, fixture.sentences);
    // The baseline's median is 440 ms, with 4 of 7 within 500 ms.
    expect(median(errors)).toBeLessThan(0.25);
    expect(errors.filter((e) => e < 0.5).length).toBeGreaterThanOrEqual(6);
    // "Bonjour.", one word: with a decoy that ended on the mirror of the sentence's first sounds,
    // its "Bon" went to the decoy and it started 0.31 s late (levels.ts buildLayout).
    expect(errors[0]).toBeLessThan(0.15);
    expect(result.sentences.filter((s) => s.status === "aligned").length).toBeGreaterThanOrEqual(5);
    expect(progress.at(-1)).toBe(1);
    expect(progress.every((f, i) => i === 0 || f >= progress[i - 1]!)).toBe(true);
  });
});

describe("alignTranscript on a composed recording", { timeout: SLOW }, () => {
  // 3 s of silence, 4 s of tone, the acoustic corpus, 3 s of room noise, cold_corpus3, 2 s of
  // silence, the acoustic corpus again 5 % faster: 1 min 28 s. The text has a heading that was
  // never spoken ("Q&A") and an annotation ("(As delivered)").
  const offsets = {
    first: 7,
    second: 7 + ACOUSTIC_SECONDS + 3,
    third: 7 + ACOUSTIC_SECONDS + 3 + COLD3_SECONDS + 2,
  };
  let composed: string;
  let acoustic: RefSentence[];
  let cold3: RefSentence[];
  let texts: string[];
  beforeAll(async () => {
    acoustic = (await englishFixture("acoustic_corpus")).sentences;
    cold3 = (await englishFixture("cold_corpus3")).sentences;
    texts = [
      "(As delivered)",
      ...acoustic.map((s) => s.text),
      ...cold3.map((s) => s.text),
      "Q&A",
      ...acoustic.map((s) => s.text),
    ];
    composed = await cachedMedia("composed.m4a", { offsets, version: 2 }, (file) =>
      concatenate(file, [
        { input: ["-f", "lavfi", "-i", "anullsrc=r=16000:cl=mono"], seconds: 3 },
        { input: ["-f", "lavfi", "-i", "sine=r=16000:frequency=1000,volume=0.3"], seconds: 4 },
        { input: ["-i", path.join(FIXTURES, "acoustic_corpus.wav")], seconds: ACOUSTIC_SECONDS },
        { input: ["-f", "lavfi", "-i", "anoisesrc=r=16000:seed=3:color=pink:amplitude=0.02"], seconds: 3 },
        { input: ["-i", path.join(FIXTURES, "cold_corpus3.wav")], seconds: COLD3_SECONDS },
        { input: ["-f", "lavfi", "-i", "anullsrc=r=16000:cl=mono"], seconds: 2 },
        {
          input: ["-i", path.join(FIXTURES, "acoustic_corpus.wav")],
          filter: "atempo=1.05",
          seconds: ACOUSTIC_SECONDS / 1.05,
        },
      ]),
    );
  });

  it("skips the silence and tone, flags the lines never spoken, and places the rest", async () => {
    const result = await alignTranscript({
      audioPath: composed,
      lang: "en",
      sentences: texts.map((text) => ({ text })),
    });
    const unspoken = result.sentences.flatMap((s, i) => (s.status === "unspoken" ? [texts[i]] : []));
    expect(unspoken).toContain("(As delivered)");
    expect(unspoken).toContain("Q&A");
    expect(unspoken).toHaveLength(2);
    const heading = result.sentences[texts.indexOf("Q&A")]!;
    expect(heading.start).toBeNull();
    expect(heading.words).toEqual([]);
    const spoken = result.sentences.filter((s) => s.status !== "unspoken");
    // Nothing starts in the leading silence and tone.
    expect(Math.min(...spoken.map((s) => s.start ?? 0))).toBeGreaterThan(6.5);
    const errors = [
      ...startErrors({ ...result, sentences: result.sentences.slice(1) }, acoustic, offsets.first),
      ...startErrors(
        { ...result, sentences: result.sentences.slice(1 + acoustic.length) },
        cold3,
        offsets.second,
      ),
      ...startErrors(
        { ...result, sentences: result.sentences.slice(2 + acoustic.length + cold3.length) },
        acoustic,
        offsets.third,
        1.05,
      ),
    ];
    expect(median(errors)).toBeLessThan(0.3);
    // Seeded noise makes the recording the same on every run. Across noise seeds this share
    // measured from 0.71 to above 0.75 over four seeds; the bench reports the targets.
    expect(errors.filter((e) => e < 0.5).length / errors.length).toBeGreaterThan(0.7);
    // In order, and no two sentences overlap.
    for (let i = 1; i < spoken.length; i++)
      expect(spoken[i]!.start!).toBeGreaterThanOrEqual(spoken[i - 1]!.end! - 0.01);
  });

  it("keeps an editor's anchor and aligns the rest around it", async () => {
    // On cold_corpus3 alone (a quarter of the composed recording's length, the same search): its
    // third sentence anchored 0.6 s after where it is said (the aligner alone places it within
    // 0.1 s of that), the rest placed around it.
    const audioPath = path.join(FIXTURES, "cold_corpus3.wav");
    const anchored = 2;
    const startSeconds = cold3[anchored]!.start + 0.6;
    const result = await alignTranscript({
      audioPath,
      lang: "en",
      sentences: cold3.map((s) => ({ text: s.text })),
      anchors: [{ sentence: anchored, startSeconds }],
    });
    expect(result.sentences[anchored]!.start).toBeCloseTo(startSeconds, 1);
    const after = startErrors(
      { ...result, sentences: result.sentences.slice(anchored + 1) },
      cold3.slice(anchored + 1),
    );
    expect(median(after)).toBeLessThan(0.3);
    const before = result.sentences.slice(0, anchored);
    expect(before.every((s) => s.start !== null && (s.end ?? 0) <= startSeconds + 0.01)).toBe(true);
    expect(median(startErrors(result, cold3.slice(0, anchored)))).toBeLessThan(0.3);
  });

  // The editor typed a start in the pause before "Yeah so that just happened": the sentence was
  // pinned there, then its start moved onto the sound, 0.33 s later, and the typed time was lost.
  it("keeps an anchor typed in the pause before the sentence's sound, to the hundredth", async () => {
    const anchored = 5;
    expect(cold3[anchored]!.text).toMatch(/^Yeah so/);
    const startSeconds = Math.round((cold3[anchored]!.start - 0.3) * 100) / 100;
    const result = await alignTranscript({
      audioPath: path.join(FIXTURES, "cold_corpus3.wav"),
      lang: "en",
      sentences: cold3.map((s) => ({ text: s.text })),
      anchors: [{ sentence: anchored, startSeconds }],
    });
    const sentence = result.sentences[anchored]!;
    expect(sentence.start).toBe(startSeconds);
    expect(sentence.words[0]!.start).toBe(startSeconds);
    expect(sentence.words[0]!.end).toBeGreaterThan(startSeconds);
    expect(sentence.words[1]!.start).toBeGreaterThanOrEqual(sentence.words[0]!.end);
  });
});

describe("alignTranscript after applause", { timeout: SLOW }, () => {
  // 6 s of applause (white noise clapping at 11 Hz, above 300 Hz), then a quiet speaker with a
  // cold. The applause moves like speech; before it was told from speech by its spectrum, the
  // first three sentences started 7.7–11 s early, in the applause.
  it("starts no sentence in the applause, and places the speaker's sentences", async () => {
    const cold = (await englishFixture("cold_corpus")).sentences;
    const applause = 6;
    const file = await cachedMedia("applause.m4a", { applause, version: 1 }, (out) =>
      concatenate(out, [
        {
          input: ["-f", "lavfi", "-i", "anoisesrc=r=16000:seed=5:color=white:amplitude=0.25"],
          filter: "tremolo=f=11:d=0.7,highpass=f=300",
          seconds: applause,
        },
        {
          input: ["-i", path.join(FIXTURES, "cold_corpus.wav")],
          filter: "volume=-3dB",
          seconds: COLD_SECONDS,
        },
      ]),
    );
    const result = await alignTranscript({
      audioPath: file,
      lang: "en",
      sentences: cold.map((s) => ({ text: s.text })),
    });
    const starts = result.sentences.map((s) => s.start);
    expect(starts.every((start) => start !== null && start > applause - 0.3)).toBe(true);
    expect(median(startErrors(result, cold, applause))).toBeLessThan(0.5);
  });
});

describe("alignTranscript tells the editor what is wrong", { timeout: SLOW }, () => {
  it("rejects a video without an audio track with NoAudio", async () => {
    const video = await cachedMedia("no-audio.mp4", { version: 1 }, async (file) => {
      await runFfmpeg([
        "-f",
        "lavfi",
        "-i",
        "testsrc2=size=160x90:rate=10:duration=2",
        "-c:v",
        "libx264",
        file,
      ]);
    });
    await expect(
      alignTranscript({ audioPath: video, lang: "en", sentences: [{ text: "Hello." }] }),
    ).rejects.toBeInstanceOf(NoAudio);
  });

  it("rejects a track of silence with SilentAudio", async () => {
    const silence = await cachedMedia("silence.m4a", { version: 1 }, async (file) => {
      await runFfmpeg(["-f", "lavfi", "-i", "anullsrc=r=16000:cl=mono", "-t", "8", "-c:a", "aac", file]);
    });
    const error = await alignTranscript({
      audioPath: silence,
      lang: "en",
      sentences: [{ text: "Hello there." }],
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SilentAudio);
    expect((error as SilentAudio).code).toBe("SilentAudio");
  });

  it("rejects the text of another speech with TextNotMatching", async () => {
    const fixture = await englishFixture("acoustic_corpus");
    await expect(
      alignTranscript({
        audioPath: fixture.file,
        lang: "en",
        sentences: ANOTHER_SPEECH.map((text) => ({ text })),
      }),
    ).rejects.toBeInstanceOf(TextNotMatching);
  });

  it("rejects a French text on English speech with TextNotMatching", async () => {
    const french = await frenchFixture();
    await expect(
      alignTranscript({
        audioPath: path.join(FIXTURES, "cold_corpus.wav"),
        lang: "fr",
        sentences: french.sentences.map((s) => ({ text: s.text })),
      }),
    ).rejects.toBeInstanceOf(TextNotMatching);
  });

  it("rejects an empty text, one with nothing to say, and anchors out of range or out of order", async () => {
    const audioPath = path.join(FIXTURES, "acoustic_corpus.wav");
    await expect(alignTranscript({ audioPath, lang: "en", sentences: [] })).rejects.toBeInstanceOf(
      InvalidAlignInput,
    );
    await expect(
      alignTranscript({ audioPath, lang: "en", sentences: [{ text: "— …" }, { text: "(As delivered)" }] }),
    ).rejects.toBeInstanceOf(InvalidAlignInput);
    const sentences = [{ text: "One sentence." }, { text: "Another one." }];
    await expect(
      alignTranscript({ audioPath, lang: "en", sentences, anchors: [{ sentence: 2, startSeconds: 1 }] }),
    ).rejects.toBeInstanceOf(InvalidAlignInput);
    await expect(
      alignTranscript({
        audioPath,
        lang: "en",
        sentences,
        anchors: [
          { sentence: 0, startSeconds: 5 },
          { sentence: 1, startSeconds: 2 },
        ],
      }),
    ).rejects.toBeInstanceOf(InvalidAlignInput);
    await expect(
      alignTranscript({ audioPath, lang: "en", sentences, anchors: [{ sentence: 1, startSeconds: 600 }] }),
    ).rejects.toBeInstanceOf(InvalidAlignInput);
  });

  it("rejects a 2 MB paste at once, and a text far longer than the speech, with TextTooLong", async () => {
    const audioPath = path.join(FIXTURES, "acoustic_corpus.wav");
    const paste = "The minister spoke about the budget for a long time. ".repeat(40_000);
    const tempDir = await mkdtemp(path.join(work, "paste-"));
    const huge = await alignTranscript({
      audioPath,
      lang: "en",
      sentences: [{ text: paste }],
      tempDir,
    }).catch((e: unknown) => e);
    expect(huge).toBeInstanceOf(TextTooLong);
    expect((huge as TextTooLong).params?.chars).toBe(paste.length);
    // Refused before anything ran: not even the temporary folder was made.
    expect(await readdir(tempDir)).toEqual([]);
    // The recording's text a hundred times: about 25 minutes as espeak-ng says it, against 27 s
    // of audio. Once the audio's speech is measured, the text stops being spoken as soon as it is
    // three times as long: it is refused without saying the rest.
    const fixture = await englishFixture("acoustic_corpus");
    const hundredTimes = Array.from({ length: 100 }, () =>
      fixture.sentences.map((s) => ({ text: s.text })),
    ).flat();
    const long = await alignTranscript({ audioPath, lang: "en", sentences: hundredTimes }).catch(
      (e: unknown) => e,
    );
    expect(long).toBeInstanceOf(TextTooLong);
    const { textSeconds, speechSeconds } = (long as TextTooLong).params as Record<string, number>;
    expect(textSeconds).toBeGreaterThan(3 * speechSeconds!);
    expect(textSeconds).toBeLessThan(600);
  });

  it("rejects a file ffmpeg cannot read with CorruptMedia", async () => {
    const file = path.join(work, "not-audio.m4a");
    await writeFile(file, "This is a transcript saved under the wrong name, not audio.\n");
    await expect(
      alignTranscript({ audioPath: file, lang: "en", sentences: [{ text: "Hello." }] }),
    ).rejects.toBeInstanceOf(CorruptMedia);
  });
});

describe("alignTranscript when aborted", { timeout: SLOW }, () => {
  it("rejects with the signal's reason, and leaves no child process and no temporary file", async () => {
    const fixture = await frenchFixture();
    const tempDir = await mkdtemp(path.join(work, "abort-"));
    const controller = new AbortController();
    const reason = new Error("editor left");
    // Aborted from inside the work, at its first progress report: no timer races it.
    const outcome = alignTranscript({
      audioPath: fixture.file,
      lang: "fr",
      sentences: fixture.sentences.map((s) => ({ text: s.text })),
      tempDir,
      signal: controller.signal,
      onProgress: () => controller.abort(reason),
    }).catch((e: unknown) => e);
    expect(await outcome).toBe(reason);
    expect(await readdir(tempDir)).toEqual([]);
    expect(childProcesses()).toEqual([]);
  });

  it("does not start when the signal is already aborted", async () => {
    const controller = new AbortController();
    controller.abort(new Error("too late"));
    const fixture = await frenchFixture();
    const error = await alignTranscript({
      audioPath: fixture.file,
      lang: "fr",
      sentences: fixture.sentences.map((s) => ({ text: s.text })),
      signal: controller.signal,
    }).catch((e: unknown) => e);
    expect((error as Error).message).toBe("too late");
  });
});

/** ffmpeg, ffprobe or espeak-ng processes still running whose parent is this process. */
function childProcesses(): string[] {
  return childrenOf(process.pid)
    .filter((p) => isAlive(p.pid) && /ffmpeg|ffprobe|espeak/.test(p.comm))
    .map((p) => p.comm);
}
