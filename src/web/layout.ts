import { type PageContext, switchLanguagePath } from "./context.ts";
import { type Html, html } from "./html.ts";
import { t } from "./i18n.ts";

/** The frame of every page; `head` adds page-specific tags (feeds, island scripts). */
export function page(ctx: PageContext, title: string, body: Html, head?: Html): string {
  const other = ctx.lang === "en" ? "fr" : "en";
  const home = `/${ctx.lang}`;
  const returnTo = encodeURIComponent(ctx.url);
  const editor =
    ctx.user?.role === "editor" || ctx.user?.role === "admin"
      ? html`<li><a href="/${ctx.lang}/editor">${t(ctx.lang, "nav.editor")}</a></li>`
      : "";
  const account = ctx.user
    ? html`${editor}<li><a href="/${ctx.lang}/downloads">${t(ctx.lang, "nav.downloads")}</a></li>
<li><a href="/${ctx.lang}/account">${t(ctx.lang, "nav.account")}</a></li>
<li><form method="post" action="/${ctx.lang}/logout" class="inline">
<input type="hidden" name="_csrf" value="${ctx.csrfToken}">
<button type="submit" class="link">${t(ctx.lang, "nav.logout")}</button></form></li>`
    : html`<li><a href="/${ctx.lang}/login?returnTo=${returnTo}">${t(ctx.lang, "nav.login")}</a></li>
<li><a href="/${ctx.lang}/register?returnTo=${returnTo}">${t(ctx.lang, "nav.register")}</a></li>`;
  return html`<!doctype html>
<html lang="${ctx.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title === t(ctx.lang, "site.name") ? title : `${title} — ${t(ctx.lang, "site.name")}`}</title>
<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="/static/app.css">
${head ?? ""}
</head>
<body>
<a class="skip" href="#main">${t(ctx.lang, "nav.skip")}</a>
<header class="site">
<a class="brand" href="${home}">${t(ctx.lang, "site.name")}</a>
<nav aria-label="${t(ctx.lang, "nav.label")}"><ul>
<li><a href="/${ctx.lang}/search">${t(ctx.lang, "nav.search")}</a></li>
${account}
<li><a href="${switchLanguagePath(ctx.url, other)}" lang="${other}" hreflang="${other}">${t(other, "nav.switch")}</a></li>
</ul></nav>
</header>
<main id="main">
${body}
</main>
<footer class="site"><p>${t(ctx.lang, "footer.text")}</p></footer>
</body>
</html>`.value;
}
