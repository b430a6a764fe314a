import { parseArgs } from "node:util";
import pino from "pino";
import { catalogueIsEmpty } from "../catalogue/item-store.ts";
import type { Config } from "../core/config.ts";
import type { FeatureDeps, OpenServices } from "../core/deps.ts";
import { dataDirHolder } from "../db/data-dir-lock.ts";
import { shortDemo } from "./generate.ts";
import { type LoadDemoOptions, type LoadDemoResult, loadDemoContent } from "./load.ts";

/** A mistake on the command line, or a portal in the way: one sentence for the operator. */
export class DemoCommandError extends Error {}

export const demoUsage = "demo [--short] [--media-dir DIR]";

/**
 * `demo`: generates the demo media and loads the two demo events; their processing is queued
 * for the portal or a worker. Prints what it did. Running it again adds nothing.
 */
export async function runDemoCommand(
  config: Config,
  args: string[],
  openServices: OpenServices,
): Promise<{ events: LoadDemoResult["events"]; itemsCreated: number }> {
  const options = readDemoArgs(args);
  const holder = config.databaseUrl ? null : dataDirHolder(config.dataDir);
  if (holder !== null && holder !== process.pid) {
    throw new DemoCommandError(
      `The portal (pid ${holder}) holds ${config.dataDir}: it loads the demo by itself when the catalogue is ` +
        "empty; otherwise stop it and run this command again.",
    );
  }
  // stdout carries the JSON answer only; progress goes to stderr.
  const { deps, close } = await openServices(config, pino({ level: "info" }, pino.destination(2)));
  try {
    const result = await loadDemoContent(deps, options);
    return { events: result.events, itemsCreated: result.itemsCreated };
  } finally {
    await close();
  }
}

/**
 * For the portal at start, when nothing is in the catalogue yet. On the embedded database (a
 * new data folder: someone trying Pressroom) it loads the demo, so a first look shows
 * something. On PostgreSQL (a real deployment) it only says how, since an organisation's
 * own portal must not fill itself with a fictional alliance. Null when nothing was loaded.
 */
export async function loadDemoIfEmpty(
  deps: FeatureDeps,
  options: LoadDemoOptions = {},
): Promise<LoadDemoResult | null> {
  if (!deps.config.demoContent || !(await catalogueIsEmpty(deps.db))) return null;
  if (deps.config.databaseUrl) {
    deps.log.info({}, "The catalogue is empty. To load demo content: npm run cli -- demo");
    return null;
  }
  deps.log.info(
    {},
    "The catalogue is empty: loading demo content (generating its media takes about a minute)",
  );
  return loadDemoContent(deps, options);
}

function readDemoArgs(args: string[]): LoadDemoOptions {
  try {
    const { values } = parseArgs({
      args,
      options: { short: { type: "boolean", default: false }, "media-dir": { type: "string" } },
    });
    return {
      ...(values["media-dir"] ? { mediaDir: values["media-dir"] } : {}),
      ...(values.short ? { generate: shortDemo } : {}),
    };
  } catch (error) {
    throw new DemoCommandError(`${(error as Error).message}\nUsage: ${demoUsage}`);
  }
}
