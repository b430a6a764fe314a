import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { build } from "vite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TranscriptSegment } from "../../src/catalogue/types.ts";
import { importFile } from "../../src/ingest/import-file.ts";
import { timecodeAtFrame } from "../../src/media/timecode.ts";
import { mediaUser } from "../downloads/fixtures.ts";
import { startTestApp, type TestApp } from "../helpers/app.ts";
import { FRAME_CODE_BITS, frameCodesOf, h264Master, type TestMaster } from "../helpers/media.ts";
import { createEvent, waitForItem } from "../ingest/fixtures.ts";
import { BROWSER_TESTS, expectAccessible, launchBrowser, openContext, serve } from "./browser.ts";

const root = fileURLToPath(new URL("../../", import.meta.url));

const sentence = (position: number, start: number, lang: "en" | "fr", text: string): TranscriptSegment => ({
  position,
  startSeconds: start,
  endSeconds: start + 1.5,
  speaker: "Anna Berg",
  questionerOutlet: "",
  isQuestion: false,
  lang,
  text,
});

/**
 * The preview as the product promises it, in a real Chromium on a master ingested for real (its
 * HLS ladder and MP4 made by ingest): every picture of the master shows its frame number as
 * blocks the page can read, so the test compares the readout, Set IN/OUT and the downloaded
 * clip with the picture on screen. Then the transcript as captions tracks, and the preview
 * without JavaScript.
 */
describe("the preview in a browser", BROWSER_TESTS, () => {
  let t: TestApp;
  let browser: Browser;
  let context: BrowserContext;
  let noScript: BrowserContext | undefined;
  let page: Page;
  let base: string;
  let itemId: number;
  let master: TestMaster;
  let folder: string;

  beforeAll(async () => {
    if (!existsSync(`${root}src/web/public/build/player.js`)) {
      await build({ root, configFile: `${root}vite.config.ts`, logLevel: "warn" });
    }
    t = await startTestApp({}, { work: true });
    await createEvent(t.db, "summit");
    master = await h264Master({ seconds: 6, frameCode: true });
    const accepted = await importFile(t.deps, {
      file: master.path,
      event: "summit",
      title: "Doorstep",
      lang: "en",
      transcript: [
        sentence(0, 0.5, "en", "We agreed on the fisheries package."),
        sentence(1, 2, "fr", "Nous avons parlé de sécurité énergétique."),
      ],
    });
    expect(await waitForItem(t.db, accepted.id)).toMatchObject({ status: "ready" });
    itemId = accepted.id;
    await t.db.query("UPDATE media_items SET published_at = $1 WHERE id = $2", [t.clock.now(), itemId]);
    await t.db.query("UPDATE events SET published_at = $1 WHERE slug = 'summit'", [t.clock.now()]);
    const cookie = await mediaUser(t, "frames@x.example");
    folder = await mkdtemp(path.join(os.tmpdir(), "pressroom-e2e-preview-"));
    base = await serve(t.app);
    browser = await launchBrowser();
    context = await openContext(browser, base, { acceptDownloads: true, timeoutMs: 20_000, cookie });
    page = await context.newPage();
  });

  afterAll(async () => {
    await context?.close();
    await noScript?.close();
    await browser?.close();
    await t?.close();
    if (folder) await rm(folder, { recursive: true, force: true });
  });

  const tc = (frame: number) => timecodeAtFrame(master.startTimecode, frame, master.rate);
  const readout = () => page.locator("output[data-timecode]").textContent();

  /** The frame number drawn on the picture the video element shows now, read from a canvas. */
  const frameOnScreen = () =>
    page.locator("video").evaluate((video: HTMLVideoElement, bits: number) => {
      const canvas = document.createElement("canvas");
      canvas.width = video.videoWidth;
      canvas.height = video.videoHeight;
      const g = canvas.getContext("2d", { willReadFrequently: true })!;
      g.drawImage(video, 0, 0);
      let n = 0;
      for (let i = 0; i < bits; i++) {
        const x = Math.floor(((i + 0.5) * canvas.width) / bits);
        const [r, gr, b] = g.getImageData(x, Math.floor((canvas.height * 17) / 18), 1, 1).data;
        if ((r! + gr! + b!) / 3 > 128) n += 2 ** i;
      }
      return n;
    }, FRAME_CODE_BITS);

  /** Waits until the readout says `frame` and the seek is over, then checks the picture agrees. */
  async function expectOnScreen(frame: number): Promise<void> {
    await page.waitForFunction(
      (label) =>
        document.querySelector("output[data-timecode]")?.textContent === label &&
        document.querySelector("video")?.seeking === false,
      tc(frame),
    );
    expect({ readout: await readout(), picture: await frameOnScreen() }).toEqual({
      readout: tc(frame),
      picture: frame,
    });
  }

  it("shows, steps and sets IN/OUT on the frame on screen, and the clip starts and ends there", async () => {
    // 4.5 s is frame 112 on the master. The preview's pictures start two frames late on its own
    // clock, and hls.js, starting in its second segment, lays them out a little later still.
    await page.goto(`${base}/en/items/${itemId}?t=4.5`);
    await page.locator("[data-player-controls]:not([hidden])").waitFor();
    await page.waitForFunction(() => (document.querySelector("video")?.readyState ?? 0) >= 2);
    await expectOnScreen(112);
    const next = page.getByRole("button", { name: "Next frame" });
    const previous = page.getByRole("button", { name: "Previous frame" });
    await next.click();
    await expectOnScreen(113);
    await page.getByRole("button", { name: "Set IN" }).click();
    expect(await page.locator('input[name="in"]').inputValue()).toBe(tc(113));
    for (const frame of [114, 115, 116, 117]) {
      await next.click();
      await expectOnScreen(frame);
    }
    await previous.click();
    await expectOnScreen(116);
    // OUT is the first frame after the clip (as the field says): the clip's last frame is 115.
    await page.getByRole("button", { name: "Set OUT" }).click();
    expect(await page.locator('input[name="out"]').inputValue()).toBe(tc(116));

    await page.locator('input[name="format"][value="mp4"]').check();
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("button", { name: "Download", exact: true }).click(),
    ]);
    const file = path.join(folder, download.suggestedFilename());
    await download.saveAs(file);
    expect(await frameCodesOf(file)).toEqual([113, 114, 115]);
  });

  it("writes positions as the master's timecode and lengths one way, and takes French decimal commas", async () => {
    // A position: the master's timecode. A length: "2:06", "1:02:05", to the hundredth in a clip ("0:01,00").
    const timecode = /^\d{2}:\d{2}:\d{2}[:;]\d{2}$/;
    const length = /^(?:[1-9]\d*:[0-5]\d|[1-9]?\d):[0-5]\d(?:[.,]\d{2})?$/;
    for (const lang of ["en", "fr"]) {
      for (const path of [
        `/${lang}/items/${itemId}`,
        `/${lang}/search?q=fisheries`,
        `/${lang}/events/summit`,
      ]) {
        await page.goto(`${base}${path}`);
        // A time of day ("00:11", a programme entry's start) is neither a position nor a length: it is
        // written in a <time> with a UTC date-time (a length's is "PT…"), taken out before the rest is read.
        await page.locator("main time[datetime$='Z']").evaluateAll((clocks) => {
          for (const clock of clocks) clock.remove();
        });
        // biome-ignore lint/performance/useDomNodeTextContent: the text as laid out, one block from the next.
        const times = (await page.locator("main").innerText()).match(/\d+:\d{2}(?::\d{2})*(?:[.,;:]\d+)?/g);
        expect(times, path).not.toBeNull();
        for (const time of times!)
          expect(timecode.test(time) || length.test(time), `${path}: ${time}`).toBe(true);
      }
    }
    // The search hit names the sentence's moment as the transcript does.
    expect(
      await page.goto(`${base}/fr/search?q=fisheries`).then(() => page.locator("ul.hits .tc").textContent()),
    ).toBe(tc(12));

    await page.goto(`${base}/fr/items/${itemId}`);
    // Clock times on the master's clock (it starts at 01:00:00:00), as a French user writes them.
    const hour = tc(0).slice(0, 6);
    await page.locator('input[name="in"]').fill(`${hour}01,5`);
    await page.locator('input[name="out"]').fill(`${hour}02,5`);
    expect(await page.locator("#in-live-error").isHidden()).toBe(true);
    expect(await page.locator("#out-live-error").isHidden()).toBe(true);
    expect(await page.locator("[data-clip-summary]").textContent()).toBe(
      `Extrait de ${tc(37)} à ${tc(62)}, 0:01,00`,
    );
    await page.locator('input[name="format"][value="mp4"]').check();
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("button", { name: "Télécharger", exact: true }).click(),
    ]);
    const file = path.join(folder, `comma-${download.suggestedFilename()}`);
    await download.saveAs(file);
    const codes = await frameCodesOf(file);
    expect([codes.length, codes[0], codes.at(-1)]).toEqual([25, 37, 61]);
    await expectAccessible(page, "French item page with a clip typed with decimal commas");
  });

  it("offers the timed transcript as captions, one track per language, in both page languages", async () => {
    for (const [lang, labels] of [
      ["en", ["English", "French"]],
      ["fr", ["Anglais", "Français"]],
    ] as const) {
      await page.goto(`${base}/${lang}/items/${itemId}`);
      const tracks = page.locator("video track");
      expect(
        await tracks.evaluateAll((all: HTMLTrackElement[]) =>
          all.map((tr) => [tr.kind, tr.srclang, tr.label]),
        ),
      ).toEqual([
        ["captions", "en", labels[0]],
        ["captions", "fr", labels[1]],
      ]);
      expect(await page.locator("video").evaluate((v: HTMLVideoElement) => v.textTracks.length)).toBe(2);
      await expectAccessible(page, `/${lang}/items/${itemId} with captions`);
    }
    const vtt = async (lang: string) => {
      const src = await page.locator(`video track[srclang="${lang}"]`).getAttribute("src");
      const response = await page.request.get(`${base}${src}`);
      expect(response.headers()["content-type"]).toMatch(/^text\/vtt/);
      return response.text();
    };
    expect(await vtt("en")).toBe(
      "WEBVTT\n\n1\n00:00:00.500 --> 00:00:02.000\n<v Anna Berg>We agreed on the fisheries package.\n",
    );
    expect(await vtt("fr")).toContain("00:00:02.000 --> 00:00:03.500\n<v Anna Berg>Nous avons parlé");
  });

  it("plays the single-file MP4 preview where JavaScript is off", async () => {
    noScript = await openContext(browser, base, { javaScriptEnabled: false, timeoutMs: 20_000 });
    const plain = await noScript.newPage();
    const mp4 = plain.waitForResponse((r) => r.url().includes(`/media/items/${itemId}/preview.mp4`));
    await plain.goto(`${base}/en/items/${itemId}`);

    expect((await mp4).headers()["content-type"]).toBe("video/mp4");
    const video = plain.locator("video");
    expect(await video.evaluate((v: HTMLVideoElement) => v.currentSrc)).toMatch(/\/preview\.mp4$/);
    await video.evaluate((v: HTMLVideoElement) => {
      v.muted = true;
      return v.play();
    });
    // Polled from here: with scripts off, the page runs no waiting function of its own.
    await expect
      .poll(() => video.evaluate((v: HTMLVideoElement) => v.currentTime), { timeout: 20_000 })
      .toBeGreaterThan(0.5);
  });
});
