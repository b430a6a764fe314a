import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PageClient, startTestApp, type TestApp, textOf } from "../helpers/app.ts";
import { type Route, routeTable } from "../helpers/routes.ts";
import { eventForm, idFrom, loggedIn } from "./helpers.ts";

/** Every route under /{lang}/editor, so a route added later is checked without anyone listing it. */
function editorRoutes(app: FastifyInstance): Route[] {
  // A prefixed plugin's "/" route is also registered with a trailing slash, which answers with a
  // redirect to the address without it (web/canonical.ts): that address is the one checked.
  return routeTable(app).filter(
    (route) => /^\/(en|fr)\/editor(\/|$)/.test(route.url) && !route.url.endsWith("/"),
  );
}

let t: TestApp;
let routes: Route[];
let ids: Record<string, string>;

beforeAll(async () => {
  t = await startTestApp();
  const editor = await loggedIn(t, "chief@org.example", "editor");
  await editor.get("/en/editor/events/new");
  const eventId = idFrom((await editor.submit("/en/editor/events", eventForm())).headers.location, "events");
  const item = await editor.submit("/en/editor/items", {
    media_type: "video",
    kind: "speech",
    title_en: "Speech",
  });
  const itemId = idFrom(item.headers.location, "items");
  await editor.submit(`/en/editor/events/${eventId}/programme`, { title_en: "Arrival" });
  const [entry] = await t.db.query<{ id: number }>("SELECT id FROM programme_items WHERE event_id = $1", [
    eventId,
  ]);
  ids = { eventId: String(eventId), itemId: String(itemId), entryId: String(entry!.id) };
  routes = editorRoutes(t.app);
});
afterAll(() => t.close());

const concrete = (url: string) => url.replace(/:(\w+)/g, (_whole, name: string) => ids[name] ?? "1");
const langOf = (url: string) => (url.startsWith("/fr/") ? "fr" : "en");

describe("who may use the editor workspace", () => {
  it("finds the workspace's routes in both languages", () => {
    const urls = routes.map((r) => `${r.method} ${r.url}`);
    for (const lang of ["en", "fr"]) {
      expect(urls).toContain(`GET /${lang}/editor`);
      expect(urls).toContain(`POST /${lang}/editor/events/:eventId/programme/order`);
      expect(urls).toContain(`POST /${lang}/editor/items/:itemId/transcript/upload`);
      expect(urls).toContain(`GET /${lang}/editor/items/:itemId/transcript/timing`);
    }
    expect(routes.length).toBeGreaterThan(40);
  });

  it("gives a media user the 403 page in the page's language on every route, forms included", async () => {
    const media = await loggedIn(t, "journalist@news.example", "media");
    await media.get("/en/account");
    const forbidden = { en: "You do not have access to this.", fr: "Vous n'avez pas accès à cette page." };
    for (const route of routes) {
      const url = concrete(route.url);
      const res =
        route.method === "GET"
          ? await media.get(url)
          : await media.submit(url, { title_en: "Hacked", order: "" });
      expect(res.statusCode, `${route.method} ${url}`).toBe(403);
      expect(textOf(res.body), `${route.method} ${url}`).toContain(forbidden[langOf(url)]);
    }
    const events = await t.db.query("SELECT 1 FROM events WHERE title_en = 'Hacked'");
    expect(events).toHaveLength(0);
  });

  it("sends an anonymous visitor to log in, and back to the page afterwards", async () => {
    const anonymous = new PageClient(t.app);
    for (const route of routes) {
      const url = concrete(route.url);
      const lang = langOf(url);
      if (route.method === "GET") {
        const res = await anonymous.get(url);
        expect(res.statusCode, url).toBe(303);
        expect(res.headers.location, url).toBe(`/${lang}/login?returnTo=${encodeURIComponent(url)}`);
        continue;
      }
      // A form cannot be replayed after logging in: it is refused, or leads to the log-in page.
      const res = await anonymous.submit(url, { title_en: "Anonymous" });
      expect([303, 401], `POST ${url}`).toContain(res.statusCode);
      if (res.statusCode === 303)
        expect(String(res.headers.location)).toMatch(new RegExp(`^/${lang}/login\\?returnTo=`));
    }
    expect(await t.db.query("SELECT 1 FROM events WHERE title_en = 'Anonymous'")).toHaveLength(0);
    // A session that ended while a page was open: after logging in, back to that page, not the
    // workspace's home (found by hand).
    for (const [posted, page] of [
      [`/en/editor/items/${ids.itemId}`, `/en/editor/items/${ids.itemId}`],
      [`/fr/editor/items/${ids.itemId}/transcript/text`, `/fr/editor/items/${ids.itemId}`],
      [`/en/editor/events/${ids.eventId}/programme`, `/en/editor/events/${ids.eventId}`],
      ["/en/editor/events", "/en/editor"],
    ]) {
      const res = await anonymous.submit(posted!, { title_en: "Anonymous" });
      expect(res.headers.location, posted).toBe(
        `/${langOf(posted!)}/login?returnTo=${encodeURIComponent(page!)}&ended=1`,
      );
    }
    // …and the log-in page says why they are there and that nothing was saved, in their language.
    const told = await anonymous.get(`/fr/login?returnTo=${encodeURIComponent("/fr/editor")}&ended=1`);
    expect(textOf(told.body)).toContain("Votre session avait pris fin quand le formulaire a été envoyé");
    const plain = await anonymous.get(`/en/login?returnTo=${encodeURIComponent("/en/editor")}`);
    expect(textOf(plain.body)).not.toContain("Your session had ended");
  });

  it("takes a GET of a form's address (reloaded after its errors) to the form's page, not a 404", async () => {
    const editor = await loggedIn(t, "reloader@org.example", "editor");
    // A newsletter issue to be the ":issueId" of its forms (the first: 1).
    await editor.get("/en/editor/newsletter");
    expect((await editor.submit("/en/editor/newsletter", {})).headers.location).toBe(
      "/en/editor/newsletter/1/edit",
    );
    // Not those a page's pattern also matches ("programme/order" reads as the entry "order").
    const postOnly = routes.filter(
      (r) => r.method === "POST" && t.app.findRoute({ method: "GET", url: concrete(r.url) }) === null,
    );
    expect(postOnly.length).toBeGreaterThan(10);
    for (const route of postOnly) {
      const url = concrete(route.url);
      const res = await editor.get(url);
      expect(res.statusCode, url).toBe(303);
      const page = await editor.get(String(res.headers.location));
      expect(page.statusCode, `${url} → ${res.headers.location}`).toBe(200);
    }
    expect((await editor.get("/en/editor/events")).headers.location).toBe("/en/editor/events/new");
    expect((await editor.get(`/fr/editor/items/${ids.itemId}/transcript/text`)).headers.location).toBe(
      `/fr/editor/items/${ids.itemId}/transcript`,
    );
    // An address that is no form stays a 404, in the page's language.
    const unknown = await editor.get(`/fr/editor/items/${ids.itemId}/nonsense`);
    expect(unknown.statusCode).toBe(404);
    expect(textOf(unknown.body)).toContain("Page introuvable");
  });

  it("refuses every form of the workspace posted without its CSRF token", async () => {
    const editor = await loggedIn(t, "deputy@org.example", "editor");
    await editor.get("/en/editor");
    for (const route of routes.filter((r) => r.method === "POST")) {
      const url = concrete(route.url);
      const res = await editor.submit(url, { title_en: "No token" }, { csrf: false });
      expect(res.statusCode, url).toBe(403);
      expect(textOf(res.body), url).toMatch(/This form has expired|Ce formulaire a expiré/);
    }
    const made = await t.db.query("SELECT 1 FROM events WHERE title_en = 'No token'");
    expect(made).toHaveLength(0);
  });
});
