import { mkdir } from "node:fs/promises";
import path from "node:path";
import writeFileAtomic from "write-file-atomic";
import type { ErrorParams, UserErrorCode } from "../core/errors.ts";

/**
 * The hand-off between `npm run cli -- ingest` and a running portal that holds the embedded
 * database. Files in DATA_DIR/inbox, each written under a temporary name and renamed (atomic):
 *   {id}.request.json   the CLI's InboxRequest: a command ("ingest", or one app/ adds) and its payload
 *   {id}.claimed.json   the portal renamed it to take it (only one taker can)
 *   {id}.result.json    the portal's answer, which the CLI reads, deletes and prints
 */
export function inboxDir(dataDir: string): string {
  return path.join(dataDir, "inbox");
}

/** Payloads and answers are JSON; each command's two sides agree on their shape. */
export type InboxRequest = { command: string; payload: unknown };

export type InboxResult =
  | { ok: true; answer: unknown }
  | { ok: false; error: { code: UserErrorCode; params: ErrorParams; fields: Record<string, string[]> } }
  | { ok: false; error: { code: "internal"; message: string } };

export const requestFile = (dir: string, id: string) => path.join(dir, `${id}.request.json`);
export const claimedFile = (dir: string, id: string) => path.join(dir, `${id}.claimed.json`);
export const resultFile = (dir: string, id: string) => path.join(dir, `${id}.result.json`);

/** Written beside the final name and renamed (write-file-atomic), so a reader never sees half a file. */
export async function writeAtomically(file: string, value: unknown): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  await writeFileAtomic(file, JSON.stringify(value), { mode: 0o600 });
}
