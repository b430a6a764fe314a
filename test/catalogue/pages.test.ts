import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { replaceTranscript, transcriptOf } from "../../src/catalogue/transcript-store.ts";
import { startTestApp, type TestApp, textOf } from "../helpers/app.ts";
import {
  addMaster,
  addProgramme,
  addRendition,
  addTranscript,
  createEvent,
  createItem,
  publishedEventWithVideo,
  sessionCookie,
} from "./fixtures.ts";

/** Home, event and item pages as media users and editors see them, without JavaScript. */
describe("catalogue pages", () => {
  let t: TestApp;
  let editor: string;
  let media: string;
  const get = (url: string, cookie?: string) =>
    t.app.inject({ method: "GET", url, headers: { accept: "text/html", ...(cookie ? { cookie } : {}) } });

  beforeAll(async () => {
    t = await startTestApp();
    editor = await sessionCookie(t, "editor");
    media = await sessionCookie(t, "media");
  });
  afterAll(async () => {
    await t?.close();
  });

  it("home lists the latest events and items newest first, with poster, date, place, duration and kind", async () => {
    const older = await createEvent(t.db, {
      title: { en: "Older ministerial meeting" },
      place: { en: "Luxembourg", fr: "Luxembourg" },
      startsAt: new Date("2026-10-01T09:00:00Z"),
    });
    const newer = await createEvent(t.db, {
      title: { en: "Newer summit" },
      place: { en: "Brussels", fr: "Bruxelles" },
      startsAt: new Date("2026-11-20T09:00:00Z"),
    });
    await createEvent(t.db, {
      title: { en: "Draft event" },
      publishedAt: null,
      startsAt: new Date("2026-11-22T09:00:00Z"),
    });
    const first = await createItem(t.db, {
      eventId: older.id,
      title: { en: "Older doorstep" },
      kind: "doorstep",
      recordedAt: new Date("2026-10-01T10:00:00Z"),
      durationSeconds: 95,
    });
    await addRendition(t.db, first, "poster", `items/${first}/poster.jpg`);
    await createItem(t.db, {
      eventId: newer.id,
      title: { en: "Newer speech" },
      kind: "speech",
      recordedAt: new Date("2026-11-20T10:00:00Z"),
      durationSeconds: 3725,
    });
    await createItem(t.db, { title: { en: "Unpublished interview" }, publishedAt: null });

    const response = await get("/en");
    expect(response.statusCode).toBe(200);
    // The site's name once, and an icon, so browsers do not ask for a missing /favicon.ico.
    expect(response.body).toContain("<title>Pressroom</title>");
    expect(response.body).toContain('<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">');
    expect((await get("/static/favicon.svg")).statusCode).toBe(200);
    const text = textOf(response.body);
    expect(text.indexOf("Newer summit")).toBeLessThan(text.indexOf("Older ministerial meeting"));
    expect(text.indexOf("Newer speech")).toBeLessThan(text.indexOf("Older doorstep"));
    expect(text).not.toContain("Draft event");
    expect(text).not.toContain("Unpublished interview");
    expect(text).toContain("Speech · 20 November 2026 · Brussels · Duration 1:02:05");
    expect(text).toContain("Doorstep · 1 October 2026 · Luxembourg · Duration 1:35");
    expect(response.body).toContain(`src="/media/items/${first}/poster.jpg"`);
    expect(response.body).toContain('<link rel="alternate" type="application/rss+xml" href="/en/feed.xml"');

    const french = textOf((await get("/fr")).body);
    expect(french).toContain("Discours · 20 novembre 2026 · Bruxelles");
  });

  it("shows an event in the page's language, offers the other one, and falls back when only one exists", async () => {
    const event = await createEvent(t.db, {
      title: { en: "Foreign ministers meet", fr: "Réunion des ministres des affaires étrangères" },
      summary: { en: "Ministers discuss security.", fr: "Les ministres discutent de sécurité." },
      body: { en: "A longer English text.", fr: "Un texte plus long en français." },
      place: { en: "Brussels", fr: "Bruxelles" },
    });
    const en = await get(`/en/events/${event.slug}`);
    expect(en.statusCode).toBe(200);
    expect(textOf(en.body)).toContain("Ministers discuss security. A longer English text.");
    expect(textOf(en.body)).not.toContain("Un texte plus long");
    expect(en.body).toContain(
      `<a href="/fr/events/${event.slug}" hreflang="fr" lang="fr">Lire cette page en français</a>`,
    );
    const fr = await get(`/fr/events/${event.slug}`);
    expect(textOf(fr.body)).toContain("Les ministres discutent de sécurité. Un texte plus long en français.");

    const frenchOnly = await createEvent(t.db, {
      title: { fr: "Visite officielle" },
      summary: { fr: "Le président visite la région." },
    });
    const fallback = await get(`/en/events/${frenchOnly.slug}`);
    expect(fallback.body).toContain('<h1><span lang="fr">Visite officielle</span></h1>');
    expect(fallback.body).toContain('<p lang="fr">Le président visite la région.</p>');
    expect(textOf(fallback.body)).toContain("This event is described only in French.");
    expect(fallback.body).not.toContain("Read this page in English");
  });

  it("lists the programme in order with times and links to the recorded items", async () => {
    const event = await createEvent(t.db, { title: { en: "Summit day" } });
    const conference = await createItem(t.db, {
      eventId: event.id,
      kind: "press-conference",
      durationSeconds: 1800,
      title: { en: "Conference" },
    });
    const hidden = await createItem(t.db, {
      eventId: event.id,
      publishedAt: null,
      title: { en: "Hidden arrival" },
    });
    await addProgramme(t.db, event.id, [
      {
        position: 3,
        title: { en: "Press conference" },
        startsAt: new Date("2026-11-23T12:30:00Z"),
        itemId: conference,
      },
      {
        position: 1,
        title: { en: "Arrival of leaders" },
        startsAt: new Date("2026-11-23T08:00:00Z"),
        itemId: hidden,
      },
      {
        position: 2,
        title: { en: "Family photo", fr: "Photo de famille" },
        startsAt: new Date("2026-11-23T09:15:00Z"),
      },
    ]);
    const page = await get(`/en/events/${event.slug}`);
    const programme = page.body.slice(
      page.body.indexOf('class="programme"'),
      page.body.indexOf("</ol>", page.body.indexOf('class="programme"')),
    );
    const text = textOf(programme);
    expect(text.indexOf("08:00 Arrival of leaders")).toBeGreaterThan(-1);
    expect(text.indexOf("08:00 Arrival")).toBeLessThan(text.indexOf("09:15 Family photo"));
    expect(text.indexOf("09:15 Family photo")).toBeLessThan(text.indexOf("12:30 Press conference"));
    expect(programme).toContain(`href="/en/items/${conference}"`);
    expect(text).toContain("Press conference — Press conference (30:00)");
    // An unpublished item is not linked for media users, but is for editors.
    expect(programme).not.toContain(`/en/items/${hidden}`);
    const asEditor = await get(`/en/events/${event.slug}`, editor);
    expect(asEditor.body).toContain(`href="/en/items/${hidden}"`);
    expect(textOf((await get(`/fr/events/${event.slug}`)).body)).toContain("09:15 Photo de famille");
  });

  it("shows the photo gallery one photo at a time with 1 / N links that work without JavaScript", async () => {
    const event = await createEvent(t.db, { title: { en: "Photo day" } });
    const photos: number[] = [];
    for (const n of [1, 2, 3]) {
      const id = await createItem(t.db, {
        eventId: event.id,
        mediaType: "photo",
        kind: "photo-opportunity",
        position: n,
        title: { en: `Photo ${n}` },
        credit: "EU",
      });
      await addRendition(t.db, id, "web", `items/${id}/web.jpg`);
      photos.push(id);
    }
    const page = await get(`/en/events/${event.slug}?photo=2`);
    expect(textOf(page.body)).toContain("Previous photo 2 / 3 Next photo");
    expect(page.body).toContain(`src="/media/items/${photos[1]}/web.jpg" alt="Photo 2"`);
    expect(page.body).toContain(`href="/en/events/${event.slug}?photo=1#gallery" rel="prev"`);
    expect(page.body).toContain(`href="/en/events/${event.slug}?photo=3#gallery" rel="next"`);
    expect(page.body).toContain('<script type="module" src="/static/build/gallery.js"></script>');
    const first = await get(`/en/events/${event.slug}`);
    expect(textOf(first.body)).toContain("1 / 3");
    expect(first.body).toContain('aria-disabled="true" data-gallery-step="-1"');
  });

  it("404s unknown and unpublished events for media users; editors preview them", async () => {
    const draft = await createEvent(t.db, { title: { en: "Secret draft" }, publishedAt: null });
    expect((await get("/en/events/no-such-event")).statusCode).toBe(404);
    const hidden = await get(`/en/events/${draft.slug}`, media);
    expect(hidden.statusCode).toBe(404);
    expect(textOf(hidden.body)).toContain("This event does not exist or is no longer available.");
    const preview = await get(`/en/events/${draft.slug}`, editor);
    expect(preview.statusCode).toBe(200);
    expect(textOf(preview.body)).toContain("This event is not published");
  });

  it("shows an item with its player, transcript in speaker turns with Q&A, shot list and usage terms", async () => {
    const { itemId } = await publishedEventWithVideo(t.deps);
    await t.db.query("UPDATE media_items SET speakers = $2 WHERE id = $1", [
      itemId,
      ["Anna Berg, President", "Marie Dubois"],
    ]);
    const page = await get(`/en/items/${itemId}`, media);
    expect(page.statusCode).toBe(200);
    const text = textOf(page.body);
    // Two people, one of them with a title: a list, not "Anna Berg, President, Marie Dubois".
    expect(page.body).toContain(
      '<ul class="speakers"><li>Anna Berg, President</li><li>Marie Dubois</li></ul>',
    );
    expect(page.body).toContain(`data-src="/media/items/${itemId}/hls/master.m3u8"`);
    expect(page.body).toContain('data-rate-num="25" data-rate-den="1" data-start-timecode="10:00:00:00"');
    expect(page.body).toContain(`poster="/media/items/${itemId}/poster.jpg"`);
    expect(page.body).toContain('<script type="module" src="/static/build/player.js"></script>');
    expect(page.body).toContain('<script type="module" src="/static/build/transcript.js"></script>');
    expect(text).toContain("Transcript (as delivered)");
    expect(text).toContain(
      "President Anna Berg 10:00:00:00 Good morning and welcome to this press conference. Today we agreed on a new climate package.",
    );
    expect(text).toContain("Question: Marie Dubois (Radio France) 10:00:04:00 Que pensent les ministres");
    expect(page.body).toContain(
      `<a class="sentence" href="/en/items/${itemId}?t=4#player" data-start="4" data-end="6" data-position="2" lang="fr">`,
    );
    expect(text).toContain("1. Wide shot of the press room");
    expect(text).toContain("Usage terms Free for news use. Credit: Pressroom");
    expect(text).toContain("Start timecode 10:00:00:00");
    expect(page.body).toContain(
      '<section id="download" class="download-panel" aria-labelledby="download-title">',
    );
    const french = textOf((await get(`/fr/items/${itemId}`)).body);
    expect(french).toContain("Transcription");
    expect(french).toContain("Question : Marie Dubois (Radio France)");
    expect(french).toContain("Libre pour l'information.");
  });

  it("shows a note of the transcript such as (As delivered) on its own, not as the first words of a turn", async () => {
    const { itemId } = await publishedEventWithVideo(t.deps);
    const segments = await transcriptOf(t.db, itemId);
    const first = segments[0]!;
    const note = { ...first, startSeconds: null, endSeconds: null, text: "(As delivered)", words: null };
    await replaceTranscript(
      t.db,
      itemId,
      [note, ...segments].map((s, i) => ({ ...s, position: i + 1 })),
      t.clock.now(),
    );
    const page = await get(`/en/items/${itemId}`, media);
    expect(page.body).toContain(
      '<p class="transcript-note"><span class="sentence" data-position="1">(As delivered)</span></p>',
    );
    // The speaker's turn begins with their own first sentence.
    expect(textOf(page.body)).toContain("(As delivered) President Anna Berg 10:00:00:00 Good morning");
  });

  it("starts the player at ?t=", async () => {
    const { itemId } = await publishedEventWithVideo(t.deps);
    const page = await get(`/en/items/${itemId}?t=4.5`);
    expect(page.body).toContain('data-start-at="4.5"');
    // On the preview's own clock, whose first picture comes 0.08 s in (x264's B-frames).
    expect(page.body).toContain(`src="/media/items/${itemId}/hls/master.m3u8#t=4.58"`);
    expect(page.body).toContain("<output data-timecode>10:00:04:12</output>");
    expect((await get(`/en/items/${itemId}?t=junk`)).body).toContain('data-start-at=""');
  });

  it("shows an embargoed item's time but neither player nor transcript until the embargo passes", async () => {
    const embargoUntil = new Date(t.clock.now().getTime() + 3_600_000);
    const itemId = await createItem(t.db, { title: { en: "Embargoed speech" }, embargoUntil });
    await addRendition(t.db, itemId, "hls", `items/${itemId}/hls/master.m3u8`);
    await addTranscript(t.db, itemId, [{ start: 0, end: 2, text: "Secret words before the embargo." }]);
    const before = await get(`/en/items/${itemId}`, media);
    expect(before.statusCode).toBe(200);
    expect(textOf(before.body)).toContain("Under embargo until 23 November 2026 at 10:00 UTC");
    expect(before.body).not.toContain("data-player");
    expect(before.body).not.toContain("Secret words");
    const french = textOf((await get(`/fr/items/${itemId}`)).body);
    expect(french).toContain("Sous embargo jusqu'au 23 novembre 2026 à 10:00 UTC");
    const asEditor = await get(`/en/items/${itemId}`, editor);
    expect(asEditor.body).toContain("data-player");
    expect(asEditor.body).toContain("Secret words");

    t.clock.advance(3_600_000);
    const after = await get(`/en/items/${itemId}`, media);
    expect(after.body).toContain("data-player");
    expect(after.body).toContain("Secret words before the embargo.");
    expect(textOf(after.body)).not.toContain("Under embargo");
  });

  it("404s unpublished items for media users and shows them to editors", async () => {
    const itemId = await createItem(t.db, { title: { en: "Draft interview" }, publishedAt: null });
    for (const cookie of [undefined, media]) {
      const page = await get(`/en/items/${itemId}`, cookie);
      expect(page.statusCode).toBe(404);
      expect(page.body).not.toContain("Draft interview");
    }
    expect((await get("/en/items/999999")).statusCode).toBe(404);
    expect((await get("/en/items/abc")).statusCode).toBe(404);
    const preview = await get(`/en/items/${itemId}`, editor);
    expect(preview.statusCode).toBe(200);
    expect(textOf(preview.body)).toContain("This item is not published");
  });

  it("shows progress while processing and a notice when processing failed", async () => {
    const processing = await createItem(t.db, {
      title: { en: "Being processed" },
      status: "processing",
      progress: 42,
    });
    const page = await get(`/en/items/${processing}`);
    expect(page.body).toContain('<progress max="100" value="42" aria-labelledby="progress-label">');
    expect(page.body).not.toContain("data-player");
    const failed = await createItem(t.db, {
      title: { en: "Broken upload" },
      status: "failed",
      statusReason: "moov atom not found",
    });
    const failedPage = textOf((await get(`/en/items/${failed}`, media)).body);
    expect(failedPage).toContain("This item could not be processed.");
    expect(failedPage).not.toContain("moov atom");
    expect(textOf((await get(`/en/items/${failed}`, editor)).body)).toContain("Reason: moov atom not found");
  });

  it("tells an editor previewing a draft without a master file that none was uploaded, not that it is processed", async () => {
    // Found by hand: a draft made through the API without a file read "This item is being processed".
    const draft = await createItem(t.db, {
      title: { en: "No file yet" },
      status: "uploaded",
      publishedAt: null,
    });
    const english = textOf((await get(`/en/items/${draft}`, editor)).body);
    expect(english).toContain(
      "No master file has been uploaded for this item yet: there is nothing to preview.",
    );
    expect(english).toContain("No master file has been uploaded yet: there is nothing to download.");
    expect(english).not.toContain("being processed");
    const french = textOf((await get(`/fr/items/${draft}`, editor)).body);
    expect(french).toContain("Aucun fichier master n'a encore été téléversé pour cet élément");
    expect(french).not.toContain("en cours de traitement");
    expect((await get(`/en/items/${draft}`, editor)).body).not.toContain("<progress");

    // Its master in (an import cut off before processing started): it is processed, as it says.
    await addMaster(t.db, draft);
    const withMaster = textOf((await get(`/en/items/${draft}`, editor)).body);
    expect(withMaster).toContain("This item is being processed.");
    expect(withMaster).not.toContain("No master file");
  });

  it("shows a journalist a published item in every status as before", async () => {
    const said = async (status: "uploaded" | "processing" | "ready" | "failed", master: boolean) => {
      const id = await createItem(t.db, { title: { en: `Published, ${status}` }, status });
      if (master) await addMaster(t.db, id);
      const pages = await Promise.all([get(`/en/items/${id}`, media), get(`/en/items/${id}`)]);
      return pages.map((p) => {
        const text = textOf(p.body);
        expect(text).not.toContain("No master file");
        return [
          text.includes("This item is being processed."),
          text.includes("This item is still being processed."),
          text.includes("This item could not be processed."),
        ];
      });
    };
    const processing = [true, true, false];
    expect(await said("uploaded", false)).toEqual([processing, processing]);
    expect(await said("uploaded", true)).toEqual([processing, processing]);
    expect(await said("processing", true)).toEqual([processing, processing]);
    expect(await said("ready", true)).toEqual([
      [false, false, false],
      [false, false, false],
    ]);
    expect(await said("failed", true)).toEqual([
      [false, false, true],
      [false, false, true],
    ]);
  });

  it("lists under Latest what became available last, whatever its recording date (issue 10)", async () => {
    const minutesAgo = (minutes: number) => new Date(t.clock.now().getTime() - minutes * 60_000);
    await createItem(t.db, {
      title: { en: "Recorded yesterday, published in January" },
      recordedAt: minutesAgo(1440),
    });
    await createItem(t.db, {
      title: { en: "Archive footage from 2019" },
      recordedAt: new Date("2019-05-01T10:00:00Z"),
      publishedAt: minutesAgo(2),
    });
    await createItem(t.db, { title: { en: "Undated photo" }, recordedAt: null, publishedAt: minutesAgo(3) });
    await createItem(t.db, {
      title: { en: "Embargo lifted a minute ago" },
      recordedAt: new Date("2026-06-01T10:00:00Z"),
      publishedAt: new Date("2026-11-01T10:00:00Z"),
      embargoUntil: minutesAgo(1),
    });
    await createItem(t.db, {
      title: { en: "Statement under embargo" },
      publishedAt: minutesAgo(4),
      embargoUntil: new Date(t.clock.now().getTime() + 86_400_000),
    });

    const latest = textOf((await get("/en")).body).split("Latest videos and photos")[1] ?? "";
    const order = [
      "Embargo lifted a minute ago",
      "Archive footage from 2019",
      "Undated photo",
      "Statement under embargo",
      "Recorded yesterday, published in January",
    ].map((title) => latest.indexOf(title));
    expect(order.every((at) => at >= 0)).toBe(true);
    expect(order).toEqual([...order].sort((a, b) => a - b));
  });
});
