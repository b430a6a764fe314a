import { writeFile } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findItem } from "../../src/catalogue/item-store.ts";
import { findLiveStream, livePieces } from "../../src/catalogue/live-store.ts";
import { livePrefix } from "../../src/catalogue/storage-keys.ts";
import { type LiveReceiver, startLiveReceiver } from "../../src/ingest/live/receiver.ts";
import { runFfprobeJson } from "../../src/media/ffmpeg.ts";
import { probeMaster } from "../../src/media/probe.ts";
import { createEvent, sessionCookie } from "../catalogue/fixtures.ts";
import { startTestApp, type TestApp } from "../helpers/app.ts";
import { type Fetched, httpGet } from "../helpers/http-get.ts";
import { frameCodesOf, h264Master, type TestMaster } from "../helpers/media.ts";
import { waitUntil } from "../helpers/processes.ts";
import { freeTcpPort, freeUdpPorts, sendLive } from "../ingest/live-sender.ts";
import { decodePictures, lumaFrames, psnr } from "../media/clip-check.ts";
import { mediaUser } from "./fixtures.ts";

const SLOW = 240_000;
const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);

/**
 * Frame-exact clips of a live item while it is being received (issue 12): a coded 25 fps stream
 * sent in real time over SRT by ffmpeg playing the venue's encoder; clips taken from the pieces
 * received, then compared with the same clips cut from the master the recording becomes.
 */
describe("clips of a live item, while it is live", { timeout: SLOW }, () => {
  let t: TestApp;
  let receiver: LiveReceiver;
  let source: TestMaster;
  let itemId: number;
  let srt: string;
  let media: string;
  let base: string;
  let sending: Promise<{ code: number | null; stderr: string }>;
  let sent = false;
  const clips = new Map<string, string>();

  // Frames 55-129: IN in the second piece (frames 50-99: the join starts there, 50 frames into
  // the recording), a re-encoded head up to the keyframe at 100, copied frames 100-129.
  const IN = 55;
  const OUT = 130;
  // The test clock says 09:00 UTC when the first frame arrives: the recording's timecode.
  const tc = (frame: number) =>
    `09:00:${String(Math.floor(frame / 25)).padStart(2, "0")}:${String(frame % 25).padStart(2, "0")}`;

  function get(url: string, headers: Record<string, string> = {}): Promise<Fetched> {
    return httpGet(`${base}${url}`, { cookie: media, ...headers });
  }

  async function saved(name: string, body: Buffer): Promise<string> {
    const file = path.join(t.dataDir, name);
    await writeFile(file, body);
    clips.set(name, file);
    return file;
  }

  const clipUrl = (format: string, query: string) =>
    `/api/v1/items/${itemId}/download?format=${format}&${query}`;
  const received = async () => (await livePieces(t.db, itemId)).reduce((s, p) => s + p.durationSeconds, 0);

  beforeAll(async () => {
    const rtmpPort = await freeTcpPort();
    const srtPort = await freeUdpPorts(1);
    t = await startTestApp(
      {
        LIVE_SRT_PORT: String(srtPort),
        LIVE_SRT_PORTS: "1",
        LIVE_RTMP_PORT: String(rtmpPort),
        LIVE_HOST: "127.0.0.1",
      },
      { work: true },
    );
    receiver = await startLiveReceiver(t.deps);
    const editor = await sessionCookie(t, "editor");
    // Long enough that the clips "while it is still being sent" are asked for before the end even
    // when the "live.headers" job waits behind other work: at 16 s a full suite once got there late.
    // 640×360: what is tested (frames, joins, timecodes) does not depend on the size, and the
    // master the live becomes is processed within the test (at 720p its HLS ladder took 20 s more).
    source = await h264Master({ seconds: 28, frameCode: true });
    await createEvent(t.db, { slug: "live-clips" });
    const res = await t.app.inject({
      method: "POST",
      url: "/api/v1/items",
      payload: { event: "live-clips", type: "video", live: true, title: { en: "Press conference, live" } },
      headers: { cookie: editor },
    });
    expect(res.statusCode, res.body).toBe(201);
    itemId = res.json().id;
    srt = res.json().live.srt.replace("pressroom.test", "127.0.0.1");
    await receiver.sync();
    media = await mediaUser(t, "live-clips@x.example");
    await t.app.listen({ port: 0, host: "127.0.0.1" });
    base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await receiver?.close();
    await t?.close();
  });

  it("refuses a clip of a draft live to media users, as for a recording", async () => {
    // Published before its encoder sends: it says the live has not started, not "being processed".
    await t.db.query("UPDATE media_items SET published_at = $2 WHERE id = $1", [itemId, t.clock.now()]);
    const early = await get(clipUrl("mp4", "last=10"));
    expect(early.status).toBe(409);
    expect(JSON.parse(early.body.toString()).error.code).toBe("live_waiting");
    await t.db.query("UPDATE media_items SET published_at = NULL WHERE id = $1", [itemId]);
    sending = sendLive(source.path, srt, "mpegts").finally(() => {
      sent = true;
    });
    expect(await waitUntil(async () => (await livePieces(t.db, itemId)).length >= 1, 30_000)).toBe(true);
    const draft = await get(clipUrl("mp4", "in=0&out=1"));
    expect(draft.status).toBe(404);
    await t.db.query("UPDATE media_items SET published_at = $2 WHERE id = $1", [itemId, t.clock.now()]);
  });

  it("cuts a frame-exact clip from what has been received, while it is still being sent", async () => {
    // The piece holding OUT's last frame (frames 100-149) is stored.
    expect(await waitUntil(async () => (await received()) >= 6, 30_000)).toBe(true);
    // The connection's clip headers were made from its first piece ("live.headers").
    const headersKey = `items/${itemId}/clip-headers/`;
    const headersMade = async () =>
      (
        await t.db.query(
          "SELECT 1 FROM pgboss.job WHERE name = 'live.headers' AND data->>'id' = $1 AND state = 'completed'",
          [`${itemId}-1`],
        )
      ).length > 0;
    expect(await waitUntil(headersMade, 60_000)).toBe(true);
    const prepared = await Promise.all(
      (await t.deps.storage.list(headersKey)).map(async (key) => {
        const chunks: Buffer[] = [];
        for await (const chunk of await t.deps.storage.read(key)) chunks.push(chunk as Buffer);
        return Buffer.concat(chunks);
      }),
    );
    const outReceivedAt = performance.now();
    const res = await get(clipUrl("mp4", `in=${tc(IN)}&out=${tc(OUT)}`));
    expect(res.status, res.body.toString()).toBe(200);
    expect(sent).toBe(false);
    expect((await findLiveStream(t.db, itemId))?.state).toBe("live");
    // Bench figure (issue 12 asks ≤ 1 s), printed, not asserted.
    console.log(
      `first live clip: OUT received to first byte ${Math.round(res.firstByteAt - outReceivedAt)} ms`,
    );
    // Even the connection's first clip starts with a header made ahead, sent before any frame is cut.
    expect(prepared.map((header) => res.body.subarray(0, header.length).equals(header))).toContain(true);
    const file = await saved("live.mp4", res.body);
    expect(await frameCodesOf(file)).toEqual(range(IN, OUT));
    expect((await probeMaster(file)).startTimecode).toBe(tc(IN));
    // Recorded as the recording's frames.
    const [row] = await t.db.query<{ in_frame: number; out_frame: number }>(
      "SELECT in_frame, out_frame FROM downloads WHERE media_item_id = $1",
      [itemId],
    );
    expect([row?.in_frame, row?.out_frame]).toEqual([IN, OUT]);

    const wav = await get(clipUrl("wav", `in=${IN / 25}&out=${OUT / 25}`));
    expect(wav.status).toBe(200);
    expect(await soundSeconds(await saved("live.wav", wav.body))).toBeCloseTo((OUT - IN) / 25, 2);

    // The last 2 s up to the live edge, asked for as soon as a new piece is listed.
    const listed = (await livePieces(t.db, itemId)).length;
    await waitUntil(async () => (await livePieces(t.db, itemId)).length > listed, 10_000);
    const edgeAt = performance.now();
    const last = await get(clipUrl("mp4", "last=2"));
    console.log(
      `live clip of the last 2 s: OUT received to first byte ${Math.round(last.firstByteAt - edgeAt)} ms`,
    );
    expect(last.status, last.body.toString()).toBe(200);
    const codes = await frameCodesOf(await saved("last.mp4", last.body));
    expect(codes).toHaveLength(50);
    expect(codes).toEqual(range(codes[0]!, codes[0]! + 50));
    expect(codes[0]).toBeGreaterThanOrEqual(100);
    // The sound received ends a few frames before the picture: the clip's still lasts as long.
    const lastSound = await get(clipUrl("wav", "last=2"));
    expect(lastSound.status, lastSound.body.toString()).toBe(200);
    expect(await soundSeconds(await saved("last.wav", lastSound.body))).toBeCloseTo(2, 2);
  });

  it("offers the last 30 s and IN/OUT on the recording's clock in the item page's download panel", async () => {
    const page = await get(`/fr/items/${itemId}`);
    expect(page.status).toBe(200);
    const body = page.body.toString();
    expect(body).toContain(`href="/api/v1/items/${itemId}/download?format=mp4&amp;last=30"`);
    expect(body).toContain("Les 30 dernières secondes (MP4)");
    expect(body).toContain(`action="/api/v1/items/${itemId}/download"`);
    expect(body).toContain("à partir de 09:00:00:00");
  });

  it("says how much has been received when OUT is beyond it, in the user's language", async () => {
    const res = await get(clipUrl("mp4", `in=${tc(IN)}&out=09:10:00:00`), { "accept-language": "fr" });
    expect(res.status).toBe(400);
    const { error } = JSON.parse(res.body.toString()) as { error: { code: string; message: string } };
    expect(error.code).toBe("live_not_received");
    expect(error.message).toMatch(
      /^Ce passage du direct n'est pas encore arrivé : \d+ s disponibles, de 09:00:00:00 à 09:00:\d\d:\d\d\.$/,
    );
  });

  it("serves clips from the pieces after the end until the master is processed, then from the master, frame for frame the same", async () => {
    expect((await sending).code).toBe(0);
    await waitUntil(async () => (await findLiveStream(t.db, itemId))?.receivingAt === null, 20_000);
    const ended = await t.app.inject({
      method: "POST",
      url: `/api/v1/items/${itemId}/live/end`,
      headers: { cookie: await sessionCookie(t, "editor"), "x-requested-with": "fetch" },
    });
    expect(ended.statusCode, ended.body).toBe(200);
    // Ended, the master not processed yet: still cut from the pieces.
    const prores = await get(clipUrl("prores", `in=${tc(IN)}&out=${tc(OUT)}`));
    expect(prores.status, prores.body.toString()).toBe(200);
    expect((await findItem(t.db, itemId))?.status).not.toBe("ready");
    const proresFile = await saved("live.mov", prores.body);
    expect(await frameCodesOf(proresFile)).toEqual(range(IN, OUT));
    expect((await probeMaster(proresFile)).startTimecode).toBe(tc(IN));

    await waitUntil(
      async () => ["ready", "failed"].includes((await findItem(t.db, itemId))?.status ?? ""),
      180_000,
    );
    expect((await findItem(t.db, itemId))?.status).toBe("ready");
    // Nothing reads the pieces any more: they go, rows and files, just after the item is ready.
    const piecesLeft = async () =>
      (await livePieces(t.db, itemId)).length + (await t.deps.storage.list(livePrefix(itemId))).length;
    await waitUntil(async () => (await piecesLeft()) === 0, 30_000);
    expect(await livePieces(t.db, itemId)).toEqual([]);
    expect(await t.deps.storage.list(livePrefix(itemId))).toEqual([]);

    const fromMaster = await get(clipUrl("mp4", `in=${tc(IN)}&out=${tc(OUT)}`));
    expect(fromMaster.status, fromMaster.body.toString()).toBe(200);
    const masterClip = await saved("master.mp4", fromMaster.body);
    expect(await frameCodesOf(masterClip)).toEqual(range(IN, OUT));
    expect((await probeMaster(masterClip)).startTimecode).toBe(tc(IN));

    const live = await decodePictures(clips.get("live.mp4")!);
    const master = await decodePictures(masterClip);
    expect(live.errors).toEqual([]);
    expect(live.hashes).toHaveLength(OUT - IN);
    // Copied frames (from the keyframe at 100): bit for bit the master clip's.
    expect(live.hashes.slice(100 - IN)).toEqual(master.hashes.slice(100 - IN));
    // Re-encoded frames: as close to the master clip's as two encodes of the same pictures.
    const head = range(0, 100 - IN);
    const [a, b] = await Promise.all([
      lumaFrames(clips.get("live.mp4")!, head, source.width, source.height),
      lumaFrames(masterClip, head, source.width, source.height),
    ]);
    for (const i of head) expect(psnr(a[i]!, b[i]!), `frame ${IN + i}`).toBeGreaterThanOrEqual(45);
  });
});

/** How long the first sound track of `file` lasts, as ffprobe reads it from the samples. */
async function soundSeconds(file: string): Promise<number> {
  const probe = (await runFfprobeJson([
    "-select_streams",
    "a:0",
    "-show_entries",
    "stream=duration",
    file,
  ])) as {
    streams: { duration: string }[];
  };
  return Number(probe.streams[0]?.duration);
}
