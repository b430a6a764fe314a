import type { MailMessage } from "../core/mailer.ts";
import { type Html, html } from "../web/html.ts";
import { colon, type Lang, t } from "../web/i18n.ts";

/** Each e-mail is a function giving subject, plain text and HTML in the recipient's language. */

export function verificationCodeMail(lang: Lang, name: string, code: string): MailMessage {
  return codeMail(lang, name, code, "mail.verify.subject", "mail.verify.intro");
}

export function passwordResetCodeMail(lang: Lang, name: string, code: string): MailMessage {
  return codeMail(lang, name, code, "mail.reset.subject", "mail.reset.intro");
}

function codeMail(
  lang: Lang,
  name: string,
  code: string,
  subjectKey: "mail.verify.subject" | "mail.reset.subject",
  introKey: "mail.verify.intro" | "mail.reset.intro",
): MailMessage {
  const lines = [
    t(lang, "mail.greeting", { name }),
    t(lang, introKey),
    code,
    t(lang, "mail.code.expiry"),
    t(lang, "mail.code.ignore"),
  ];
  return {
    subject: t(lang, subjectKey, { code }),
    text: `${lines.join("\n\n")}\n\n— ${t(lang, "site.name")}\n`,
    html: mailLayout(
      lang,
      html`<p>${lines[0]}</p><p>${lines[1]}</p>
<p style="font-size:28px;font-weight:bold;letter-spacing:6px;font-family:monospace">${code}</p>
<p>${lines[3]}</p><p>${lines[4]}</p>`,
    ),
    outboxNote: `code ${code}`,
  };
}

/** Sent to the owner when someone tries to register an address that already has an account. */
export function alreadyRegisteredMail(
  lang: Lang,
  name: string,
  loginUrl: string,
  resetUrl: string,
): MailMessage {
  const lines = [
    t(lang, "mail.greeting", { name }),
    t(lang, "mail.exists.intro"),
    t(lang, "mail.exists.ignore"),
  ];
  return {
    subject: t(lang, "mail.exists.subject"),
    text: `${lines[0]}\n\n${lines[1]}\n\n${t(lang, "nav.login")}${colon(lang)} ${loginUrl}\n${t(lang, "login.forgot")}${colon(lang)} ${resetUrl}\n\n${lines[2]}\n`,
    html: mailLayout(
      lang,
      html`<p>${lines[0]}</p><p>${lines[1]}</p>
<p><a href="${loginUrl}">${t(lang, "nav.login")}</a> · <a href="${resetUrl}">${t(lang, "login.forgot")}</a></p>
<p>${lines[2]}</p>`,
    ),
  };
}

/** Confirms a newsletter subscription; like every newsletter it can be left in one click. */
export function newsletterWelcomeMail(lang: Lang, name: string, unsubscribeUrl: string): MailMessage {
  const lines = [t(lang, "mail.greeting", { name }), t(lang, "mail.newsletter.intro")];
  return {
    subject: t(lang, "mail.newsletter.subject"),
    text: `${lines.join("\n\n")}\n\n${t(lang, "mail.unsubscribe")}${colon(lang)} ${unsubscribeUrl}\n`,
    html: mailLayout(
      lang,
      html`<p>${lines[0]}</p><p>${lines[1]}</p>
<p style="font-size:12px"><a href="${unsubscribeUrl}">${t(lang, "mail.unsubscribe")}</a></p>`,
    ),
    headers: listUnsubscribeHeaders(unsubscribeUrl),
  };
}

/** RFC 2369 and RFC 8058 one-click unsubscribe, which mail providers show as a button. */
export function listUnsubscribeHeaders(unsubscribeUrl: string): Record<string, string> {
  return { "List-Unsubscribe": `<${unsubscribeUrl}>`, "List-Unsubscribe-Post": "List-Unsubscribe=One-Click" };
}

/**
 * The frame of every e-mail the portal sends (account mails and newsletters): the site's name over
 * the body, inline styles only, since mail clients drop style sheets.
 */
export function mailLayout(lang: Lang, body: Html, title: string = t(lang, "site.name")): string {
  return html`<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><title>${title}</title></head>
<body style="font-family:Arial,sans-serif;color:#1a1a1a;max-width:600px">
<p style="font-weight:bold;color:#003366">${t(lang, "site.name")}</p>${body}</body></html>`.value;
}
