import { UserError } from "../core/errors.ts";
import { addProblem, type FieldProblems } from "../web/form.ts";
import { isLang, type Lang } from "../web/i18n.ts";
import { isCountryCode } from "./countries.ts";
import { canonicalEmail } from "./email-address.ts";
import { unmetPasswordRules } from "./password-policy.ts";
import type { ProfileFields } from "./store.ts";

const MAX_TEXT = 200;

/**
 * The address as it is stored, compared and counted (email-address.ts): every look-up of an
 * account, a flow or a limit goes through here. Throws `invalid_email`, the problem named for the
 * `email` field, when the address is refused.
 */
export function normaliseEmail(typed: string): string {
  const address = canonicalEmail(typed);
  if ("problem" in address) throw new UserError("invalid_email", {}, { email: [address.problem] });
  return address.email;
}

export function checkProfile(
  input: Partial<Record<keyof ProfileFields, unknown>>,
  problems: FieldProblems,
): ProfileFields {
  const text = (field: "name" | "organisation"): string => {
    const value = typeof input[field] === "string" ? (input[field] as string).trim() : "";
    if (!value) addProblem(problems, field, "field.required");
    else if (value.length > MAX_TEXT) addProblem(problems, field, "field.too_long");
    return value;
  };
  const name = text("name");
  const organisation = text("organisation");
  const country = typeof input.country === "string" ? input.country.trim().toUpperCase() : "";
  if (!isCountryCode(country)) addProblem(problems, "country", "field.country_invalid");
  const language: Lang = isLang(input.language) ? input.language : "en";
  if (!isLang(input.language)) addProblem(problems, "language", "field.language_invalid");
  return { name, organisation, country, language };
}

/** normaliseEmail for a form checked as a whole: the problem is added with the others. */
export function checkEmail(value: unknown, problems: FieldProblems): string {
  const address = canonicalEmail(typeof value === "string" ? value : "");
  if ("email" in address) return address.email;
  addProblem(problems, "email", address.problem);
  return "";
}

export function checkNewPassword(value: unknown, problems: FieldProblems, field = "password"): string {
  const password = typeof value === "string" ? value : "";
  // An empty box is one problem, not every rule at once.
  if (password === "") addProblem(problems, field, "field.required");
  else for (const rule of unmetPasswordRules(password)) addProblem(problems, field, `password.rule.${rule}`);
  return password;
}

/** Throws one error naming every problem: `password_too_weak` when the password is the only one. */
export function throwIfAccountProblems(problems: FieldProblems): void {
  const fields = Object.keys(problems);
  if (fields.length === 0) return;
  const onlyPassword = fields.every(
    (f) => (f === "password" || f === "newPassword") && !problems[f]?.includes("field.required"),
  );
  const code =
    fields.length === 1 && fields[0] === "email"
      ? "invalid_email"
      : onlyPassword
        ? "password_too_weak"
        : "invalid_input";
  throw new UserError(code, {}, problems);
}
