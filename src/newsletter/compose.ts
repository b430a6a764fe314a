import type { User } from "../accounts/store.ts";
import { latestEvents } from "../catalogue/event-store.ts";
import type { Localized } from "../catalogue/types.ts";
import type { FeatureDeps } from "../core/deps.ts";
import { UserError } from "../core/errors.ts";
import { formValue } from "../web/form.ts";
import { t } from "../web/i18n.ts";
import { formatIn } from "../web/intl.ts";
import { insertIssue, updateDraft } from "./store.ts";
import type { Issue, IssueContent, IssueEvent } from "./types.ts";

type Deps = Pick<FeatureDeps, "db" | "now">;

/** How many of the latest published events a new issue starts with, and how many more are offered. */
const PREFILLED_EVENTS = 10;
const OFFERED_EVENTS = 10;

/** An event row of the compose form: in the issue or only offered. */
export type ComposeRow = IssueEvent & { eventId: number; include: boolean };
export type ComposeForm = { subject: Localized; intro: Localized; rows: ComposeRow[] };

/** Published events, newest first, as an issue shows them (drafts of the catalogue are never offered). */
async function latestPublishedEvents(deps: Deps, now: Date, limit: number): Promise<IssueEvent[]> {
  const events = await latestEvents(deps.db, now, { limit });
  return events.map((e) => ({
    eventId: e.id,
    slug: e.slug,
    startsAt: e.startsAt,
    place: e.place,
    title: e.title,
    summary: e.summary,
  }));
}

/** What a new draft holds: a dated subject, the usual intro and the latest published events. */
export async function defaultContent(deps: Deps): Promise<IssueContent> {
  const now = deps.now();
  const date = (lang: "en" | "fr") => formatIn(lang, now, { dateStyle: "long" });
  return {
    subject: {
      en: t("en", "newsletter.default_subject", { date: date("en") }),
      fr: t("fr", "newsletter.default_subject", { date: date("fr") }),
    },
    intro: { en: t("en", "newsletter.default_intro"), fr: t("fr", "newsletter.default_intro") },
    events: await latestPublishedEvents(deps, now, PREFILLED_EVENTS),
  };
}

/** A new draft, pre-filled (drafts of the catalogue are never offered), or with `content` checked before. */
export async function createDraft(deps: Deps, editor: User, content?: IssueContent): Promise<number> {
  const initial = content ?? (await defaultContent(deps));
  return deps.db.transaction((tx) => insertIssue(tx, initial, editor.id, deps.now()));
}

/** The issue's events (ticked), then recent published events not in it yet (to add with a tick). */
export async function composeForm(deps: Deps, issue: Issue): Promise<ComposeForm> {
  const inIssue = issue.events.filter((e): e is ComposeRow => e.eventId !== null);
  const taken = new Set(inIssue.map((e) => e.eventId));
  const offered = (await latestPublishedEvents(deps, deps.now(), OFFERED_EVENTS + taken.size))
    .filter((e) => !taken.has(e.eventId!))
    .slice(0, OFFERED_EVENTS);
  return {
    subject: issue.subject,
    intro: issue.intro,
    rows: [
      ...inIssue.map((e) => ({ ...e, include: true })),
      ...offered.map((e) => ({ ...e, eventId: e.eventId!, include: false })),
    ],
  };
}

/** Reads the posted form over the rows it was drawn from (slug, date and place are not editable). */
export function readComposeForm(body: unknown, drawn: ComposeForm): ComposeForm {
  const byId = new Map(drawn.rows.map((r) => [r.eventId, r]));
  const rows: ComposeRow[] = [];
  for (let i = 0; formValue(body, `e${i}_id`) !== ""; i++) {
    const known = byId.get(Number(formValue(body, `e${i}_id`)));
    if (!known) continue;
    const pair = (name: string) => ({
      en: formValue(body, `e${i}_${name}_en`),
      fr: formValue(body, `e${i}_${name}_fr`),
    });
    rows.push({
      ...known,
      include: formValue(body, `e${i}_include`) === "1",
      title: pair("title"),
      summary: pair("summary"),
    });
  }
  return {
    // A subject is one line: a line break in it would be a line break in the mail header.
    subject: { en: oneLine(formValue(body, "subject_en")), fr: oneLine(formValue(body, "subject_fr")) },
    intro: { en: formValue(body, "intro_en").trim(), fr: formValue(body, "intro_fr").trim() },
    rows,
  };
}

export function oneLine(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}

/** Saves a draft; problems come back per field. False when the issue is no longer a draft. */
export async function saveDraft(deps: Deps, issueId: number, form: ComposeForm): Promise<boolean> {
  const content = checkedContent(form);
  return deps.db.transaction((tx) => updateDraft(tx, issueId, content, deps.now()));
}

/**
 * The issue a form describes, its ticked events only, once every field is within bounds;
 * problems come back per field of the form (`subject_en`, `e2_title_fr`), all at once.
 */
export function checkedContent(form: ComposeForm): IssueContent {
  const problems: Record<string, string[]> = {};
  const check = (name: string, value: string, max: number, required = false) => {
    if (required && value === "") problems[name] = ["newsletter.error.required"];
    else if (value.length > max) problems[name] = ["newsletter.error.too_long"];
  };
  for (const lang of ["en", "fr"] as const) {
    check(`subject_${lang}`, form.subject[lang], 200, true);
    check(`intro_${lang}`, form.intro[lang], 5000);
  }
  form.rows.forEach((row, i) => {
    for (const lang of ["en", "fr"] as const) {
      check(`e${i}_title_${lang}`, row.title[lang], 300);
      check(`e${i}_summary_${lang}`, row.summary[lang], 2000);
    }
    if (row.include && !row.title.en.trim() && !row.title.fr.trim())
      problems[`e${i}_title_en`] = ["newsletter.error.title_required"];
  });
  if (Object.keys(problems).length > 0) throw new UserError("invalid_input", {}, problems);
  const events = form.rows
    .filter((r) => r.include)
    .map(({ include: _, ...e }) => ({
      ...e,
      title: { en: e.title.en.trim(), fr: e.title.fr.trim() },
      summary: { en: e.summary.en.trim(), fr: e.summary.fr.trim() },
    }));
  return { subject: form.subject, intro: form.intro, events };
}
