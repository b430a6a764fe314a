import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createEvent, createItem, sessionCookie } from "../catalogue/fixtures.ts";
import { startTestApp, type TestApp } from "../helpers/app.ts";

/**
 * A JSON body is taken with the types it was sent with (the probe of 2026-12-07, L6: a number
 * where a string was asked was stored as its text, 1e999 as "Infinity"). Over real HTTP, so the
 * JSON is the bytes a client sends (`1e999` has no JavaScript literal to inject).
 */
let t: TestApp;
let base: string;
let editor: string;

beforeAll(async () => {
  t = await startTestApp();
  await t.app.listen({ port: 0, host: "127.0.0.1" });
  base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
  editor = await sessionCookie(t, "editor");
});
afterAll(() => t.close());

async function send(method: string, url: string, json: string | null, lang = "en") {
  const res = await fetch(`${base}${url}`, {
    method,
    ...(json === null ? {} : { body: json }),
    headers: {
      cookie: editor,
      "accept-language": lang,
      "x-requested-with": "test",
      ...(json === null ? {} : { "content-type": "application/json" }),
    },
  });
  return { status: res.status, json: (await res.json()) as Record<string, never> };
}

const text = "Write text, as a JSON string in quotes.";

describe("a JSON number or boolean where the schema asks for a string", () => {
  it("is refused by the field's name, and nothing is stored", async () => {
    const id = await createItem(t.db, { title: { en: "Briefing" } });
    const item = `/api/v1/items/${id}`;
    for (const value of ["1e999", "1", "true"]) {
      const res = await send("PATCH", item, `{"title":{"en":${value}}}`);
      expect([value, res.status]).toEqual([value, 400]);
      expect(res.json.error).toEqual({
        code: "invalid_input",
        message: "Some of the information is missing or not valid.",
        fields: { "title/en": [text] },
      });
    }
    const credit = await send("PATCH", item, '{"credit":false,"speakers":[1],"title":{"fr":2}}', "fr");
    expect(credit.json.error).toMatchObject({
      fields: {
        credit: ["Écrivez un texte, en chaîne JSON entre guillemets."],
        "speakers/0": ["Écrivez un texte, en chaîne JSON entre guillemets."],
        "title/fr": ["Écrivez un texte, en chaîne JSON entre guillemets."],
      },
    });
    const stored = await send("GET", item, null);
    expect(stored.json.title).toEqual({ en: "Briefing", fr: "" });

    const { slug } = await createEvent(t.db, { title: { en: "Summit" } });
    const event = await send("PATCH", `/api/v1/events/${slug}`, '{"title":{"en":1e999},"slug":7}');
    expect(event.status).toBe(400);
    expect(event.json.error).toMatchObject({ fields: { "title/en": [text], slug: [text] } });
    const login = await fetch(`${base}/api/v1/auth/login`, {
      method: "POST",
      body: '{"email":1,"password":true}',
      headers: { "content-type": "application/json" },
    });
    expect(((await login.json()) as { error: { fields: unknown } }).error.fields).toEqual({
      email: [text],
      password: [text],
    });
  });

  it("still takes null where a field may be cleared, and strings as they are", async () => {
    const id = await createItem(t.db, { title: { en: "Briefing" } });
    const res = await send(
      "PATCH",
      `/api/v1/items/${id}`,
      '{"embargoUntil":null,"title":{"en":"1e999"},"credit":"true"}',
    );
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ embargoUntil: null, title: { en: "1e999" }, credit: "true" });
  });

  it("leaves query strings and paths as text to be read as numbers, as before", async () => {
    // `page` is an integer in the schema, sent as "2"; the id in the path too.
    const search = await send("GET", "/api/v1/search?q=briefing&page=2", null);
    expect(search.status).toBe(200);
    const id = await createItem(t.db, { title: { en: "Briefing" } });
    expect((await send("GET", `/api/v1/items/${id}`, null)).status).toBe(200);
  });
});
