import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createItem, sessionCookie } from "../catalogue/fixtures.ts";
import { startTestApp, type TestApp, textOf } from "../helpers/app.ts";
import { apiToken } from "./helpers.ts";

type Answer = { statusCode: number; body: string; headers: Record<string, unknown>; json(): unknown };
type EventAnswer = {
  id: number;
  slug: string;
  title: { en: string; fr: string };
  summary: { en: string; fr: string };
  place: { en: string; fr: string };
  startsAt: string;
  endsAt: string | null;
  publishedAt: string | null;
};
type ErrorAnswer = { error: { code: string; message: string; fields?: Record<string, string[]> } };
type Entry = { id: number; position: number; title: { en: string; fr: string }; etag: string };

let t: TestApp;
let token: string;

/** A request of the organisation's system, with its editor token. */
function api(
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE",
  url: string,
  payload?: object,
  headers = {},
) {
  return t.app.inject({
    method,
    url,
    ...(payload ? { payload } : {}),
    headers: { authorization: `Bearer ${token}`, accept: "application/json", ...headers },
  }) as Promise<Answer>;
}

const summit = {
  title: { en: "Summit of foreign ministers", fr: "Sommet des ministres des affaires étrangères" },
  summary: { en: "Ministers meet on security.", fr: "Les ministres se réunissent sur la sécurité." },
  body: { en: "The ministers discuss.", fr: "Les ministres discutent." },
  place: { en: "Brussels", fr: "Bruxelles" },
  startsAt: "2026-11-23T09:30:00Z",
  endsAt: "2026-11-23T18:00:00Z",
};

beforeAll(async () => {
  t = await startTestApp();
  token = await apiToken(t, "cms@org.example", "editor", "editor");
});
afterAll(() => t.close());

describe("events through the editors' JSON API", () => {
  it("creates a bilingual draft with a slug made from its date and title, and the ETag its GET shows", async () => {
    const created = await api("POST", "/api/v1/events", summit);
    expect(created.statusCode, created.body).toBe(201);
    const event = created.json() as EventAnswer;
    expect(event.slug).toBe("2026-11-23-summit-of-foreign-ministers");
    expect(event.title.fr).toBe("Sommet des ministres des affaires étrangères");
    expect(event.place).toEqual({ en: "Brussels", fr: "Bruxelles" });
    expect(event.endsAt).toBe("2026-11-23T18:00:00.000Z");
    expect(event.publishedAt).toBeNull();
    const etag = String(created.headers.etag);
    expect(etag).toMatch(/^"[^"]+"$/);
    // The editor's GET carries the very tag a PATCH checks, not a hash of the body.
    const read = await api("GET", `/api/v1/events/${event.slug}`);
    expect(read.statusCode).toBe(200);
    expect(read.headers.etag).toBe(etag);
    // A draft: nobody outside sees it.
    expect((await t.app.inject({ url: `/api/v1/events/${event.slug}` })).statusCode).toBe(404);
    // The same slug again is the caller's mistake, named.
    const again = await api("POST", "/api/v1/events", { ...summit, slug: event.slug });
    expect(again.statusCode).toBe(400);
    expect(Object.keys((again.json() as ErrorAnswer).error.fields ?? {})).toEqual(["slug"]);
  });

  it("PATCH changes only the fields it names; a stale If-Match answers 412 and changes nothing", async () => {
    const { slug } = (
      await api("POST", "/api/v1/events", { ...summit, slug: "council-2026" })
    ).json() as EventAnswer;
    const first = await api("GET", `/api/v1/events/${slug}`);
    const oldTag = String(first.headers.etag);
    const patched = await api(
      "PATCH",
      `/api/v1/events/${slug}`,
      { title: { fr: "Conseil européen" } },
      { "if-match": oldTag },
    );
    expect(patched.statusCode, patched.body).toBe(200);
    const after = patched.json() as EventAnswer;
    expect(after.title).toEqual({ en: summit.title.en, fr: "Conseil européen" });
    expect(after.summary).toEqual(summit.summary);
    expect(after.startsAt).toBe("2026-11-23T09:30:00.000Z");
    expect(after.endsAt).toBe("2026-11-23T18:00:00.000Z");
    expect(patched.headers.etag).not.toBe(oldTag);

    // Someone else's client still holds the first tag.
    const stale = await api(
      "PATCH",
      `/api/v1/events/${slug}`,
      { title: { en: "Overwritten" } },
      { "if-match": oldTag },
    );
    expect(stale.statusCode).toBe(412);
    expect((stale.json() as ErrorAnswer).error.code).toBe("precondition_failed");
    const unchanged = (await api("GET", `/api/v1/events/${slug}`)).json() as {
      event: { title: { en: string } };
    };
    expect(unchanged.event.title.en).toBe(summit.title.en);
    for (const action of ["publish", "unpublish"]) {
      expect(
        (await api("POST", `/api/v1/events/${slug}/${action}`, undefined, { "if-match": oldTag })).statusCode,
      ).toBe(412);
    }
    expect(
      (await api("DELETE", `/api/v1/events/${slug}`, undefined, { "if-match": oldTag })).statusCode,
    ).toBe(412);

    // Without If-Match the change is made; a new slug moves the event.
    const moved = await api("PATCH", `/api/v1/events/${slug}`, {
      slug: "european-council-2026",
      endsAt: null,
    });
    expect(moved.statusCode).toBe(200);
    expect((moved.json() as EventAnswer).endsAt).toBeNull();
    expect((await api("GET", `/api/v1/events/${slug}`)).statusCode).toBe(404);
  });

  it("names each field's problem in the caller's language, and never answers a client's mistake with a 5xx", async () => {
    const fr = { "accept-language": "fr" };
    const bad = await api(
      "POST",
      "/api/v1/events",
      {
        place: { en: "Brussels" },
        startsAt: "2026-11-23T09:30:00Z",
        endsAt: "2026-11-22T09:30:00Z",
        slug: "Not A Slug",
      },
      fr,
    );
    expect(bad.statusCode).toBe(400);
    const fields = (bad.json() as ErrorAnswer).error.fields ?? {};
    expect(fields["title/en"]).toEqual(["Saisissez un titre en anglais ou en français."]);
    expect(fields.endsAt).toEqual(["La fin doit venir après le début."]);
    expect(fields.slug?.[0]).toMatch(/lettres minuscules/);
    expect((bad.json() as ErrorAnswer).error.message).toBe(
      "Certaines informations manquent ou ne sont pas valides.",
    );

    // A script sends no Accept-Language: the account's own language answers.
    const francophone = await apiToken(t, "redaction@org.example", "editor", "editor");
    await t.db.query("UPDATE users SET language = 'fr' WHERE email = 'redaction@org.example'");
    const silent = await t.app.inject({
      method: "POST",
      url: "/api/v1/events",
      payload: { startsAt: summit.startsAt },
      headers: { authorization: `Bearer ${francophone}` },
    });
    expect((silent.json() as ErrorAnswer).error.fields).toEqual({
      "title/en": ["Saisissez un titre en anglais ou en français."],
    });

    const unknown = await api(
      "POST",
      "/api/v1/events",
      { ...summit, titel: { en: "typo" }, place: { de: "Brüssel" } },
      fr,
    );
    expect(unknown.statusCode).toBe(400);
    expect((unknown.json() as ErrorAnswer).error.fields).toEqual({
      titel: ["Ce champ n'existe pas : vérifiez son nom."],
      "place/de": ["Ce champ n'existe pas : vérifiez son nom."],
    });

    const brokenJson = await t.app.inject({
      method: "POST",
      url: "/api/v1/events",
      payload: '{"title": {"en": "Summit"',
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    });
    expect(brokenJson.statusCode).toBe(400);
    for (const body of [
      { ...summit, startsAt: "tomorrow" },
      { ...summit, title: "Summit" },
      { ...summit, endsAt: 5 },
    ]) {
      const answer = await api("POST", "/api/v1/events", body);
      expect(answer.statusCode, answer.body).toBe(400);
    }
    expect((await api("PATCH", "/api/v1/events/no-such-event", { title: { en: "x" } })).statusCode).toBe(404);
  });

  it("publishes and unpublishes: the public JSON shows the event only while it is published", async () => {
    const { slug } = (
      await api("POST", "/api/v1/events", { ...summit, slug: "press-day" })
    ).json() as EventAnswer;
    const published = await api("POST", `/api/v1/events/${slug}/publish`);
    expect(published.statusCode, published.body).toBe(200);
    expect((published.json() as EventAnswer).publishedAt).toBe(t.clock.now().toISOString());
    const open = await t.app.inject({ url: `/api/v1/events/${slug}`, headers: { "accept-language": "fr" } });
    expect(open.statusCode).toBe(200);
    expect((open.json() as { event: { title: { fr: string } } }).event.title.fr).toBe(summit.title.fr);
    expect((await api("POST", `/api/v1/events/${slug}/unpublish`)).statusCode).toBe(200);
    expect((await t.app.inject({ url: `/api/v1/events/${slug}` })).statusCode).toBe(404);
  });

  it("adds, orders and removes programme entries, as the public event page and JSON then show", async () => {
    const { slug } = (
      await api("POST", "/api/v1/events", { ...summit, slug: "summit-programme" })
    ).json() as EventAnswer;
    await api("POST", `/api/v1/events/${slug}/publish`);
    const ids: number[] = [];
    for (const [time, en, fr] of [
      ["09:30", "Arrivals", "Arrivées"],
      ["10:00", "Doorstep", "Déclaration à l'arrivée"],
      ["12:30", "Press conference", "Conférence de presse"],
    ] as const) {
      const added = await api("POST", `/api/v1/events/${slug}/programme`, {
        startsAt: `2026-11-23T${time}:00Z`,
        title: { en, fr },
      });
      expect(added.statusCode, added.body).toBe(201);
      ids.push((added.json() as Entry).id);
    }
    const listed = await api("GET", `/api/v1/events/${slug}/programme`);
    const listTag = String(listed.headers.etag);
    // Not every entry: refused, nothing moves.
    const partial = await api("PUT", `/api/v1/events/${slug}/programme/order`, { ids: [ids[2], ids[0]] });
    expect(partial.statusCode).toBe(400);
    expect(Object.keys((partial.json() as ErrorAnswer).error.fields ?? {})).toEqual(["ids"]);
    const ordered = await api(
      "PUT",
      `/api/v1/events/${slug}/programme/order`,
      { ids: [ids[2], ids[0], ids[1]] },
      { "if-match": listTag },
    );
    expect(ordered.statusCode, ordered.body).toBe(200);
    // The order changed the programme, so the tag of the list read before it is stale.
    expect(
      (await api("PUT", `/api/v1/events/${slug}/programme/order`, { ids }, { "if-match": listTag }))
        .statusCode,
    ).toBe(412);

    const entries = (ordered.json() as { entries: Entry[] }).entries;
    const doorstep = entries.find((e) => e.id === ids[1])!;
    const renamed = await api(
      "PATCH",
      `/api/v1/events/${slug}/programme/${doorstep.id}`,
      { title: { en: "Doorstep statement" } },
      { "if-match": doorstep.etag },
    );
    expect(renamed.statusCode, renamed.body).toBe(200);
    expect((renamed.json() as Entry).title).toEqual({
      en: "Doorstep statement",
      fr: "Déclaration à l'arrivée",
    });
    expect(
      (
        await api("DELETE", `/api/v1/events/${slug}/programme/${doorstep.id}`, undefined, {
          "if-match": doorstep.etag,
        })
      ).statusCode,
    ).toBe(412);
    expect((await api("DELETE", `/api/v1/events/${slug}/programme/${ids[0]}`)).statusCode).toBe(204);

    const open = (await t.app.inject({ url: `/api/v1/events/${slug}` })).json() as {
      programme: { position: number; title: { en: string } }[];
    };
    expect(open.programme.map((p) => [p.position, p.title.en])).toEqual([
      [0, "Press conference"],
      [1, "Doorstep statement"],
    ]);
    const page = textOf(
      (await t.app.inject({ url: `/en/events/${slug}`, headers: { accept: "text/html" } })).body,
    );
    expect(page.indexOf("Press conference")).toBeGreaterThan(-1);
    expect(page.indexOf("Press conference")).toBeLessThan(page.indexOf("Doorstep statement"));
    expect(page).not.toContain("Arrivals");
  });

  it("deletes an event without items, and refuses (409) one that still has some", async () => {
    const { id, slug } = (
      await api("POST", "/api/v1/events", { ...summit, slug: "with-items" })
    ).json() as EventAnswer;
    await createItem(t.db, { eventId: id, title: { en: "Arrivals" } });
    const refused = await api("DELETE", `/api/v1/events/${slug}`, undefined, { "accept-language": "fr" });
    expect(refused.statusCode).toBe(409);
    // One item is said as one (found by hand: "encore 1 éléments", "1 media items").
    expect((refused.json() as ErrorAnswer).error.message).toMatch(/encore 1 élément\. Déplacez-le /);
    const inEnglish = await api("DELETE", `/api/v1/events/${slug}`, undefined, { "accept-language": "en" });
    expect((inEnglish.json() as ErrorAnswer).error.message).toMatch(/still has 1 media item\. Move it /);
    await createItem(t.db, { eventId: id, title: { en: "Departures" } });
    const two = await api("DELETE", `/api/v1/events/${slug}`, undefined, { "accept-language": "fr" });
    expect((two.json() as ErrorAnswer).error.message).toMatch(/encore 2 éléments\. Déplacez-les /);
    expect((await api("GET", `/api/v1/events/${slug}`)).statusCode).toBe(200);

    const empty = (
      await api("POST", "/api/v1/events", { ...summit, slug: "empty-one" })
    ).json() as EventAnswer;
    await api("POST", `/api/v1/events/${empty.slug}/programme`, { title: { en: "Arrivals" } });
    const tag = String((await api("GET", `/api/v1/events/${empty.slug}`)).headers.etag);
    expect(
      (await api("DELETE", `/api/v1/events/${empty.slug}`, undefined, { "if-match": tag })).statusCode,
    ).toBe(204);
    expect((await api("GET", `/api/v1/events/${empty.slug}`)).statusCode).toBe(404);
  });

  it("is for editors only: a media user's token gets 403, no one 401, a session without our headers 403", async () => {
    const reader = await apiToken(t, "newsroom@media.example", "media", "read");
    const asReader = await t.app.inject({
      method: "POST",
      url: "/api/v1/events",
      payload: summit,
      headers: { authorization: `Bearer ${reader}` },
    });
    expect(asReader.statusCode).toBe(403);
    const media = await sessionCookie(t, "media");
    const asMedia = await t.app.inject({
      method: "POST",
      url: "/api/v1/events",
      payload: summit,
      headers: { cookie: media },
    });
    expect(asMedia.statusCode).toBe(403);
    const anonymous = await t.app.inject({ method: "POST", url: "/api/v1/events", payload: summit });
    expect(anonymous.statusCode).toBe(401);

    // A session works as the existing JSON API does: a cross-site form could send the cookie, not these headers.
    const editor = await sessionCookie(t, "editor");
    const { slug } = (
      await api("POST", "/api/v1/events", { ...summit, slug: "session-event" })
    ).json() as EventAnswer;
    const forged = await t.app.inject({
      method: "POST",
      url: `/api/v1/events/${slug}/publish`,
      payload: "x=1",
      headers: { cookie: editor, "content-type": "application/x-www-form-urlencoded" },
    });
    expect(forged.statusCode).toBe(403);
    expect((forged.json() as ErrorAnswer).error.code).toBe("csrf_failed");
    expect((await api("GET", `/api/v1/events/${slug}`)).json()).toMatchObject({ event: { slug } });
    const ours = await t.app.inject({
      method: "POST",
      url: `/api/v1/events/${slug}/publish`,
      headers: { cookie: editor, "x-requested-with": "fetch" },
    });
    expect(ours.statusCode, ours.body).toBe(200);
    expect((ours.json() as EventAnswer).publishedAt).not.toBeNull();
  });

  it("describes every route in the OpenAPI document, tagged editor", async () => {
    const spec = (await t.app.inject({ url: "/api/v1/openapi.json" })).json() as {
      paths: Record<string, Record<string, { tags?: string[] }>>;
    };
    const editorRoutes = Object.entries(spec.paths).flatMap(([path, methods]) =>
      Object.entries(methods)
        .filter(([, op]) => op.tags?.includes("editor"))
        .map(([method]) => `${method.toUpperCase()} ${path}`),
    );
    expect(editorRoutes).toEqual(
      expect.arrayContaining([
        "POST /api/v1/events",
        "PATCH /api/v1/events/{slug}",
        "DELETE /api/v1/events/{slug}",
        "POST /api/v1/events/{slug}/publish",
        "POST /api/v1/events/{slug}/unpublish",
        "GET /api/v1/events/{slug}/programme",
        "POST /api/v1/events/{slug}/programme",
        "PUT /api/v1/events/{slug}/programme/order",
        "PATCH /api/v1/events/{slug}/programme/{entryId}",
        "DELETE /api/v1/events/{slug}/programme/{entryId}",
        "PATCH /api/v1/items/{id}",
        "DELETE /api/v1/items/{id}",
        "POST /api/v1/items/{id}/publish",
        "POST /api/v1/items/{id}/unpublish",
      ]),
    );
  });
});
