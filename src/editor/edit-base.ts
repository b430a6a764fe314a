import { createHash } from "node:crypto";
import { UserError } from "../core/errors.ts";
import { formValue } from "../web/form.ts";
import { type Html, html } from "../web/html.ts";

/**
 * What a page's form was filled from, so that a save can tell whether another editor changed the
 * same fields in between. The form carries a fingerprint of its fields as stored (`base`); a save
 * whose fingerprint no longer matches the stored fields is refused, with the editor's input kept,
 * instead of silently writing over the other editor's change. Only the form's own fields count:
 * processing, publication or a programme entry moving the row's version must not refuse a save
 * (the API's If-Match compares versions, which they do move).
 */
export function baseOf(values: Record<string, string>): string {
  const fields = Object.keys(values)
    .sort()
    .map((name) => [name, values[name]]);
  return createHash("sha256").update(JSON.stringify(fields)).digest("base64url").slice(0, 22);
}

/** The form's hidden field carrying `base`. */
export function baseInput(base: string): Html {
  return html`<input type="hidden" name="base" value="${base}">`;
}

/** Refuses a save whose form was filled from other values than `stored` (none sent: a client that does not know it). */
export function checkBase(body: unknown, stored: Record<string, string>): void {
  const sent = formValue(body, "base");
  if (sent && sent !== baseOf(stored)) throw new UserError("edited_meanwhile");
}

/**
 * The fingerprint a form shown again after a failed save carries: after a refusal for another
 * editor's change, the stored fields' (the editor has now been told, and saving again keeps their
 * input); after any other refusal, the one the form was sent with, so the check still holds.
 */
export function baseAfter(error: unknown, body: unknown, stored: Record<string, string>): string {
  if (error instanceof UserError && error.code === "edited_meanwhile") return baseOf(stored);
  return formValue(body, "base") || baseOf(stored);
}
