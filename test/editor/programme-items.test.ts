import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setItemStatus } from "../../src/catalogue/item-store.ts";
import { type PageClient, startTestApp, type TestApp, textOf } from "../helpers/app.ts";
import { eventForm, idFrom, loggedIn } from "./helpers.ts";

let t: TestApp;
let editor: PageClient;
let eventId: number;
beforeAll(async () => {
  t = await startTestApp();
  editor = await loggedIn(t, "desk@org.example", "editor");
  await editor.get("/en/editor/events/new");
  eventId = idFrom((await editor.submit("/en/editor/events", eventForm())).headers.location, "events");
});
afterAll(() => t.close());

async function programmeTitles(): Promise<string[]> {
  const rows = await t.db.query<{ title_en: string }>(
    "SELECT title_en FROM programme_items WHERE event_id = $1 ORDER BY position",
    [eventId],
  );
  return rows.map((r) => r.title_en);
}

async function entryIds(): Promise<number[]> {
  const rows = await t.db.query<{ id: number }>(
    "SELECT id FROM programme_items WHERE event_id = $1 ORDER BY position",
    [eventId],
  );
  return rows.map((r) => r.id);
}

describe("the programme of an event", () => {
  it("adds entries, reorders them with the buttons and by a whole new order, edits and deletes one", async () => {
    const programme = `/en/editor/events/${eventId}/programme`;
    await editor.get(programme);
    for (const [time, en, fr] of [
      ["09:30", "Arrivals", "Arrivées"],
      ["10:00", "Doorstep", "Déclaration à l'arrivée"],
      ["12:30", "Press conference", "Conférence de presse"],
    ]) {
      const added = await editor.submit(programme, {
        time: time!,
        title_en: en!,
        title_fr: fr!,
        media_item_id: "",
      });
      expect(added.statusCode).toBe(303);
    }
    expect(await programmeTitles()).toEqual(["Arrivals", "Doorstep", "Press conference"]);
    const page = await editor.get(programme);
    expect(textOf(page.body)).toContain("12:30 Press conference / Conférence de presse");
    expect(page.body).toContain('src="/static/build/programme-reorder.js"');

    const [arrivals, doorstep, press] = await entryIds();
    const moved = await editor.submit(`${programme}/${press}/move`, { direction: "up" });
    expect(moved.statusCode).toBe(303);
    expect(moved.headers.location).toBe(`${programme}#entry-${press}`);
    expect(await programmeTitles()).toEqual(["Arrivals", "Press conference", "Doorstep"]);
    // At the top, "up" changes nothing.
    await editor.submit(`${programme}/${arrivals}/move`, { direction: "up" });
    expect(await programmeTitles()).toEqual(["Arrivals", "Press conference", "Doorstep"]);

    // What the drag-and-drop island sends.
    const reordered = await editor.submit(`${programme}/order`, {
      order: `${doorstep},${arrivals},${press}`,
    });
    expect(reordered.statusCode).toBe(303);
    expect(await programmeTitles()).toEqual(["Doorstep", "Arrivals", "Press conference"]);
    const outdated = await editor.submit(`${programme}/order`, { order: `${doorstep},${arrivals}` });
    expect(outdated.statusCode).toBe(400);
    expect(await programmeTitles()).toEqual(["Doorstep", "Arrivals", "Press conference"]);

    await editor.get(`${programme}/${arrivals}`);
    const bad = await editor.submit(`${programme}/${arrivals}`, {
      time: "25:99",
      title_en: "",
      title_fr: "",
    });
    expect(bad.statusCode).toBe(400);
    expect(textOf(bad.body)).toContain("Enter a time like 14:30.");
    expect(textOf(bad.body)).toContain("Enter a title in English or in French.");
    await editor.submit(`${programme}/${arrivals}`, {
      time: "09:45",
      title_en: "Arrival of ministers",
      title_fr: "",
    });
    const deleted = await editor.submit(`${programme}/${doorstep}/delete`, {});
    expect(deleted.statusCode).toBe(303);
    expect(await programmeTitles()).toEqual(["Arrival of ministers", "Press conference"]);
    const rows = await t.db.query<{ position: number; starts_at: Date }>(
      "SELECT position, starts_at FROM programme_items WHERE id = $1",
      [arrivals],
    );
    expect(rows[0]!.position).toBe(0);
    expect(rows[0]!.starts_at.toISOString()).toBe("2026-11-23T09:45:00.000Z");
  });

  it("counts the entries on the event's page in the singular for one, and in French for none too", async () => {
    await editor.get("/en/editor/events/new");
    const made = await editor.submit(
      "/en/editor/events",
      eventForm({ title_en: "Count", title_fr: "Compte" }),
    );
    const id = idFrom(made.headers.location, "events");
    const said = async (lang: "en" | "fr") =>
      textOf((await editor.get(`/${lang}/editor/events/${id}`)).body).match(
        /\d+ \S+ (in the|au) programme\./,
      )?.[0];
    expect(await said("en")).toBe("0 entries in the programme.");
    expect(await said("fr")).toBe("0 entrée au programme.");
    await editor.get(`/en/editor/events/${id}/programme`);
    const added = await editor.submit(`/en/editor/events/${id}/programme`, {
      time: "09:30",
      title_en: "Arrivals",
      title_fr: "Arrivées",
      media_item_id: "",
    });
    expect(added.statusCode).toBe(303);
    expect(await said("en")).toBe("1 entry in the programme.");
    expect(await said("fr")).toBe("1 entrée au programme.");
  });

  it("answers the island's JSON request with 204", async () => {
    const programme = `/en/editor/events/${eventId}/programme`;
    await editor.get(programme);
    const ids = await entryIds();
    const token = editor.lastHtml.match(/name="_csrf" value="([^"]+)"/)![1]!;
    const res = await editor.request({
      method: "POST",
      url: `${programme}/order`,
      payload: new URLSearchParams({ _csrf: token, order: [...ids].reverse().join(",") }).toString(),
      headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
    });
    expect(res.statusCode).toBe(204);
    expect(await entryIds()).toEqual([...ids].reverse());
  });
});

describe("media items", () => {
  it("creates an item with an embargo, edits it, publishes it and links it from the programme", async () => {
    await editor.get(`/fr/editor/items/new?event=${eventId}`);
    expect(editor.lastHtml).toContain(`<option value="${eventId}" selected>`);
    const created = await editor.submit("/fr/editor/items", {
      event_id: String(eventId),
      media_type: "video",
      kind: "press-conference",
      title_en: "Press conference by the Secretary General",
      title_fr: "Conférence de presse du secrétaire général",
      description_en: "",
      description_fr: "",
      shot_list_en: "00:00:05 Wide shot",
      shot_list_fr: "00:00:05 Plan large",
      usage_terms_en: "Free of charge for news.",
      usage_terms_fr: "Gratuit pour l'information.",
      credit: "© Organisation",
      speakers: "Jane Doe, Secretary General\nJohn Roe",
      languages: "en, FR",
      recorded_at: "2026-11-23T12:30",
      embargo_until: "2026-11-23T14:00",
    });
    expect(created.statusCode).toBe(303);
    const itemId = idFrom(created.headers.location, "items");
    const page = await editor.follow(created);
    expect(textOf(page.body)).toContain("Vos modifications ont été enregistrées.");
    expect(textOf(page.body)).toContain("Brouillon");

    const row = async () =>
      (
        await t.db.query<{
          speakers: string[];
          languages: string[];
          embargo_until: Date | null;
          published_at: Date | null;
          kind: string;
        }>("SELECT speakers, languages, embargo_until, published_at, kind FROM media_items WHERE id = $1", [
          itemId,
        ])
      )[0]!;
    expect(await row()).toMatchObject({
      speakers: ["Jane Doe, Secretary General", "John Roe"],
      languages: ["en", "fr"],
      kind: "press-conference",
      published_at: null,
    });
    expect((await row()).embargo_until!.toISOString()).toBe("2026-11-23T14:00:00.000Z");

    const edit = await editor.get(`/en/editor/items/${itemId}`);
    expect(edit.body).toContain('value="2026-11-23T14:00"');
    const form = Object.fromEntries(
      [
        ...edit.body.matchAll(
          /<input id="([^"]+)" name="[^"]+" type="(?:text|datetime-local)" value="([^"]*)"/g,
        ),
      ].map((m) => [m[1]!, m[2]!.replace(/&amp;/g, "&").replace(/&#39;/g, "'")]),
    );
    const edited = await editor.submit(`/en/editor/items/${itemId}`, {
      ...form,
      event_id: String(eventId),
      kind: "statement",
      speakers: "Jane Doe",
      embargo_until: "2026-11-23T15:30",
    });
    expect(edited.statusCode).toBe(303);
    expect(await row()).toMatchObject({ kind: "statement", speakers: ["Jane Doe"] });

    // Nothing uploaded: nothing for journalists to see, so not published (editor/publish.ts).
    const refused = await editor.submit(`/en/editor/items/${itemId}/publish`, {});
    expect(refused.statusCode).toBe(409);
    expect(textOf(refused.body)).toContain("This item has no video yet");
    expect((await row()).published_at).toBeNull();
    await setItemStatus(t.db, itemId, "ready", null, t.clock.now());
    const published = await editor.submit(`/en/editor/items/${itemId}/publish`, {});
    expect(published.statusCode).toBe(303);
    const after = await editor.follow(published);
    expect(textOf(after.body)).toContain("Published, under embargo");
    expect(textOf(after.body)).toContain("Embargo until 2026-11-23 15:30 UTC");
    expect((await row()).published_at).not.toBeNull();
    t.clock.advance(7 * 60 * 60 * 1000);
    const later = textOf((await editor.get(`/en/editor/items/${itemId}`)).body);
    expect(later).toContain("Published");
    expect(later).not.toContain("Published, under embargo");

    // The programme can now point at the item.
    const programme = `/en/editor/events/${eventId}/programme`;
    await editor.get(programme);
    const added = await editor.submit(programme, {
      time: "",
      title_en: "Statement",
      title_fr: "",
      media_item_id: String(itemId),
    });
    expect(added.statusCode).toBe(303);
    const list = await editor.follow(added);
    expect(list.body).toContain(`href="/en/editor/items/${itemId}"`);

    await editor.submit(`/en/editor/items/${itemId}/unpublish`, {});
    expect((await row()).published_at).toBeNull();
  });

  it("shows the processing state and the failure reason, and labels a master's audio tracks", async () => {
    const now = t.clock.now();
    const [{ id }] = (await t.db.query<{ id: number }>(
      `INSERT INTO media_items (media_type, kind, title_en, status, status_reason, progress, created_at, updated_at)
       VALUES ('video', 'speech', 'Broken upload', 'failed', 'ingest.reason.no_master', 0, $1, $1) RETURNING id`,
      [now],
    )) as [{ id: number }];
    await t.db.query(
      `INSERT INTO media_items (media_type, kind, title_en, status, progress, created_at, updated_at)
       VALUES ('video', 'speech', 'Being processed', 'processing', 42, $1, $1)`,
      [now],
    );
    const probe = {
      audio: [
        { streamIndex: 1, codec: "pcm_s24le", channels: 1, sampleRate: 48000, bitDepth: 24, language: null },
        { streamIndex: 2, codec: "pcm_s24le", channels: 1, sampleRate: 48000, bitDepth: 24, language: "eng" },
      ],
    };
    await t.db.query(
      `INSERT INTO masters (media_item_id, storage_key, original_name, bytes, probe, created_at)
       VALUES ($1, 'masters/x.mxf', 'x.mxf', 1048576, $2::jsonb, $3)`,
      [id, JSON.stringify(probe), now],
    );
    const dashboard = textOf((await editor.get("/en/editor")).body);
    expect(dashboard).toContain("Processing failed: No master file was uploaded.");
    expect(dashboard).toContain("Processing 42 %");

    const page = await editor.get(`/fr/editor/items/${id}`);
    // The reason in the page's language, not the English it used to be stored in.
    expect(textOf(page.body)).toContain("Échec du traitement : Aucun fichier master n’a été envoyé.");
    expect(textOf(page.body)).toContain("Piste 2");
    // Sizes as everywhere else: decimal units, the reader's decimal comma.
    expect(textOf(page.body)).toContain("Fichier master : x.mxf (1 Mo).");
    // One channel is said "mono", not "1 canaux".
    expect(textOf(page.body)).toContain("mono, pcm_s24le, langue indiquée dans le fichier");
    const saved = await editor.submit(`/fr/editor/items/${id}/audio`, { track_0: "floor", track_1: "en" });
    expect(saved.statusCode).toBe(303);
    const [master] = await t.db.query<{ audio_labels: unknown }>(
      "SELECT audio_labels FROM masters WHERE media_item_id = $1",
      [id],
    );
    expect(master!.audio_labels).toEqual([
      { index: 0, label: "floor" },
      { index: 1, label: "en" },
    ]);
    const wrong = await editor.submit(`/fr/editor/items/${id}/audio`, { track_0: "klingon" });
    expect(wrong.statusCode).toBe(400);
  });

  it("says 'retrying' for an item whose processing was cut off, not a progress that never moves", async () => {
    const now = t.clock.now();
    const [{ id }] = (await t.db.query<{ id: number }>(
      `INSERT INTO media_items (media_type, kind, title_en, status, progress, created_at, updated_at)
       VALUES ('video', 'speech', 'Cut off', 'processing', 37, $1, $1) RETURNING id`,
      [now],
    )) as [{ id: number }];
    const page = async (lang: "en" | "fr") => textOf((await editor.get(`/${lang}/editor/items/${id}`)).body);
    expect(await page("en")).toContain("Processing 37 %");
    // The job was running when its process died; its lease lapsed and it waits for its next try.
    await t.deps.jobs.enqueue("media.process", id);
    const [job] = await t.boss.fetch("media.process");
    await t.boss.fail("media.process", job!.id, { message: "job failed by timeout in active state" });
    expect(await page("en")).toContain("Interrupted, retrying");
    expect(await page("en")).not.toContain("37 %");
    expect(await page("fr")).toContain("Interrompu, nouvel essai");
  });

  it("saves an embargo time already past or a recording date years ahead, and says so", async () => {
    await editor.get("/en/editor/items/new");
    const past = await editor.submit("/en/editor/items", {
      media_type: "video",
      kind: "speech",
      title_en: "Typo in the year",
      embargo_until: "2025-11-23T14:00",
    });
    expect(past.statusCode).toBe(303);
    expect(textOf((await editor.follow(past)).body)).toContain(
      "Your changes have been saved. The embargo time is already past",
    );
    const future = await editor.submit("/en/editor/items", {
      media_type: "video",
      kind: "speech",
      title_en: "Tomorrow",
      embargo_until: "2030-11-23T14:00",
    });
    const saved = textOf((await editor.follow(future)).body);
    expect(saved).toContain("Your changes have been saved.");
    expect(saved).not.toContain("already past");
    expect(saved).not.toContain("recording date");
    // Recorded years from now: a typo in the year, most likely; saved, and said.
    const later = await editor.submit("/en/editor/items", {
      media_type: "video",
      kind: "speech",
      title_en: "Recorded in 2036",
      recorded_at: "2036-11-23T10:00",
    });
    expect(later.statusCode).toBe(303);
    expect(textOf((await editor.follow(later)).body)).toContain(
      "The recording date is more than a day from now",
    );
  });

  it("says both when an embargo time already past and a recording date ahead are saved together", async () => {
    await editor.get("/en/editor/items/new");
    const made = await editor.submit("/en/editor/items", {
      media_type: "video",
      kind: "speech",
      title_en: "Two things to check",
    });
    const url = `/en/editor/items/${idFrom(made.headers.location, "items")}`;
    const typos = {
      media_type: "video",
      kind: "speech",
      title_en: "Two things to check",
      embargo_until: "2020-01-01T10:00",
      recorded_at: "2031-05-05T10:00",
    };
    await editor.get(url);
    const saved = await editor.submit(url, typos);
    expect(saved.statusCode).toBe(303);
    const page = await editor.follow(saved);
    const box = /<div class="notice" role="status">([\s\S]*?)<\/div>/.exec(page.body)?.[1] ?? "";
    expect(textOf(box)).toBe(
      "Your changes have been saved. The embargo time is already past, so it holds nothing back: check the date if the item should wait. The recording date is more than a day from now: check the year if it was recorded already.",
    );
    // A paragraph each, in French too.
    expect(box.match(/<p>/g)).toHaveLength(3);
    const frPage = (await editor.get(`${saved.headers.location}`.replace("/en/", "/fr/"))).body;
    const fr = textOf(frPage);
    expect(fr).toContain("Vos modifications ont été enregistrées.");
    expect(fr).toContain("L'heure d'embargo est déjà passée et ne retient donc rien : vérifiez la date");
    expect(fr).toContain("La date d'enregistrement est à plus d'un jour d'ici : vérifiez l'année");
    expect(frPage).toContain("ne retient donc rien\u00a0: vérifiez");
    // A name the page does not know is left out, the others still said.
    const odd = textOf((await editor.get(`${url}?done=saved,toString,recorded_later`)).body);
    expect(odd).toContain("Your changes have been saved. The recording date is more than a day from now");
  });

  it("refuses an item without a kind or title, in both languages", async () => {
    await editor.get("/fr/editor/items/new");
    const fr = await editor.submit("/fr/editor/items", {
      media_type: "video",
      kind: "",
      title_en: "",
      languages: "english",
    });
    expect(fr.statusCode).toBe(400);
    const text = textOf(fr.body);
    expect(text).toContain("Choisissez le type d'enregistrement.");
    expect(text).toContain("Saisissez un titre en anglais ou en français.");
    expect(text).toContain("Saisissez des codes de langue de deux ou trois lettres");
    const en = await editor.submit("/en/editor/items", {
      media_type: "hologram",
      kind: "speech",
      title_en: "X",
      // Two letters, but no language (found by hand: accepted and shown as "xx"); "gsw" is one.
      languages: "en, xx, gsw",
      credit: "©".repeat(301),
    });
    expect(en.statusCode).toBe(400);
    // The limit is said (found by hand: "This is too long." left the editor guessing).
    expect(textOf(en.body)).toContain("This is too long: 300 characters at most.");
    expect(textOf(en.body)).toContain("Choose video, audio or photo.");
    expect(textOf(en.body)).toContain("One of these codes is not a language.");
    const made = await editor.submit("/en/editor/items", {
      media_type: "video",
      kind: "speech",
      title_en: "Swiss German",
      languages: "en, gsw",
    });
    expect(made.statusCode).toBe(303);
  });
});
