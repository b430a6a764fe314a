import { rm } from "node:fs/promises";
import path from "node:path";
import { canStreamClip } from "../../src/media/clip-output.ts";
import { runFfmpeg, runFfprobeJson } from "../../src/media/ffmpeg.ts";
import { timecodeAtFrame } from "../../src/media/timecode.ts";
import { type Timed, timedGet } from "../lib/http.ts";
import { loadAverage, machine } from "../lib/machine.ts";
import { type BenchMaster, benchMaster, masterKinds } from "../lib/masters.ts";
import {
  freePort,
  newDataDir,
  removeDataDir,
  type SeededItem,
  seedMasters,
  seedUser,
  startPortal,
  withDatabase,
} from "../lib/portal.ts";
import { type PartReport, runContext } from "../lib/results.ts";
import { settings } from "../lib/settings.ts";
import { max, median, min, ratio, seconds, table, verdict } from "../lib/stats.ts";

const CLIP_SECONDS = 30;
const TARGET_SPEEDUP = 10;
const TARGET_FIRST_BYTE_SECONDS = 0.3;

interface MasterResult {
  master: BenchMaster;
  method: string;
  /** Sent as it is cut (fragmented MP4/MOV, MXF), or finished first. */
  streamed: boolean;
  warmUp: Timed;
  runs: Timed[];
  baselineSeconds: number[];
  copySeconds: number[];
  warm: Timed;
  clipCheck: string;
  inPoints: string[];
}

/**
 * Part 1: a 30 s clip at a non-keyframe IN, in the master's own format, through the real download
 * endpoint of a running portal (cold clip cache: every run asks for another IN), against a full
 * re-encode of the same range with ffmpeg into the same codec and container.
 */
export async function cutsPart(log: (line: string) => void): Promise<PartReport> {
  const started = new Date();
  const loadBefore = loadAverage();
  const masters: BenchMaster[] = [];
  for (const kind of masterKinds) masters.push(await benchMaster(kind, settings.minutes, log));

  const dataDir = await newDataDir("cuts");
  const { token, items } = await withDatabase(dataDir, undefined, async (db) => ({
    token: await seedUser(db),
    items: await seedMasters(db, dataDir, masters),
  }));
  const port = await freePort();
  const portal = await startPortal(dataDir, port);
  log(`portal pid ${portal.pid} on ${portal.url}, data in ${path.relative(process.cwd(), dataDir)}`);
  const results: MasterResult[] = [];
  try {
    for (const item of items) results.push(await measureMaster(item, portal.url, token, dataDir, log));
  } finally {
    await portal.stop();
  }
  await removeDataDir(dataDir);
  return report(results, started, loadBefore);
}

/** Frames where the clips start: spread over the master, never on a keyframe, never twice. */
function inFrames(item: SeededItem, count: number): number[] {
  const rate = item.info.video.frameRate;
  const clipFrames = Math.round((CLIP_SECONDS * rate.num) / rate.den);
  const keyframes = new Set(item.index.keyframes.map((k) => k.frame));
  const room = item.index.frameCount - clipFrames - 60;
  if (room < count * 2)
    throw new Error(`${item.master.label} is too short for ${count} clips of ${CLIP_SECONDS} s`);
  const frames: number[] = [];
  for (let i = 0; i < count; i++) {
    // 37 frames in: inside a GOP of 50 (H.264) and off the GOP of 12 (MPEG-2) grid.
    let frame = 37 + Math.floor(((i + 0.5) / count) * room);
    while (keyframes.has(frame) && !item.info.video.allIntra) frame += 1;
    frames.push(frame);
  }
  return frames;
}

async function measureMaster(
  item: SeededItem,
  baseUrl: string,
  token: string,
  dataDir: string,
  log: (line: string) => void,
): Promise<MasterResult> {
  const { info } = item;
  const rate = info.video.frameRate;
  const clipFrames = Math.round((CLIP_SECONDS * rate.num) / rate.den);
  const frames = inFrames(item, settings.cutRuns + 1);
  const tc = (frame: number) => timecodeAtFrame(info.startTimecode, frame, rate);
  const url = (frame: number) =>
    `${baseUrl}/api/v1/items/${item.id}/download?format=original&in=${encodeURIComponent(tc(frame))}&out=${encodeURIComponent(tc(frame + clipFrames))}`;
  const headers = { authorization: `Bearer ${token}` };
  const get = async (frame: number, saveTo?: string) => {
    const timed = await timedGet(url(frame), { headers, ...(saveTo ? { saveTo } : {}) });
    if (timed.status !== 200) throw new Error(`${url(frame)} answered ${timed.status}`);
    return timed;
  };
  log(
    `${item.master.label}: ${settings.cutRuns} clips of ${CLIP_SECONDS} s at ${frames.slice(1).map(tc).join(", ")}`,
  );

  // The first cut of a master also loads its keyframe index into the portal's memory: not counted.
  const warmUp = await get(frames[0]!);
  log(`  warm-up (loads the keyframe index): ${seconds(warmUp.totalMs / 1000)}`);
  const runs: Timed[] = [];
  const baselineSeconds: number[] = [];
  const copySeconds: number[] = [];
  // Interleaved, so a change in the machine's load hits the portal and the baseline alike.
  for (let i = 0; i < settings.cutRuns; i++) {
    const frame = frames[i + 1]!;
    const timed = await get(frame);
    runs.push(timed);
    log(
      `  clip ${i + 1}: first byte ${seconds(timed.firstByteMs / 1000)}, total ${seconds(timed.totalMs / 1000)}, ${(timed.bytes / 1e6).toFixed(1)} MB`,
    );
    if (i < settings.baselineRuns) {
      const base = await reencode(item, frame, clipFrames, dataDir);
      baselineSeconds.push(base);
      const copy = await streamCopy(item, frame, clipFrames, dataDir);
      copySeconds.push(copy);
      log(`  full re-encode of the same range: ${seconds(base)}; stream copy: ${seconds(copy)}`);
    }
  }
  // The same clip again: served from the clip cache. Saved and probed, to check it is the clip asked for.
  const lastFrame = frames[settings.cutRuns]!;
  const saved = path.join(dataDir, `check-${item.id}`);
  const warm = await get(lastFrame, saved);
  const clipCheck = await checkClip(saved, item, clipFrames);
  await rm(saved, { force: true });
  log(`  cached clip: first byte ${seconds(warm.firstByteMs / 1000, 3)}; ${clipCheck}`);
  return {
    master: item.master,
    method: info.video.allIntra ? "copy (all-intra)" : "smart cut",
    streamed: canStreamClip("original", info),
    warmUp,
    runs,
    baselineSeconds,
    copySeconds,
    warm,
    clipCheck,
    inPoints: frames.slice(1).map(tc),
  };
}

/** The baseline: ffmpeg re-encodes the whole range into the master's codec and container. */
async function reencode(
  item: SeededItem,
  frame: number,
  clipFrames: number,
  dataDir: string,
): Promise<number> {
  const { info } = item;
  const rate = info.video.frameRate;
  const output = path.join(dataDir, `baseline-${item.id}-${frame}`);
  const startedAt = performance.now();
  await runFfmpeg([
    ...["-ss", (info.startSeconds + (frame * rate.den) / rate.num).toFixed(6), "-i", item.master.path],
    ...["-t", String((clipFrames * rate.den) / rate.num)],
    ...["-map", `0:${info.video.streamIndex}`, ...info.audio.flatMap((a) => ["-map", `0:${a.streamIndex}`])],
    ...["-timecode", timecodeAtFrame(info.startTimecode, frame, rate)],
    ...item.master.reencodeArgs,
    output,
  ]);
  const elapsed = (performance.now() - startedAt) / 1000;
  await rm(output, { force: true });
  return elapsed;
}

/** For reference: a plain stream copy of the range (not frame-exact): the floor of any cut. */
async function streamCopy(
  item: SeededItem,
  frame: number,
  clipFrames: number,
  dataDir: string,
): Promise<number> {
  const { info } = item;
  const rate = info.video.frameRate;
  const ext = path.extname(item.master.path);
  const output = path.join(dataDir, `copy-${item.id}-${frame}${ext}`);
  const startedAt = performance.now();
  await runFfmpeg([
    ...["-ss", (info.startSeconds + (frame * rate.den) / rate.num).toFixed(6), "-i", item.master.path],
    ...[
      "-t",
      String((clipFrames * rate.den) / rate.num),
      "-map",
      "0:v:0",
      "-map",
      "0:a",
      "-c",
      "copy",
      output,
    ],
  ]);
  const elapsed = (performance.now() - startedAt) / 1000;
  await rm(output, { force: true });
  return elapsed;
}

async function checkClip(file: string, item: SeededItem, clipFrames: number): Promise<string> {
  const probe = (await runFfprobeJson(["-count_packets", "-show_streams", file])) as {
    streams?: { codec_type?: string; codec_name?: string; nb_read_packets?: string }[];
  };
  const video = probe.streams?.find((s) => s.codec_type === "video");
  const audio = probe.streams?.filter((s) => s.codec_type === "audio") ?? [];
  const packets = Number(video?.nb_read_packets);
  const sameCodec = video?.codec_name === item.info.video.codec;
  const ok = sameCodec && packets === clipFrames && audio.length === item.info.audio.length;
  return `${ok ? "ok" : "UNEXPECTED"}: ${video?.codec_name} ${packets} frames, ${audio.length} audio tracks`;
}

function generation(master: BenchMaster): string {
  const part = (value: number | null) => (value === null ? "?" : `${value.toFixed(0)} s`);
  const when = master.reused ? ", by an earlier run" : "";
  return `60 s segment encoded in ${part(master.segmentSeconds)}, master assembled in ${part(master.generationSeconds)}${when}`;
}

function report(results: MasterResult[], started: Date, loadBefore: string): PartReport {
  const rows = results.map((r) => {
    const ttfb = r.runs.map((t) => t.firstByteMs / 1000);
    const total = r.runs.map((t) => t.totalMs / 1000);
    const base = median(r.baselineSeconds);
    const speedup = base / median(total);
    return [
      r.master.label,
      r.method,
      `${seconds(median(ttfb))} (${seconds(min(ttfb))}–${seconds(max(ttfb))})`,
      median(ttfb) < TARGET_FIRST_BYTE_SECONDS
        ? "met"
        : r.streamed
          ? "**missed**"
          : "not streamed: finished before it is sent",
      `${seconds(median(total))} (${seconds(min(total))}–${seconds(max(total))})`,
      `${seconds(base)} (${r.baselineSeconds.map((s) => s.toFixed(1)).join(", ")})`,
      ratio(base / median(ttfb)),
      ratio(speedup),
      `${verdict(speedup >= TARGET_SPEEDUP)}${speedup >= TARGET_SPEEDUP ? "" : ` (${Math.round((1 - speedup / TARGET_SPEEDUP) * 100)} % short)`}`,
      seconds(median(r.copySeconds)),
      seconds(r.warm.firstByteMs / 1000, 3),
    ];
  });
  const mastersTable = table(
    ["master", "bytes", "generation", "description"],
    results.map((r) => [
      r.master.label,
      `${(r.master.bytes / 1e9).toFixed(2)} GB`,
      generation(r.master),
      r.master.description,
    ]),
  );
  const m = machine();
  const body = `
${runContext(m, started, loadBefore)}

**Masters:** ${results[0]?.master.minutes ?? settings.minutes} minutes each (\`BENCH_MINUTES\`), 1920×1080, 25 fps:

${mastersTable}

**How:** the portal runs as its own process (\`npm start\`: \`dist/server/main.js start\`, embedded database,
local storage) on 127.0.0.1, seeded like ingest leaves an item (probe, keyframe index, master in storage)
and a media user with accepted usage terms and an API token. Each clip is
\`GET /api/v1/items/{id}/download?format=original&in=…&out=…\` (the master's own format), ${CLIP_SECONDS} s, at an
IN off the keyframes, read on a fresh connection to the end; first byte and total are measured by the
client. Every run asks for a different IN, so the clip cache is cold; a first, uncounted cut loads the
master's keyframe index into memory and, like ingest does, leaves the master's clip header, which an MP4 or
MXF clip sends the moment the request is accepted while its head is encoded (\`docs/CLIPS.md\`). Clips
stream as they are cut (MXF with an open header partition that its footer completes); the cached copy
(an MXF's with its header closed) serves the next requests. The baseline, timed in the same run and interleaved with the clips,
is one ffmpeg process re-encoding the same range into the same codec and container (the master's x264
settings for H.264, XDCAM HD422 MPEG-2 50 Mbit/s for MXF, \`prores_ks\` 422 for ProRes; audio as the clip
carries it). A plain stream copy of the range (not frame-exact) is shown as the floor any cut pays.
${settings.cutRuns} clips per master (median, min–max), ${settings.baselineRuns} baseline run(s) per master (median).
Targets: the clip at least ${TARGET_SPEEDUP}× faster than the full re-encode (compared on total time); the
first byte of a streamed clip within ${TARGET_FIRST_BYTE_SECONDS * 1000} ms.

${table(
  [
    "master",
    "clip method",
    "first byte",
    "first byte < 0.3 s",
    "total",
    "full re-encode",
    "speed-up, first byte",
    "speed-up, total",
    `target ≥${TARGET_SPEEDUP}×`,
    "stream copy",
    "first byte, cached clip",
  ],
  rows,
)}

Clip checks (the cached clip, saved and probed): ${results.map((r) => `${r.master.label}: ${r.clipCheck}`).join("; ")}.
First cut of each master, with the keyframe index load: ${results.map((r) => `${r.master.label} ${seconds(r.warmUp.totalMs / 1000)}`).join(", ")}.
`;
  return { id: "cuts", title: "1. Clips: 30 s at a non-keyframe IN vs a full re-encode", body };
}
