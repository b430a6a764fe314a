import { domainToASCII } from "node:url";

/**
 * One address, one identity (finding M1 of the probe of 2026-12-07). Mail systems deliver many
 * spellings to one mailbox: the mail library maps the domain through IDNA, so `kim@ｅxample.net`
 * (a fullwidth e) and `kim@example。net` reach `kim@example.net`. Were those spellings told
 * apart here, each would be an account of its own, with its own decoy notices and its own budget
 * of code e-mails, all landing in one inbox. So every address is put in one form before it is
 * stored, compared or counted, and this is the only place that form is made:
 *
 * - refused when it holds whitespace, a control character or an invisible one (format characters
 *   such as the zero-width space or the soft hyphen, and the other default-ignorable ones such as
 *   variation selectors and the Hangul fillers): nobody means one, and which mailbox it reaches
 *   depends on each mail system along the way;
 * - NFKC, so compatibility forms (fullwidth letters, `＠`, ligatures) become the letters they show;
 * - lower-case, as before (mailboxes are not told apart by case in practice);
 * - the domain in its ASCII form by IDNA (UTS #46, `domainToASCII`): `café.fr` → `xn--caf-dma.fr`,
 *   as mail is delivered, and without the final dot of `example.net.`.
 *
 * Before this, an address was only trimmed and lower-cased; rows stored then may be spelled
 * otherwise, which respell-addresses.ts puts right where it can.
 */
export type EmailProblem = "field.required" | "field.email_invalid" | "field.email_invisible";

// `\s` covers Unicode whitespace; Cf and Default_Ignorable_Code_Point the invisible characters.
const invisible = /[\s\p{Z}\p{Cc}\p{Cf}\p{Default_Ignorable_Code_Point}]/u;
const shape = /^[^@]+@[^@]+\.[^@]+$/;
const MAX_LENGTH = 254;

export function canonicalEmail(typed: string): { email: string } | { problem: EmailProblem } {
  const trimmed = typed.trim();
  if (trimmed === "") return { problem: "field.required" };
  // Again after lower-casing: a lower-case letter may have a compatibility form of its own.
  const folded = trimmed.normalize("NFKC").toLowerCase().normalize("NFKC");
  if (invisible.test(trimmed) || invisible.test(folded)) return { problem: "field.email_invisible" };
  const at = folded.lastIndexOf("@");
  if (at <= 0) return { problem: "field.email_invalid" };
  // "" when IDNA refuses the domain (a broken `xn--` label, `%` or `/` in it).
  const domain = domainToASCII(folded.slice(at + 1).replace(/\.$/, ""));
  const email = `${folded.slice(0, at)}@${domain}`;
  if (domain === "" || email.length > MAX_LENGTH || !shape.test(email))
    return { problem: "field.email_invalid" };
  return { email };
}
