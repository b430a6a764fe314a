import { createHash } from "node:crypto";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventInboxCommands } from "../../src/app/event-command.ts";
import { lockDataDir } from "../../src/db/data-dir-lock.ts";
import { startIngestInbox } from "../../src/ingest/inbox.ts";
import { createItemFromFields } from "../../src/ingest/items.ts";
import { recordImportedFile } from "../../src/ingest/store.ts";
import { startTestApp, type TestApp } from "../helpers/app.ts";
import { h264Master } from "../helpers/media.ts";
import { runCli, runIngestCli } from "../ingest/cli-run.ts";
import { createEvent, sessionFor, waitForItem } from "../ingest/fixtures.ts";

// The organisation's command line (issue 13). The test process plays the running portal: it holds
// the data folder and answers the inbox, as `npm start` does, so the CLI hands its work over.

let t: TestApp;
let unlock: () => void;
let inbox: { close(): Promise<void> };
let scratch: string;
let journalist: string;

beforeAll(async () => {
  t = await startTestApp({}, { work: true });
  await createEvent(t.db, "summit");
  await t.db.query("UPDATE events SET published_at = $1 WHERE slug = 'summit'", [t.clock.now()]);
  unlock = lockDataDir(t.dataDir);
  inbox = await startIngestInbox(t.deps, eventInboxCommands(t.deps));
  journalist = await sessionFor(t, "journalist@news.example", "media");
  scratch = mkdtempSync(path.join(os.tmpdir(), "cli-import-"));
});
afterAll(async () => {
  await inbox.close();
  unlock();
  await t.close();
  rmSync(scratch, { recursive: true, force: true });
});

const itemCount = async () =>
  Number((await t.db.query<{ n: string }>("SELECT count(*) AS n FROM media_items"))[0]!.n);
const asJournalist = (id: number) =>
  t.app.inject({ url: `/api/v1/items/${id}`, headers: { cookie: `pressroom_session=${journalist}` } });

/** A folder holding `files` (name → master path or text). */
function folder(name: string, files: Record<string, string | { master: string }>): string {
  const dir = path.join(scratch, name);
  mkdirSync(dir);
  for (const [file, content] of Object.entries(files)) {
    if (typeof content === "string") writeFileSync(path.join(dir, file), content);
    else copyFileSync(content.master, path.join(dir, file));
  }
  return dir;
}

describe("npm run cli -- event:add", { timeout: 60_000 }, () => {
  it("creates the event, published, as the catalogue shows it; a slug in use or a bad date is refused with exit code 2", async () => {
    const args = ["--title-en", "European Council", "--title-fr", "Conseil européen", "--place", "Brussels"];
    const run = await runCli(
      ["event:add", "--slug", "council-2026", ...args, "--starts-at", "2026-11-23 14:30", "--publish"],
      t.dataDir,
    );
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({ id: expect.any(Number), slug: "council-2026", published: true });
    const shown = await t.app.inject({ url: "/api/v1/events/council-2026" });
    expect(shown.statusCode).toBe(200);
    expect(shown.json().event).toMatchObject({
      slug: "council-2026",
      title: { en: "European Council", fr: "Conseil européen" },
      startsAt: "2026-11-23T14:30:00.000Z",
    });

    const slugTaken = "--slug: Another event already has this web address.";
    const badDate = "--starts-at: Enter a date and time, for example 2026-11-23 14:30.";
    // A slug in use, a date that does not exist, and both at once (not the slug's on the next try).
    for (const [slug, startsAt, problems] of [
      ["council-2026", "2026-11-24 09:00", [slugTaken]],
      ["council-2027", "2027-02-30 10:00", [badDate]],
      ["council-2026", "2027-02-30 10:00", [badDate, slugTaken]],
    ] as const) {
      const refused = await runCli(
        ["event:add", "--slug", slug, ...args, "--starts-at", startsAt],
        t.dataDir,
      );
      expect(refused.status, `${slug} ${startsAt}`).toBe(2);
      expect(refused.stderr.trim()).toBe(`${problems.join("\n")}\nNo event was created.`);
    }
    const made = await t.db.query("SELECT slug, title_en FROM events WHERE slug LIKE 'council-%'");
    expect(made).toEqual([{ slug: "council-2026", title_en: "European Council" }]);
  });
});

describe("npm run cli -- import DIR", { timeout: 120_000 }, () => {
  it("imports masters with JSON sidecars once, publishing those asked for when they are processed", async () => {
    const dir = folder("sidecars", {
      "arrival.mp4": { master: (await h264Master({ seconds: 2 })).path },
      "arrival.json": JSON.stringify({
        event: "summit",
        title: { en: "Arrival", fr: "Arrivée" },
        recordedAt: "2026-11-23T08:15:00Z",
        transcript: "arrival.vtt",
        publish: true,
      }),
      "arrival.vtt": "WEBVTT\n\n00:00:00.000 --> 00:00:01.500\n<v Mark Rutte>Good morning.\n",
      "doorstep.mp4": { master: (await h264Master({ seconds: 2, width: 320, height: 180 })).path },
      "doorstep.json": JSON.stringify({ event: "summit", titleEn: "Doorstep", recordedAt: "2026-11-22" }),
    });
    const run = await runCli(["import", dir], t.dataDir);
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    const [arrival, doorstep] = [...run.stdout.matchAll(/imported as item (\d+)/g)].map((m) => Number(m[1]));
    expect(run.stdout.split("\n")).toEqual([
      `arrival.mp4: imported as item ${arrival}, published when processed`,
      `doorstep.mp4: imported as item ${doorstep}`,
      "2 files: 2 imported, 0 skipped (already imported), 0 refused, 0 ignored.",
      "",
    ]);
    const rows = await t.db.query(
      `SELECT id, title_en, title_fr, recorded_at, (SELECT count(*)::int FROM transcript_segments s
         WHERE s.media_item_id = m.id) AS segments FROM media_items m WHERE id = ANY($1::int[]) ORDER BY id`,
      [[arrival, doorstep]],
    );
    expect(rows).toEqual([
      {
        id: arrival,
        title_en: "Arrival",
        title_fr: "Arrivée",
        recorded_at: new Date("2026-11-23T08:15:00Z"),
        segments: 1,
      },
      {
        id: doorstep,
        title_en: "Doorstep",
        title_fr: "",
        recorded_at: new Date("2026-11-22T00:00:00Z"),
        segments: 0,
      },
    ]);

    const count = await itemCount();
    const again = await runCli(["import", dir], t.dataDir);
    expect(again.status).toBe(0);
    expect(again.stdout).toMatch(
      new RegExp(
        `^arrival\\.mp4: skipped, already imported as item ${arrival} \\((processing|ready)\\)$`,
        "m",
      ),
    );
    expect(again.stdout).toContain(
      "2 files: 0 imported, 2 skipped (already imported), 0 refused, 0 ignored.",
    );
    expect(await itemCount()).toBe(count);

    expect(await waitForItem(t.db, arrival!)).toMatchObject({ status: "ready" });
    expect(await waitForItem(t.db, doorstep!)).toMatchObject({ status: "ready" });
    expect((await asJournalist(arrival!)).statusCode).toBe(200);
    expect((await asJournalist(doorstep!)).statusCode).toBe(404);
  });

  it("says an empty folder has nothing to import, with exit code 1", async () => {
    const empty = folder("empty", {});
    const run = await runCli(["import", empty], t.dataDir);
    expect(run.status).toBe(1);
    expect(run.stderr.trim().split("\n")[0]).toBe(
      `Nothing to import in ${empty}: it holds no media file described by a sidecar or a CSV line.`,
    );
  });

  it("refuses a CSV with a missing column or bad lines, naming each, and imports nothing", async () => {
    const master = { master: (await h264Master({ seconds: 2 })).path };
    const count = await itemCount();
    const noEvent = folder("csv-no-event", {
      "import.csv": "file,title_en,recorded_at\nx.mp4,Arrival,2026-11-23\n",
      "x.mp4": master,
    });
    const missing = await runCli(["import", noEvent], t.dataDir);
    expect(missing.status).toBe(2);
    expect(missing.stderr.trim()).toBe(
      'import.csv line 1: the column "event" is missing.\nNothing was imported.',
    );

    const badLines = folder("csv-bad-lines", {
      "import.csv": [
        "file,event,title_en,title_fr,recorded_at,transcript,publish",
        "x.mp4,summit,Arrival,Arrivée,2026-11-23,,yes",
        "y.mp4,summit,Doorstep,,2026-13-01,,no",
        "z.mp4,summit,Family photo",
        "w.mp4,,Statement,,2026-11-23 25:00,,maybe",
      ].join("\n"),
      "x.mp4": master,
      "y.mp4": master,
      "z.mp4": master,
    });
    const bad = await runCli(["import", badLines], t.dataDir);
    expect(bad.status).toBe(2);
    expect(bad.stdout).toBe("");
    expect(bad.stderr.trim().split("\n")).toEqual([
      'import.csv line 3, column recorded_at: "2026-13-01" is not a date (write 2024-05-31 or 2024-05-31T14:30, UTC unless an offset is given).',
      "import.csv line 4: 3 values, but the first line names 7 columns.",
      "import.csv line 5, column file: no file w.mp4 in the folder.",
      "import.csv line 5, column event: the event's slug is missing.",
      'import.csv line 5, column recorded_at: "2026-11-23 25:00" is not a date (write 2024-05-31 or 2024-05-31T14:30, UTC unless an offset is given).',
      'import.csv line 5, column publish: "maybe" is not yes or no (or true/false).',
      "Nothing was imported.",
    ]);
    expect(await itemCount()).toBe(count);
  });

  it("imports from a CSV, finishing in the same item a file whose import a crash cut off; a refused file leaves nothing", async () => {
    const cut = (await h264Master({ seconds: 1, width: 320, height: 180 })).path;
    const whole = (await h264Master({ seconds: 3, width: 320, height: 180 })).path;
    // What a run killed right after making the item leaves: the item and its record, no master.
    const { id: leftOver } = await createItemFromFields(t.deps, { event: "summit" }, "video", "uploaded");
    const sha256 = createHash("sha256").update(readFileSync(cut)).digest("hex");
    await recordImportedFile(t.db, { sha256, itemId: leftOver, fileName: "cut.mp4" }, t.clock.now());
    const dir = folder("csv", {
      "import.csv":
        "file,event,title_en,title_fr,recorded_at,transcript,publish\n" +
        "cut.mp4,summit,Signing,Signature,2026-11-23T10:00:00+01:00,,no\n" +
        'whole.mp4,summit,"Press conference, part 1",Conférence de presse,2026-11-23 11:00,,\n' +
        "junk.mp4,summit,Broken,,,,\n" +
        "lost.mp4,no-such-event,Lost,,,,\n",
      "cut.mp4": { master: cut },
      "whole.mp4": { master: whole },
      "junk.mp4": "not a video",
      "lost.mp4": "not a video either",
      "notes.docx": "not a master",
    });
    const count = await itemCount();
    const run = await runCli(["import", dir], t.dataDir);
    expect(run.stderr).toBe("");
    expect(run.status).toBe(1);
    const wholeId = Number(/whole\.mp4: imported as item (\d+)/.exec(run.stdout)?.[1]);
    expect(run.stdout.split("\n")).toEqual([
      `cut.mp4: imported as item ${leftOver}`,
      `whole.mp4: imported as item ${wholeId}`,
      expect.stringMatching(/^junk\.mp4: refused: .+/),
      "lost.mp4: refused: This event does not exist or is no longer available.",
      "notes.docx: ignored, no metadata describes it",
      "5 files: 2 imported, 0 skipped (already imported), 2 refused, 1 ignored.",
      "",
    ]);
    expect(await itemCount()).toBe(count + 1);
    const rows = await t.db.query("SELECT title_en, title_fr, recorded_at FROM media_items WHERE id = $1", [
      wholeId,
    ]);
    expect(rows).toEqual([
      {
        title_en: "Press conference, part 1",
        title_fr: "Conférence de presse",
        recorded_at: new Date("2026-11-23T11:00:00Z"),
      },
    ]);
    expect(await waitForItem(t.db, leftOver)).toMatchObject({ status: "ready" });
  });
});

describe("npm run cli -- ingest --publish", { timeout: 60_000 }, () => {
  it("publishes the item once it is processed", async () => {
    const run = await runIngestCli(
      [(await h264Master({ seconds: 2 })).path, "--event", "summit", "--title", "Statement", "--publish"],
      t.dataDir,
    );
    expect(run.stderr).toBe("");
    const printed = JSON.parse(run.stdout) as { id: number };
    expect(printed).toEqual({ id: expect.any(Number), status: "processing", publish: "when processed" });
    expect(await waitForItem(t.db, printed.id)).toMatchObject({ status: "ready" });
    const shown = await asJournalist(printed.id);
    expect(shown.statusCode).toBe(200);
    expect(shown.json()).toMatchObject({ title: { en: "Statement" }, playable: true });
  });
});
