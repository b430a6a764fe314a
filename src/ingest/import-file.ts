import { access, readFile } from "node:fs/promises";
import path from "node:path";
import { parseArgs } from "node:util";
import { deleteItem, findItem, setItemStatus } from "../catalogue/item-store.ts";
import { findMaster } from "../catalogue/media-store.ts";
import { statusReason } from "../catalogue/status-reason.ts";
import { parseTranscript } from "../catalogue/transcript-formats.ts";
import type { TranscriptSegment } from "../catalogue/types.ts";
import { argsProblem } from "../core/cli-args.ts";
import { UserError } from "../core/errors.ts";
import { otherLanguageOfText, withSpokenLanguages } from "../editor/spoken-language.ts";
import { splitTurns } from "../editor/transcript-text.ts";
import { MAX_ALIGN_TEXT_CHARS } from "../media/align/index.ts";
import { isLang, type Lang } from "../web/i18n.ts";
import { type AcceptInput, acceptMaster } from "./accept.ts";
import { mediaTypeByName } from "./identify.ts";
import { createItemFromFields, type IngestDeps, type ItemFields } from "./items.ts";
import { findImportedFile, recordImportedFile } from "./store.ts";

/** `ingest FILE --event SLUG ...` once read: everything the portal needs, with absolute paths. */
export type ImportRequest = {
  file: string;
  event: string;
  kind?: string;
  /** `--title`, in `lang`. */
  title?: string;
  /** `import DIR`'s titles in both languages. */
  titles?: { en?: string; fr?: string };
  description?: { en?: string; fr?: string };
  /** An ISO 8601 instant (the request travels as JSON through the inbox). */
  recordedAt?: string;
  /** The transcript's language. */
  lang: Lang;
  transcript?: TranscriptSegment[];
  /** A plain-text transcript (.txt), timed against the video once it is in (issue 11). */
  alignText?: string;
  /** Published as soon as its processing completes. */
  publish?: boolean;
  /** `import DIR`: the file's SHA-256, under which the import is recorded (import-record.ts). */
  sha256?: string;
};

/** What became of one request: `skipped` when `import DIR` had already taken the same file in. */
export type ImportOutcome = { id: number; status: string; mediaType: string; skipped?: true };

/** A mistake on the command line: one sentence for the operator. */
export class ImportCommandError extends Error {}

export const importUsage =
  'ingest FILE --event SLUG [--title "..."] [--kind press-conference] [--lang en|fr] [--transcript FILE.vtt|.srt|.txt] [--publish]';

/** Reads the arguments, checks the file is there and parses the transcript (its errors come now, with line numbers). */
export async function readImportArgs(args: string[], cwd = process.cwd()): Promise<ImportRequest> {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(args);
  } catch (error) {
    throw new ImportCommandError(`${argsProblem(error)}\nUsage: ${importUsage}`);
  }
  const { values, positionals } = parsed;
  if (positionals.length !== 1) throw new ImportCommandError(`Give exactly one file.\nUsage: ${importUsage}`);
  if (!values.event) throw new ImportCommandError(`--event is required.\nUsage: ${importUsage}`);
  const lang = values.lang ?? "en";
  if (!isLang(lang)) throw new ImportCommandError(`--lang must be en or fr, got "${lang}"`);
  const file = path.resolve(cwd, positionals[0]!);
  await readable(file);
  const request: ImportRequest = { file, event: values.event, lang };
  if (values.kind) request.kind = values.kind;
  if (values.title) request.title = values.title;
  if (values.publish) request.publish = true;
  if (values.transcript) {
    Object.assign(
      request,
      await readTranscriptFile(path.resolve(cwd, values.transcript), lang, values.transcript),
    );
  }
  return request;
}

/**
 * A transcript file, checked now so its errors come before anything is imported: a .txt is kept
 * as delivered (timed by the portal against the speech), a .vtt or .srt is parsed with line numbers.
 */
export async function readTranscriptFile(
  file: string,
  lang: Lang,
  shownName: string,
): Promise<Pick<ImportRequest, "transcript" | "alignText">> {
  await readable(file);
  const ext = path.extname(file).toLowerCase();
  const text = await readFile(file, "utf8");
  if (ext === ".txt") {
    if (text.trim() === "") throw new ImportCommandError(`${shownName} is empty.`);
    if (text.length > MAX_ALIGN_TEXT_CHARS) {
      throw new ImportCommandError(
        `${shownName} has ${text.length} characters; at most ${MAX_ALIGN_TEXT_CHARS} can be timed.`,
      );
    }
    // Timed in its own language's voice, a French text given as English would be stored as English.
    const other = otherLanguageOfText(splitTurns(text, lang), lang);
    if (other) {
      const name = other === "fr" ? "French" : "English";
      throw new ImportCommandError(`${shownName} is in ${name}: give --lang ${other}.`);
    }
    return { alignText: text };
  }
  const format = ext === ".vtt" ? "vtt" : ext === ".srt" ? "srt" : "auto";
  // Each cue with the language it is said in, as the editor's upload stores it.
  return { transcript: withSpokenLanguages(parseTranscript(text, { format, lang }), lang) };
}

/** The import itself, run by the CLI on its own database or by the portal for it (inbox.ts). */
export async function importFile(deps: IngestDeps, request: ImportRequest): Promise<ImportOutcome> {
  if (request.sha256) return importRecorded(deps, { ...request, sha256: request.sha256 });
  const item = await acceptMaster(deps, acceptInput(request, { fields: itemFields(request) }));
  return { id: item.id, status: item.status, mediaType: item.mediaType };
}

export function itemFields(request: ImportRequest): ItemFields {
  return {
    event: request.event,
    ...(request.kind ? { kind: request.kind } : {}),
    title: { ...request.titles, ...(request.title ? { [request.lang]: request.title } : {}) },
    ...(request.description ? { description: request.description } : {}),
    ...(request.recordedAt ? { recordedAt: new Date(request.recordedAt) } : {}),
  };
}

export function acceptInput(request: ImportRequest, target: AcceptInput["target"]): AcceptInput {
  return {
    file: request.file,
    originalName: path.basename(request.file),
    target,
    ...(request.transcript ? { transcript: request.transcript } : {}),
    ...(request.alignText ? { alignText: { lang: request.lang, text: request.alignText } } : {}),
    ...(request.publish ? { publishWhenReady: true } : {}),
  };
}

/**
 * One file of `import DIR`, recorded under its content hash so that running the import again skips
 * it. The item is made and the file recorded in one transaction before the master goes in; after
 * a crash the next run finds the record and finishes that item (it has no master yet, or its
 * processing failed), so a file never becomes two items. A file refused as a master (not a video
 * or photo) leaves nothing: its item and record go.
 */
async function importRecorded(deps: IngestDeps, request: ImportRequest & { sha256: string }) {
  const recorded = await findImportedFile(deps.db, request.sha256);
  const item = recorded ? await findItem(deps.db, recorded.itemId) : null;
  if (item && (item.status === "processing" || item.status === "ready")) {
    return { id: item.id, status: item.status, mediaType: item.mediaType, skipped: true } as const;
  }
  let id = item?.id;
  if (id !== undefined) {
    // Cut off between storing the master and queueing it: acceptMaster takes a master again only after a failure.
    if (await findMaster(deps.db, id)) {
      await setItemStatus(
        deps.db,
        id,
        "failed",
        statusReason("ingest.reason.import_interrupted"),
        deps.now(),
      );
    }
  } else {
    id = await deps.db.transaction(async (tx) => {
      const made = await createItemFromFields(
        { db: tx, now: deps.now },
        itemFields(request),
        mediaTypeByName(request.file),
        "uploaded",
      );
      const fileName = path.basename(request.file);
      await recordImportedFile(tx, { sha256: request.sha256, itemId: made.id, fileName }, deps.now());
      return made.id;
    });
  }
  try {
    const accepted = await acceptMaster(deps, acceptInput(request, { itemId: id }));
    return { id: accepted.id, status: accepted.status, mediaType: accepted.mediaType };
  } catch (error) {
    if (error instanceof UserError && !item) await deleteItem(deps.db, id);
    throw error;
  }
}

function parse(args: string[]) {
  return parseArgs({
    args,
    allowPositionals: true,
    options: {
      event: { type: "string" },
      title: { type: "string" },
      kind: { type: "string" },
      lang: { type: "string" },
      transcript: { type: "string" },
      publish: { type: "boolean" },
    },
  });
}

async function readable(file: string): Promise<void> {
  try {
    await access(file);
  } catch {
    throw new ImportCommandError(`No file at ${file}`);
  }
}
