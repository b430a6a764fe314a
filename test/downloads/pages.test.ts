import { stat } from "node:fs/promises";
import { Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { formatBytes } from "../../src/downloads/estimate.ts";
import { addRendition, addTranscript, createItem } from "../catalogue/fixtures.ts";
import { PageClient, startTestApp, type TestApp, textOf } from "../helpers/app.ts";
import { h264Master, type TestMaster } from "../helpers/media.ts";
import { mediaUser, readyVideoItem } from "./fixtures.ts";

/**
 * The download panel on the item page and "My downloads", as a browser without JavaScript
 * uses them: every state of the panel, the GET form that sends the browser on to the API,
 * errors shown on the item page with what was typed, and downloading again.
 */
let t: TestApp;
let master: TestMaster;
let itemId: number;

beforeAll(async () => {
  t = await startTestApp();
  master = await h264Master({ seconds: 6 });
  itemId = await readyVideoItem(t, master.path, { audioLabels: [{ index: 0, label: "floor" }] });
  await addTranscript(t.db, itemId, [
    { start: 0.5, end: 1.5, speaker: "Secretary General", text: "Good morning." },
    { start: 2, end: 3.5, speaker: "Secretary General", text: "We met today." },
  ]);
});
afterAll(() => t.close());

async function browserOf(email: string | null, options: { acceptTerms?: boolean } = {}): Promise<PageClient> {
  const client = new PageClient(t.app);
  if (email) {
    const cookie = await mediaUser(t, email, options);
    const [name, value] = cookie.split("=") as [string, string];
    client.cookies.set(name, value);
  }
  return client;
}

const location = (res: { headers: Record<string, unknown> }) => String(res.headers.location);

describe("the download panel", () => {
  it("asks anonymous visitors to log in, and brings them back to the item", async () => {
    const browser = await browserOf(null);
    const page = await browser.get(`/en/items/${itemId}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(
      '<section id="download" class="download-panel" aria-labelledby="download-title">',
    );
    const back = encodeURIComponent(`/en/items/${itemId}#download`);
    expect(page.body).toContain(`<a class="button" href="/en/login?returnTo=${back}">Log in to download</a>`);
    expect(page.body).not.toContain("download-form");
    const submitted = await browser.get(`/en/items/${itemId}/download?range=full&format=original`);
    expect(submitted.statusCode).toBe(303);
    expect(location(submitted)).toBe(`/en/login?returnTo=${back}`);
    const french = textOf((await browser.get(`/fr/items/${itemId}`)).body);
    expect(french).toContain("Se connecter pour télécharger");
  });

  it("shows the usage terms once, then the download form", async () => {
    const browser = await browserOf("terms@x.example", { acceptTerms: false });
    const page = await browser.get(`/en/items/${itemId}`);
    const text = textOf(page.body);
    expect(text).toContain("Before your first download, read and accept the usage terms.");
    expect(text).toContain("Terms for this item Free of charge for news reporting.");
    expect(text).toContain("General terms");
    expect(page.body).not.toContain("download-form");
    // The form route sends the user back to the terms rather than to a 403 from the API.
    const early = await browser.get(`/en/items/${itemId}/download?range=full&format=original`);
    expect(location(early)).toBe(`/en/items/${itemId}#download`);

    const refused = await browser.submit(`/en/items/${itemId}/download-terms`, {}, { csrf: false });
    expect(refused.statusCode).toBe(403);
    await browser.get(`/en/items/${itemId}`);
    const accepted = await browser.submit(`/en/items/${itemId}/download-terms`, {});
    expect(accepted.statusCode).toBe(303);
    expect(location(accepted)).toBe(`/en/items/${itemId}#download`);
    const after = await browser.follow(accepted);
    expect(after.body).toContain("download-form");
    expect(textOf(after.body)).not.toContain("Before your first download");
    const rows = await t.db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM users WHERE email = 'terms@x.example' AND download_terms_accepted_at IS NOT NULL",
    );
    expect(rows[0]?.n).toBe(1);
  });

  it("says why an embargoed or unprocessed item cannot be downloaded", async () => {
    const browser = await browserOf("embargo@x.example");
    const embargoed = await readyVideoItem(t, master.path, {
      embargoUntil: new Date(t.clock.now().getTime() + 3_600_000),
    });
    const page = await browser.get(`/en/items/${embargoed}`);
    expect(textOf(page.body)).toContain(
      "Downloads open when the embargo ends: 23 November 2026 at 10:00 UTC",
    );
    expect(page.body).not.toContain("download-form");
    const submitted = await browser.get(`/en/items/${embargoed}/download?range=full&format=original`);
    expect(location(submitted)).toBe(
      `/en/items/${embargoed}?range=full&in=&out=&format=original&audio=all#download`,
    );
    expect(textOf((await browser.get(`/fr/items/${embargoed}`)).body)).toContain(
      "Les téléchargements ouvrent à la fin de l'embargo",
    );

    const processing = await createItem(t.db, { status: "processing", title: { en: "Soon" } });
    expect(textOf((await browser.get(`/en/items/${processing}`)).body)).toContain(
      "This item is still being processed.",
    );
  });

  it("offers whole or clip, the formats, the sound and the size of the master", async () => {
    const browser = await browserOf("ready@x.example");
    const page = await browser.get(`/en/items/${itemId}`);
    const body = page.body;
    expect(body).toContain(`<form method="get" action="/en/items/${itemId}/download" class="download-form"`);
    expect(body).toMatch(/<input type="radio" id="range-full" name="range" value="full" checked>/);
    expect(body).toContain('<input id="in" name="in" type="text" value="01:00:00:00"');
    expect(body).toContain('<input id="out" name="out" type="text" value="01:00:06:00"');
    const formats = [
      ...body.matchAll(/<input type="radio" id="format-\w+" name="format" value="(\w+)"/g),
    ].map((m) => m[1]);
    expect(formats).toEqual(["original", "mp4", "mxf", "prores", "wav", "mp3"]);
    const sounds = [...body.matchAll(/<option value="(\w+)"/g)].map((m) => m[1]);
    expect(sounds).toEqual(["all", "floor"]);
    const text = textOf(body);
    expect(text).toContain("The whole video, 0:06.00");
    expect(text).toContain("Original master, as it is (MP4, H.264)");
    expect(text).toContain("Floor sound");
    const { size } = await stat(master.path);
    expect(text).toContain(`Size: ${formatBytes(size, "en")}. Duration: 0:06.00.`);
    expect(text).toContain("Subtitles (SRT)");
    expect(body).toContain('<script type="module" src="/static/build/clip-selector.js"></script>');
    expect(textOf((await browser.get(`/fr/items/${itemId}`)).body)).toContain(
      "Master d'origine, tel quel (MP4, H.264)",
    );
  });

  it("offers a photo at its original and web sizes", async () => {
    const browser = await browserOf("photo@x.example");
    const photo = await createItem(t.db, { mediaType: "photo", title: { en: "Family photo" } });
    const original = `items/${photo}/master/photo.jpg`;
    await t.deps.storage.putFile(original, master.path);
    await t.db.query(
      `INSERT INTO masters (media_item_id, storage_key, original_name, bytes, probe, audio_labels, created_at)
       VALUES ($1, $2, 'photo.jpg', 4200000, NULL, '[]', now())`,
      [photo, original],
    );
    const web = `items/${photo}/web.jpg`;
    await t.deps.storage.putStream(web, Readable.from([Buffer.alloc(1500)]));
    await addRendition(t.db, photo, "web", web);
    const page = await browser.get(`/en/items/${photo}`);
    expect(page.body).toContain(`href="/api/v1/items/${photo}/download?format=original">Original</a>`);
    expect(page.body).toContain(`href="/api/v1/items/${photo}/download?format=web">Web size</a>`);
    expect(textOf(page.body)).toContain("Original 4.2 MB Web size 1.5 kB");
    // A hand-made link opened in the browser: a page that says why and leads back to the item.
    const asVideo = await browser.get(`/api/v1/items/${photo}/download?format=mp4`);
    expect(asVideo.statusCode).toBe(400);
    expect(asVideo.headers["content-type"]).toMatch(/^text\/html/);
    expect(textOf(asVideo.body)).toContain('A photo is downloaded as "original" or "web", not "mp4".');
    expect(asVideo.body).toContain(`<a href="/en/items/${photo}#download">Back to the item</a>`);
    // A program gets the API's answer.
    const byProgram = await browser.request({
      method: "GET",
      url: `/api/v1/items/${photo}/download?format=mp4`,
      headers: { accept: "*/*" },
    });
    expect(byProgram.json().error).toMatchObject({
      code: "photo_format",
      message: 'A photo is downloaded as "original" or "web", not "mp4".',
    });
  });
});

describe("the form without JavaScript", () => {
  it("sends the browser to the API with IN/OUT as the master's timecodes", async () => {
    const browser = await browserOf("form@x.example");
    const clip = await browser.get(
      `/en/items/${itemId}/download?range=partial&in=01:00:01:00&out=3&format=mp4&audio=floor`,
    );
    expect(clip.statusCode).toBe(303);
    expect(location(clip)).toBe(
      `/api/v1/items/${itemId}/download?format=mp4&in=01%3A00%3A01%3A00&out=01%3A00%3A03%3A00&audio=floor`,
    );
    const file = await browser.follow(clip);
    expect(file.statusCode, file.body).toBe(200);
    expect(file.headers["content-disposition"]).toMatch(/_01-00-01-00_01-00-03-00_mp4\.mp4"$/);

    const whole = await browser.get(
      `/en/items/${itemId}/download?range=full&in=01:00:01:00&out=3&format=original&audio=all`,
    );
    expect(location(whole)).toBe(`/api/v1/items/${itemId}/download?format=original`);
    // A link written by hand with a range the form never sends keeps its format and points.
    const odd = await browser.get(`/en/items/${itemId}/download?range=zzz&format=mp4`);
    expect(location(odd)).toBe(`/api/v1/items/${itemId}/download?format=mp4`);
    const oddClip = await browser.get(`/en/items/${itemId}/download?in=1&out=3&format=mp4`);
    expect(location(oddClip)).toBe(
      `/api/v1/items/${itemId}/download?format=mp4&in=01%3A00%3A01%3A00&out=01%3A00%3A03%3A00`,
    );

    const subtitles = await browser.get(
      `/en/items/${itemId}/download?range=partial&in=1&out=3&format=mp4&audio=all&subtitles=vtt`,
    );
    expect(location(subtitles)).toBe(
      `/api/v1/items/${itemId}/subtitles?format=vtt&in=01%3A00%3A01%3A00&out=01%3A00%3A03%3A00`,
    );
    const vtt = await browser.follow(subtitles);
    expect(vtt.body).toBe(
      "WEBVTT\n\n1\n00:00:00.000 --> 00:00:00.500\n<v Secretary General>Good morning.\n\n2\n00:00:01.000 --> 00:00:02.000\n<v Secretary General>We met today.\n",
    );
  });

  it("shows a bad IN or OUT on the item page, translated, with what was typed", async () => {
    const browser = await browserOf("typo@x.example");
    const bad = await browser.get(
      `/fr/items/${itemId}/download?range=partial&in=abc&out=01:00:03:00&format=mp4&audio=all`,
    );
    expect(bad.statusCode).toBe(303);
    expect(location(bad)).toBe(
      `/fr/items/${itemId}?range=partial&in=abc&out=01%3A00%3A03%3A00&format=mp4&audio=all#download`,
    );
    const page = await browser.follow(bad);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<div class="error-summary" role="alert" tabindex="-1" autofocus>');
    expect(page.body).toContain(
      '<li><a href="#in">« abc » n&#39;est pas un timecode. Utilisez HH:MM:SS:II ou des secondes.</a></li>',
    );
    expect(page.body).toMatch(/<input id="in" name="in" type="text" value="abc"[^>]*aria-invalid="true"/);
    expect(page.body).toContain('<input id="out" name="out" type="text" value="01:00:03:00"');
    expect(page.body).toMatch(/<input type="radio" id="range-partial" name="range" value="partial" checked>/);
    expect(page.body).toMatch(/<input type="radio" id="format-mp4" name="format" value="mp4" checked>/);

    const beyond = await browser.follow(
      await browser.get(
        `/en/items/${itemId}/download?range=partial&in=01:00:01:00&out=01:00:09:00&format=mp4`,
      ),
    );
    expect(beyond.body).toContain(
      '<ul class="error" id="out-error"><li>The clip from 01:00:01:00 to 01:00:09:00 is outside the video, which runs from 01:00:00:00 to 01:00:06:00.</li></ul>',
    );
    expect(beyond.body).not.toContain('id="in-error"');

    const backwards = await browser.follow(
      await browser.get(`/en/items/${itemId}/download?range=partial&in=4&out=2&format=mp4`),
    );
    expect(backwards.body).not.toContain('id="in-error"');
    expect(backwards.body).toContain(
      '<ul class="error" id="out-error"><li>OUT must come after IN.</li></ul>',
    );
  });

  it("updates the size for the clip when asked", async () => {
    const browser = await browserOf("size@x.example");
    const asked = await browser.get(
      `/en/items/${itemId}/download?range=partial&in=01:00:01:00&out=01:00:03:00&format=wav&audio=all&estimate=1`,
    );
    const page = await browser.follow(asked);
    // 2 s of one mono 24-bit 48 kHz track, and the WAV header.
    expect(textOf(page.body)).toContain("Size: about 288 kB. Duration: 0:02.00.");
  });
});

describe("My downloads", () => {
  it("needs a log-in", async () => {
    const res = await (await browserOf(null)).get("/en/downloads");
    expect(res.statusCode).toBe(303);
    expect(location(res)).toBe(`/en/login?returnTo=${encodeURIComponent("/en/downloads")}`);
  });

  it("lists downloads newest first, each with its item and a working link to download it again", async () => {
    const browser = await browserOf("history@x.example");
    const empty = await browser.get("/en/downloads");
    expect(textOf(empty.body)).toContain("You have not downloaded anything yet.");
    await browser.follow(await browser.get(`/en/items/${itemId}/download?range=full&format=original`));
    t.clock.advance(60_000);
    await browser.follow(
      await browser.get(
        `/en/items/${itemId}/download?range=partial&in=01:00:02:00&out=01:00:04:00&format=mp4`,
      ),
    );
    // The bytes sent are recorded when each response has ended (over inject, a streamed clip's
    // count can come out as 0: the API's business, not this page's).
    await vi.waitFor(async () => {
      const [row] = await t.db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM downloads d JOIN users u ON u.id = d.user_id
         WHERE u.email = 'history@x.example' AND d.bytes IS NULL`,
      );
      expect(row?.n).toBe(0);
    });
    const page = await browser.get("/en/downloads");
    expect(page.statusCode).toBe(200);
    const text = textOf(page.body);
    expect(text).toMatch(
      /Press conference 01:00:02:00 – 01:00:04:00 MP4 H\.264, high bit rate, AAC audio [\d.]+ (kB|bytes) 23 November 2026 at 09:01 UTC Download again Press conference Whole item Original master, as it is [\d.]+ kB/,
    );
    const again = [...page.body.matchAll(/<a href="([^"]+)" aria-label="[^"]+">Download again/g)].map((m) =>
      m[1]!.replace(/&amp;/g, "&"),
    );
    // Every row's link says "Download again": its accessible name says which clip it repeats.
    expect([...page.body.matchAll(/aria-label="(Download again[^"]+)"/g)].map((m) => m[1])).toEqual([
      "Download again: Press conference, 01:00:02:00 – 01:00:04:00, MP4 H.264, high bit rate, AAC audio",
      "Download again: Press conference, Whole item, Original master, as it is",
    ]);
    expect(again).toEqual([
      `/api/v1/items/${itemId}/download?format=mp4&in=01%3A00%3A02%3A00&out=01%3A00%3A04%3A00`,
      `/api/v1/items/${itemId}/download?format=original`,
    ]);
    const file = await browser.get(again[0]!);
    expect(file.statusCode).toBe(200);
    expect(file.headers["content-disposition"]).toMatch(/_01-00-02-00_01-00-04-00_mp4\.mp4"$/);
    expect(page.body).toContain(`<a href="/en/items/${itemId}">Press conference</a>`);
    const french = textOf((await browser.get("/fr/downloads")).body);
    expect(french).toContain("Mes téléchargements");
    expect(french).toContain("Conférence de presse 01:00:02:00 – 01:00:04:00");
  });
});
