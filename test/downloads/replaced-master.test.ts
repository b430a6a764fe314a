import { writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { acceptMaster } from "../../src/ingest/accept.ts";
import { startTestApp, type TestApp } from "../helpers/app.ts";
import { h264Master } from "../helpers/media.ts";
import { createEvent, waitForItem } from "../ingest/fixtures.ts";
import { decodePictures, lumaFrames, psnr } from "../media/clip-check.ts";
import { mediaUser } from "./fixtures.ts";

/**
 * An item's master replaced after the item failed (a failed item takes a new master): the web
 * process has cut clips of the old master, and keeps what it read of it (its keyframe index, its
 * clips' header). Clips of the new master, under the same file name, must come from the new
 * master's own keyframes.
 */
// Two masters made ready in turn (probe, index, preview ladder each) beside the other test files:
// 26 s alone, more under a full suite's load.
describe("clips of a replaced master", { timeout: 120_000 }, () => {
  let t: TestApp;
  let media: string;
  beforeAll(async () => {
    t = await startTestApp({}, { work: true });
    await createEvent(t.db, "summit");
    await t.db.query("UPDATE events SET published_at = $1 WHERE slug = 'summit'", [t.clock.now()]);
    media = await mediaUser(t, "replaced@x.example");
  });
  afterAll(async () => {
    await t?.close();
  });

  it("are cut from the new master's keyframes, not the old one's, under the same name", async () => {
    // Keyframes every 50 frames at 25 fps, then every 60 at 29.97: frames 100 and 150 are keyframes
    // of the first only, 120 of the second only.
    const first = await h264Master({ seconds: 8 });
    const second = await h264Master({ seconds: 7, rate: "29.97" });
    const item = await acceptMaster(t.deps, {
      file: first.path,
      originalName: "presser.mp4",
      target: { fields: { event: "summit" } },
    });
    expect(await waitForItem(t.db, item.id)).toMatchObject({ status: "ready" });
    await t.db.query("UPDATE media_items SET published_at = $2 WHERE id = $1", [item.id, t.clock.now()]);
    const clip = (query: string) =>
      t.app.inject({
        method: "GET",
        url: `/api/v1/items/${item.id}/download?format=original&${query}`,
        headers: { cookie: media },
      });
    expect((await clip("in=01:00:02:16&out=01:00:06:20")).statusCode).toBe(200);

    // A later processing of it failed (a preview refresh, say): a failed item takes a new master.
    await t.db.query("UPDATE media_items SET status = 'failed' WHERE id = $1", [item.id]);
    await acceptMaster(t.deps, {
      file: second.path,
      originalName: "presser.mp4",
      target: { itemId: item.id },
    });
    expect(await waitForItem(t.db, item.id)).toMatchObject({ status: "ready" });

    // Frames 66 to 169 of the second master, asked for in seconds (frame 66.2 and 170.2 of 29.97).
    const [inFrame, outFrame] = [66, 170];
    const at = (frame: number) => ((frame + 0.2) * 1001) / 30000;
    const res = await clip(`in=${at(inFrame).toFixed(4)}&out=${at(outFrame).toFixed(4)}`);
    expect(res.statusCode, res.body).toBe(200);
    const file = path.join(t.dataDir, "replaced.mp4");
    await writeFile(file, res.rawPayload);
    const pictures = await decodePictures(file);
    expect(pictures.errors).toEqual([]);
    expect(pictures.hashes).toHaveLength(outFrame - inFrame);
    const last = outFrame - inFrame - 1;
    const [clipIn, clipOut] = await lumaFrames(file, [0, last], second.width, second.height);
    const [masterIn, masterOut] = await lumaFrames(
      second.path,
      [inFrame, outFrame - 1],
      second.width,
      second.height,
    );
    expect(psnr(clipIn!, masterIn!)).toBeGreaterThanOrEqual(45);
    expect(psnr(clipOut!, masterOut!)).toBeGreaterThanOrEqual(45);
  });
});
