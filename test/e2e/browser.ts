import fs from "node:fs";
import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { FastifyInstance } from "fastify";
import {
  type Browser,
  type BrowserContext,
  type BrowserContextOptions,
  chromium,
  type Page,
} from "playwright-core";
import { DataDirInUse, lockDataDir } from "../../src/db/data-dir-lock.ts";

/**
 * Each browser file's describe options. A page under load is slow, so a test has two minutes. One
 * retry: the frame-true preview test has once (in one of five full runs, 2026-12-04) waited in vain
 * for the player's first landing at ?t=, on a loaded machine; alone it passes. docs/STATUS.md
 * records it for investigation. (Set per file, not as a Vitest project: see vitest.config.ts.)
 */
export const BROWSER_TESTS = { timeout: 120_000, retry: 1 } as const;

/**
 * Headless Debian Chromium (or CHROMIUM_PATH), with nothing that reaches beyond localhost. One
 * browser at a time on the machine: the browser files run among the others (two files at a time),
 * and two browsers at once made the frame-timing checks flaky. The turn ends when the browser
 * closes or its process ends.
 */
export async function launchBrowser(): Promise<Browser> {
  const release = await browserTurn();
  try {
    const browser = await launch();
    browser.on("disconnected", release);
    return browser;
  } catch (error) {
    release();
    throw error;
  }
}

const TURN = path.join(
  path.dirname(fileURLToPath(import.meta.url)),
  "..",
  "..",
  ".test-data",
  "browser-turn",
);

/**
 * Waits until no other test process holds a browser, then holds it. The same pid file the portal
 * locks its data folder with (src/db/data-dir-lock.ts): made exclusively, and taken over from a
 * holder that died (a killed run), so it never blocks the next run.
 */
async function browserTurn(): Promise<() => void> {
  for (;;) {
    try {
      const unlock = lockDataDir(TURN);
      let held = true;
      const release = () => {
        if (!held) return;
        held = false;
        process.off("exit", release);
        unlock();
      };
      process.on("exit", release);
      return release;
    } catch (error) {
      if (!(error instanceof DataDirInUse)) throw error;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}

function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

/** Serves the app on a free loopback port; returns its base URL. */
export async function serve(app: FastifyInstance): Promise<string> {
  await app.listen({ port: 0, host: "127.0.0.1" });
  return `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
}

/**
 * A browser context for the portal at `base`. The portal's CSP forbids inline scripts; bypassing it
 * lets axe-core be injected. `cookie` ("name=value") logs the context in.
 */
export async function openContext(
  browser: Browser,
  base: string,
  options: BrowserContextOptions & { timeoutMs: number; cookie?: string },
): Promise<BrowserContext> {
  const { timeoutMs, cookie, ...contextOptions } = options;
  const context = await browser.newContext({ ...contextOptions, bypassCSP: true });
  context.setDefaultTimeout(timeoutMs);
  if (cookie) {
    const [name, value] = cookie.split("=") as [string, string];
    await context.addCookies([{ name, value, url: base }]);
  }
  return context;
}

const require = createRequire(import.meta.url);
let axeSource: string | undefined;

/** axe-core's minified source, read once. */
function axeScript(): string {
  axeSource ??= fs.readFileSync(path.join(path.dirname(require.resolve("axe-core")), "axe.min.js"), "utf8");
  return axeSource;
}

type AxeViolation = {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: unknown[]; failureSummary?: string }[];
};

const wcag21aa = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

/**
 * Runs axe-core on the page as it is now and fails with a readable list when any WCAG 2.1 A/AA
 * rule is violated. The page's CSP forbids inline scripts: the browser context must be opened
 * with `bypassCSP: true` for the injection to work.
 */
export async function expectAccessible(page: Page, label = page.url()): Promise<void> {
  const loaded = await page.evaluate(() => "axe" in window);
  if (!loaded) await page.addScriptTag({ content: axeScript() });
  const violations = await page.evaluate(async (tags) => {
    const axe = (window as unknown as { axe: { run(context: Document, options: object): Promise<unknown> } })
      .axe;
    const results = (await axe.run(document, { runOnly: { type: "tag", values: tags } })) as {
      violations: AxeViolation[];
    };
    return results.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => ({ target: n.target, failureSummary: n.failureSummary })),
    }));
  }, wcag21aa);
  if (violations.length === 0) return;
  const report = violations
    .map(
      (v) =>
        `- ${v.id} (${v.impact ?? "?"}): ${v.help}\n` +
        v.nodes
          .map(
            (n) =>
              `    at ${JSON.stringify(n.target)}${n.failureSummary ? `\n      ${n.failureSummary.replace(/\n/g, "\n      ")}` : ""}`,
          )
          .join("\n"),
    )
    .join("\n");
  throw new Error(`Accessibility violations (WCAG 2.1 A/AA) on ${label}:\n${report}`);
}
