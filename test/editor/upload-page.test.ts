import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PageClient, startTestApp, type TestApp, textOf } from "../helpers/app.ts";
import { eventForm, idFrom, loggedIn } from "./helpers.ts";

let t: TestApp;
let editor: PageClient;
let eventId: number;

beforeAll(async () => {
  t = await startTestApp();
  editor = await loggedIn(t, "chief@org.example", "editor");
  await editor.get("/en/editor/events/new");
  const saved = await editor.submit("/en/editor/events", eventForm({ slug: "foreign-ministers" }));
  eventId = idFrom(saved.headers.location, "events");
});
afterAll(() => t.close());

describe("the master upload page", () => {
  it("gives editors the form, hidden until the island runs, and the CLI for browsers without JavaScript", async () => {
    const res = await editor.get("/en/editor/upload");
    expect(res.statusCode).toBe(200);
    expect(res.headers["cache-control"]).toBe("private, no-store");
    const text = textOf(res.body);
    expect(text).toContain("Upload a master");
    expect(text).toContain("Uploading large masters from the browser needs JavaScript");
    expect(text).toContain("npm run cli -- ingest FILE --event SLUG");
    expect(res.body).toMatch(/<form data-master-upload hidden/);
    expect(res.body).toContain('<script type="module" src="/static/build/master-upload.js"></script>');
    // Events are named by slug, as POST /api/v1/items and the CLI name them.
    expect(res.body).toContain('<option value="foreign-ministers">');
    expect(res.body).toContain('data-endpoint="/api/v1/uploads"');
    // The island's words come from the page, in its language.
    expect(res.body).toContain("Upload paused at {percent}%.");
  });

  it("speaks French at /fr and preselects the event it was opened for", async () => {
    const res = await editor.get(`/fr/editor/upload?event=${eventId}`);
    expect(res.statusCode).toBe(200);
    const text = textOf(res.body);
    expect(text).toContain("Téléverser un master");
    expect(text).toContain("Téléverser de gros masters depuis le navigateur nécessite JavaScript");
    expect(text).toContain("npm run cli -- ingest FILE --event SLUG");
    expect(res.body).toContain('<option value="foreign-ministers" selected>');
    expect(res.body).toContain("Envoi en pause à {percent} %.");
  });

  it("is linked from the dashboard, with the newsletter", async () => {
    const res = await editor.get("/en/editor");
    expect(res.body).toContain('href="/en/editor/upload"');
    expect(res.body).toContain('href="/en/editor/newsletter"');
    const fr = await editor.get("/fr/editor");
    expect(textOf(fr.body)).toContain("Téléverser un master");
  });

  it("refuses media users in the page's language", async () => {
    const media = await loggedIn(t, "journalist@news.example", "media");
    for (const [lang, message] of [
      ["en", "You do not have access to this."],
      ["fr", "Vous n'avez pas accès à cette page."],
    ] as const) {
      const res = await media.get(`/${lang}/editor/upload`);
      expect(res.statusCode).toBe(403);
      expect(textOf(res.body)).toContain(message);
    }
  });

  it("sends someone not logged in to log in and back", async () => {
    const res = await new PageClient(t.app).get("/fr/editor/upload?event=3");
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(
      `/fr/login?returnTo=${encodeURIComponent("/fr/editor/upload?event=3")}`,
    );
  });

  it("says so when there is no event to upload to", async () => {
    await t.db.query("DELETE FROM events");
    const res = await editor.get("/en/editor/upload");
    expect(res.statusCode).toBe(200);
    expect(res.body).not.toContain("data-master-upload");
    expect(textOf(res.body)).toContain("There is no event yet");
    expect(textOf(res.body)).toContain("npm run cli -- ingest FILE --event SLUG");
  });
});
