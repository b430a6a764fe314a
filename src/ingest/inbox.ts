import { type FSWatcher, watch } from "node:fs";
import { mkdir, readdir, readFile, rename, rm } from "node:fs/promises";
import { UserError } from "../core/errors.ts";
import { type ImportRequest, importFile } from "./import-file.ts";
import {
  claimedFile,
  type InboxRequest,
  type InboxResult,
  inboxDir,
  requestFile,
  resultFile,
  writeAtomically,
} from "./inbox-files.ts";
import type { IngestDeps } from "./items.ts";

// fs.watch misses events on some filesystems (network mounts); a slow poll catches those.
const POLL_MS = 1000;

/**
 * The portal's side of the CLI hand-off (inbox-files.ts): takes each request dropped in
 * DATA_DIR/inbox, does what the CLI would have done on the database (import a file, or one of
 * `commands`, which app/ wires: `event:add`), and answers with a result file.
 * One request at a time; an import queues processing like any upload.
 */
export type InboxCommands = Record<string, (payload: unknown) => Promise<unknown>>;

export async function startIngestInbox(
  deps: IngestDeps,
  commands: InboxCommands = {},
): Promise<{ close(): Promise<void> }> {
  const handlers: InboxCommands = {
    ...commands,
    ingest: (payload) => importFile(deps, payload as ImportRequest),
  };
  const dir = inboxDir(deps.config.dataDir);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  // A claim left by a portal that died mid-import has no CLI waiting any more.
  for (const name of await readdir(dir))
    if (name.endsWith(".claimed.json")) await rm(`${dir}/${name}`, { force: true });

  let running: Promise<void> | null = null;
  let again = false;
  let closed = false;
  const drain = async () => {
    do {
      again = false;
      for (const name of (await readdir(dir)).sort()) {
        const id = /^([\w-]+)\.request\.json$/.exec(name)?.[1];
        if (id && !closed) await take(deps, handlers, dir, id);
      }
    } while (again && !closed);
  };
  const wake = () => {
    if (closed) return;
    if (running) {
      again = true;
      return;
    }
    running = drain()
      .catch((error: unknown) => deps.log.error({ err: error }, "ingest inbox"))
      .finally(() => {
        running = null;
      });
  };
  let watcher: FSWatcher | null = null;
  try {
    watcher = watch(dir, wake);
  } catch {
    watcher = null;
  }
  const poll = setInterval(wake, POLL_MS);
  poll.unref();
  wake();
  return {
    async close() {
      closed = true;
      watcher?.close();
      clearInterval(poll);
      await running;
    },
  };
}

async function take(deps: IngestDeps, handlers: InboxCommands, dir: string, id: string): Promise<void> {
  try {
    await rename(requestFile(dir, id), claimedFile(dir, id));
  } catch {
    return; // the CLI took it back (the portal looked stopped) or another pass claimed it
  }
  let result: InboxResult;
  try {
    const request = JSON.parse(await readFile(claimedFile(dir, id), "utf8")) as InboxRequest;
    const handler = handlers[request.command];
    if (!handler) throw new Error(`this portal does not know the command ${request.command}`);
    const answer = await handler(request.payload);
    result = { ok: true, answer };
    deps.log.info({ command: request.command, answer }, "did the work the command line handed over");
  } catch (error) {
    result =
      error instanceof UserError
        ? { ok: false, error: { code: error.code, params: error.params, fields: error.fields } }
        : { ok: false, error: { code: "internal", message: String(error) } };
  }
  await writeAtomically(resultFile(dir, id), result);
  await rm(claimedFile(dir, id), { force: true });
}
