import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp, textOf } from "../helpers/app.ts";
import { addMaster, addRendition, addTranscript, createItem, sessionCookie } from "./fixtures.ts";

/**
 * Search inside one item's transcript (issue 10): on the item page (list, marks on the
 * timeline and in the transcript) and as JSON, never through an embargo.
 */
describe("search inside an item's transcript", () => {
  let t: TestApp;
  let itemId: number;
  const get = (url: string, cookie?: string) =>
    t.app.inject({ method: "GET", url, headers: { accept: "text/html", ...(cookie ? { cookie } : {}) } });
  const api = (id: number, q: string, cookie?: string) =>
    t.app.inject({
      method: "GET",
      url: `/api/v1/items/${id}/transcript/search?q=${encodeURIComponent(q)}`,
      headers: cookie ? { cookie } : {},
    });
  /** The list of found sentences, as text. */
  const listed = (body: string) =>
    textOf((body.match(/<ol class="sentence-matches"[\s\S]*?<\/ol>/)?.[0] ?? "").replace(/<\/?mark>/g, ""));
  const ticks = (body: string) => body.match(/<line class="tick" x1="[^"]*"/g) ?? [];

  beforeAll(async () => {
    t = await startTestApp();
    // A 10-second video whose master starts at 10:00:00:00, 25 frames a second.
    itemId = await createItem(t.db, { title: { en: "Ministers' press conference" }, durationSeconds: 10 });
    await addRendition(t.db, itemId, "hls", `items/${itemId}/hls/master.m3u8`);
    await addMaster(t.db, itemId);
    await addTranscript(t.db, itemId, [
      { start: 0, end: 2.5, speaker: "President Anna Berg", text: "Good morning and welcome." },
      {
        start: 2.5,
        end: 4,
        speaker: "President Anna Berg",
        text: "Today we agreed on a new climate package.",
      },
      {
        start: 4,
        end: 6,
        speaker: "Marie Dubois",
        question: true,
        lang: "fr",
        text: "Que pensent les ministres des affaires étrangères de cet accord ?",
      },
      { start: 6, end: 8.4, speaker: "President Anna Berg", text: "They welcomed it unanimously." },
      { start: 8.4, end: 10, speaker: "President Anna Berg", text: "The package will be funded next year." },
    ]);
  });
  afterAll(async () => {
    await t?.close();
  });

  it("lists the sentences holding a word with the master's timecodes, and marks them on the timeline and in the transcript", async () => {
    const page = await get(`/en/items/${itemId}?q=packages`);
    expect(page.statusCode).toBe(200);
    expect(textOf(page.body)).toContain("Search this transcript");
    expect(textOf(page.body)).toContain("2 sentences match.");
    expect(listed(page.body)).toBe(
      "10:00:02:12 President Anna Berg: Today we agreed on a new climate package. " +
        "10:00:08:10 President Anna Berg: The package will be funded next year.",
    );
    expect(page.body).toContain("<mark>package</mark>");
    // Each plays from its sentence, and keeps the search when it loads the page (no JavaScript).
    expect(page.body).toContain(`href="/en/items/${itemId}?t=2.5&amp;q=packages#player" data-seek="2.5"`);
    expect(page.body).toContain(`href="/en/items/${itemId}?t=8.4&amp;q=packages#player" data-seek="8.4"`);
    // Under the video: a tick at 25 % and at 84 % of its 10 seconds.
    expect(ticks(page.body)).toEqual(['<line class="tick" x1="25.000%"', '<line class="tick" x1="84.000%"']);
    expect(page.body).toContain("/static/build/transcript-search.js");
    // In the full transcript the two sentences are marked, the others not.
    const found = page.body.match(/<a class="sentence found"[^>]*>[\s\S]*?<\/a>/g) ?? [];
    expect(found.map((a) => textOf(a.replace(/<\/?mark>/g, "")))).toEqual([
      "Today we agreed on a new climate package.",
      "The package will be funded next year.",
    ]);
    expect(page.body).toContain(">They welcomed it unanimously.</a>");

    // Without ?q= the page shows the form and nothing found.
    const plain = await get(`/en/items/${itemId}`);
    expect(plain.body).toContain('name="q"');
    expect(plain.body).not.toContain("sentence found");
    expect(ticks(plain.body)).toEqual([]);
  });

  it("ignores accents and case, speaks French on French pages, and leaves out -words", async () => {
    const page = await get(`/fr/items/${itemId}?q=ETRANGERES`);
    expect(textOf(page.body)).toContain("Rechercher dans la transcription");
    expect(textOf(page.body)).toContain("1 phrase correspond.");
    expect(listed(page.body)).toBe(
      "10:00:04:00 Marie Dubois : Que pensent les ministres des affaires étrangères de cet accord ?",
    );
    expect(page.body).toContain("<mark>étrangères</mark>");
    expect(ticks(page.body)).toEqual(['<line class="tick" x1="40.000%"']);

    const without = await get(`/en/items/${itemId}?q=${encodeURIComponent("package -funded")}`);
    expect(textOf(without.body)).toContain("1 sentence matches.");
    expect(listed(without.body)).toContain("Today we agreed on a new climate package.");
    expect(textOf((await get(`/en/items/${itemId}?q=parliament`)).body)).toContain("No sentence matches.");
  });

  it("answers the same sentences as JSON", async () => {
    const response = await api(itemId, "package");
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      matches: [
        {
          position: 1,
          start: 2.5,
          end: 4,
          timecode: "10:00:02:12",
          speaker: "President Anna Berg",
          lang: "en",
          spokenLang: "en",
          text: "Today we agreed on a new climate package.",
          marks: [[33, 40]],
          url: `${t.deps.config.publicUrl}/en/items/${itemId}?t=2.5`,
        },
        {
          position: 4,
          start: 8.4,
          end: 10,
          timecode: "10:00:08:10",
          speaker: "President Anna Berg",
          lang: "en",
          spokenLang: "en",
          text: "The package will be funded next year.",
          marks: [[4, 11]],
          url: `${t.deps.config.publicUrl}/en/items/${itemId}?t=8.4`,
        },
      ],
      total: 2,
      truncated: false,
    });
    const spec = (await t.app.inject({ method: "GET", url: "/api/v1/openapi.json" })).json();
    expect(spec.paths["/api/v1/items/{id}/transcript/search"].get.summary).toMatch(/transcript/);
  });

  it("never searches an embargoed transcript, on the page or in the API, until it may play", async () => {
    const embargoUntil = new Date(t.clock.now().getTime() + 3_600_000);
    const secret = await createItem(t.db, { title: { en: "Embargoed speech" }, embargoUntil });
    await addRendition(t.db, secret, "hls", `items/${secret}/hls/master.m3u8`);
    await addTranscript(t.db, secret, [{ start: 1, end: 2, text: "Secret words before the embargo." }]);
    const media = await sessionCookie(t, "media");
    const page = await get(`/en/items/${secret}?q=secret`, media);
    expect(page.statusCode).toBe(200);
    expect(page.body).not.toMatch(/secret words|sentence(s)? match|<mark>|data-match-marks|name="q"/i);
    const json = await api(secret, "secret", media);
    expect(json.statusCode).toBe(403);
    expect(json.body).not.toMatch(/secret words/i);

    const editor = await sessionCookie(t, "editor");
    expect(textOf((await get(`/en/items/${secret}?q=secret`, editor)).body)).toContain("1 sentence matches.");
    t.clock.advance(3_600_000);
    expect((await api(secret, "secret", media)).json().total).toBe(1);
  });

  it("explains a query with nothing to look for, and survives control characters and a 100 kB query", async () => {
    const message = async (q: string, lang = "en") => {
      const page = await get(`/${lang}/items/${itemId}?q=${encodeURIComponent(q)}`);
      expect(page.statusCode).toBe(200);
      expect(page.body).not.toContain("sentence found");
      return textOf(page.body.match(/<section class="transcript-search"[\s\S]*?<\/section>/)?.[0] ?? "");
    };
    expect(await message("the")).toContain("These words are too common to search for.");
    expect(await message("de")).toContain("These words are too common to search for.");
    expect(await message('"" OR -')).toContain("Type the words to find");
    expect(await message("-package")).toContain("Type the words to find");
    expect(await message("   ", "fr")).toContain("Tapez les mots à trouver");

    for (const q of ["the", '"" OR']) {
      const response = await api(itemId, q);
      expect(response.statusCode).toBe(400);
      expect(response.json().error.code).toMatch(/^search_(common|needs)_words$/);
    }
    expect((await api(itemId, "x".repeat(3000))).statusCode).toBe(400);

    // A NUL is refused before any page runs (web/bad-input.ts); other controls are spaces.
    expect((await get(`/en/items/${itemId}?q=package%00`)).statusCode).toBe(400);
    const controls = await get(`/en/items/${itemId}?q=%07package%01%0B%7F`);
    expect(controls.statusCode).toBe(200);
    expect(textOf(controls.body)).toContain("2 sentences match.");
    const huge = await get(`/en/items/${itemId}?q=${"package+".repeat(12_500)}`);
    expect(huge.statusCode).toBe(200);
    expect(textOf(huge.body)).toContain("2 sentences match. Only the first words were searched.");
    const twice = await get(`/en/items/${itemId}?q=package&q=unanimously`);
    expect(textOf(twice.body)).toContain("2 sentences match.");
  });
});
