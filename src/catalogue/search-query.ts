/**
 * What a user types in the search box, read the way web search engines taught them:
 * words (all of them must occur in the item), "quoted phrases" (as written), -word or -"phrase"
 * (must not occur) and OR between two words or phrases (either will do). Anything else is text:
 * an unbalanced quote runs to the end, operators alone are ignored, control characters are spaces.
 * The words become SQL only as parameters (searchQuerySql).
 */

export type Term = { text: string; phrase: boolean };

export type ParsedQuery = {
  /** Each clause must match; a clause matches when any of its terms does. */
  clauses: Term[][];
  excluded: Term[];
  /** The query had more than MAX_TERMS terms (or MAX_QUERY_CHARS characters): the rest was ignored. */
  truncated: boolean;
};

/** Enough for any question; each term costs an index lookup, so a 1,000-word paste is cut here. */
export const MAX_TERMS = 12;
export const MAX_QUERY_CHARS = 400;
const MAX_TERM_CHARS = 100;

// Word characters: letters and digits of any script. A token without one ("-", "&", "…") is noise.
const wordChar = /[\p{L}\p{N}]/u;
// Control characters and the separators that are not spaces become spaces; so do < and >, which
// the database's parser would read as markup around a word ("<script>" would search nothing).
const controls = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}<>]/gu;

export function parseQuery(input: string): ParsedQuery {
  const cleaned = input.replace(controls, " ");
  let truncated = cleaned.length > MAX_QUERY_CHARS;
  const text = cleaned.slice(0, MAX_QUERY_CHARS);
  const clauses: Term[][] = [];
  const excluded: Term[] = [];
  let count = 0;
  let joinNext = false;
  let i = 0;
  while (i < text.length) {
    const c = text[i] as string;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    let negated = false;
    if (c === "-" && i + 1 < text.length && !/\s/.test(text[i + 1] as string)) {
      negated = true;
      i++;
    }
    let raw: string;
    let phrase = false;
    if (text[i] === '"') {
      const close = text.indexOf('"', i + 1);
      const end = close === -1 ? text.length : close;
      raw = text.slice(i + 1, end);
      phrase = true;
      i = end + 1;
    } else {
      let end = i;
      while (end < text.length && !/\s/.test(text[end] as string) && text[end] !== '"') end++;
      raw = text.slice(i, end);
      i = end;
    }
    if (!phrase && !negated && (raw === "OR" || raw === "|")) {
      joinNext = clauses.length > 0;
      continue;
    }
    const words = raw.trim().replace(/\s+/g, " ").slice(0, MAX_TERM_CHARS);
    if (!wordChar.test(words)) {
      joinNext = false;
      continue;
    }
    if (count === MAX_TERMS) {
      truncated = true;
      break;
    }
    count++;
    // A phrase of one word is that word: stop-word rules and stemming apply as to any word.
    const term = { text: words, phrase: phrase && words.includes(" ") };
    if (negated) excluded.push(term);
    else if (joinNext) (clauses[clauses.length - 1] as Term[]).push(term);
    else clauses.push([term]);
    joinNext = false;
  }
  return { clauses, excluded, truncated };
}

/** The query as a user would write it back (for links and the search box). */
export function formatQuery(query: ParsedQuery): string {
  const term = (t: Term) => (t.phrase ? `"${t.text}"` : t.text);
  return [
    ...query.clauses.map((clause) => clause.map(term).join(" OR ")),
    ...query.excluded.map((t) => `-${term(t)}`),
  ].join(" ");
}

/**
 * The tsquery expressions for a parsed query, with its terms as parameters numbered from
 * `firstParam`: `all` is what an item must match, `any` marks the sentences that hold any
 * wanted word (to explain a result). The wanted terms are numbered first, so a statement that
 * uses only `any` passes `anyParams` (the words to leave out are not its parameters).
 */
export function searchQuerySql(
  query: ParsedQuery,
  firstParam: number,
): { all: string; any: string; params: string[]; anyParams: string[] } {
  const params: string[] = [];
  const termSql = (t: Term) => {
    params.push(t.text);
    return `pr_term_query($${firstParam + params.length - 1}::text, ${t.phrase ? "true" : "false"})`;
  };
  const clauses = query.clauses.map((clause) => clause.map(termSql));
  const anyParams = [...params];
  const excluded = query.excluded.map(termSql);
  const all = [
    ...clauses.map((terms) => `(${terms.join(" || ")})`),
    ...excluded.map((term) => `(!!${term})`),
  ].join(" && ");
  const any = clauses.flat().join(" || ");
  return { all: all || "''::tsquery", any: any || "''::tsquery", params, anyParams };
}
