import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  findLiveStream,
  markLive,
  setLiveHealth,
  setLiveProblem,
  setReceiving,
} from "../../src/catalogue/live-store.ts";
import { createEvent } from "../catalogue/fixtures.ts";
import { startTestApp, type TestApp, textOf } from "../helpers/app.ts";
import { idFrom, loggedIn } from "./helpers.ts";

/**
 * Live items in the editor workspace (issue 12): an editor adds one to an event, reads the
 * addresses and key to type into the venue's encoder, follows the stream's health, renews the
 * key and ends the live, in English and French.
 */
describe("live items in the editor workspace", () => {
  let t: TestApp;
  let eventId: number;
  let itemId: number;

  beforeAll(async () => {
    t = await startTestApp({ LIVE_SRT_PORT: "9100", LIVE_SRT_PORTS: "2", LIVE_RTMP_PORT: "1935" });
    ({ id: eventId } = await createEvent(t.db, { slug: "live-summit" }));
  });
  afterAll(() => t?.close());

  it("adds a live item to an event, and says what is missing in the form", async () => {
    const editor = await loggedIn(t, "live-editor@org.example", "editor");
    const event = await editor.get(`/en/editor/events/${eventId}`);
    expect(event.body).toContain(`href="/en/editor/events/${eventId}/live/new"`);
    expect(textOf(event.body)).toContain("Add a live item");

    const form = await editor.get(`/fr/editor/events/${eventId}/live/new`);
    expect(form.statusCode).toBe(200);
    expect(textOf(form.body)).toContain("Ajouter un direct");
    const refused = await editor.submit(`/fr/editor/events/${eventId}/live`, {
      title_en: "",
      title_fr: "",
      kind: "press-conference",
      scheduled_at: "tomorrow",
    });
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain('aria-invalid="true"');
    expect(await t.db.query("SELECT 1 FROM live_streams")).toEqual([]);

    const created = await editor.submit(`/en/editor/events/${eventId}/live`, {
      title_en: "Press conference, live",
      title_fr: "",
      kind: "press-conference",
      scheduled_at: "2026-11-23T10:00",
    });
    expect(created.statusCode).toBe(303);
    itemId = idFrom(created.headers.location, "items");
    const stream = await findLiveStream(t.db, itemId);
    expect(stream?.scheduledAt?.toISOString()).toBe("2026-11-23T10:00:00.000Z");

    const page = await editor.follow(created);
    const text = textOf(page.body);
    expect(text).toContain("Waiting for the encoder");
    expect(text).toContain("scheduled for 2026-11-23 10:00 UTC");
    expect(text).toContain(`srt://pressroom.test:9100?passphrase=${stream!.key}`);
    expect(text).toContain("RTMP server rtmp://pressroom.test:1935/live");
    expect(text).toContain(`Stream key ${stream!.key}`);
    // Nothing to upload: the recording becomes its video.
    expect(text).toContain("Its video is made from the recording when the live ends");
    expect(text).not.toContain("No master file");
    // Renewing the key is a form that posts with the page's CSRF token; ending leads to a question.
    expect(page.body).toMatch(
      new RegExp(`action="/en/editor/items/${itemId}/live/key"><input type="hidden" name="_csrf"`),
    );
    expect(page.body).toContain(
      `<a class="button" href="/en/editor/items/${itemId}/live/end">End the live</a>`,
    );
    // A live whose encoder never sent cannot be ended (it would fail for good): it says why.
    await editor.get(`/en/editor/items/${itemId}/live/end`);
    const early = await editor.submit(`/en/editor/items/${itemId}/live/end`, {});
    expect(early.statusCode).toBe(409);
    expect(textOf(early.body)).toContain(
      "Nothing has been received from the encoder yet: there is no live to end. If it will not take place, delete the item.",
    );
    expect((await findLiveStream(t.db, itemId))!.state).toBe("waiting");
    expect(page.body).toContain(`data-live-watch="/api/v1/items/${itemId}"`);
    expect(page.body).toContain("/static/build/live-watch.js");

    // The event's list and the workspace's recent items say where the live stands, not "uploaded".
    const listed = textOf((await editor.get(`/en/editor/events/${eventId}`)).body);
    expect(listed).toContain("Press conference, live — Press conference — Waiting for the encoder");
    expect(textOf((await editor.get("/en/editor")).body)).toMatch(
      /Press conference, live Press conference Waiting for the encoder/,
    );
  });

  it("shows the stream's health, and what is wrong with it in words, in both languages", async () => {
    const editor = await loggedIn(t, "live-health@org.example", "editor");
    await markLive(t.db, itemId, t.clock.now());
    // The receiving process stamps the stream with the wall clock while frames come.
    await setReceiving(t.db, itemId, new Date());
    await setLiveHealth(t.db, itemId, {
      protocol: "rtmp",
      bitrateKbps: 2500,
      frameRate: 25,
      droppedFrames: 3,
      lastFrameAt: "2026-11-23T10:04:05.000Z",
    });
    await setLiveProblem(t.db, itemId, "video_codec:hevc");
    const en = textOf((await editor.get(`/en/editor/items/${itemId}`)).body);
    expect(en).toContain("Live: the stream is being received");
    expect(textOf((await editor.get(`/fr/editor/events/${eventId}`)).body)).toContain(
      "En direct : le flux est reçu",
    );
    expect(en).toContain("Bit rate 2,500 kbit/s");
    expect(en).toContain("Frame rate 25 frames/s");
    expect(en).toContain("Dropped frames 3");
    expect(en).toContain("Last frame received 10:04:05 UTC");
    expect(en).toContain("The picture is HEVC (H.265); send H.264.");
    const fr = textOf((await editor.get(`/fr/editor/items/${itemId}`)).body);
    expect(fr).toContain("En direct : le flux est reçu");
    expect(fr).toContain("Fréquence d’images 25 images/s");
    expect(fr).toContain("L’image est en HEVC (H.265) ; envoyez du H.264.");

    // The encoder goes away: the page says so at once, and that the live waits for it.
    await setReceiving(t.db, itemId, null);
    const silent = await editor.get(`/en/editor/items/${itemId}`);
    expect(textOf(silent.body)).toContain("Live: the encoder has stopped sending");
    expect(textOf(silent.body)).toContain("The recording waits for the encoder to come back");
    expect(silent.body).toContain('data-live-receiving="no"');
    const api = await editor.request({
      method: "GET",
      url: `/api/v1/items/${itemId}`,
      headers: { accept: "application/json" },
    });
    expect(api.json().live).toMatchObject({ state: "live", receiving: false });
    await setReceiving(t.db, itemId, new Date());

    await setLiveProblem(t.db, itemId, "no_video");
    expect(textOf((await editor.get(`/en/editor/items/${itemId}`)).body)).toContain(
      "The stream has no picture.",
    );
  });

  it("renews the key (not without the CSRF token) and ends the live", async () => {
    const editor = await loggedIn(t, "live-end@org.example", "editor");
    const before = (await findLiveStream(t.db, itemId))!.key;
    await editor.get(`/fr/editor/items/${itemId}`);
    const forged = await editor.submit(`/fr/editor/items/${itemId}/live/key`, {}, { csrf: false });
    expect(forged.statusCode).toBe(403);
    expect((await findLiveStream(t.db, itemId))!.key).toBe(before);

    const renewed = await editor.submit(`/fr/editor/items/${itemId}/live/key`, {});
    expect(renewed.statusCode).toBe(303);
    const after = (await findLiveStream(t.db, itemId))!.key;
    expect(after).not.toBe(before);
    const page = textOf((await editor.follow(renewed)).body);
    expect(page).toContain("La clé de flux a été renouvelée.");
    expect(page).toContain(`Clé de flux ${after}`);

    const question = await editor.get(`/en/editor/items/${itemId}/live/end`);
    expect(textOf(question.body)).toContain(
      "End the live “Press conference, live” now? This cannot be undone",
    );
    expect(question.body).toMatch(
      new RegExp(`action="/en/editor/items/${itemId}/live/end"><input type="hidden" name="_csrf"`),
    );
    const ended = await editor.submit(`/en/editor/items/${itemId}/live/end`, {});
    expect(ended.statusCode).toBe(303);
    expect((await findLiveStream(t.db, itemId))!.state).toBe("ended");
    const endedPage = await editor.follow(ended);
    expect(textOf(endedPage.body)).toContain("The live has ended.");
    expect(textOf(endedPage.body)).toContain("Ended");
    expect(endedPage.body).not.toContain("/live/end");
    expect(endedPage.body).not.toContain("live-watch.js");
  });

  it("is the workspace's only: a media user can neither add nor end a live", async () => {
    const media = await loggedIn(t, "live-media@org.example", "media");
    const res = await media.get(`/en/editor/events/${eventId}/live/new`);
    expect(res.statusCode).toBe(403);
  });
});
