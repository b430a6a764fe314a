import type { FastifyReply, FastifyRequest } from "fastify";
import type { Database } from "../../db/database.ts";
import { UserError, type UserErrorCode } from "../../errors.ts";
import type { PageContext } from "../../web/context.ts";
import { errorMessage } from "../../web/error-handler.ts";
import type { FieldErrors } from "../../web/form.ts";
import { type Html, html } from "../../web/html.ts";
import type { Lang } from "../../web/i18n.ts";
import { t } from "../../web/i18n.ts";
import { page } from "../../web/layout.ts";
import { islandScript } from "../islands.ts";
import { idOf } from "../validate.ts";

export function sendHtml(reply: FastifyReply, status: number, body: string) {
  return reply.status(status).type("text/html; charset=utf-8").header("cache-control", "no-store").send(body);
}

export type Crumb = { href: string; label: string };

/** A workspace page: the site frame, the workspace stylesheet, a trail back to the dashboard. */
export function editorPage(
  ctx: PageContext,
  title: string,
  body: Html,
  options: { crumbs?: Crumb[]; islands?: string[] } = {},
): string {
  const { lang } = ctx;
  const crumbs: Crumb[] = [
    { href: `/${lang}/editor`, label: t(lang, "editor.title") },
    ...(options.crumbs ?? []),
  ];
  const head = html`<link rel="stylesheet" href="/${lang}/editor/editor.css">
${(options.islands ?? []).map((name) => islandScript(name))}`;
  return page(
    ctx,
    title,
    html`<div class="editor">
<nav class="crumbs" aria-label="${t(lang, "editor.crumbs")}"><ol>${crumbs.map((c) => html`<li><a href="${c.href}">${c.label}</a></li>`)}</ol></nav>
${body}
</div>`,
    head,
  );
}

export type Failure = { message: string; errors: FieldErrors; status: number };

/** A form's UserError as what the page shows again; anything else is not the user's doing. */
export function formFailure(lang: Lang, error: unknown): Failure {
  if (!(error instanceof UserError)) throw error;
  return {
    message: errorMessage(lang, error.code, error.params),
    errors: error.fields,
    status: error.status,
  };
}

/** The numeric id in a route parameter; anything else is a page that does not exist. */
export function routeId(request: FastifyRequest, name: string, notFound: UserErrorCode): number {
  const id = idOf((request.params as Record<string, unknown>)[name]);
  if (id === null) throw new UserError(notFound);
  return id;
}

export function queryOf(request: FastifyRequest): Record<string, string | undefined> {
  return request.query as Record<string, string | undefined>;
}

/** Short display of an instant for lists: "2026-11-23 14:30 UTC". */
export function shortDateTime(value: string, zone: string): string {
  return `${value.replace("T", " ")} ${zone}`;
}

/** What every workspace page group gets: the features' dependencies, its language, the editors' time zone. */
export type EditorPages = {
  db: Database;
  now: () => Date;
  lang: Lang;
  timeZone: string;
};
