import { Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../helpers/app.ts";
import { addRendition, createItem, publishedEventWithVideo, sessionCookie } from "./fixtures.ts";

/** Preview files: content types, byte ranges, caching, access rules and path checks. */
describe("preview media routes", () => {
  let t: TestApp;
  let itemId: number;
  let editor: string;
  const get = (url: string, headers: Record<string, string> = {}) =>
    t.app.inject({ method: "GET", url, headers });

  beforeAll(async () => {
    t = await startTestApp();
    ({ itemId } = await publishedEventWithVideo(t.deps));
    editor = await sessionCookie(t, "editor");
  });
  afterAll(async () => {
    await t?.close();
  });

  it("serves playlists, segments and the poster with their content types and caching", async () => {
    const master = await get(`/media/items/${itemId}/hls/master.m3u8`);
    expect(master.statusCode).toBe(200);
    expect(master.headers["content-type"]).toBe("application/vnd.apple.mpegurl");
    expect(master.headers["cache-control"]).toBe("public, max-age=60");
    expect(master.body).toContain("#EXTM3U");
    // The playlists name their files relatively, which resolve under the same route.
    const variant = master.body.split("\n").find((line) => line.endsWith(".m3u8"))!;
    const media = await get(`/media/items/${itemId}/hls/${variant}`);
    expect(media.statusCode).toBe(200);
    const segment = media.body.split("\n").find((line) => line.endsWith(".m4s"))!;
    const init = await get(`/media/items/${itemId}/hls/init.mp4`);
    expect(init.headers["content-type"]).toBe("video/mp4");
    const whole = await get(`/media/items/${itemId}/hls/${segment}`);
    expect(whole.statusCode).toBe(200);
    expect(whole.headers["content-type"]).toBe("video/iso.segment");
    expect(whole.headers["accept-ranges"]).toBe("bytes");
    // A minute at most in a shared cache: a withdrawn item leaves it soon (below).
    expect(whole.headers["cache-control"]).toBe("public, max-age=60");
    const poster = await get(`/media/items/${itemId}/poster.jpg`);
    expect(poster.headers["content-type"]).toBe("image/jpeg");
    expect(poster.rawPayload.subarray(0, 2)).toEqual(Buffer.from([0xff, 0xd8]));
  });

  it("answers byte ranges with 206, and 416 past the end", async () => {
    const url = `/media/items/${itemId}/hls/init.mp4`;
    const whole = await get(url);
    const size = whole.rawPayload.length;
    const part = await get(url, { range: "bytes=4-11" });
    expect(part.statusCode).toBe(206);
    expect(part.headers["content-range"]).toBe(`bytes 4-11/${size}`);
    expect(part.headers["content-length"]).toBe("8");
    expect(part.rawPayload).toEqual(whole.rawPayload.subarray(4, 12));
    expect(part.rawPayload.subarray(0, 4).toString("latin1")).toBe("ftyp");
    const tail = await get(url, { range: "bytes=-10" });
    expect(tail.statusCode).toBe(206);
    expect(tail.rawPayload).toEqual(whole.rawPayload.subarray(size - 10));
    const open = await get(url, { range: `bytes=${size - 3}-` });
    expect(open.headers["content-range"]).toBe(`bytes ${size - 3}-${size - 1}/${size}`);
    const past = await get(url, { range: `bytes=${size}-` });
    expect(past.statusCode).toBe(416);
    expect(past.headers["content-range"]).toBe(`bytes */${size}`);
    const cached = await get(url, { "if-none-match": String(whole.headers.etag) });
    expect(cached.statusCode).toBe(304);
  });

  it("refuses embargoed items with 403 until the clock passes the embargo; editors may preview", async () => {
    const embargoUntil = new Date(t.clock.now().getTime() + 60_000);
    const { itemId: embargoed } = await publishedEventWithVideo(t.deps);
    await t.db.query("UPDATE media_items SET embargo_until = $1 WHERE id = $2", [embargoUntil, embargoed]);
    const url = `/media/items/${embargoed}/hls/master.m3u8`;
    const refused = await get(url);
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error.code).toBe("embargoed");
    expect((await get(`/media/items/${embargoed}/poster.jpg`)).statusCode).toBe(403);
    // The captions say what is said: they wait for the embargo like the picture.
    expect((await get(`/media/items/${embargoed}/captions/en.vtt`)).statusCode).toBe(403);
    const preview = await get(url, { cookie: editor });
    expect(preview.statusCode).toBe(200);
    expect(preview.headers["cache-control"]).toBe("private, no-store");
    t.clock.advance(60_000);
    expect((await get(url)).statusCode).toBe(200);
  });

  it("404s unpublished items for everyone but editors", async () => {
    const { itemId: draft } = await publishedEventWithVideo(t.deps);
    await t.db.query("UPDATE media_items SET published_at = NULL WHERE id = $1", [draft]);
    const refused = await get(`/media/items/${draft}/hls/master.m3u8`);
    expect(refused.statusCode).toBe(404);
    expect(refused.json().error.code).toBe("item_not_found");
    expect((await get(`/media/items/${draft}/hls/master.m3u8`, { cookie: editor })).statusCode).toBe(200);
    expect((await get(`/media/items/${draft}/captions/fr.vtt`)).statusCode).toBe(404);
    expect((await get(`/media/items/${draft}/captions/fr.vtt`, { cookie: editor })).statusCode).toBe(200);
  });

  it("a shared cache holds a public segment a minute, and asking again after an unpublish gets no copy", async () => {
    const { itemId: withdrawn } = await publishedEventWithVideo(t.deps);
    const master = await get(`/media/items/${withdrawn}/hls/master.m3u8`);
    const variant = master.body.split("\n").find((line) => line.endsWith(".m3u8"))!;
    const playlist = await get(`/media/items/${withdrawn}/hls/${variant}`);
    const segment = playlist.body.split("\n").find((line) => line.endsWith(".m4s"))!;
    const url = `/media/items/${withdrawn}/hls/${segment}`;
    const first = await get(url);
    expect(first.headers["cache-control"]).toBe("public, max-age=60");
    const etag = String(first.headers.etag);
    expect((await get(url, { "if-none-match": etag })).statusCode).toBe(304);
    await t.db.query("UPDATE media_items SET published_at = NULL WHERE id = $1", [withdrawn]);
    const again = await get(url, { "if-none-match": etag });
    expect(again.statusCode).toBe(404);
    expect((await get(`/media/items/${withdrawn}/poster.jpg`)).statusCode).toBe(404);
  });

  it("serves the timed transcript as WebVTT captions, one file per language spoken", async () => {
    const english = await get(`/media/items/${itemId}/captions/en.vtt`);
    expect(english.statusCode).toBe(200);
    expect(english.headers["content-type"]).toBe("text/vtt; charset=utf-8");
    expect(english.body).toMatch(
      /^WEBVTT\n\n1\n00:00:00\.000 --> 00:00:02\.000\n<v President Anna Berg>Good morning and welcome/,
    );
    expect(english.body).not.toContain("Que pensent");
    const french = await get(`/media/items/${itemId}/captions/fr.vtt`);
    expect(french.body).toBe(
      "WEBVTT\n\n1\n00:00:04.000 --> 00:00:06.000\n<v Marie Dubois>Que pensent les ministres des affaires étrangères de cet accord ?\n",
    );
    for (const bad of ["de.vtt", "en.srt", "en"]) {
      expect((await get(`/media/items/${itemId}/captions/${bad}`)).statusCode, bad).toBe(404);
    }
  });

  it("rejects path traversal and anything that is not a rendition", async () => {
    const other = await createItem(t.db);
    await t.deps.storage.putStream(`items/${other}/secret.m3u8`, toStream("#EXTM3U secret"));
    await t.deps.storage.putStream(`items/${itemId}/master/master.mp4`, toStream("master bytes"));
    for (const path of [
      `/media/items/${itemId}/hls/../master/master.mp4`,
      `/media/items/${itemId}/hls/%2e%2e/master/master.mp4`,
      `/media/items/${itemId}/hls/..%2fmaster%2fmaster.mp4`,
      `/media/items/${itemId}/hls/%2e%2e%2f%2e%2e%2f${other}%2fsecret.m3u8`,
      `/media/items/${itemId}/master/master.mp4`,
      `/media/items/${itemId}/hls//master.m3u8`,
      `/media/items/${itemId}/hls/.tmp`,
      `/media/items/${itemId}/hls/seg%5c..%5c..%5cx.m3u8`,
      `/media/items/${other}/secret.m3u8`,
      `/media/items/0${itemId}/hls/master.m3u8`,
      `/media/items/${itemId}/hls/notes.txt`,
    ]) {
      const response = await get(path);
      expect([400, 404], path).toContain(response.statusCode);
      expect(response.body, path).not.toContain("secret");
      expect(response.body, path).not.toContain("master bytes");
    }
    // A rendition lying directly in the item's folder does not open the folder.
    await addRendition(t.db, other, "hls", `items/${other}/stream.m3u8`);
    expect((await get(`/media/items/${other}/secret.m3u8`)).statusCode).toBe(404);
    expect((await get(`/media/items/${itemId}/hls/missing.m4s`)).statusCode).toBe(404);
  });
});

function toStream(text: string): NodeJS.ReadableStream {
  return Readable.from([Buffer.from(text)]);
}
