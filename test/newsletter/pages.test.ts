import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dateTime, sendLabel, subscribersLine } from "../../src/newsletter/views/shared.ts";
import { type PageClient, startTestApp, type TestApp, textOf } from "../helpers/app.ts";
import { rawHeader } from "../helpers/smtp.ts";
import { addAccount, addEvent, addSubscribers, issueStatus, loggedIn } from "./fixtures.ts";

let t: TestApp;
let editor: PageClient;
let media: PageClient;
const hour = 3_600_000;

beforeAll(async () => {
  t = await startTestApp();
  const now = t.clock.now();
  const ago = (h: number) => new Date(now.getTime() - h * hour);
  await addEvent(t.db, { slug: "summit-day-1", startsAt: ago(48), publishedAt: ago(40) });
  await addEvent(t.db, {
    slug: "summit-day-2",
    startsAt: ago(24),
    publishedAt: ago(20),
    summaryEn: 'Leaders agreed on <b>"everything"</b> & more.',
  });
  await addEvent(t.db, { slug: "secret-draft", startsAt: ago(12), publishedAt: null });
  await addEvent(t.db, {
    slug: "publishes-tomorrow",
    startsAt: ago(6),
    publishedAt: new Date(now.getTime() + 24 * hour),
  });
  await addSubscribers(t.db, 3, now);
  editor = await loggedIn(
    t,
    await addAccount(t.db, { email: "editor@x.example", role: "editor", language: "fr" }, now),
  );
  media = await loggedIn(t, await addAccount(t.db, { email: "media@x.example", subscribed: true }, now));
});
afterAll(() => t.close());

async function newIssue(): Promise<number> {
  await editor.get("/en/editor/newsletter");
  const created = await editor.submit("/en/editor/newsletter", {});
  expect(created.statusCode).toBe(303);
  return Number(String(created.headers.location).match(/newsletter\/(\d+)\/edit$/)![1]);
}

describe("composing an issue", () => {
  it("starts from the latest published events, never a draft or one published later", async () => {
    const id = await newIssue();
    const page = await editor.get(`/en/editor/newsletter/${id}/edit`);
    expect(page.statusCode).toBe(200);
    const text = textOf(page.body);
    expect(text).toContain("Event summit-day-2");
    expect(text).toContain("Event summit-day-1");
    expect(text).not.toContain("secret-draft");
    expect(text).not.toContain("publishes-tomorrow");
    // Both languages side by side, each field marked with the language of its text.
    expect(page.body).toMatch(/id="subject_en"[^>]*lang="en"/);
    expect(page.body).toMatch(/id="subject_fr"[^>]*lang="fr"/);
    expect(page.body).toMatch(
      /<textarea id="e1_summary_fr"[^>]*lang="fr">Ce qui s’est passé à summit-day-1.</,
    );
    // Newest first, both ticked.
    expect(text.indexOf("Event summit-day-2")).toBeLessThan(text.indexOf("Event summit-day-1"));
    expect(page.body.match(/_include" value="1" checked/g)).toHaveLength(2);
  });

  it("saves edits in both languages and shows each problem next to its field", async () => {
    const id = await newIssue();
    await editor.get(`/en/editor/newsletter/${id}/edit`);
    const bad = await editor.submit(`/en/editor/newsletter/${id}/edit`, {
      subject_en: "",
      subject_fr: "Objet",
      intro_en: "",
      intro_fr: "",
      next: "edit",
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('href="#subject_en"');
    expect(textOf(bad.body)).toContain("Enter the subject.");

    await editor.get(`/en/editor/newsletter/${id}/edit`);
    const saved = await editor.submit(`/en/editor/newsletter/${id}/edit`, {
      subject_en: "This week",
      subject_fr: "Cette semaine",
      intro_en: "Hello <editors>",
      intro_fr: "Bonjour",
      e0_id: String(/name="e0_id" value="(\d+)"/.exec(editor.lastHtml)![1]),
      e0_include: "1",
      e0_title_en: "Summit, day two",
      e0_title_fr: "Sommet, deuxième jour",
      e0_summary_en: "Edited summary",
      e0_summary_fr: "Résumé modifié",
      e1_id: String(/name="e1_id" value="(\d+)"/.exec(editor.lastHtml)![1]),
      e1_title_en: "x",
      e1_title_fr: "x",
      e1_summary_en: "",
      e1_summary_fr: "",
      next: "preview",
    });
    expect(saved.statusCode).toBe(303);
    expect(saved.headers.location).toBe(`/en/editor/newsletter/${id}/preview`);
    const preview = await editor.get(`/en/editor/newsletter/${id}/preview`);
    const text = textOf(preview.body);
    expect(text).toContain("This week");
    expect(text).toContain("Cette semaine");
    expect(text).toContain("Summit, day two");
    expect(text).toContain("Sommet, deuxième jour");
    expect(text).not.toContain("summit-day-1."); // unticked
    expect(text).toContain("Send to 4 subscribers");
  });
});

describe("preview and test", () => {
  it("shows both versions exactly as sent, escaped, and sends the test to the editor alone", async () => {
    const id = await newIssue();
    const frameEn = await editor.get(`/en/editor/newsletter/${id}/preview/en`);
    expect(frameEn.statusCode).toBe(200);
    expect(frameEn.headers["content-security-policy"]).toContain("frame-ancestors 'self'");
    expect(frameEn.body).toContain("Leaders agreed on &lt;b&gt;&quot;everything&quot;&lt;/b&gt; &amp; more.");
    expect(frameEn.body).toContain('href="http://pressroom.test/en/events/summit-day-2"');
    const frameFr = await editor.get(`/en/editor/newsletter/${id}/preview/fr`);
    expect(frameFr.body).toContain('<html lang="fr">');
    expect(frameFr.body).toContain('href="http://pressroom.test/fr/events/summit-day-1"');

    const preview = await editor.get(`/fr/editor/newsletter/${id}/preview`);
    expect(preview.body).toContain(`src="/fr/editor/newsletter/${id}/preview/en"`);
    expect(preview.body).toContain(`src="/fr/editor/newsletter/${id}/preview/fr"`);
    const before = t.smtp.received.length;
    const tested = await editor.submit(`/fr/editor/newsletter/${id}/test`, {});
    expect(tested.statusCode).toBe(303);
    expect(t.smtp.received.length).toBe(before + 2);
    const mails = t.smtp.received.slice(before);
    expect(mails.map((m) => m.to)).toEqual(["editor@x.example", "editor@x.example"]);
    expect(mails.map((m) => m.parsed.subject)).toEqual([
      expect.stringMatching(/^\[Test\] Pressroom newsletter/),
      expect.stringMatching(/^\[Test\] Lettre d’information Pressroom/),
    ]);
    expect(rawHeader(mails[0]!, "List-Unsubscribe-Post")).toBe("List-Unsubscribe=One-Click");
    expect(await issueStatus(t.db, id)).toBe("draft");
    expect(textOf((await editor.follow(tested)).body)).toContain("editor@x.example");
  });
});

describe("the confirmation step", () => {
  it("asks before sending, and refuses while an event of the issue is no longer published", async () => {
    const id = await newIssue();
    await t.db.query("UPDATE events SET published_at = NULL WHERE slug = 'summit-day-1'");
    try {
      const confirm = await editor.get(`/en/editor/newsletter/${id}/send`);
      expect(textOf(confirm.body)).toContain("4 subscribers: 3 in English, 1 in French.");
      const refused = await editor.submit(`/en/editor/newsletter/${id}/send`, {});
      expect(refused.statusCode).toBe(400);
      expect(textOf(refused.body)).toContain("An event in this issue is no longer published.");
      expect(await issueStatus(t.db, id)).toBe("draft");
    } finally {
      await t.db.query("UPDATE events SET published_at = starts_at WHERE slug = 'summit-day-1'");
    }
  });
});

describe("an issue with nothing in it", () => {
  it("is not sent: the confirmation says why, in the editor's language", async () => {
    const id = await newIssue();
    await t.db.query("UPDATE newsletter_issues SET intro_en = '', intro_fr = ' ' WHERE id = $1", [id]);
    await t.db.query("DELETE FROM newsletter_issue_events WHERE issue_id = $1", [id]);
    await editor.get(`/fr/editor/newsletter/${id}/send`);
    const refused = await editor.submit(`/fr/editor/newsletter/${id}/send`, {});
    expect(refused.statusCode).toBe(400);
    expect(textOf(refused.body)).toContain(
      "Ce numéro n’a ni introduction ni événement : il n’y a rien à envoyer.",
    );
    expect(await issueStatus(t.db, id)).toBe("draft");
  });
});

describe("who may use the newsletter pages", () => {
  it("refuses media users everything (403) and sends visitors to log in", async () => {
    const id = await newIssue();
    const pages = ["", `/${id}`, `/${id}/edit`, `/${id}/preview`, `/${id}/preview/en`, `/${id}/send`];
    for (const lang of ["en", "fr"]) {
      for (const p of pages) {
        expect((await media.get(`/${lang}/editor/newsletter${p}`)).statusCode, p).toBe(403);
      }
    }
    await media.get("/en/account");
    for (const p of [
      "",
      `/${id}/edit`,
      `/${id}/test`,
      `/${id}/send`,
      `/${id}/retry`,
      `/${id}/resume`,
      `/${id}/delete`,
    ]) {
      expect((await media.submit(`/en/editor/newsletter${p}`, {})).statusCode, p).toBe(403);
    }
    expect(t.smtp.received.filter((m) => m.to === "media@x.example")).toHaveLength(0);
    expect(await issueStatus(t.db, id)).toBe("draft");

    const visitor = await t.app.inject({
      url: `/en/editor/newsletter/${id}`,
      headers: { accept: "text/html" },
    });
    expect(visitor.statusCode).toBe(303);
    expect(visitor.headers.location).toBe(`/en/login?returnTo=%2Fen%2Feditor%2Fnewsletter%2F${id}`);
  });
});

describe("counts of subscribers", () => {
  it("says one subscriber as one, in both languages", () => {
    expect(subscribersLine("en", { en: 1, fr: 0 })).toBe("1 subscriber: 1 in English, 0 in French.");
    expect(sendLabel("en", 1)).toBe("Send to 1 subscriber");
    expect(sendLabel("fr", 1)).toBe("Envoyer à 1 abonné");
    expect(subscribersLine("fr", { en: 2, fr: 1 })).toBe("3 abonnés : 2 en anglais, 1 en français.");
    // French says none in the singular too; English, in the plural.
    expect(subscribersLine("fr", { en: 0, fr: 0 })).toBe("0 abonné : 0 en anglais, 0 en français.");
    expect(sendLabel("fr", 0)).toBe("Envoyer à 0 abonné");
    expect(sendLabel("en", 0)).toBe("Send to 0 subscribers");
  });
});

describe("dates of issues", () => {
  it("dates an issue as French writes the first of the month", () => {
    const first = new Date("2026-12-01T10:00:00Z");
    expect(dateTime("fr", first)).toMatch(/^1er déc\. 2026/);
    expect(dateTime("en", first)).toMatch(/^1 Dec 2026/);
  });
});
