import { type NodeList, stringifySync } from "subtitle";

/**
 * Writing WebVTT and SRT, for every file of cues the portal makes (transcripts as subtitles,
 * clips' subtitles, the storyboard's thumbnails, the demo's transcripts), through the `subtitle`
 * package. Reading editors' files stays ours (catalogue/transcript-formats.ts): its errors name
 * the line and say what is wrong in the editor's language.
 */
export type SubtitleFormat = "srt" | "vtt";

export type Cue = {
  /** Seconds. */
  start: number;
  end: number;
  text: string;
  /** Who speaks: a WebVTT voice (`<v Name>`), or "Name: " before the text in SRT. */
  voice?: string;
  /**
   * The language the text is said in, when it is not the track's (an English paragraph of a
   * French speech): a WebVTT language span (`<lang en>`), so a screen reader or a caption renderer
   * reads it in its own language. SRT has no way to say it.
   */
  lang?: string;
};

export function writeSubtitles(cues: Cue[], format: SubtitleFormat): string {
  const nodes: NodeList = cues.map((cue) => ({
    type: "cue",
    data: {
      start: Math.round(cue.start * 1000),
      end: Math.round(cue.end * 1000),
      text: format === "vtt" ? vttText(cue) : cue.voice ? `${cue.voice}: ${cue.text}` : cue.text,
    },
  }));
  // With no cue the package writes nothing, which is not a WebVTT file: the header alone is.
  if (nodes.length === 0) return format === "vtt" ? "WEBVTT\n" : "";
  return stringifySync(nodes, { format: format === "vtt" ? "WebVTT" : "SRT" });
}

// Cue text is markup in WebVTT: "<" would open a tag and "&" an entity. The voice too: its
// annotation ends at ">".
function vttText(cue: Cue): string {
  const escapeCue = (text: string) =>
    text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");
  const text = cue.lang ? `<lang ${escapeCue(cue.lang)}>${escapeCue(cue.text)}</lang>` : escapeCue(cue.text);
  return cue.voice ? `<v ${escapeCue(cue.voice)}>${text}` : text;
}
