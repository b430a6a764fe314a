import type { TimedSentence } from "./speech.ts";

/**
 * The transcript as WebVTT, one cue a sentence. The voice names the speaker; a question's
 * voice is "Journalist (Outlet)", which is how the portal's transcript import reads it back.
 */
export function toWebVtt(sentences: TimedSentence[]): string {
  const cues = sentences.map((sentence, index) => {
    const voice = sentence.isQuestion ? `${sentence.speaker} (${sentence.outlet})` : sentence.speaker;
    return [
      String(index + 1),
      `${timestamp(sentence.start)} --> ${timestamp(sentence.end)}`,
      // Escaping the voice too: its annotation ends at ">", and "&" would start an entity.
      `<v ${escapeCue(voice)}>${escapeCue(sentence.text)}`,
    ].join("\n");
  });
  return `WEBVTT\n\n${cues.join("\n\n")}\n`;
}

function timestamp(seconds: number): string {
  const ms = Math.round(seconds * 1000);
  const hours = Math.floor(ms / 3_600_000);
  const minutes = Math.floor(ms / 60_000) % 60;
  const secs = Math.floor(ms / 1000) % 60;
  const pad = (n: number, width = 2) => String(n).padStart(width, "0");
  return `${pad(hours)}:${pad(minutes)}:${pad(secs)}.${pad(ms % 1000, 3)}`;
}

function escapeCue(text: string): string {
  return text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");
}
