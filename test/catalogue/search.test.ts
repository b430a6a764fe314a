import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp, textOf } from "../helpers/app.ts";
import { addTranscript, createEvent, createItem, publishedEventWithVideo } from "./fixtures.ts";

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
  hits: Hit[] & { timecode?: string | null }[];
  matchedIn: string[];
  excerpt: string;
  moreHits: number;
};
type Facet = { value: string; count: number };
type Answer = {
  results: Result[];
  page: number;
  hasMore: boolean;
  total: number;
  capped: boolean;
  truncated: boolean;
  facets: Record<"kind" | "event" | "speaker" | "language" | "year", Facet[]>;
};

/** Full-text search over titles, descriptions, shot lists and transcripts, in both languages. */
describe("catalogue search", () => {
  let t: TestApp;
  let conference: number;
  let slug: string;
  let titled: number;
  let speech: number;
  let summit: number;
  let photo: number;
  let summitSlug: string;

  const api = async (query: Record<string, string>) => {
    const response = await t.app.inject({
      method: "GET",
      url: `/api/v1/search?${new URLSearchParams(query)}`,
    });
    expect(response.statusCode, response.body).toBe(200);
    return response.json() as Answer;
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
    // Issue 10's press conference: the words of a query in different sentences.
    const maritime = await createEvent(t.db, {
      title: { en: "Maritime security summit", fr: "Sommet sur la sécurité maritime" },
    });
    summitSlug = maritime.slug;
    summit = await createItem(t.db, {
      eventId: maritime.id,
      title: { en: "Press conference by the Secretary General" },
      speakers: ["Secretary General Lusandre Okafor"],
      recordedAt: new Date("2025-05-02T10:00:00Z"),
    });
    await addTranscript(t.db, summit, [
      {
        start: 1,
        end: 5,
        speaker: "Secretary General Lusandre Okafor",
        text: "Good morning. Lusandre welcomes you to the humanitarian briefing.",
      },
      {
        start: 5,
        end: 9,
        speaker: "Secretary General Lusandre Okafor",
        text: "Allies agreed on defence investment this year.",
      },
      {
        start: 9,
        end: 12,
        speaker: "Secretary General Lusandre Okafor",
        text: "We are defending every inch of allied territory.",
      },
      {
        start: 12,
        end: 15,
        speaker: "Secretary General Lusandre Okafor",
        text: "Humanitarian corridors stay open.",
      },
      {
        start: 15,
        end: 18,
        speaker: "Secretary General Lusandre Okafor",
        text: "Humanitarian aid reaches the coast.",
      },
      {
        start: 18,
        end: 21,
        speaker: "Secretary General Lusandre Okafor",
        text: "Humanitarian workers are protected.",
      },
    ]);
    photo = await createItem(t.db, {
      eventId: maritime.id,
      mediaType: "photo",
      kind: "photo-opportunity",
      title: { en: "Family photo" },
      recordedAt: new Date("2025-05-02T12:00:00Z"),
    });
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

  it("matches words anywhere in an item, not only in one sentence, and explains why with the best moments", async () => {
    const spread = await api({ q: "investments defending" });
    expect(ids(spread.results)).toEqual([summit]);
    const starts = spread.results[0]!.hits.map((h) => h.start);
    expect(starts).toEqual(expect.arrayContaining([5, 9]));
    expect(spread.results[0]!.matchedIn).toContain("transcript");
    // The sentence holding both words comes first, with the master's timecode.
    const both = await api({ q: "Lusandre humanitarian" });
    expect(ids(both.results)).toEqual([summit]);
    const best = both.results[0]!;
    expect(best.hits[0]!.start).toBe(1);
    expect(best.hits).toHaveLength(3);
    expect(best.moreHits).toBe(1);
    expect(best.matchedIn).toEqual(expect.arrayContaining(["title", "transcript"]));
    const page = await t.app.inject({ method: "GET", url: "/en/search?q=Lusandre+humanitarian" });
    expect(page.body).toContain(
      "<mark>Lusandre</mark> welcomes you to the <mark>humanitarian</mark> briefing.",
    );
    expect(textOf(page.body)).toContain("1 more sentence");
    expect(page.body).toContain(`href="/en/items/${summit}?q=Lusandre+humanitarian"`);
  });

  it("says when an item matched through its event", async () => {
    const found = await api({ q: "maritime" });
    expect(ids(found.results).sort()).toEqual([summit, photo].sort());
    const family = found.results.find((r) => r.item.id === photo)!;
    expect(family.matchedIn).toEqual(["event"]);
    const page = await t.app.inject({ method: "GET", url: "/en/search?q=maritime" });
    expect(page.body).toContain("<mark>Maritime</mark> security summit");
    expect(textOf(page.body)).toContain("Found in: event");
  });

  it("takes phrases, exclusions and OR", async () => {
    expect(ids((await api({ q: '"every inch"' })).results)).toEqual([summit]);
    expect(ids((await api({ q: '"inch every"' })).results)).toEqual([]);
    expect(ids((await api({ q: "maritime -photo" })).results)).toEqual([summit]);
    expect(ids((await api({ q: "cranes OR zeppelins" })).results)).toEqual([speech]);
    expect(ids((await api({ q: "cranes OR inch" })).results).sort()).toEqual([speech, summit].sort());
    // An unbalanced quote runs to the end of the query.
    expect(ids((await api({ q: 'allied "every inch' })).results)).toEqual([summit]);
  });

  it("finds a phrase only where its words are side by side, in either language, as its transcript changes", async () => {
    const budget = await createItem(t.db, {
      kind: "speech",
      title: { en: "Budget statement" },
      recordedAt: new Date("2024-02-01T10:00:00Z"),
    });
    await addTranscript(t.db, budget, [
      { start: 1, end: 3, text: "Spending on defence grows.", lang: "en" },
      { start: 3, end: 5, text: "La défense européenne coûte cher.", lang: "fr" },
    ]);
    const found = async (q: string, sort?: string) =>
      ids((await api(sort ? { q, sort } : { q })).results).filter((id) => id === budget);
    // Both words are said, not side by side.
    expect(await found('"defence spending"')).toEqual([]);
    expect(await found('"spending on defence"')).toEqual([budget]);
    expect(await found('"défense européenne"')).toEqual([budget]);
    expect(await found('"defense europeenne"', "date")).toEqual([budget]);
    expect(await found('"defence spending" OR "défense européenne"')).toEqual([budget]);
    expect(await found('"défense européenne" -"spending on defence"')).toEqual([]);
    // A new transcript: what is said now is found, what is no longer said is not.
    await t.db.query("DELETE FROM transcript_segments WHERE media_item_id = $1", [budget]);
    await addTranscript(t.db, budget, [{ start: 1, end: 3, text: "Defence spending grows.", lang: "en" }]);
    expect(await found('"defence spending"')).toEqual([budget]);
    expect(await found('"défense européenne"')).toEqual([]);
  });

  it("counts the results and the filters' values, and sorts by date on request", async () => {
    const answer = await api({ q: "maritime" });
    expect(answer.total).toBe(2);
    expect(answer.capped).toBe(false);
    expect(answer.facets.kind).toEqual(
      expect.arrayContaining([
        { value: "press-conference", count: 1 },
        { value: "photo-opportunity", count: 1 },
      ]),
    );
    expect(answer.facets.event).toEqual([expect.objectContaining({ value: summitSlug, count: 2 })]);
    expect(answer.facets.year).toEqual([{ value: "2025", count: 2 }]);
    const byDate = await api({ q: "maritime", sort: "date" });
    expect(ids(byDate.results)).toEqual([photo, summit]);
    const page = await t.app.inject({ method: "GET", url: "/fr/search?q=maritime" });
    expect(textOf(page.body)).toContain("2 résultats");
    expect(textOf(page.body)).not.toContain("Environ");
    // A page past the end says so, and a word in angle brackets is still that word.
    const past = await t.app.inject({ method: "GET", url: "/fr/search?q=maritime&page=99" });
    expect(textOf(past.body)).toContain("La page 99 est au-delà de la dernière page de résultats.");
    expect(past.body).toContain('<a href="/fr/search?q=maritime">Aller à la première page</a>');
    const tagged = await t.app.inject({ method: "GET", url: "/fr/search?q=%3Cmaritime%3E" });
    expect(textOf(tagged.body)).toContain("2 résultats");
    expect(page.body).toContain(`href="/fr/search?q=maritime&amp;kind=photo-opportunity"`);
    expect(page.body).toContain(`href="/fr/search?q=maritime&amp;from=2025-01-01&amp;to=2025-12-31"`);
  });

  it("suggests speakers, events and titles as the words are typed", async () => {
    const response = await t.app.inject({ method: "GET", url: "/api/v1/suggest?q=luSAN&lang=en" });
    expect(response.statusCode).toBe(200);
    const { suggestions } = response.json() as {
      suggestions: { type: string; label: string; path: string }[];
    };
    expect(suggestions).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ type: "speaker", label: "Secretary General Lusandre Okafor" }),
      ]),
    );
    const events = (
      await t.app.inject({ method: "GET", url: "/api/v1/suggest?q=maritime+sec&lang=fr" })
    ).json() as {
      suggestions: { type: string; label: string; path: string }[];
    };
    expect(events.suggestions).toEqual(
      expect.arrayContaining([
        {
          type: "event",
          label: "Sommet sur la sécurité maritime",
          path: `/fr/events/${summitSlug}`,
          url: expect.any(String),
        },
      ]),
    );
    const one = (await t.app.inject({ method: "GET", url: "/api/v1/suggest?q=x" })).json() as {
      suggestions: unknown[];
    };
    expect(one.suggestions).toEqual([]);
  });

  it("answers odd queries with results or a clear message, never a server error", async () => {
    const operators = await t.app.inject({ method: "GET", url: "/en/search?q=-+OR+%22%22" });
    expect(operators.statusCode).toBe(200);
    expect(textOf(operators.body)).toContain("Type the words you are looking for");
    const stop = await t.app.inject({ method: "GET", url: "/fr/search?q=the+of" });
    expect(stop.statusCode).toBe(200);
    const apiStop = await t.app.inject({ method: "GET", url: "/api/v1/search?q=the" });
    expect(apiStop.statusCode).toBe(400);
    expect(apiStop.json().error.code).toBe("search_common_words");
    expect(textOf(stop.body)).toContain("trop courants");
    const long = await api({ q: `inch ${"word ".repeat(300)}` });
    expect(long.truncated).toBe(true);
    const huge = await t.app.inject({ method: "GET", url: `/en/search?q=${"a".repeat(100_000)}` });
    expect(huge.statusCode).toBe(200);
    const controls = await api({ q: "every\u0007\u001binch" });
    expect(ids(controls.results)).toEqual([summit]);
    const repeated = await t.app.inject({
      method: "GET",
      url: "/en/search?q=maritime&kind=speech&kind=photo-opportunity&from=2020-01-01&from=x&page=1&page=2",
    });
    expect(repeated.statusCode).toBe(200);
    const truncatedPage = await t.app.inject({ method: "GET", url: `/en/search?q=${"inch+".repeat(40)}` });
    expect(textOf(truncatedPage.body)).toContain("Only the first 12 words were searched.");
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
    // Filters that could never match are refused, not answered with nothing.
    const never = await t.app.inject({
      method: "GET",
      url: "/api/v1/search?q=x&from=2026-05-02&to=2026-05-01&kind=zzz",
      headers: { "accept-language": "fr" },
    });
    expect(never.statusCode).toBe(400);
    expect(never.json().error.fields).toEqual({
      to: ["Le dernier jour vient avant le premier."],
      kind: ["Ce type d’élément n’existe pas : choisissez-en un dans la liste."],
    });
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
