import { access, readFile } from "node:fs/promises";
import path from "node:path";
import { parseArgs } from "node:util";
import { parseTranscript } from "../catalogue/transcript-formats.ts";
import type { TranscriptSegment } from "../catalogue/types.ts";
import { MAX_ALIGN_TEXT_CHARS } from "../media/align/index.ts";
import { isLang, type Lang } from "../web/i18n.ts";
import { type AcceptedItem, acceptMaster } from "./accept.ts";
import type { IngestDeps } from "./items.ts";

/** `ingest FILE --event SLUG ...` once read: everything the portal needs, with absolute paths. */
export type ImportRequest = {
  file: string;
  event: string;
  kind?: string;
  title?: string;
  lang: Lang;
  transcript?: TranscriptSegment[];
  /** A plain-text transcript (.txt), timed against the video once it is in (issue 11). */
  alignText?: string;
};

/** A mistake on the command line: one sentence for the operator. */
export class ImportCommandError extends Error {}

export const importUsage =
  'ingest FILE --event SLUG [--title "..."] [--kind press-conference] [--lang en|fr] [--transcript FILE.vtt|.srt|.txt]';

/** Reads the arguments, checks the file is there and parses the transcript (its errors come now, with line numbers). */
export async function readImportArgs(args: string[], cwd = process.cwd()): Promise<ImportRequest> {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(args);
  } catch (error) {
    throw new ImportCommandError(`${(error as Error).message}\nUsage: ${importUsage}`);
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
  if (values.transcript) {
    const transcriptFile = path.resolve(cwd, values.transcript);
    await readable(transcriptFile);
    const ext = path.extname(transcriptFile).toLowerCase();
    if (ext === ".txt") {
      // As-delivered text: kept as it is, timed by the portal against the video's speech.
      const text = await readFile(transcriptFile, "utf8");
      if (text.trim() === "") throw new ImportCommandError(`${values.transcript} is empty.`);
      if (text.length > MAX_ALIGN_TEXT_CHARS) {
        throw new ImportCommandError(
          `${values.transcript} has ${text.length} characters; at most ${MAX_ALIGN_TEXT_CHARS} can be timed.`,
        );
      }
      request.alignText = text;
      return request;
    }
    const format = ext === ".vtt" ? "vtt" : ext === ".srt" ? "srt" : "auto";
    request.transcript = parseTranscript(await readFile(transcriptFile, "utf8"), { format, lang });
  }
  return request;
}

/** The import itself, run by the CLI on its own database or by the portal for it (inbox.ts). */
export function importFile(deps: IngestDeps, request: ImportRequest): Promise<AcceptedItem> {
  return acceptMaster(deps, {
    file: request.file,
    originalName: path.basename(request.file),
    target: {
      fields: {
        event: request.event,
        ...(request.kind ? { kind: request.kind } : {}),
        ...(request.title ? { title: { [request.lang]: request.title } } : {}),
      },
    },
    ...(request.transcript ? { transcript: request.transcript } : {}),
    ...(request.alignText ? { alignText: { lang: request.lang, text: request.alignText } } : {}),
  });
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
