import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp, textOf } from "../helpers/app.ts";
import { type ReceivedMail, rawHeader } from "../helpers/smtp.ts";
import {
  addAccount,
  addEvent,
  addSubscribers,
  deliveryStatuses,
  issueStatus,
  loggedIn,
  subscriberEmail,
  subscriberLanguage,
  waitFor,
} from "./fixtures.ts";

let t: TestApp;
const SUBSCRIBERS = 300;

beforeAll(async () => {
  t = await startTestApp({}, { work: true });
});
afterAll(() => t.close());

describe("sending an issue to every subscriber (real job workers, real SMTP server)", () => {
  it("sends each subscriber exactly one message, in their language, with one-click unsubscribe and event links", async () => {
    const now = t.clock.now();
    await addEvent(t.db, {
      slug: "summit",
      startsAt: new Date(now.getTime() - 86_400_000),
      publishedAt: now,
    });
    const ids = await addSubscribers(t.db, SUBSCRIBERS, now);
    const unsubscribed = await addAccount(t.db, { email: "left@x.example" }, now);
    const unverified = await addAccount(
      t.db,
      { email: "unverified@x.example", subscribed: true, verified: false },
      now,
    );
    const editorId = await addAccount(t.db, { email: "editor@x.example", role: "editor" }, now);
    expect([unsubscribed, unverified]).toHaveLength(2);
    const editor = await loggedIn(t, editorId);

    await editor.get("/en/editor/newsletter");
    const edit = await editor.follow(await editor.submit("/en/editor/newsletter", {}));
    const id = Number(/newsletter\/(\d+)\/edit/.exec(edit.body)![1]);
    const confirm = await editor.get(`/en/editor/newsletter/${id}/send`);
    expect(textOf(confirm.body)).toContain(`${SUBSCRIBERS} subscribers: 200 in English, 100 in French.`);
    const sent = await editor.submit(`/en/editor/newsletter/${id}/send`, {});
    expect(sent.statusCode).toBe(303);
    // A second click (or a second editor) adds nobody and sends nothing more.
    await editor.get(`/en/editor/newsletter/${id}`);
    expect((await editor.submit(`/en/editor/newsletter/${id}/send`, {})).statusCode).toBe(303);

    await waitFor(async () => (await issueStatus(t.db, id)) === "sent", 60_000);
    expect(await deliveryStatuses(t.db, id)).toEqual({ sent: SUBSCRIBERS });

    const byRecipient = new Map<string, ReceivedMail[]>();
    for (const mail of t.smtp.received) byRecipient.set(mail.to, [...(byRecipient.get(mail.to) ?? []), mail]);
    expect(byRecipient.size).toBe(SUBSCRIBERS);
    expect(byRecipient.has("left@x.example")).toBe(false);
    expect(byRecipient.has("unverified@x.example")).toBe(false);
    expect(byRecipient.has("editor@x.example")).toBe(false);
    for (const [i, userId] of ids.entries()) {
      const mails = byRecipient.get(subscriberEmail(i));
      expect(mails, subscriberEmail(i)).toHaveLength(1);
      const mail = mails![0]!;
      const lang = subscriberLanguage(i);
      expect(mail.parsed.subject).toMatch(lang === "fr" ? /^Lettre d’information/ : /^Pressroom newsletter/);
      const unsubscribe = rawHeader(mail, "List-Unsubscribe")!.slice(1, -1);
      expect(unsubscribe).toMatch(
        new RegExp(`^http://pressroom\\.test/${lang}/newsletter/unsubscribe\\?u=${userId}&t=`),
      );
      expect(rawHeader(mail, "List-Unsubscribe-Post")).toBe("List-Unsubscribe=One-Click");
      expect(mail.parsed.text).toContain(unsubscribe);
      expect(mail.parsed.text).toContain(`http://pressroom.test/${lang}/events/summit`);
      expect(mail.parsed.html).toContain(`href="http://pressroom.test/${lang}/events/summit"`);
      expect(mail.parsed.html).toContain(`href="${unsubscribe.replace(/&/g, "&amp;")}"`);
    }

    // Every link of the message opens a page, in both languages (the unsubscribe page included).
    for (const i of [0, 1]) {
      const mail = byRecipient.get(subscriberEmail(i))![0]!;
      const hrefs = [...String(mail.parsed.html).matchAll(/href="(http:\/\/pressroom\.test[^"]*)"/g)].map(
        (m) => m[1]!.replace(/&amp;/g, "&"),
      );
      expect(hrefs.length).toBeGreaterThan(2);
      for (const href of new Set(hrefs)) {
        const url = new URL(href);
        const opened = await t.app.inject({ url: url.pathname + url.search });
        expect(opened.statusCode, href).toBe(200);
      }
    }
    expect(byRecipient.get(subscriberEmail(0))![0]!.parsed.text).toMatch(/Derniers événements\u00a0: http/);

    // The one-click link works for whoever received it, without logging in.
    const mail = byRecipient.get(subscriberEmail(3))![0]!;
    const url = new URL(rawHeader(mail, "List-Unsubscribe")!.slice(1, -1));
    const click = await t.app.inject({
      method: "POST",
      url: url.pathname + url.search,
      headers: { "content-type": "application/x-www-form-urlencoded" },
      payload: "List-Unsubscribe=One-Click",
    });
    expect(click.statusCode).toBe(200);
    const [row] = await t.db.query<{ newsletter_subscribed_at: Date | null }>(
      "SELECT newsletter_subscribed_at FROM users WHERE id = $1",
      [ids[3]],
    );
    expect(row!.newsletter_subscribed_at).toBeNull();

    const list = textOf((await editor.get("/en/editor/newsletter")).body);
    expect(list).toContain(`${SUBSCRIBERS} of ${SUBSCRIBERS} sent, 0 to check`);
    // Generous for a loaded machine: each message opens its own SMTP connection.
  }, 90_000);
});
