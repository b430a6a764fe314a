import { writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findItem, setItemPublished } from "../../src/catalogue/item-store.ts";
import { findLiveStream, livePieces } from "../../src/catalogue/live-store.ts";
import { findMaster } from "../../src/catalogue/media-store.ts";
import { type LiveReceiver, startLiveReceiver } from "../../src/ingest/live/receiver.ts";
import { createEvent, sessionCookie } from "../catalogue/fixtures.ts";
import { mediaUser } from "../downloads/fixtures.ts";
import { startTestApp, type TestApp } from "../helpers/app.ts";
import { frameCodesOf, h264Master, type TestMaster } from "../helpers/media.ts";
import { waitUntil } from "../helpers/processes.ts";
import { freeTcpPort, freeUdpPorts, sendLive } from "./live-sender.ts";

type LiveAnswer = { id: number; live: { state: string; srt: string; rtmp: string; key: string } };

const SLOW = 180_000;
const range = (n: number) => Array.from({ length: n }, (_, i) => i);

/**
 * A live press conference (issue 12), received from ffmpeg playing the venue's encoder: a coded
 * 720p25 stream (each picture carries its number) sent in real time over SRT and RTMP.
 */
describe("a live item receiving the venue's stream", { timeout: SLOW }, () => {
  let t: TestApp;
  let receiver: LiveReceiver;
  let editor: string;
  let source: TestMaster;
  let live: LiveAnswer;
  let rtmpPort: number;

  const local = (url: string) => url.replace("pressroom.test", "127.0.0.1");
  const stream = () => findLiveStream(t.db, live.id);

  beforeAll(async () => {
    rtmpPort = await freeTcpPort();
    const srtPort = await freeUdpPorts(2);
    t = await startTestApp(
      {
        LIVE_SRT_PORT: String(srtPort),
        LIVE_SRT_PORTS: "2",
        LIVE_RTMP_PORT: String(rtmpPort),
        LIVE_HOST: "127.0.0.1",
      },
      { work: true },
    );
    receiver = await startLiveReceiver(t.deps);
    editor = await sessionCookie(t, "editor");
    source = await h264Master({ width: 1280, height: 720, seconds: 6, frameCode: true });
    await createEvent(t.db, { slug: "live-summit" });
  });
  afterAll(async () => {
    await receiver?.close();
    await t?.close();
  });

  it("is made by an editor, with SRT and RTMP addresses carrying a key of its own", async () => {
    const body = { event: "live-summit", type: "video", live: true, title: { en: "Press conference, live" } };
    const media = await sessionCookie(t, "media");
    const refused = await t.app.inject({
      method: "POST",
      url: "/api/v1/items",
      payload: body,
      headers: { cookie: media },
    });
    expect(refused.statusCode).toBe(403);

    const res = await t.app.inject({
      method: "POST",
      url: "/api/v1/items",
      payload: body,
      headers: { cookie: editor },
    });
    expect(res.statusCode, res.body).toBe(201);
    live = res.json() as LiveAnswer;
    expect(live.live.state).toBe("waiting");
    expect(live.live.key).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(live.live.srt).toMatch(new RegExp(`^srt://pressroom\\.test:\\d+\\?passphrase=${live.live.key}$`));
    expect(live.live.rtmp).toBe(`rtmp://pressroom.test:${rtmpPort}/live/${live.live.key}`);
    // A live is a press conference unless the editor says otherwise, as on the workspace's form.
    expect((await findItem(t.db, live.id))?.kind).toBe("press-conference");
    await receiver.sync();

    const audio = await t.app.inject({
      method: "POST",
      url: "/api/v1/items",
      payload: { ...body, type: "audio" },
      headers: { cookie: editor },
    });
    expect(audio.statusCode).toBe(400);
    expect(audio.json().error.fields).toEqual({ type: ['A live is a video: give "type": "video".'] });
    // An uploaded item has no live to end: said as such, not as a missing item.
    const upload = await t.app.inject({
      method: "POST",
      url: "/api/v1/items",
      payload: { event: "live-summit", type: "video" },
      headers: { cookie: editor },
    });
    const end = await t.app.inject({
      method: "POST",
      url: `/api/v1/items/${upload.json().id}/live/end`,
      headers: { cookie: editor, "x-requested-with": "fetch" },
    });
    expect(end.statusCode).toBe(409);
    expect(end.json().error.message).toBe("This item is not a live: it has no stream to end and no key.");
  });

  it("refuses a sender with a wrong key, over SRT and over RTMP, and records nothing", async () => {
    const wrongSrt = local(live.live.srt).replace(live.live.key, "x".repeat(32));
    const wrongRtmp = local(live.live.rtmp).replace(live.live.key, "y".repeat(32));
    const [srt, rtmp] = await Promise.all([
      sendLive(source.path, wrongSrt, "mpegts"),
      sendLive(source.path, wrongRtmp, "flv"),
    ]);
    expect(srt.code).not.toBe(0);
    expect(rtmp.code).not.toBe(0);
    expect((await stream())?.state).toBe("waiting");
    expect(await livePieces(t.db, live.id)).toEqual([]);
  });

  it("records an SRT stream as it arrives, in pieces listed while it is still being sent, every frame unchanged", async () => {
    // The encoder is set to 2 s of SRT latency, as over the internet: its last 2 s must not be
    // held back by the receiver and lost when the encoder stops.
    const sending = sendLive(source.path, local(live.live.srt), "mpegts", { srtLatencyMs: 2000 });
    // Pieces are listed as they complete, long before the sender is done.
    expect(await waitUntil(async () => (await livePieces(t.db, live.id)).length >= 1, 20_000)).toBe(true);
    const during = await t.app.inject({
      method: "GET",
      url: `/media/items/${live.id}/live.m3u8`,
      headers: { cookie: editor },
    });
    expect(during.statusCode).toBe(200);
    expect(during.body).toContain("#EXT-X-PLAYLIST-TYPE:EVENT");
    expect(during.body).not.toContain("#EXT-X-ENDLIST");
    expect((await sending).code).toBe(0);
    const state = await stream();
    expect(state?.state).toBe("live");
    expect(state?.startedAt).not.toBeNull();
    // The stream's health as the editor's page shows it: a real bit rate and the encoder's 25 fps
    // (ffmpeg's own figures were 0 and how fast frames arrived).
    expect(state?.health.bitrateKbps).toBeGreaterThan(100);
    expect(state?.health.frameRate).toBeGreaterThan(24);
    expect(state?.health.frameRate).toBeLessThan(26);
    // The item as editors read it: live, its recording's clock from the time of day it began.
    const item = await t.app.inject({
      method: "GET",
      url: `/api/v1/items/${live.id}`,
      headers: { cookie: editor },
    });
    expect(item.json().live).toMatchObject({
      state: "live",
      startTimecode: "09:00:00:00",
      hls: `http://pressroom.test/media/items/${live.id}/live.m3u8`,
      ingest: { key: live.live.key, srt: live.live.srt, rtmp: live.live.rtmp },
    });
    expect(item.json().live.receivedSeconds).toBeGreaterThan(0);
    await waitUntil(async () => (await stream())?.receivingAt === null, 20_000);

    const pieces = await livePieces(t.db, live.id);
    const seconds = pieces.reduce((sum, p) => sum + p.durationSeconds, 0);
    // The sound starts a little before the first picture (AAC's priming): the timeline holds both.
    expect(Math.abs(seconds - source.frameCount / 25)).toBeLessThan(0.15);
    // A piece as players get it: MPEG-TS, the coded pictures in order.
    const first = await t.app.inject({
      method: "GET",
      url: `/media/items/${live.id}/live/0.ts`,
      headers: { cookie: editor },
    });
    expect(first.statusCode).toBe(200);
    expect(first.headers["content-type"]).toBe("video/mp2t");
  });

  it("continues the same recording when the encoder comes back over RTMP, the break marked", async () => {
    const before = (await livePieces(t.db, live.id)).length;
    expect((await sendLive(source.path, local(live.live.rtmp), "flv")).code).toBe(0);
    await waitUntil(async () => (await stream())?.receivingAt === null, 20_000);
    const pieces = await livePieces(t.db, live.id);
    expect(pieces.length).toBeGreaterThan(before);
    expect(new Set(pieces.map((p) => p.connection))).toEqual(new Set([1, 2]));
    expect((await stream())?.gaps).toHaveLength(1);
    const playlist = await t.app.inject({
      method: "GET",
      url: `/media/items/${live.id}/live.m3u8`,
      headers: { cookie: editor },
    });
    expect(playlist.body.match(/#EXT-X-DISCONTINUITY/g)).toHaveLength(1);
    expect(playlist.body.match(/#EXTINF/g)).toHaveLength(pieces.length);

    // A clip across the break, while still live: frames 88-179 of the recording, i.e. the first
    // connection's 88-149 (a re-encoded head, then copied) and the second's 0-29.

    await setItemPublished(t.db, live.id, true, t.clock.now());
    const media = await mediaUser(t, "across-the-break@x.example");
    for (const format of ["original", "mp4"]) {
      const clip = await t.app.inject({
        url: `/api/v1/items/${live.id}/download?format=${format}&in=3.52&out=7.2`,
        headers: { cookie: media },
      });
      expect(clip.statusCode, clip.body).toBe(200);
      const file = path.join(t.dataDir, `across-${format}.mp4`);
      writeFileSync(file, clip.rawPayload);
      expect(await frameCodesOf(file)).toEqual([...range(source.frameCount).slice(88), ...range(30)]);
    }
  });

  it("ends: the recording becomes the item's master, every frame received, timecoded by the time of day it began", async () => {
    const res = await t.app.inject({
      method: "POST",
      url: `/api/v1/items/${live.id}/live/end`,
      headers: { cookie: editor, "x-requested-with": "fetch" },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ state: "ended" });
    const settled = async () => ["ready", "failed"].includes((await findItem(t.db, live.id))?.status ?? "");
    await waitUntil(settled, 120_000);
    const item = await findItem(t.db, live.id);
    expect(item?.status, JSON.stringify(item?.statusReason)).toBe("ready");
    const master = await findMaster(t.db, live.id);
    expect(master).not.toBeNull();
    const file = await t.deps.storage.localPath(master!.storageKey, t.deps.config.mastersCacheDir);
    // Both connections, each whole and in order.
    expect(await frameCodesOf(file)).toEqual([...range(source.frameCount), ...range(source.frameCount)]);
    // The test clock says 09:00 UTC when the first frame arrived.
    expect((master!.probe as { startTimecode: string }).startTimecode).toBe("09:00:00:00");
    const playlist = await t.app.inject({
      method: "GET",
      url: `/media/items/${live.id}/live.m3u8`,
      headers: { cookie: editor },
    });
    expect(playlist.body).toContain("#EXT-X-ENDLIST");
    // What was received is still said, now the master's length; and when it was recorded.
    const shown = (
      await t.app.inject({ method: "GET", url: `/api/v1/items/${live.id}`, headers: { cookie: editor } })
    ).json();
    expect(Math.abs(shown.live.receivedSeconds - (2 * source.frameCount) / 25)).toBeLessThan(0.2);
    expect(shown.recordedAt).toBe("2026-11-23T09:00:00.000Z");
  });
});
