import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { createJobQueue, createQueues, jobQueue } from "../../src/db/jobs.ts";
import { timecodeAtFrame } from "../../src/media/timecode.ts";
import { type Timed, timedGet } from "../lib/http.ts";
import { loadAverage, machine } from "../lib/machine.ts";
import { benchMaster } from "../lib/masters.ts";
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
import { max, median, min, percent, seconds, table, verdict } from "../lib/stats.ts";

const CLIP_SECONDS = 30;
const TARGET_KEPT = 0.7;

type Mode = "alone" | "during" | "normal";
const modes: Mode[] = ["alone", "during", "normal"];
const modeLabels: Record<Mode, string> = {
  alone: "clip alone (the ingest paused)",
  during: "clip during the ingest (background priority)",
  normal: "clip during the ingest at normal priority (as before)",
};

/**
 * Part 5: how much of its speed a clip keeps while the same portal ingests another master. One
 * portal, one run: an H.264 clip is cut again and again while the ingest's ffmpeg is paused
 * (SIGSTOP: the clip alone), running as ingest starts it (nice 10, idle I/O class), and running at
 * normal priority (reniced to 0 for the reference), in turns, so the machine's load hits all three.
 */
export async function backgroundPart(log: (line: string) => void): Promise<PartReport> {
  const started = new Date();
  const loadBefore = loadAverage();
  const master = await benchMaster("h264", settings.minutes, log);
  const dataDir = await newDataDir("background");
  const { token, clip } = await withDatabase(dataDir, undefined, async (db) => {
    const token = await seedUser(db);
    // The same master twice: one item to cut clips from, one to ingest (its previews from nothing).
    const [clip, ingest] = await seedMasters(db, dataDir, [master, master]);
    await db.query("UPDATE media_items SET status = 'uploaded', progress = 0 WHERE id = $1", [ingest!.id]);
    const boss = createJobQueue(db, { leaseSeconds: 60 });
    await boss.start();
    await createQueues(boss);
    await jobQueue(boss, { leaseSeconds: 60 }).enqueue("media.process", ingest!.id);
    await boss.stop({ graceful: false, wait: true });
    return { token, clip: clip! };
  });
  const port = await freePort();
  const portal = await startPortal(dataDir, port);
  const times: Record<Mode, number[]> = { alone: [], during: [], normal: [] };
  let note = "";
  try {
    if (!(await waitFor(() => ingestEncoders(portal.pid).length > 0, 60_000))) {
      throw new Error("the portal did not start the ingest's encode");
    }
    const frames = inFrames(clip, settings.cutRuns * modes.length + 1);
    const cut = clipGetter(clip, portal.url, token);
    await cut(frames.pop()!); // loads the keyframe index: not counted
    for (let i = 0; i < settings.cutRuns; i++) {
      for (const mode of modes) {
        const encoders = ingestEncoders(portal.pid);
        if (encoders.length === 0) {
          note = `The ingest finished after ${i} round(s); later rounds were not run.`;
          break;
        }
        setIngest(encoders, mode);
        const timed = await cut(frames.pop()!);
        setIngest(ingestEncoders(portal.pid), "during");
        times[mode].push(timed.totalMs / 1000);
        log(`  round ${i + 1}, ${modeLabels[mode]}: ${seconds(timed.totalMs / 1000)}`);
      }
      if (note) break;
    }
  } finally {
    await portal.stop();
  }
  await removeDataDir(dataDir);
  return report(times, started, loadBefore, note);
}

/** The ingest's ffmpeg processes: the portal's children started at background priority. */
function ingestEncoders(portalPid: number): number[] {
  const found: number[] = [];
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      const comm = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
      // The parent is the field after the state; ingest's encode is the one writing HLS.
      const cmd = readFileSync(`/proc/${name}/cmdline`, "utf8");
      if (comm === "ffmpeg" && Number(fields[1]) === portalPid && cmd.includes("hls"))
        found.push(Number(name));
    } catch {
      // gone meanwhile
    }
  }
  return found;
}

/** Pauses the ingest, lets it run as ingest started it, or lifts it to normal priority (every thread). */
function setIngest(pids: number[], mode: Mode): void {
  for (const pid of pids) {
    if (mode === "alone") {
      process.kill(pid, "SIGSTOP");
      continue;
    }
    const [nice, io] = mode === "normal" ? ["0", ["-c", "2", "-n", "4"]] : ["10", ["-c", "3"]];
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      spawnSync("renice", ["-n", nice, "-p", tid]);
      spawnSync("ionice", [...io, "-p", tid]);
    }
    process.kill(pid, "SIGCONT");
  }
}

function clipGetter(item: SeededItem, baseUrl: string, token: string) {
  const rate = item.info.video.frameRate;
  const clipFrames = Math.round((CLIP_SECONDS * rate.num) / rate.den);
  const tc = (frame: number) => encodeURIComponent(timecodeAtFrame(item.info.startTimecode, frame, rate));
  return async (frame: number): Promise<Timed> => {
    const url = `${baseUrl}/api/v1/items/${item.id}/download?format=original&in=${tc(frame)}&out=${tc(frame + clipFrames)}`;
    const timed = await timedGet(url, { headers: { authorization: `Bearer ${token}` } });
    if (timed.status !== 200) throw new Error(`${url} answered ${timed.status}`);
    return timed;
  };
}

/** Distinct INs off the keyframes, spread over the master (each clip is cut, none is cached). */
function inFrames(item: SeededItem, count: number): number[] {
  const rate = item.info.video.frameRate;
  const clipFrames = Math.round((CLIP_SECONDS * rate.num) / rate.den);
  const keyframes = new Set(item.index.keyframes.map((k) => k.frame));
  const room = item.index.frameCount - clipFrames - 60;
  const frames: number[] = [];
  for (let i = 0; i < count; i++) {
    let frame = 37 + Math.floor(((i + 0.5) / count) * room);
    while (keyframes.has(frame)) frame += 1;
    frames.push(frame);
  }
  return frames;
}

async function waitFor(check: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return true;
}

function report(times: Record<Mode, number[]>, started: Date, loadBefore: string, note: string): PartReport {
  const alone = median(times.alone);
  const row = (mode: Mode) => {
    const t = times[mode];
    const kept = alone / median(t);
    return [
      modeLabels[mode],
      String(t.length),
      `${seconds(median(t))} (${seconds(min(t))}–${seconds(max(t))})`,
      mode === "alone" ? "100 %" : percent(kept),
      mode === "during" ? verdict(kept >= TARGET_KEPT) : "",
    ];
  };
  const body = `
${runContext(machine(), started, loadBefore)}

**How:** one portal (\`npm start\`: \`dist/server/main.js start\`, embedded database) with two items of the same
${settings.minutes}-minute H.264 1080p master: one ready, to cut ${CLIP_SECONDS} s clips from through
\`GET /api/v1/items/{id}/download?format=original\` (every clip at another IN, so none is cached), and one
queued for ingest, which the portal starts at once (HLS ladder, storyboard and poster from one decode). In
turns, round after round, a clip is cut while the ingest's ffmpeg is paused (SIGSTOP: the clip alone),
while it runs as ingest starts it (\`nice -n 10\`, \`ionice -c 3\`: media/launch.ts), and while it runs at
normal priority (every thread reniced to 0, best-effort I/O: what the portal did before). Speed kept is
the clip's time alone over its time beside the ingest. Target: at least ${percent(TARGET_KEPT)} with the
ingest at background priority.

${table(["clip", "runs", "total, median (min–max)", "speed kept", "target"], modes.map(row))}
${note ? `\n${note}\n` : ""}`;
  return { id: "background", title: "5. A clip during an ingest (background priority)", body };
}
