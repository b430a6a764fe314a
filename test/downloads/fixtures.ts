import { readFile, stat } from "node:fs/promises";
import { basename } from "node:path";
import { Readable } from "node:stream";
import { indexKeyframes } from "../../src/media/keyframes.ts";
import { probeMaster } from "../../src/media/probe.ts";
import type { TestApp } from "../helpers/app.ts";
import { registration } from "../helpers/app.ts";
import { codeFrom } from "../helpers/smtp.ts";

/**
 * A published, ready video item made from a real master, as ingest leaves it: master and
 * keyframe index in storage, probe in `masters`. Returns the item id.
 */
export async function readyVideoItem(
  t: TestApp,
  masterPath: string,
  options: {
    published?: boolean;
    embargoUntil?: Date | null;
    audioLabels?: { index: number; label: string }[];
  } = {},
): Promise<number> {
  const now = t.clock.now();
  const [info, index] = await Promise.all([probeMaster(masterPath), indexKeyframes(masterPath)]);
  const slug = `summit-${Math.random().toString(36).slice(2, 8)}`;
  const [event] = await t.db.query<{ id: number }>(
    `INSERT INTO events (slug, starts_at, title_en, title_fr, published_at, created_at, updated_at)
     VALUES ($1, $2, 'Foreign ministers meeting', 'Réunion des ministres', $2, $2, $2) RETURNING id`,
    [slug, now],
  );
  const [item] = await t.db.query<{ id: number }>(
    `INSERT INTO media_items (event_id, media_type, kind, title_en, title_fr, status, progress, duration_seconds,
       published_at, embargo_until, created_at, updated_at)
     VALUES ($1, 'video', 'press-conference', 'Press conference', 'Conférence de presse', 'ready', 100, $2, $3, $4, $5, $5)
     RETURNING id`,
    [
      event!.id,
      info.durationSeconds,
      options.published === false ? null : now,
      options.embargoUntil ?? null,
      now,
    ],
  );
  const id = item!.id;
  const masterKey = `items/${id}/master/${basename(masterPath)}`;
  await t.deps.storage.putFile(masterKey, masterPath);
  await t.deps.storage.putStream(
    `items/${id}/keyframes.json`,
    bufferStream(Buffer.from(JSON.stringify(index))),
  );
  await t.db.query(
    `INSERT INTO masters (media_item_id, storage_key, original_name, bytes, probe, keyframe_index_key, audio_labels, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [
      id,
      masterKey,
      basename(masterPath),
      (await stat(masterPath)).size,
      JSON.stringify(info),
      `items/${id}/keyframes.json`,
      JSON.stringify(options.audioLabels ?? []),
      now,
    ],
  );
  return id;
}

function bufferStream(buffer: Buffer): NodeJS.ReadableStream {
  return Readable.from([buffer]);
}

/** A verified media user; returns their session cookie header. */
export async function mediaUser(
  t: TestApp,
  email: string,
  options: { acceptTerms?: boolean } = {},
): Promise<string> {
  const registered = await t.app.inject({
    method: "POST",
    url: "/api/v1/auth/register",
    payload: registration(email),
  });
  const res = await t.app.inject({
    method: "POST",
    url: "/api/v1/auth/verify",
    payload: { email, code: codeFrom(await t.smtp.waitForMail(email)), signup: registered.json().signup },
  });
  const cookie = `pressroom_session=${res.cookies.find((c) => c.name === "pressroom_session")!.value}`;
  if (options.acceptTerms !== false) {
    await t.app.inject({
      method: "POST",
      url: "/api/v1/me/download-terms",
      headers: { cookie, "x-requested-with": "test" },
    });
  }
  return cookie;
}

export async function fileBytes(path: string): Promise<Buffer> {
  return readFile(path);
}
