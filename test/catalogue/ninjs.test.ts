import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../helpers/app.ts";
import { expectValidNinjs } from "../helpers/ninjs.ts";
import { addMaster, addRendition, addTranscript, createItem, publishedEventWithVideo } from "./fixtures.ts";

/**
 * Items and events as IPTC ninjs 3.1 (issue 13), checked against IPTC's own schema: a newsroom
 * system that validates what it takes in must take ours.
 */
type Rendition = { name: string; href: string; contentType: string; width?: number; frameRate?: number };
const NINJS = "application/ninjs+json";

describe("ninjs documents", () => {
  let t: TestApp;
  let itemId: number;
  let slug: string;
  let embargoed: number;
  let draft: number;
  let photo: number;

  beforeAll(async () => {
    t = await startTestApp();
    let eventId: number;
    ({ itemId, slug, eventId } = await publishedEventWithVideo(t.deps));
    // Everything an embargoed item could leak: a preview, a master, a transcript.
    embargoed = await createItem(t.db, {
      eventId,
      title: { en: "Embargoed speech" },
      embargoUntil: new Date(t.clock.now().getTime() + 3_600_000),
    });
    await addRendition(t.db, embargoed, "hls", `items/${embargoed}/hls/master.m3u8`);
    await addRendition(t.db, embargoed, "poster", `items/${embargoed}/poster.jpg`);
    await addMaster(t.db, embargoed);
    await addTranscript(t.db, embargoed, [{ start: 1, end: 2, text: "The secret budget figure is nine." }]);
    draft = await createItem(t.db, { eventId, title: { en: "Draft" }, publishedAt: null });
    photo = await createItem(t.db, { eventId, mediaType: "photo", title: { en: "Family photo" } });
    await addRendition(t.db, photo, "web", `items/${photo}/web.jpg`);
    await t.db.query(
      `INSERT INTO masters (media_item_id, storage_key, original_name, bytes, probe, audio_labels, created_at)
       VALUES ($1, $2, 'family.png', 5000, $3, '[]', $4)`,
      [
        photo,
        `items/${photo}/master/family.png`,
        JSON.stringify({ format: "png", width: 4000, height: 3000 }),
        t.clock.now(),
      ],
    );
  });
  afterAll(async () => {
    await t?.close();
  });

  it("gives a video item as ninjs: download renditions, timecoded transcript, terms, the event", async () => {
    const response = await t.app.inject({ method: "GET", url: `/api/v1/items/${itemId}?format=ninjs` });
    expect(response.statusCode).toBe(200);
    expect(response.headers["content-type"]).toBe("application/ninjs+json; charset=utf-8");
    expect(String(response.headers.vary)).toMatch(/(^|, )Accept(,|$)/);
    const doc = response.json();
    expectValidNinjs(doc);
    expect(doc).toMatchObject({
      uri: `http://pressroom.test/api/v1/items/${itemId}`,
      type: "video",
      representationType: "full",
      pubStatus: "usable",
      language: "en",
      headlines: [{ role: "main", value: "Press conference by the President" }],
      descriptions: [{ role: "summary", value: "The President answers questions on the climate package." }],
      usageTerms: "Free for news use.",
      copyrightHolder: "Pressroom",
      rightsInfo: { linkedRights: "http://pressroom.test/en/terms" },
      genres: [{ name: "Press conference", literal: "press-conference" }],
      people: [
        { name: "President Anna Berg", rel: "speaker" },
        { name: "Marie Dubois", rel: "speaker" },
      ],
      located: "Brussels",
      events: [{ uri: `http://pressroom.test/api/v1/events/${slug}`, literal: slug, name: "Climate summit" }],
      associations: [
        {
          name: "event",
          type: "event",
          uri: `http://pressroom.test/api/v1/events/${slug}`,
          eventDetails: { dates: { startDate: "2026-11-23T09:00:00.000Z" } },
        },
      ],
    });
    expect(doc.embargoedUntil).toBeUndefined();
    const transcript = doc.bodies.find((b: { role: string }) => b.role === "transcript").value.split("\n");
    expect(transcript[0]).toBe(
      "10:00:00:00 President Anna Berg: Good morning and welcome to this press conference.",
    );
    expect(transcript[2]).toBe(
      "10:00:04:00 Marie Dubois (Radio France): Que pensent les ministres des affaires étrangères de cet accord ?",
    );
    const renditions = doc.renditions as Rendition[];
    const downloads = renditions.filter((r) => r.href.includes("/download"));
    expect(downloads.map((r) => r.name)).toEqual(["original", "mp4", "mxf", "prores", "wav", "mp3"]);
    for (const r of downloads) {
      expect(r.href).toBe(`http://pressroom.test/api/v1/items/${itemId}/download?format=${r.name}`);
    }
    expect(downloads.find((r) => r.name === "mxf")).toMatchObject({
      contentType: "application/mxf",
      width: 1920,
      height: 1080,
      frameRate: 25,
      duration: 8,
    });
    expect(downloads.find((r) => r.name === "original")).toMatchObject({
      contentType: "video/mp4",
      sizeInBytes: 1000,
    });
    expect(downloads.find((r) => r.name === "wav")?.width).toBeUndefined();
    expect(renditions.find((r) => r.name === "preview-hls")).toMatchObject({
      href: `http://pressroom.test/media/items/${itemId}/hls/master.m3u8`,
      contentType: "application/vnd.apple.mpegurl",
    });
    // A download link actually leads to the file, for a logged-in user who accepted the terms.
    const link = new URL(downloads[0]!.href);
    const download = await t.app.inject({ method: "HEAD", url: `${link.pathname}${link.search}` });
    expect(download.statusCode).toBe(401);
  });

  it("answers ninjs to Accept, in the language asked for, and the JSON otherwise", async () => {
    const asked = await t.app.inject({
      method: "GET",
      url: `/api/v1/items/${itemId}`,
      headers: { accept: "application/ninjs+json", "accept-language": "fr" },
    });
    expect(asked.headers["content-type"]).toBe("application/ninjs+json; charset=utf-8");
    const french = asked.json();
    expectValidNinjs(french);
    expect(french).toMatchObject({
      language: "fr",
      headlines: [{ value: "Conférence de presse de la présidente" }],
      usageTerms: "Libre pour l'information.",
      located: "Bruxelles",
      genres: [{ literal: "press-conference" }],
    });
    const preferred = await t.app.inject({
      method: "GET",
      url: `/api/v1/items/${itemId}`,
      headers: { accept: `application/json;q=0.5, ${NINJS}` },
    });
    expect(preferred.headers["content-type"]).toBe("application/ninjs+json; charset=utf-8");

    for (const headers of [{}, { accept: "*/*" }, { accept: "application/json" }, { accept: "text/html" }]) {
      const plain = await t.app.inject({ method: "GET", url: `/api/v1/items/${itemId}`, headers });
      expect(plain.headers["content-type"]).toBe("application/json; charset=utf-8");
      expect(plain.json()).toMatchObject({ id: itemId, mediaType: "video", transcript: expect.any(Array) });
      expect(plain.json().uri).toBeUndefined();
      expect(String(plain.headers.vary)).toMatch(/(^|, )Accept(,|$)/);
    }
    const forced = await t.app.inject({
      method: "GET",
      url: `/api/v1/items/${itemId}?format=json`,
      headers: { accept: NINJS },
    });
    expect(forced.json().id).toBe(itemId);
    const bad = await t.app.inject({ method: "GET", url: `/api/v1/items/${itemId}?format=xml` });
    expect(bad.statusCode).toBe(400);
  });

  it("gives an embargoed item's metadata and embargo, never its media or transcript", async () => {
    const response = await t.app.inject({ method: "GET", url: `/api/v1/items/${embargoed}?format=ninjs` });
    expect(response.statusCode).toBe(200);
    const doc = response.json();
    expectValidNinjs(doc);
    expect(doc).toMatchObject({
      uri: `http://pressroom.test/api/v1/items/${embargoed}`,
      representationType: "partial",
      embargoedUntil: "2026-11-23T10:00:00.000Z",
      headlines: [{ value: "Embargoed speech" }],
      edNote: expect.stringContaining("2026-11-23 10:00 UTC"),
    });
    expect(doc.renditions).toBeUndefined();
    expect(doc.bodies).toBeUndefined();
    expect(response.body).not.toContain("/media/");
    expect(response.body).not.toContain("/download");
    expect(response.body).not.toContain("secret budget");

    t.clock.advance(3_600_000);
    const lifted = (
      await t.app.inject({ method: "GET", url: `/api/v1/items/${embargoed}?format=ninjs` })
    ).json();
    t.clock.advance(-3_600_000);
    expect(lifted.representationType).toBe("full");
    expect(lifted.bodies[0].value).toBe("10:00:01:00 The secret budget figure is nine.");
    expect(lifted.renditions.map((r: Rendition) => r.name)).toContain("original");
  });

  it("knows no unpublished item, in ninjs as in JSON", async () => {
    const hidden = await t.app.inject({
      method: "GET",
      url: `/api/v1/items/${draft}`,
      headers: { accept: NINJS, "accept-language": "fr" },
    });
    expect(hidden.statusCode).toBe(404);
    expect(hidden.json().error.code).toBe("item_not_found");
    expect(hidden.json().error.message).toMatch(/n'existe pas/);
  });

  it("gives a photo as a picture with its two sizes", async () => {
    const doc = (await t.app.inject({ method: "GET", url: `/api/v1/items/${photo}?format=ninjs` })).json();
    expectValidNinjs(doc);
    expect(doc.type).toBe("picture");
    expect(doc.renditions).toEqual([
      expect.objectContaining({
        name: "original",
        href: `http://pressroom.test/api/v1/items/${photo}/download?format=original`,
        contentType: "image/png",
        width: 4000,
        height: 3000,
        sizeInBytes: 5000,
      }),
      expect.objectContaining({
        name: "web",
        href: `http://pressroom.test/api/v1/items/${photo}/download?format=web`,
        contentType: "image/jpeg",
      }),
      expect.objectContaining({ name: "preview-web", contentType: "image/jpeg" }),
    ]);
  });

  it("gives an event as ninjs with its visible items as associations", async () => {
    const response = await t.app.inject({
      method: "GET",
      url: `/api/v1/events/${slug}`,
      headers: { accept: NINJS },
    });
    expect(response.statusCode).toBe(200);
    expect(response.headers["content-type"]).toBe("application/ninjs+json; charset=utf-8");
    const doc = response.json();
    expectValidNinjs(doc);
    expect(doc).toMatchObject({
      uri: `http://pressroom.test/api/v1/events/${slug}`,
      type: "event",
      title: "Climate summit",
      descriptions: [{ role: "summary", value: "Leaders meet on climate." }],
      eventDetails: { dates: { startDate: "2026-11-23T09:00:00.000Z" } },
      places: [{ name: "Brussels" }],
      pubStatus: "usable",
    });
    const associated = doc.associations as {
      uri: string;
      embargoedUntil?: string;
      renditions?: Rendition[];
    }[];
    const uris = associated.map((a) => a.uri);
    expect(uris).toContain(`http://pressroom.test/api/v1/items/${itemId}`);
    expect(uris).not.toContain(`http://pressroom.test/api/v1/items/${draft}`);
    const video = associated.find((a) => a.uri.endsWith(`/items/${itemId}`));
    expect(video?.renditions?.map((r) => r.name)).toEqual(["preview-hls", "poster"]);
    const held = associated.find((a) => a.uri.endsWith(`/items/${embargoed}`));
    expect(held).toMatchObject({ embargoedUntil: "2026-11-23T10:00:00.000Z" });
    expect(held?.renditions).toBeUndefined();

    const plain = await t.app.inject({ method: "GET", url: `/api/v1/events/${slug}` });
    expect(plain.json().event.slug).toBe(slug);
    const missing = await t.app.inject({ method: "GET", url: "/api/v1/events/nope?format=ninjs" });
    expect(missing.statusCode).toBe(404);
  });

  it("describes both media types in OpenAPI", async () => {
    const spec = (await t.app.inject({ method: "GET", url: "/api/v1/openapi.json" })).json();
    for (const path of ["/api/v1/items/{id}", "/api/v1/events/{slug}"]) {
      const get = spec.paths[path].get;
      expect(Object.keys(get.responses["200"].content)).toEqual(["application/json", NINJS]);
      expect(get.parameters.map((p: { name: string }) => p.name)).toContain("format");
    }
  });
});
