import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setItemStatus } from "../../src/catalogue/item-store.ts";
import { startTestApp, type TestApp, textOf } from "../helpers/app.ts";
import { eventForm, idFrom, loggedIn } from "./helpers.ts";

// Two editors on the same page: the second save must not silently write over the first one's
// change (found by hand: a shot list lost). The form carries a fingerprint of the fields it was
// filled from (src/editor/edit-base.ts).

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const baseIn = (html: string) => /name="base" value="([^"]+)"/.exec(html)?.[1] ?? "";

describe("two editors saving the same page", () => {
  it("refuses the stale save of an event, keeps its input, and saves it when sent again", async () => {
    const first = await loggedIn(t, "first@org.example", "editor");
    const second = await loggedIn(t, "second@org.example", "editor");
    await first.get("/en/editor/events/new");
    const id = idFrom((await first.submit("/en/editor/events", eventForm())).headers.location, "events");
    const url = `/en/editor/events/${id}`;
    const firstBase = baseIn((await first.get(url)).body);
    const secondBase = baseIn((await second.get(url)).body);
    expect(firstBase).not.toBe("");
    expect(secondBase).toBe(firstBase);

    const saved = await first.submit(url, { ...eventForm({ place_en: "Geneva" }), base: firstBase });
    expect(saved.statusCode).toBe(303);
    const stale = await second.submit(url, {
      ...eventForm({ summary_fr: "Résumé du second" }),
      base: secondBase,
    });
    expect(stale.statusCode).toBe(409);
    expect(textOf(stale.body)).toContain("This page was changed since you opened it");
    expect(stale.body).toContain("Résumé du second");
    const place = async () =>
      (await t.db.query<{ place_en: string }>("SELECT place_en FROM events WHERE id = $1", [id]))[0]!
        .place_en;
    expect(await place()).toBe("Geneva");

    // Told, the second editor saves again from the page they were shown: theirs is kept.
    const again = await second.submit(url, {
      ...eventForm({ summary_fr: "Résumé du second" }),
      base: baseIn(stale.body),
    });
    expect(again.statusCode).toBe(303);
    const [row] = await t.db.query<{ summary_fr: string }>("SELECT summary_fr FROM events WHERE id = $1", [
      id,
    ]);
    expect(row!.summary_fr).toBe("Résumé du second");
  });

  it("refuses the stale save of an item in French, but not a save after its publication or processing moved on; says it has no file nor sentence yet", async () => {
    const first = await loggedIn(t, "premier@org.example", "editor");
    const second = await loggedIn(t, "second.fr@org.example", "editor");
    await first.get("/fr/editor/items/new");
    const created = await first.submit("/fr/editor/items", {
      media_type: "video",
      kind: "speech",
      title_en: "Speech",
    });
    const id = idFrom(created.headers.location, "items");
    const url = `/fr/editor/items/${id}`;
    const form = (fields: Record<string, string>) => ({
      media_type: "video",
      kind: "speech",
      title_en: "Speech",
      ...fields,
    });

    // Nothing uploaded yet: the page says so, not "waiting for processing" beside it.
    const opened = await first.get(url);
    expect(textOf(opened.body)).toContain("Aucun fichier master n'a encore été téléversé pour cet élément.");
    expect(textOf(opened.body)).not.toContain("en attente de traitement");
    expect(textOf(opened.body)).toContain("0 phrase dans la transcription.");
    // Nothing to show yet: publishing it is refused, in French, with what to do, and it stays a draft.
    const refused = await first.submit(`${url}/publish`, {});
    expect(refused.statusCode).toBe(409);
    expect(textOf(refused.body)).toContain("Cet élément n'a pas encore de vidéo");
    expect(textOf(refused.body)).toContain("Brouillon");
    // Publication and processing are not the form's fields: a page opened before them still saves.
    const before = baseIn(opened.body);
    await setItemStatus(t.db, id, "ready", null, t.clock.now());
    expect((await first.submit(`${url}/publish`, {})).statusCode).toBe(303);
    await first.get(url);
    expect((await first.submit(url, { ...form({ credit: "© Alliance" }), base: before })).statusCode).toBe(
      303,
    );

    const firstBase = baseIn((await first.get(url)).body);
    const secondBase = baseIn((await second.get(url)).body);
    const saved = await first.submit(url, {
      ...form({ credit: "© Alliance", shot_list_en: "Wide shot" }),
      base: firstBase,
    });
    expect(saved.statusCode).toBe(303);
    const stale = await second.submit(url, { ...form({ credit: "© Alliance (second)" }), base: secondBase });
    expect(stale.statusCode).toBe(409);
    expect(textOf(stale.body)).toContain("Cette page a été modifiée depuis que vous l’avez ouverte");
    expect(stale.body).toContain("© Alliance (second)");
    const [row] = await t.db.query<{ shot_list_en: string; credit: string }>(
      "SELECT shot_list_en, credit FROM media_items WHERE id = $1",
      [id],
    );
    expect(row).toEqual({ shot_list_en: "Wide shot", credit: "© Alliance" });
  });
});
