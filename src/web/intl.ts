import type { Lang } from "./i18n.ts";

/**
 * Intl formatters made once per locale and options, then reused.
 *
 * Each `new Intl.DateTimeFormat` / `NumberFormat` allocates ICU data outside the JavaScript heap
 * (~50–100 KB for a date format) that is freed only when its small wrapper is garbage-collected,
 * which V8 does late because it does not see that memory. A page formatting a dozen dates made
 * ~0.5 MB of it per request: a few thousand page views raised the portal's resident memory by
 * 300–900 MB (measured on the catalogue home page under the pages bench's load). Formatters are immutable, so sharing them is safe.
 */

const MAX_ENTRIES = 200;
const dateFormats = new Map<string, Intl.DateTimeFormat>();
const numberFormats = new Map<string, Intl.NumberFormat>();

export function dateTimeFormat(locale: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  return cached(dateFormats, locale, options, () => new Intl.DateTimeFormat(locale, options));
}

export function numberFormat(locale: string, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  return cached(numberFormats, locale, options, () => new Intl.NumberFormat(locale, options));
}

function cached<T>(cache: Map<string, T>, locale: string, options: object, make: () => T): T {
  const key = `${locale} ${JSON.stringify(options)}`;
  let format = cache.get(key);
  if (!format) {
    // Bounded in case a caller passes values from outside (a time zone): never more than a few hundred.
    if (cache.size >= MAX_ENTRIES) cache.clear();
    format = make();
    cache.set(key, format);
  }
  return format;
}

export const locales: Record<Lang, string> = { en: "en-GB", fr: "fr-FR" };

// Times are shown in UTC and say so: readers are in many time zones, and an embargo must be exact.
export function formatDate(lang: Lang, date: Date): string {
  return formatIn(lang, date, { dateStyle: "long", timeZone: "UTC" });
}

export function formatDateTime(lang: Lang, date: Date): string {
  return `${formatIn(lang, date, { dateStyle: "long", timeStyle: "short", timeZone: "UTC" })} UTC`;
}

/**
 * A date as `lang` writes it, with these options. French writes the first of the month "1er
 * décembre"; Intl writes "1 décembre".
 */
export function formatIn(lang: Lang, date: Date, options: Intl.DateTimeFormatOptions): string {
  const text = dateTimeFormat(locales[lang], options).format(date);
  return lang === "fr" ? text.replace(/(^|\s)1 (?=\p{L})/u, "$11er ") : text;
}

export function formatTime(lang: Lang, date: Date): string {
  return dateTimeFormat(locales[lang], { timeStyle: "short", timeZone: "UTC" }).format(date);
}

const languageNames = new Map<Lang, Intl.DisplayNames>();

/** "fr" as a reader says it: "French" on English pages, "français" on French ones; unknown codes as they are. */
export function languageName(lang: Lang, code: string): string {
  let names = languageNames.get(lang);
  if (!names) {
    names = new Intl.DisplayNames([locales[lang]], { type: "language", fallback: "code" });
    languageNames.set(lang, names);
  }
  try {
    return names.of(code) ?? code;
  } catch {
    // A code Intl cannot parse (an editor's typo): shown as typed rather than failing the page.
    return code;
  }
}

const knownNames = new Intl.DisplayNames(["en"], { type: "language", fallback: "none" });

/** Whether `code` is a language ICU knows by name ("gsw" is; "xx", "zz" and "und" are not). */
export function isKnownLanguage(code: string): boolean {
  try {
    return knownNames.of(code) !== undefined && code !== "und";
  } catch {
    return false;
  }
}

const pluralRules = new Map<Lang, Intl.PluralRules>();

/** Whether `lang` says `count` things in the singular: English 1, French 0 and 1 ("0 phrase"). */
export function isOne(lang: Lang, count: number): boolean {
  let rules = pluralRules.get(lang);
  if (!rules) {
    rules = new Intl.PluralRules(locales[lang]);
    pluralRules.set(lang, rules);
  }
  return rules.select(count) === "one";
}
