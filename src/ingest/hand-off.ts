import { randomUUID } from "node:crypto";
import { readFile, rm, unlink } from "node:fs/promises";
import { UserError } from "../core/errors.ts";
import { dataDirHolder } from "../db/data-dir-lock.ts";
import { ImportCommandError } from "./import-file.ts";
import {
  type InboxRequest,
  type InboxResult,
  inboxDir,
  requestFile,
  resultFile,
  writeAtomically,
} from "./inbox-files.ts";

const POLL_MS = 200;
// Probing and copying a 20 GB master into storage takes minutes, not hours.
const WAIT_MS = 60 * 60 * 1000;

/**
 * The CLI's side of the hand-off: drops the request in the running portal's inbox and waits for
 * its answer (of type T, as the command's handler in the portal gives it). Returns null when the
 * portal stopped before taking the request (the request is withdrawn, and the caller can then
 * open the database itself).
 */
export async function handOffToPortal<T>(dataDir: string, request: InboxRequest): Promise<T | null> {
  const dir = inboxDir(dataDir);
  const id = randomUUID();
  await writeAtomically(requestFile(dir, id), request);
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    const result = await readResult(dir, id);
    if (result) return unwrap<T>(result);
    if (dataDirHolder(dataDir) === null) {
      const withdrawn = await unlink(requestFile(dir, id)).then(
        () => true,
        () => false,
      );
      if (withdrawn) return null;
      // Taken just before the portal stopped: its answer may still have been written.
      const late = await readResult(dir, id);
      if (late) return unwrap<T>(late);
      throw new ImportCommandError(
        "The portal stopped while doing the work. Start it again and look for the result, or run the command again.",
      );
    }
    if (Date.now() > deadline) {
      await rm(requestFile(dir, id), { force: true });
      throw new ImportCommandError("The running portal did not answer within an hour; look at its log.");
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

async function readResult(dir: string, id: string): Promise<InboxResult | null> {
  let text: string;
  try {
    text = await readFile(resultFile(dir, id), "utf8");
  } catch {
    return null;
  }
  await rm(resultFile(dir, id), { force: true });
  return JSON.parse(text) as InboxResult;
}

function unwrap<T>(result: InboxResult): T {
  if (result.ok) return result.answer as T;
  if (result.error.code === "internal") {
    throw new ImportCommandError(`The portal could not do it: ${result.error.message}`);
  }
  throw new UserError(result.error.code, result.error.params, result.error.fields);
}
