import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setItemPublished, setItemStatus } from "../../src/catalogue/item-store.ts";
import { markEnded, markLive, setLiveClock } from "../../src/catalogue/live-store.ts";
import { createLiveItem } from "../../src/ingest/live/streams.ts";
import { startTestApp, type TestApp, textOf } from "../helpers/app.ts";
import { createEvent, sessionCookie } from "./fixtures.ts";

/**
 * What media users see of a live press conference (issue 12) on the home, event and item pages:
 * "Starts …" before it begins, "Live" / "En direct" while it is received, with a player of its
 * live playlist carrying the recording's clock; nothing special once it is an ordinary item.
 */
describe("a live item on the public pages", () => {
  let t: TestApp;
  let media: string;
  let itemId: number;
  let slug: string;

  const page = async (url: string) => {
    const res = await t.app.inject({ method: "GET", url, headers: { cookie: media, accept: "text/html" } });
    expect(res.statusCode, url).toBe(200);
    return res.body;
  };
  const badges = (body: string) =>
    [...body.matchAll(/<p class="badge[^"]*">([\s\S]*?)<\/p>/g)].map((m) => textOf(m[1]!));

  beforeAll(async () => {
    t = await startTestApp();
    media = await sessionCookie(t, "media");
    ({ slug } = await createEvent(t.db, {
      slug: "live-briefing",
      title: { en: "Briefing", fr: "Point presse" },
    }));
    const item = await createLiveItem(
      t.deps,
      {
        event: slug,
        kind: "press-conference",
        title: { en: "Press conference, live", fr: "Conférence en direct" },
      },
      new Date("2026-11-23T10:00:00Z"),
    );
    itemId = item.id;
    await setItemPublished(t.db, itemId, true, t.clock.now());
  });
  afterAll(() => t?.close());

  it("says when a live that has not begun starts, without a player or a 'processing' notice", async () => {
    for (const url of ["/en", `/en/events/${slug}`]) {
      expect(badges(await page(url))).toContain("Starts 23 November 2026 at 10:00 UTC");
    }
    expect(badges(await page("/fr"))).toContain("Début prévu le 23 novembre 2026 à 10:00 UTC");
    const item = await page(`/en/items/${itemId}`);
    expect(badges(item)).toContain("Starts 23 November 2026 at 10:00 UTC");
    expect(textOf(item)).toContain("The live has not started yet.");
    expect(textOf(item)).not.toContain("The preview will be available shortly");
    expect(item).not.toContain("data-player");
  });

  it("shows 'Live' / 'En direct' on the cards and the item page, whose player plays the live playlist on the recording's clock", async () => {
    await markLive(t.db, itemId, t.clock.now());
    await setLiveClock(t.db, itemId, { startTimecode: "09:00:00:00", frameRate: { num: 25, den: 1 } });
    for (const url of ["/en", `/en/events/${slug}`, `/en/items/${itemId}`]) {
      expect(badges(await page(url)), url).toContain("Live");
    }
    for (const url of ["/fr", `/fr/events/${slug}`, `/fr/items/${itemId}`]) {
      expect(badges(await page(url)), url).toContain("En direct");
    }
    const item = await page(`/en/items/${itemId}`);
    expect(textOf(item)).not.toContain("The preview will be available shortly");
    const player = /<div class="player live"[^>]*>/.exec(item)?.[0] ?? "";
    expect(player).toContain(`data-src="/media/items/${itemId}/live.m3u8"`);
    expect(player).toContain('data-start-timecode="09:00:00:00"');
    expect(player).toContain('data-rate-num="25"');
    expect(item).toContain("<output data-timecode>09:00:00:00</output>");
    expect(textOf(item)).toContain("Back to live");
    expect(textOf(item)).toContain("From the start");
    expect(textOf(await page(`/fr/items/${itemId}`))).toContain("Revenir au direct");
  });

  it("still plays the live playlist while the ended recording is made into a video, without a badge", async () => {
    await markEnded(t.db, itemId, t.clock.now());
    const item = await page(`/en/items/${itemId}`);
    expect(badges(item)).not.toContain("Live");
    expect(item).toContain(`data-src="/media/items/${itemId}/live.m3u8"`);
  });

  it("is an ordinary item once its recording is ready: no badge, the normal player", async () => {
    await setItemStatus(t.db, itemId, "ready", null, t.clock.now());
    for (const url of ["/en", `/en/events/${slug}`, `/en/items/${itemId}`]) {
      const body = await page(url);
      expect(badges(body), url).not.toContain("Live");
      expect(body).not.toContain("data-live");
    }
  });

  it("is not shown to media users while it is a draft", async () => {
    const { id } = await createLiveItem(
      t.deps,
      { event: slug, kind: "statement", title: { en: "Unannounced statement" } },
      null,
    );
    await markLive(t.db, id, t.clock.now());
    expect(textOf(await page(`/en/events/${slug}`))).not.toContain("Unannounced statement");
    const res = await t.app.inject({ method: "GET", url: `/en/items/${id}`, headers: { cookie: media } });
    expect(res.statusCode).toBe(404);
  });
});
