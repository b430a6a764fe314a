import type { Localized } from "../catalogue/types.ts";
import { addProblem, type FieldProblems, formValue } from "../web/form.ts";
import { parseId } from "../web/ids.ts";
import { parseZonedDateTime } from "./zoned-time.ts";

/**
 * Forms and the JSON API give an event, item or programme entry in different shapes; each is read
 * into the same typed values, which then go through one set of checks (events.ts, items.ts,
 * programme.ts). Problems are named as the form's fields; the API renames them (api-fields.ts).
 */

/** A trimmed text field of a form. */
export function formText(body: unknown, name: string): string {
  return formValue(body, name).trim();
}

/** `name_en` and `name_fr` of a bilingual form field. */
export function formBilingual(body: unknown, name: string): Localized {
  return { en: formText(body, `${name}_en`), fr: formText(body, `${name}_fr`) };
}

/** The limits the forms use, each with a message that says it ("editor.error.too_long_300"). */
export type LengthLimit = 80 | 300 | 2000 | 5000 | 10_000 | 20_000 | 50_000;

/** A length limit that keeps a pasted novel out of a title; the message says the limit. */
export function checkLength(problems: FieldProblems, name: string, value: string, max: LengthLimit): void {
  if (value.length > max) addProblem(problems, name, `editor.error.too_long_${max}`);
}

export function checkBilingual(
  problems: FieldProblems,
  name: string,
  value: Localized,
  max: LengthLimit,
): void {
  checkLength(problems, `${name}_en`, value.en, max);
  checkLength(problems, `${name}_fr`, value.fr, max);
}

/** At least one language of a title. */
export function checkTitle(problems: FieldProblems, title: Localized): void {
  if (!title.en && !title.fr) addProblem(problems, "title_en", "editor.error.title_required");
}

/** An optional date and time on the organisation's clock; empty is null. */
export function optionalDateTime(
  body: unknown,
  name: string,
  zone: string,
  problems: FieldProblems,
): Date | null {
  const value = formValue(body, name).trim();
  if (!value) return null;
  const date = parseZonedDateTime(value, zone);
  if (!date) addProblem(problems, name, "editor.error.datetime_invalid");
  return date;
}

/** A positive whole-number id from a route parameter or a select, or null. */
export const idOf = parseId;

/** Called with the version a change is about to be made on: refuses (412) a stale If-Match. */
export type VersionCheck = (version: number) => void;
