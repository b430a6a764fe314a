import { spawn } from "node:child_process";
import path from "node:path";
import { parseArgs } from "node:util";
import pino from "pino";
import { findItem, setItemPublished } from "../catalogue/item-store.ts";
import { openLiveStreams } from "../catalogue/live-store.ts";
import { itemPath } from "../catalogue/urls.ts";
import type { Config } from "../core/config.ts";
import type { FeatureDeps, OpenServices } from "../core/deps.ts";
import { dataDirHolder } from "../db/data-dir-lock.ts";
import { inPortalOrHere } from "../ingest/cli-command.ts";
import type { InboxCommands } from "../ingest/inbox.ts";
import { createLiveItem } from "../ingest/live/streams.ts";
import { launchLine } from "../media/launch.ts";
import { DemoCommandError } from "./command.ts";
import { demoEvents } from "./content.ts";
import { shortDemo } from "./generate.ts";
import { loadDemoContent } from "./load.ts";

/**
 * `demo:live`: a demo press conference sent to the running portal as a live stream (issue 12),
 * so that someone trying Pressroom sees a live item, its player and clips within a minute of
 * `npm start`. The portal makes (once) a live item in the demo's first event and answers with its
 * key; this process then plays the demo's press conference to the portal's RTMP listener as a
 * venue's encoder would, in real time and looped, by stream copy (almost no CPU), until Ctrl-C.
 */

export const demoLiveUsage = "demo:live [--short] [--media-dir DIR]";

const demoEvent = demoEvents[0]!;
const PRESS_CONFERENCE = "fm-press-conference";
const LIVE_TITLE = {
  en: "Live: press conference by the Secretary General (demo stream)",
  fr: "En direct : conférence de presse de la secrétaire générale (flux de démonstration)",
};

type DemoLiveRequest = { short: boolean; mediaDir?: string };

/** What the portal answers: the item, where to send, and the demo video to send. */
export type DemoLive = { id: number; page: string; rtmp: string; video: string; created: boolean };

/** The portal's side (its inbox): the demo loaded if need be, then the live item found or made. */
export function demoLiveInboxCommands(deps: FeatureDeps): InboxCommands {
  return { "demo:live": (payload) => demoLiveItem(deps, payload as DemoLiveRequest) };
}

export async function demoLiveItem(deps: FeatureDeps, request: DemoLiveRequest): Promise<DemoLive> {
  const { config, db } = deps;
  if (config.live.rtmpPort === null) {
    throw new DemoCommandError(
      "The portal's RTMP listener is off (LIVE_RTMP_PORT=off): demo:live sends to it.",
    );
  }
  // Idempotent: a demo already loaded is left as it is; its media is reused from the cache.
  const loaded = await loadDemoContent(deps, {
    events: [demoEvent],
    ...(request.mediaDir ? { mediaDir: request.mediaDir } : {}),
    ...(request.short ? { generate: shortDemo } : {}),
  });
  const eventId = loaded.events[0]!.id;
  const video = loaded.media.videos[PRESS_CONFERENCE];
  if (!video) throw new Error(`demo media "${PRESS_CONFERENCE}" was not generated`);
  let id: number | null = null;
  for (const stream of await openLiveStreams(db)) {
    const item = await findItem(db, stream.itemId);
    if (item?.eventId === eventId && item.title.en === LIVE_TITLE.en) id = item.id;
  }
  const created = id === null;
  if (id === null) {
    const now = deps.now();
    const item = await createLiveItem(
      deps,
      {
        event: demoEvent.slug,
        kind: "press-conference",
        title: LIVE_TITLE,
        description: {
          en: "The demo's press conference, sent to the portal as a live stream by `npm run cli -- demo:live`.",
          fr: "La conférence de presse de la démonstration, envoyée au portail en direct par `npm run cli -- demo:live`.",
        },
        recordedAt: now,
      },
      now,
    );
    // Published at once: a media user (or a visitor) sees it live.
    await setItemPublished(db, item.id, true, now);
    id = item.id;
  }
  return {
    id,
    page: `${config.publicUrl}${itemPath("en", id)}`,
    rtmp: `rtmp://${localHost(config.live.bindHost)}:${config.live.rtmpPort}/live/${await keyOf(deps, id)}`,
    video: path.join(loaded.media.dir, video.file),
    created,
  };
}

async function keyOf(deps: FeatureDeps, itemId: number): Promise<string> {
  const stream = (await openLiveStreams(deps.db)).find((s) => s.itemId === itemId);
  if (!stream) throw new Error(`live ${itemId} has no stream`);
  return stream.key;
}

/** The listener's address as seen from this machine: a wildcard bind is reached on loopback. */
function localHost(bindHost: string): string {
  if (bindHost === "0.0.0.0" || bindHost === "::" || bindHost === "") return "127.0.0.1";
  return bindHost.includes(":") ? `[${bindHost}]` : bindHost;
}

/**
 * The command: prints the item (one JSON line on stdout), then sends until Ctrl-C, starting the
 * sender again if the stream breaks (the portal restarted), as an encoder reconnects.
 */
export async function runDemoLive(config: Config, args: string[], openServices: OpenServices): Promise<void> {
  const request = readArgs(args);
  if (!config.databaseUrl && dataDirHolder(config.dataDir) === null) {
    throw new DemoCommandError(
      "demo:live sends a stream to the running portal, which receives it: start the portal (npm start), " +
        "then run this command in another terminal.",
    );
  }
  const live = await inPortalOrHere<DemoLive>(
    config,
    { command: "demo:live", payload: request },
    async () => {
      // PostgreSQL: this process makes the item; a portal started elsewhere receives the stream.
      const { deps, close } = await openServices(config, pino({ level: "warn" }, pino.destination(2)));
      try {
        return await demoLiveItem(deps, request);
      } finally {
        await close();
      }
    },
  );
  console.log(JSON.stringify({ id: live.id, page: live.page, created: live.created }));
  console.error(`Sending the demo press conference live to the portal; watch it at ${live.page}`);
  console.error(
    "Ctrl-C to stop (the live ends by itself once the sender has been gone for LIVE_SENDER_GONE_SECONDS).",
  );
  await sendUntilStopped(config, live);
}

// A sender that fails this soon, this many times in a row, is refused (or nobody listens).
const QUICK_FAILURE_MS = 10_000;
const QUICK_FAILURES = 3;
const RETRY_MS = 2000;

async function sendUntilStopped(config: Config, live: DemoLive): Promise<void> {
  let stopping = false;
  let stop = () => {};
  const onSignal = () => {
    stopping = true;
    stop();
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  try {
    let quickFailures = 0;
    while (!stopping) {
      const began = Date.now();
      const sender = send(config, live);
      stop = sender.stop;
      const { code, lastLine } = await sender.done;
      if (stopping) break;
      quickFailures = Date.now() - began < QUICK_FAILURE_MS ? quickFailures + 1 : 0;
      if (quickFailures >= QUICK_FAILURES) {
        throw new DemoCommandError(
          `The portal did not take the stream (ffmpeg: ${lastLine || `exit code ${code}`}). ` +
            "Is it running, and is no other sender using this live? Its log says why a stream is refused.",
        );
      }
      console.error(`The stream stopped (${lastLine || `exit code ${code}`}); sending again.`);
      await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
    }
    console.error("Stopped sending.");
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
}

/** ffmpeg as the venue's encoder: the file in real time, looped, copied as it is into FLV. */
export function demoSenderArgs(video: string, rtmp: string): string[] {
  return [
    ...["-hide_banner", "-nostdin", "-v", "error", "-re", "-stream_loop", "-1", "-i", video],
    // Picture and sound, as an encoder sends (not the file's timecode track).
    ...["-map", "0:v:0", "-map", "0:a:0?", "-c", "copy", "-f", "flv", rtmp],
  ];
}

function send(
  config: Config,
  live: DemoLive,
): { done: Promise<{ code: number | null; lastLine: string }>; stop(): void } {
  const line = launchLine(config.ffmpeg.ffmpeg, demoSenderArgs(live.video, live.rtmp));
  const child = spawn(line.file, line.args, { stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr.setEncoding("utf8");
  child.stderr.on("data", (chunk: string) => {
    stderr = (stderr + chunk).slice(-4096);
  });
  const done = new Promise<{ code: number | null; lastLine: string }>((resolve) => {
    child.on("error", (error) => resolve({ code: null, lastLine: error.message }));
    child.on("close", (code) => resolve({ code, lastLine: stderr.trim().split("\n").at(-1)?.trim() ?? "" }));
  });
  return { done, stop: () => child.kill("SIGINT") };
}

function readArgs(args: string[]): DemoLiveRequest {
  try {
    const { values } = parseArgs({
      args,
      options: { short: { type: "boolean", default: false }, "media-dir": { type: "string" } },
    });
    const mediaDir = values["media-dir"];
    return { short: values.short === true, ...(mediaDir ? { mediaDir: path.resolve(mediaDir) } : {}) };
  } catch (error) {
    throw new DemoCommandError(`${(error as Error).message}\nUsage: ${demoLiveUsage}`);
  }
}
