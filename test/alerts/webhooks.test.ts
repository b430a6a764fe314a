import { createHmac, timingSafeEqual } from "node:crypto";
import dns from "node:dns";
import http from "node:http";
import type { AddressInfo } from "node:net";
import type { FastifyInstance, LightMyRequestResponse } from "fastify";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createApiToken } from "../../src/accounts/api-tokens.ts";
import { startSession } from "../../src/accounts/sessions.ts";
import { findUserById } from "../../src/accounts/store.ts";
import { announceAvailableItems } from "../../src/alerts/announce.ts";
import { deliverWebhook } from "../../src/alerts/webhook-delivery.ts";
import { queueWebhookDeliveries } from "../../src/alerts/webhooks-queue.ts";
import { buildApp } from "../../src/app/build-app.ts";
import { createItem } from "../catalogue/fixtures.ts";
import { createAccount, SESSION_COOKIE } from "../helpers/accounts.ts";
import { PageClient, startTestApp, type TestApp, textOf } from "../helpers/app.ts";
import { expectValidNinjs } from "../helpers/ninjs.ts";

/**
 * Webhooks end to end: the API and the account page register them; an item queued by the
 * announcer is POSTed as signed ninjs to a real HTTP receiver on 127.0.0.1 (hence
 * WEBHOOKS_ALLOW_PRIVATE=1 here; a second app on the same database runs without it). The job's
 * handler runs directly and the test moves the clock instead of waiting for retries.
 */

type Received = { headers: http.IncomingHttpHeaders; body: string };

class Receiver {
  readonly received: Received[] = [];
  /** Status codes to answer, in turn; 200 once they run out. */
  answers: number[] = [];
  private server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      this.received.push({ headers: request.headers, body: Buffer.concat(chunks).toString("utf8") });
      response.statusCode = this.answers.shift() ?? 200;
      response.end("thanks");
    });
  });
  url = "";

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hook`;
  }
  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

/** What a receiver does with a request: checks the signature with its secret, and the timestamp. */
function verify(request: Received, secret: string, now: Date): boolean {
  const header = String(request.headers["x-pressroom-signature"] ?? "");
  const match = header.match(/^t=(\d+),v1=([0-9a-f]{64})$/);
  if (!match) return false;
  const expected = createHmac("sha256", secret).update(`${match[1]}.${request.body}`).digest();
  const fresh = Math.abs(Number(match[1]) - now.getTime() / 1000) < 300;
  return fresh && timingSafeEqual(expected, Buffer.from(match[2]!, "hex"));
}

describe("webhooks", () => {
  let t: TestApp;
  let strict: FastifyInstance;
  const receiver = new Receiver();
  let userId: number;
  let cookie: string;

  const api = (
    app: FastifyInstance,
    method: "GET" | "POST" | "DELETE",
    url: string,
    options: { payload?: object; headers?: Record<string, string> } = {},
  ) =>
    app.inject({
      method,
      url,
      headers: {
        accept: "application/json",
        cookie,
        ...(options.payload ? { "content-type": "application/json" } : { "x-requested-with": "test" }),
        ...options.headers,
      },
      ...(options.payload ? { payload: options.payload } : {}),
    });
  const json = <T>(r: LightMyRequestResponse) => r.json() as T;
  type Created = { id: number; secret: string; url: string };
  type Listed = {
    webhooks: { id: number; deliveries: { id: string; status: string; attempts: number }[] }[];
  };
  type Problem = { error: { code: string; fields: Record<string, string[]> } };

  const register = async (payload: object) => {
    const answer = await api(t.app, "POST", "/api/v1/me/webhooks", { payload });
    expect(answer.statusCode).toBe(201);
    return json<Created>(answer);
  };
  const deliveryRow = async (id: string) => {
    const [row] = await t.db.query<{ status: string; attempts: number; last_status_code: number | null }>(
      "SELECT status, attempts, last_status_code FROM webhook_deliveries WHERE id = $1::uuid",
      [id],
    );
    return row;
  };
  /** The deliveries' jobs waiting in the queue, with how long after queueing each may start. */
  const queuedJobs = async () =>
    t.db.query<{ id: string; delay: number }>(
      `SELECT data->>'id' AS id, round(extract(epoch FROM start_after - created_on))::int AS delay
       FROM pgboss.job WHERE name = 'webhooks.deliver' AND state = 'created' ORDER BY created_on`,
    );
  const queue = (itemId: number, savedSearchIds: number[] = []) =>
    t.db.transaction((tx) =>
      queueWebhookDeliveries(
        tx,
        [itemId],
        savedSearchIds.map((searchId) => ({ itemId, searchId })),
        { now: t.clock.now() },
      ),
    );

  beforeAll(async () => {
    t = await startTestApp({ WEBHOOKS_ALLOW_PRIVATE: "1" });
    strict = await buildApp({ ...t.deps, config: { ...t.deps.config, webhooks: { allowPrivate: false } } });
    await strict.ready();
    await receiver.start();
    userId = await createAccount(t.db, t.clock.now(), { email: "wire@example.test", role: "media" });
    cookie = `${SESSION_COOKIE}=${await startSession(t.deps, userId)}`;
  });
  afterAll(async () => {
    await strict?.close();
    await receiver.close();
    await t?.close();
  });

  it("registers a webhook for a session or an API token; the secret is shown once", async () => {
    expect((await api(t.app, "GET", "/api/v1/me/webhooks", { headers: { cookie: "" } })).statusCode).toBe(
      401,
    );
    const made = await register({ url: receiver.url });
    expect(made.secret).toMatch(/^whsec_[\w-]{40,}$/);
    const listed = await api(t.app, "GET", "/api/v1/me/webhooks");
    expect(json<Listed>(listed).webhooks.map((w) => w.id)).toContain(made.id);
    expect(listed.body).not.toContain(made.secret);

    const user = await findUserById(t.db, userId);
    const token = await createApiToken(t.deps, user!, "newsroom system", "read");
    const byToken = { headers: { cookie: "", authorization: `Bearer ${token}` } };
    const other = await api(t.app, "POST", "/api/v1/me/webhooks", {
      ...byToken,
      payload: { url: `${receiver.url}?system=1` },
    });
    expect(other.statusCode).toBe(201);
    const otherId = json<Created>(other).id;
    expect((await api(t.app, "DELETE", `/api/v1/me/webhooks/${otherId}`, byToken)).statusCode).toBe(204);
    expect((await api(t.app, "DELETE", `/api/v1/me/webhooks/${otherId}`, byToken)).statusCode).toBe(404);
    const openapi = json<{ paths: Record<string, object> }>(
      await t.app.inject({ url: "/api/v1/openapi.json" }),
    );
    expect(Object.keys(openapi.paths)).toEqual(
      expect.arrayContaining(["/api/v1/me/webhooks", "/api/v1/me/webhooks/{id}"]),
    );
    const post = (openapi.paths["/api/v1/me/webhooks"] as Record<string, Record<string, unknown>>).post!;
    expect(JSON.stringify(post.requestBody)).toContain('"url"');
    expect(JSON.stringify((post.responses as Record<string, unknown>)["201"])).toContain('"secret"');
  });

  it("refuses http, private addresses, the portal itself and credentials, per field, in the user's language", async () => {
    const refusal = async (url: string, lang = "en") => {
      const answer = await api(strict, "POST", "/api/v1/me/webhooks", {
        payload: { url },
        headers: { "accept-language": lang },
      });
      expect(answer.statusCode).toBe(400);
      return json<Problem>(answer).error.fields.url?.join(" ");
    };
    expect(await refusal("http://newsroom.example.com/hook")).toBe("The address must start with https://.");
    expect(await refusal("http://newsroom.example.com/hook", "fr")).toBe(
      "L'adresse doit commencer par https://.",
    );
    const privateMessage = "This address leads to a private or local network, which webhooks cannot reach.";
    for (const url of [
      "https://127.0.0.1/hook",
      "https://localhost/hook",
      "https://10.1.2.3/hook",
      "https://169.254.169.254/latest/meta-data",
      "https://[::1]/hook",
      "https://[::ffff:127.0.0.1]/hook",
      "https://[fd00::1]/hook",
      "https://[fe80::1]/hook",
      // IPv6 addresses that lead to a private IPv4 one: NAT64 (10.0.0.1), 6to4 (127.0.0.1).
      "https://[64:ff9b::a00:1]/hook",
      "https://[2002:7f00:1::1]/hook",
      // IPv4-compatible (::/96, deprecated), refused whole: 127.0.0.1, 169.254.169.254, 10.0.0.1.
      "https://[::127.0.0.1]/hook",
      "https://[::a9fe:a9fe]/latest/meta-data/",
      "https://[::a00:1]/hook",
      // Local-use NAT64 (64:ff9b:1::/48), refused whole: 127.0.0.1 at bits 48-87, whatever the last 32 say.
      "https://[64:ff9b:1:7f00:0:100:5db8:d70e]/hook",
      "https://[64:ff9b:1::5db8:d70e]/hook",
    ]) {
      expect(await refusal(url), url).toBe(privateMessage);
    }
    // The well-known NAT64 prefix stays judged by its last 32 bits: 93.184.215.14 is public.
    const nat64 = await api(strict, "POST", "/api/v1/me/webhooks", {
      payload: { url: "https://[64:ff9b::5db8:d70e]/hook" },
    });
    expect(nat64.statusCode, nat64.body).toBe(201);
    await api(strict, "DELETE", `/api/v1/me/webhooks/${json<Created>(nat64).id}`);
    expect(await refusal("https://PRESSROOM.test/hook")).toBe("The address must not point at this portal.");
    expect(await refusal("https://user:secret@newsroom.example.com/hook")).toBe(
      "The address must not contain a user name or password.",
    );
    expect(await refusal("ftp://newsroom.example.com/")).toBe("Enter a web address starting with https://.");
    // The portal's own host stays refused when private addresses are allowed.
    const own = await api(t.app, "POST", "/api/v1/me/webhooks", {
      payload: { url: "http://pressroom.test/x" },
    });
    expect(json<Problem>(own).error.fields.url).toEqual(["The address must not point at this portal."]);
    const search = await api(t.app, "POST", "/api/v1/me/webhooks", {
      payload: { url: receiver.url, savedSearch: 999_999 },
    });
    expect(json<Problem>(search).error.fields.savedSearch).toEqual(["Choose one of your saved searches."]);
  });

  it("POSTs a new item as signed ninjs, retries a 500 with the same delivery id, and never resends a 2xx", async () => {
    await t.db.query("DELETE FROM webhooks");
    const everything = await register({ url: receiver.url });
    const saved = await api(t.app, "POST", "/api/v1/me/saved-searches", {
      payload: { name: "Budget", query: "budget", filters: {}, alert: "none" },
    });
    expect(saved.statusCode).toBe(201);
    const searchId = json<{ id: number }>(saved).id;
    const forSearch = await register({ url: `${receiver.url}?search=1`, savedSearch: searchId });
    const itemId = await createItem(t.db, { title: { en: "Budget 2027 presented" } });
    const before = receiver.received.length;

    // The announcer's transaction: the item matched no saved search; a rolled-back one leaves nothing.
    await expect(
      t.db.transaction(async (tx) => {
        await queueWebhookDeliveries(tx, [itemId], [{ itemId, searchId }], { now: t.clock.now() });
        throw new Error("announcement rolled back");
      }),
    ).rejects.toThrow("rolled back");
    expect(await queuedJobs()).toEqual([]);
    await queue(itemId);
    await queue(itemId);
    const jobs = await queuedJobs();
    expect(jobs).toHaveLength(1);
    const deliveryId = jobs[0]!.id;

    receiver.answers = [500];
    await deliverWebhook(t.deps, deliveryId);
    expect(receiver.received.length).toBe(before + 1);
    expect(await deliveryRow(deliveryId)).toEqual({ status: "pending", attempts: 1, last_status_code: 500 });
    expect((await queuedJobs()).filter((j) => j.id === deliveryId).map((j) => j.delay)).toContain(30);
    // Not due yet: nothing is sent.
    await deliverWebhook(t.deps, deliveryId);
    expect(receiver.received.length).toBe(before + 1);

    t.clock.advance(31_000);
    await deliverWebhook(t.deps, deliveryId);
    await deliverWebhook(t.deps, deliveryId);
    const [first, second] = receiver.received.slice(before);
    expect(receiver.received.length).toBe(before + 2);
    expect(second!.headers["x-pressroom-delivery"]).toBe(deliveryId);
    expect(first!.headers["x-pressroom-delivery"]).toBe(deliveryId);
    expect(second!.headers["content-type"]).toBe("application/json");
    expect(verify(second!, everything.secret, t.clock.now())).toBe(true);
    expect(verify(second!, forSearch.secret, t.clock.now())).toBe(false);
    expect(JSON.parse(second!.body)).toMatchObject({
      uri: `http://pressroom.test/api/v1/items/${itemId}`,
      headlines: [expect.objectContaining({ role: "main", value: "Budget 2027 presented" })],
      standard: { name: "ninjs" },
      pubStatus: "usable",
    });
    expectValidNinjs(JSON.parse(second!.body));
    expect(await deliveryRow(deliveryId)).toEqual({
      status: "delivered",
      attempts: 2,
      last_status_code: 200,
    });

    // The saved search's webhook hears of items matching it, once.
    const other = await createItem(t.db, { title: { en: "Budget vote" } });
    await queue(other, [searchId]);
    const forBoth = (await queuedJobs()).slice(-2).map((j) => j.id);
    for (const id of forBoth) await deliverWebhook(t.deps, id);
    const urls = receiver.received.slice(before + 2).map((r) => r.headers["x-pressroom-delivery"]);
    expect(urls.sort()).toEqual([...forBoth].sort());
  });

  it("is handed each newly available item by the announcer, in its transaction, embargoed ones when they lift", async () => {
    await t.db.query("DELETE FROM webhooks");
    const hook = await register({ url: receiver.url });
    const embargoUntil = new Date(t.clock.now().getTime() + 3600_000);
    const open = await createItem(t.db, { title: { en: "Open session" } });
    const embargoed = await createItem(t.db, { title: { en: "Embargoed report" }, embargoUntil });
    const itemsOf = async () =>
      (
        await t.db.query<{ item_id: number; id: string }>(
          "SELECT item_id, id::text AS id FROM webhook_deliveries WHERE webhook_id = $1",
          [hook.id],
        )
      ).filter((d) => d.item_id === open || d.item_id === embargoed);
    await announceAvailableItems(t.deps);
    const first = await itemsOf();
    expect(first.map((d) => d.item_id)).toEqual([open]);
    expect((await queuedJobs()).map((j) => j.id)).toContain(first[0]!.id);
    t.clock.advance(3600_000);
    await announceAvailableItems(t.deps);
    expect((await itemsOf()).map((d) => d.item_id).sort()).toEqual([open, embargoed].sort());
  });

  it("gives up a day after the first try, and checks the address again when sending", async () => {
    await t.db.query("DELETE FROM webhooks");
    await register({ url: receiver.url.replace("127.0.0.1", "localhost") });
    const itemId = await createItem(t.db, { title: { en: "Night session" } });
    await queue(itemId);
    const deliveryId = (await queuedJobs()).at(-1)!.id;
    // The address now leads somewhere private, and the operator's setting is off: nothing is sent.
    const before = receiver.received.length;
    const strictDeps = { ...t.deps, config: { ...t.deps.config, webhooks: { allowPrivate: false } } };
    await deliverWebhook(strictDeps, deliveryId);
    expect(receiver.received.length).toBe(before);
    const [refused] = await t.db.query<{ last_error: string }>(
      "SELECT last_error FROM webhook_deliveries WHERE id = $1::uuid",
      [deliveryId],
    );
    expect(refused!.last_error).toMatch(/^address_refused: (127\.0\.0\.1|::1)$/);
    expect(
      textOf((await api(t.app, "GET", "/en/account/webhooks", { headers: { accept: "text/html" } })).body),
    ).toMatch(/Not sent: the address leads to a private or local network \((127\.0\.0\.1|::1)\)/);

    receiver.answers = Array(20).fill(503);
    for (let i = 0; i < 20 && (await deliveryRow(deliveryId))!.status === "pending"; i++) {
      t.clock.advance(6 * 3600 * 1000);
      await deliverWebhook(t.deps, deliveryId);
    }
    const row = await deliveryRow(deliveryId);
    expect(row!.status).toBe("failed");
    expect(row!.last_status_code).toBe(503);
    expect(row!.attempts).toBeGreaterThanOrEqual(4);
    expect(row!.attempts).toBeLessThanOrEqual(6);
    receiver.answers = [];
  });

  it("refuses IPv4-compatible and local-use NAT64 addresses when saved and at delivery, typed or resolved", async () => {
    await t.db.query("DELETE FROM webhooks");
    const strictDeps = { ...t.deps, config: { ...t.deps.config, webhooks: { allowPrivate: false } } };
    const lastError = async (deliveryId: string) =>
      (
        await t.db.query<{ last_error: string | null }>(
          "SELECT last_error FROM webhook_deliveries WHERE id = $1::uuid",
          [deliveryId],
        )
      )[0]!.last_error;
    const deliverOnce = async (url: string) => {
      await t.db.query("DELETE FROM webhooks");
      await register({ url });
      await queue(await createItem(t.db, { title: { en: `Session for ${url}` } }));
      const deliveryId = (await queuedJobs()).at(-1)!.id;
      await deliverWebhook(strictDeps, deliveryId);
      return lastError(deliveryId);
    };
    // Typed as a literal (saved while private addresses were allowed): checked before connecting.
    expect(await deliverOnce("https://[::127.0.0.1]/hook")).toBe("address_refused: ::7f00:1");
    expect(await deliverOnce("https://[64:ff9b:1:7f00:0:100:5db8:d70e]/hook")).toBe(
      "address_refused: 64:ff9b:1:7f00:0:100:5db8:d70e",
    );

    // A name, as DNS answers it (there is no DNS here: the lookup the portal calls answers instead).
    let answer = "93.184.215.14";
    const lookup = vi.spyOn(dns.promises, "lookup").mockImplementation((async (hostname: string) => {
      if (hostname !== "hooks.newsroom.example") throw new Error(`unexpected lookup of ${hostname}`);
      return [{ address: answer, family: answer.includes(":") ? 6 : 4 }];
    }) as unknown as typeof dns.promises.lookup);
    try {
      // 169.254.169.254 as IPv4-compatible, then at RFC 6052's /48 offsets (a public last 32 bits).
      for (const resolved of ["::a9fe:a9fe", "64:ff9b:1:a9fe:a9:fe00:5db8:d70e"]) {
        answer = resolved;
        const saved = await api(strict, "POST", "/api/v1/me/webhooks", {
          payload: { url: "https://hooks.newsroom.example/hook" },
        });
        expect(saved.statusCode, resolved).toBe(400);
        expect(json<Problem>(saved).error.fields.url).toEqual([
          "This address leads to a private or local network, which webhooks cannot reach.",
        ]);
      }
      // Saved while the name led somewhere public; at delivery it leads to ::169.254.169.254.
      answer = "93.184.215.14";
      await t.db.query("DELETE FROM webhooks");
      const saved = await api(strict, "POST", "/api/v1/me/webhooks", {
        payload: { url: "https://hooks.newsroom.example/hook" },
      });
      expect(saved.statusCode, saved.body).toBe(201);
      await queue(await createItem(t.db, { title: { en: "Rebound session" } }));
      const deliveryId = (await queuedJobs()).at(-1)!.id;
      answer = "::a9fe:a9fe";
      await deliverWebhook(strictDeps, deliveryId);
      expect(await lastError(deliveryId)).toBe("address_refused: ::a9fe:a9fe");
    } finally {
      lookup.mockRestore();
    }
  });

  it("lists webhooks on the account page with their deliveries, shows the secret once, and sends a test", async () => {
    await t.db.query("DELETE FROM webhooks");
    const browser = new PageClient(t.app);
    browser.cookies.set(SESSION_COOKIE, cookie.split("=")[1]!);
    const account = await browser.get("/en/account");
    expect(account.body).toContain('href="/en/account/webhooks"');
    await browser.get("/en/account/webhooks");
    const made = await browser.submit("/en/account/webhooks", { url: receiver.url, savedSearch: "" });
    expect(made.statusCode).toBe(201);
    const secret = made.body.match(/whsec_[\w-]+/)?.[0];
    expect(secret).toBeDefined();
    expect(textOf(made.body)).toContain("it will not be shown again");
    const page = await browser.get("/en/account/webhooks");
    expect(page.body).not.toContain(secret);
    expect(textOf(page.body)).toContain("Every newly available item");

    const refused = await browser.submit("/en/account/webhooks", { url: "http://pressroom.test/hook" });
    expect(refused.statusCode).toBe(400);
    expect(textOf(refused.body)).toContain("The address must not point at this portal.");

    const hookId = (await t.db.query<{ id: number }>("SELECT id FROM webhooks"))[0]!.id;
    receiver.answers = [500];
    const sent = await browser.submit(`/en/account/webhooks/${hookId}/test`, {});
    expect(sent.statusCode).toBe(303);
    const testId = (await queuedJobs()).at(-1)!.id;
    await deliverWebhook(t.deps, testId);
    const failed = textOf((await browser.get("/en/account/webhooks")).body);
    expect(failed).toMatch(/Test Retrying at .* 1 HTTP 500/);
    t.clock.advance(31_000);
    await deliverWebhook(t.deps, testId);
    const test = receiver.received.at(-1)!;
    expect(test.headers["x-pressroom-delivery"]).toBe(testId);
    expect(verify(test, secret!, t.clock.now())).toBe(true);
    expect(JSON.parse(test.body)).toMatchObject({
      headlines: [{ role: "main", value: "Test from Pressroom" }],
      pubStatus: "withheld",
    });
    const delivered = textOf((await browser.get("/en/account/webhooks")).body);
    expect(delivered).toMatch(/Test Delivered 2/);
    const french = textOf((await browser.get("/fr/account/webhooks")).body);
    expect(french).toContain("Envoyer un test");
    expect(french).toMatch(/Test Livré 2/);

    await browser.get("/en/account/webhooks");
    const gone = await browser.submit(`/en/account/webhooks/${hookId}/delete`, {});
    expect(textOf((await browser.follow(gone)).body)).toContain("The webhook was deleted.");
    expect(await t.db.query("SELECT 1 FROM webhook_deliveries")).toEqual([]);
  });
});
