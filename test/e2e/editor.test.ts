import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { build } from "vite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  finishAlignment,
  requestAlignment,
  setAlignmentProgress,
} from "../../src/catalogue/alignment-store.ts";
import {
  addProgramme,
  pressConferenceTranscript,
  publishedEventWithVideo,
  sessionCookie,
} from "../catalogue/fixtures.ts";
import { startTestApp, type TestApp } from "../helpers/app.ts";
import { BROWSER_TESTS, expectAccessible, launchBrowser, openContext, serve } from "./browser.ts";

const root = fileURLToPath(new URL("../../", import.meta.url));

/**
 * The editor workspace in a real Chromium: every page passes axe-core (WCAG 2.1 A/AA) in both
 * languages; the programme is reordered with the keyboard and by drag and drop (island), and a
 * pasted transcript is timed with "Set to current player time" while the real preview plays, and
 * the transcript page follows an automatic timing (island).
 */
describe("editor workspace in a browser", BROWSER_TESTS, () => {
  let t: TestApp;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let base: string;
  let eventId: number;
  let itemId: number;

  beforeAll(async () => {
    // `npm test` builds the islands first; a lone run of this file builds them if missing.
    if (
      !["programme-reorder", "transcript-timing", "alignment-watch"].every((name) =>
        existsSync(`${root}src/web/public/build/${name}.js`),
      )
    ) {
      await build({ root, configFile: `${root}vite.config.ts`, logLevel: "warn" });
    }
    t = await startTestApp();
    ({ eventId, itemId } = await publishedEventWithVideo(t.deps));
    await addProgramme(t.db, eventId, [
      { position: 0, title: { en: "Arrivals", fr: "Arrivées" } },
      { position: 1, title: { en: "Doorstep", fr: "Doorstep" } },
      { position: 2, title: { en: "Press conference", fr: "Conférence de presse" }, itemId },
    ]);
    base = await serve(t.app);
    browser = await launchBrowser();
    context = await openContext(browser, base, {
      timeoutMs: 15_000,
      cookie: await sessionCookie(t, "editor"),
    });
    page = await context.newPage();
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await t?.close();
  });

  const order = async () =>
    (
      await t.db.query<{ title_en: string }>(
        "SELECT title_en FROM programme_items WHERE event_id = $1 ORDER BY position",
        [eventId],
      )
    ).map((r) => r.title_en);

  async function waitForOrder(expected: string[]) {
    for (let i = 0; i < 50 && JSON.stringify(await order()) !== JSON.stringify(expected); i++) {
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(await order()).toEqual(expected);
  }

  it("passes axe-core on every workspace page, in English and in French", async () => {
    for (const lang of ["en", "fr"]) {
      for (const path of [
        "/editor",
        "/editor/events/new",
        `/editor/events/${eventId}`,
        `/editor/events/${eventId}/programme`,
        "/editor/items/new",
        `/editor/items/${itemId}`,
        `/editor/items/${itemId}/transcript`,
        `/editor/items/${itemId}/transcript/timing`,
      ]) {
        await page.goto(`${base}/${lang}${path}`);
        await page.getByRole("heading", { level: 1 }).waitFor();
        await expectAccessible(page, `/${lang}${path}`);
      }
    }
    // A form with problems, too.
    await page.goto(`${base}/fr/editor/events/new`);
    await page.getByRole("button", { name: "Enregistrer" }).click();
    await page.getByRole("heading", { name: "Il y a un problème" }).waitFor();
    await expectAccessible(page, "event form with errors");
  });

  it("reorders the programme with the keyboard and by drag and drop, without reloading", async () => {
    await page.goto(`${base}/en/editor/events/${eventId}/programme`);
    await page.locator(".drag-handle").first().waitFor();
    const marker = await page.evaluate(() => {
      (window as unknown as { marker: number }).marker = 1;
      return 1;
    });
    await page.getByRole("button", { name: "Move down “Arrivals”" }).focus();
    await page.keyboard.press("Enter");
    await waitForOrder(["Doorstep", "Arrivals", "Press conference"]);
    await expect
      .poll(() => page.locator(".reorder-status").textContent())
      .toContain("is now at position 2 of 3");
    // Focus stays with the entry that moved, so pressing again moves it further.
    await page.keyboard.press("Enter");
    await waitForOrder(["Doorstep", "Press conference", "Arrivals"]);

    const entry = (title: string) => page.locator("ol.programme > li", { hasText: title });
    await entry("Arrivals").locator(".drag-handle").dragTo(entry("Doorstep"));
    await waitForOrder(["Arrivals", "Doorstep", "Press conference"]);
    expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(marker);
    await expectAccessible(page, "programme after reordering");
  });

  // The item's transcript is bilingual: the English text pasted here replaces the English
  // sentences, and the timing page lists each language in its own table.
  it("times pasted sentences with the player's current time", async () => {
    await page.goto(`${base}/en/editor/items/${itemId}/transcript`);
    await page
      .getByLabel("Transcript text")
      .fill("President Anna Berg: Good morning.\n\nWe agreed on the package.");
    // Timed by hand here: automatic timing (on by default for a video) has its own tests.
    await page.getByLabel("Time it automatically against the video's speech").uncheck();
    await page.getByRole("button", { name: "Replace the transcript in this language" }).click();
    await page.getByText("The text has been split into sentences.").waitFor();
    const video = page.locator("video");
    await page.locator("[data-player-controls]:not([hidden])").waitFor();
    await video.evaluate(async (v: HTMLVideoElement) => {
      v.muted = true;
      await v.play();
    });
    await page.waitForFunction(() => (document.querySelector("video")?.currentTime ?? 0) > 1);
    await video.evaluate((v: HTMLVideoElement) => v.pause());

    await page.getByRole("button", { name: "Set to current player time (English sentence 2)" }).click();
    const typed = await page.getByLabel("Start of English sentence 2").inputValue();
    // The master's timecode of the frame on screen, as the player shows it.
    expect(typed).toMatch(/^10:00:0\d:\d{2}$/);
    expect(typed).toBe(await page.locator("output[data-timecode]").textContent());
    await page.getByLabel("Start of English sentence 1").fill("0");
    await page.getByRole("button", { name: "Save the times" }).click();
    await page.getByText("The times have been saved.").waitFor();
    const rows = await t.db.query<{ start_seconds: number; end_seconds: number | null }>(
      "SELECT start_seconds, end_seconds FROM transcript_segments WHERE media_item_id = $1 AND lang = 'en' ORDER BY position",
      [itemId],
    );
    expect(Number(rows[0]!.start_seconds)).toBe(0);
    // Stored as the start of that frame: seconds and frames after 10:00:00:00, at 25 fps.
    const [, seconds, frames] = /^10:00:(\d\d):(\d\d)$/.exec(typed)!;
    expect(Number(rows[1]!.start_seconds)).toBeCloseTo(Number(seconds) + Number(frames) / 25, 6);
    expect(Number(rows[0]!.end_seconds)).toBe(Number(rows[1]!.start_seconds));

    // Checked by ear: the recording plays from a start as typed, and each sentence shows its end.
    await page.locator("[data-player-controls]:not([hidden])").waitFor();
    // The first English sentence ends where the second starts.
    const firstRow = page
      .getByRole("table", { name: "English sentences and their start times" })
      .locator("tbody tr")
      .first();
    expect(await firstRow.locator("td").last().textContent()).toBe(typed);
    await page.getByLabel("Start of English sentence 2").fill("10:00:03:00");
    await video.evaluate((v: HTMLVideoElement) => {
      v.muted = true;
    });
    await page.getByRole("button", { name: "Play from this start (English sentence 2)" }).click();
    await page.waitForFunction(() => {
      const v = document.querySelector("video");
      return v !== null && !v.paused && v.currentTime >= 2.9;
    });
    expect(await page.locator("output[data-timecode]").textContent()).toMatch(/^10:00:0[3-9]:\d{2}$/);
    await expectAccessible(page, "timing page, playing from a start");
  });

  it("puts back the transcript the pasted text replaced, from the transcript page", async () => {
    const texts = async () =>
      (
        await t.db.query<{ text: string }>(
          "SELECT text FROM transcript_segments WHERE media_item_id = $1 ORDER BY position",
          [itemId],
        )
      ).map((r) => r.text);
    expect(await texts()).toContain("We agreed on the package.");
    await page.goto(`${base}/fr/editor/items/${itemId}/transcript`);
    await page.getByRole("heading", { name: "Remettre la transcription précédente" }).waitFor();
    await expectAccessible(page, "transcript page with a transcript to put back");
    await page.getByRole("button", { name: "Remettre la transcription précédente" }).click();
    await page.getByText("La transcription précédente est revenue.").waitFor();
    expect(await texts()).toEqual(pressConferenceTranscript.map((s) => s.text));
  });

  it("follows an automatic timing on the transcript page: progress in place, then the outcome", async () => {
    // The request as the page's form records it; no worker runs here, so the test moves it on
    // as the job would (the job itself: test/editor/alignment*.test.ts).
    const request = await requestAlignment(t.db, {
      itemId,
      lang: "fr",
      text: "Bonjour.",
      anchors: [],
      now: t.clock.now(),
    });
    await page.goto(`${base}/en/editor/items/${itemId}/transcript`);
    await page.getByText("Timing the French text… 0 %").waitFor();
    await page.evaluate(() => {
      (window as unknown as { marker: number }).marker = 1;
    });
    await setAlignmentProgress(t.db, request, 45);
    await page.getByText("Timing the French text… 45 %").waitFor();
    expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(1);
    await expectAccessible(page, "transcript page while timing");
    await finishAlignment(t.db, request, { state: "failed", code: "SilentAudio", params: {} }, t.clock.now());
    // The page reloads itself once the state changes, and says why in the editor's language.
    await page.getByText("The French text could not be timed:").waitFor();
    expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBeUndefined();
    expect(await page.locator(".timing-status").textContent()).toContain("The sound track is silent");
  });
});
