import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  addTranscript,
  createEvent,
  createItem,
  publishedEventWithVideo,
  sessionCookie,
} from "../catalogue/fixtures.ts";
import { mediaUser, readyVideoItem } from "../downloads/fixtures.ts";
import { startTestApp, type TestApp } from "../helpers/app.ts";
import { h264Master } from "../helpers/media.ts";

/** Issue 8, items 9, 10, 12 and 13: what the catalogue, downloads and uploads let slip. */
let t: TestApp;
let published: { itemId: number; slug: string };
/** An item made from a real master, with a transcript: downloadable, with subtitles. */
let real: number;
beforeAll(async () => {
  t = await startTestApp();
  published = await publishedEventWithVideo(t.deps);
  real = await readyVideoItem(t, (await h264Master({ seconds: 2 })).path);
  await addTranscript(t.db, real, [{ start: 0, end: 1.5, speaker: "Spokesperson", text: "Good morning." }]);
});
afterAll(() => t.close());

describe("embargo read through search filters (item 9)", () => {
  it("does not find an embargoed item by a speaker or language heard only in its transcript", async () => {
    const event = await createEvent(t.db, { slug: "embargo-filters" });
    const id = await createItem(t.db, {
      eventId: event.id,
      title: { en: "Briefing to come" },
      embargoUntil: new Date("2030-01-01T00:00:00Z"),
      speakers: [],
      languages: [],
    });
    await addTranscript(t.db, id, [
      { start: 0, end: 2, speaker: "Minister Ekwall", lang: "fr", text: "Une déclaration à venir." },
    ]);
    for (const query of ["speaker=Ekwall", "language=fr&kind=press-conference&event=embargo-filters"]) {
      const api = await t.app.inject({ url: `/api/v1/search?${query}` });
      expect(api.statusCode).toBe(200);
      expect(api.json().results.map((r: { item: { id: number } }) => r.item.id)).not.toContain(id);
      const page = await t.app.inject({ url: `/en/search?${query}` });
      expect(page.body).not.toContain("Briefing to come");
    }
  });
});

describe("private answers (item 10)", () => {
  it("marks every per-user answer private and not stored, and pages as varying with the cookie", async () => {
    const cookie = await mediaUser(t, "private10@x.example");
    for (const url of [
      "/en/account",
      "/api/v1/me",
      "/api/v1/me/downloads",
      "/en/downloads",
      `/api/v1/items/${real}/subtitles?format=vtt`,
      "/en",
    ]) {
      const res = await t.app.inject({ url, headers: { cookie, accept: "text/html" } });
      expect(res.statusCode, url).toBeLessThan(400);
      expect(res.headers["cache-control"], url).toBe("private, no-store");
    }
    const anonymous = await t.app.inject({ url: "/en" });
    expect(String(anonymous.headers.vary)).toMatch(/Cookie/);
  });

  it("does not let the page showing a new API token be kept", async () => {
    const editor = await sessionCookie(t, "editor");
    const page = await t.app.inject({ url: "/en/account", headers: { cookie: editor, accept: "text/html" } });
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1] ?? "";
    const csrfCookie = page.cookies.find((c) => c.name === "_csrf");
    const res = await t.app.inject({
      method: "POST",
      url: "/en/account/tokens",
      headers: {
        cookie: `${editor}; _csrf=${csrfCookie?.value}`,
        "content-type": "application/x-www-form-urlencoded",
        accept: "text/html",
      },
      payload: `_csrf=${encodeURIComponent(csrf)}&tokenName=Tool&scope=read`,
    });
    expect(res.statusCode).toBe(201);
    expect(res.headers["cache-control"]).toBe("private, no-store");
  });
});

describe("download names (item 12)", () => {
  it("takes the extension of a full original from the container, not from the name it was uploaded under", async () => {
    const id = real;
    await t.db.query("UPDATE masters SET original_name = $2 WHERE media_item_id = $1", [
      id,
      'x;filename=evil.html;"ext.html',
    ]);
    const cookie = await mediaUser(t, "names12@x.example");
    const res = await t.app.inject({
      url: `/api/v1/items/${id}/download?format=original`,
      headers: { cookie },
    });
    expect(res.statusCode).toBe(200);
    const disposition = String(res.headers["content-disposition"]);
    expect(disposition).toMatch(/_full_original\.mp4"?$/);
    expect(disposition).not.toContain("html");
    expect(res.headers["content-type"]).toBe("video/mp4");
  });
});

describe("headers, uploads and HEAD (item 13)", () => {
  it("forbids framing with DENY, as CSP frame-ancestors 'none' does, and sends a Permissions-Policy", async () => {
    const res = await t.app.inject({ url: "/en" });
    expect(res.headers["x-frame-options"]).toBe("DENY");
    expect(res.headers["content-security-policy"]).toContain("frame-ancestors 'none'");
    expect(String(res.headers["permissions-policy"])).toMatch(
      /camera=\(\).*microphone=\(\).*geolocation=\(\)/,
    );
  });

  it("answers HEAD on a preview file with the length of its GET", async () => {
    const poster = `/media/items/${published.itemId}/poster.jpg`;
    const get = await t.app.inject({ url: poster });
    const head = await t.app.inject({ method: "HEAD", url: poster });
    expect(get.statusCode).toBe(200);
    expect(head.statusCode).toBe(200);
    expect(Number(head.headers["content-length"])).toBe(get.rawPayload.length);
    expect(Number(head.headers["content-length"])).toBeGreaterThan(0);
    expect(head.rawPayload.length).toBe(0);
  });

  it("lets only the editor who started an upload (or an administrator) delete it", async () => {
    await createEvent(t.db, { slug: "tus-owner" });
    const owner = await sessionCookie(t, "editor");
    const other = await sessionCookie(t, "editor");
    const admin = await sessionCookie(t, "admin");
    const tus = { "tus-resumable": "1.0.0" };
    const metadata = ["filename", "event"]
      .map((k, i) => `${k} ${Buffer.from(i === 0 ? "m.mp4" : "tus-owner").toString("base64")}`)
      .join(",");
    const create = async () => {
      const res = await t.app.inject({
        method: "POST",
        url: "/api/v1/uploads",
        headers: { ...tus, cookie: owner, "upload-length": "1000", "upload-metadata": metadata },
      });
      expect(res.statusCode).toBe(201);
      return String(res.headers.location).replace(/^.*\/uploads\//, "/api/v1/uploads/");
    };
    const first = await create();
    const refused = await t.app.inject({ method: "DELETE", url: first, headers: { ...tus, cookie: other } });
    expect(refused.statusCode).toBe(403);
    const peek = await t.app.inject({ method: "HEAD", url: first, headers: { ...tus, cookie: other } });
    expect(peek.statusCode).toBe(403);
    expect(
      (await t.app.inject({ method: "HEAD", url: first, headers: { ...tus, cookie: owner } })).statusCode,
    ).toBe(200);
    expect(
      (await t.app.inject({ method: "DELETE", url: first, headers: { ...tus, cookie: owner } })).statusCode,
    ).toBe(204);
    const second = await create();
    expect(
      (await t.app.inject({ method: "DELETE", url: second, headers: { ...tus, cookie: admin } })).statusCode,
    ).toBe(204);
  });
});
