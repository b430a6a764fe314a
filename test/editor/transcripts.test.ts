import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { finishAlignment, requestAlignment } from "../../src/catalogue/alignment-store.ts";
import { replaceTranscript, segmentTexts } from "../../src/catalogue/transcript-store.ts";
import { createItem } from "../catalogue/fixtures.ts";
import { type PageClient, startTestApp, type TestApp, textOf } from "../helpers/app.ts";
import { loggedIn } from "./helpers.ts";

let t: TestApp;
let editor: PageClient;
let itemId: number;
beforeAll(async () => {
  t = await startTestApp();
  editor = await loggedIn(t, "transcripts@org.example", "editor");
  const now = t.clock.now();
  const rows = await t.db.query<{ id: number }>(
    `INSERT INTO media_items (media_type, kind, title_en, status, duration_seconds, created_at, updated_at)
     VALUES ('video', 'press-conference', 'Press conference', 'ready', 120, $1, $1) RETURNING id`,
    [now],
  );
  itemId = rows[0]!.id;
});
afterAll(() => t.close());

/** Confirms a previewed file as the browser does: the preview's hidden text, unescaped, posted back. */
async function confirmPreview(base: string, preview: { body: string }, lang: "en" | "fr") {
  const text = preview.body.match(/<textarea name="text" hidden>\n([\s\S]*?)<\/textarea>/)![1]!;
  return editor.submit(`${base}/replace`, {
    text: text.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&#39;/g, "'").replace(/&amp;/g, "&"),
    lang,
  });
}

/** Posts a file as a browser's multipart form does, with the CSRF token of the last page. */
async function upload(url: string, file: { name: string; content: string }, fields: Record<string, string>) {
  const boundary = "----pressroom-test-boundary";
  const token = editor.lastHtml.match(/name="_csrf" value="([^"]+)"/)?.[1] ?? "";
  const parts = Object.entries({ _csrf: token, ...fields }).map(
    ([name, value]) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`,
  );
  parts.push(
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: text/vtt\r\n\r\n${file.content}\r\n`,
  );
  return editor.request({
    method: "POST",
    url,
    payload: `${parts.join("")}--${boundary}--\r\n`,
    headers: { "content-type": `multipart/form-data; boundary=${boundary}` },
  });
}

const vtt = `WEBVTT

00:00:01.000 --> 00:00:04.000
<v Jane Doe>Good morning and welcome.

00:00:04.000 --> 00:00:07.500
We met today on security.

00:00:08.000 --> 00:00:10.000
<v Paul Martin (Reuters)>What about the budget?
`;

/** A segment as replaceTranscript stores it: English and without speaker unless said. */
function line(
  position: number,
  text: string,
  start: number | null,
  end: number | null,
  { lang = "en", speaker = "" }: { lang?: "en" | "fr"; speaker?: string } = {},
) {
  return {
    position,
    startSeconds: start,
    endSeconds: end,
    speaker,
    questionerOutlet: "",
    isQuestion: false,
    lang,
    text,
  };
}

describe("transcripts", () => {
  it("previews an uploaded WebVTT file, then replaces the transcript with it", async () => {
    const base = `/en/editor/items/${itemId}/transcript`;
    await editor.get(base);
    const preview = await upload(`${base}/upload`, { name: "speech.vtt", content: vtt }, { lang: "en" });
    expect(preview.statusCode).toBe(200);
    const text = textOf(preview.body);
    expect(text).toContain("The file holds 3 sentences. Nothing has been stored yet.");
    expect(text).toContain("00:00:01.000 00:00:04.000 Jane Doe Good morning and welcome.");
    expect(text).toContain("Paul Martin (Reuters), question What about the budget?");
    const stored = async () =>
      t.db.query<{ text: string; start_seconds: number; speaker: string; questioner_outlet: string }>(
        "SELECT text, start_seconds, speaker, questioner_outlet FROM transcript_segments WHERE media_item_id = $1 ORDER BY position",
        [itemId],
      );
    expect(await stored()).toHaveLength(0);

    const confirmed = await confirmPreview(base, preview, "en");
    expect(confirmed.statusCode).toBe(303);
    const page = await editor.follow(confirmed);
    expect(textOf(page.body)).toContain("The transcript has been replaced.");
    expect(textOf(page.body)).toContain("We met today on security.");
    const rows = await stored();
    expect(rows.map((r) => r.speaker)).toEqual(["Jane Doe", "Jane Doe", "Paul Martin"]);
    expect(rows[2]!.questioner_outlet).toBe("Reuters");
    expect(Number(rows[1]!.start_seconds)).toBe(4);
  });

  it("names the line of a broken file, in French, and stores nothing", async () => {
    const base = `/fr/editor/items/${itemId}/transcript`;
    await editor.get(base);
    const broken =
      "WEBVTT\n\n00:00:01.000 --> 00:00:04.000\nFine.\n\n00:00:05,000 -> 00:00:06.000\nBroken.\n";
    const res = await upload(`${base}/upload`, { name: "broken.vtt", content: broken }, { lang: "fr" });
    expect(res.statusCode).toBe(400);
    const text = textOf(res.body);
    expect(text).toContain("Il y a un problème");
    expect(text).toContain("ligne 7");
    expect(res.body).toContain('href="#file"');
    const empty = await upload(`${base}/upload`, { name: "empty.vtt", content: "" }, { lang: "fr" });
    expect(textOf(empty.body)).toContain("Choisissez un fichier .vtt ou .srt.");
    const huge = await upload(
      `${base}/upload`,
      { name: "huge.vtt", content: "x".repeat(3 * 1024 * 1024) },
      { lang: "fr" },
    );
    expect(huge.statusCode).toBe(413);
    expect(textOf(huge.body)).toContain("Le fichier est trop volumineux.");
    expect(await segmentTexts(t.db, itemId)).toHaveLength(3);
  });

  it("refuses a file whose cue starts after the end of the video, or beyond 100 hours, at the preview and at the confirmation", async () => {
    const base = `/fr/editor/items/${itemId}/transcript`;
    const before = await segmentTexts(t.db, itemId);
    // The item's video is 120 s long.
    const late = `${vtt}\n00:02:05.000 --> 00:02:07.000\nAfter the end.\n`;
    const expected =
      "ligne 12 : le sous-titre commence à 00:02:05.000, après la fin de la vidéo, qui dure 00:02:00.000";
    await editor.get(base);
    const preview = await upload(`${base}/upload`, { name: "late.vtt", content: late }, { lang: "fr" });
    expect(preview.statusCode).toBe(400);
    expect(textOf(preview.body)).toContain(expected);
    expect(preview.body).toContain('href="#file"');
    // A confirmation posted without the preview's check is checked the same way.
    await editor.get(base);
    const confirmed = await editor.submit(`${base}/replace`, { text: late, lang: "fr" });
    expect(confirmed.statusCode).toBe(400);
    expect(textOf(confirmed.body)).toContain(expected);

    await editor.get(base);
    const huge = "1\n00:00:01,000 --> 99999999999:00:00,000\nForever.\n";
    const far = await upload(`${base}/upload`, { name: "far.srt", content: huge }, { lang: "fr" });
    expect(far.statusCode).toBe(400);
    expect(textOf(far.body)).toContain(
      "ligne 2 : « 99999999999:00:00,000 » dépasse 100 heures : aucun enregistrement n'est aussi long",
    );
    expect(await segmentTexts(t.db, itemId)).toEqual(before);
  });

  it("puts an uploaded plain-text file into the text form, to be timed from there, and stores nothing yet", async () => {
    const base = `/fr/editor/items/${itemId}/transcript`;
    await editor.get(base);
    const speech =
      "\uFEFFJane Doe: Bonjour à toutes et à tous.\n\nNous avons parlé du budget & de la sécurité.\n";
    const res = await upload(`${base}/upload`, { name: "discours.txt", content: speech }, { lang: "fr" });
    expect(res.statusCode).toBe(200);
    expect(textOf(res.body)).toContain("Le texte du fichier est dans la zone ci-dessous");
    // The text form holds the file's text (escaped), its language chosen, timing ticked.
    const form = res.body.slice(res.body.indexOf(`action="${base}/text"`));
    expect(form).toContain(
      ">Jane Doe: Bonjour à toutes et à tous.\n\nNous avons parlé du budget &amp; de la sécurité.\n</textarea>",
    );
    expect(form).toMatch(/<option value="fr" selected>/);
    expect(form).toMatch(/name="align" value="on" checked/);
    expect(await segmentTexts(t.db, itemId)).toHaveLength(3);
  });

  it("says, in French, that a pasted text is in the other language than the one chosen, and stores nothing", async () => {
    const base = `/fr/editor/items/${itemId}/transcript`;
    await editor.get(base);
    const english = [
      "Good morning, and thank you all for coming to this briefing today.",
      "We met this morning to discuss the security of our borders and the budget for next year.",
    ].join("\n\n");
    const res = await editor.submit(`${base}/text`, { text: english, text_lang: "fr" });
    expect(res.statusCode).toBe(400);
    expect(textOf(res.body)).toContain("Ce texte est en anglais : choisissez l’anglais comme langue");
    expect(res.body).toContain('href="#text_lang"');
    expect(await segmentTexts(t.db, itemId)).toHaveLength(3);
  });

  it("takes out of the French transcript the sentences that a bilingual text given as English holds", async () => {
    const id = await createItem(t.db, { title: { fr: "Conférence bilingue" }, durationSeconds: 60 });
    const paste = async (text: string, textLang: string) => {
      const base = `/en/editor/items/${id}/transcript`;
      await editor.get(base);
      const res = await editor.submit(`${base}/text`, { text, text_lang: textLang });
      expect(res.statusCode, textOf(res.body)).toBe(303);
    };
    const welcome = "Mesdames et messieurs, je vous remercie d'être venus si nombreux ce matin.";
    const decisions = "Nous avons pris aujourd'hui trois décisions importantes pour nos régions.";
    const onlyFrench = "Je laisse maintenant la parole à ma collègue pour les questions.";
    await paste([welcome, decisions, onlyFrench, "Merci."].join("\n\n"), "fr");
    // The same French paragraphs inside the English text, one with other capitals and spacing.
    const english = [
      "Good morning, and thank you all for coming to this briefing today.",
      "MESDAMES et messieurs, je vous remercie d’être venus si nombreux ce matin !",
      decisions,
      "We took three decisions today, and I will now say what they mean for the regions.",
      "The first is about the budget, which will grow next year by two per cent.",
      // Too short to be told French: said in the English text's language, so each keeps its own.
      "Merci.",
    ].join("\n\n");
    await paste(english, "en");
    const rows = await t.db.query<{ lang: string; text: string }>(
      "SELECT lang, text FROM transcript_segments WHERE media_item_id = $1 ORDER BY position",
      [id],
    );
    expect(rows.filter((r) => r.lang === "fr").map((r) => r.text)).toEqual([onlyFrench, "Merci."]);
    expect(rows.filter((r) => r.lang === "en")).toHaveLength(6);
    const page = await t.app.inject({ method: "GET", url: `/en/items/${id}` });
    expect(textOf(page.body).split(decisions)).toHaveLength(2);
  });

  it("puts back the transcript a wrong text replaced, and then the one that replaced it", async () => {
    const id = await createItem(t.db, { title: { en: "Briefing" }, durationSeconds: 60 });
    const base = `/en/editor/items/${id}/transcript`;
    const texts = async () =>
      (
        await t.db.query<{ text: string }>(
          "SELECT text FROM transcript_segments WHERE media_item_id = $1 ORDER BY position",
          [id],
        )
      ).map((r) => r.text);
    const speech = ["Good morning, and welcome to this briefing.", "We took three decisions today."];
    const recipe = ["Heat the stock in a saucepan and keep it simmering.", "Add the rice and stir it well."];
    const paste = async (lines: string[]) => {
      await editor.get(base);
      expect(
        (await editor.submit(`${base}/text`, { text: lines.join("\n\n"), text_lang: "en" })).statusCode,
      ).toBe(303);
    };
    await paste(speech);
    // Nothing was there before the first text: nothing to put back.
    expect(textOf((await editor.get(base)).body)).not.toContain("Put back the earlier transcript");
    await paste(recipe);
    const page = await editor.get(base);
    expect(textOf(page.body)).toContain("The transcript was replaced on");
    const restored = await editor.submit(`${base}/restore`, {});
    expect(restored.statusCode).toBe(303);
    expect(textOf((await editor.follow(restored)).body)).toContain("The earlier transcript is back.");
    expect(await texts()).toEqual(speech);
    // The recipe is kept in its turn: putting back again returns to it.
    await editor.get(base);
    await editor.submit(`${base}/restore`, {});
    expect(await texts()).toEqual(recipe);

    const other = await createItem(t.db, { title: { en: "Nothing yet" }, durationSeconds: 60 });
    await editor.get(`/en/editor/items/${other}/transcript`);
    const nothing = await editor.submit(`/en/editor/items/${other}/transcript/restore`, {});
    expect(nothing.statusCode).toBe(409);
    expect(textOf(nothing.body)).toContain("There is no earlier transcript to put back.");
  });

  it("splits pasted text into turns, then times each sentence by hand", async () => {
    const now = t.clock.now();
    await t.db.query(
      "INSERT INTO renditions (media_item_id, kind, storage_key, created_at) VALUES ($1, 'hls', $2, $3)",
      [itemId, `items/${itemId}/hls/master.m3u8`, now],
    );
    const base = `/en/editor/items/${itemId}/transcript`;
    await editor.get(base);
    const pasted = [
      "Jane Doe: Good morning.",
      "Thank you for coming.",
      "Q (Le Soir): Une question sur le budget ?",
      "Jane Doe: The budget grows.",
    ].join("\n\n");
    const split = await editor.submit(`${base}/text`, { text: pasted, text_lang: "en" });
    expect(split.statusCode).toBe(303);
    expect(split.headers.location).toBe(`${base}/timing?done=split`);
    const timing = await editor.follow(split);
    expect(textOf(timing.body)).toContain("The text has been split into sentences.");
    expect(timing.body).toContain(`data-src="/media/items/${itemId}/hls/master.m3u8"`);
    expect(timing.body).toContain('data-set-time="start_3"');
    expect(timing.body).toContain('src="/static/build/transcript-timing.js"');
    expect(textOf(timing.body)).toContain("Journalist (Le Soir), question");

    const bad = await editor.submit(`${base}/timing`, {
      start_0: "00:00:02.5",
      start_1: "1:00",
      start_2: "00:00:30.000",
      start_3: "soon",
    });
    expect(bad.statusCode).toBe(400);
    expect(textOf(bad.body)).toContain("This sentence starts before the one above it.");
    expect(textOf(bad.body)).toContain(
      "Enter a timecode like 10:00:01:12 (HH:MM:SS:FF, on the master's clock)",
    );
    expect(bad.body).toContain('value="soon"');

    const saved = await editor.submit(`${base}/timing`, {
      start_0: "00:00:02.500",
      start_1: "6",
      start_2: "",
      start_3: "1:05.25",
    });
    expect(saved.statusCode).toBe(303);
    const rows = await t.db.query<{
      start_seconds: number | null;
      end_seconds: number | null;
      is_question: boolean;
    }>(
      "SELECT start_seconds, end_seconds, is_question FROM transcript_segments WHERE media_item_id = $1 ORDER BY position",
      [itemId],
    );
    expect(rows.map((r) => [r.start_seconds, r.end_seconds])).toEqual([
      [2.5, 6],
      [6, 65.25],
      [null, null],
      [65.25, 120],
    ]);
    expect(rows[2]!.is_question).toBe(true);
    const again = await editor.follow(saved);
    expect(again.body).toContain('value="00:01:05.250"');
  });

  it("lists a bilingual transcript's sentences in one table per language, with their ends and a way to play each", async () => {
    // Interleaved by time, as a bilingual event's two texts are stored.
    await replaceTranscript(
      t.db,
      itemId,
      [
        line(0, "Good morning.", 1, 2.5, { lang: "en", speaker: "Jane Doe" }),
        line(1, "Bonjour.", 1.2, 2.6, { lang: "fr", speaker: "Jane Doe" }),
        line(2, "We met today.", 3, 4, { lang: "en", speaker: "Jane Doe" }),
        line(3, "Nous nous sommes réunis.", 3.1, 4.2, { lang: "fr", speaker: "Jane Doe" }),
      ],
      t.clock.now(),
    );
    const page = await editor.get(`/en/editor/items/${itemId}/transcript/timing`);
    const text = textOf(page.body);
    const english = text.indexOf("English sentences and their start times");
    const french = text.indexOf("French sentences and their start times");
    expect(english).toBeGreaterThan(-1);
    expect(french).toBeGreaterThan(english);
    // Each language's sentences together, numbered from 1, the end of each shown.
    expect(text.slice(english, french)).toContain("Good morning.");
    expect(text.slice(english, french)).toContain("We met today.");
    expect(text.slice(english, french)).not.toContain("Bonjour.");
    expect(text.slice(french)).toContain("Nous nous sommes réunis.");
    expect(page.body).toContain('<label for="start_3">Start of French sentence 2</label>');
    expect(text.slice(french)).toContain("00:00:04.200");
    expect(page.body).toContain('data-play-from="start_3"');
    const inFrench = await editor.get(`/fr/editor/items/${itemId}/transcript/timing`);
    expect(inFrench.body).toContain('<label for="start_1">Début de la phrase 1 en français</label>');
    expect(textOf(inFrench.body)).toContain("Lire depuis ce début (phrase 2 en anglais)");
  });

  it("marks an English cue of a French file as English in the French captions, for a screen reader", async () => {
    const id = await createItem(t.db, { title: { fr: "Point presse bilingue" }, durationSeconds: 60 });
    const base = `/fr/editor/items/${id}/transcript`;
    await editor.get(base);
    const french = [
      "WEBVTT",
      "",
      "00:00:01.000 --> 00:00:04.000",
      "<v Marie Dubois>Bonjour à toutes et à tous, et merci d'être venus ce matin.",
      "",
      "00:00:04.000 --> 00:00:08.000",
      "<v Marie Dubois>Let me now say a few words in English for our guests from abroad today.",
      "",
    ].join("\n");
    const preview = await upload(
      `${base}/upload`,
      { name: "point-presse.vtt", content: french },
      { lang: "fr" },
    );
    expect(preview.statusCode).toBe(200);
    expect((await confirmPreview(base, preview, "fr")).statusCode).toBe(303);

    // One French track, as delivered; the English sentence in it says it is English (WebVTT <lang>).
    const captions = await editor.get(`/media/items/${id}/captions/fr.vtt`);
    expect(captions.statusCode).toBe(200);
    expect(captions.body).toBe(
      [
        "WEBVTT",
        "",
        "1",
        "00:00:01.000 --> 00:00:04.000",
        "<v Marie Dubois>Bonjour à toutes et à tous, et merci d'être venus ce matin.",
        "",
        "2",
        "00:00:04.000 --> 00:00:08.000",
        "<v Marie Dubois><lang en>Let me now say a few words in English for our guests from abroad today.</lang>",
        "",
      ].join("\n"),
    );
    expect((await editor.get(`/media/items/${id}/captions/en.vtt`)).body).toBe("WEBVTT\n");
  });
  it("keeps a text pasted untimed in the other language whole beside the timed one, not inside it", async () => {
    const base = `/en/editor/items/${itemId}/transcript`;
    await editor.get(base);
    const preview = await upload(`${base}/upload`, { name: "speech.vtt", content: vtt }, { lang: "en" });
    expect((await confirmPreview(base, preview, "en")).statusCode).toBe(303);
    const french = "Jane Doe : Bonjour et bienvenue.\n\nNous nous sommes réunis sur la sécurité.";
    await editor.get(`/fr/editor/items/${itemId}/transcript`);
    const pasted = await editor.submit(`/fr/editor/items/${itemId}/transcript/text`, {
      text: french,
      text_lang: "fr",
    });
    expect(pasted.statusCode, pasted.body).toBe(303);
    const rows = await t.db.query<{ lang: string; text: string }>(
      "SELECT lang, text FROM transcript_segments WHERE media_item_id = $1 ORDER BY position",
      [itemId],
    );
    // Each language whole: the timed speech, then the text still to time.
    expect(rows.map((r) => r.lang)).toEqual(["en", "en", "en", "fr", "fr"]);
    // On the public page too: the English speech, then the French text, not one inside the other.
    const page = textOf((await editor.get(`/en/items/${itemId}`)).body);
    expect(page.indexOf("What about the budget?")).toBeLessThan(page.indexOf("Bonjour et bienvenue."));
  });

  it("shows a note such as (As delivered) as a note on the timing page, and saving leaves it as it is", async () => {
    const id = await createItem(t.db, { title: { en: "Notes" }, status: "ready", durationSeconds: 60 });
    await replaceTranscript(
      t.db,
      id,
      [
        line(0, "(As delivered)", null, null),
        { ...line(1, "Good morning.", 1, 3, { speaker: "Jane Doe" }), timing: "unsure" as const },
        // A note with a cue's times, as a subtitle file gives it, flagged as an older timing stored it.
        { ...line(2, "[Applause]", 3, 5), timing: "unspoken" as const },
        line(3, "We met today.", 5, 8),
      ],
      t.clock.now(),
    );
    const url = `/en/editor/items/${id}/transcript/timing`;
    const page = await editor.get(url);
    const text = textOf(page.body);
    expect(text).toContain("Note (As delivered) A note to the reader, not read out: it has no start time.");
    expect(text).toContain("Note [Applause] A note to the reader");
    // No start field, no buttons for the notes; the sentences numbered without them.
    for (const note of ["start_0", "start_2"]) {
      expect(page.body).not.toContain(`name="${note}"`);
      expect(page.body).not.toContain(`data-play-from="${note}"`);
      expect(page.body).not.toContain(`data-set-time="${note}"`);
    }
    expect(page.body).toContain('<label for="start_1">Start of sentence 1</label>');
    expect(page.body).toContain('<label for="start_3">Start of sentence 2</label>');
    // Only the unsure sentence is one to check, not the note stored flagged.
    expect(text).toContain("1 sentence to check.");
    expect(page.body).not.toContain("review-flag unspoken");
    expect(page.body).toContain("review-flag unsure");
    expect(textOf((await editor.get(url.replace("/en/", "/fr/"))).body)).toContain(
      "Note (As delivered) Une note pour le lecteur, non prononcée : elle n'a pas d'heure de début.",
    );

    // Saved (a start sent for a note, by a page opened before, is not read): the notes as they were.
    const saved = await editor.submit(url, { start_0: "0.5", start_1: "1.2", start_3: "5" });
    expect(saved.statusCode, saved.body).toBe(303);
    const rows = await t.db.query<{
      start_seconds: number | null;
      end_seconds: number | null;
      timing: string | null;
    }>(
      "SELECT start_seconds, end_seconds, timing FROM transcript_segments WHERE media_item_id = $1 ORDER BY position",
      [id],
    );
    expect(rows.map((r) => [r.start_seconds, r.end_seconds, r.timing])).toEqual([
      [null, null, null],
      [1.2, 3, null],
      [3, 5, "unspoken"],
      [5, 8, null],
    ]);
  });

  it("counts no note to the reader among the sentences, nor among those to check, on the transcript and item pages", async () => {
    const id = await createItem(t.db, { title: { en: "Counted" }, status: "ready", durationSeconds: 60 });
    await replaceTranscript(
      t.db,
      id,
      [
        line(0, "(As delivered)", null, null),
        { ...line(1, "Good morning.", 1, 3), timing: "unsure" as const },
        // Flagged as an older timing stored a note (found by hand: "2 sentences to check").
        { ...line(2, "[Applause]", 3, 5), timing: "unspoken" as const },
        { ...line(3, "We met today.", 5, 8), timing: "aligned" as const },
      ],
      t.clock.now(),
    );
    const request = await requestAlignment(t.db, {
      itemId: id,
      lang: "en",
      text: "(As delivered)\nGood morning.\n[Applause]\nWe met today.",
      anchors: [],
      now: t.clock.now(),
    });
    await finishAlignment(t.db, request, { state: "aligned" }, t.clock.now());

    const transcript = textOf((await editor.get(`/en/editor/items/${id}/transcript`)).body);
    expect(transcript).toContain("The transcript as stored: 2 sentences");
    expect(transcript).not.toContain("4 sentences");
    expect(transcript).toContain("timed automatically on");
    expect(transcript).toMatch(/: 1 sentence to check\. Check it on the timing page/);
    const item = textOf((await editor.get(`/en/editor/items/${id}`)).body);
    expect(item).toContain("2 sentences in the transcript.");
    expect(item).toMatch(/: 1 sentence to check\. Check it on the timing page/);
    expect(item).not.toContain("2 sentences to check");
    const french = textOf((await editor.get(`/fr/editor/items/${id}/transcript`)).body);
    expect(french).toContain("La transcription enregistrée : 2 phrases");
    expect(french).toMatch(/1 phrase à vérifier\./);
  });
});
