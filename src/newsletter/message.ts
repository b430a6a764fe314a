import { localized } from "../catalogue/types.ts";
import type { MailMessage } from "../core/mailer.ts";
import { editorTimeZone } from "../editor/zoned-time.ts";
import { listUnsubscribeHeaders, mailLayout } from "../mail/messages.ts";
import { type Html, html } from "../web/html.ts";
import { colon, type Lang, t } from "../web/i18n.ts";
import { formatIn } from "../web/intl.ts";
import type { IssueContent, IssueEvent } from "./types.ts";

/**
 * One issue as one subscriber receives it, in their language. The preview page shows the
 * output of this same function, so what the editor sees is what is sent.
 */
export function newsletterMail(
  content: IssueContent,
  lang: Lang,
  links: { publicUrl: string; unsubscribeUrl: string },
): MailMessage {
  const events = content.events.map((e) => eventParts(e, lang, links.publicUrl));
  // The home page lists the latest events (there is no page of every event: the search's event
  // filter is the archive).
  const allEvents = `${links.publicUrl}/${lang}`;
  const intro = paragraphs(content.intro[lang]);
  const text = [
    ...intro,
    ...events.map((e) => [e.title.text, e.when, e.summary.text, e.url].filter(Boolean).join("\n")),
    `${t(lang, "newsletter.mail.all_events")}${colon(lang)} ${allEvents}`,
    `--\n${t(lang, "newsletter.mail.why")}\n${t(lang, "mail.unsubscribe")}${colon(lang)} ${links.unsubscribeUrl}`,
  ].join("\n\n");
  return {
    subject: content.subject[lang],
    text: `${text}\n`,
    html: mailLayout(
      lang,
      html`${intro.map((p) => html`<p>${p}</p>`)}
${events.map(
  (e) => html`<div style="border-top:1px solid #d0d4d9;padding:12px 0">
<h2 style="font-size:18px;margin:0 0 4px"${langAttribute(e.title.lang, lang)}><a href="${e.url}" style="color:#003366">${e.title.text}</a></h2>
<p style="margin:0 0 8px;color:#555">${e.when}</p>
${e.summary.text ? html`<p style="margin:0 0 8px"${langAttribute(e.summary.lang, lang)}>${e.summary.text}</p>` : ""}
<p style="margin:0"><a href="${e.url}">${t(lang, "newsletter.mail.read_more")}</a></p>
</div>`,
)}
<p style="border-top:1px solid #d0d4d9;padding-top:12px"><a href="${allEvents}">${t(lang, "newsletter.mail.all_events")}</a></p>
<p style="font-size:12px;color:#555">${t(lang, "newsletter.mail.why")}
<a href="${links.unsubscribeUrl}">${t(lang, "mail.unsubscribe")}</a></p>`,
      content.subject[lang],
    ),
    headers: listUnsubscribeHeaders(links.unsubscribeUrl),
  };
}

function eventParts(e: IssueEvent, lang: Lang, publicUrl: string) {
  const place = localized(e.place, lang).text;
  const date = formatIn(lang, e.startsAt, { dateStyle: "long", timeStyle: "short", timeZone: editorTimeZone })
    // Readers are in many time zones: say which one the time is in.
    .concat(` (${editorTimeZone})`);
  return {
    title: localized(e.title, lang),
    summary: localized(e.summary, lang),
    when: place ? `${date} · ${place}` : date,
    url: `${publicUrl}/${lang}/events/${encodeURIComponent(e.slug)}`,
  };
}

/** Text the editor typed, split on blank lines; each paragraph is escaped when it becomes HTML. */
function paragraphs(text: string): string[] {
  return text
    .split(/\r?\n\s*\r?\n/)
    .map((p) => p.trim())
    .filter(Boolean);
}

/** A title shown in the other language (the editors wrote only that one) says so to screen readers. */
function langAttribute(textLang: Lang, lang: Lang): Html | string {
  return textLang === lang ? "" : html` lang="${textLang}"`;
}
