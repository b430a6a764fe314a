import { readdirSync, readFileSync, statSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { type DetailedError, Upload } from "tus-js-client";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { startTestApp, type TestApp } from "../helpers/app.ts";
import { h264Master, jpegNamedMxf } from "../helpers/media.ts";
import { createEvent, sessionFor, waitForItem } from "./fixtures.ts";

let t: TestApp;
let base: string;
let editor: string;
let media: string;
beforeAll(async () => {
  t = await startTestApp({}, { work: true });
  await createEvent(t.db, "council");
  await t.app.listen({ port: 0, host: "127.0.0.1" });
  base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
  editor = await sessionFor(t, "editor@org.example", "editor");
  media = await sessionFor(t, "journalist@news.example", "media");
});
afterAll(() => t.close());

const cookie = (token: string) => `pressroom_session=${token}`;
const tusMetadata = (values: Record<string, string>) =>
  Object.entries(values)
    .map(([k, v]) => `${k} ${Buffer.from(v).toString("base64")}`)
    .join(",");

/**
 * Sends `body` as a PATCH but drops the connection after `cut` bytes, as a failing network would:
 * once the server has stored some of them (the upload's file has grown), not after a guessed delay.
 */
function patchThenDrop(url: string, token: string, body: Buffer, cut: number): Promise<void> {
  const file = path.join(t.dataDir, "uploads", new URL(url).pathname.split("/").pop() ?? "");
  return new Promise((resolve) => {
    const request = http.request(url, {
      method: "PATCH",
      headers: {
        cookie: cookie(token),
        "tus-resumable": "1.0.0",
        "upload-offset": "0",
        "content-type": "application/offset+octet-stream",
        "content-length": String(body.length),
      },
    });
    request.on("error", () => resolve());
    request.on("response", () => resolve());
    request.write(body.subarray(0, cut), async () => {
      await vi.waitFor(() => expect(statSync(file).size).toBeGreaterThan(0), {
        timeout: 10_000,
        interval: 20,
      });
      request.destroy();
    });
  });
}

/** An item made through the API, as the upload page makes it before sending its file. */
async function createItemForUpload(extra: Record<string, unknown> = {}): Promise<number> {
  const created = await fetch(`${base}/api/v1/items`, {
    method: "POST",
    headers: { cookie: cookie(editor), "content-type": "application/json" },
    body: JSON.stringify({ event: "council", type: "video", title: { en: "Doorstep" }, ...extra }),
  });
  expect(created.status).toBe(201);
  return ((await created.json()) as { id: number }).id;
}

/** A tus creation for `itemId` of an upload of `length` bytes, in the uploader's `lang`. */
function createUpload(itemId: number, length: number, lang = "en"): Promise<Response> {
  return fetch(`${base}/api/v1/uploads`, {
    method: "POST",
    headers: {
      cookie: cookie(editor),
      "accept-language": lang,
      "tus-resumable": "1.0.0",
      "upload-length": String(length),
      "upload-metadata": tusMetadata({ itemId: String(itemId), filename: "doorstep.mp4" }),
    },
  });
}

/** The whole file in one PATCH to the upload made by `created`. */
function sendWhole(created: Response, body: Buffer<ArrayBuffer>, lang = "en"): Promise<Response> {
  return fetch(new URL(created.headers.get("location")!, base), {
    method: "PATCH",
    headers: {
      cookie: cookie(editor),
      "accept-language": lang,
      "tus-resumable": "1.0.0",
      "upload-offset": "0",
      "content-type": "application/offset+octet-stream",
    },
    body,
  });
}

describe("resumable uploads (tus) at /api/v1/uploads", () => {
  it("continues an interrupted upload where it stopped and makes the item's master", async () => {
    const created = await fetch(`${base}/api/v1/items`, {
      method: "POST",
      headers: { cookie: cookie(editor), "content-type": "application/json" },
      body: JSON.stringify({
        event: "council",
        type: "video",
        kind: "press-conference",
        title: { en: "Press conference" },
      }),
    });
    expect(created.status).toBe(201);
    const item = (await created.json()) as {
      id: number;
      status: string;
      upload: { url: string; metadata: Record<string, string> };
    };
    // Nothing sent yet (not "uploaded": found by hand).
    expect(item.status).toBe("awaiting_upload");

    // 2 s, as the other tests here: the upload is cut at 60 % of whatever size, and the master is
    // then processed in full (4 s cost a second or two for nothing, on each database).
    const body = readFileSync((await h264Master({ seconds: 2 })).path);
    const start = await fetch(`${base}${item.upload.url}`, {
      method: "POST",
      headers: {
        cookie: cookie(editor),
        "tus-resumable": "1.0.0",
        "upload-length": String(body.length),
        "upload-metadata": tusMetadata({ ...item.upload.metadata, filename: "presser.mp4" }),
      },
    });
    expect(start.status).toBe(201);
    const uploadUrl = new URL(start.headers.get("location")!, base).toString();

    await patchThenDrop(uploadUrl, editor, body, Math.floor(body.length * 0.6));
    const head = await fetch(uploadUrl, {
      method: "HEAD",
      headers: { cookie: cookie(editor), "tus-resumable": "1.0.0" },
    });
    const offset = Number(head.headers.get("upload-offset"));
    expect(offset).toBeGreaterThan(0);
    expect(offset).toBeLessThan(body.length);

    const rest = await fetch(uploadUrl, {
      method: "PATCH",
      headers: {
        cookie: cookie(editor),
        "tus-resumable": "1.0.0",
        "upload-offset": String(offset),
        "content-type": "application/offset+octet-stream",
      },
      body: body.subarray(offset),
    });
    expect(rest.status).toBe(204);
    expect(rest.headers.get("pressroom-item-id")).toBe(String(item.id));
    expect(await waitForItem(t.db, item.id)).toMatchObject({ status: "ready" });
    const [master] = await t.db.query<{ storage_key: string }>(
      "SELECT storage_key FROM masters WHERE media_item_id = $1",
      [item.id],
    );
    expect(master?.storage_key).toMatch(/\/presser\.mp4$/);
    const stored = await t.deps.storage.stat(master!.storage_key);
    expect(stored?.size).toBe(body.length);
    expect(readdirSync(path.join(t.dataDir, "uploads"))).toEqual([]);
  });

  it("refuses a JPEG renamed .mxf sent with tus-js-client, in the uploader's language, keeping nothing", async () => {
    const before = await t.db.query("SELECT id FROM media_items");
    const file = readFileSync(await jpegNamedMxf());
    const error = await new Promise<DetailedError>((resolve, reject) => {
      new Upload(file, {
        endpoint: `${base}/api/v1/uploads`,
        metadata: { filename: "interview.mxf", event: "council" },
        headers: { cookie: cookie(editor), "accept-language": "fr" },
        retryDelays: null,
        onSuccess: () => reject(new Error("the upload was accepted")),
        onError: (e) => resolve(e as DetailedError),
      }).start();
    });
    expect(error.originalResponse?.getStatus()).toBe(400);
    expect(JSON.parse(error.originalResponse!.getBody())).toEqual({
      error: {
        code: "not_a_video",
        message: "Ce fichier n'est pas un fichier vidéo ou audio que nous savons lire.",
      },
    });
    expect(await t.db.query("SELECT id FROM media_items")).toEqual(before);
    expect(readdirSync(path.join(t.dataDir, "uploads"))).toEqual([]);
  });

  it("lets only editors create items and upload (checked on the server)", async () => {
    const item = await fetch(`${base}/api/v1/items`, {
      method: "POST",
      headers: { cookie: cookie(media), "content-type": "application/json" },
      body: JSON.stringify({ event: "council", type: "video" }),
    });
    expect(item.status).toBe(403);
    const upload = await fetch(`${base}/api/v1/uploads`, {
      method: "POST",
      headers: {
        cookie: cookie(media),
        "tus-resumable": "1.0.0",
        "upload-length": "10",
        "upload-metadata": tusMetadata({ filename: "a.mp4", event: "council" }),
      },
    });
    expect(upload.status).toBe(403);
    expect(((await upload.json()) as { error: { code: string } }).error.code).toBe("forbidden");
    const anonymous = await fetch(`${base}/api/v1/uploads`, {
      method: "POST",
      headers: { "tus-resumable": "1.0.0", "upload-length": "10" },
    });
    expect(anonymous.status).toBe(401);
    expect(readdirSync(path.join(t.dataDir, "uploads"))).toEqual([]);
  });

  it("refuses, before any byte, an upload to an item whose master works or to a live item, saying why in the uploader's language", async () => {
    const body = readFileSync((await h264Master({ seconds: 2 })).path);
    const itemId = await createItemForUpload();
    const first = await createUpload(itemId, body.length);
    expect(first.status).toBe(201);
    expect((await sendWhole(first, body)).status).toBe(204);

    // Its master is being processed, then ready: both are a master that works.
    for (const settled of [false, true]) {
      if (settled) expect(await waitForItem(t.db, itemId)).toMatchObject({ status: "ready" });
      const refused = await createUpload(itemId, 20 * 1024 ** 3, "fr");
      expect(refused.status).toBe(409);
      expect(refused.headers.get("location")).toBeNull();
      expect(await refused.json()).toEqual({
        error: {
          code: "item_takes_no_master",
          message: "Cet élément ne peut pas recevoir d’autre fichier master.",
          fields: {
            itemId: [
              "Son master est en place et son traitement n’a pas échoué : un master n’est remplacé qu’après un échec. Envoyez ce fichier comme un nouvel élément.",
            ],
          },
        },
      });
    }

    const live = await createItemForUpload({ live: true });
    const toLive = await createUpload(live, body.length);
    expect(toLive.status).toBe(409);
    expect(await toLive.json()).toEqual({
      error: {
        code: "item_takes_no_master",
        message: "This item cannot take another master file.",
        fields: { itemId: ["It is a live item: its video is the recording of the live."] },
      },
    });
    expect(readdirSync(path.join(t.dataDir, "uploads"))).toEqual([]);
  });

  it("refuses at the end, with the same reason, an upload whose item got a working master meanwhile", async () => {
    const body = readFileSync((await h264Master({ seconds: 2 })).path);
    const itemId = await createItemForUpload();
    // Two uploads to an item without a master (two tabs, two editors): both may start.
    const slow = await createUpload(itemId, body.length, "fr");
    const fast = await createUpload(itemId, body.length);
    expect([slow.status, fast.status]).toEqual([201, 201]);
    expect((await sendWhole(fast, body)).status).toBe(204);
    const [master] = await t.db.query<{ storage_key: string }>(
      "SELECT storage_key FROM masters WHERE media_item_id = $1",
      [itemId],
    );

    const late = await sendWhole(slow, body, "fr");
    expect(late.status).toBe(409);
    expect(await late.json()).toMatchObject({
      error: {
        code: "item_takes_no_master",
        fields: { itemId: [expect.stringContaining("Son master est en place")] },
      },
    });
    // The first master stays, untouched; the late file's bytes are gone.
    const [kept] = await t.db.query<{ storage_key: string }>(
      "SELECT storage_key FROM masters WHERE media_item_id = $1",
      [itemId],
    );
    expect(kept?.storage_key).toBe(master?.storage_key);
    expect(await waitForItem(t.db, itemId)).toMatchObject({ status: "ready" });
    expect(readdirSync(path.join(t.dataDir, "uploads"))).toEqual([]);
  });

  it("refuses an upload for an unknown event before any byte is sent", async () => {
    const res = await fetch(`${base}/api/v1/uploads`, {
      method: "POST",
      headers: {
        cookie: cookie(editor),
        "tus-resumable": "1.0.0",
        "upload-length": "1000",
        "upload-metadata": tusMetadata({ filename: "a.mp4", event: "nowhere" }),
      },
    });
    expect(res.status).toBe(404);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe("event_not_found");
  });
});
