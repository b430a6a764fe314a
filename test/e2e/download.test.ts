import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { build } from "vite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addRendition, addTranscript } from "../catalogue/fixtures.ts";
import { putPreview } from "../catalogue/preview-media.ts";
import { mediaUser, readyVideoItem } from "../downloads/fixtures.ts";
import { startTestApp, strongPassword, type TestApp } from "../helpers/app.ts";
import { h264Master } from "../helpers/media.ts";
import { BROWSER_TESTS, expectAccessible, launchBrowser, openContext, serve } from "./browser.ts";

const root = fileURLToPath(new URL("../../", import.meta.url));

function probe(file: string, entries: string, extra: string[] = []): string {
  const result = spawnSync(
    "ffprobe",
    ["-v", "error", ...extra, "-show_entries", entries, "-of", "default=nw=1:nk=1", file],
    { encoding: "utf8" },
  );
  return result.stdout.trim();
}

/**
 * Downloading in a real Chromium: a journalist logs in from the item page, accepts the usage
 * terms, ticks two transcript sentences, downloads them as MP4 and gets exactly those frames
 * with the master's timecode; I / O keys and frame nudges set points; every state is axe-clean.
 */
describe("downloads in a browser", BROWSER_TESTS, () => {
  let t: TestApp;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let base: string;
  let itemId: number;
  let folder: string;
  const email = "journalist@x.example";

  beforeAll(async () => {
    if (!existsSync(`${root}src/web/public/build/clip-selector.js`)) {
      await build({ root, configFile: `${root}vite.config.ts`, logLevel: "warn" });
    }
    t = await startTestApp();
    // As long as the catalogue's HLS preview (8 s at 25 fps), so player and master agree.
    const master = await h264Master({ seconds: 8 });
    itemId = await readyVideoItem(t, master.path, { audioLabels: [{ index: 0, label: "floor" }] });
    const keys = await putPreview(t.deps.storage, itemId);
    await addRendition(t.db, itemId, "hls", keys.hls, { firstFrameSeconds: keys.firstFrameSeconds });
    await addRendition(t.db, itemId, "poster", keys.poster);
    await addTranscript(t.db, itemId, [
      { start: 0, end: 2, speaker: "President Anna Berg", text: "Good morning and welcome." },
      { start: 2, end: 4, speaker: "President Anna Berg", text: "Today we agreed on a new climate package." },
      { start: 4, end: 6, speaker: "President Anna Berg", text: "It takes effect next year." },
      { start: 6, end: 8, speaker: "President Anna Berg", text: "Thank you." },
    ]);
    await mediaUser(t, email, { acceptTerms: false });
    folder = await mkdtemp(path.join(os.tmpdir(), "pressroom-e2e-download-"));
    base = await serve(t.app);
    browser = await launchBrowser();
    context = await openContext(browser, base, { acceptDownloads: true, timeoutMs: 20_000 });
    page = await context.newPage();
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await t?.close();
    if (folder) await rm(folder, { recursive: true, force: true });
  });

  const field = (name: "in" | "out") => page.locator(`input[name="${name}"]`);
  const playerReady = () => page.locator("[data-player-controls]:not([hidden])").waitFor();
  const panel = () => page.getByRole("region", { name: "Download" });

  it("logs in, accepts the terms, picks two sentences and downloads exactly them as MP4", async () => {
    await page.goto(`${base}/en/items/${itemId}`);
    await panel().getByRole("link", { name: "Log in to download" }).click();
    await page.getByLabel("E-mail address").fill(email);
    await page.getByLabel("Password").fill(strongPassword);
    await page.getByRole("button", { name: "Log in" }).click();
    await page.waitForURL(`${base}/en/items/${itemId}#download`);

    await panel().getByText("General terms").waitFor();
    await expectAccessible(page, "item page, usage terms");
    await panel().getByRole("button", { name: "Accept the usage terms" }).click();
    await page.locator("form.download-form").waitFor();
    await playerReady();
    await expectAccessible(page, "item page, download form");

    await panel().getByRole("button", { name: "Choose sentences in the transcript" }).click();
    expect(
      await panel()
        .getByRole("button", { name: "Choose sentences in the transcript" })
        .getAttribute("aria-pressed"),
    ).toBe("true");
    await page
      .getByRole("checkbox", { name: "Include in the clip: Today we agreed on a new climate package." })
      .check();
    await page.getByRole("checkbox", { name: "Include in the clip: It takes effect next year." }).check();
    expect(await field("in").inputValue()).toBe("01:00:02:00");
    expect(await field("out").inputValue()).toBe("01:00:06:00");
    expect(await page.locator("#range-partial").isChecked()).toBe(true);
    expect(await page.locator("[data-clip-summary]").textContent()).toBe(
      "Clip 01:00:02:00 to 01:00:06:00, 0:04.00",
    );
    await expectAccessible(page, "item page, choosing sentences");

    await page.getByRole("radio", { name: "MP4 H.264, high bit rate, AAC audio" }).check();
    expect(await page.locator("[data-estimate-text]").textContent()).toMatch(
      /^Size: about [\d.]+ kB\. Duration: 0:04\.00\.$/,
    );
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      panel().getByRole("button", { name: "Download", exact: true }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/_01-00-02-00_01-00-06-00_mp4\.mp4$/);
    const file = path.join(folder, download.suggestedFilename());
    await download.saveAs(file);
    // OUT − IN = 100 frames at 25 fps, starting on the master's timecode at IN.
    expect(Number(probe(file, "stream=nb_read_frames", ["-count_frames", "-select_streams", "v:0"]))).toBe(
      100,
    );
    const timecodes = probe(file, "stream_tags=timecode:format_tags=timecode").split("\n");
    expect(timecodes).toContain("01:00:02:00");
  });

  it("sets IN and OUT with the I and O keys, nudges them by a frame and checks typed timecodes", async () => {
    await page.goto(`${base}/en/items/${itemId}?t=3`);
    await playerReady();
    await page.waitForFunction(
      () => document.querySelector("output[data-timecode]")?.textContent === "01:00:03:00",
    );
    // The keys belong to the player and the clip selector (phones.test.ts: nowhere else).
    await page.locator("video").focus();
    await page.keyboard.press("i");
    expect(await field("in").inputValue()).toBe("01:00:03:00");
    await page.keyboard.press(".");
    await page.keyboard.press(".");
    await page.waitForFunction(
      () => document.querySelector("output[data-timecode]")?.textContent === "01:00:03:02",
    );
    await page.keyboard.press("o");
    expect(await field("out").inputValue()).toBe("01:00:03:02");
    await page.getByRole("button", { name: "IN 1 frame later" }).click();
    expect(await field("in").inputValue()).toBe("01:00:03:01");
    await page.waitForFunction(
      () => document.querySelector("output[data-timecode]")?.textContent === "01:00:03:01",
    );
    await page.getByRole("button", { name: "OUT 1 frame later" }).click();
    expect(await field("out").inputValue()).toBe("01:00:03:03");
    await page
      .locator("[data-clip-status]", { hasText: "OUT set to 01:00:03:03." })
      .waitFor({ state: "attached" });
    expect(await page.locator("[data-clip-summary]").textContent()).toBe(
      "Clip 01:00:03:01 to 01:00:03:03, 0:00.08",
    );

    await field("in").fill("99:99");
    const error = page.locator("#in-live-error");
    expect(await error.textContent()).toBe('"99:99" is not a timecode. Use HH:MM:SS:FF or seconds.');
    expect(await field("in").getAttribute("aria-invalid")).toBe("true");
    expect(await field("in").getAttribute("aria-describedby")).toContain("in-live-error");
    // Typing in a field is typing, not a shortcut.
    await field("out").press("i");
    expect(await field("in").inputValue()).toBe("99:99");
    await field("out").fill("01:00:03:03");
    await field("in").fill("01:00:05:00");
    expect(await error.isHidden()).toBe(true);
    expect(await page.locator("#out-live-error").textContent()).toBe("OUT must come after IN.");
    await expectAccessible(page, "item page, invalid OUT");
  });

  it("lists the download in My downloads, in both languages, with a link to download it again", async () => {
    for (const lang of ["en", "fr"]) {
      await page.goto(`${base}/${lang}/downloads`);
      await expectAccessible(page, `/${lang}/downloads`);
    }
    await page.goto(`${base}/en/downloads`);
    const row = page.getByRole("row", { name: /Press conference/ });
    expect(await row.getByRole("cell").first().textContent()).toBe("01:00:02:00 – 01:00:06:00");
    const [again] = await Promise.all([
      page.waitForEvent("download"),
      row.getByRole("link", { name: /Download again/ }).click(),
    ]);
    expect(again.suggestedFilename()).toMatch(/_01-00-02-00_01-00-06-00_mp4\.mp4$/);
  });

  it("lands IN and OUT set from the player on word edges when the transcript is timed word by word", async () => {
    const words = [
      ["Today", 2, 2.3],
      ["we", 2.3, 2.45],
      ["agreed", 2.45, 2.9],
      ["on", 2.9, 3],
      ["a", 3, 3.05],
      ["new", 3.05, 3.3],
      ["climate", 3.3, 3.7],
      ["package.", 3.7, 4],
    ].map(([text, start, end]) => ({ text, start, end }));
    await t.db.query(
      "UPDATE transcript_segments SET words = $1::jsonb WHERE media_item_id = $2 AND start_seconds = 2",
      [JSON.stringify(words), itemId],
    );
    await page.goto(`${base}/en/items/${itemId}?t=3.4`);
    await playerReady();
    await page.waitForFunction(
      () => document.querySelector("output[data-timecode]")?.textContent === "01:00:03:10",
    );
    await page.locator("span.word").first().waitFor({ state: "attached" });
    await page.locator("video").focus();
    // 3.4 s is inside "climate" (3.3–3.7 s): IN goes to its first frame, OUT past its last.
    await page.keyboard.press("i");
    expect(await field("in").inputValue()).toBe("01:00:03:07");
    await page
      .locator("[data-clip-status]", { hasText: "IN set to 01:00:03:07, where the word “climate” starts." })
      .waitFor({ state: "attached" });
    await page.keyboard.press("o");
    expect(await field("out").inputValue()).toBe("01:00:03:18");
    // A frame's nudge does not snap: a point can still go anywhere.
    await page.getByRole("button", { name: "IN 1 frame later" }).click();
    expect(await field("in").inputValue()).toBe("01:00:03:08");
  });
});
