import { existsSync } from "node:fs";
import { readdir, writeFile } from "node:fs/promises";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { initSegmentLength } from "../../src/media/fmp4-init.ts";
import { startTestApp, type TestApp } from "../helpers/app.ts";
import { httpGet } from "../helpers/http-get.ts";
import { h264Master, proresMaster, type TestMaster, xdcamMaster } from "../helpers/media.ts";
import { expectFaithfulClip } from "../media/clip-check.ts";
import { expectCompletedMxf } from "../media/mxf-check.ts";
import { mediaUser, readyVideoItem } from "./fixtures.ts";

let t: TestApp;
let h264: TestMaster;
let prores: TestMaster;
let xdcam: TestMaster;
let h264Item: number;
let proresItem: number;
let xdcamItem: number;
let cookie: string;
let base: string;

beforeAll(async () => {
  t = await startTestApp();
  [h264, prores, xdcam] = await Promise.all([h264Master({ seconds: 6 }), proresMaster(), xdcamMaster()]);
  h264Item = await readyVideoItem(t, h264.path);
  proresItem = await readyVideoItem(t, prores.path);
  xdcamItem = await readyVideoItem(t, xdcam.path);
  cookie = await mediaUser(t, "stream@x.example");
  await t.app.listen({ port: 0, host: "127.0.0.1" });
  base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
});
afterAll(() => t.close());

/** A real HTTP GET, timing the first byte of the body from the request's start. */
async function fetchClip(url: string, headers: Record<string, string> = {}) {
  const started = performance.now();
  const fetched = await httpGet(`${base}${url}`, { cookie, ...headers });
  return { ...fetched, firstByteMs: fetched.firstByteAt - started };
}

async function cacheRows(): Promise<number> {
  const rows = await t.db.query<{ n: number }>("SELECT count(*)::int AS n FROM clip_cache");
  return rows[0]?.n ?? 0;
}

async function saved(bytes: Buffer, name: string): Promise<string> {
  const file = path.join(t.dataDir, `${Math.random().toString(36).slice(2)}-${name}`);
  await writeFile(file, bytes);
  return file;
}

/** Streams a clip not cut yet, then checks the next request gets the same bytes from the cache, with Range. */
async function streamThenCache(url: string) {
  const first = await fetchClip(url);
  expect(first.status, first.body.toString()).toBe(200);
  expect(first.headers["accept-ranges"]).toBe("none");
  expect(first.headers["content-length"]).toBeUndefined();
  expect(first.headers["transfer-encoding"]).toBe("chunked");
  console.log(
    `streamed ${url}: first byte after ${first.firstByteMs.toFixed(0)} ms, ${first.body.length} bytes`,
  );

  const again = await fetchClip(url);
  expect(again.headers["accept-ranges"]).toBe("bytes");
  expect(Number(again.headers["content-length"])).toBe(first.body.length);
  expect(again.body.equals(first.body)).toBe(true);
  const part = await fetchClip(url, { range: "bytes=100-199" });
  expect(part.status).toBe(206);
  expect(part.body.equals(first.body.subarray(100, 200))).toBe(true);
  return first.body;
}

describe("clips streamed as they are cut", { timeout: 120_000 }, () => {
  it("streams an H.264 smart cut as fragmented MP4, frame-exact, and caches the same bytes", async () => {
    const body = await streamThenCache(
      `/api/v1/items/${h264Item}/download?format=original&in=01:00:01:07&out=01:00:03:02`,
    );
    await expectFaithfulClip({
      master: h264,
      clip: await saved(body, "clip.mp4"),
      inFrame: 32,
      outFrame: 77,
      copiedFrames: 25,
      soundClock: "timestamps",
    });
  });

  it("sends the header of the master's previous clip at once, and the next clip is still exact", async () => {
    const earlier = await streamThenCache(
      `/api/v1/items/${h264Item}/download?format=original&in=01:00:00:20&out=01:00:02:10`,
    );
    const header = earlier.subarray(0, initSegmentLength(earlier) ?? 0);
    expect(header.length).toBeGreaterThan(0);
    const body = await streamThenCache(
      `/api/v1/items/${h264Item}/download?format=original&in=01:00:01:20&out=01:00:03:05`,
    );
    // Its own header would carry its own bit rates; this one is the earlier clip's, sent ahead.
    expect(body.subarray(0, header.length).equals(header)).toBe(true);
    await expectFaithfulClip({
      master: h264,
      clip: await saved(body, "next.mp4"),
      inFrame: 45,
      outFrame: 80,
      copiedFrames: 29,
      soundClock: "timestamps",
    });
  });

  it("sends no header ahead for a master x264 cannot reproduce, whose partial clips are re-encoded", async () => {
    const foreign = await h264Master({ seconds: 6, withoutEncoderInfo: true });
    const item = await readyVideoItem(t, foreign.path);
    // From a keyframe, copied: this clip's header is the master's own.
    await streamThenCache(`/api/v1/items/${item}/download?format=original&in=01:00:02:00&out=01:00:04:00`);
    // Needs a head encoded, which falls back to encoding everything: another header.
    const body = await streamThenCache(
      `/api/v1/items/${item}/download?format=original&in=01:00:01:20&out=01:00:03:05`,
    );
    await expectFaithfulClip({
      master: foreign,
      clip: await saved(body, "foreign.mp4"),
      inFrame: 45,
      outFrame: 80,
      copiedFrames: 0,
      soundClock: "timestamps",
    });
  });

  it("streams a ProRes copy as fragmented MOV", async () => {
    const body = await streamThenCache(
      `/api/v1/items/${proresItem}/download?format=original&in=10:00:00:13&out=10:00:02:11`,
    );
    await expectFaithfulClip({
      master: prores,
      clip: await saved(body, "clip.mov"),
      inFrame: 13,
      outFrame: 61,
      copiedFrames: 48,
    });
    // A MOV's header describes its first fragment's sound, so each clip gets its own.
    const next = await streamThenCache(
      `/api/v1/items/${proresItem}/download?format=original&in=10:00:00:07&out=10:00:01:21`,
    );
    await expectFaithfulClip({
      master: prores,
      clip: await saved(next, "next.mov"),
      inFrame: 7,
      outFrame: 46,
      copiedFrames: 39,
    });
  });

  it("streams a conversion to MP4", async () => {
    const body = await streamThenCache(`/api/v1/items/${proresItem}/download?format=mp4&in=0.28&out=2.08`);
    await expectFaithfulClip({
      master: prores,
      clip: await saved(body, "clip.mp4"),
      inFrame: 7,
      outFrame: 52,
      copiedFrames: 0,
      soundClock: "timestamps",
    });
  });

  it("streams an XDCAM smart cut as OP1a MXF, then serves it closed from the cache, with its length", async () => {
    const url = `/api/v1/items/${xdcamItem}/download?format=original&in=10:00:00:13&out=10:00:01:22`;
    const first = await fetchClip(url);
    expect(first.status, first.body.toString().slice(0, 200)).toBe(200);
    expect(first.headers["content-type"]).toBe("application/mxf");
    expect(first.headers["accept-ranges"]).toBe("none");
    expect(first.headers["content-length"]).toBeUndefined();
    expect(first.headers["transfer-encoding"]).toBe("chunked");

    const again = await fetchClip(url);
    expect(again.headers["accept-ranges"]).toBe("bytes");
    expect(Number(again.headers["content-length"])).toBe(first.body.length);
    // The cached copy is the streamed one with its header partition closed (see mxf-check.ts).
    expectCompletedMxf(first.body, again.body, { frames: 34, closedGop: 0, maxGop: 12, bPictureCount: 2 });
    const part = await fetchClip(url, { range: "bytes=100-199" });
    expect(part.status).toBe(206);
    expect(part.body.equals(again.body.subarray(100, 200))).toBe(true);
    // IN 13 is past the I-picture at 12: frames 13-23 are encoded, and 46, which the open GOP
    // after OUT would have predicted.
    const check = { master: xdcam, inFrame: 13, outFrame: 47, copiedFrames: 22 };
    await expectFaithfulClip({ ...check, clip: await saved(first.body, "clip.mxf") });
    await expectFaithfulClip({ ...check, clip: await saved(again.body, "cached.mxf") });
  });

  it("answers HEAD for a clip not cut yet without cutting it", async () => {
    const before = await cacheRows();
    const res = await t.app.inject({
      method: "HEAD",
      url: `/api/v1/items/${h264Item}/download?format=mp4&in=1&out=4`,
      headers: { cookie },
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers["accept-ranges"]).toBe("none");
    expect(res.headers["content-length"]).toBeUndefined();
    expect(res.headers["content-type"]).toBe("video/mp4");
    expect(await cacheRows()).toBe(before);
  });

  it("stops the cut when the client hangs up, keeping nothing", async () => {
    const before = await cacheRows();
    const url = `${base}/api/v1/items/${h264Item}/download?format=prores&in=0.28&out=5.8`;
    await new Promise<void>((resolve, reject) => {
      const request = http.get(url, { headers: { cookie } }, (res) => {
        expect(res.headers["accept-ranges"]).toBe("none");
        res.once("data", () => {
          request.destroy();
          resolve();
        });
      });
      request.on("error", (error) => {
        if (!request.destroyed) reject(error);
      });
    });
    const work = path.join(t.dataDir, "work", "clips", String(process.pid));
    // The server sees the hang-up, kills ffmpeg and removes its folder.
    for (let i = 0; i < 100 && existsSync(work) && (await readdir(work)).length > 0; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(await readdir(work)).toEqual([]);
    expect(await cacheRows()).toBe(before);
    expect((await t.deps.storage.list("clips/")).length).toBe(before);
  });

  it("leaves no work file behind when the client of a clip made as a file (WAV) hangs up mid-way", async () => {
    const url = `${base}/api/v1/items/${h264Item}/download?format=wav&in=0.2&out=5.8`;
    await new Promise<void>((resolve, reject) => {
      const request = http.get(url, { headers: { cookie } }, (res) => {
        expect(res.headers["content-length"]).toBeDefined();
        res.once("data", () => {
          request.destroy();
          resolve();
        });
      });
      request.on("error", (error) => {
        if (!request.destroyed) reject(error);
      });
    });
    // The finished clip is still cached; only the work folder must go once the response closed.
    await expect
      .poll(() => readdir(path.join(t.dataDir, "work", "clips", String(process.pid))), { timeout: 10_000 })
      .toEqual([]);
    const again = await fetchClip(`/api/v1/items/${h264Item}/download?format=wav&in=0.2&out=5.8`);
    expect(again.headers["accept-ranges"]).toBe("bytes");
  });
});
