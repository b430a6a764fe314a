import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { build } from "vite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { acceptDownloadTerms } from "../../src/accounts/store.ts";
import { insertApiToken } from "../../src/accounts/token-store.ts";
import { recordDownload } from "../../src/downloads/store.ts";
import { insertIssue } from "../../src/newsletter/store.ts";
import {
  addProgramme,
  addRendition,
  createItem,
  publishedEventWithVideo,
  sessionCookie,
} from "../catalogue/fixtures.ts";
import { startTestApp, type TestApp } from "../helpers/app.ts";
import { routeTable } from "../helpers/routes.ts";
import { BROWSER_TESTS, expectAccessible, launchBrowser, openContext, serve } from "./browser.ts";
import { focusRings, layoutProblems, type Overflow, type SmallTarget } from "./layout-checks.ts";

const root = fileURLToPath(new URL("../../", import.meta.url));

type Role = "visitor" | "media" | "editor" | "admin";

/**
 * Phones: every page of the app, for every role and in both languages, reflows at 320 and
 * 390 CSS pixels (WCAG 1.4.10: nothing scrolls sideways) and keeps its controls at least
 * 24 px (WCAG 2.5.8). The pages come from the app's own route table, so a page added later
 * is checked without anyone listing it.
 */
describe("phones", BROWSER_TESTS, () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  const ids: Record<string, string> = {};
  const cookies: Partial<Record<Role, string>> = {};

  beforeAll(async () => {
    if (!existsSync(`${root}src/web/public/build/clip-selector.js`)) {
      await build({ root, configFile: `${root}vite.config.ts`, logLevel: "warn" });
    }
    t = await startTestApp();
    const { eventId, slug, itemId } = await publishedEventWithVideo(t.deps);
    // The demo's longest titles: what a phone has to fit.
    await t.db.query("UPDATE events SET title_en = $2, title_fr = $3 WHERE id = $1", [
      eventId,
      "Meeting of Ministers of Foreign Affairs",
      "Réunion des ministres des Affaires étrangères",
    ]);
    await t.db.query("UPDATE media_items SET title_en = $2, title_fr = $3 WHERE id = $1", [
      itemId,
      "Press conference by Secretary General Elin Castellane following the meeting of foreign ministers",
      "Conférence de presse de la secrétaire générale, Elin Castellane, à l’issue de la réunion des ministres des Affaires étrangères",
    ]);
    for (const n of [1, 2]) {
      const photo = await createItem(t.db, {
        eventId,
        mediaType: "photo",
        kind: "photo-opportunity",
        position: 10 + n,
        title: { en: `Family photo ${n}`, fr: `Photo de famille ${n}` },
        credit: "© Meridian Alliance / Ana Ruiz",
      });
      const key = `items/${photo}/web.jpg`;
      await t.deps.storage.putFile(
        key,
        await t.deps.storage.localPath(`items/${itemId}/poster.jpg`, t.dataDir),
      );
      await addRendition(t.db, photo, "web", key);
    }
    await addProgramme(t.db, eventId, [
      { position: 0, title: { en: "Press conference", fr: "Conférence de presse" }, itemId },
    ]);
    const [entry] = await t.db.query<{ id: number }>("SELECT id FROM programme_items WHERE event_id = $1", [
      eventId,
    ]);
    for (const role of ["media", "editor", "admin"] as const) {
      cookies[role] = await sessionCookie(t, role);
      const [user] = await t.db.query<{ id: number }>("SELECT id FROM users WHERE role = $1", [role]);
      await acceptDownloadTerms(t.db, user!.id, t.clock.now());
      await recordDownload(t.db, {
        userId: user!.id,
        mediaItemId: itemId,
        inFrame: 50,
        outFrame: 150,
        format: "prores",
        audio: "floor",
        fileName: "press-conference_10-00-02-00_10-00-06-00_prores.mov",
        bytes: 123_456_789,
        createdAt: t.clock.now(),
      });
      await insertApiToken(
        t.db,
        {
          userId: user!.id,
          name: "Newsroom archive system (nightly import)",
          tokenHash: role,
          scope: "read",
        },
        t.clock.now(),
      );
      if (role === "editor") {
        ids.issue = String(
          await insertIssue(
            t.db,
            {
              subject: { en: "This week at the Alliance", fr: "Cette semaine à l’Alliance" },
              intro: { en: "The ministers met.", fr: "Les ministres se sont réunis." },
              events: [],
            },
            user!.id,
            t.clock.now(),
          ),
        );
      }
    }
    Object.assign(ids, {
      slug,
      item: String(itemId),
      eventId: String(eventId),
      itemId: String(itemId),
      entryId: String(entry!.id),
    });
    base = await serve(t.app);
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  /** Every page a browser is sent to (GET, in a language), with real ids in place of parameters. */
  function pages(): string[] {
    const notPages = /\.(css|xml)$|\/$|\/items\/:id\/download$|\/unsubscribe$|\/preview\/:version$/;
    return routeTable(t.app)
      .filter((r) => r.method === "GET" && /^\/(en|fr)(\/|$)/.test(r.url) && !notPages.test(r.url))
      .flatMap((r) => {
        const url = r.url.replace(/:(\w+)/g, (_whole, name: string) => {
          if (name === "id") return r.url.includes("/newsletter/") ? ids.issue! : ids.item!;
          return ids[name] ?? "1";
        });
        // The item page with a transcript search: its list and the ticks under the video.
        return /^\/(en|fr)\/items\/:id$/.test(r.url) ? [url, `${url}?q=climate+OR+unanimously`] : [url];
      });
  }

  /** What a role can open: visitors and media users are sent away from the workspace. */
  function pagesOf(role: Role): string[] {
    return pages().filter((url) => {
      if (role === "visitor") return !/\/(editor|account|downloads)(\/|$)/.test(url);
      if (role === "media") return !/\/editor(\/|$)/.test(url);
      // The public pages differ for an editor only by the header, which the home page shows.
      if (role === "editor") return /^\/(en|fr)($|\/(editor|items|account|downloads)(\/|$))/.test(url);
      // The administrator's header is the editor's: once is enough.
      return /^\/(en|fr)$/.test(url);
    });
  }

  it("scrolls no page sideways at 320 and 390 px, in any role or language, and keeps targets at 24 px", async () => {
    const overflows: Overflow[] = [];
    const small: SmallTarget[] = [];
    let visited = 0;
    for (const role of ["visitor", "media", "editor", "admin"] as const) {
      const context: BrowserContext = await openContext(browser, base, {
        timeoutMs: 15_000,
        cookie: cookies[role as Exclude<Role, "visitor">],
        viewport: { width: 390, height: 844 },
      });
      const page = await context.newPage();
      let width = 390;
      for (const url of pagesOf(role)) {
        await page.goto(`${base}${url}`);
        visited += 1;
        // One load, two widths: the layout reflows when the viewport changes. The next page
        // starts at the width this one ended with.
        for (const step of [0, 1]) {
          if (step === 1) {
            width = width === 390 ? 320 : 390;
            await page.setViewportSize({ width, height: 844 });
          }
          const result = await layoutProblems(page, `${role} ${url}`, width);
          if (result.overflow) overflows.push(result.overflow);
          small.push(...result.small);
        }
      }
      await context.close();
    }
    expect(visited).toBeGreaterThan(50);
    // Each small control once, at the width where it was found first.
    const seen = new Set<string>();
    const distinct = small.filter((s) => {
      const key = `${s.url.split(" ")[1]!.replace(/^\/(en|fr)/, "")} ${s.target.split(" ")[0]}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
    expect({ overflows, small: distinct }).toEqual({ overflows: [], small: [] });
  });

  describe("keyboards, screen readers and words", () => {
    let context: BrowserContext;
    let page: Page;
    const itemPage = (lang: string, query = "") => `${base}/${lang}/items/${ids.item}${query}`;
    const playerReady = () => page.locator("button[data-set]:not([hidden])").first().waitFor();
    const timecode = () => page.locator("output[data-timecode]").textContent();

    beforeAll(async () => {
      context = await openContext(browser, base, { timeoutMs: 15_000, cookie: cookies.media });
      page = await context.newPage();
    });
    afterAll(() => context?.close());

    it("draws a focus ring of 3:1 or more on white, on the current sentence, in the header and around the video", async () => {
      await page.goto(itemPage("en", "?t=4"));
      await playerReady();
      await page.locator('a.sentence[aria-current="true"]').waitFor();
      const rings = await focusRings(page);
      for (const r of rings) {
        expect(r.visible, r.name).toBe(true);
        expect(r.width, r.name).toBeGreaterThanOrEqual(2);
        expect(r.contrast, r.name).toBeGreaterThanOrEqual(3);
      }
    });

    it("lets I, O, comma and full stop act only in the player and the clip selector", async () => {
      await page.goto(itemPage("en", "?t=3"));
      await playerReady();
      await page.waitForFunction(
        () => document.querySelector("output[data-timecode]")?.textContent === "10:00:03:00",
      );
      const inField = page.locator('input[name="in"]');
      const before = await inField.inputValue();
      // Focus on the page itself: the keys are the reader's (a screen reader's quick keys).
      await page.locator("h1").click();
      for (const key of ["i", "o", ".", ","]) await page.keyboard.press(key);
      expect(await inField.inputValue()).toBe(before);
      expect(await page.locator('input[name="out"]').inputValue()).not.toBe("10:00:03:00");
      expect(await timecode()).toBe("10:00:03:00");
      expect(await page.locator("#range-full").isChecked()).toBe(true);
      // In the player they work.
      await page.locator("video").focus();
      await page.keyboard.press(".");
      await page.waitForFunction(
        () => document.querySelector("output[data-timecode]")?.textContent === "10:00:03:01",
      );
      await page.keyboard.press("i");
      expect(await inField.inputValue()).toBe("10:00:03:01");
      // And in the clip selector, on a control that takes no typing.
      await page.getByRole("radio", { name: /^MP4/ }).focus();
      await page.keyboard.press("o");
      expect(await page.locator('input[name="out"]').inputValue()).toBe("10:00:03:01");
    });

    it("keeps the focus on Next photo at the last photo and on Previous photo at the first", async () => {
      await page.goto(`${base}/en/events/${ids.slug}`);
      const gallery = page.getByRole("region", { name: "Photos" });
      const credit = gallery.locator("figcaption .credit");
      expect(await credit.textContent()).toBe("© Meridian Alliance / Ana Ruiz");
      const next = gallery.getByRole("button", { name: "Next photo" });
      await next.focus();
      await page.keyboard.press("Enter");
      await gallery.getByText("2 / 2").waitFor();
      expect(await next.getAttribute("aria-disabled")).toBe("true");
      expect(await next.evaluate((b) => b === document.activeElement)).toBe(true);
      await page.keyboard.press("Enter");
      expect(await gallery.getByText("2 / 2").count()).toBe(1);
      expect(await credit.textContent()).toBe("© Meridian Alliance / Ana Ruiz");
      const previous = gallery.getByRole("button", { name: "Previous photo" });
      await previous.focus();
      await page.keyboard.press("Enter");
      await gallery.getByText("1 / 2").waitFor();
      await page.keyboard.press("Enter");
      expect(await previous.evaluate((b) => b === document.activeElement)).toBe(true);
      await expectAccessible(page, "gallery at its first photo");
    });

    it("makes the transcript one tab stop while picking sentences, with a way back to Download", async () => {
      await page.goto(itemPage("en"));
      await playerReady();
      const tabStops = () =>
        page.evaluate(
          () =>
            Array.from(
              document.querySelectorAll<HTMLElement>("[data-transcript] a, [data-transcript] input"),
            ).filter((e) => e.tabIndex >= 0).length,
        );
      const sentences = await page.locator("a.sentence").count();
      expect(await tabStops()).toBe(sentences);
      await page.getByRole("button", { name: "Choose sentences in the transcript" }).click();
      expect(await tabStops()).toBe(1);
      await page.getByRole("checkbox", { name: /^Include in the clip: Good morning/ }).focus();
      await page.keyboard.press("ArrowDown");
      await page.keyboard.press("Space");
      const second = page.getByRole("checkbox", {
        name: "Include in the clip: Today we agreed on a new climate package.",
      });
      expect(await second.isChecked()).toBe(true);
      expect(await page.locator('input[name="in"]').inputValue()).toBe("10:00:02:00");
      await expectAccessible(page, "item page, choosing sentences");
      await page.keyboard.press("Tab");
      await page.keyboard.press("Enter");
      expect(await page.evaluate(() => document.activeElement?.textContent)).toBe("Download");
    });

    it("pauses on Space on a sentence instead of scrolling the page", async () => {
      await page.goto(itemPage("en"));
      await playerReady();
      await page.locator("video").evaluate((v: HTMLVideoElement) => {
        v.muted = true;
      });
      const sentence = page.getByRole("link", { name: "Today we agreed on a new climate package." });
      await sentence.focus();
      await page.keyboard.press("Enter");
      await page.waitForFunction(() => !(document.querySelector("video")?.paused ?? true));
      const scrolled = await page.evaluate(() => window.scrollY);
      await page.keyboard.press("Space");
      await page.waitForFunction(() => document.querySelector("video")?.paused === true);
      expect(await page.evaluate(() => window.scrollY)).toBe(scrolled);
    });

    it("names each Download again link by what it repeats, and speaks French on French pages", async () => {
      await page.goto(`${base}/en/downloads`);
      await page
        .getByRole("link", {
          name: "Download again: Press conference by Secretary General Elin Castellane following the meeting of foreign ministers, 10:00:02:00 – 10:00:06:00, ProRes 422 HQ MOV, PCM audio",
        })
        .waitFor();
      await expectAccessible(page, "/en/downloads");

      await page.setViewportSize({ width: 390, height: 844 });
      await page.goto(itemPage("fr"));
      const details = await page.locator(".details").textContent();
      expect(details).toContain("anglais, français");
      expect(details).toContain("25 images/s");
      expect(details).toContain("Son de salle (stéréo)");
      expect(details).not.toMatch(/\bch\)|fps/);
      // The long title leaves the video on the first screen of a phone.
      const title = await page
        .locator("h1")
        .evaluate(
          (h) => h.getBoundingClientRect().height / Number.parseFloat(getComputedStyle(h).lineHeight),
        );
      expect(title).toBeLessThanOrEqual(6);
      expect(await page.locator("video").evaluate((v) => v.getBoundingClientRect().top)).toBeLessThan(
        844 - 100,
      );
      // Each button's label on one line ("Image précédente", "1 image plus tôt"), at 320 px too.
      await page.setViewportSize({ width: 320, height: 700 });
      const wrapped = await page.evaluate(() =>
        Array.from(document.querySelectorAll<HTMLElement>(".player-controls button, .point-buttons button"))
          .filter(
            (b) => b.getBoundingClientRect().height > 2 * Number.parseFloat(getComputedStyle(b).lineHeight),
          )
          .map((b) => b.textContent),
      );
      expect(wrapped).toEqual([]);
      await expectAccessible(page, "/fr item at 320 px");

      await page.goto(`${base}/fr/search?q=unanimously`);
      expect(await page.locator(".hits .speaker").first().textContent()).toBe("President Anna Berg\u00a0:");
    });

    it("names the workspace the same in the French header and breadcrumb", async () => {
      const editor = await openContext(browser, base, { timeoutMs: 15_000, cookie: cookies.editor });
      const editorPage = await editor.newPage();
      await editorPage.goto(`${base}/fr/editor/items/${ids.item}`);
      const header = await editorPage.locator("header.site nav a[href='/fr/editor']").textContent();
      const crumb = await editorPage.locator("nav.crumbs a[href='/fr/editor']").textContent();
      await editor.close();
      expect(header).toBe("Espace de rédaction");
      expect(crumb).toBe(header);
    });
  });
});
