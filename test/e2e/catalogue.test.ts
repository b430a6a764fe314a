import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { build } from "vite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addRendition, createItem, publishedEventWithVideo, sessionCookie } from "../catalogue/fixtures.ts";
import { startTestApp, type TestApp } from "../helpers/app.ts";
import { BROWSER_TESTS, expectAccessible, launchBrowser, openContext, serve } from "./browser.ts";

const root = fileURLToPath(new URL("../../", import.meta.url));

/**
 * The catalogue in a real Chromium: a media user plays a real HLS preview (hls.js), follows
 * and clicks the transcript, starts at ?t=, steps frame by frame; the gallery island turns
 * photos; and every catalogue page passes axe-core (WCAG 2.1 A/AA) in both languages.
 */
describe("catalogue in a browser", BROWSER_TESTS, () => {
  let t: TestApp;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let base: string;
  let itemId: number;
  let slug: string;

  beforeAll(async () => {
    // `npm test` builds the islands first; a lone run of this file builds them if missing.
    if (!existsSync(`${root}src/web/public/build/player.js`)) {
      await build({ root, configFile: `${root}vite.config.ts`, logLevel: "warn" });
    }
    t = await startTestApp();
    ({ itemId, slug } = await publishedEventWithVideo(t.deps));
    // One sentence timed word by word, as automatic timing leaves it (issue 11).
    const words = [
      { text: "They", start: 6, end: 6.4 },
      { text: "welcomed", start: 6.4, end: 6.9 },
      { text: "it", start: 6.9, end: 7.1 },
      { text: "unanimously.", start: 7.1, end: 7.9 },
    ];
    await t.db.query(
      "UPDATE transcript_segments SET words = $1::jsonb, timing = 'aligned' WHERE media_item_id = $2 AND start_seconds = 6",
      [JSON.stringify(words), itemId],
    );
    const keys = { poster: `items/${itemId}/poster.jpg` };
    for (const n of [1, 2]) {
      const photo = await createItem(t.db, {
        eventId: (
          await t.db.query<{ event_id: number }>("SELECT event_id FROM media_items WHERE id = $1", [itemId])
        )[0]!.event_id,
        mediaType: "photo",
        kind: "photo-opportunity",
        position: 10 + n,
        title: { en: `Family photo ${n}`, fr: `Photo de famille ${n}` },
        credit: "Pressroom",
      });
      const key = `items/${photo}/web.jpg`;
      await t.deps.storage.putFile(key, await t.deps.storage.localPath(keys.poster, t.dataDir));
      await addRendition(t.db, photo, "web", key);
    }
    base = await serve(t.app);
    browser = await launchBrowser();
    context = await openContext(browser, base, {
      timeoutMs: 15_000,
      cookie: await sessionCookie(t, "media"),
    });
    page = await context.newPage();
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await t?.close();
  });

  const video = () => page.locator("video");
  const currentTime = () => video().evaluate((v: HTMLVideoElement) => v.currentTime);
  const timecode = () => page.locator("output[data-timecode]").textContent();
  const playerReady = () => page.locator("[data-player-controls]:not([hidden])").waitFor();

  it("plays the preview, follows the transcript and seeks when a sentence is clicked", async () => {
    await page.goto(`${base}/en/items/${itemId}`);
    await playerReady();
    await video().evaluate((v: HTMLVideoElement) => {
      v.muted = true;
      return v.play();
    });
    await page.waitForFunction(() => (document.querySelector("video")?.currentTime ?? 0) > 0.5);
    expect(await timecode()).toMatch(/^10:00:0\d:\d\d$/);

    const sentence = page.getByRole("link", { name: "They welcomed it unanimously." });
    await sentence.click();
    await page.waitForFunction(() => (document.querySelector("video")?.currentTime ?? 0) >= 6);
    expect(await currentTime()).toBeLessThan(7.5);
    expect(await sentence.getAttribute("aria-current")).toBe("true");
    expect(await page.locator('a.sentence[aria-current="true"]').count()).toBe(1);
    // The word being said is marked: paused within "unanimously." (the player's clock differs from
    // the stream's by the rendition's first-picture offset, a few frames), that word alone.
    expect(await sentence.locator("span.word").count()).toBe(4);
    await video().evaluate((v: HTMLVideoElement) => {
      v.pause();
      v.currentTime = 7.5;
    });
    await page.waitForFunction(
      () => document.querySelector("a.sentence.current span.word-current")?.textContent === "unanimously.",
    );
    expect(await page.locator("span.word-current").count()).toBe(1);
    // The click seeks in place: no page load.
    expect(new URL(page.url()).pathname).toBe(`/en/items/${itemId}`);
  });

  it("starts at ?t= and steps one frame at a time", async () => {
    await page.goto(`${base}/en/items/${itemId}?t=4`);
    await playerReady();
    // The player lands on the frame of ?t= once the stream is laid out (its seek is then over).
    await page.waitForFunction(() => {
      const v = document.querySelector("video");
      const shown = document.querySelector("output[data-timecode]")?.textContent;
      return v !== null && v.readyState >= 2 && !v.seeking && shown === "10:00:04:00";
    });
    const question = page.locator('a.sentence[data-start="4"]');
    expect(await question.getAttribute("aria-current")).toBe("true");

    await page.getByRole("button", { name: "Next frame" }).click();
    await page.waitForFunction(
      () => document.querySelector("output[data-timecode]")?.textContent === "10:00:04:01",
    );
    await page.keyboard.press(".");
    await page.waitForFunction(
      () => document.querySelector("output[data-timecode]")?.textContent === "10:00:04:02",
    );
    await page.getByRole("button", { name: "Previous frame" }).click();
    await page.waitForFunction(
      () => document.querySelector("output[data-timecode]")?.textContent === "10:00:04:01",
    );
    expect(await video().evaluate((v: HTMLVideoElement) => v.paused)).toBe(true);
  });

  it("searches the transcript: the found sentences are listed, ticked under the video, and play in place", async () => {
    await page.goto(`${base}/en/items/${itemId}?q=${encodeURIComponent("package OR unanimously")}`);
    await playerReady();
    const listed = page.locator("ol.sentence-matches a");
    expect(await listed.allTextContents()).toEqual([
      "10:00:02:00 President Anna Berg: Today we agreed on a new climate package.",
      "10:00:06:00 President Anna Berg: They welcomed it unanimously.",
    ]);
    const ticks = page.locator("[data-match-marks] line.tick");
    expect(await ticks.count()).toBe(2);
    // The ticks sit under the picture at 2 and 6 seconds of its 8.
    const video = await page.locator("video").boundingBox();
    const xs = await ticks.evaluateAll((lines) => lines.map((l) => l.getBoundingClientRect().x));
    expect(xs[0]! - video!.x).toBeCloseTo(video!.width * 0.25, -1);
    expect(xs[1]! - video!.x).toBeCloseTo(video!.width * 0.75, -1);
    expect(await page.locator("a.sentence.found").count()).toBe(2);

    await page
      .getByRole("link", { name: /They welcomed it unanimously/ })
      .first()
      .click();
    await page.waitForFunction(() => (document.querySelector("video")?.currentTime ?? 0) >= 6);
    expect(await currentTime()).toBeLessThan(7.5);
    expect(new URL(page.url()).searchParams.get("t")).toBeNull();
    await page.locator("[data-playhead][visibility=visible]").waitFor({ state: "attached" });

    // Another search, in place through the JSON API: the page (and playback) stays.
    await page.evaluate(() => {
      (window as unknown as { stayed: boolean }).stayed = true;
    });
    await page.getByRole("searchbox", { name: "Words to find in what was said" }).fill("etrangeres");
    await page.keyboard.press("Enter");
    await page.getByRole("status").filter({ hasText: "1 sentence matches." }).waitFor();
    expect(await listed.allTextContents()).toEqual([
      "10:00:04:00 Marie Dubois: Que pensent les ministres des affaires étrangères de cet accord ?",
    ]);
    expect(await ticks.count()).toBe(1);
    expect(await page.locator("a.sentence.found mark").allTextContents()).toEqual(["étrangères"]);
    expect(await page.evaluate(() => (window as unknown as { stayed?: boolean }).stayed)).toBe(true);
    expect(new URL(page.url()).searchParams.get("q")).toBe("etrangeres");
  });

  it("turns the event's photos in place with buttons and arrow keys", async () => {
    await page.goto(`${base}/en/events/${slug}`);
    const gallery = page.getByRole("region", { name: "Photos" });
    await gallery.getByRole("button", { name: "Next photo" }).click();
    await gallery.getByText("2 / 2").waitFor();
    expect(new URL(page.url()).searchParams.get("photo")).toBe("2");
    expect(await gallery.getByRole("button", { name: "Next photo" }).isDisabled()).toBe(true);
    await gallery.getByRole("button", { name: "Previous photo" }).focus();
    await page.keyboard.press("ArrowLeft");
    await gallery.getByText("1 / 2").waitFor();
    expect(await gallery.getByRole("img", { name: "Family photo 1", exact: true }).count()).toBe(1);
  });

  it("passes axe-core on home, event, item and search pages in both languages", async () => {
    for (const lang of ["en", "fr"]) {
      for (const path of [
        `/${lang}`,
        `/${lang}/events/${slug}`,
        `/${lang}/items/${itemId}`,
        `/${lang}/items/${itemId}?q=climat`,
        `/${lang}/search`,
        `/${lang}/search?q=etrangeres&from=2026-01-01`,
        `/${lang}/search?q=nothingmatchesthis`,
      ]) {
        await page.goto(`${base}${path}`);
        if (path.includes("/items/")) await playerReady();
        await expectAccessible(page, path);
      }
    }
  });
});
