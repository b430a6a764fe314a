import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from "fastify";
import type PgBoss from "pg-boss";
import pino from "pino";
import { buildApp } from "../../src/app/build-app.ts";
import { jobHandlers } from "../../src/app/jobs.ts";
import { createFeatureDeps } from "../../src/app/services.ts";
import { loadConfig } from "../../src/core/config.ts";
import type { FeatureDeps } from "../../src/core/deps.ts";
import type { Database } from "../../src/db/database.ts";
import { createJobQueue, createQueues, jobQueue, startWorkers } from "../../src/db/jobs.ts";
import { createMailer } from "../../src/mail/transport.ts";
import { createStorage } from "../../src/storage/index.ts";
import { openTestDatabase } from "./database.ts";
import { codeFrom, type SmtpServer, startSmtpServer } from "./smtp.ts";

export type TestClock = { now: () => Date; advance(ms: number): void };

export function testClock(start = new Date("2026-11-23T09:00:00Z")): TestClock {
  let current = start.getTime();
  return {
    now: () => new Date(current),
    advance(ms) {
      current += ms;
    },
  };
}

export type TestApp = {
  app: FastifyInstance;
  /** What the features were built with: storage, job queue, config, the clock. */
  deps: FeatureDeps;
  boss: PgBoss;
  dataDir: string;
  db: Database;
  smtp: SmtpServer;
  clock: TestClock;
  close(): Promise<void>;
};

/**
 * The whole portal on a fresh database, sending mail to a real SMTP server, with a clock
 * the test moves. Storage is a local folder; `work: true` also runs the job workers.
 */
export async function startTestApp(
  env: Record<string, string> = {},
  options: { work?: boolean } = {},
): Promise<TestApp> {
  const { db, drop } = await openTestDatabase();
  const smtp = await startSmtpServer();
  const clock = testClock();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "pressroom-test-"));
  const config = loadConfig({
    DATA_DIR: dataDir,
    SMTP_URL: smtp.url,
    PUBLIC_URL: "http://pressroom.test",
    RATE_LIMIT_AUTH_PER_IP: "10000",
    ...env,
  });
  const log = pino({ level: "silent" });
  const mailer = createMailer({
    smtpUrl: smtp.url,
    from: config.mailFrom,
    outboxDir: path.join(dataDir, "outbox"),
    log,
  });
  const boss = createJobQueue(db, config.jobs);
  await boss.start();
  await createQueues(boss);
  const deps = await createFeatureDeps({
    config,
    db,
    mailer,
    storage: await createStorage(config.storage),
    jobs: jobQueue(boss, config.jobs),
    log,
    now: clock.now,
  });
  const workers = options.work
    ? startWorkers(boss, jobHandlers(deps), {
        db,
        log,
        leaseSeconds: config.jobs.leaseSeconds,
        pollingIntervalSeconds: 0.5,
      })
    : null;
  const app = await buildApp(deps);
  await app.ready();
  return {
    app,
    deps,
    boss,
    dataDir,
    db,
    smtp,
    clock,
    async close() {
      await app.close();
      await workers?.stop();
      await boss.stop({ graceful: false, wait: true });
      mailer.close();
      await smtp.close();
      await drop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * A browser without JavaScript over `inject`: keeps cookies, follows nothing by itself,
 * and submits forms with the CSRF token of the last page it read.
 */
export class PageClient {
  readonly cookies = new Map<string, string>();
  lastHtml = "";

  /** `ip`: the client's address as the portal sees it (limits are per client). */
  constructor(
    private readonly app: FastifyInstance,
    private readonly ip = "127.0.0.1",
  ) {}

  async get(url: string): Promise<LightMyRequestResponse> {
    return this.request({ method: "GET", url });
  }

  /** Posts a form as a browser does (urlencoded), adding the `_csrf` token from the last page. */
  async submit(url: string, fields: Record<string, string>, options: { csrf?: boolean } = {}) {
    const token = this.lastHtml.match(/name="_csrf" value="([^"]+)"/)?.[1];
    const body = new URLSearchParams({
      ...(options.csrf === false || !token ? {} : { _csrf: token }),
      ...fields,
    });
    return this.request({
      method: "POST",
      url,
      payload: body.toString(),
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
  }

  async request(options: InjectOptions): Promise<LightMyRequestResponse> {
    const cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
    const response = await this.app.inject({
      remoteAddress: this.ip,
      ...options,
      headers: { accept: "text/html", ...(cookie ? { cookie } : {}), ...(options.headers ?? {}) },
    });
    for (const c of response.cookies as { name: string; value: string; maxAge?: number; expires?: Date }[]) {
      const expired = c.value === "" || c.maxAge === 0 || (c.expires && c.expires.getTime() < Date.now());
      if (expired) this.cookies.delete(c.name);
      else this.cookies.set(c.name, c.value);
    }
    if (String(response.headers["content-type"] ?? "").startsWith("text/html")) this.lastHtml = response.body;
    return response;
  }

  async follow(response: LightMyRequestResponse): Promise<LightMyRequestResponse> {
    const location = response.headers.location;
    if (!location) throw new Error(`Expected a redirect, got ${response.statusCode}`);
    return this.get(String(location));
  }
}

/**
 * A JSON API client that keeps its cookies, as a browser's `fetch` does: the sign-up and
 * reset it starts, and its session, are its own.
 */
export class ApiClient {
  readonly page: PageClient;

  constructor(app: FastifyInstance, ip = "127.0.0.1") {
    this.page = new PageClient(app, ip);
  }

  post(url: string, payload?: object, headers: Record<string, string> = {}) {
    return this.send("POST", url, payload, headers);
  }

  get(url: string, headers: Record<string, string> = {}) {
    return this.page.request({ method: "GET", url, headers: { accept: "application/json", ...headers } });
  }

  send(
    method: "POST" | "PUT" | "PATCH" | "DELETE",
    url: string,
    payload?: object,
    headers: Record<string, string> = {},
  ) {
    return this.page.request({
      method,
      url,
      ...(payload ? { payload } : {}),
      headers: { accept: "application/json", "content-type": "application/json", ...headers },
    });
  }

  get session(): string | undefined {
    return this.page.cookies.get("pressroom_session");
  }
}

/** Visible text of an HTML page, for assertions on what a user reads. */
export function textOf(html: string): string {
  return html
    .replace(/<(script|style)[\s\S]*?<\/\1>/g, " ")
    .replace(/<[^>]+>/g, " ")
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&")
    .replace(/\s+/g, " ")
    .trim();
}

export const strongPassword = "Correct-Horse-42!";
export const otherStrongPassword = "Newer&Better-2026";

export function registration(email: string, overrides: Record<string, unknown> = {}) {
  return {
    email,
    password: strongPassword,
    name: "Claire Martin",
    organisation: "Radio Télévision Test",
    country: "BE",
    language: "en",
    acceptTerms: true,
    ...overrides,
  };
}

/**
 * An account made as a person makes one over the API: `client` signs up and enters the code the
 * e-mail brought. The verify answer (200 and the account, or the refusal).
 */
export async function signUpOverApi(
  t: TestApp,
  client: ApiClient,
  email: string,
  overrides: Record<string, unknown> = {},
): Promise<LightMyRequestResponse> {
  await client.post("/api/v1/auth/register", registration(email, overrides));
  return client.post("/api/v1/auth/verify", { email, code: codeFrom(await t.smtp.waitForMail(email)) });
}
