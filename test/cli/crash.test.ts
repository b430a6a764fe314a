import { type ChildProcess, spawn } from "node:child_process";
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type PgBoss from "pg-boss";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { saveSearch } from "../../src/alerts/saved-searches.ts";
import { createWebhook } from "../../src/alerts/webhooks.ts";
import { queueWebhookDeliveries } from "../../src/alerts/webhooks-queue.ts";
import { createFeatureDeps } from "../../src/app/services.ts";
import { alignmentOf } from "../../src/catalogue/alignment-store.ts";
import { type Config, loadConfig } from "../../src/core/config.ts";
import type { FeatureDeps } from "../../src/core/deps.ts";
import type { Database } from "../../src/db/database.ts";
import { createJobQueue, createQueues, jobIsRetrying, jobQueue } from "../../src/db/jobs.ts";
import { startAlignment } from "../../src/editor/alignment.ts";
import { importFile } from "../../src/ingest/import-file.ts";
import { ingestWorkRoot } from "../../src/ingest/process.ts";
import { createMailer } from "../../src/mail/transport.ts";
import { defaultSendOptions } from "../../src/newsletter/jobs.ts";
import { startSending } from "../../src/newsletter/sending.ts";
import { insertIssue } from "../../src/newsletter/store.ts";
import { createStorage } from "../../src/storage/index.ts";
import { addMaster, createItem } from "../catalogue/fixtures.ts";
import { speechVideo } from "../editor/speech-video.ts";
import { createAccount } from "../helpers/accounts.ts";
import { openTestDatabase } from "../helpers/database.ts";
import { type HoldingSmtp, startHoldingReceiver, startHoldingSmtp } from "../helpers/holding-servers.ts";
import { h264Master } from "../helpers/media.ts";
import { childrenOf, isAlive, waitUntil } from "../helpers/processes.ts";
import { serverArgs } from "../helpers/server-bundle.ts";
import { createEvent, waitForItem } from "../ingest/fixtures.ts";
import { englishFixture } from "../media/align/fixtures.ts";
import { addSubscribers, deliveryStatuses, issueStatus, subscriberEmail } from "../newsletter/fixtures.ts";

/**
 * A portal and a worker on one PostgreSQL database and data folder; the process holding a job
 * is killed with SIGKILL (as the out-of-memory killer does) and the job must still finish.
 * Leases of 3 s keep it short; production's default is 60 s.
 */

const root = path.resolve(import.meta.dirname, "../..");
let db: Database;
let drop: () => Promise<void>;
let dataDir: string;
let config: Config;
let deps: FeatureDeps;
let boss: PgBoss;
let smtp: HoldingSmtp;
let env: Record<string, string>;
const processes = new Map<"portal" | "worker", Proc>();

type Proc = { child: ChildProcess; output: string };

beforeAll(async () => {
  const opened = await openTestDatabase();
  ({ db, drop } = opened);
  dataDir = mkdtempSync(path.join(os.tmpdir(), "pressroom-crash-"));
  smtp = await startHoldingSmtp();
  env = {
    DATABASE_URL: opened.url!,
    DATA_DIR: dataDir,
    SMTP_URL: smtp.url,
    JOB_LEASE_SECONDS: "3",
    // The webhooks' receiver listens on 127.0.0.1.
    WEBHOOKS_ALLOW_PRIVATE: "1",
    DEMO_CONTENT: "off",
    PORT: "0",
  };
  config = loadConfig(env);
  const log = pino({ level: "silent" });
  // This test process queues the work; it never works a job itself.
  boss = createJobQueue(db, config.jobs);
  await boss.start();
  await createQueues(boss);
  deps = await createFeatureDeps({
    config,
    db,
    mailer: createMailer({ smtpUrl: null, from: config.mailFrom, outboxDir: path.join(dataDir, "x"), log }),
    storage: await createStorage(config.storage),
    jobs: jobQueue(boss, config.jobs),
    log,
  });
  await Promise.all([start("portal"), start("worker")]);
}, 120_000);

afterAll(async () => {
  for (const { child } of processes.values()) child.kill("SIGKILL");
  await boss?.stop({ graceful: false, wait: true });
  await smtp?.close();
  await drop?.();
  rmSync(dataDir, { recursive: true, force: true });
});

/** One node process, as `npm start` runs it (the bundle, not a parent process: its pid is the one that works). */
async function start(name: "portal" | "worker"): Promise<Proc> {
  const command = name === "portal" ? "start" : "worker";
  const child = spawn(process.execPath, serverArgs(command), {
    cwd: root,
    env: { ...process.env, ...env },
  });
  const proc = { child, output: "" };
  child.stdout!.on("data", (d: Buffer) => (proc.output += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (proc.output += d.toString()));
  processes.set(name, proc);
  const up = await waitUntil(() => /Pressroom (worker )?is running/.test(proc.output), 60_000);
  expect(up, proc.output).toBe(true);
  return proc;
}

/** The process whose log says it started job `name` for `id` (pino writes its pid on every line). */
function holderOf(name: string, id: number | string): "portal" | "worker" | null {
  for (const [label, proc] of processes) {
    for (const line of proc.output.split("\n")) {
      if (!line.startsWith("{")) continue;
      const entry = JSON.parse(line) as { msg?: string; job?: string; id?: string; pid?: number };
      if (entry.msg === "job started" && entry.job === name && entry.id === String(id)) {
        if (entry.pid === proc.child.pid) return label;
      }
    }
  }
  return null;
}

function allOutput(): string {
  return [...processes.values()].map((p) => p.output).join("\n");
}

/** SIGKILL, as the out-of-memory killer sends: the process gets no chance to tidy up. */
async function kill(label: "portal" | "worker"): Promise<void> {
  const { child } = processes.get(label)!;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGKILL");
  await exited;
}

describe("a process killed while it holds a job, on PostgreSQL beside another", { timeout: 120_000 }, () => {
  it("takes its ffmpeg down with it; the item is taken up again, shows 'retrying', and becomes ready", async () => {
    await createEvent(db, "summit");
    const master = await h264Master({ width: 1280, height: 720, seconds: 8 });
    const item = await importFile(deps, { file: master.path, event: "summit", lang: "en" });

    // The HLS encode of whichever process took the job: the long step, the one an OOM kill interrupts.
    let holder: "portal" | "worker" | null = null;
    let ffmpeg: number | null = null;
    const encoding = await waitUntil(() => {
      holder = holderOf("media.process", item.id);
      if (holder === null) return false;
      const children = childrenOf(processes.get(holder)!.child.pid!, "ffmpeg");
      ffmpeg = children.find((c) => cmdline(c.pid).includes("hls"))?.pid ?? null;
      return ffmpeg !== null;
    }, 60_000);
    expect(encoding, allOutput()).toBe(true);
    await kill(holder!);

    // Its encode does not go on using the CPU the others need.
    expect(await waitUntil(() => !isAlive(ffmpeg!), 3000)).toBe(true);
    // The editor is told it is being retried (the item page reads the same).
    expect(await waitUntil(() => jobIsRetrying(db, "media.process", item.id), 20_000)).toBe(true);

    await start(holder!);
    const done = await waitForItem(db, item.id, 120_000);
    expect(done.status).toBe("ready");
    expect(allOutput()).toMatch(/"job":"media.process","id":"\d+","attempt":1[^\n]*taken up again/);
    // The dead run's work folder went with the retry (and the retry's own goes just after the
    // item is marked ready, in its `finally`).
    await expect
      .poll(() => readdirSync(ingestWorkRoot(dataDir)).filter((n) => n.startsWith(`${item.id}-`)))
      .toEqual([]);
  });

  it("times a transcript after the process timing it is killed: the aligner goes with it, the text is kept", async () => {
    const video = await speechVideo();
    const itemId = await createItem(db, { title: { en: "Acoustic corpus" } });
    await addMaster(db, itemId);
    const copy = path.join(dataDir, `speech-${itemId}.mp4`);
    copyFileSync(video, copy);
    await deps.storage.putFile(`items/${itemId}/master/master.mp4`, copy);
    const text = (await englishFixture("acoustic_corpus")).sentences.map((s) => s.text).join("\n\n");
    await startAlignment(deps, { itemId, lang: "en", text });
    const jobId = `${itemId}-en`;

    // The aligner runs in a child process of whichever process took the job.
    let holder: "portal" | "worker" | null = null;
    let aligner: number | null = null;
    const aligning = await waitUntil(() => {
      holder = holderOf("transcript.align", jobId);
      if (holder === null) return false;
      const children = childrenOf(processes.get(holder)!.child.pid!, "node");
      aligner = children.find((c) => cmdline(c.pid).includes("align-child.js"))?.pid ?? null;
      return aligner !== null;
    }, 60_000);
    expect(aligning, allOutput()).toBe(true);
    await kill(holder!);
    expect(await waitUntil(() => !isAlive(aligner!), 5000)).toBe(true);
    expect((await alignmentOf(db, itemId, "en"))?.state).toBe("aligning");

    await start(holder!);
    await expect
      .poll(async () => (await alignmentOf(db, itemId, "en"))?.state, { timeout: 90_000 })
      .toBe("aligned");
    const timed = await db.query<{ n: string }>(
      "SELECT count(*) AS n FROM transcript_segments WHERE media_item_id = $1 AND words IS NOT NULL",
      [itemId],
    );
    expect(Number(timed[0]!.n)).toBe(5);
  });

  it("sends a newsletter to everyone exactly once when the sender is killed mid-batch", async () => {
    const count = 30;
    const now = new Date();
    const userIds = await addSubscribers(db, count, now, "crash");
    const content = {
      subject: { en: "Crash", fr: "Crash" },
      intro: { en: "Hello.", fr: "Bonjour." },
      events: [],
    };
    const id = await insertIssue(db, content, userIds[0]!, now);
    // The server keeps its answer to every message after the 10th: the sender's lanes all wait.
    smtp.holdAfter(10);
    const lanes = defaultSendOptions.concurrency;
    expect(await startSending(deps, id)).toBe(count);

    let holder: "portal" | "worker" | null = null;
    const stuck = await waitUntil(async () => {
      holder = holderOf("newsletter.send", id);
      const sending = (await deliveryStatuses(db, id)).sending ?? 0;
      // Every lane waits on a message the server has: none is half-way through handing one over.
      return holder !== null && smtp.held() === lanes && sending === lanes;
    }, 30_000);
    expect(stuck, allOutput()).toBe(true);
    await kill(holder!);
    // What the server was given before the kill it keeps; the rest the retry sends.
    smtp.release();

    await start(holder!);
    expect(await waitUntil(async () => (await issueStatus(db, id)) === "sent", 60_000), allOutput()).toBe(
      true,
    );
    const received = Array.from({ length: count }, (_, i) => smtp.mailsTo(subscriberEmail(i, "crash")));
    expect(received.filter((n) => n !== 1)).toEqual([]);
    expect(allOutput()).toMatch(/"job":"newsletter.send","id":"\d+","attempt":1[^\n]*taken up again/);
  });

  it("sends every e-mail alert when the sender is killed mid-batch: a repeat only of one in doubt, same Message-ID", async () => {
    const count = 30;
    const userIds = await addSubscribers(db, count, new Date(), "alert");
    for (const userId of userIds) {
      await saveSearch(deps, userId, { name: "Reservoirs", query: "reservoir", alert: "immediate" });
    }
    await createItem(db, { title: { en: "The reservoir is full again" } });
    // The server keeps its answer to every message after the next 10: the sender's lanes all wait.
    smtp.holdAfter(smtp.count() + 10);
    await deps.jobs.enqueue("alerts.announce", "all");

    let holder: "portal" | "worker" | null = null;
    const stuck = await waitUntil(() => {
      holder = holderOf("alerts.send", "all");
      return holder !== null && smtp.held() === 8;
    }, 30_000);
    expect(stuck, allOutput()).toBe(true);
    await kill(holder!);
    // What the killed sender may repeat: messages the server had, which it had not yet recorded
    // as sent (those held unanswered, and answered ones whose mark was still to be written).
    const addresses = userIds.map((_, i) => subscriberEmail(i, "alert"));
    const recorded = await sentAlertsOf(userIds);
    const inDoubt = addresses.filter((to, i) => smtp.mailsTo(to) > 0 && !recorded.has(userIds[i]!));
    expect(inDoubt.length).toBeLessThanOrEqual(16);
    smtp.release();

    await start(holder!);
    const allSent = async () => (await sentAlertsOf(userIds)).size === count;
    expect(await waitUntil(allSent, 60_000), allOutput()).toBe(true);
    const ids = addresses.map((to) => smtp.messageIdsTo(to));
    // Everyone has their alert, under one Message-ID of its own (a mail program shows a repeat once).
    expect(ids.filter((list) => list.length === 0 || new Set(list).size !== 1)).toEqual([]);
    expect(new Set(ids.map((list) => list[0])).size).toBe(count);
    // Only a message in doubt was sent a second time, and only once more; the killed sender held 8 of them.
    const twice = addresses.filter((_, i) => ids[i]!.length > 1);
    expect(twice.filter((to) => !inDoubt.includes(to))).toEqual([]);
    expect(twice.length).toBeGreaterThanOrEqual(8);
    expect(ids.filter((list) => list.length > 2)).toEqual([]);
  });

  it("delivers every webhook when the process sending one is killed: the cut one again, same id", async () => {
    const receiver = await startHoldingReceiver();
    const userId = await createAccount(db, new Date(), { email: "hooks@example.test", role: "media" });
    const { secret } = await createWebhook(deps, userId, { url: receiver.url });
    expect(secret).toMatch(/^whsec_/);
    const items = await Promise.all([1, 2, 3, 4].map((n) => createItem(db, { title: { en: `Wire ${n}` } })));
    await db.transaction((tx) =>
      queueWebhookDeliveries(tx, items, [], { leaseSeconds: config.jobs.leaseSeconds }),
    );
    // The receiver keeps its answers: the processes each wait on one delivery.
    let holder: "portal" | "worker" | null = null;
    let cut = "";
    const stuck = await waitUntil(() => {
      cut = receiver.heldIds()[0] ?? "";
      holder = cut ? holderOf("webhooks.deliver", cut) : null;
      return holder !== null;
    }, 30_000);
    expect(stuck, allOutput()).toBe(true);
    await kill(holder!);
    // The dead sender's connection must be seen closed before the held answers go out, or the
    // answer to it would count as accepted.
    await receiver.closed(cut);
    receiver.release();
    await start(holder!);

    const delivered = async () =>
      (await db.query("SELECT 1 FROM webhook_deliveries WHERE status = 'delivered'")).length === items.length;
    expect(await waitUntil(delivered, 60_000), allOutput()).toBe(true);
    const ids = (await db.query<{ id: string }>("SELECT id::text AS id FROM webhook_deliveries")).map(
      (r) => r.id,
    );
    // Each delivery was accepted once; the one cut short was sent again under its own id.
    expect(ids.map((id) => receiver.accepted(id))).toEqual(ids.map(() => 1));
    expect(receiver.sent(cut)).toBe(2);
    await receiver.close();
  });
});

/** The users among `userIds` whose alert is recorded as sent. */
async function sentAlertsOf(userIds: number[]): Promise<Set<number>> {
  const rows = await db.query<{ user_id: number }>(
    `SELECT s.user_id FROM alert_deliveries a JOIN saved_searches s ON s.id = a.saved_search_id
     WHERE s.user_id = ANY($1::int[]) AND a.sent_at IS NOT NULL`,
    [userIds],
  );
  return new Set(rows.map((r) => Number(r.user_id)));
}

function cmdline(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").replaceAll("\0", " ");
  } catch {
    return "";
  }
}
