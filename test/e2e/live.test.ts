import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { build } from "vite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setItemPublished } from "../../src/catalogue/item-store.ts";
import { findLiveStream, livePieces } from "../../src/catalogue/live-store.ts";
import { type LiveReceiver, startLiveReceiver } from "../../src/ingest/live/receiver.ts";
import { createEvent, sessionCookie } from "../catalogue/fixtures.ts";
import { startTestApp, type TestApp } from "../helpers/app.ts";
import { h264Master } from "../helpers/media.ts";
import { waitUntil } from "../helpers/processes.ts";
import { freeTcpPort, sendLive } from "../ingest/live-sender.ts";
import { BROWSER_TESTS, expectAccessible, launchBrowser, openContext, serve } from "./browser.ts";
import { layoutProblems } from "./layout-checks.ts";

const root = fileURLToPath(new URL("../../", import.meta.url));

type Position = { time: number; start: number; end: number; timecode: string };

/**
 * A live press conference in a real Chromium (issue 12): ffmpeg plays the venue's encoder and
 * sends 20 s of H.264/AAC over RTMP in real time; while it arrives, a media user's item page says
 * "Live", its player plays the recording as it grows, goes back to its start (the recording's
 * first timecode) and returns to the live edge; the editor's page follows the stream in place.
 * Both pages are checked at 320 px (phones.test.ts has no live item).
 */
describe("a live item in the browser", BROWSER_TESTS, () => {
  let t: TestApp;
  let receiver: LiveReceiver;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let base: string;
  let itemId: number;
  let sending: ReturnType<typeof sendLive> | undefined;
  let editor: string;

  const position = (): Promise<Position> =>
    page.evaluate(() => {
      const video = document.querySelector<HTMLVideoElement>("[data-player] video")!;
      const ranges = video.seekable;
      return {
        time: video.currentTime,
        start: ranges.length ? ranges.start(0) : Number.NaN,
        end: ranges.length ? ranges.end(ranges.length - 1) : Number.NaN,
        timecode: document.querySelector("[data-timecode]")?.textContent ?? "",
      };
    });
  /** Waits for the player's time to move on from `from` by a second: it is playing. */
  const playsOnFrom = async (from: number) => {
    await page.waitForFunction(
      (at) => (document.querySelector<HTMLVideoElement>("[data-player] video")?.currentTime ?? 0) > at + 1,
      from,
    );
  };

  beforeAll(async () => {
    if (!existsSync(`${root}src/web/public/build/live-wait.js`)) {
      await build({ root, configFile: `${root}vite.config.ts`, logLevel: "warn" });
    }
    const rtmpPort = await freeTcpPort();
    t = await startTestApp({
      LIVE_SRT_PORT: "off",
      LIVE_RTMP_PORT: String(rtmpPort),
      LIVE_HOST: "127.0.0.1",
    });
    receiver = await startLiveReceiver(t.deps);
    const { slug } = await createEvent(t.db, { slug: "live-e2e", title: { en: "Summit" } });
    editor = await sessionCookie(t, "editor");
    const res = await t.app.inject({
      method: "POST",
      url: "/api/v1/items",
      payload: { event: slug, type: "video", live: true, title: { en: "Press conference, live" } },
      headers: { cookie: editor },
    });
    expect(res.statusCode, res.body).toBe(201);
    const answer = res.json() as { id: number; live: { rtmp: string } };
    itemId = answer.id;
    await setItemPublished(t.db, itemId, true, t.clock.now());
    await receiver.sync();
    const source = await h264Master({ seconds: 20 });
    base = await serve(t.app);
    browser = await launchBrowser();
    context = await openContext(browser, base, {
      timeoutMs: 20_000,
      cookie: await sessionCookie(t, "media"),
    });
    page = await context.newPage();
    // A journalist opens the page before the venue's encoder starts.
    await page.goto(`${base}/en/items/${itemId}`);
    expect(await page.locator("[data-live-wait]").textContent()).toContain("The live has not started yet.");
    sending = sendLive(source.path, answer.live.rtmp.replace("pressroom.test", "127.0.0.1"), "flv");
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await sending;
    await receiver?.close();
    await t?.close();
  });

  it("says Live, plays from the live edge, goes back to the start and returns to live", async () => {
    // The waiting page switched to the player by itself once the first seconds arrived.
    await page.locator("[data-player] video").waitFor({ timeout: 30_000 });
    expect(await page.locator("p.badge.live").textContent()).toBe("Live");
    expect(await page.locator("[data-live-wait]").count()).toBe(0);
    const received = async () => (await livePieces(t.db, itemId)).reduce((s, p) => s + p.durationSeconds, 0);
    // The editor's page follows the stream in place: the seconds recorded grow without a reload.
    expect(await waitUntil(async () => (await received()) >= 4, 30_000)).toBe(true);
    const workspace = await openContext(browser, base, { timeoutMs: 20_000, cookie: editor });
    const editorPage = await workspace.newPage();
    await editorPage.setViewportSize({ width: 320, height: 700 });
    await editorPage.goto(`${base}/en/editor/items/${itemId}`);
    const recorded = editorPage.locator('[data-live-health="receivedSeconds"]');
    const shown = await recorded.textContent();
    await editorPage.evaluate(() => Object.assign(window, { notReloaded: true }));
    await editorPage.waitForFunction((before) => {
      const now = document.querySelector('[data-live-health="receivedSeconds"]')?.textContent;
      return now !== before && "notReloaded" in window;
    }, shown);
    expect(await editorPage.locator('[data-live-health="bitrateKbps"]').textContent()).toMatch(/^[\d,]+$/);
    const narrow = await layoutProblems(editorPage, "live item in the workspace", 320);
    expect({ overflow: narrow.overflow, small: narrow.small }).toEqual({ overflow: null, small: [] });
    await workspace.close();

    // Some seconds received: enough to go back from the edge.
    expect(await waitUntil(async () => (await received()) >= 14, 30_000)).toBe(true);
    expect((await findLiveStream(t.db, itemId))?.state).toBe("live");

    // hls.js keeps three target durations behind the newest piece (a margin for the next to
    // arrive), and a little more once it has played on: "at the live edge" is within that.
    const playlist = await page.request.get(`${base}/media/items/${itemId}/live.m3u8`);
    const target = Number(/#EXT-X-TARGETDURATION:(\d+)/.exec(await playlist.text())?.[1]);
    const edgeMargin = 3 * target + 3;

    await page.goto(`${base}/en/items/${itemId}`);
    expect(await page.locator("p.badge.live").textContent()).toBe("Live");
    await page.waitForFunction(() => {
      const video = document.querySelector<HTMLVideoElement>("[data-player] video");
      return video !== null && video.seekable.length > 0 && video.readyState >= 2;
    });
    // It opens at the live edge, not at the start of the recording.
    const opened = await position();
    expect(opened.time).toBeGreaterThan(2);
    expect(opened.end - opened.time).toBeLessThan(edgeMargin);
    await expectAccessible(page);
    await page.setViewportSize({ width: 320, height: 700 });
    const phone = await layoutProblems(page, "live item", 320);
    expect({ overflow: phone.overflow, small: phone.small }).toEqual({ overflow: null, small: [] });

    // "Back to live" is also how a user starts the player: a click, so the browser lets it play.
    await page.getByRole("button", { name: "Back to live" }).click();
    const atEdge = await position();
    await playsOnFrom(atEdge.time);
    const live = await position();
    expect(live.end).toBeGreaterThan(6);
    expect(live.end - live.time).toBeLessThan(edgeMargin);

    await page.getByRole("button", { name: "From the start" }).click();
    await page.waitForFunction(
      () => (document.querySelector<HTMLVideoElement>("[data-player] video")?.currentTime ?? 99) < 2,
    );
    const start = await position();
    expect(start.start).toBeLessThan(0.5);
    // The recording's clock: the test clock said 09:00:00 UTC when its first frame arrived.
    expect(start.timecode).toMatch(/^09:00:0[01]:\d\d$/);
    await playsOnFrom(start.time);

    await page.getByRole("button", { name: "Back to live" }).click();
    await page.waitForFunction(
      (at) => (document.querySelector<HTMLVideoElement>("[data-player] video")?.currentTime ?? 0) > at + 3,
      start.time,
    );
    const back = await position();
    expect(back.end - back.time).toBeLessThan(edgeMargin);
    await playsOnFrom(back.time);
  });
});
