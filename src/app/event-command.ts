import { parseArgs } from "node:util";
import { findEvent, setEventPublished } from "../catalogue/event-store.ts";
import { argsProblem } from "../core/cli-args.ts";
import type { Config } from "../core/config.ts";
import type { FeatureDeps } from "../core/deps.ts";
import { UserError } from "../core/errors.ts";
import { createEvent, type EventDeps, type EventForm } from "../editor/events.ts";
import { editorTimeZone } from "../editor/zoned-time.ts";
import { inPortalOrHere } from "../ingest/cli-command.ts";
import type { InboxCommands } from "../ingest/inbox.ts";
import { tDynamic } from "../web/i18n.ts";
import { openRuntime } from "./services.ts";

export const eventAddUsage =
  'event:add [--slug S] --title-en "..." [--title-fr "..."] --starts-at "2026-11-23 14:30" [--ends-at ...] [--place "..." | --place-en ... --place-fr ...] [--summary-en ...] [--summary-fr ...] [--publish]';

/** A mistake on the command line (exit code 2): the sentences to print. */
export class EventCommandError extends Error {}

type EventAddRequest = { form: EventForm; publish: boolean };
export type EventAdded = { id: number; slug: string; published: boolean };

/**
 * `event:add`: an event made by the editor's own service (same checks, same messages, dates on
 * the editors' clock), published at once with --publish. While a portal holds the embedded data
 * folder, the portal makes it (through its inbox, like `ingest`).
 */
export async function runEventAdd(config: Config, args: string[]): Promise<EventAdded> {
  const request = readEventArgs(args);
  try {
    return await inPortalOrHere(config, { command: "event:add", payload: request }, async () => {
      const runtime = await openRuntime(config);
      try {
        return await addEvent({ db: runtime.db, now: () => new Date(), timeZone: editorTimeZone }, request);
      } finally {
        await runtime.close();
      }
    });
  } catch (error) {
    if (!(error instanceof UserError) || Object.keys(error.fields).length === 0) throw error;
    throw new EventCommandError(`${optionProblems(error).join("\n")}\nNo event was created.`);
  }
}

/** "--slug: Another event already has this web address." for each field's problem, its option named. */
export function optionProblems(error: UserError): string[] {
  return Object.entries(error.fields).flatMap(([field, keys]) =>
    keys.map((key) => `--${field.replaceAll("_", "-")}: ${tDynamic("en", key, error.params)}`),
  );
}

/** The portal's side: `event:add` handed over through its inbox. */
export function eventInboxCommands(deps: FeatureDeps): InboxCommands {
  return {
    "event:add": (payload) =>
      addEvent({ db: deps.db, now: deps.now, timeZone: editorTimeZone }, payload as EventAddRequest),
  };
}

async function addEvent(deps: EventDeps, request: EventAddRequest): Promise<EventAdded> {
  const id = await createEvent(deps, request.form);
  if (request.publish) await setEventPublished(deps.db, id, true, deps.now());
  const event = await findEvent(deps.db, id);
  return { id, slug: event!.slug, published: request.publish };
}

function readEventArgs(args: string[]): EventAddRequest {
  const text = { type: "string" } as const;
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args,
      options: {
        slug: text,
        "title-en": text,
        "title-fr": text,
        "starts-at": text,
        "ends-at": text,
        place: text,
        "place-en": text,
        "place-fr": text,
        "summary-en": text,
        "summary-fr": text,
        "body-en": text,
        "body-fr": text,
        publish: { type: "boolean" },
      },
    }));
  } catch (error) {
    throw new EventCommandError(`${argsProblem(error)}\nUsage: ${eventAddUsage}`);
  }
  const value = (name: string) => {
    const v = values[name];
    return typeof v === "string" ? v : "";
  };
  const form: EventForm = {
    slug: value("slug"),
    starts_at: value("starts-at"),
    ends_at: value("ends-at"),
    title_en: value("title-en"),
    title_fr: value("title-fr"),
    place_en: value("place-en") || value("place"),
    place_fr: value("place-fr") || value("place"),
    summary_en: value("summary-en"),
    summary_fr: value("summary-fr"),
    body_en: value("body-en"),
    body_fr: value("body-fr"),
  };
  return { form, publish: values.publish === true };
}
