import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mediaUser, readyVideoItem } from "../downloads/fixtures.ts";
import { startTestApp, type TestApp } from "../helpers/app.ts";
import { h264Master } from "../helpers/media.ts";

/**
 * IN and OUT far beyond any video (the probe of 2026-12-07, L6): they were read as frames whose
 * timecodes wrapped past midnight ("The clip 09:46:40:00–02:28:33:23 is outside the video").
 * The 6-second master starts at 01:00:00:00.
 */
let t: TestApp;
let base: string;
let itemId: number;
let cookie: string;

beforeAll(async () => {
  t = await startTestApp();
  await t.app.listen({ port: 0, host: "127.0.0.1" });
  base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
  itemId = await readyVideoItem(t, (await h264Master({ seconds: 6 })).path);
  cookie = await mediaUser(t, "points@x.example");
});
afterAll(() => t.close());

async function download(query: string, lang = "en") {
  const res = await fetch(`${base}/api/v1/items/${itemId}/download?${query}`, {
    headers: { cookie, "accept-language": lang },
  });
  return { status: res.status, error: ((await res.json()) as { error: Record<string, unknown> }).error };
}

describe("IN and OUT beyond any video", () => {
  it("refuses a point over 100 hours from the start at its field, in the client's language", async () => {
    const huge = await download("in=99999999999999999999&out=999999999999999999999");
    expect(huge).toEqual({
      status: 400,
      error: {
        code: "clip_point_too_far",
        message:
          '"99999999999999999999" is beyond the end of any video: give a point at most 100 hours from the start.',
        fields: {
          in: [
            '"99999999999999999999" is beyond the end of any video: give a point at most 100 hours from the start.',
          ],
        },
      },
    });
    const out = await download("in=1&out=360000.5", "fr");
    expect(out.error.code).toBe("clip_point_too_far");
    expect(out.error.fields).toEqual({
      out: ["« 360000.5 » dépasse la fin de toute vidéo : donnez un point à 100 heures au plus du début."],
    });
    // 100 hours itself is a point like any other: outside this video.
    expect((await download("in=1&out=360000")).error.code).toBe("timecode_out_of_range");
    // A point that is no time is named at its field too.
    expect((await download("in=1&out=abc")).error.fields).toEqual({
      out: ['"abc" is not a timecode. Use HH:MM:SS:FF or seconds.'],
    });
  });

  it("says a point outside the video as typed when its timecode would wrap past midnight, IN and OUT apart", async () => {
    // 99,999 s from 01:00:00:00 is past midnight: its label, 04:46:39:00, would be another moment.
    const wrapped = await download("in=1&out=99999");
    expect(wrapped.error.message).toBe(
      "The clip from 01:00:01:00 to 99999 is outside the video, which runs from 01:00:00:00 to 01:00:06:00.",
    );
    const fr = await download("in=1&out=99999", "fr");
    expect(fr.error.message).toBe(
      "L'extrait de 01:00:01:00 à 99999 sort de la vidéo, qui va de 01:00:00:00 à 01:00:06:00.",
    );
    // Within the day, on the master's clock.
    expect((await download("in=7&out=9.5")).error.message).toBe(
      "The clip from 01:00:07:00 to 01:00:09:12 is outside the video, which runs from 01:00:00:00 to 01:00:06:00.",
    );
  });

  it("shows the refusal at the field on the item page's download form", async () => {
    const sent = await fetch(
      `${base}/en/items/${itemId}/download?range=partial&in=99999999999999999999&out=3&format=mp4`,
      { headers: { cookie, accept: "text/html" }, redirect: "manual" },
    );
    expect(sent.status).toBe(303);
    const page = await fetch(`${base}${sent.headers.get("location")}`, {
      headers: { cookie, accept: "text/html" },
    });
    const body = await page.text();
    expect(body).toContain(
      '<ul class="error" id="in-error"><li>&quot;99999999999999999999&quot; is beyond the end of any video: give a point at most 100 hours from the start.</li></ul>',
    );
    expect(body).not.toContain('id="out-error"');
  });
});
