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

const graphemes = new Intl.Segmenter("en", { granularity: "grapheme" });

/** The form a password is checked and hashed in: "é" typed either way is the same password. */
export function normalisePassword(password: string): string {
  return password.normalize("NFC");
}

/**
 * Characters count as a person sees them (grapheme clusters: "é" or "e" with a combining accent
 * count once), and invisible ones (zero-width spaces, control and format characters) are refused
 * like spaces: otherwise "Aa1!" and eight combining marks would pass the 12-character rule.
 */
export function unmetPasswordRules(typed: string): PasswordRule[] {
  const password = normalisePassword(typed);
  const unmet: PasswordRule[] = [];
  if ([...graphemes.segment(password)].length < MIN_PASSWORD_LENGTH) unmet.push("min_length");
  if (/[\s\p{Cc}\p{Cf}\p{Zl}\p{Zp}\u115f\u1160\u3164\uffa0]/u.test(password)) unmet.push("no_spaces");
  if (!/\p{Lu}/u.test(password)) unmet.push("uppercase");
  if (!/\p{Ll}/u.test(password)) unmet.push("lowercase");
  if (!/\p{Nd}/u.test(password)) unmet.push("digit");
  if (!/[^\p{L}\p{Nd}\s]/u.test(password)) unmet.push("symbol");
  return unmet;
}
