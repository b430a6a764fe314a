import Negotiator from "negotiator";
import alertsEn from "./i18n/alerts.en.json" with { type: "json" };
import alertsFr from "./i18n/alerts.fr.json" with { type: "json" };
import catalogueEn from "./i18n/catalogue.en.json" with { type: "json" };
import catalogueFr from "./i18n/catalogue.fr.json" with { type: "json" };
import downloadsEn from "./i18n/downloads.en.json" with { type: "json" };
import downloadsFr from "./i18n/downloads.fr.json" with { type: "json" };
import editorEn from "./i18n/editor.en.json" with { type: "json" };
import editorFr from "./i18n/editor.fr.json" with { type: "json" };
import commonEn from "./i18n/en.json" with { type: "json" };
import commonFr from "./i18n/fr.json" with { type: "json" };
import ingestEn from "./i18n/ingest.en.json" with { type: "json" };
import ingestFr from "./i18n/ingest.fr.json" with { type: "json" };
import newsletterEn from "./i18n/newsletter.en.json" with { type: "json" };
import newsletterFr from "./i18n/newsletter.fr.json" with { type: "json" };
import { isOne, locales, numberFormat } from "./intl.ts";

// One file pair per area (common + accounts, catalogue, editor, downloads), merged here.
export const en = {
  ...commonEn,
  ...alertsEn,
  ...catalogueEn,
  ...editorEn,
  ...downloadsEn,
  ...newsletterEn,
  ...ingestEn,
};
export const fr = {
  ...commonFr,
  ...alertsFr,
  ...catalogueFr,
  ...editorFr,
  ...downloadsFr,
  ...newsletterFr,
  ...ingestFr,
};

export const languages = ["en", "fr"] as const;
export type Lang = (typeof languages)[number];
export type MessageKey = keyof typeof en;

const catalogues: Record<Lang, Record<MessageKey, string>> = { en, fr };

export function isLang(value: unknown): value is Lang {
  return value === "en" || value === "fr";
}

/**
 * The message in `lang`, with `{name}` placeholders filled in (values are not escaped here).
 * Numbers are written the language's way ("2,056,830" / "2 056 830", "29,97" in French), grouped
 * only from five digits so that years and small counts read as they are; an `{id}` is a name,
 * never grouped.
 */
export function t(lang: Lang, key: MessageKey, params: Record<string, string | number> = {}): string {
  const template = catalogues[lang][key];
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    if (!(name in params)) return whole;
    const value = params[name];
    return typeof value === "number" && name !== "id" ? formatNumber(lang, value) : String(value);
  });
}

/** A message said of a number of things: `key` is its plural, `key_one` its singular. */
export type CountKey = { [K in MessageKey]: `${K}_one` extends MessageKey ? K : never }[MessageKey];

/**
 * The message for `count` things, in the singular where the language says that many in the
 * singular (English 1; French 0 and 1: "0 phrase"), with `{count}` filled in. `params` may give
 * `count` already written (search's "1,234").
 */
export function tCount(
  lang: Lang,
  key: CountKey,
  count: number,
  params: Record<string, string | number> = {},
): string {
  return t(lang, isOne(lang, count) ? `${key}_one` : key, { count, ...params });
}

function formatNumber(lang: Lang, value: number): string {
  return numberFormat(locales[lang], { useGrouping: "min2", maximumFractionDigits: 3 }).format(value);
}

/** A label's colon: French sets it off with a no-break space ("Ordre :"), English does not. */
export function colon(lang: Lang): string {
  return lang === "fr" ? "\u00a0:" : ":";
}

/**
 * For keys built at run time (error codes, password rules); falls back to the key itself. A key
 * with a singular (`key_one`, as tCount) is said by its numeric `count` param.
 */
export function tDynamic(lang: Lang, key: string, params: Record<string, string | number> = {}): string {
  if (!(key in catalogues[lang])) return key;
  const one = `${key}_one`;
  if (typeof params.count === "number" && one in catalogues[lang] && isOne(lang, params.count))
    return t(lang, one as MessageKey, params);
  return t(lang, key as MessageKey, params);
}

export function languageFromHeader(acceptLanguage: string | undefined): Lang {
  const chosen = new Negotiator({ headers: { "accept-language": acceptLanguage ?? "" } }).language([
    ...languages,
  ]);
  return isLang(chosen) ? chosen : "en";
}
