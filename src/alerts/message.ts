import { localized } from "../catalogue/types.ts";
import { itemPath } from "../catalogue/urls.ts";
import type { ItemCard } from "../catalogue/view-models.ts";
import type { MailMessage } from "../core/mailer.ts";
import { listUnsubscribeHeaders, mailLayout } from "../mail/messages.ts";
import { type Html, html } from "../web/html.ts";
import { colon, type Lang, t, tCount } from "../web/i18n.ts";

/**
 * The alert e-mails, in the recipient's language, in the one mail layout, with the one-click
 * unsubscribe headers every newsletter has. Each carries a Message-ID made from what it is
 * about: a message sent again after a crash is the same message to the reader's mail client.
 */

export type AlertLinks = { publicUrl: string; unsubscribeUrl: string };

type ItemParts = {
  title: { text: string; lang: Lang };
  description: { text: string; lang: Lang };
  url: string;
};

function itemParts(item: ItemCard, lang: Lang, publicUrl: string): ItemParts {
  return {
    title: localized(item.title, lang),
    description: localized(item.description, lang),
    url: `${publicUrl}${itemPath(lang, item.id)}`,
  };
}

const langAttribute = (textLang: Lang, lang: Lang): Html | string =>
  textLang === lang ? "" : html` lang="${textLang}"`;

function itemHtml(p: ItemParts, lang: Lang): Html {
  return html`<div style="border-top:1px solid #d0d4d9;padding:12px 0">
<h3 style="font-size:16px;margin:0 0 4px"${langAttribute(p.title.lang, lang)}><a href="${p.url}" style="color:#003366">${p.title.text}</a></h3>
${p.description.text ? html`<p style="margin:0"${langAttribute(p.description.lang, lang)}>${p.description.text.slice(0, 300)}</p>` : ""}
</div>`;
}

const itemText = (p: ItemParts) =>
  [p.title.text, p.description.text.slice(0, 300), p.url].filter(Boolean).join("\n");

function messageId(publicUrl: string, what: string): Record<string, string> {
  return { "Message-ID": `<${what}@${new URL(publicUrl).hostname}>` };
}

/** One new item for one saved search ("immediate" alerts). */
export function alertMail(
  lang: Lang,
  input: { name: string; searchName: string; item: ItemCard; deliveryId: number },
  links: AlertLinks,
): MailMessage {
  const p = itemParts(input.item, lang, links.publicUrl);
  const manage = `${links.publicUrl}/${lang}/account/saved-searches`;
  const search = input.searchName;
  const lines = [t(lang, "mail.greeting", { name: input.name }), t(lang, "alerts.mail.intro", { search })];
  return {
    subject: t(lang, "alerts.mail.subject", { search, title: p.title.text }),
    text: `${[...lines, itemText(p)].join("\n\n")}\n\n--\n${t(lang, "alerts.mail.why", { search })}\n${t(lang, "alerts.mail.manage")}${colon(lang)} ${manage}\n${t(lang, "alerts.mail.unsubscribe")}${colon(lang)} ${links.unsubscribeUrl}\n`,
    html: mailLayout(
      lang,
      html`<p>${lines[0]}</p><p>${lines[1]}</p>
${itemHtml(p, lang)}
<p style="font-size:12px;color:#555;border-top:1px solid #d0d4d9;padding-top:12px">${t(lang, "alerts.mail.why", { search })}
<a href="${manage}">${t(lang, "alerts.mail.manage")}</a> · <a href="${links.unsubscribeUrl}">${t(lang, "alerts.mail.unsubscribe")}</a></p>`,
    ),
    headers: {
      ...listUnsubscribeHeaders(links.unsubscribeUrl),
      ...messageId(links.publicUrl, `alert-${input.deliveryId}`),
    },
  };
}

export type DigestGroup = { searchName: string; items: ItemCard[]; unsubscribeUrl: string };

/** The day's new items for each of a user's daily searches; its one-click link stops them all. */
export function digestMail(
  lang: Lang,
  input: { name: string; groups: DigestGroup[]; digestId: number },
  links: AlertLinks,
): MailMessage {
  const manage = `${links.publicUrl}/${lang}/account/saved-searches`;
  const count = input.groups.reduce((n, g) => n + g.items.length, 0);
  const groups = input.groups.map((g) => ({
    ...g,
    parts: g.items.map((i) => itemParts(i, lang, links.publicUrl)),
  }));
  const lines = [t(lang, "mail.greeting", { name: input.name }), t(lang, "alerts.digest.intro")];
  const text = [
    ...lines,
    ...groups.map(
      (g) =>
        `== ${g.searchName} ==\n\n${g.parts.map(itemText).join("\n\n")}\n${t(lang, "alerts.mail.unsubscribe")}${colon(lang)} ${g.unsubscribeUrl}`,
    ),
    `--\n${t(lang, "alerts.digest.why")}\n${t(lang, "alerts.mail.manage")}${colon(lang)} ${manage}\n${t(lang, "alerts.digest.unsubscribe_all")}${colon(lang)} ${links.unsubscribeUrl}`,
  ].join("\n\n");
  return {
    subject: tCount(lang, "alerts.digest.subject", count),
    text: `${text}\n`,
    html: mailLayout(
      lang,
      html`<p>${lines[0]}</p><p>${lines[1]}</p>
${groups.map(
  (g) => html`<h2 style="font-size:18px;margin:16px 0 4px">${g.searchName}</h2>
${g.parts.map((p) => itemHtml(p, lang))}
<p style="font-size:12px"><a href="${g.unsubscribeUrl}">${t(lang, "alerts.mail.unsubscribe")}</a></p>`,
)}
<p style="font-size:12px;color:#555;border-top:1px solid #d0d4d9;padding-top:12px">${t(lang, "alerts.digest.why")}
<a href="${manage}">${t(lang, "alerts.mail.manage")}</a> · <a href="${links.unsubscribeUrl}">${t(lang, "alerts.digest.unsubscribe_all")}</a></p>`,
    ),
    headers: {
      ...listUnsubscribeHeaders(links.unsubscribeUrl),
      ...messageId(links.publicUrl, `alert-digest-${input.digestId}`),
    },
  };
}
