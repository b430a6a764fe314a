import { spawnSync } from "node:child_process";
import { existsSync, writeFileSync } from "node:fs";
import { mkdir, readdir, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createClipMaker } from "../../src/downloads/clips.ts";
import { startTestApp, type TestApp } from "../helpers/app.ts";
import { h264Master, type TestMaster } from "../helpers/media.ts";
import { fileBytes, mediaUser, readyVideoItem } from "./fixtures.ts";

let t: TestApp;
let master: TestMaster;
let itemId: number;
let cookie: string;

beforeAll(async () => {
  t = await startTestApp();
  master = await h264Master({ seconds: 6 });
  itemId = await readyVideoItem(t, master.path);
  cookie = await mediaUser(t, "dl@x.example");
});
afterAll(() => t.close());

const get = (url: string, headers: Record<string, string> = {}, method: "GET" | "HEAD" = "GET") =>
  t.app.inject({ method, url, headers: { cookie, ...headers } });

async function cachedClips(): Promise<number> {
  const rows = await t.db.query<{ n: number }>("SELECT count(*)::int AS n FROM clip_cache");
  return rows[0]?.n ?? 0;
}

function frameCount(bytes: Buffer): number {
  const file = path.join(os.tmpdir(), `clip-${Math.random().toString(36).slice(2)}.mp4`);
  writeFileSync(file, bytes);
  const probe = spawnSync(
    "ffprobe",
    [
      "-v",
      "error",
      "-count_frames",
      "-select_streams",
      "v:0",
      "-show_entries",
      "stream=nb_read_frames",
      "-of",
      "csv=p=0",
      file,
    ],
    { encoding: "utf8" },
  );
  return Number(probe.stdout.trim());
}

describe("full downloads", () => {
  it("sends the master as it is, named after event, item and format, and records it", async () => {
    const res = await get(`/api/v1/items/${itemId}/download`);
    expect(res.statusCode).toBe(200);
    expect(res.rawPayload.equals(await fileBytes(master.path))).toBe(true);
    expect(res.headers["content-disposition"]).toMatch(
      /^attachment; filename="summit-\w+_press-conference_full_original\.mp4"$/,
    );
    expect(res.headers["accept-ranges"]).toBe("bytes");
    const mine = await get("/api/v1/me/downloads");
    expect(mine.json().downloads[0]).toMatchObject({
      mediaItemId: itemId,
      format: "original",
      inFrame: null,
    });
  });

  it("answers HEAD with the size and no body", async () => {
    const res = await get(`/api/v1/items/${itemId}/download`, {}, "HEAD");
    expect(res.statusCode).toBe(200);
    expect(Number(res.headers["content-length"])).toBe((await fileBytes(master.path)).length);
    expect(res.rawPayload.length).toBe(0);
  });

  it("serves byte ranges as RFC 9110 says", async () => {
    const whole = await fileBytes(master.path);
    const first = await get(`/api/v1/items/${itemId}/download`, { range: "bytes=0-99" });
    expect(first.statusCode).toBe(206);
    expect(first.headers["content-range"]).toBe(`bytes 0-99/${whole.length}`);
    expect(first.rawPayload.equals(whole.subarray(0, 100))).toBe(true);

    const suffix = await get(`/api/v1/items/${itemId}/download`, { range: "bytes=-100" });
    expect(suffix.statusCode).toBe(206);
    expect(suffix.rawPayload.equals(whole.subarray(whole.length - 100))).toBe(true);

    const open = await get(`/api/v1/items/${itemId}/download`, { range: "bytes=100-" });
    expect(open.headers["content-range"]).toBe(`bytes 100-${whole.length - 1}/${whole.length}`);
    expect(open.rawPayload.equals(whole.subarray(100))).toBe(true);

    const multi = await get(`/api/v1/items/${itemId}/download`, { range: "bytes=0-9, 50-59" });
    expect(multi.statusCode).toBe(206);
    const boundary = String(multi.headers["content-type"]).match(
      /^multipart\/byteranges; boundary=(\w+)$/,
    )![1];
    const body = multi.rawPayload.toString("latin1");
    expect(body).toContain(
      `--${boundary}\r\nContent-Type: video/mp4\r\nContent-Range: bytes 0-9/${whole.length}\r\n\r\n${whole.subarray(0, 10).toString("latin1")}`,
    );
    expect(body).toContain(
      `Content-Range: bytes 50-59/${whole.length}\r\n\r\n${whole.subarray(50, 60).toString("latin1")}`,
    );
    expect(body.endsWith(`--${boundary}--\r\n`)).toBe(true);
    expect(Number(multi.headers["content-length"])).toBe(multi.rawPayload.length);

    const beyond = await get(`/api/v1/items/${itemId}/download`, { range: `bytes=${whole.length}-` });
    expect(beyond.statusCode).toBe(416);
    expect(beyond.headers["content-range"]).toBe(`bytes */${whole.length}`);

    const stale = await get(`/api/v1/items/${itemId}/download`, {
      range: "bytes=0-9",
      "if-range": '"other-version"',
    });
    expect(stale.statusCode).toBe(200);
  });
});

describe("partial downloads", () => {
  it("cuts exactly OUT − IN frames, names the file by its timecodes, and serves the same clip again from the cache", async () => {
    const url = `/api/v1/items/${itemId}/download?format=original&in=01:00:01:07&out=01:00:03:02`;
    const res = await get(url);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers["content-disposition"]).toMatch(/_01-00-01-07_01-00-03-02_original\.mp4"$/);
    expect(frameCount(res.rawPayload)).toBe(45);

    const cached = await get(url);
    expect(cached.rawPayload.equals(res.rawPayload)).toBe(true);
    // From the cache, the file is whole: its length is known and ranges work.
    expect(cached.headers["content-length"]).toBe(String(res.rawPayload.length));
    expect(cached.headers["accept-ranges"]).toBe("bytes");
    const rows = await t.db.query<{ n: number }>("SELECT count(*)::int AS n FROM clip_cache");
    expect(rows[0]?.n).toBe(1);
  });

  it("sends a clip made as a file (WAV) once it is complete, with its length, then from the cache", async () => {
    const url = `/api/v1/items/${itemId}/download?format=wav&in=01:00:01:00&out=01:00:02:00`;
    const first = await get(url);
    expect(first.statusCode, first.body).toBe(200);
    expect(Number(first.headers["content-length"])).toBe(first.rawPayload.length);
    // Not from the cache yet: no ranges until it is stored.
    expect(first.headers["accept-ranges"]).toBe("none");
    const wav = first.rawPayload;
    const fmt = wav.indexOf("fmt ", 0, "latin1");
    const data = wav.indexOf("data", 0, "latin1");
    // One second exactly: 48 000 sample frames of every channel.
    expect(wav.readUInt32LE(data + 4) / wav.readUInt16LE(fmt + 20)).toBe(48_000);

    const cached = await get(url);
    expect(cached.headers["accept-ranges"]).toBe("bytes");
    expect(cached.rawPayload.equals(wav)).toBe(true);
    // The work file went once the first response ended.
    await expect.poll(() => readdir(path.join(t.dataDir, "work", "clips", String(process.pid)))).toEqual([]);
  });

  it("removes the clip work folder a dead process left, and only that one", async () => {
    const clips = path.join(t.dataDir, "work", "clips");
    // A pid no process has (above Linux's pid_max), and this process's own folder.
    const dead = path.join(clips, "4194305", "half-cut");
    await mkdir(dead, { recursive: true });
    await writeFile(path.join(dead, "clip.mp4.partial"), "cut short");
    await mkdir(path.join(clips, String(process.pid)), { recursive: true });
    createClipMaker(t.deps, { concurrency: 1, cacheBytes: 1_000_000 });
    await expect.poll(() => existsSync(path.join(clips, "4194305"))).toBe(false);
    expect(existsSync(path.join(clips, String(process.pid)))).toBe(true);
  });

  it("takes IN/OUT in seconds as well", async () => {
    const res = await get(`/api/v1/items/${itemId}/download?format=mp4&in=2&out=3.2`);
    expect(res.statusCode, res.body).toBe(200);
    expect(frameCount(res.rawPayload)).toBe(30);
    // "The last 2 s": up to the end, whatever IN and OUT say.
    const last = await get(`/api/v1/items/${itemId}/download?format=mp4&last=2&in=0&out=1`);
    expect(last.statusCode, last.body).toBe(200);
    expect(frameCount(last.rawPayload)).toBe(50);
  });

  it("refuses bad ranges and formats before cutting, in the user's language", async () => {
    // Clips of the tests before are stored once their responses ended; let them land first.
    await expect
      .poll(() => readdir(path.join(t.dataDir, "work", "clips", String(process.pid))).catch(() => []))
      .toEqual([]);
    const before = await cachedClips();
    const cases: [string, number, string][] = [
      [`in=01:00:05:00&out=01:00:02:00`, 400, "out_before_in"],
      [`in=00:59:00:00&out=01:00:02:00`, 400, "timecode_out_of_range"],
      [`in=01:00:01:00&out=01:00:09:00`, 400, "timecode_out_of_range"],
      [`in=abc&out=3`, 400, "invalid_timecode"],
      [`last=abc`, 400, "invalid_last"],
      [`last=-5`, 400, "invalid_last"],
      [`last=0`, 400, "invalid_last"],
      [`last=0.01`, 400, "invalid_last"],
      [`format=avi&in=1&out=2`, 400, "unknown_format"],
      [`format=mp4&in=1&out=2&audio=zzz`, 400, "unknown_audio"],
    ];
    for (const [query, status, code] of cases) {
      const res = await get(`/api/v1/items/${itemId}/download?${query}`, { "accept-language": "fr" });
      expect(res.statusCode, query).toBe(status);
      expect(res.json().error.code, query).toBe(code);
    }
    const track = await get(`/api/v1/items/${itemId}/download?format=mp4&in=1&out=2&audio=zzz`, {
      "accept-language": "fr",
    });
    expect(track.json().error.message).toMatch(
      /^Cette vidéo n’a pas de piste son nommée « zzz »\. Choisissez parmi : all/,
    );
    const fr = await get(`/api/v1/items/${itemId}/download?in=01:00:01:00&out=01:00:09:00`, {
      "accept-language": "fr",
    });
    expect(fr.json().error.message).toBe(
      "L'extrait de 01:00:01:00 à 01:00:09:00 sort de la vidéo, qui va de 01:00:00:00 à 01:00:06:00.",
    );
    // Points given in seconds are said on the same clock as the video's range.
    const seconds = await get(`/api/v1/items/${itemId}/download?in=7&out=9.5`);
    expect(seconds.json().error.message).toBe(
      "The clip from 01:00:07:00 to 01:00:09:12 is outside the video, which runs from 01:00:00:00 to 01:00:06:00.",
    );
    // Nothing was cut: no clip came into the cache.
    expect(await cachedClips()).toBe(before);
  });

  it("gives subtitles from the transcript timed to the clip", async () => {
    // Without a timed transcript there is nothing to give: a clear refusal, not an empty file.
    const none = await get(`/api/v1/items/${itemId}/subtitles?format=srt`);
    expect(none.statusCode).toBe(404);
    expect(none.json().error).toMatchObject({
      code: "no_subtitles",
      message: "This item has no timed transcript, so it has no subtitles to download.",
    });
    await t.db.query(
      `INSERT INTO transcript_segments (media_item_id, position, start_seconds, end_seconds, speaker, lang, text) VALUES
       ($1, 0, 0.5, 1.5, 'Secretary General', 'en', 'Good morning.'),
       ($1, 1, 2.0, 3.5, 'Secretary General', 'en', 'We met today.'),
       ($1, 2, 4.0, 5.0, 'Secretary General', 'en', 'Questions, please.')`,
      [itemId],
    );
    const srt = await get(`/api/v1/items/${itemId}/subtitles?format=srt&in=1&out=4.6`);
    expect(srt.statusCode).toBe(200);
    expect(srt.body).toBe(
      "1\n00:00:00,000 --> 00:00:00,500\nSecretary General: Good morning.\n\n2\n00:00:01,000 --> 00:00:02,500\nSecretary General: We met today.\n\n3\n00:00:03,000 --> 00:00:03,600\nSecretary General: Questions, please.\n",
    );
    // Named as the clip they are timed to, without a video format in the name.
    expect(srt.headers["content-disposition"]).toMatch(
      /^attachment; filename="[\w-]+_01-00-01-00_01-00-04-15\.srt"$/,
    );
    const whole = await get(`/api/v1/items/${itemId}/subtitles?format=vtt`);
    expect(whole.headers["content-disposition"]).toMatch(/^attachment; filename="[\w-]+_full\.vtt"$/);
    expect(whole.body).toContain("Questions, please.");
    // A sentence the clip's OUT leaves 80 ms of is not a subtitle that can be read: left out.
    const short = await get(`/api/v1/items/${itemId}/subtitles?format=srt&in=1&out=4.08`);
    expect(short.body).toContain("We met today.");
    expect(short.body).not.toContain("Questions, please.");
    const vtt = await get(`/api/v1/items/${itemId}/subtitles?format=vtt&in=1&out=4.6`);
    expect(
      vtt.body.startsWith("WEBVTT\n\n1\n00:00:00.000 --> 00:00:00.500\n<v Secretary General>Good morning."),
    ).toBe(true);
  });
});

describe("who may download", () => {
  it("needs a log-in, then the usage terms accepted once", async () => {
    const anonymous = await t.app.inject({ url: `/api/v1/items/${itemId}/download` });
    expect(anonymous.statusCode).toBe(401);
    const newcomer = await mediaUser(t, "newcomer@x.example", { acceptTerms: false });
    const refused = await t.app.inject({
      url: `/api/v1/items/${itemId}/download`,
      headers: { cookie: newcomer },
    });
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error.code).toBe("download_terms_required");
    await t.app.inject({
      method: "POST",
      url: "/api/v1/me/download-terms",
      headers: { cookie: newcomer, "x-requested-with": "x" },
    });
    expect(
      (
        await t.app.inject({
          method: "HEAD",
          url: `/api/v1/items/${itemId}/download`,
          headers: { cookie: newcomer },
        })
      ).statusCode,
    ).toBe(200);
  });

  it("refuses an embargoed item until its time, then serves it", async () => {
    const embargoed = await readyVideoItem(t, master.path, {
      embargoUntil: new Date(t.clock.now().getTime() + 3_600_000),
    });
    const res = await get(`/api/v1/items/${embargoed}/download`, { "accept-language": "en" });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe("embargoed");
    // Written as every other embargo message writes it: to the minute, in UTC.
    const until = new Date(t.clock.now().getTime() + 3_600_000).toISOString().slice(0, 16).replace("T", " ");
    expect(res.json().error.message).toBe(`This item is under embargo until ${until} UTC.`);
    t.clock.advance(3_600_001);
    expect((await get(`/api/v1/items/${embargoed}/download`, {}, "HEAD")).statusCode).toBe(200);
  });

  it("accepts a personal API token instead of the cookie", async () => {
    const page = await t.app.inject({ url: "/en/account", headers: { cookie } });
    const csrf = page.body.match(/name="_csrf" value="([^"]+)"/)![1]!;
    const csrfCookie = page.cookies.find((c) => c.name === "_csrf")!;
    const created = await t.app.inject({
      method: "POST",
      url: "/en/account/tokens",
      headers: {
        cookie: `${cookie}; _csrf=${csrfCookie.value}`,
        "content-type": "application/x-www-form-urlencoded",
        accept: "text/html",
      },
      payload: `_csrf=${encodeURIComponent(csrf)}&tokenName=newsroom-tool`,
    });
    expect(created.statusCode).toBe(201);
    const token = created.body.match(/<code class="token">(prt_[\w-]+)<\/code>/)![1]!;
    const res = await t.app.inject({
      method: "HEAD",
      url: `/api/v1/items/${itemId}/download`,
      headers: { authorization: `Bearer ${token}` },
    });
    expect(res.statusCode).toBe(200);
    const bad = await t.app.inject({
      method: "HEAD",
      url: `/api/v1/items/${itemId}/download`,
      headers: { authorization: "Bearer prt_notavalidtokenatallreally" },
    });
    expect(bad.statusCode).toBe(401);
  });
});
