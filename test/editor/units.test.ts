import { describe, expect, it } from "vitest";
import { slugify } from "../../src/catalogue/slugify.ts";
import { UserError } from "../../src/core/errors.ts";
import { eventSlug, firstFreeSlug, isValidSlug } from "../../src/editor/slug.ts";
import { withSpokenLanguages } from "../../src/editor/spoken-language.ts";
import { splitTurns } from "../../src/editor/transcript-text.ts";
import { readStart, showTime, timesFromForm } from "../../src/editor/transcript-timing.ts";
import { formatZonedDateTime, parseZonedDateTime } from "../../src/editor/zoned-time.ts";
import { formatClock, parseClock } from "../../src/media/clock.ts";
import { ENGLISH_SENTENCES, FRENCH_SENTENCES } from "./press-sentences.ts";

describe("dates and times on the organisation's clock", () => {
  it("reads and writes datetime-local values in UTC and in a zone with summer time", () => {
    expect(parseZonedDateTime("2026-11-23T14:30", "UTC")?.toISOString()).toBe("2026-11-23T14:30:00.000Z");
    expect(parseZonedDateTime("2026-11-23T14:30", "Europe/Brussels")?.toISOString()).toBe(
      "2026-11-23T13:30:00.000Z",
    );
    expect(parseZonedDateTime("2026-07-01 09:00", "Europe/Brussels")?.toISOString()).toBe(
      "2026-07-01T07:00:00.000Z",
    );
    expect(formatZonedDateTime(new Date("2026-07-01T07:00:00Z"), "Europe/Brussels")).toBe("2026-07-01T09:00");
    for (const bad of ["2026-02-30T10:00", "2026-11-23T24:00", "tomorrow", "2026-11-23"]) {
      expect(parseZonedDateTime(bad, "UTC"), bad).toBeNull();
    }
  });
});

describe("times in a recording", () => {
  it("reads HH:MM:SS.mmm, MM:SS and seconds, with a decimal point or comma, and writes HH:MM:SS.mmm", () => {
    expect(parseClock("00:01:23.500")).toBe(83.5);
    expect(parseClock("00:01:23,500")).toBe(83.5);
    expect(parseClock("1:05.25")).toBe(65.25);
    expect(parseClock("83,5")).toBe(83.5);
    expect(parseClock("1:02:03")).toBe(3723);
    for (const bad of ["", "abc", "1:75:00", "00:00:61", "-3"]) expect(parseClock(bad), bad).toBeNull();
    expect(formatClock(3723.0456, 3)).toBe("01:02:03.046");
    expect(formatClock(3723.99)).toBe("01:02:03");
  });

  it("shows and takes start times as the master's timecode when its frame rate is known", () => {
    const clock = { frameRate: { num: 25, den: 1 }, startTimecode: "10:00:00:00" };
    expect(showTime(1.48, clock)).toBe("10:00:01:12");
    expect(readStart("10:00:01:12", clock)).toBe(1.48);
    // A French editor's clock time, comma and all: the frame showing at that instant.
    expect(readStart("10:00:04,5", clock)).toBe(4.48);
    expect(readStart("4,5", clock)).toBe(4.48);
    expect(readStart("09:59:59:24", clock)).toBe(-1);
    expect(readStart("10:00:01", clock)).toBe(1);
    expect(readStart("soon", clock)).toBeNull();
    expect(showTime(83.5, null)).toBe("00:01:23.500");
    expect(readStart("00:01:23,5", null)).toBe(83.5);
  });

  it("ends each sentence where the next timed one starts, the last at the end of the recording", () => {
    const segments = [0, 1, 2].map((position) => ({
      position,
      startSeconds: null,
      endSeconds: null,
      speaker: "",
      questionerOutlet: "",
      isQuestion: false,
      lang: "en" as const,
      text: "x",
    }));
    const typed = ["1", "", "4.5"];
    expect(timesFromForm(segments, (p) => typed[p]!, 10, null)).toEqual([
      { position: 0, start: 1, end: 4.5 },
      { position: 1, start: null, end: null },
      { position: 2, start: 4.5, end: 10 },
    ]);
    expect(() => timesFromForm(segments, (p) => ["5", "3", ""][p]!, null, null)).toThrow(UserError);
    expect(() => timesFromForm(segments, (p) => ["5", "", "11"][p]!, 10, null)).toThrow(UserError);
  });

  // A bilingual transcript timed by the aligner: English sentences with a pause after each, and a
  // French one in between. Saving the page ran every sentence up to the next start of either
  // language: the French one ended at the next English start, and one starting with it lasted 0 s.
  it("keeps each language's own sequence and the aligner's ends when the page is saved", () => {
    const segment = (position: number, lang: "en" | "fr", start: number, end: number) => ({
      position,
      startSeconds: start,
      endSeconds: end,
      speaker: "",
      questionerOutlet: "",
      isQuestion: false,
      lang,
      text: "x",
    });
    const segments = [
      segment(0, "en", 1, 3.2),
      segment(1, "fr", 4, 6.5),
      segment(2, "en", 4, 5.8),
      segment(3, "en", 7, 9),
    ];
    const asStored = (p: number) => String(segments[p]!.startSeconds);
    expect(timesFromForm(segments, asStored, 10, null)).toEqual([
      { position: 0, start: 1, end: 3.2 },
      { position: 1, start: 4, end: 6.5 },
      { position: 2, start: 4, end: 5.8 },
      { position: 3, start: 7, end: 9 },
    ]);
    // The third English sentence moved before the second's end: that end gives way; the French
    // sentence, which it overlaps, is another language's and keeps its times.
    const moved = (p: number) => (p === 3 ? "5" : asStored(p));
    expect(timesFromForm(segments, moved, 10, null)).toEqual([
      { position: 0, start: 1, end: 3.2 },
      { position: 1, start: 4, end: 6.5 },
      { position: 2, start: 4, end: 5 },
      { position: 3, start: 5, end: 9 },
    ]);
    // A French start before an English one's is not out of order: each language is its own.
    expect(timesFromForm(segments, (p) => (p === 1 ? "2" : asStored(p)), 10, null)[1]).toEqual({
      position: 1,
      start: 2,
      end: 6.5,
    });
  });
});

describe("event slugs", () => {
  it("are made from the date and title, without accents, and kept unique", async () => {
    expect(eventSlug("2026-11-23", "Sommet à Bruxelles : l'OTAN")).toBe(
      "2026-11-23-sommet-a-bruxelles-l-otan",
    );
    expect(slugify("  --  ")).toBe("");
    expect(isValidSlug("2026-summit")).toBe(true);
    expect(isValidSlug("Summit")).toBe(false);
    expect(isValidSlug("a--b")).toBe(false);
    const taken = new Set(["visit", "visit-2"]);
    expect(await firstFreeSlug("visit", async (s) => taken.has(s))).toBe("visit-3");
  });
});

describe("plain-text transcripts", () => {
  it("makes one untimed sentence per paragraph, with speakers and questions as in subtitle files", () => {
    const segments = splitTurns(
      "Jane Doe: Good morning.\nWelcome to Brussels.\n\nThanks <all> & everyone.\n\n\nQ (Le Soir): Budget ?\n\nPaul Martin (Reuters): And NATO?",
      "en",
    );
    expect(
      segments.map((s) => [s.speaker, s.isQuestion, s.questionerOutlet, s.text, s.startSeconds]),
    ).toEqual([
      ["Jane Doe", false, "", "Good morning. Welcome to Brussels.", null],
      ["Jane Doe", false, "", "Thanks <all> & everyone.", null],
      ["", true, "Le Soir", "Budget ?", null],
      ["Paul Martin", true, "Reuters", "And NATO?", null],
    ]);
    expect(segments.map((s) => s.position)).toEqual([0, 1, 2, 3]);
    expect(() => splitTurns(" \n\n ", "fr")).toThrow(UserError);
  });
});

describe("the language a sentence is said in", () => {
  // Each sentence as a cue of a transcript in its own language and in the other one.
  const judged = (sentences: string[], lang: "en" | "fr") =>
    withSpokenLanguages(
      sentences.map((text, position) => ({
        ...{ position, startSeconds: null, endSeconds: null, speaker: "" },
        ...{ questionerOutlet: "", isQuestion: false, lang, text },
      })),
      lang,
    ).map((s) => s.spokenLang);

  it("finds an English sentence of a French text English, and keeps it English in an English one", () => {
    expect(judged(ENGLISH_SENTENCES, "fr")).toEqual(ENGLISH_SENTENCES.map(() => "en"));
    expect(judged(ENGLISH_SENTENCES, "en")).toEqual(ENGLISH_SENTENCES.map(() => "en"));
  });

  it("finds a French sentence of an English text French, and keeps it French in a French one", () => {
    expect(judged(FRENCH_SENTENCES, "en")).toEqual(FRENCH_SENTENCES.map(() => "fr"));
    expect(judged(FRENCH_SENTENCES, "fr")).toEqual(FRENCH_SENTENCES.map(() => "fr"));
  });

  it("keeps short lines with their transcript's language", () => {
    expect(judged(["Merci beaucoup.", "Questions?", "Thank you."], "en")).toEqual(["en", "en", "en"]);
    expect(judged(["Thank you.", "OK, thank you", "Merci beaucoup."], "fr")).toEqual(["fr", "fr", "fr"]);
  });
});
