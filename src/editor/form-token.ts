import { randomUUID } from "node:crypto";
import { formValue } from "../web/form.ts";
import { type Html, html } from "../web/html.ts";

/**
 * A new-event or new-item form sent twice (a double click, a browser sending it again) made two
 * rows (found by hand). The form carries a one-time token, made when the page is shown; the row the
 * first post makes keeps it (a unique column of its table, owned by its store), and a second post
 * with the same token is answered with that row instead of making another. A post without a token
 * (an API client, a tab opened before this) makes a row each time, as before.
 */

const FIELD = "form_token";

/** Random, so that no two pages, and no two editors, share one. */
export function newFormToken(): string {
  return randomUUID();
}

/** The form's hidden field carrying `token`. */
export function formTokenInput(token: string): Html {
  return html`<input type="hidden" name="${FIELD}" value="${token}">`;
}

/** The token a form was sent with; anything that cannot be one of ours counts as none (a row each time). */
export function formTokenOf(body: unknown): string | null {
  const token = formValue(body, FIELD);
  return /^[\w-]{16,100}$/.test(token) ? token : null;
}

/**
 * `make`s the row unless a post with the same token made it already (`find`). Two posts at once
 * can both look before either has made it: the unique column then refuses the later insert (or,
 * for an event, the slug index, both having worked out the same slug), and the row the first made
 * is the answer.
 */
export async function onceForToken(
  token: string | null,
  find: (token: string) => Promise<number | null>,
  make: () => Promise<number>,
): Promise<number> {
  if (token === null) return make();
  const made = await find(token);
  if (made !== null) return made;
  try {
    return await make();
  } catch (error) {
    const other = await find(token);
    if (other !== null) return other;
    throw error;
  }
}
