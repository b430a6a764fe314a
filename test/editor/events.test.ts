import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp, textOf } from "../helpers/app.ts";
import { eventForm, idFrom, loggedIn } from "./helpers.ts";

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

describe("events in the editor workspace", () => {
  it("creates a bilingual event with a slug from its date and title, edits and publishes it", async () => {
    const editor = await loggedIn(t, "editor@org.example", "editor");
    const form = await editor.get("/en/editor/events/new");
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('lang="fr"');
    const created = await editor.submit("/en/editor/events", eventForm());
    expect(created.statusCode).toBe(303);
    const id = idFrom(created.headers.location, "events");
    const page = await editor.follow(created);
    expect(textOf(page.body)).toContain("Your changes have been saved.");
    expect(page.body).toContain('value="2026-11-23-summit-of-foreign-ministers"');
    expect(page.body).toContain('value="Sommet des ministres des affaires étrangères"');
    expect(textOf(page.body)).toContain("Draft");

    const edited = await editor.submit(
      `/en/editor/events/${id}`,
      eventForm({ slug: "2026-11-23-summit", title_fr: "Sommet des ministres" }),
    );
    expect(edited.statusCode).toBe(303);
    const rows = await t.db.query<{
      slug: string;
      title_fr: string;
      starts_at: Date;
      published_at: Date | null;
    }>("SELECT slug, title_fr, starts_at, published_at FROM events WHERE id = $1", [id]);
    expect(rows[0]).toMatchObject({
      slug: "2026-11-23-summit",
      title_fr: "Sommet des ministres",
      published_at: null,
    });
    expect(rows[0]!.starts_at.toISOString()).toBe("2026-11-23T09:30:00.000Z");

    const published = await editor.submit(`/en/editor/events/${id}/publish`, {});
    expect(published.statusCode).toBe(303);
    expect(textOf((await editor.follow(published)).body)).toContain("Published.");
    const dashboard = await editor.get("/fr/editor");
    expect(textOf(dashboard.body)).toContain("Sommet des ministres");
    expect(textOf(dashboard.body)).toContain("Publié");
  });

  it("makes a second event of the same day and title a different slug", async () => {
    const editor = await loggedIn(t, "editor2@org.example", "editor");
    await editor.get("/en/editor/events/new");
    const first = await editor.submit("/en/editor/events", eventForm({ title_en: "Visit" }));
    const second = await editor.submit("/en/editor/events", eventForm({ title_en: "Visit" }));
    const slugs = await t.db.query<{ slug: string }>(
      "SELECT slug FROM events WHERE id IN ($1, $2) ORDER BY id",
      [idFrom(first.headers.location, "events"), idFrom(second.headers.location, "events")],
    );
    expect(slugs.map((r) => r.slug)).toEqual(["2026-11-23-visit", "2026-11-23-visit-2"]);
  });

  it("shows translated problems per field, in French and in English, and keeps what was typed", async () => {
    const editor = await loggedIn(t, "editor3@org.example", "editor");
    await editor.get("/fr/editor/events/new");
    const bad = eventForm({
      title_en: "",
      title_fr: "",
      starts_at: "demain",
      slug: "Pas Bon!",
      place_en: "<b>Here</b>",
    });
    const fr = await editor.submit("/fr/editor/events", bad);
    expect(fr.statusCode).toBe(400);
    const frText = textOf(fr.body);
    expect(frText).toContain("Il y a un problème");
    expect(frText).toContain("Saisissez un titre en anglais ou en français.");
    expect(frText).toContain("Saisissez une date et une heure, par exemple 2026-11-23 14:30.");
    expect(frText).toContain("Utilisez uniquement des lettres minuscules");
    expect(fr.body).toContain('href="#title_en"');
    expect(fr.body).toContain('value="&lt;b&gt;Here&lt;/b&gt;"');

    await editor.get("/en/editor/events/new");
    const en = await editor.submit("/en/editor/events", eventForm({ ends_at: "2026-11-22T10:00" }));
    expect(en.statusCode).toBe(400);
    expect(textOf(en.body)).toContain("The end must come after the start.");

    const taken = await editor.submit("/en/editor/events", eventForm({ slug: "2026-11-23-summit" }));
    expect(textOf(taken.body)).toContain("Another event already has this web address.");
  });
});
