import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { CsvError } from "csv-parse";
import { parse as parseCsv } from "csv-parse/sync";
import { mediaKinds } from "../catalogue/types.ts";
import { UserError } from "../core/errors.ts";
import { errorMessage } from "../web/error-handler.ts";
import { isLang } from "../web/i18n.ts";
import { ImportCommandError, type ImportRequest, readTranscriptFile } from "./import-file.ts";

/**
 * The metadata of `import DIR`, read and checked in full before anything is imported: either one
 * CSV file in the folder (a line per master), or for each master `x.mxf` a sidecar `x.json`.
 * Every problem is reported with where it is (file, line, column); one problem and nothing is imported.
 */
export type FolderPlan = {
  /** One per master, in the order found (CSV lines, or file names). */
  entries: { name: string; request: ImportRequest }[];
  /** Files in the folder that no metadata describes: left alone, and said so. */
  ignored: string[];
};

export class ImportFolderProblems extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join("\n"));
  }
}

const transcriptExtensions = new Set([".txt", ".vtt", ".srt"]);
const csvColumns = [
  "file",
  "event",
  "title_en",
  "title_fr",
  "description_en",
  "description_fr",
  "recorded_at",
  "transcript",
  "lang",
  "kind",
  "publish",
] as const;
type CsvColumn = (typeof csvColumns)[number];
const requiredCsvColumns: CsvColumn[] = ["file", "event"];

/** The metadata as typed, before checks: what a CSV line and a JSON sidecar both come to. */
type Described = {
  where: string;
  file: string;
  event: unknown;
  title: { en?: unknown; fr?: unknown };
  description: { en?: unknown; fr?: unknown };
  recordedAt: unknown;
  transcript: unknown;
  lang: unknown;
  kind: unknown;
  publish: unknown;
};

export async function readImportFolder(dir: string): Promise<FolderPlan> {
  const names = (await readdir(dir, { withFileTypes: true }))
    .filter((entry) => entry.isFile() && !entry.name.startsWith("."))
    .map((entry) => entry.name)
    .sort();
  const problems: string[] = [];
  const csvFiles = names.filter((name) => path.extname(name).toLowerCase() === ".csv");
  const csv = csvFiles.includes("import.csv") ? "import.csv" : csvFiles.length === 1 ? csvFiles[0] : null;
  if (csvFiles.length > 1 && !csv) {
    throw new ImportFolderProblems([
      `The folder has ${csvFiles.length} CSV files (${csvFiles.join(", ")}): keep one, or name the one to use import.csv.`,
    ]);
  }
  const described = csv ? await readCsv(dir, csv, problems) : await readSidecars(dir, names, problems);
  const entries: FolderPlan["entries"] = [];
  const seen = new Map<string, string>();
  for (const item of described) {
    const request = await checked(dir, item, names, problems);
    const earlier = seen.get(item.file);
    if (earlier) problems.push(`${item.where}: ${item.file} is already described at ${earlier}.`);
    seen.set(item.file, item.where);
    if (request) entries.push({ name: item.file, request });
  }
  // In the file's order: a line's shape (read first) and its values (checked after) together.
  const lineOf = (problem: string) => Number(/ line (\d+)/.exec(problem)?.[1] ?? 0);
  if (problems.length > 0) throw new ImportFolderProblems(problems.sort((a, b) => lineOf(a) - lineOf(b)));
  const used = new Set([...(csv ? [csv] : []), ...described.flatMap((d) => [d.file, sidecarOf(d.file)])]);
  for (const d of described) if (typeof d.transcript === "string") used.add(d.transcript);
  const ignored = names.filter((name) => !used.has(name) && !isMetadataFile(name));
  return { entries, ignored };
}

async function readCsv(dir: string, csv: string, problems: string[]): Promise<Described[]> {
  let rows: { record: string[]; info: { lines: number } }[];
  try {
    // With `info`, each record comes with its line number (the type does not follow the option).
    rows = parseCsv(await readFile(path.join(dir, csv), "utf8"), {
      bom: true,
      info: true,
      relax_column_count: true,
      skip_empty_lines: true,
      trim: true,
    }) as unknown as { record: string[]; info: { lines: number } }[];
  } catch (error) {
    if (!(error instanceof CsvError)) throw error;
    problems.push(`${csv} line ${(error as CsvError & { lines?: number }).lines ?? "?"}: ${error.message}`);
    return [];
  }
  const [header, ...lines] = rows;
  if (!header) {
    problems.push(`${csv} is empty: its first line names the columns (${csvColumns.join(",")}).`);
    return [];
  }
  const columns = header.record.map((name) => name.toLowerCase());
  const unknown = columns.filter((name) => !(csvColumns as readonly string[]).includes(name));
  for (const name of unknown) {
    problems.push(`${csv} line 1: unknown column "${name}" (the columns are ${csvColumns.join(",")}).`);
  }
  for (const name of requiredCsvColumns.filter((c) => !columns.includes(c))) {
    problems.push(`${csv} line 1: the column "${name}" is missing.`);
  }
  if (problems.length > 0) return [];
  const described: Described[] = [];
  for (const { record, info } of lines) {
    const where = `${csv} line ${info.lines}`;
    if (record.length !== columns.length) {
      problems.push(`${where}: ${record.length} values, but the first line names ${columns.length} columns.`);
      continue;
    }
    const value = (name: CsvColumn) => {
      const v = record[columns.indexOf(name)];
      return v === undefined || v === "" ? undefined : v;
    };
    const file = value("file");
    if (!file) {
      problems.push(`${where}, column file: the master's file name is missing.`);
      continue;
    }
    described.push({
      where,
      file,
      event: value("event"),
      title: { en: value("title_en"), fr: value("title_fr") },
      description: { en: value("description_en"), fr: value("description_fr") },
      recordedAt: value("recorded_at"),
      transcript: value("transcript"),
      lang: value("lang"),
      kind: value("kind"),
      publish: value("publish"),
    });
  }
  return described;
}

const sidecarFields = new Set([
  "event",
  "title",
  "titleEn",
  "titleFr",
  "description",
  "recordedAt",
  "transcript",
  "lang",
  "kind",
  "publish",
]);

async function readSidecars(dir: string, names: string[], problems: string[]): Promise<Described[]> {
  const described: Described[] = [];
  for (const sidecar of names.filter((name) => path.extname(name).toLowerCase() === ".json")) {
    const stem = sidecar.slice(0, -".json".length);
    const masters = names.filter(
      (name) => name !== sidecar && path.parse(name).name === stem && !isMetadataFile(name),
    );
    if (masters.length !== 1) {
      problems.push(
        masters.length === 0
          ? `${sidecar}: no master named ${stem}.* next to it.`
          : `${sidecar}: more than one master named ${stem}.* (${masters.join(", ")}).`,
      );
      continue;
    }
    let json: unknown;
    try {
      json = JSON.parse(await readFile(path.join(dir, sidecar), "utf8"));
    } catch (error) {
      problems.push(`${sidecar}: not valid JSON (${(error as Error).message}).`);
      continue;
    }
    if (typeof json !== "object" || json === null || Array.isArray(json)) {
      problems.push(`${sidecar}: must hold one JSON object.`);
      continue;
    }
    const fields = json as Record<string, unknown>;
    for (const key of Object.keys(fields).filter((k) => !sidecarFields.has(k))) {
      problems.push(`${sidecar}, field ${key}: unknown (the fields are ${[...sidecarFields].join(", ")}).`);
    }
    const title = fields.title;
    const description = fields.description;
    const lang = fields.lang ?? "en";
    described.push({
      where: sidecar,
      file: masters[0]!,
      event: fields.event,
      title: isObject(title) ? title : { en: fields.titleEn, fr: fields.titleFr },
      description: isObject(description)
        ? description
        : { [typeof lang === "string" && isLang(lang) ? lang : "en"]: description },
      recordedAt: fields.recordedAt,
      transcript: fields.transcript,
      lang: fields.lang,
      kind: fields.kind,
      publish: fields.publish,
    });
  }
  return described;
}

/** The checks both forms share; the request, or null after adding the problems. */
async function checked(
  dir: string,
  d: Described,
  names: string[],
  problems: string[],
): Promise<ImportRequest | null> {
  const before = problems.length;
  const problem = (field: string, message: string) => problems.push(`${d.where}, ${field}: ${message}`);
  const isCsv = d.where.includes(" line ");
  const name = (csvName: string, jsonName: string) => (isCsv ? csvName : jsonName);
  if (!names.includes(d.file)) problem(name("column file", "master"), `no file ${d.file} in the folder.`);
  if (typeof d.event !== "string" || d.event.trim() === "") {
    problem(name("column event", "field event"), "the event's slug is missing.");
  }
  const text = (value: unknown, field: string) => {
    if (value === undefined || value === null) return undefined;
    if (typeof value === "string") return value.trim() || undefined;
    problem(field, "must be text.");
    return undefined;
  };
  const titles = {
    en: text(d.title.en, name("column title_en", "field title.en")),
    fr: text(d.title.fr, name("column title_fr", "field title.fr")),
  };
  const description = {
    en: text(d.description.en, name("column description_en", "field description")),
    fr: text(d.description.fr, name("column description_fr", "field description")),
  };
  const lang = d.lang ?? "en";
  if (typeof lang !== "string" || !isLang(lang))
    problem(name("column lang", "field lang"), "must be en or fr.");
  const kind = text(d.kind, name("column kind", "field kind"));
  if (kind && !(mediaKinds as readonly string[]).includes(kind)) {
    problem(name("column kind", "field kind"), `"${kind}" is not one of ${mediaKinds.join(", ")}.`);
  }
  const recordedAt = d.recordedAt === undefined || d.recordedAt === null ? null : readDate(d.recordedAt);
  if (recordedAt === "bad") {
    problem(
      name("column recorded_at", "field recordedAt"),
      `"${String(d.recordedAt)}" is not a date (write 2024-05-31 or 2024-05-31T14:30, UTC unless an offset is given).`,
    );
  }
  const publish = readPublish(d.publish);
  if (publish === "bad") {
    problem(
      name("column publish", "field publish"),
      `"${String(d.publish)}" is not yes or no (or true/false).`,
    );
  }
  const request: ImportRequest = {
    file: path.join(dir, d.file),
    event: typeof d.event === "string" ? d.event.trim() : "",
    lang: typeof lang === "string" && isLang(lang) ? lang : "en",
  };
  const transcript = text(d.transcript, name("column transcript", "field transcript"));
  if (transcript) {
    if (!names.includes(transcript)) {
      problem(name("column transcript", "field transcript"), `no file ${transcript} in the folder.`);
    } else {
      try {
        Object.assign(
          request,
          await readTranscriptFile(path.join(dir, transcript), request.lang, transcript),
        );
      } catch (error) {
        problem(name("column transcript", "field transcript"), transcriptProblem(error));
      }
    }
  }
  if (problems.length > before) return null;
  if (titles.en || titles.fr) request.titles = titles;
  if (description.en || description.fr) request.description = description;
  if (kind) request.kind = kind;
  if (recordedAt instanceof Date) request.recordedAt = recordedAt.toISOString();
  if (publish === true) request.publish = true;
  return request;
}

const datePattern =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/** An ISO 8601 date or date and time; a day the calendar does not have (2024-02-30) is bad. */
export function readDate(value: unknown): Date | "bad" {
  if (typeof value !== "string") return "bad";
  const match = datePattern.exec(value.trim());
  if (!match) return "bad";
  const [year, month, day, hour = "0", minute = "0"] = match.slice(1);
  const calendar = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day)));
  if (calendar.getUTCMonth() !== Number(month) - 1 || calendar.getUTCDate() !== Number(day)) return "bad";
  if (Number(hour) > 23 || Number(minute) > 59) return "bad";
  const text = value.trim().replace(" ", "T");
  const date = new Date(match[4] === undefined ? `${text}T00:00:00Z` : match[7] ? text : `${text}Z`);
  return Number.isNaN(date.getTime()) ? "bad" : date;
}

function readPublish(value: unknown): boolean | "bad" {
  if (value === undefined || value === null || typeof value === "boolean") return value === true;
  const word = String(value).trim().toLowerCase();
  if (["yes", "true", "1", "y", "oui"].includes(word)) return true;
  if (["no", "false", "0", "n", "non", ""].includes(word)) return false;
  return "bad";
}

function transcriptProblem(error: unknown): string {
  if (error instanceof ImportCommandError) return error.message;
  if (error instanceof UserError) return errorMessage("en", error.code, error.params);
  throw error;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function sidecarOf(file: string): string {
  return `${path.parse(file).name}.json`;
}

/** Sidecars, CSVs and transcripts: never masters. */
function isMetadataFile(name: string): boolean {
  const ext = path.extname(name).toLowerCase();
  return ext === ".json" || ext === ".csv" || transcriptExtensions.has(ext);
}
