import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { FfmpegTools } from "../media/ffmpeg.ts";
import { readManifest, recipeHash, withDirLock, writeAtomically, writeManifest } from "./cache.ts";
import type { DemoEvent, DemoPhoto, DemoVideo } from "./content/types.ts";
import { demoEvents, organisation } from "./content.ts";
import { shortenTurns, synthesiseTurns, type TimedSentence } from "./speech.ts";
import { demoFont, fontAvailable, renderVideoMaster, videoFormat } from "./video.ts";
import { writeWav } from "./wav.ts";
import { toWebVtt } from "./webvtt.ts";

export type GeneratedVideo = {
  key: string;
  recipe: string;
  files: string[];
  file: string;
  /** The WebVTT transcript beside the video; null for B-roll. */
  transcriptFile: string | null;
  durationSeconds: number;
  sentences: TimedSentence[];
  burnedInTimecode: boolean;
};

export type GeneratedPhoto = { key: string; recipe: string; files: string[]; file: string };

export type DemoMedia = {
  dir: string;
  videos: Record<string, GeneratedVideo>;
  photos: Record<string, GeneratedPhoto>;
};

export type GenerateOptions = {
  events?: DemoEvent[];
  /** Only the first n sentences of each turn: a short version, for tests. */
  sentencesPerTurn?: number;
  /** B-roll length; the content's own when unset. */
  brollSeconds?: number;
  tools?: FfmpegTools;
  espeak?: string;
  font?: string;
  log?: { info(obj: object, msg?: string): void; warn(obj: object, msg?: string): void };
};

/** A short demo, seconds of video: one sentence a turn still has every speaker and the Q&A's shape. */
export const shortDemo = { sentencesPerTurn: 1, brollSeconds: 4 } as const;

/**
 * Makes the demo's videos (test pattern, burned-in timecode, espeak-ng speech whose sentence
 * times are the transcript) and photos into `dir`, reusing whatever a previous run completed.
 */
export async function generateDemoMedia(dir: string, options: GenerateOptions = {}): Promise<DemoMedia> {
  await mkdir(dir, { recursive: true });
  return withDirLock(dir, () => generateAll(dir, options));
}

async function generateAll(dir: string, options: GenerateOptions): Promise<DemoMedia> {
  const font = fontAvailable(options.font) ? (options.font ?? demoFont) : null;
  if (!font)
    options.log?.warn(
      { font: options.font ?? demoFont },
      "No font for drawtext: demo media without burned-in text",
    );
  const media: DemoMedia = { dir, videos: {}, photos: {} };
  // Captions and speech are scratch files; a private folder keeps their paths free of characters filters would need escaped.
  const work = await mkdtemp(path.join(os.tmpdir(), "pressroom-demo-"));
  try {
    for (const event of options.events ?? demoEvents) {
      for (const item of event.items) {
        if (item.mediaType === "video")
          media.videos[item.key] = await video(item, { ...options, dir, work, drawFont: font });
        else media.photos[item.key] = await photo(item, { ...options, dir, work, drawFont: font });
      }
    }
  } finally {
    await rm(work, { recursive: true, force: true });
  }
  return media;
}

type Context = GenerateOptions & { dir: string; work: string; drawFont: string | null };

async function video(item: DemoVideo, context: Context): Promise<GeneratedVideo> {
  const turns = shortenTurns(item.turns, context.sentencesPerTurn);
  const seconds = context.brollSeconds ?? item.seconds ?? 20;
  const recipe = recipeHash({ item, turns, seconds: turns.length ? null : seconds, font: context.drawFont });
  const existing = await readManifest<GeneratedVideo>(context.dir, item.key, recipe);
  if (existing) return existing;
  const started = Date.now();
  const file = `${item.key}.mp4`;
  const speech =
    turns.length > 0
      ? await synthesiseTurns(turns, {
          frameRate: videoFormat.frameRate,
          ...(context.espeak ? { espeak: context.espeak } : {}),
        })
      : null;
  const wavPath = speech ? path.join(context.work, `${item.key}.wav`) : null;
  if (speech && wavPath) await writeFile(wavPath, writeWav(speech.pcm));
  const captionFile = await caption(
    context.work,
    item.key,
    `${organisation.name.en.toUpperCase()} - DEMO\n${item.title.en}`,
    52,
  );
  const durationSeconds = speech?.durationSeconds ?? seconds;
  await writeAtomically(path.join(context.dir, file), (output) =>
    renderVideoMaster(
      { seconds: durationSeconds, wavPath, captionFile, font: context.drawFont, output },
      toolOptions(context),
    ),
  );
  const transcriptFile = speech ? `${item.key}.vtt` : null;
  if (speech && transcriptFile) {
    await writeAtomically(path.join(context.dir, transcriptFile), (output) =>
      writeFile(output, toWebVtt(speech.sentences)),
    );
  }
  const manifest: GeneratedVideo = {
    key: item.key,
    recipe,
    files: transcriptFile ? [file, transcriptFile] : [file],
    file,
    transcriptFile,
    durationSeconds,
    sentences: speech?.sentences ?? [],
    burnedInTimecode: context.drawFont !== null,
  };
  await writeManifest(context.dir, item.key, manifest);
  context.log?.info({ key: item.key, durationSeconds, ms: Date.now() - started }, "Demo video generated");
  return manifest;
}

async function photo(item: DemoPhoto, context: Context): Promise<GeneratedPhoto> {
  const recipe = recipeHash({ item, font: context.drawFont, credit: organisation.credit });
  const existing = await readManifest<GeneratedPhoto>(context.dir, item.key, recipe);
  if (existing) return existing;
  const file = `${item.key}.jpg`;
  const titleFile = await caption(context.work, `${item.key}.title`, item.title.en, 30);
  const captionFile = await caption(context.work, item.key, item.description.en, 62);
  const plain = path.join(context.work, `${item.key}.plain.jpg`);
  const input = { colours: item.colours, titleFile, captionFile, font: context.drawFont, output: plain };
  // Loaded here, not at start: sharp costs the web process ~13 MB of memory it rarely needs.
  const { renderPhoto, writePhotoMetadata } = await import("./photo.ts");
  await renderPhoto(input, toolOptions(context));
  const credit = `${organisation.credit} / ${item.photographer}`;
  await writeAtomically(path.join(context.dir, file), (output) =>
    writePhotoMetadata(plain, output, { title: item.title, caption: item.description, credit }),
  );
  const manifest: GeneratedPhoto = { key: item.key, recipe, files: [file], file };
  await writeManifest(context.dir, item.key, manifest);
  return manifest;
}

/** The caption, wrapped to lines of at most `width` characters, in a file drawtext can read. */
async function caption(work: string, key: string, text: string, width: number): Promise<string> {
  const lines = text.split("\n").flatMap((paragraph) => wrap(paragraph, width));
  const file = path.join(work, `${key}.caption.txt`);
  await writeFile(file, lines.join("\n"));
  return file;
}

function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(/\s+/)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  return line ? [...lines, line] : lines;
}

function toolOptions(context: Context): { tools?: FfmpegTools } {
  return context.tools ? { tools: context.tools } : {};
}
