import type { PageContext } from "../../web/context.ts";
import { type Html, html } from "../../web/html.ts";
import { t } from "../../web/i18n.ts";
import { islandScripts } from "../../web/islands.ts";
import { page } from "../../web/layout.ts";

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
  const head = html`<link rel="stylesheet" href="/static/editor.css">
${islandScripts(...(options.islands ?? []))}`;
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

/** Short display of an instant for lists: "2026-11-23 14:30 UTC". */
export function shortDateTime(value: string, zone: string): string {
  return `${value.replace("T", " ")} ${zone}`;
}
