import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type PgBoss from "pg-boss";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createFeatureDeps } from "../../src/app/services.ts";
import { catalogueIsEmpty } from "../../src/catalogue/item-store.ts";
import { loadConfig } from "../../src/core/config.ts";
import type { FeatureDeps } from "../../src/core/deps.ts";
import { createJobQueue, createQueues, jobQueue } from "../../src/db/jobs.ts";
import { loadDemoIfEmpty } from "../../src/demo/command.ts";
import { demoEvents } from "../../src/demo/content.ts";
import { loadDemoContent } from "../../src/demo/load.ts";
import { createMailer } from "../../src/mail/transport.ts";
import { LocalStorage } from "../../src/storage/local.ts";
import { testClock } from "../helpers/app.ts";
import { openTestDatabase } from "../helpers/database.ts";
import { DEMO_CACHE, shortDemo } from "./demo-media.ts";

// Only what loading needs (database, storage, job queue), not the whole web app.
let deps: FeatureDeps;
let boss: PgBoss;
let dataDir: string;
let drop: () => Promise<void>;

beforeAll(async () => {
  const database = await openTestDatabase();
  drop = database.drop;
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "pressroom-demo-test-"));
  const log = pino({ level: "silent" });
  boss = createJobQueue(database.db, { leaseSeconds: 60 });
  await boss.start();
  await createQueues(boss);
  deps = await createFeatureDeps({
    config: loadConfig({ DATA_DIR: dataDir }),
    db: database.db,
    mailer: createMailer({
      smtpUrl: null,
      from: "test@pressroom.test",
      outboxDir: path.join(dataDir, "outbox"),
      log,
    }),
    storage: new LocalStorage(path.join(dataDir, "storage")),
    jobs: jobQueue(boss, { leaseSeconds: 60 }),
    log,
    now: testClock().now,
  });
}, 120_000);

afterAll(async () => {
  await boss.stop({ graceful: false, wait: true });
  await drop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const load = () => loadDemoContent(deps, { mediaDir: DEMO_CACHE, generate: shortDemo });

async function counts() {
  const count = async (sql: string) =>
    (await deps.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${sql}`))[0]!.n;
  return {
    events: await count("events WHERE published_at IS NOT NULL"),
    programme: await count("programme_items"),
    items: await count("media_items WHERE published_at IS NOT NULL"),
    masters: await count("masters"),
    segments: await count("transcript_segments"),
  };
}

const itemCount = demoEvents.reduce((sum, event) => sum + event.items.length, 0);

describe("loading the demo", () => {
  it("is only offered, not loaded, on an empty PostgreSQL deployment", async () => {
    const deployment = {
      ...deps,
      config: { ...deps.config, databaseUrl: "postgres://db.example/pressroom" },
    };
    expect(await loadDemoIfEmpty(deployment)).toBeNull();
    expect(await catalogueIsEmpty(deps.db)).toBe(true);
  });

  it("fills an empty catalogue with published events, programmes, items and transcripts", async () => {
    expect(await catalogueIsEmpty(deps.db)).toBe(true);
    const result = await load();
    expect(result.events.map((e) => e.created)).toEqual([true, true]);
    expect(result.itemsCreated).toBe(itemCount);
    expect(await catalogueIsEmpty(deps.db)).toBe(false);
    const sentences = Object.values(result.media.videos).reduce((sum, v) => sum + v.sentences.length, 0);
    expect(await counts()).toEqual({
      events: 2,
      programme: demoEvents.reduce((sum, event) => sum + event.programme.length, 0),
      items: itemCount,
      masters: itemCount,
      segments: sentences,
    });
    const keys = await deps.storage.list("items/");
    expect(keys).toHaveLength(itemCount);
  }, 120_000);

  it("adds nothing when run again, nor at the next start", async () => {
    const before = await counts();
    expect(await loadDemoIfEmpty(deps)).toBeNull();
    const result = await load();
    expect(result.events.map((e) => e.created)).toEqual([false, false]);
    expect(result.itemsCreated).toBe(0);
    expect(await counts()).toEqual(before);
  });

  it("gives events in both languages, and a press conference whose transcript has the real timings", async () => {
    const events = await deps.db.query<Record<string, string>>(
      "SELECT title_en, title_fr, summary_en, summary_fr, body_en, body_fr FROM events ORDER BY starts_at DESC",
    );
    for (const event of events) {
      for (const field of ["title", "summary", "body"]) {
        expect(event[`${field}_en`]).not.toBe("");
        expect(event[`${field}_fr`]).not.toBe(event[`${field}_en`]);
      }
    }
    expect(events[0]!.summary_fr).toContain("détroit de Varn");
    const [conference] = await deps.db.query<{ id: number; duration_seconds: number }>(
      "SELECT id, duration_seconds FROM media_items WHERE kind = 'press-conference' AND media_type = 'video'",
    );
    const segments = await deps.db.query<{
      start_seconds: number;
      speaker: string;
      questioner_outlet: string;
      lang: string;
    }>(
      "SELECT start_seconds, speaker, questioner_outlet, lang FROM transcript_segments WHERE media_item_id = $1 ORDER BY position",
      [conference!.id],
    );
    expect(segments[0]).toMatchObject({ start_seconds: 1, speaker: "Elin Castellane", lang: "en" });
    expect(segments.find((s) => s.lang === "fr")).toMatchObject({
      speaker: "Sophie Marchetti",
      questioner_outlet: "Le Courrier de Belvarre",
    });
    expect(segments.at(-1)!.start_seconds).toBeLessThan(conference!.duration_seconds);
  });

  it("takes a photo's caption and credit from the file, through ingest, and the French caption from the content", async () => {
    const [photo] = await deps.db.query<Record<string, string>>(
      "SELECT description_en, description_fr, credit FROM media_items WHERE title_en = 'Family photo'",
    );
    expect(photo).toEqual({
      description_en:
        "Family photo of the ministers of foreign affairs with Secretary General Elin Castellane.",
      description_fr:
        "Photo de famille des ministres des Affaires étrangères avec la secrétaire générale, Elin Castellane.",
      credit: "© Meridian Alliance / Jonas Hallberg",
    });
  });

  it("links the programme to the items that recorded it", async () => {
    const rows = await deps.db.query<{ title_en: string; kind: string | null }>(
      `SELECT p.title_en, m.kind FROM programme_items p JOIN events e ON e.id = p.event_id
       LEFT JOIN media_items m ON m.id = p.media_item_id
       WHERE e.slug = 'foreign-ministers-meeting-maravel' ORDER BY p.position`,
    );
    expect(rows.map((r) => r.kind)).toEqual([
      "photo-opportunity",
      "doorstep",
      null,
      "photo-opportunity",
      "press-conference",
    ]);
  });

  it("completes a load that stopped halfway", async () => {
    const [event] = await deps.db.query<{ id: number }>(
      "UPDATE events SET published_at = NULL WHERE slug = 'civil-preparedness-ministers-meeting' RETURNING id",
    );
    await deps.db.query("DELETE FROM media_items WHERE event_id = $1 AND media_type = 'photo'", [event!.id]);
    const before = await counts();
    const result = await load();
    expect(result.itemsCreated).toBe(1);
    expect(await counts()).toEqual({
      ...before,
      events: before.events + 1,
      items: before.items + 1,
      masters: before.masters + 1,
    });
  });
});
