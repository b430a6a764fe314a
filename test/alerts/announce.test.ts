import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSession } from "../../src/accounts/sessions.ts";
import { announceAvailableItems } from "../../src/alerts/announce.ts";
import { startAlertTicker } from "../../src/alerts/jobs.ts";
import { digestDue, sendDigests, sendImmediateAlerts } from "../../src/alerts/sending.ts";
import { createMailer } from "../../src/mail/transport.ts";
import { createItem } from "../catalogue/fixtures.ts";
import { createAccount, SESSION_COOKIE } from "../helpers/accounts.ts";
import { startTestApp, type TestApp } from "../helpers/app.ts";
import { rawHeader } from "../helpers/smtp.ts";
import { startRefusingSmtpServer } from "../newsletter/refusing-smtp.ts";

/**
 * Announcing newly available items to saved searches: the e-mail at once, the daily digest,
 * embargoes, one-click unsubscribe. The jobs' handlers run directly; the test moves the clock.
 */
describe("alerts", () => {
  let t: TestApp;
  const anna = "anna@example.test";
  const remi = "remi@example.test";
  const cookies: Record<string, string> = {};

  async function account(email: string, language: "en" | "fr"): Promise<void> {
    const id = await createAccount(t.db, t.clock.now(), { email, role: "media", name: email.split("@")[0] });
    await t.db.query("UPDATE users SET language = $2 WHERE id = $1", [id, language]);
    cookies[email] = `${SESSION_COOKIE}=${await startSession(t.deps, id)}`;
  }

  async function save(email: string, body: object): Promise<number> {
    const answer = await t.app.inject({
      method: "POST",
      url: "/api/v1/me/saved-searches",
      headers: { cookie: cookies[email]!, "content-type": "application/json" },
      payload: body,
    });
    expect(answer.statusCode).toBe(201);
    return (answer.json() as { id: number }).id;
  }

  async function alertOf(email: string, id: number): Promise<string | undefined> {
    const answer = await t.app.inject({
      url: "/api/v1/me/saved-searches",
      headers: { cookie: cookies[email]!, accept: "application/json" },
    });
    return (answer.json() as { savedSearches: { id: number; alert: string }[] }).savedSearches.find(
      (s) => s.id === id,
    )?.alert;
  }

  /** What the worker does after a publish: announce, then send what that queued. */
  async function announceAndSend(): Promise<{ announced: number; sent: number }> {
    const { announced } = await announceAvailableItems(t.deps);
    const { sent } = await sendImmediateAlerts(t.deps);
    return { announced, sent };
  }

  beforeAll(async () => {
    t = await startTestApp();
    await account(anna, "en");
    await account(remi, "fr");
  });
  afterAll(async () => {
    await t?.close();
  });

  it("sends one e-mail for the search a newly published item matches, with its link and one-click unsubscribe", async () => {
    const climate = await save(anna, { name: "Climate", query: "climate", alert: "immediate" });
    await save(anna, { name: "Football", query: "football", alert: "immediate" });
    await save(remi, { name: "Climat (flux)", query: "climate", alert: "none" });

    const item = await createItem(t.db, {
      title: { en: "Climate summit opens" },
      publishedAt: t.clock.now(),
    });
    expect(await announceAndSend()).toEqual({ announced: 1, sent: 1 });
    const mail = await t.smtp.waitForMail(anna);
    expect(t.smtp.mailsTo(anna)).toHaveLength(1);
    expect(t.smtp.mailsTo(remi)).toHaveLength(0);
    expect(mail.parsed.subject).toBe("New for “Climate”: Climate summit opens");
    expect(mail.parsed.text).toContain(`http://pressroom.test/en/items/${item}`);
    expect(mail.parsed.html).toContain(`href="http://pressroom.test/en/items/${item}"`);
    const unsubscribe = rawHeader(mail, "List-Unsubscribe")!;
    expect(unsubscribe).toMatch(
      new RegExp(`^<http://pressroom\\.test/en/alerts/unsubscribe\\?s=${climate}&t=[\\w-]+>$`),
    );
    expect(rawHeader(mail, "List-Unsubscribe-Post")).toBe("List-Unsubscribe=One-Click");
    // Sent again after a crash between SMTP and the row's update, it is the same message.
    expect(mail.parsed.messageId).toMatch(/^<alert-\d+@pressroom\.test>$/);

    // Announced once: running the job again sends nothing.
    expect(await announceAndSend()).toEqual({ announced: 0, sent: 0 });
    expect(t.smtp.mailsTo(anna)).toHaveLength(1);

    // The mail provider's one-click POST, without any form token: the search's e-mails stop.
    const url = unsubscribe.slice(1, -1).replace("http://pressroom.test", "");
    const forged = await t.app.inject({ method: "POST", url: url.replace(/t=[\w-]+/, "t=forged") });
    expect(forged.statusCode).toBe(400);
    const click = await t.app.inject({
      method: "POST",
      url,
      headers: { "content-type": "application/x-www-form-urlencoded" },
      payload: "List-Unsubscribe=One-Click",
    });
    expect(click.statusCode).toBe(200);
    expect(await alertOf(anna, climate)).toBe("none");
    await createItem(t.db, { title: { en: "Climate talks close" }, publishedAt: t.clock.now() });
    expect(await announceAndSend()).toEqual({ announced: 1, sent: 0 });
  });

  it("announces an embargoed item when its embargo lifts, never before, and once", async () => {
    await save(anna, { name: "Budget", query: "budget", alert: "immediate" });
    const before = t.smtp.mailsTo(anna).length;
    const lifts = new Date(t.clock.now().getTime() + 3_600_000);
    const item = await createItem(t.db, {
      title: { en: "Budget statement" },
      publishedAt: t.clock.now(),
      embargoUntil: lifts,
    });
    expect(await announceAndSend()).toEqual({ announced: 0, sent: 0 });
    t.clock.advance(3_599_000);
    expect(await announceAndSend()).toEqual({ announced: 0, sent: 0 });
    t.clock.advance(1_000);
    expect(await announceAndSend()).toEqual({ announced: 1, sent: 1 });
    const mail = await t.smtp.waitForMail(anna, before);
    expect(mail.parsed.text).toContain(`http://pressroom.test/en/items/${item}`);
    t.clock.advance(60_000);
    expect(await announceAndSend()).toEqual({ announced: 0, sent: 0 });
    expect(t.smtp.mailsTo(anna)).toHaveLength(before + 1);
  });

  it("sends one daily digest per user at 07:00 UTC, in their language, with the day's items", async () => {
    const energy = await save(remi, { name: "Énergie", query: "energy", alert: "daily" });
    await save(remi, { name: "Vidéos en français", filters: { language: "fr" }, alert: "daily" });
    await createItem(t.db, {
      title: { en: "Energy prices", fr: "Prix de l’énergie" },
      publishedAt: t.clock.now(),
    });
    await createItem(t.db, {
      title: { fr: "Conférence sur le nucléaire" },
      languages: ["fr"],
      publishedAt: t.clock.now(),
    });
    expect(await announceAndSend()).toEqual({ announced: 2, sent: 0 });

    // Before 07:00 the next day, today's items wait for tomorrow's digest.
    const tomorrow = digestDue(new Date(t.clock.now().getTime() + 86_400_000)).day;
    expect(await sendDigests(t.deps, tomorrow)).toEqual({ sent: 0 });
    const at7 = new Date(`${tomorrow}T07:00:00Z`).getTime();
    t.clock.advance(at7 - t.clock.now().getTime());
    expect(digestDue(t.clock.now()).day).toBe(tomorrow);
    expect(await sendDigests(t.deps, tomorrow)).toEqual({ sent: 1 });
    const mail = await t.smtp.waitForMail(remi);
    expect(mail.parsed.subject).toBe("Votre alerte quotidienne : 2 nouveaux éléments");
    expect(mail.parsed.text).toContain("Prix de l’énergie");
    expect(mail.parsed.text).toContain("Conférence sur le nucléaire");
    expect(mail.parsed.text).toContain(`/fr/alerts/unsubscribe?s=${energy}&t=`);
    expect(rawHeader(mail, "List-Unsubscribe")).toMatch(
      /^<http:\/\/pressroom\.test\/fr\/alerts\/unsubscribe\?u=\d+&t=/,
    );

    // Run again (a retry, another worker): nobody gets a second digest that day.
    expect(await sendDigests(t.deps, tomorrow)).toEqual({ sent: 0 });
    expect(t.smtp.mailsTo(remi)).toHaveLength(1);

    // The digest's one-click link stops all of the user's daily e-mails.
    const url = rawHeader(mail, "List-Unsubscribe")!.slice(1, -1).replace("http://pressroom.test", "");
    const page = await t.app.inject({ url });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain("Voulez-vous arrêter vos résumés quotidiens ?");
    const confirmed = await t.app.inject({ method: "POST", url });
    expect(confirmed.statusCode).toBe(303);
    expect(await alertOf(remi, energy)).toBe("none");
  });

  it("announces a large import in batches: every item once, each matching search alerted once per item", async () => {
    const lighthouse = await save(anna, { name: "Lighthouses", query: "lighthouse", alert: "daily" });
    const published = t.clock.now();
    for (let n = 0; n < 450; n += 1) {
      const title = n % 3 === 0 ? `Lighthouse keepers' union, part ${n}` : `Quarry inspection, part ${n}`;
      await createItem(t.db, { title: { en: title }, publishedAt: published });
    }
    expect(await announceAvailableItems(t.deps)).toEqual({ announced: 450, alerts: 150 });
    const rows = await t.db.query<{ items: number; pairs: number }>(
      `SELECT count(DISTINCT item_id)::int AS items, count(*)::int AS pairs
       FROM alert_deliveries WHERE saved_search_id = $1`,
      [lighthouse],
    );
    expect(rows[0]).toEqual({ items: 150, pairs: 150 });
    expect(await announceAvailableItems(t.deps)).toEqual({ announced: 0, alerts: 0 });
  });

  it("tries a refused message again on the job's next run, and sends none of the others twice", async () => {
    const refused = "refused-desk@example.test";
    await account(refused, "en");
    await save(refused, { name: "Harbour", query: "harbour", alert: "immediate" });
    await save(anna, { name: "Harbour too", query: "harbour", alert: "immediate" });
    const before = t.smtp.mailsTo(anna).length;
    await createItem(t.db, { title: { en: "Harbour reopens" }, publishedAt: t.clock.now() });
    expect((await announceAvailableItems(t.deps)).announced).toBe(1);

    const refusing = await startRefusingSmtpServer();
    const mailer = createMailer({
      smtpUrl: refusing.url,
      from: t.deps.config.mailFrom,
      outboxDir: t.dataDir,
      log: t.deps.log,
    });
    try {
      await expect(sendImmediateAlerts({ ...t.deps, mailer })).rejects.toThrow(
        "1 alert e-mails were refused",
      );
      expect(refusing.accepted).toEqual([anna]);
      // The job's retry: what was sent is not sent again.
      await expect(sendImmediateAlerts({ ...t.deps, mailer })).rejects.toThrow();
      expect(refusing.accepted).toEqual([anna]);
    } finally {
      mailer.close();
      await refusing.close();
    }
    // Once the address takes mail again, only its message goes.
    expect(await sendImmediateAlerts(t.deps)).toEqual({ sent: 1 });
    expect((await t.smtp.waitForMail(refused)).parsed.subject).toBe("New for “Harbour”: Harbour reopens");
    expect(t.smtp.mailsTo(anna)).toHaveLength(before);
  });

  it("queues the announcing and the day's digest from a ticker that stops cleanly", async () => {
    await t.db.query("DELETE FROM pgboss.job WHERE name LIKE 'alerts.%'");
    const ticker = startAlertTicker(t.deps, 3_600_000);
    await ticker.stop();
    const rows = await t.db.query<{ name: string; key: string }>(
      "SELECT name, singleton_key AS key FROM pgboss.job WHERE name LIKE 'alerts.%' ORDER BY name",
    );
    expect(rows).toEqual([
      { name: "alerts.announce", key: "all" },
      { name: "alerts.digest", key: digestDue(t.clock.now()).day },
    ]);
  });
});
