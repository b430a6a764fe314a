import type { LightMyRequestResponse } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSession } from "../../src/accounts/sessions.ts";
import { createEvent, createItem } from "../catalogue/fixtures.ts";
import { createAccount, SESSION_COOKIE } from "../helpers/accounts.ts";
import { PageClient, startTestApp, type TestApp, textOf } from "../helpers/app.ts";
import { expectValidNinjs } from "../helpers/ninjs.ts";

/** Saved searches: the API, the account pages, the search page's button and the feeds. */
describe("saved searches", () => {
  let t: TestApp;
  let alice: string;
  let bob: string;

  const api = (method: "GET" | "POST" | "DELETE", url: string, cookie: string | null, payload?: object) =>
    t.app.inject({
      method,
      url,
      headers: {
        accept: "application/json",
        ...(payload ? { "content-type": "application/json" } : { "x-requested-with": "test" }),
        ...(cookie ? { cookie } : {}),
      },
      ...(payload ? { payload } : {}),
    });
  const json = (r: LightMyRequestResponse): unknown => r.json();

  async function session(email: string): Promise<string> {
    const id = await createAccount(t.db, t.clock.now(), { email, role: "media" });
    return `${SESSION_COOKIE}=${await startSession(t.deps, id)}`;
  }

  beforeAll(async () => {
    t = await startTestApp();
    alice = await session("alice@example.test");
    bob = await session("bob@example.test");
  });
  afterAll(async () => {
    await t?.close();
  });

  it("saves, lists and deletes a search through the API; another user's search is a 404", async () => {
    expect((await api("GET", "/api/v1/me/saved-searches", null)).statusCode).toBe(401);
    const made = await api("POST", "/api/v1/me/saved-searches", alice, {
      name: "Climate",
      query: "climate summit",
      filters: { kind: "press-conference", year: "2026" },
      alert: "immediate",
    });
    expect(made.statusCode).toBe(201);
    const search = json(made) as {
      id: number;
      filters: Record<string, string>;
      feeds: { rss: string; ninjs: string; token: string };
    };
    expect(search.filters).toEqual({ kind: "press-conference", from: "2026-01-01", to: "2026-12-31" });
    expect(search.feeds.token).toMatch(/^prf_/);
    expect(search.feeds.rss).toBe(
      `http://pressroom.test/feeds/saved/${search.id}.rss?lang=en&token=${search.feeds.token}`,
    );
    expect(search.feeds.ninjs).toContain(`/feeds/saved/${search.id}.json?`);

    const list = json(await api("GET", "/api/v1/me/saved-searches", alice)) as {
      savedSearches: { id: number; name: string; query: string; alert: string; feeds: { rss: string } }[];
    };
    expect(list.savedSearches).toHaveLength(1);
    expect(list.savedSearches[0]).toMatchObject({
      name: "Climate",
      query: "climate summit",
      alert: "immediate",
    });
    // The token is not kept: the list cannot show it again.
    expect(list.savedSearches[0]!.feeds.rss).not.toContain("token=");
    expect(json(await api("GET", "/api/v1/me/saved-searches", bob))).toEqual({ savedSearches: [] });

    expect((await api("DELETE", `/api/v1/me/saved-searches/${search.id}`, bob)).statusCode).toBe(404);
    expect((await api("DELETE", `/api/v1/me/saved-searches/${search.id}`, alice)).statusCode).toBe(204);
    expect(json(await api("GET", "/api/v1/me/saved-searches", alice))).toEqual({ savedSearches: [] });
  });

  it("refuses a search with neither words nor filters, naming the field, in the user's language", async () => {
    const empty = await t.app.inject({
      method: "POST",
      url: "/api/v1/me/saved-searches",
      headers: { cookie: alice, "content-type": "application/json", "accept-language": "fr" },
      payload: { name: "Tout", query: "  ", filters: {} },
    });
    expect(empty.statusCode).toBe(400);
    const error = (json(empty) as { error: { code: string; fields: Record<string, string[]> } }).error;
    expect(error.code).toBe("invalid_input");
    expect(error.fields.query).toEqual([
      "Saisissez des mots ou choisissez un filtre : une recherche sans l’un ni l’autre répondrait à tout.",
    ]);
    // A misnamed field is named back, not dropped (the search box's "q" is "query" here).
    const misnamed = await api("POST", "/api/v1/me/saved-searches", alice, { name: "Détroit", q: "détroit" });
    expect(misnamed.statusCode).toBe(400);
    expect((json(misnamed) as { error: { fields: Record<string, string[]> } }).error.fields).toEqual({
      q: ["This field is not known: check its name."],
    });
    const stopWords = await api("POST", "/api/v1/me/saved-searches", alice, { name: "The", query: "the" });
    expect(stopWords.statusCode).toBe(400);
    expect(Object.keys((json(stopWords) as { error: { fields: object } }).error.fields)).toEqual(["query"]);
  });

  it("refuses an alert on an event no journalist can see, and saves one on a published event", async () => {
    const draft = await createEvent(t.db, { title: { en: "Draft summit" }, publishedAt: null });
    const open = await createEvent(t.db, { title: { en: "Open summit" } });
    for (const event of ["no-such-event", draft.slug]) {
      const refused = await t.app.inject({
        method: "POST",
        url: "/api/v1/me/saved-searches",
        headers: { cookie: alice, "content-type": "application/json", "accept-language": "fr" },
        payload: { name: "Sommet", filters: { event } },
      });
      expect(refused.statusCode).toBe(400);
      expect((json(refused) as { error: { fields: Record<string, string[]> } }).error.fields).toEqual({
        event: [
          "Aucun événement publié ne porte ce nom\u00a0: choisissez l’événement dans la liste de la page de recherche.",
        ],
      });
    }
    const saved = await api("POST", "/api/v1/me/saved-searches", alice, {
      name: "Summit",
      filters: { event: open.slug },
    });
    expect(saved.statusCode).toBe(201);
    expect((json(saved) as { filters: Record<string, string> }).filters).toEqual({ event: open.slug });
    const list = json(await api("GET", "/api/v1/me/saved-searches", alice)) as {
      savedSearches: { id: number }[];
    };
    for (const { id } of list.savedSearches) await api("DELETE", `/api/v1/me/saved-searches/${id}`, alice);
  });

  it("serves each search's RSS and ninjs feeds with its token only, never an embargoed item", async () => {
    const now = t.clock.now();
    const open = await createItem(t.db, { title: { en: "Glacier melt briefing" }, publishedAt: now });
    await createItem(t.db, {
      title: { en: "Glacier report under embargo" },
      publishedAt: now,
      embargoUntil: new Date(now.getTime() + 3_600_000),
    });
    await createItem(t.db, { title: { en: "Football final" }, publishedAt: now });
    const made = json(
      await api("POST", "/api/v1/me/saved-searches", alice, { name: "Ice", query: "glacier" }),
    ) as {
      id: number;
      feeds: { rss: string; ninjs: string; token: string };
    };
    const other = json(
      await api("POST", "/api/v1/me/saved-searches", bob, { name: "Sport", query: "football" }),
    ) as {
      id: number;
    };
    const path = (url: string) => url.replace("http://pressroom.test", "");

    expect((await t.app.inject({ url: `/feeds/saved/${made.id}.rss` })).statusCode).toBe(401);
    expect((await t.app.inject({ url: `/feeds/saved/${made.id}.rss?token=prf_wrong` })).statusCode).toBe(404);
    expect(
      (await t.app.inject({ url: `/feeds/saved/${other.id}.rss?token=${made.feeds.token}` })).statusCode,
    ).toBe(404);

    const rss = await t.app.inject({ url: path(made.feeds.rss) });
    expect(rss.statusCode).toBe(200);
    expect(rss.headers["content-type"]).toBe("application/rss+xml; charset=utf-8");
    expect(rss.body).toContain("<title>Pressroom — Ice</title>");
    expect(rss.body).toContain(`<link>http://pressroom.test/en/items/${open}</link>`);
    expect(rss.body).not.toContain("under embargo");
    expect(rss.body).not.toContain("Football");

    const ninjs = await t.app.inject({ url: path(made.feeds.ninjs) });
    expect(ninjs.statusCode).toBe(200);
    const documents = ninjs.json() as { uri: string; headlines: { value: string }[] }[];
    expect(documents.map((d) => d.uri)).toEqual([`http://pressroom.test/api/v1/items/${open}`]);
    expect(documents[0]!.headlines[0]!.value).toBe("Glacier melt briefing");
    for (const document of documents) expectValidNinjs(document);
  });

  it("saves from the search page through the account page, with a form token, in French", async () => {
    const search = await t.app.inject({ url: "/fr/search?q=glacier&language=en" });
    expect(search.body).toContain(
      '<form class="save-search" method="get" action="/fr/account/saved-searches">',
    );
    expect(search.body).toContain('<input type="hidden" name="q" value="glacier">');

    const anonymous = await t.app.inject({ url: "/fr/account/saved-searches?q=glacier" });
    expect(anonymous.statusCode).toBe(303);
    expect(anonymous.headers.location).toBe(
      `/fr/login?returnTo=${encodeURIComponent("/fr/account/saved-searches?q=glacier")}`,
    );

    const browser = new PageClient(t.app);
    browser.cookies.set(SESSION_COOKIE, bob.split("=")[1]!);
    const form = await browser.get("/fr/account/saved-searches?q=glacier&language=en");
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('name="name" type="text" value="glacier"');

    const refused = await browser.submit("/fr/account/saved-searches", {
      name: "Rien",
      q: "",
      alert: "daily",
    });
    expect(refused.statusCode).toBe(400);
    expect(textOf(refused.body)).toContain("Saisissez des mots ou choisissez un filtre");

    const withoutToken = await browser.submit(
      "/fr/account/saved-searches",
      { name: "Glaciers", q: "glacier", language: "en", alert: "daily" },
      { csrf: false },
    );
    expect(withoutToken.statusCode).toBe(403);

    const saved = await browser.submit("/fr/account/saved-searches", {
      name: "Glaciers",
      q: "glacier",
      language: "en",
      alert: "daily",
    });
    expect(saved.statusCode).toBe(201);
    const text = textOf(saved.body);
    expect(text).toContain("Votre recherche a été enregistrée.");
    expect(text).toMatch(/RSS: http:\/\/pressroom\.test\/feeds\/saved\/\d+\.rss\?lang=fr&token=prf_/);
    expect(text).toContain("Glaciers");
    expect(saved.body).toContain('<option value="daily" selected>Un résumé quotidien (7 h UTC)</option>');

    const id = Number(saved.body.match(/saved-searches\/(\d+)\/alert/)![1]);
    const changed = await browser.submit(`/fr/account/saved-searches/${id}/alert`, { alert: "immediate" });
    expect(changed.statusCode).toBe(303);
    const list = await browser.follow(changed);
    expect(list.body).toContain('<option value="immediate" selected>');
    // Someone else's search cannot be changed or deleted.
    const foreign = await browser.submit(`/fr/account/saved-searches/${id + 1000}/delete`, {});
    expect(foreign.statusCode).toBe(404);
    await browser.get("/fr/account/saved-searches");
    const deleted = await browser.submit(`/fr/account/saved-searches/${id}/delete`, {});
    expect(deleted.statusCode).toBe(303);
    expect(textOf((await browser.follow(deleted)).body)).not.toContain("Glaciers");
  });
});
