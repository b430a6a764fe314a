import { findEvent } from "../catalogue/event-store.ts";
import { type Localized, mediaKinds } from "../catalogue/types.ts";
import { UserError } from "../core/errors.ts";
import type { Database } from "../db/database.ts";
import { addProblem, type FieldProblems, formValue, throwIfProblems } from "../web/form.ts";
import { checkBilingual, checkTitle, formBilingual, optionalDateTime } from "./validate.ts";

/**
 * Live items in the workspace (issue 12). Making a live item, ending it and renewing its key are
 * ingest's (it owns the receiver and the key rules); the workspace does not import ingest, so the
 * app hands these in (app/build-app.ts), as it hands the download panel to the catalogue.
 */
export type LiveControl = {
  create(
    fields: { event: string; kind: string; title: Localized },
    scheduledAt: Date | null,
  ): Promise<{ id: number }>;
  end(itemId: number): Promise<unknown>;
  renewKey(itemId: number): Promise<unknown>;
};

export const liveFormFields = ["title_en", "title_fr", "kind", "scheduled_at"] as const;

/** What the editor typed, to show the form again with it. */
export function liveFormOf(body: unknown): Record<string, string> {
  return Object.fromEntries(liveFormFields.map((name) => [name, formValue(body, name)]));
}

/** Checks the form as the item form does (a title, a known kind, a date on the editors' clock), then creates. */
export async function createLiveFromForm(
  deps: { db: Database; timeZone: string; live: LiveControl },
  eventId: number,
  body: unknown,
): Promise<number> {
  const event = await findEvent(deps.db, eventId);
  if (!event) throw new UserError("event_not_found");
  const problems: FieldProblems = {};
  const title = formBilingual(body, "title");
  const kind = formValue(body, "kind");
  checkTitle(problems, title);
  checkBilingual(problems, "title", title, 300);
  if (!(mediaKinds as readonly string[]).includes(kind))
    addProblem(problems, "kind", "editor.error.kind_invalid");
  const scheduledAt = optionalDateTime(body, "scheduled_at", deps.timeZone, problems);
  throwIfProblems(problems);
  const { id } = await deps.live.create({ event: event.slug, kind, title }, scheduledAt);
  return id;
}
