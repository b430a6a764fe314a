import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type PageClient, startTestApp, type TestApp, textOf } from "../helpers/app.ts";
import { eventForm, idFrom, loggedIn } from "./helpers.ts";

// A new-event or new-item form sent twice (a double click, a browser sending it again) made two
// rows (docs/qa/editor-2026-12-07.md, L1): the form carries a one-time token (editor/form-token.ts).

let t: TestApp;
let editor: PageClient;
beforeAll(async () => {
  t = await startTestApp();
  editor = await loggedIn(t, "double-click@org.example", "editor");
});
afterAll(() => t.close());

function tokenIn(page: string): string {
  const token = /name="form_token" value="([^"]+)"/.exec(page)?.[1];
  if (!token) throw new Error("The form has no one-time token");
  return token;
}

const count = async (table: "events" | "media_items", title: string) =>
  Number(
    (await t.db.query<{ n: number }>(`SELECT count(*) AS n FROM ${table} WHERE title_en = $1`, [title]))[0]!
      .n,
  );

describe("the new-event form sent twice", () => {
  it("makes one event; the second post goes to it with the usual notice", async () => {
    const token = tokenIn((await editor.get("/en/editor/events/new")).body);
    const form = eventForm({ title_en: "Double click", form_token: token });
    const first = await editor.submit("/en/editor/events", form);
    const second = await editor.submit("/en/editor/events", form);
    expect(first.statusCode).toBe(303);
    expect(second.statusCode).toBe(303);
    expect(second.headers.location).toBe(first.headers.location);
    expect(textOf((await editor.follow(second)).body)).toContain("Your changes have been saved.");
    expect(await count("events", "Double click")).toBe(1);
  });

  it("makes one event when both posts arrive at once", async () => {
    const token = tokenIn((await editor.get("/fr/editor/events/new")).body);
    const form = eventForm({ title_en: "Sent at once", form_token: token });
    const [first, second] = await Promise.all([
      editor.submit("/fr/editor/events", form),
      editor.submit("/fr/editor/events", form),
    ]);
    expect([first.statusCode, second.statusCode]).toEqual([303, 303]);
    expect(idFrom(second.headers.location, "events")).toBe(idFrom(first.headers.location, "events"));
    expect(await count("events", "Sent at once")).toBe(1);
  });

  it("gives each form its own token, keeps it through a refusal, and still makes an event per post without one", async () => {
    const one = tokenIn((await editor.get("/en/editor/events/new")).body);
    const other = tokenIn((await editor.get("/en/editor/events/new")).body);
    expect(one).not.toBe(other);
    expect(one).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    // Refused: nothing was made with the token, so the corrected form makes the event, once.
    const refused = await editor.submit(
      "/en/editor/events",
      eventForm({ title_en: "", title_fr: "", form_token: one }),
    );
    expect(refused.statusCode).toBe(400);
    expect(tokenIn(refused.body)).toBe(one);
    const corrected = eventForm({ title_en: "Corrected", form_token: one });
    const made = await editor.submit("/en/editor/events", corrected);
    expect(made.statusCode).toBe(303);
    expect((await editor.submit("/en/editor/events", corrected)).headers.location).toBe(
      made.headers.location,
    );
    expect(await count("events", "Corrected")).toBe(1);
    // No token (an old tab, a client of its own): as before, each post is an event.
    await editor.submit("/en/editor/events", eventForm({ title_en: "No token" }));
    await editor.submit("/en/editor/events", eventForm({ title_en: "No token" }));
    expect(await count("events", "No token")).toBe(2);
  });
});

describe("the new-item form sent twice", () => {
  const itemForm = (title: string, token: string) => ({
    media_type: "video",
    kind: "speech",
    title_en: title,
    embargo_until: "2025-11-23T14:00",
    form_token: token,
  });

  it("makes one item; the second post goes to it with the notice the first had", async () => {
    const token = tokenIn((await editor.get("/en/editor/items/new")).body);
    const first = await editor.submit("/en/editor/items", itemForm("Item double click", token));
    const second = await editor.submit("/en/editor/items", itemForm("Item double click", token));
    expect(first.statusCode).toBe(303);
    expect(second.statusCode).toBe(303);
    expect(second.headers.location).toBe(first.headers.location);
    expect(textOf((await editor.follow(second)).body)).toContain("The embargo time is already past");
    expect(await count("media_items", "Item double click")).toBe(1);
  });

  it("makes one item when both posts arrive at once, and one per post without a token", async () => {
    const token = tokenIn((await editor.get("/en/editor/items/new")).body);
    const [first, second] = await Promise.all([
      editor.submit("/en/editor/items", itemForm("Item at once", token)),
      editor.submit("/en/editor/items", itemForm("Item at once", token)),
    ]);
    expect([first.statusCode, second.statusCode]).toEqual([303, 303]);
    expect(idFrom(second.headers.location, "items")).toBe(idFrom(first.headers.location, "items"));
    expect(await count("media_items", "Item at once")).toBe(1);
    const { form_token: _, ...untokened } = itemForm("Item without token", token);
    await editor.submit("/en/editor/items", untokened);
    await editor.submit("/en/editor/items", untokened);
    expect(await count("media_items", "Item without token")).toBe(2);
  });
});
