import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findItem } from "../../src/catalogue/item-store.ts";
import { statusReasonText } from "../../src/catalogue/status-reason.ts";
import { UserError } from "../../src/core/errors.ts";
import { removeItem } from "../../src/editor/items.ts";
import { acceptMaster } from "../../src/ingest/accept.ts";
import { importFile, readImportArgs } from "../../src/ingest/import-file.ts";
import { processItem } from "../../src/ingest/process.ts";
import { refreshOldPreviews } from "../../src/ingest/refresh-previews.ts";
import { runFfprobeJson } from "../../src/media/ffmpeg.ts";
import type { MasterInfo } from "../../src/media/probe.ts";
import type { PutOptions, Storage } from "../../src/storage/storage.ts";
import { errorMessage } from "../../src/web/error-handler.ts";
import { mediaUser } from "../downloads/fixtures.ts";
import { startTestApp, type TestApp } from "../helpers/app.ts";
import {
  emptyFile,
  h264Master,
  jpegNamedMxf,
  proresMaster,
  truncatedMp4,
  xdcamMaster,
} from "../helpers/media.ts";
import { createEvent, itemState, renditionsOf, waitForItem } from "./fixtures.ts";
import { jpegWithExif, jpegWithIptc } from "./photos.ts";

let t: TestApp;
let scratch: string;
beforeAll(async () => {
  t = await startTestApp({}, { work: true });
  await createEvent(t.db, "summit");
  scratch = mkdtempSync(path.join(os.tmpdir(), "ingest-test-"));
});
afterAll(async () => {
  await t.close();
  rmSync(scratch, { recursive: true, force: true });
});

async function readText(key: string, encoding: BufferEncoding = "utf8"): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of (await t.deps.storage.read(key)) as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks).toString(encoding);
}

const itemCount = async () =>
  (await t.db.query<{ n: number }>("SELECT count(*)::int AS n FROM media_items"))[0]!.n;

describe("importing a master (the CLI's import) and processing it", () => {
  it.each([
    // The last column: clip headers prepared, for the MP4 and MXF clips (the master's own format
    // if MP4 or MXF, and MP4).
    ["H.264 MP4", () => h264Master({ seconds: 4 }), "mp4", "h264", 1, 2],
    ["XDCAM MXF", () => xdcamMaster({ seconds: 2 }), "mxf", "mpeg2video", 2, 2],
    ["ProRes MOV", () => proresMaster({ seconds: 2 }), "mov", "prores", 2, 1],
  ])(
    "makes an %s ready: probe, keyframe index, HLS ladder, poster, storyboard, waveform, clip headers",
    async (_, make, container, codec, tracks, headers) => {
      const master = await make();
      const name = `clip.${container}`;
      const file = path.join(scratch, name);
      writeFileSync(file, "");
      rmSync(file);
      const { symlinkSync } = await import("node:fs");
      symlinkSync(master.path, file);
      const request = await readImportArgs([
        file,
        "--event",
        "summit",
        "--title",
        "Doorstep",
        "--kind",
        "doorstep",
      ]);
      const accepted = await importFile(t.deps, request);
      expect(accepted.status).toBe("processing");
      expect(await waitForItem(t.db, accepted.id)).toMatchObject({
        status: "ready",
        progress: 100,
        status_reason: null,
      });

      const [m] = await t.db.query<{ probe: MasterInfo; keyframe_index_key: string; storage_key: string }>(
        "SELECT probe, keyframe_index_key, storage_key FROM masters WHERE media_item_id = $1",
        [accepted.id],
      );
      expect(m!.storage_key).toMatch(new RegExp(`^items/${accepted.id}/master/[0-9a-f]{12}/${name}$`));
      expect(m!.probe).toMatchObject({ container, startTimecode: master.startTimecode });
      expect(m!.probe.video).toMatchObject({ codec, width: master.width, height: master.height });
      expect(m!.probe.audio).toHaveLength(tracks);
      const keyframes = JSON.parse(await readText(m!.keyframe_index_key));
      expect(keyframes.frameCount).toBe(master.frameCount);

      const renditions = await renditionsOf(t.db, accepted.id);
      expect([...renditions.keys()].sort()).toEqual(["hls", "mp4", "poster", "storyboard", "waveform"]);
      // The single-file preview (pages without JavaScript) is the HLS rung re-wrapped: every frame.
      const mp4 = (await runFfprobeJson([
        ...["-count_frames", "-select_streams", "v:0", "-show_entries", "stream=codec_name,nb_read_frames"],
        await t.deps.storage.localPath(renditions.get("mp4")!.key, scratch),
      ])) as { streams: { codec_name: string; nb_read_frames: string }[] };
      expect(mp4.streams[0]).toEqual({ codec_name: "h264", nb_read_frames: String(master.frameCount) });
      const playlist = await readText(renditions.get("hls")!.key);
      const variants = [...playlist.matchAll(/^(\d+p)\/index\.m3u8$/gm)].map((match) => match[1]);
      expect(variants.length).toBeGreaterThanOrEqual(2);
      expect(playlist).not.toMatch(/RESOLUTION=\d+x(1[1-9]\d\d|[2-9]\d\d\d)/);
      const variant = `items/${accepted.id}/hls/${variants.at(-1)}/index.m3u8`;
      expect(await readText(variant)).toContain("#EXT-X-MAP");
      const probe = (await runFfprobeJson([
        "-show_streams",
        await t.deps.storage.localPath(variant, scratch),
      ])) as {
        streams: { codec_name: string }[];
      };
      expect(probe.streams.map((s) => s.codec_name)).toEqual(["h264", "aac"]);
      const vtt = await readText(renditions.get("storyboard")!.key);
      expect(vtt).toMatch(/^WEBVTT\n\n1\n00:00:00\.000 --> 00:00:01\.000\nsheet_000\.jpg#xywh=0,0,160,90\n/);
      expect(await t.deps.storage.stat(`items/${accepted.id}/storyboard/sheet_000.jpg`)).not.toBeNull();
      const waveform = JSON.parse(await readText(renditions.get("waveform")!.key));
      expect(waveform).toMatchObject({ version: 2, bits: 8, sample_rate: 8000 });
      // The beep at the start of each second shows as loud peaks.
      expect(Math.max(...waveform.data)).toBeGreaterThan(30);
      expect((await t.deps.storage.stat(renditions.get("poster")!.key))?.size).toBeGreaterThan(1000);

      const prepared = await t.deps.storage.list(`items/${accepted.id}/clip-headers/`);
      expect(prepared).toHaveLength(headers);
      // The first clip anyone asks for starts with a header prepared here, sent before the cut.
      const cookie = await mediaUser(t, `first-${container}@x.example`);
      await t.db.query("UPDATE media_items SET published_at = $1 WHERE id = $2", [
        t.clock.now(),
        accepted.id,
      ]);
      const clip = await t.app.inject({
        // Across the H.264 master's keyframe at 2 s, so its frames are partly copied.
        url: `/api/v1/items/${accepted.id}/download?format=mp4&${container === "mp4" ? "in=1.6&out=2.8" : "in=0.6&out=1.8"}`,
        headers: { cookie },
      });
      expect(clip.statusCode, clip.body).toBe(200);
      const starts = await Promise.all(
        prepared.map(async (key) =>
          clip.rawPayload.subarray(0, 16_384).indexOf(Buffer.from(await readText(key, "latin1"), "latin1")),
        ),
      );
      expect(starts).toContain(0);
    },
    // The whole processing of a 1080i master (ladder, poster, storyboard, waveform, headers) at
    // background priority: 30 s was once too short with another test file encoding beside it.
    90_000,
  );

  it.each([
    ["a JPEG renamed .mxf", jpegNamedMxf, "fake.mxf", "not_a_video"],
    ["a truncated MP4", truncatedMp4, "cut.mp4", "corrupt_media"],
    ["an empty file", emptyFile, "empty.mp4", "empty_upload"],
  ])("refuses %s with a clear message and leaves nothing behind", async (_, make, name, code) => {
    const before = await itemCount();
    const file = path.join(scratch, name);
    const { copyFileSync } = await import("node:fs");
    copyFileSync(await make(), file);
    const error = await importFile(t.deps, await readImportArgs([file, "--event", "summit"])).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).code).toBe(code);
    expect(errorMessage("fr", (error as UserError).code, (error as UserError).params)).not.toMatch(
      /^error\./,
    );
    expect(await itemCount()).toBe(before);
    expect(await t.deps.storage.list("items/")).not.toContainEqual(expect.stringContaining(name));
  });

  it("marks an item made beforehand as failed, with the reason, when its file is refused", async () => {
    const { createItemFromFields } = await import("../../src/ingest/items.ts");
    const item = await createItemFromFields(t.deps, { event: "summit" }, "video", "uploaded");
    await expect(
      acceptMaster(t.deps, {
        file: await jpegNamedMxf(),
        originalName: "x.mxf",
        target: { itemId: item.id },
      }),
    ).rejects.toMatchObject({ code: "not_a_video" });
    expect(await itemState(t.db, item.id)).toMatchObject({
      status: "failed",
      status_reason: "error.not_a_video",
    });
    // Kept as a message, so each editor reads it in their language.
    const reason = (await findItem(t.db, item.id))!.statusReason;
    expect(statusReasonText("en", reason)).toBe("This file is not a video or audio file we can read.");
    expect(statusReasonText("fr", reason)).toBe(
      "Ce fichier n'est pas un fichier vidéo ou audio que nous savons lire.",
    );
    expect(await t.deps.storage.list(`items/${item.id}/`)).toEqual([]);
  });
});

describe("an interrupted job", { timeout: 120_000 }, () => {
  it("leaves no rendition row nor visible file, and a second run completes", async () => {
    // 4 s, as the first test's: processed four times over, the 6 s default cost seconds for nothing.
    const master = await h264Master({ seconds: 4 });
    // Not queued: this test runs the job itself, twice.
    const deps = { ...t.deps, jobs: { enqueue: async () => {}, wake: () => {} } };
    const item = await acceptMaster(deps, {
      file: master.path,
      originalName: "long.mp4",
      target: { fields: { event: "summit" } },
    });
    const abort = new AbortController();
    const run = processItem(deps, item.id, {
      signal: abort.signal,
      onProgress: (percent) => {
        // The preview's ffmpeg has reported its first frames (the ladder is 5–90 %): kill it mid-write.
        if (percent >= 5 && percent < 90) abort.abort(new Error("worker killed"));
      },
    });
    await expect(run).rejects.toThrow("worker killed");
    expect([...(await renditionsOf(t.db, item.id)).keys()]).toEqual([]);
    const keys = await t.deps.storage.list(`items/${item.id}/`);
    // What the first step finished stays (each file whole): the index and the clip headers.
    const finished = (k: string) =>
      k.includes("/master/") || k.endsWith("keyframes.json") || k.includes("/clip-headers/");
    expect(keys.filter((k) => !finished(k))).toEqual([]);
    expect((await itemState(t.db, item.id)).status).toBe("processing");

    await processItem(deps, item.id);
    expect((await itemState(t.db, item.id)).status).toBe("ready");
    expect([...(await renditionsOf(t.db, item.id)).keys()].sort()).toEqual([
      "hls",
      "mp4",
      "poster",
      "storyboard",
      "waveform",
    ]);
    // Running it again after success changes nothing.
    await processItem(deps, item.id);
    expect((await itemState(t.db, item.id)).status).toBe("ready");

    // An item processed before the frame-true readout: no first-picture offset, no MP4 preview.
    await t.db.query(
      "UPDATE renditions SET meta = meta - 'firstFrameSeconds' WHERE media_item_id = $1 AND kind = 'hls'",
      [item.id],
    );
    await t.db.query("DELETE FROM renditions WHERE media_item_id = $1 AND kind = 'mp4'", [item.id]);
    const queued: (string | number)[] = [];
    const refresh = {
      db: t.db,
      jobs: { enqueue: async (_name: string, id: string | number) => void queued.push(id), wake: () => {} },
    };
    expect(await refreshOldPreviews(refresh, t.clock.now())).toEqual({ queued: [item.id] });
    expect(queued).toEqual([item.id]);
    expect((await itemState(t.db, item.id)).status).toBe("processing");
    await processItem(deps, item.id);
    const refreshed = await renditionsOf(t.db, item.id);
    expect([...refreshed.keys()].sort()).toEqual(["hls", "mp4", "poster", "storyboard", "waveform"]);
    const [hls] = await t.db.query<{ meta: { firstFrameSeconds?: unknown } }>(
      "SELECT meta FROM renditions WHERE media_item_id = $1 AND kind = 'hls'",
      [item.id],
    );
    expect(typeof hls!.meta.firstFrameSeconds).toBe("number");
    expect(await refreshOldPreviews(refresh, t.clock.now())).toEqual({ queued: [] });
  });
});

describe("an item deleted while it is processed", { timeout: 120_000 }, () => {
  it("leaves none of its files behind, and the job ends without a retry", async () => {
    const master = await h264Master({ seconds: 4 });
    const deps = { ...t.deps, jobs: { enqueue: async () => {}, wake: () => {} } };
    const item = await acceptMaster(deps, {
      file: master.path,
      originalName: "deleted.mp4",
      target: { fields: { event: "summit" } },
    });
    // The editor deletes the item just as the job stores its preview: that file and the ones after
    // it arrive after the deletion. The storage is the real one; only the moment is chosen.
    const real = t.deps.storage;
    let deleted = false;
    const storage: Storage = new Proxy(real, {
      get(target, name) {
        if (name !== "putFile") {
          const value: unknown = Reflect.get(target, name, target);
          return typeof value === "function" ? value.bind(target) : value;
        }
        return async (key: string, file: string, options?: PutOptions) => {
          if (!deleted && key.includes("/hls/")) {
            deleted = true;
            const editor = { db: t.db, now: t.clock.now, timeZone: "UTC", storage: real };
            await removeItem(editor, item.id, () => {});
          }
          return target.putFile(key, file, options);
        };
      },
    });

    await processItem({ ...deps, storage }, item.id);
    expect(deleted).toBe(true);
    expect(await real.list(`items/${item.id}/`)).toEqual([]);
    expect(await findItem(t.db, item.id)).toBeNull();
  });
});

describe("photos", () => {
  it("keeps the IPTC caption and credit and makes web sizes", async () => {
    const file = path.join(scratch, "summit.jpg");
    writeFileSync(file, await jpegWithIptc("Leaders arrive at the summit — Bruxelles", "NATO / Jane Doe"));
    const item = await importFile(t.deps, await readImportArgs([file, "--event", "summit"]));
    expect(item.mediaType).toBe("photo");
    expect(await waitForItem(t.db, item.id)).toMatchObject({ status: "ready" });
    const [row] = await t.db.query<{ media_type: string; description_en: string; credit: string }>(
      "SELECT media_type, description_en, credit FROM media_items WHERE id = $1",
      [item.id],
    );
    expect(row).toEqual({
      media_type: "photo",
      description_en: "Leaders arrive at the summit — Bruxelles",
      credit: "NATO / Jane Doe",
    });
    const renditions = await renditionsOf(t.db, item.id);
    expect([...renditions.keys()].sort()).toEqual(["poster", "web-large", "web-small"]);
    expect(renditions.get("web-small")!.meta).toEqual({ width: 267, height: 400 });
    expect(renditions.get("web-large")!.meta).toEqual({ width: 800, height: 1200 });
  });

  it("takes EXIF caption and credit, but never over what the editors wrote", async () => {
    const file = path.join(scratch, "exif.jpg");
    await jpegWithExif(file, "Press conference room", "Photo Service");
    const item = await acceptMaster(t.deps, {
      file,
      originalName: "exif.jpg",
      target: { fields: { event: "summit", credit: "Editors' credit" } },
    });
    await waitForItem(t.db, item.id);
    const [row] = await t.db.query<{ description_en: string; credit: string }>(
      "SELECT description_en, credit FROM media_items WHERE id = $1",
      [item.id],
    );
    expect(row).toEqual({ description_en: "Press conference room", credit: "Editors' credit" });
  });
});
