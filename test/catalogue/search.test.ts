import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp, textOf } from "../helpers/app.ts";
import { addTranscript, createItem, publishedEventWithVideo } from "./fixtures.ts";

type Hit = {
  start: number | null;
  end: number | null;
  text: string;
  speaker: string;
  lang: string;
  url: string;
};
type Result = {
  item: { id: number; kind: string; url: string };
  event: { slug: string } | null;
  hits: Hit[];
};

/** Full-text search over titles, descriptions, shot lists and transcripts, in both languages. */
describe("catalogue search", () => {
  let t: TestApp;
  let conference: number;
  let slug: string;
  let titled: number;
  let speech: number;

  const api = async (query: Record<string, string>) => {
    const response = await t.app.inject({
      method: "GET",
      url: `/api/v1/search?${new URLSearchParams(query)}`,
    });
    expect(response.statusCode, response.body).toBe(200);
    return response.json() as { results: Result[]; page: number; hasMore: boolean };
  };
  const ids = (results: Result[]) => results.map((r) => r.item.id);

  beforeAll(async () => {
    t = await startTestApp();
    ({ itemId: conference, slug } = await publishedEventWithVideo(t.deps));
    titled = await createItem(t.db, {
      kind: "speech",
      title: { en: "Speech on the climate package", fr: "Discours sur le paquet climat" },
      speakers: ["Commissioner Jan Novak"],
      recordedAt: new Date("2026-06-01T10:00:00Z"),
    });
    speech = await createItem(t.db, {
      kind: "speech",
      title: { en: "Speech on trade" },
      shotList: { en: "Close-up of the harbour cranes" },
      speakers: ["Commissioner Jan Novak"],
      languages: ["en"],
      recordedAt: new Date("2026-03-01T10:00:00Z"),
    });
    await addTranscript(t.db, speech, [
      {
        start: 10,
        end: 12,
        speaker: "Commissioner Jan Novak",
        text: "Trade keeps the climate package affordable.",
      },
      {
        start: 12,
        end: 14,
        speaker: "Commissioner Jan Novak",
        text: "<script>alert('x')</script> harbour workers matter.",
      },
    ]);
    const embargoed = await createItem(t.db, {
      title: { en: "Embargoed statement" },
      embargoUntil: new Date(t.clock.now().getTime() + 3_600_000),
    });
    await addTranscript(t.db, embargoed, [
      { start: 0, end: 1, text: "Zebras will be protected from tomorrow." },
    ]);
  });
  afterAll(async () => {
    await t?.close();
  });

  it("finds 'étrangères' when typed without accents, with the sentence's times", async () => {
    const { results } = await api({ q: "etrangeres" });
    expect(ids(results)).toEqual([conference]);
    const [hit] = results[0]!.hits;
    expect(hit).toMatchObject({ start: 4, end: 6, speaker: "Marie Dubois", lang: "fr" });
    expect(hit!.text).toBe("Que pensent les ministres des affaires étrangères de cet accord ?");
    expect(hit!.url).toBe(`http://pressroom.test/en/items/${conference}?t=4`);
    expect(results[0]!.event?.slug).toBe(slug);
  });

  it("finds French words from the English interface and English words from the French one", async () => {
    expect(ids((await api({ q: "ministres", lang: "en" })).results)).toEqual([conference]);
    const page = await t.app.inject({
      method: "GET",
      url: "/en/search?q=ministres",
      headers: { accept: "text/html" },
    });
    expect(page.body).toContain(`href="/en/items/${conference}?t=4#player"`);
    expect(page.body).toContain("<mark>ministres</mark>");
    // The master's timecode, as the transcript and the player show the same moment.
    expect(textOf(page.body)).toContain("10:00:04:00 Marie Dubois: Que pensent les ministres");
    const french = await t.app.inject({
      method: "GET",
      url: "/fr/search?q=welcomed",
      headers: { accept: "text/html" },
    });
    expect(french.body).toContain(`href="/fr/items/${conference}?t=6#player"`);
  });

  it("ranks a title match above a match in a transcript", async () => {
    const { results } = await api({ q: "climate package" });
    expect(ids(results).slice(0, 2)).toEqual([titled, expect.any(Number)]);
    expect(ids(results)).toEqual(expect.arrayContaining([titled, speech, conference]));
    expect(ids(results)[0]).toBe(titled);
  });

  it("searches shot lists and filters by kind, event, dates, speaker and language", async () => {
    expect(ids((await api({ q: "cranes" })).results)).toEqual([speech]);
    expect(ids((await api({ q: "climate", kind: "speech" })).results).sort()).toEqual(
      [titled, speech].sort(),
    );
    expect(ids((await api({ q: "climate", event: slug })).results)).toEqual([conference]);
    expect(ids((await api({ q: "climate", from: "2026-05-01", to: "2026-06-01" })).results)).toEqual([
      titled,
    ]);
    const bySpeaker = await api({ q: "climate", speaker: "novak" });
    expect(ids(bySpeaker.results).sort()).toEqual([titled, speech].sort());
    expect(bySpeaker.results.find((r) => r.item.id === speech)!.hits.map((h) => h.start)).toEqual([10]);
    // Filters without words list what matches, newest first.
    expect(ids((await api({ speaker: "Dubois" })).results)).toEqual([conference]);
    const french = await api({ q: "accord", language: "fr" });
    expect(ids(french.results)).toEqual([conference]);
    expect(french.results[0]!.hits.every((h) => h.lang === "fr")).toBe(true);
    expect(ids((await api({ q: "cranes", language: "fr" })).results)).toEqual([]);
  });

  it("does not search embargoed transcripts", async () => {
    expect((await api({ q: "zebras" })).results).toEqual([]);
    t.clock.advance(3_600_000);
    expect((await api({ q: "zebras" })).results).toHaveLength(1);
  });

  it("escapes transcript text in excerpts and marks only the matches", async () => {
    const page = await t.app.inject({
      method: "GET",
      url: "/en/search?q=harbour",
      headers: { accept: "text/html" },
    });
    expect(page.statusCode).toBe(200);
    expect(page.body).not.toContain("<script>alert");
    expect(page.body).toContain(
      "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; <mark>harbour</mark> workers matter.",
    );
  });

  it("answers bad filters with a clear error, and an empty form with no results section", async () => {
    const bad = await t.app.inject({ method: "GET", url: "/api/v1/search?q=x&from=yesterday" });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe("invalid_input");
    const page = await t.app.inject({
      method: "GET",
      url: "/en/search?q=x&from=2026-13-45",
      headers: { accept: "text/html" },
    });
    expect(page.statusCode).toBe(400);
    expect(textOf(page.body)).toContain("Enter a date like 2026-11-23.");
    const empty = await t.app.inject({ method: "GET", url: "/fr/search", headers: { accept: "text/html" } });
    expect(empty.statusCode).toBe(200);
    expect(textOf(empty.body)).not.toContain("Aucun résultat");
    const none = await t.app.inject({
      method: "GET",
      url: "/fr/search?q=xylophone",
      headers: { accept: "text/html" },
    });
    expect(textOf(none.body)).toContain("Aucun résultat");
  });
});
