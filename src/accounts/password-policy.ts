/**
 * The organisation's rule: at least 12 characters, no spaces, upper- and lower-case
 * letters, digits and symbols. Each unmet part is named so the form can say which.
 */
export const passwordRules = [
  "min_length",
  "no_spaces",
  "uppercase",
  "lowercase",
  "digit",
  "symbol",
] as const;
export type PasswordRule = (typeof passwordRules)[number];

export const MIN_PASSWORD_LENGTH = 12;

export function unmetPasswordRules(password: string): PasswordRule[] {
  const unmet: PasswordRule[] = [];
  // Count code points, not UTF-16 units, so "é" counts once.
  if ([...password].length < MIN_PASSWORD_LENGTH) unmet.push("min_length");
  if (/\s/u.test(password)) unmet.push("no_spaces");
  if (!/\p{Lu}/u.test(password)) unmet.push("uppercase");
  if (!/\p{Ll}/u.test(password)) unmet.push("lowercase");
  if (!/\p{Nd}/u.test(password)) unmet.push("digit");
  if (!/[^\p{L}\p{Nd}\s]/u.test(password)) unmet.push("symbol");
  return unmet;
}
