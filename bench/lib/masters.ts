import { existsSync } from "node:fs";
import { mkdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { runFfmpeg } from "../../src/media/ffmpeg.ts";
import { MASTERS_DIR } from "./settings.ts";

/**
 * Broadcast-like 1080p/1080i 25 fps masters, made once into `.bench-data/masters/`. A 60-second
 * segment is encoded for real (testsrc2 with the frame number drawn on it), then the master is that
 * segment repeated by stream copy (every segment starts on a keyframe, 60 s is a whole number of
 * GOPs), with its audio tracks generated for the full length. Repeating keeps generation to a
 * couple of minutes per kind on two cores; a cut, a download and a re-encode see the same codec,
 * GOP structure, bit rate and file size as a master encoded in one go.
 */

export type MasterKind = "h264" | "xdcam" | "prores";

export interface BenchMaster {
  kind: MasterKind;
  label: string;
  path: string;
  bytes: number;
  minutes: number;
  /** Wall time spent assembling it from its segment (null when no record was kept). */
  generationSeconds: number | null;
  /** Wall time spent encoding the 60 s segment it repeats (null when no record was kept). */
  segmentSeconds: number | null;
  /** Generated now, or found from an earlier run. */
  reused: boolean;
  /** Encoder arguments of a full re-encode into the same codec and container (the baseline). */
  reencodeArgs: string[];
  /** One line describing the master, for RESULTS.md. */
  description: string;
}

// Bump when a recipe changes, so masters made by an old recipe are not reused.
const RECIPE_VERSION = 1;
const SEGMENT_SECONDS = 60;
const FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf";

function picture(seconds: number, extra = ""): string {
  const source = `testsrc2=size=1920x1080:rate=25:duration=${seconds}`;
  const text = existsSync(FONT)
    ? `,drawtext=fontfile=${FONT}:text='%{frame_num}':fontsize=135:fontcolor=white:box=1:boxcolor=black:x=20:y=20`
    : "";
  return `${source}${text}${extra}`;
}

/** One 1 kHz source split into `tracks` mono tracks, for the whole master. */
function audio(seconds: number, tracks: number): { input: string[]; maps: string[] } {
  const labels = Array.from({ length: tracks }, (_, i) => `[a${i}]`);
  return {
    input: ["-f", "lavfi", "-i", `sine=frequency=1000:sample_rate=48000:duration=${seconds}`],
    maps: [
      "-filter_complex",
      `[1:a]volume=0.25,asplit=${tracks}${labels.join("")}`,
      ...labels.flatMap((label) => ["-map", label]),
    ],
  };
}

const X264 = [
  ...["-c:v", "libx264", "-preset", "faster", "-crf", "18", "-pix_fmt", "yuv420p"],
  ...["-g", "50", "-keyint_min", "50", "-sc_threshold", "0", "-bf", "3"],
];
const XDCAM = [
  ...["-c:v", "mpeg2video", "-pix_fmt", "yuv422p", "-profile:v", "0", "-level:v", "2"],
  ...["-b:v", "50M", "-minrate", "50M", "-maxrate", "50M", "-bufsize", "17825792"],
  ...["-rc_init_occupancy", "17825792", "-g", "12", "-bf", "2"],
  ...["-flags", "+ilme+ildct", "-top", "1", "-field_order", "tt"],
  ...["-intra_vlc", "1", "-non_linear_quant", "1", "-qmax", "28", "-dc", "10"],
];
const PRORES_KS = ["-c:v", "prores_ks", "-profile:v", "2", "-pix_fmt", "yuv422p10le", "-vendor", "apl0"];

interface Recipe {
  label: string;
  ext: string;
  description: string;
  segment: string[];
  /** Audio codec arguments and track count of the master. */
  audioCodec: string[];
  tracks: number;
  container: string[];
  timecode: string;
  reencodeArgs: string[];
}

const recipes: Record<MasterKind, Recipe> = {
  h264: {
    label: "H.264 long-GOP MP4",
    ext: "mp4",
    description:
      "H.264 High 1920×1080p25, x264 `faster` CRF 18, GOP 50 (2 s) closed, 3 B-frames; 2 mono AAC 192k tracks; MP4, timecode 01:00:00:00",
    segment: ["-f", "lavfi", "-i", picture(SEGMENT_SECONDS), ...X264],
    audioCodec: ["-c:a", "aac", "-b:a", "192k"],
    tracks: 2,
    container: ["-movflags", "+faststart", "-f", "mp4"],
    timecode: "01:00:00:00",
    // x264 with the master's own settings, and the audio as our mp4 clips carry it.
    reencodeArgs: [...X264, "-c:a", "aac", "-b:a", "128k", "-movflags", "+faststart", "-f", "mp4"],
  },
  xdcam: {
    label: "MPEG-2 422 long-GOP MXF",
    ext: "mxf",
    description:
      "XDCAM HD422-like MPEG-2 4:2:2 50 Mbit/s CBR 1920×1080i25 TFF, GOP 12 open, 2 B-frames; 4 mono PCM 24-bit tracks; MXF OP1a, timecode 10:00:00:00",
    segment: ["-f", "lavfi", "-i", picture(SEGMENT_SECONDS, ",setfield=tff"), ...XDCAM],
    audioCodec: ["-c:a", "pcm_s24le"],
    tracks: 4,
    container: ["-f", "mxf"],
    timecode: "10:00:00:00",
    reencodeArgs: [...XDCAM, "-c:a", "pcm_s24le", "-ar", "48000", "-f", "mxf"],
  },
  prores: {
    label: "ProRes 422 MOV",
    ext: "mov",
    description:
      "ProRes 422 (all-intra) 1920×1080p25 10-bit; 2 mono PCM 24-bit tracks; MOV, timecode 10:00:00:00",
    // The faster of ffmpeg's two ProRes encoders: the master only has to be ProRes 422.
    segment: ["-f", "lavfi", "-i", picture(SEGMENT_SECONDS), "-c:v", "prores", "-profile:v", "2"],
    audioCodec: ["-c:a", "pcm_s24le"],
    tracks: 2,
    container: ["-f", "mov"],
    timecode: "10:00:00:00",
    reencodeArgs: [...PRORES_KS, "-c:a", "pcm_s24le", "-ar", "48000", "-movflags", "+faststart", "-f", "mov"],
  },
};

export const masterKinds: MasterKind[] = ["h264", "xdcam", "prores"];

/** The master of `kind` at `minutes` long, generated now if no earlier run left it. */
export async function benchMaster(
  kind: MasterKind,
  minutes: number,
  log: (line: string) => void,
): Promise<BenchMaster> {
  const recipe = recipes[kind];
  await mkdir(MASTERS_DIR, { recursive: true });
  const name = `${kind}-${minutes}min-v${RECIPE_VERSION}`;
  const file = path.join(MASTERS_DIR, `${name}.${recipe.ext}`);
  const record = path.join(MASTERS_DIR, `${name}.json`);
  let generationSeconds: number | null = null;
  let reused = true;
  if (!existsSync(file)) {
    reused = false;
    log(`generating ${recipe.label}, ${minutes} min, into ${path.relative(process.cwd(), file)} …`);
    const started = performance.now();
    const segment = await makeSegment(kind, recipe);
    const seconds = minutes * 60;
    const list = `${file}.list.txt`;
    const temporary = `${file}.partial.${recipe.ext}`;
    const line = `file '${segment.replace(/'/g, "'\\''")}'\n`;
    await writeFile(list, line.repeat(Math.ceil(seconds / SEGMENT_SECONDS)));
    const sound = audio(seconds, recipe.tracks);
    try {
      await runFfmpeg([
        ...["-f", "concat", "-safe", "0", "-i", list],
        ...sound.input,
        ...["-map", "0:v", ...sound.maps],
        ...["-c:v", "copy", ...recipe.audioCodec, "-t", String(seconds)],
        ...["-timecode", recipe.timecode, ...recipe.container, temporary],
      ]);
      await rename(temporary, file);
    } finally {
      await rm(temporary, { force: true });
      await rm(list, { force: true });
    }
    generationSeconds = (performance.now() - started) / 1000;
    await writeFile(record, JSON.stringify({ generationSeconds, madeAt: new Date().toISOString() }));
    log(`  done in ${generationSeconds.toFixed(0)} s`);
  } else if (existsSync(record)) {
    const saved = JSON.parse(await readFile(record, "utf8")) as { generationSeconds?: number };
    generationSeconds = saved.generationSeconds ?? null;
  }
  const segmentRecord = `${segmentFile(kind, recipe)}.json`;
  const segmentSeconds = existsSync(segmentRecord)
    ? ((JSON.parse(await readFile(segmentRecord, "utf8")) as { seconds?: number }).seconds ?? null)
    : null;
  return {
    kind,
    segmentSeconds,
    label: recipe.label,
    path: file,
    bytes: (await stat(file)).size,
    minutes,
    generationSeconds,
    reused,
    reencodeArgs: recipe.reencodeArgs,
    description: recipe.description,
  };
}

/** The 60-second segment every length of this kind is made of; its encode time counts in the first master made. */
function segmentFile(kind: MasterKind, recipe: Recipe): string {
  return path.join(MASTERS_DIR, "segments", `${kind}-${SEGMENT_SECONDS}s-v${RECIPE_VERSION}.${recipe.ext}`);
}

async function makeSegment(kind: MasterKind, recipe: Recipe): Promise<string> {
  const file = segmentFile(kind, recipe);
  if (existsSync(file)) return file;
  await mkdir(path.dirname(file), { recursive: true });
  const temporary = `${file}.partial.${recipe.ext}`;
  try {
    const started = performance.now();
    await runFfmpeg([...recipe.segment, "-an", "-f", recipe.ext, temporary]);
    await rename(temporary, file);
    await writeFile(`${file}.json`, JSON.stringify({ seconds: (performance.now() - started) / 1000 }));
  } finally {
    await rm(temporary, { force: true });
  }
  return file;
}
