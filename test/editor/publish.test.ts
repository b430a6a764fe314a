import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findItem } from "../../src/catalogue/item-store.ts";
import { acceptMaster } from "../../src/ingest/accept.ts";
import { processItem } from "../../src/ingest/process.ts";
import { mediaUser } from "../downloads/fixtures.ts";
import { type PageClient, startTestApp, type TestApp, textOf } from "../helpers/app.ts";
import { h264Master, truncatedMp4 } from "../helpers/media.ts";
import { createEvent } from "../ingest/fixtures.ts";
import { apiToken, loggedIn } from "./helpers.ts";

// Publishing an item with nothing to show (found by hand: an item without a master, or whose
// master failed, was published and journalists saw "being processed" for ever). No job worker
// runs here: the test processes the master itself, so "still being processed" holds while it
// presses "Publish".

let t: TestApp;
let editor: PageClient;
let token: string;
let media: string;
beforeAll(async () => {
  t = await startTestApp();
  await createEvent(t.db, "summit");
  await t.db.query("UPDATE events SET published_at = $1 WHERE slug = 'summit'", [t.clock.now()]);
  editor = await loggedIn(t, "desk@org.example", "editor");
  token = await apiToken(t, "system@org.example", "editor", "editor");
  media = await mediaUser(t, "reporter@news.example");
});
afterAll(() => t.close());

const api = (url: string) =>
  t.app.inject({
    method: "POST",
    url,
    headers: { authorization: `Bearer ${token}`, accept: "application/json", "accept-language": "fr" },
  });
const publishedAt = async (id: number) => (await findItem(t.db, id))?.publishedAt ?? null;
const pendingWishes = async (id: number) =>
  (
    await t.db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM publish_when_ready WHERE media_item_id = $1",
      [id],
    )
  )[0]!.n;

describe("publishing an item", { timeout: 120_000 }, () => {
  it("refuses an item without a master, or whose master failed, in the editor's language, on the page and in the API", async () => {
    const item = await t.app.inject({
      method: "POST",
      url: "/api/v1/items",
      headers: { authorization: `Bearer ${token}`, accept: "application/json" },
      payload: { event: "summit", type: "video", title: { en: "Statement", fr: "Déclaration" } },
    });
    expect(item.statusCode, item.body).toBe(201);
    const id = (item.json() as { id: number }).id;

    const page = await editor.get(`/en/editor/items/${id}`);
    expect(textOf(page.body)).toContain("No master file has been uploaded for this item yet.");
    // …and offers to upload it to this item.
    expect(page.body).toContain(`data-master-upload data-item-id="${id}"`);
    expect(textOf(page.body)).not.toContain("Its event is still a draft");
    const refused = await editor.submit(`/en/editor/items/${id}/publish`, {});
    expect(refused.statusCode).toBe(409);
    expect(textOf(refused.body)).toContain("This item has no video yet");
    expect(textOf(refused.body)).toContain("Draft");
    const byApi = await api(`/api/v1/items/${id}/publish`);
    expect(byApi.statusCode).toBe(409);
    expect(byApi.json()).toMatchObject({
      error: { code: "publish_no_master", message: expect.stringContaining("pas encore de vidéo") },
    });
    expect(await publishedAt(id)).toBeNull();

    // A file that is not a video: refused, and the item marked failed with the reason.
    const bad = await truncatedMp4();
    await expect(
      acceptMaster(t.deps, { file: bad, originalName: "broken.mp4", target: { itemId: id } }),
    ).rejects.toThrow();
    expect((await findItem(t.db, id))?.status).toBe("failed");
    const failed = await editor.submit(`/en/editor/items/${id}/publish`, {});
    expect(failed.statusCode).toBe(409);
    expect(textOf(failed.body)).toContain("could not be processed");
    expect((await api(`/api/v1/items/${id}/publish`)).json()).toMatchObject({
      error: { code: "publish_failed_master" },
    });
    expect(await publishedAt(id)).toBeNull();
    expect((await t.app.inject({ url: `/en/items/${id}`, headers: { cookie: media } })).statusCode).toBe(404);
  });

  it("publishes an item whose master is being processed as soon as it is ready, unless the wish is taken back", async () => {
    const master = await h264Master({ seconds: 2 });
    const first = await acceptMaster(t.deps, {
      file: master.path,
      originalName: "presser.mp4",
      target: { fields: { event: "summit", title: { en: "Presser", fr: "Point presse" } } },
    });
    const asked = await editor.submit(`/en/editor/items/${first.id}/publish`, {});
    expect(asked.statusCode).toBe(303);
    const page = textOf((await editor.follow(asked)).body);
    expect(page).toContain("the item will be published as soon as it is ready");
    expect(page).toContain("Draft, published as soon as its video is ready");
    expect(page).toContain("Do not publish when ready");
    expect(await publishedAt(first.id)).toBeNull();
    const reader = () => t.app.inject({ url: `/en/items/${first.id}`, headers: { cookie: media } });
    expect((await reader()).statusCode).toBe(404);

    await processItem(t.deps, first.id);
    expect(await publishedAt(first.id)).not.toBeNull();
    expect(await pendingWishes(first.id)).toBe(0);
    const seen = await reader();
    expect(seen.statusCode).toBe(200);
    expect(textOf(seen.body)).toContain("Presser");

    // Through the API: 202 and publishWhenReady; then taken back before the processing ends.
    const second = await acceptMaster(t.deps, {
      file: master.path,
      originalName: "presser-2.mp4",
      target: { fields: { event: "summit", title: { en: "Presser 2", fr: "Point presse 2" } } },
    });
    const accepted = await api(`/api/v1/items/${second.id}/publish`);
    expect(accepted.statusCode, accepted.body).toBe(202);
    expect(accepted.json()).toMatchObject({ publishedAt: null, publishWhenReady: true });
    const cancelled = await editor.submit(`/en/editor/items/${second.id}/unpublish`, {});
    expect(cancelled.statusCode).toBe(303);
    // It was never published: not "No longer published".
    expect(textOf((await editor.follow(cancelled)).body)).toContain(
      "It will not be published when its video is ready: it stays a draft.",
    );
    expect(await pendingWishes(second.id)).toBe(0);
    await processItem(t.deps, second.id);
    expect((await findItem(t.db, second.id))?.status).toBe("ready");
    expect(await publishedAt(second.id)).toBeNull();

    // Once ready, "Publish" publishes at once.
    const now = await api(`/api/v1/items/${second.id}/publish`);
    expect(now.statusCode).toBe(200);
    expect(now.json()).toMatchObject({ publishWhenReady: false, publishedAt: t.clock.now().toISOString() });
  });

  it("says on the page of an item whose event is a draft that the event's page stays hidden", async () => {
    await createEvent(t.db, "plans");
    const made = await acceptMaster(t.deps, {
      file: (await h264Master({ seconds: 2 })).path,
      originalName: "plans.mp4",
      target: { fields: { event: "plans", title: { en: "Plans", fr: "Projets" } } },
    });
    const page = textOf((await editor.get(`/fr/editor/items/${made.id}`)).body);
    expect(page).toContain("Son événement est encore un brouillon");
  });
});
