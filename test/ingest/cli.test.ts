import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { lockDataDir } from "../../src/db/data-dir-lock.ts";
import { startIngestInbox } from "../../src/ingest/inbox.ts";
import { startTestApp, type TestApp } from "../helpers/app.ts";
import { h264Master } from "../helpers/media.ts";
import { runIngestCli } from "./cli-run.ts";
import { createEvent } from "./fixtures.ts";

let scratch: string;
beforeAll(() => {
  scratch = mkdtempSync(path.join(os.tmpdir(), "ingest-cli-"));
  writeFileSync(
    path.join(scratch, "presser.vtt"),
    "WEBVTT\n\n00:00:00.000 --> 00:00:02.000\n<v Mark Rutte>Good morning.\n\n00:00:02.000 --> 00:00:04.000\n<v Jane Doe (Reuters)>A question on Ukraine.\n\n00:00:04.000 --> 00:00:07.000\n<v Mark Rutte>Je voudrais remercier nos collègues venus de l’étranger pour cette conférence.\n",
  );
  writeFileSync(
    path.join(scratch, "speech.txt"),
    "(As delivered)\n\nMark Rutte: Good morning. Thank you for coming.\n",
  );
  writeFileSync(path.join(scratch, "empty.txt"), "  \n");
  writeFileSync(
    path.join(scratch, "discours.txt"),
    "Mesdames et messieurs, je vous remercie d'être venus si nombreux ce matin.\n\nNous allons parler du budget et de la sécurité de nos frontières.\n",
  );
  writeFileSync(path.join(scratch, "broken.srt"), "1\n00:00:01,000 --> 00:00:0x,000\nHello\n");
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe("npm run cli -- ingest, while the portal holds the data folder", { timeout: 60_000 }, () => {
  let t: TestApp;
  let unlock: () => void;
  let inbox: { close(): Promise<void> };
  beforeAll(async () => {
    t = await startTestApp();
    await createEvent(t.db, "summit");
    // This test process plays the running portal: it holds the folder and watches the inbox.
    unlock = lockDataDir(t.dataDir);
    inbox = await startIngestInbox(t.deps);
  });
  afterAll(async () => {
    await inbox.close();
    unlock();
    await t.close();
  });

  it("hands the file to the portal and prints the new item", async () => {
    const master = await h264Master({ seconds: 4 });
    const run = await runIngestCli(
      [
        master.path,
        "--event",
        "summit",
        "--title",
        "Press conference",
        "--kind",
        "press-conference",
        "--transcript",
        path.join(scratch, "presser.vtt"),
      ],
      t.dataDir,
    );
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    const printed = JSON.parse(run.stdout) as { id: number; status: string };
    expect(printed).toEqual({ id: expect.any(Number), status: "processing" });
    const [item] = await t.db.query<{ title_en: string; kind: string }>(
      "SELECT title_en, kind FROM media_items WHERE id = $1",
      [printed.id],
    );
    expect(item).toEqual({ title_en: "Press conference", kind: "press-conference" });
    const segments = await t.db.query(
      "SELECT speaker, is_question, questioner_outlet, spoken_lang FROM transcript_segments WHERE media_item_id = $1 ORDER BY position",
      [printed.id],
    );
    // The French cue of the English file is marked as said in French (NULL: the file's language).
    expect(segments).toEqual([
      { speaker: "Mark Rutte", is_question: false, questioner_outlet: "", spoken_lang: null },
      { speaker: "Jane Doe", is_question: true, questioner_outlet: "Reuters", spoken_lang: null },
      { speaker: "Mark Rutte", is_question: false, questioner_outlet: "", spoken_lang: "fr" },
    ]);
  });

  it("keeps a plain-text transcript and queues its timing against the video's speech", async () => {
    const master = await h264Master({ seconds: 4 });
    const transcript = path.join(scratch, "speech.txt");
    const run = await runIngestCli([master.path, "--event", "summit", "--transcript", transcript], t.dataDir);
    expect(run.stderr).toBe("");
    const { id } = JSON.parse(run.stdout) as { id: number };
    const requests = await t.db.query(
      "SELECT lang, state, text FROM transcript_alignments WHERE media_item_id = $1",
      [id],
    );
    expect(requests).toEqual([
      {
        lang: "en",
        state: "aligning",
        text: "(As delivered)\n\nMark Rutte: Good morning. Thank you for coming.\n",
      },
    ]);
    const jobs = await t.db.query("SELECT name FROM pgboss.job WHERE singleton_key = $1", [`${id}-en`]);
    expect(jobs).toEqual([{ name: "transcript.align" }]);
    const empty = await runIngestCli(
      [master.path, "--event", "summit", "--transcript", path.join(scratch, "empty.txt")],
      t.dataDir,
    );
    expect(empty.status).toBe(1);
    expect(empty.stderr).toContain("empty.txt is empty.");
    // A French speech given as English (the default) is refused before anything is imported.
    const french = await runIngestCli(
      [master.path, "--event", "summit", "--transcript", path.join(scratch, "discours.txt")],
      t.dataDir,
    );
    expect(french.status).toBe(1);
    expect(french.stderr).toContain("discours.txt is in French: give --lang fr.");
  });

  it("prints the portal's refusal as one sentence", async () => {
    const run = await runIngestCli(
      [(await h264Master({ seconds: 4 })).path, "--event", "no-such-event"],
      t.dataDir,
    );
    expect(run.status).toBe(1);
    expect(run.stderr.trim()).toBe("This event does not exist or is no longer available.");
    expect(run.stdout).toBe("");
    // A field's problem names its option and what it takes.
    const kind = await runIngestCli(
      [(await h264Master({ seconds: 4 })).path, "--event", "summit", "--kind", "nonsense"],
      t.dataDir,
    );
    expect(kind.status).toBe(1);
    expect(kind.stderr.trim()).toMatch(/\n {2}- --kind: Choose one of: press-conference, speech, .*\.$/);
    // A misspelt option is named in one sentence, before the usage.
    const typo = await runIngestCli(["x.mp4", "--event", "summit", "--titel", "x"], t.dataDir);
    expect(typo.status).toBe(1);
    expect(typo.stderr).toMatch(/^Unknown option --titel\.\nUsage: ingest /);
  });

  it("reports a broken transcript with its line number before importing anything", async () => {
    const run = await runIngestCli(
      [
        (await h264Master({ seconds: 4 })).path,
        "--event",
        "summit",
        "--transcript",
        path.join(scratch, "broken.srt"),
      ],
      t.dataDir,
    );
    expect(run.status).toBe(1);
    expect(run.stderr.trim()).toBe(
      'The transcript could not be read: line 2: "00:00:0x,000" is not a timestamp',
    );
  });
});
