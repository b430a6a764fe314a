import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findLiveStream, insertLiveStream, markEnded, markLive } from "../../src/catalogue/live-store.ts";
import { addMaster, createEvent, createItem, sessionCookie } from "../catalogue/fixtures.ts";
import { startTestApp, type TestApp, textOf } from "../helpers/app.ts";
import { apiToken, loggedIn } from "./helpers.ts";

type Answer = { statusCode: number; body: string; headers: Record<string, unknown>; json(): unknown };
type ItemAnswer = {
  id: number;
  event: string | null;
  kind: string;
  title: { en: string; fr: string };
  description: { en: string; fr: string };
  shotList: { en: string; fr: string };
  usageTerms: { en: string; fr: string };
  credit: string;
  speakers: string[];
  languages: string[];
  recordedAt: string | null;
  embargoUntil: string | null;
  publishedAt: string | null;
};
type ErrorAnswer = { error: { code: string; message: string; fields?: Record<string, string[]> } };

let t: TestApp;
let token: string;
let media: string;
let eventSlug: string;

function api(method: "GET" | "POST" | "PATCH" | "DELETE", url: string, payload?: object, headers = {}) {
  return t.app.inject({
    method,
    url,
    ...(payload ? { payload } : {}),
    headers: { authorization: `Bearer ${token}`, accept: "application/json", ...headers },
  }) as Promise<Answer>;
}
const asMedia = (url: string) => t.app.inject({ url, headers: { cookie: media } });

/** A draft item, as ingest leaves one, with texts in both languages. */
const draft = (eventId: number | null) =>
  createItem(t.db, {
    eventId,
    publishedAt: null,
    title: { en: "Press conference", fr: "Conférence de presse" },
    description: { en: "The ministers answer.", fr: "Les ministres répondent." },
    usageTerms: { en: "Free for news use.", fr: "Libre pour l'information." },
    credit: "Council TV",
    speakers: ["Ana Silva, minister"],
    languages: ["en", "fr"],
    recordedAt: new Date("2026-11-23T10:15:42.250Z"),
  });

beforeAll(async () => {
  t = await startTestApp();
  token = await apiToken(t, "cms@org.example", "editor", "editor");
  media = await sessionCookie(t, "media");
  const event = await createEvent(t.db, { slug: "summit", title: { en: "Summit" } });
  await createEvent(t.db, { slug: "council", title: { en: "Council" } });
  eventSlug = event.slug;
});
afterAll(() => t.close());

describe("items through the editors' JSON API", () => {
  it("PATCH changes only the fields it names, with the ETag the item's GET shows", async () => {
    const id = await draft(
      (await t.db.query<{ id: number }>("SELECT id FROM events WHERE slug = 'summit'"))[0]!.id,
    );
    const read = await api("GET", `/api/v1/items/${id}`);
    expect(read.statusCode).toBe(200);
    const tag = String(read.headers.etag);
    const patched = await api(
      "PATCH",
      `/api/v1/items/${id}`,
      {
        title: { fr: "Conférence de presse finale" },
        shotList: { en: "Wide shot of the room", fr: "Plan large de la salle" },
        speakers: ["Ana Silva, minister", "Jon Berg, spokesperson"],
        event: "council",
        embargoUntil: "2026-11-24T06:00:00Z",
      },
      { "if-match": tag },
    );
    expect(patched.statusCode, patched.body).toBe(200);
    const item = patched.json() as ItemAnswer;
    expect(item.title).toEqual({ en: "Press conference", fr: "Conférence de presse finale" });
    expect(item.shotList.fr).toBe("Plan large de la salle");
    expect(item.speakers).toEqual(["Ana Silva, minister", "Jon Berg, spokesperson"]);
    expect(item.event).toBe("council");
    expect(item.embargoUntil).toBe("2026-11-24T06:00:00.000Z");
    // Untouched: to the millisecond, whatever the workspace's minute-precise form would keep.
    expect(item.recordedAt).toBe("2026-11-23T10:15:42.250Z");
    expect(item.description).toEqual({ en: "The ministers answer.", fr: "Les ministres répondent." });
    expect(item.usageTerms.fr).toBe("Libre pour l'information.");
    expect(item.credit).toBe("Council TV");
    expect(item.languages).toEqual(["en", "fr"]);
    expect(item.kind).toBe("press-conference");
    expect((await api("GET", `/api/v1/items/${id}`)).headers.etag).toBe(patched.headers.etag);

    // null clears: the embargo lifts, the item leaves its event.
    const clearing = await api("PATCH", `/api/v1/items/${id}`, { embargoUntil: null, event: null });
    expect(clearing.statusCode, clearing.body).toBe(200);
    const cleared = clearing.json() as ItemAnswer;
    expect(cleared.embargoUntil).toBeNull();
    expect(cleared.event).toBeNull();
    expect(cleared.title.fr).toBe("Conférence de presse finale");
  });

  it("answers 412 to a stale If-Match and leaves the item as it was", async () => {
    const id = await draft(null);
    const tag = String((await api("GET", `/api/v1/items/${id}`)).headers.etag);
    expect(
      (await api("PATCH", `/api/v1/items/${id}`, { credit: "Newer" }, { "if-match": tag })).statusCode,
    ).toBe(200);
    const stale = await api(
      "PATCH",
      `/api/v1/items/${id}`,
      { credit: "Lost update" },
      { "if-match": tag, "accept-language": "fr" },
    );
    expect(stale.statusCode).toBe(412);
    expect((stale.json() as ErrorAnswer).error.message).toMatch(/modifié depuis que vous l'avez lu/);
    expect(
      (await api("POST", `/api/v1/items/${id}/publish`, undefined, { "if-match": tag })).statusCode,
    ).toBe(412);
    expect((await api("DELETE", `/api/v1/items/${id}`, undefined, { "if-match": tag })).statusCode).toBe(412);
    const [row] = await t.db.query<{ credit: string; published_at: Date | null }>(
      "SELECT credit, published_at FROM media_items WHERE id = $1",
      [id],
    );
    expect(row).toEqual({ credit: "Newer", published_at: null });
  });

  it("names each field's problem in French for a French caller; never a 5xx for a client's mistake", async () => {
    const id = await draft(null);
    const bad = await api(
      "PATCH",
      `/api/v1/items/${id}`,
      { title: { en: "", fr: "" }, languages: ["english"], kind: "party", event: "no-such-event" },
      { "accept-language": "fr" },
    );
    expect(bad.statusCode).toBe(400);
    expect((bad.json() as ErrorAnswer).error.fields).toEqual({
      "title/en": ["Saisissez un titre en anglais ou en français."],
      languages: [expect.stringMatching(/codes de langue/i)],
      kind: [expect.stringMatching(/type d'enregistrement/i)],
      event: ["Aucun événement n'a ce slug."],
    });
    const unknown = await api("PATCH", `/api/v1/items/${id}`, { caption: "x" }, { "accept-language": "fr" });
    expect((unknown.json() as ErrorAnswer).error.fields).toEqual({
      caption: ["Ce champ n'existe pas : vérifiez son nom."],
    });
    for (const body of [{ speakers: [{ name: "Ana" }] }, { embargoUntil: "next week" }, { title: ["x"] }]) {
      const answer = await api("PATCH", `/api/v1/items/${id}`, body);
      expect(answer.statusCode, answer.body).toBe(400);
    }
    expect((await api("PATCH", "/api/v1/items/2147483648", { credit: "x" })).statusCode).toBe(404);
    expect((await api("PATCH", "/api/v1/items/999999", { credit: "x" })).statusCode).toBe(404);
    const [row] = await t.db.query<{ title_fr: string }>("SELECT title_fr FROM media_items WHERE id = $1", [
      id,
    ]);
    expect(row!.title_fr).toBe("Conférence de presse");
  });

  it("publish makes the item visible to a media user, unpublish hides it again", async () => {
    const id = await draft(null);
    expect((await asMedia(`/api/v1/items/${id}`)).statusCode).toBe(404);
    const published = await api("POST", `/api/v1/items/${id}/publish`);
    expect(published.statusCode, published.body).toBe(200);
    expect((published.json() as ItemAnswer).publishedAt).toBe(t.clock.now().toISOString());
    const seen = await asMedia(`/api/v1/items/${id}`);
    expect(seen.statusCode).toBe(200);
    expect((seen.json() as { title: { en: string } }).title.en).toBe("Press conference");
    // Saved searches and webhooks hear of it: the announcement job is queued.
    const queued = await t.db.query("SELECT 1 FROM pgboss.job WHERE name = 'alerts.announce'");
    expect(queued.length).toBeGreaterThan(0);
    expect((await api("POST", `/api/v1/items/${id}/unpublish`)).statusCode).toBe(200);
    expect((await asMedia(`/api/v1/items/${id}`)).statusCode).toBe(404);
  });

  it("deletes an item with its stored files", async () => {
    const id = await draft(null);
    const file = `${t.dataDir}/poster.jpg`;
    await import("node:fs/promises").then((fs) => fs.writeFile(file, "not really a picture"));
    await t.deps.storage.putFile(`items/${id}/poster.jpg`, file);
    expect(await t.deps.storage.list(`items/${id}/`)).toHaveLength(1);
    const tag = String((await api("GET", `/api/v1/items/${id}`)).headers.etag);
    expect((await api("DELETE", `/api/v1/items/${id}`, undefined, { "if-match": tag })).statusCode).toBe(204);
    expect(await t.deps.storage.list(`items/${id}/`)).toEqual([]);
    expect((await api("GET", `/api/v1/items/${id}`)).statusCode).toBe(404);
    expect((await api("DELETE", `/api/v1/items/${id}`)).statusCode).toBe(404);
  });

  it("refuses to delete a live item while its stream is received, in the caller's language", async () => {
    const id = await draft(null);
    await insertLiveStream(t.db, {
      itemId: id,
      key: "live-delete-key",
      srtPort: null,
      scheduledAt: null,
      now: t.clock.now(),
    });
    await markLive(t.db, id, t.clock.now());
    const refused = await api("DELETE", `/api/v1/items/${id}`, undefined, { "accept-language": "fr" });
    expect(refused.statusCode).toBe(409);
    expect((refused.json() as ErrorAnswer).error).toEqual({
      code: "live_receiving",
      message: "Ce direct reçoit son flux. Terminez d'abord le direct ; il pourra ensuite être supprimé.",
    });
    expect((await api("GET", `/api/v1/items/${id}`)).statusCode).toBe(200);

    await markEnded(t.db, id, t.clock.now());
    expect((await api("DELETE", `/api/v1/items/${id}`)).statusCode).toBe(204);
    expect(await findLiveStream(t.db, id)).toBeNull();
  });

  it("takes a timed WebVTT or SRT transcript for one language, with the workspace's parser", async () => {
    const id = await draft(null);
    const give = (body: object) =>
      api("POST", `/api/v1/items/${id}/transcript`, body, { "accept-language": "fr" });
    const vtt =
      "WEBVTT\n\n00:00:01.000 --> 00:00:03.500\n<v Ana Silva>Good morning.\n\n00:00:04.000 --> 00:00:06.000\nWe agreed.\n";
    const stored = await give({ lang: "en", format: "vtt", text: vtt });
    expect(stored.statusCode, stored.body).toBe(200);
    expect(stored.json()).toEqual({ sentences: 2 });
    const srt = "1\n00:00:01,000 --> 00:00:03,000\nBonjour.\n";
    expect((await give({ lang: "fr", format: "srt", text: srt })).json()).toEqual({ sentences: 1 });
    const transcript = (
      (await api("GET", `/api/v1/items/${id}`)).json() as {
        transcript: { start: number | null; text: string; lang: string }[];
      }
    ).transcript;
    expect(transcript.map((s) => [s.lang, s.start, s.text])).toEqual([
      ["en", 1, "Good morning."],
      ["fr", 1, "Bonjour."],
      ["en", 4, "We agreed."],
    ]);
    const broken = await give({
      lang: "en",
      format: "vtt",
      text: "WEBVTT\n\n00:00:09.000 --> soon\nHello\n",
    });
    expect(broken.statusCode).toBe(400);
    expect((broken.json() as ErrorAnswer).error.code).toBe("transcript_invalid");
    expect((await give({ lang: "en", format: "vtt", text: vtt, timing: "align" })).statusCode).toBe(400);
    expect((await give({ lang: "en", text: "Plain text without timing said." })).statusCode).toBe(400);
  });

  it("refuses a timed transcript's cue beyond 100 hours, or after the end of the master once its length is known, naming the line", async () => {
    const give = (id: number, body: object, lang = "en") =>
      api("POST", `/api/v1/items/${id}/transcript`, body, { "accept-language": lang });
    const refusal = async (answer: Answer) => {
      expect(answer.statusCode, answer.body).toBe(400);
      const { error } = answer.json() as ErrorAnswer;
      expect(error.code).toBe("transcript_invalid");
      return error.message;
    };
    const sentencesOf = async (id: number) =>
      (await t.db.query("SELECT 1 FROM transcript_segments WHERE media_item_id = $1", [id])).length;

    // No master yet: its length is unknown, so only the sane bound applies.
    const awaiting = await createItem(t.db, { publishedAt: null, durationSeconds: null });
    const huge =
      "1\n00:00:00,000 --> 00:00:02,000\nnormal.\n\n2\n00:00:03,000 --> 9007199254740993:00:00,000\nhuge end.\n\n3\n99999999999:00:00,000 --> 99999999999:00:01,000\nhuge start.\n";
    expect(await refusal(await give(awaiting, { lang: "en", format: "srt", text: huge }, "fr"))).toBe(
      "La transcription n'a pas pu être lue : ligne 6 : « 9007199254740993:00:00,000 » dépasse 100 heures : aucun enregistrement n'est aussi long",
    );
    const late =
      "1\n00:00:01,000 --> 00:00:02,000\nEarly.\n\n2\n02:00:00,000 --> 02:00:03,000\nTwo hours in.\n";
    expect((await give(awaiting, { lang: "en", format: "srt", text: late })).json()).toEqual({
      sentences: 2,
    });

    // Its master's length known (8 s): a cue that starts after it is refused, one running past it is not.
    const known = await createItem(t.db, { publishedAt: null, durationSeconds: 8 });
    const vtt =
      "WEBVTT\n\n00:00:01.000 --> 00:00:07.000\nInside.\n\n00:00:07.500 --> 00:00:30.000\nRuns past the end.\n\n00:00:09.000 --> 00:00:10.000\nAfter the end.\n";
    expect(await refusal(await give(known, { lang: "en", format: "vtt", text: vtt }))).toBe(
      "The transcript could not be read: line 9: the cue starts at 00:00:09.000, after the end of the video, which is 00:00:08.000 long",
    );
    expect(await sentencesOf(known)).toBe(0);
    const within = vtt.slice(0, vtt.indexOf("\n\n00:00:09.000") + 1);
    expect((await give(known, { lang: "en", format: "vtt", text: within })).json()).toEqual({ sentences: 2 });
  });

  it("refuses a media user (403) and someone not logged in (401)", async () => {
    const id = await draft(null);
    const patch = (headers: Record<string, string>) =>
      t.app.inject({ method: "PATCH", url: `/api/v1/items/${id}`, payload: { credit: "x" }, headers });
    expect((await patch({ cookie: media })).statusCode).toBe(403);
    const reader = await apiToken(t, "reader@media.example", "media", "read");
    expect((await patch({ authorization: `Bearer ${reader}` })).statusCode).toBe(403);
    expect((await patch({})).statusCode).toBe(401);
    const publish = await t.app.inject({
      method: "POST",
      url: `/api/v1/items/${id}/publish`,
      headers: { cookie: media, "x-requested-with": "fetch" },
    });
    expect(publish.statusCode).toBe(403);
    const [row] = await t.db.query<{ credit: string; published_at: Date | null }>(
      "SELECT credit, published_at FROM media_items WHERE id = $1",
      [id],
    );
    expect(row).toEqual({ credit: "Council TV", published_at: null });
    expect(eventSlug).toBe("summit");
  });
});

describe("an item made through the API without a file", () => {
  it("says no file has been sent yet, in the API's JSON and on the workspace's pages, in both languages", async () => {
    const created = await api("POST", "/api/v1/items", {
      event: "council",
      type: "video",
      title: { en: "Awaiting its file" },
    });
    expect(created.statusCode).toBe(201);
    const { id, status } = created.json() as { id: number; status: string };
    // Found by hand: "uploaded", while its page said no master file had been uploaded.
    expect(status).toBe("awaiting_upload");
    const statusOf = async (answer: Promise<Answer>) => ((await answer).json() as { status: string }).status;
    expect(await statusOf(api("GET", `/api/v1/items/${id}`))).toBe("awaiting_upload");
    expect(await statusOf(api("PATCH", `/api/v1/items/${id}`, { credit: "Council TV" }))).toBe(
      "awaiting_upload",
    );
    const listed = (await api("GET", "/api/v1/events/council")).json() as {
      items: { id: number; status: string }[];
    };
    expect(listed.items.find((item) => item.id === id)?.status).toBe("awaiting_upload");

    const editor = await loggedIn(t, "desk-api@org.example", "editor");
    const [{ event_id: eventId }] = (await t.db.query<{ event_id: number }>(
      "SELECT event_id FROM media_items WHERE id = $1",
      [id],
    )) as [{ event_id: number }];
    for (const page of [`/en/editor/events/${eventId}`, "/en/editor"]) {
      const text = textOf((await editor.get(page)).body);
      expect(text).toMatch(/Awaiting its file.{0,40}No master file uploaded yet/);
      expect(text).not.toContain("Uploaded, waiting for processing");
    }
    expect(textOf((await editor.get(`/fr/editor/events/${eventId}`)).body)).toContain(
      "Aucun fichier master téléversé pour l'instant",
    );
    expect(textOf((await editor.get(`/en/editor/items/${id}`)).body)).toContain(
      "No master file has been uploaded for this item yet.",
    );

    // Its file in, not yet taken up by processing: now it is uploaded.
    await addMaster(t.db, id);
    expect(await statusOf(api("GET", `/api/v1/items/${id}`))).toBe("uploaded");
    expect(textOf((await editor.get(`/en/editor/items/${id}`)).body)).toContain(
      "Uploaded, waiting for processing",
    );
  });

  it("leaves a live item's status to its live state", async () => {
    const id = await createItem(t.db, { status: "uploaded", publishedAt: null, title: { en: "Live" } });
    await insertLiveStream(t.db, {
      itemId: id,
      key: "live-status-key",
      srtPort: null,
      scheduledAt: null,
      now: t.clock.now(),
    });
    expect(((await api("GET", `/api/v1/items/${id}`)).json() as { status: string }).status).toBe("uploaded");
  });
});
