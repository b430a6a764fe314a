import { escapeHtml, Html } from "../web/html.ts";

/**
 * ts_headline returns the stored text as is, with our markers around the matches: it is
 * untrusted text. The markers are control characters no text holds (the SQL strips them from
 * the input first), so everything is escaped and only balanced marker pairs become <mark>.
 */
export const START_MARK = "\u0002";
export const STOP_MARK = "\u0003";

/** The options for ts_headline that put our markers around matches; `extra` as "MaxWords=30". */
export function headlineOptionsSql(extra = ""): string {
  return `'StartSel=' || chr(2) || ',StopSel=' || chr(3)${extra ? ` || ',${extra}'` : ""}`;
}

/**
 * The text search configuration of a sentence row aliased `row`: the language it is said in
 * (migration 018), as its `tsv` was built with.
 */
export function sentenceConfigSql(row: string): string {
  return `CASE WHEN coalesce(${row}.spoken_lang, ${row}.lang) = 'fr' THEN 'pr_french'::regconfig ELSE 'pr_english'::regconfig END`;
}

/** The source text for ts_headline, without any marker characters it might hold. */
export function headlineSourceSql(column: string): string {
  return `translate(${column}, chr(2) || chr(3), '')`;
}

// Built from the constants so the markers are written once.
const markerPattern = new RegExp(`([${START_MARK}${STOP_MARK}])`);

export function markedHtml(headline: string): Html {
  let out = "";
  let open = false;
  for (const part of headline.split(markerPattern)) {
    if (part === START_MARK) {
      if (!open) out += "<mark>";
      open = true;
    } else if (part === STOP_MARK) {
      if (open) out += "</mark>";
      open = false;
    } else out += escapeHtml(part);
  }
  return new Html(open ? `${out}</mark>` : out);
}

/** The headline as plain text, for JSON and feeds. */
export function plainText(headline: string): string {
  return headline.replaceAll(START_MARK, "").replaceAll(STOP_MARK, "");
}

/** Whether a headline marks any word: ts_headline returns the text's start even when none matched. */
export function hasMark(headline: string): boolean {
  return headline.includes(START_MARK);
}
