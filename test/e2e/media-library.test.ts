import { existsSync, readFileSync, statSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { build } from "vite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashPassword } from "../../src/accounts/password-hash.ts";
import { insertUser, type Role } from "../../src/accounts/store.ts";
import { acceptMaster } from "../../src/ingest/accept.ts";
import { startTestApp, strongPassword, type TestApp } from "../helpers/app.ts";
import { h264Master, jpegNamedMxf } from "../helpers/media.ts";
import { BROWSER_TESTS, expectAccessible, launchBrowser, openContext, serve } from "./browser.ts";

const root = fileURLToPath(new URL("../../", import.meta.url));
const FRAME = 1 / 25;
const PROCESSING_TIMEOUT_MS = 45_000;

const transcript = `WEBVTT

00:00:01.000 --> 00:00:03.000
<v Anna Berg>The ministers welcomed the fisheries agreement.

00:00:03.480 --> 00:00:05.500
<v Anna Berg>Nous avons parlé de sécurité énergétique.
`;

/**
 * The media library from end to end, as the issue puts it: an editor uploads a master with tus,
 * it processes, a media user finds it by a word of its transcript in French and in English, the
 * player starts at the matching sentence; axe-core clean on every page. Real app, real job
 * workers, real ffmpeg, real Chromium.
 */
describe("media library in a browser", BROWSER_TESTS, () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  let eventId: number;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    // `npm test` builds the islands first; a lone run of this file builds them if missing.
    if (!existsSync(`${root}src/web/public/build/master-upload.js`)) {
      await build({ root, configFile: `${root}vite.config.ts`, logLevel: "warn" });
    }
    t = await startTestApp({}, { work: true });
    const [event] = await t.db.query<{ id: number }>(
      `INSERT INTO events (slug, starts_at, title_en, title_fr, created_at, updated_at)
       VALUES ('fisheries-council', $1, 'Fisheries council', 'Conseil de la pêche', $1, $1) RETURNING id`,
      [t.clock.now()],
    );
    eventId = event!.id;
    base = await serve(t.app);
    browser = await launchBrowser();
  });

  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await t?.close();
  });

  /** A fresh browser profile for `email`, logged in through the log-in page. */
  async function logIn(email: string, role: Role, returnTo: string): Promise<Page> {
    const now = t.clock.now();
    const account = {
      email,
      passwordHash: await hashPassword(strongPassword),
      name: email.split("@")[0]!,
      organisation: "Pressroom",
      country: "BE",
      language: "en" as const,
      role,
      verifiedAt: now,
    };
    await insertUser(t.db, account, now);
    const context = await openContext(browser, base, { timeoutMs: 15_000 });
    contexts.push(context);
    const page = await context.newPage();
    await page.goto(`${base}/en/login?returnTo=${encodeURIComponent(returnTo)}`);
    await page.getByLabel("E-mail address", { exact: true }).fill(email);
    await page.getByLabel("Password", { exact: true }).fill(strongPassword);
    await page.getByRole("button", { name: "Log in", exact: true }).click();
    await page.waitForURL(`${base}${returnTo}`);
    return page;
  }

  let itemId: number;

  it("lets an editor upload a master with tus, watch it process and publish it with a transcript", async () => {
    const page = await logIn("chief@org.example", "editor", "/en/editor");
    await page.getByRole("link", { name: "Upload a master" }).click();
    await page.getByRole("heading", { level: 1, name: "Upload a master" }).waitFor();
    // The island shows the form and hides the sentence meant for browsers without JavaScript.
    await page.locator("form[data-master-upload]:not([hidden])").waitFor();
    expect(await page.getByText("needs JavaScript").isVisible()).toBe(false);
    await expectAccessible(page, "upload page");

    await page.getByLabel("Event", { exact: true }).selectOption("fisheries-council");
    await page.getByLabel("Kind", { exact: true }).selectOption("press-conference");
    await page.getByLabel("Title (English)").fill("Fisheries press conference");
    await page.getByLabel("Title (French)").fill("Conférence de presse sur la pêche");
    await page.getByLabel("Master file").setInputFiles((await h264Master({ seconds: 6 })).path);
    await page.getByRole("button", { name: "Create the item and upload" }).click();

    const done = page.locator("[data-upload-done]:not([hidden])");
    await done.waitFor();
    expect(await done.textContent()).toContain("processing has started");
    // Nothing is left to resume: tus-js-client forgot the finished upload.
    expect(await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith("tus::")))).toEqual(
      [],
    );
    await expectAccessible(page, "upload page, finished");

    await done.getByRole("link", { name: "Follow its processing on the item's page" }).click();
    await page.waitForURL(/\/en\/editor\/items\/\d+$/);
    itemId = Number(/items\/(\d+)/.exec(page.url())![1]);
    const processing = page.getByRole("region", { name: "Processing" });
    // Nobody reloads: the page follows the processing itself (processing-watch island) and shows
    // the outcome when it comes.
    await processing
      .locator(".status.ready, .status.failed")
      .first()
      .waitFor({ timeout: PROCESSING_TIMEOUT_MS });
    const failed = processing.locator(".status.failed");
    if (await failed.count()) expect.fail(`processing failed: ${await failed.textContent()}`);
    expect(await processing.textContent()).toContain(".mp4");
    await expectAccessible(page, "editor item page, ready");

    await page.getByRole("link", { name: "Edit the transcript" }).click();
    const upload = page.getByRole("region", { name: "Upload a WebVTT or SRT file" });
    await upload.getByLabel("Subtitle file (.vtt or .srt)").setInputFiles({
      name: "presser.vtt",
      mimeType: "text/vtt",
      buffer: Buffer.from(transcript),
    });
    await upload.getByLabel("Language of the transcript").selectOption("en");
    await upload.getByRole("button", { name: "Check the file" }).click();
    await page.getByRole("button", { name: "Replace the transcript with this file" }).click();
    await page.getByRole("cell", { name: "Nous avons parlé de sécurité énergétique." }).waitFor();

    await page.goto(`${base}/en/editor/items/${itemId}`);
    await page.getByRole("region", { name: "Publication" }).getByRole("button", { name: "Publish" }).click();
    await page.getByText("Published.", { exact: true }).waitFor();
    await page.goto(`${base}/en/editor/events/${eventId}`);
    await page.getByRole("region", { name: "Publication" }).getByRole("button", { name: "Publish" }).click();
    await page.getByText("Published.", { exact: true }).waitFor();
  });

  it("continues an upload after dropped connections and after a reload, where it stopped", async () => {
    const page = await logIn("desk@org.example", "editor", "/en/editor/upload");
    const master = await h264Master({ seconds: 6 });
    const network = await page.context().newCDPSession(page);
    await network.send("Network.enable");
    // Slow enough to interrupt a ~1 MB master midway.
    const conditions = (offline: boolean, uploadBytesPerSecond: number) =>
      network.send("Network.emulateNetworkConditions", {
        offline,
        latency: 0,
        downloadThroughput: -1,
        uploadThroughput: uploadBytesPerSecond,
      });
    // A dropped connection, as a failing network makes it: the server side of every socket goes.
    const dropConnections = () => t.app.server.closeAllConnections();
    const sent: { method: string; path: string; offset: number | null }[] = [];
    page.on("request", (request) => {
      const { pathname } = new URL(request.url());
      if (!pathname.startsWith("/api/v1/")) return;
      const offset = request.headers()["upload-offset"];
      sent.push({ method: request.method(), path: pathname, offset: offset ? Number(offset) : null });
    });
    const progressAtLeast = (percent: number) =>
      page.waitForFunction(
        (p) => (document.querySelector<HTMLProgressElement>("#upload-progress")?.value ?? 0) >= p,
        percent,
      );
    // Everything the live region said, since sentences replace each other quickly.
    const heard = () =>
      page.evaluate(() => (window as unknown as { heard?: string[] }).heard?.join("\n") ?? "");
    const listen = () =>
      page.evaluate(() => {
        const region = document.querySelector("[data-upload-status]")!;
        const log: string[] = [];
        (window as unknown as { heard: string[] }).heard = log;
        new MutationObserver(() => log.push(region.textContent ?? "")).observe(region, {
          childList: true,
          characterData: true,
          subtree: true,
        });
      });
    const items = async () => (await t.db.query("SELECT id FROM media_items")).length;
    const before = await items();

    await conditions(false, 100_000);
    await listen();
    await page.getByLabel("Event", { exact: true }).selectOption("fisheries-council");
    await page.getByLabel("Title (English)").fill("Arrivals");
    await page.getByLabel("Master file").setInputFiles(master.path);
    await page.getByRole("button", { name: "Create the item and upload" }).click();

    // A dropped connection: tus-js-client asks where the server got to and goes on from there.
    await progressAtLeast(15);
    dropConnections();
    await expect.poll(heard).toContain("The connection dropped. Trying again");

    await progressAtLeast(40);
    await page.getByRole("button", { name: "Pause" }).click();
    await expect.poll(heard).toContain("Upload paused at");
    await expectAccessible(page, "upload page, paused");

    // Offline: nothing to retry until the browser is back online, then it goes on by itself.
    await conditions(true, 100_000);
    await page.getByRole("button", { name: "Resume" }).click();
    await expect.poll(heard).toContain("The connection is lost.");
    await expectAccessible(page, "upload page, offline");
    await conditions(false, 100_000);
    await expect.poll(heard).toContain("Continuing the earlier upload");

    await progressAtLeast(60);
    await page.getByRole("button", { name: "Pause" }).click();

    // A reload forgets the file but not the upload: the same file continues the same item.
    await page.reload();
    await page.getByText("The upload of h264-").waitFor();
    await conditions(false, -1);
    await listen();
    await page.getByLabel("Master file").setInputFiles(master.path);
    await page.getByRole("button", { name: "Create the item and upload" }).click();
    await page.locator("[data-upload-done]:not([hidden])").waitFor();
    expect(await heard()).toContain("Continuing the earlier upload");

    expect(await items()).toBe(before + 1);
    const creations = sent.filter((r) => r.method === "POST").map((r) => r.path);
    expect(creations).toEqual(["/api/v1/items", "/api/v1/uploads"]);
    const patches = sent.filter((r) => r.method === "PATCH");
    expect(patches[0]?.offset).toBe(0);
    // Three interruptions, each continued from where the server had got to, never from zero.
    expect(patches.length).toBeGreaterThanOrEqual(4);
    for (const patch of patches.slice(1)) expect(patch.offset).toBeGreaterThan(0);
    const [item] = await t.db.query<{ id: number }>("SELECT id FROM media_items WHERE title_en = 'Arrivals'");
    const stored = await t.db.query<{ bytes: string }>("SELECT bytes FROM masters WHERE media_item_id = $1", [
      item!.id,
    ]);
    expect(Number(stored[0]?.bytes)).toBe(statSync(master.path).size);
  });

  it("says in the page's language why a file was refused", async () => {
    const page = await logIn("redaction@org.example", "editor", "/fr/editor/upload");
    await page.getByRole("button", { name: "Créer l'élément et téléverser" }).click();
    await page.getByRole("alert").getByText("Choisissez le fichier master.").waitFor();
    await page.getByLabel("Fichier master").setInputFiles({
      name: "interview.mxf",
      mimeType: "application/mxf",
      buffer: readFileSync(await jpegNamedMxf()),
    });
    await page.getByRole("button", { name: "Créer l'élément et téléverser" }).click();
    await page.getByRole("alert").getByText("Choisissez l'événement.").waitFor();
    await page.getByLabel("Événement", { exact: true }).selectOption("fisheries-council");
    await page.getByRole("button", { name: "Créer l'élément et téléverser" }).click();
    await page
      .getByRole("alert")
      .getByText("L'envoi de interview.mxf a été refusé : Ce fichier n'est pas un fichier vidéo ou audio")
      .waitFor();
    expect(await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith("tus::")))).toEqual(
      [],
    );
    await expectAccessible(page, "upload page, refused (fr)");

    // The item made for it stays, marked failed: the page says so, keeps its event and title
    // (another file here goes to the same item), and leads to it.
    expect(await page.getByLabel("Événement", { exact: true }).isDisabled()).toBe(true);
    await page
      .getByRole("alert")
      .getByRole("link", {
        name: "L'élément a été créé et conservé : choisissez ici un autre fichier pour lui, ou ouvrez l'élément.",
      })
      .click();
    await page.waitForURL(/\/fr\/editor\/items\/\d+$/);
    const refusedItem = Number(/items\/(\d+)/.exec(page.url())![1]);
    const processing = page.getByRole("region", { name: "Traitement" });
    await processing.locator(".status.failed").waitFor();
    await processing.locator("form[data-master-upload]:not([hidden])").waitFor();
    expect(await page.getByText("nécessite JavaScript").isVisible()).toBe(false);
    await expectAccessible(page, "item page, master refused (fr)");
    const itemCount = async () =>
      (await t.db.query<{ n: number }>("SELECT count(*)::int AS n FROM media_items"))[0]!.n;
    const itemsBefore = await itemCount();
    await processing.getByLabel("Fichier master").setInputFiles((await h264Master({ seconds: 2 })).path);
    await processing.getByRole("button", { name: "Téléverser", exact: true }).click();
    // The page is shown again, with the new master in processing, and says so.
    await page.getByText("Envoi terminé : le fichier est le master de cet élément").waitFor();
    expect(await processing.locator(".status.failed").count()).toBe(0);
    // The same item, not a new one.
    expect(await itemCount()).toBe(itemsBefore);
    const [row] = await t.db.query<{ status: string }>("SELECT status FROM media_items WHERE id = $1", [
      refusedItem,
    ]);
    expect(row?.status).not.toBe("failed");
    const deadline = Date.now() + PROCESSING_TIMEOUT_MS;
    await page.reload();
    while (!(await processing.locator(".status.ready").isVisible())) {
      expect(Date.now(), "processing took too long").toBeLessThan(deadline);
      await page.waitForTimeout(500);
      await page.reload();
    }
    // Ready: the page no longer offers to upload a master.
    expect(await processing.locator("form[data-master-upload]").count()).toBe(0);

    // Refused again on the upload page, then another file in the same form: the same item, not a
    // second one left beside a failed draft (found by hand).
    await page.goto(`${base}/fr/editor/upload`);
    await page.getByLabel("Événement", { exact: true }).selectOption("fisheries-council");
    await page.getByLabel("Fichier master").setInputFiles({
      name: "again.mxf",
      mimeType: "application/mxf",
      buffer: readFileSync(await jpegNamedMxf()),
    });
    await page.getByRole("button", { name: "Créer l'élément et téléverser" }).click();
    await page.getByRole("alert").getByText("L'envoi de again.mxf a été refusé").waitFor();
    const afterRefusal = await itemCount();
    await page.getByLabel("Fichier master").setInputFiles((await h264Master({ seconds: 2 })).path);
    await page.getByRole("button", { name: "Créer l'élément et téléverser" }).click();
    await page.locator("[data-upload-done]:not([hidden])").waitFor();
    expect(await itemCount()).toBe(afterRefusal);
  });

  it("says at once, without trying again, that an item whose master came meanwhile takes no other", async () => {
    const page = await logIn("bureau@org.example", "editor", "/fr/editor");
    const id = await page.evaluate(async () => {
      const response = await fetch("/api/v1/items", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ event: "fisheries-council", type: "video", title: { fr: "Point presse" } }),
      });
      return ((await response.json()) as { id: number }).id;
    });
    await page.goto(`${base}/fr/editor/items/${id}`);
    const processing = page.getByRole("region", { name: "Traitement" });
    await processing.locator("form[data-master-upload]:not([hidden])").waitFor();
    // Its master comes another way while this page is open (another tab, another editor, the CLI).
    const master = await h264Master({ seconds: 2 });
    await acceptMaster(t.deps, { file: master.path, originalName: "autre.mp4", target: { itemId: id } });

    const creations: string[] = [];
    page.on("request", (request) => {
      if (request.method() === "POST" && request.url().endsWith("/api/v1/uploads"))
        creations.push(request.url());
    });
    await processing.getByLabel("Fichier master").setInputFiles(master.path);
    await processing.getByRole("button", { name: "Téléverser", exact: true }).click();
    // Refused when the upload is created, before any byte: the reason, in the page's language.
    await page
      .getByRole("alert")
      .getByText(
        "a été refusé : Cet élément ne peut pas recevoir d’autre fichier master. Son master est en place et son traitement n’a pas échoué",
      )
      .waitFor();
    // tus-js-client tries a 409 again by itself (tus's offset conflict); the portal's refusal is not.
    await page.waitForTimeout(1500);
    expect(creations).toHaveLength(1);
    expect(await page.getByRole("alert").getByRole("link").count()).toBe(0);
    await expectAccessible(page, "item page, upload refused: master meanwhile (fr)");
  });

  it("lets a media user find it by a word of its transcript in English and in French, and play from that sentence", async () => {
    expect(itemId, "the upload step ran").toBeGreaterThan(0);
    const page = await logIn("journalist@news.example", "media", "/en/search");

    const findAndPlay = async (
      lang: "en" | "fr",
      typed: string,
      sentence: string,
      start: number,
      labels: { search: string; submit: string },
    ) => {
      await page.goto(`${base}/${lang}/search`);
      await page.getByLabel(labels.search).fill(typed);
      await page.getByRole("button", { name: labels.submit, exact: true }).click();
      const hit = page.locator("ul.hits a", { hasText: sentence.split(" ").slice(0, 3).join(" ") });
      await hit.waitFor();
      await expectAccessible(page, `search results (${lang})`);
      await hit.click();
      await page.waitForURL(new RegExp(`/${lang}/items/${itemId}\\?t=`));
      await page.locator("[data-player-controls]:not([hidden])").waitFor();
      // The player shows the sentence's first frame, on the master's clock (01:00:00:00 at 25 fps).
      const frame = Math.floor(start / FRAME + 1e-6);
      const label = `01:00:${String(Math.floor(frame / 25)).padStart(2, "0")}:${String(frame % 25).padStart(2, "0")}`;
      await page.waitForFunction(
        (shown) => document.querySelector("output[data-timecode]")?.textContent === shown,
        label,
      );
      const current = page.locator('a.sentence[aria-current="true"]');
      await current.waitFor();
      expect(await current.textContent()).toBe(sentence);
      await expectAccessible(page, `item page (${lang})`);
    };

    await findAndPlay("en", "fisheries", "The ministers welcomed the fisheries agreement.", 1, {
      search: "Search videos, photos and transcripts",
      submit: "Search",
    });
    // Typed without its accents: unaccent finds "énergétique".
    await findAndPlay("fr", "energetique", "Nous avons parlé de sécurité énergétique.", 3.48, {
      search: "Rechercher des vidéos, photos et transcriptions",
      submit: "Rechercher",
    });
  });
});
