import type { Localized } from "../catalogue/types.ts";
import { addProblem, type FieldProblems, formValue } from "../web/form.ts";
import { parseId } from "../web/ids.ts";
import { parseZonedDateTime } from "./zoned-time.ts";

/** A trimmed text field, with a length limit that keeps a pasted novel out of a title. */
export function text(body: unknown, name: string, max: number, problems: FieldProblems): string {
  const value = formValue(body, name).trim();
  if (value.length > max) addProblem(problems, name, "editor.error.too_long");
  return value;
}

/** `name_en` and `name_fr` of a bilingual field. */
export function bilingual(body: unknown, name: string, max: number, problems: FieldProblems): Localized {
  return { en: text(body, `${name}_en`, max, problems), fr: text(body, `${name}_fr`, max, problems) };
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
