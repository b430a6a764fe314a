import { describe, expect, it } from "vitest";
import { markedHtml } from "../../src/catalogue/highlight.ts";
import { mediaUrl } from "../../src/catalogue/urls.ts";
import { timecodeLabel } from "../../src/catalogue/views/format.ts";
import { turnsOf } from "../../src/catalogue/views/transcript.ts";
import catalogueEn from "../../src/web/i18n/catalogue.en.json" with { type: "json" };
import catalogueFr from "../../src/web/i18n/catalogue.fr.json" with { type: "json" };
import { en, fr } from "../../src/web/i18n.ts";

describe("search highlights", () => {
  it("escape the text and mark only balanced matches", () => {
    expect(markedHtml("<b>a</b> \u0002word\u0003 & \u0003x\u0002y").value).toBe(
      "&lt;b&gt;a&lt;/b&gt; <mark>word</mark> &amp; x<mark>y</mark>",
    );
  });
});

describe("catalogue pieces", () => {
  it("labels transcript times with the master's timecode, drop-frame included", () => {
    expect(timecodeLabel(4.5, { frameRate: { num: 25, den: 1 }, startTimecode: "10:00:00:00" })).toBe(
      "10:00:04:12",
    );
    expect(timecodeLabel(1.01, { frameRate: { num: 30000, den: 1001 }, startTimecode: "00:58:59;00" })).toBe(
      "00:59:00;02",
    );
    expect(timecodeLabel(3725.2, null)).toBe("01:02:05");
  });
  it("groups consecutive sentences of one speaker into a turn", () => {
    const s = (speaker: string, isQuestion = false) => ({
      position: 0,
      startSeconds: 0,
      endSeconds: 1,
      speaker,
      questionerOutlet: "",
      isQuestion,
      lang: "en" as const,
      text: "x",
    });
    expect(
      turnsOf([s("A"), s("A"), s("B", true), s("A")]).map((t) => [t.speaker, t.segments.length]),
    ).toEqual([
      ["A", 2],
      ["B", 1],
      ["A", 1],
    ]);
  });
  it("gives media URLs only for keys under the item's folder", () => {
    expect(mediaUrl(4, "items/4/hls/master.m3u8")).toBe("/media/items/4/hls/master.m3u8");
    expect(mediaUrl(4, "items/42/hls/master.m3u8")).toBeNull();
    expect(mediaUrl(4, undefined)).toBeNull();
  });
  it("has every catalogue message in both languages", () => {
    expect(Object.keys(catalogueFr).sort()).toEqual(Object.keys(catalogueEn).sort());
    for (const key of Object.keys(catalogueEn)) expect(fr[key as keyof typeof fr], key).toBeTruthy();
    expect(Object.keys(fr).sort()).toEqual(Object.keys(en).sort());
  });
});
