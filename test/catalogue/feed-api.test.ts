import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../helpers/app.ts";
import {
  addProgramme,
  addRendition,
  createItem,
  publishedEventWithVideo,
  sessionCookie,
} from "./fixtures.ts";

/** RSS feeds and the catalogue's JSON API, with its OpenAPI description. */
describe("feeds and API", () => {
  let t: TestApp;
  let itemId: number;
  let eventId: number;
  let slug: string;
  let embargoed: number;
  let draft: number;

  beforeAll(async () => {
    t = await startTestApp();
    ({ itemId, eventId, slug } = await publishedEventWithVideo(t.deps, { title: "Summit & <friends>" }));
    embargoed = await createItem(t.db, {
      eventId,
      title: { en: "Embargoed speech" },
      embargoUntil: new Date(t.clock.now().getTime() + 3_600_000),
    });
    await addRendition(t.db, embargoed, "hls", `items/${embargoed}/hls/master.m3u8`);
    draft = await createItem(t.db, { eventId, title: { en: "Draft" }, publishedAt: null });
    const photo = await createItem(t.db, { eventId, mediaType: "photo", title: { en: "Family photo" } });
    await addRendition(t.db, photo, "web", `items/${photo}/web.jpg`);
    await addProgramme(t.db, eventId, [
      { position: 2, title: { en: "Press conference" }, itemId },
      { position: 1, title: { en: "Arrival" }, startsAt: new Date("2026-11-23T08:00:00Z") },
    ]);
  });
  afterAll(async () => {
    await t?.close();
  });

  it("publishes an RSS 2.0 feed with Media RSS per language, without embargoed or draft items", async () => {
    const feed = await t.app.inject({ method: "GET", url: "/en/feed.xml" });
    expect(feed.statusCode).toBe(200);
    expect(feed.headers["content-type"]).toBe("application/rss+xml; charset=utf-8");
    const xml = feed.body;
    expect(
      xml.startsWith(
        '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" xmlns:media="http://search.yahoo.com/mrss/"',
      ),
    ).toBe(true);
    expect(xml).toContain("<title>Press conference by the President</title>");
    expect(xml).toContain(`<link>http://pressroom.test/en/items/${itemId}</link>`);
    expect(xml).toContain(
      `<media:content url="http://pressroom.test/media/items/${itemId}/hls/master.m3u8" type="application/vnd.apple.mpegurl" medium="video" duration="8"/>`,
    );
    expect(xml).toContain(`<media:thumbnail url="http://pressroom.test/media/items/${itemId}/poster.jpg"/>`);
    expect(xml).toContain('medium="image"/>');
    expect(xml).not.toContain("Embargoed speech");
    expect(xml).not.toContain("<title>Draft</title>");
    expect(wellFormed(xml)).toBe(true);
    const french = await t.app.inject({ method: "GET", url: "/fr/feed.xml" });
    expect(french.body).toContain("<title>Conférence de presse de la présidente</title>");
    expect(french.body).toContain(`<link>http://pressroom.test/fr/items/${itemId}</link>`);
  });

  it("lists the latest events", async () => {
    const response = await t.app.inject({ method: "GET", url: "/api/v1/events?lang=fr" });
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body).toMatchObject({ page: 1, hasMore: false });
    expect(body.events[0]).toMatchObject({
      slug,
      title: { en: "Summit & <friends>", fr: "Sommet sur le climat" },
      place: { en: "Brussels", fr: "Bruxelles" },
      url: `http://pressroom.test/fr/events/${slug}`,
      posterUrl: `http://pressroom.test/media/items/${itemId}/poster.jpg`,
    });
    expect((await t.app.inject({ method: "GET", url: "/api/v1/events?page=0" })).statusCode).toBe(400);
  });

  it("gives an event with its programme in order and its visible items", async () => {
    const response = await t.app.inject({ method: "GET", url: `/api/v1/events/${slug}` });
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body.programme.map((p: { title: { en: string } }) => p.title.en)).toEqual([
      "Arrival",
      "Press conference",
    ]);
    expect(body.programme[1].itemId).toBe(itemId);
    const items = body.items.map((i: { id: number }) => i.id);
    expect(items).toContain(itemId);
    expect(items).toContain(embargoed);
    expect(items).not.toContain(draft);
    const missing = await t.app.inject({
      method: "GET",
      url: "/api/v1/events/nope",
      headers: { "accept-language": "fr" },
    });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error).toEqual({
      code: "event_not_found",
      message: "Cet événement n'existe pas ou n'est plus disponible.",
    });
  });

  it("gives an item with its timing, tracks, transcript and preview", async () => {
    const response = await t.app.inject({ method: "GET", url: `/api/v1/items/${itemId}` });
    expect(response.statusCode).toBe(200);
    const item = response.json();
    expect(item).toMatchObject({
      id: itemId,
      mediaType: "video",
      kind: "press-conference",
      status: "ready",
      statusReason: null,
      durationSeconds: 8,
      frameRate: { num: 25, den: 1, fps: 25 },
      startTimecode: "10:00:00:00",
      audioTracks: [{ index: 0, label: "floor", channels: 2, language: null }],
      embargoUntil: null,
      playable: true,
      previewUrl: `http://pressroom.test/media/items/${itemId}/hls/master.m3u8`,
      posterUrl: `http://pressroom.test/media/items/${itemId}/poster.jpg`,
    });
    expect(item.transcript[2]).toEqual({
      position: 2,
      start: 4,
      end: 6,
      speaker: "Marie Dubois",
      question: true,
      outlet: "Radio France",
      lang: "fr",
      spokenLang: "fr",
      text: "Que pensent les ministres des affaires étrangères de cet accord ?",
      // Timed by hand: no word times (automatic timing adds them, issue 11).
      words: [],
    });
  });

  it("shows embargoed items without preview or transcript, and hides drafts from all but editors", async () => {
    const item = (await t.app.inject({ method: "GET", url: `/api/v1/items/${embargoed}` })).json();
    expect(item).toMatchObject({
      playable: false,
      previewUrl: null,
      transcript: [],
      embargoUntil: "2026-11-23T10:00:00.000Z",
    });
    const hidden = await t.app.inject({ method: "GET", url: `/api/v1/items/${draft}` });
    expect(hidden.statusCode).toBe(404);
    expect(hidden.json().error.code).toBe("item_not_found");
    const editor = await sessionCookie(t, "editor");
    const preview = await t.app.inject({
      method: "GET",
      url: `/api/v1/items/${draft}`,
      headers: { cookie: editor },
    });
    expect(preview.statusCode).toBe(200);
    const failed = await createItem(t.db, { status: "failed", statusReason: "unreadable" });
    expect((await t.app.inject({ method: "GET", url: `/api/v1/items/${failed}` })).json()).toMatchObject({
      status: "failed",
      statusReason: "unreadable",
      playable: false,
    });
  });

  it("describes the catalogue in OpenAPI", async () => {
    const spec = (await t.app.inject({ method: "GET", url: "/api/v1/openapi.json" })).json();
    for (const path of ["/api/v1/events", "/api/v1/events/{slug}", "/api/v1/items/{id}", "/api/v1/search"]) {
      expect(spec.paths, path).toHaveProperty([path, "get"]);
    }
    expect(spec.paths["/api/v1/search"].get.tags).toEqual(["search"]);
    expect(spec.paths["/api/v1/items/{id}"].get.tags).toEqual(["catalogue"]);
    expect(Object.keys(spec.paths).some((p: string) => p.startsWith("/media/"))).toBe(false);
  });
});

/** Enough of an XML check for our own output: balanced tags, no stray ampersands or angle brackets. */
function wellFormed(xml: string): boolean {
  const body = xml.replace(/^<\?xml[^>]*\?>/, "");
  if (/&(?!(#\d+|#x[0-9a-f]+|amp|lt|gt|quot|apos);)/i.test(body)) return false;
  const stack: string[] = [];
  for (const [, close, name, selfClosing] of body.matchAll(/<(\/?)([\w:]+)[^>]*?(\/?)>/g)) {
    if (selfClosing) continue;
    if (close) {
      if (stack.pop() !== name) return false;
    } else stack.push(name!);
  }
  return stack.length === 0 && !/<(?![\w/?!])/.test(body);
}
