import { type ClipRangeContext, parseClipPoint } from "../../media/clip-range.ts";
import { MediaError } from "../../media/errors.ts";
import { timecodeAtFrame } from "../../media/timecode.ts";

/**
 * The clip selector's arithmetic, kept apart from the page so it reads (and tests) on its own:
 * typed points checked with the server's parser, the range a choice of transcript sentences
 * makes, and messages filled in the page's language.
 */
export type Messages = Record<string, string>;

/** "{name}" placeholders filled, as the server's t() does. */
export function fill(template: string, params: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in params ? String(params[name]) : whole,
  );
}

export type PointReading = { frame: number } | { error: string };

/** A typed IN or OUT read on the master's clock, or the message saying what is wrong with it. */
export function readPoint(text: string, context: ClipRangeContext, messages: Messages): PointReading {
  try {
    return { frame: parseClipPoint(text, context) };
  } catch (error) {
    if (error instanceof MediaError) {
      const message = error.code === "ClipPointTooFar" ? messages.tooFar : messages.invalidTimecode;
      return { error: fill(message ?? "", { value: text.trim(), ...error.params }) };
    }
    throw error;
  }
}

export type RangeProblems = { in?: string; out?: string };

/** What is wrong with an IN/OUT pair, per field; the server's rules (and messages). */
export function rangeProblems(
  inText: string,
  outText: string,
  context: ClipRangeContext,
  messages: Messages,
): { problems: RangeProblems; inFrame: number | null; outFrame: number | null } {
  const a = readPoint(inText, context, messages);
  const b = readPoint(outText, context, messages);
  const problems: RangeProblems = {};
  if ("error" in a) problems.in = a.error;
  if ("error" in b) problems.out = b.error;
  const inFrame = "frame" in a ? a.frame : null;
  const outFrame = "frame" in b ? b.frame : null;
  if (inFrame !== null && outFrame !== null) {
    const tc = (frame: number) => timecodeAtFrame(context.startTimecode, frame, context.rate);
    const outside = fill(messages.outOfRange ?? "", {
      in: inText.trim(),
      out: outText.trim(),
      first: tc(0),
      end: tc(context.frameCount),
    });
    if (inFrame < 0 || inFrame >= context.frameCount) problems.in = outside;
    if (outFrame <= 0 || outFrame > context.frameCount) problems.out = outside;
    if (!problems.in && !problems.out && outFrame <= inFrame) problems.out = messages.outBeforeIn ?? "";
  }
  return { problems, inFrame, outFrame };
}

export type Sentence = { start: number; end: number };

/**
 * The clip a choice of sentences makes: IN on the frame where the first one starts, OUT on the
 * first frame after the last one ends (rounded up, so its last syllable is in), within the video.
 */
export function sentenceRange(
  chosen: Sentence[],
  rate: { num: number; den: number },
  frameCount: number,
): { inFrame: number; outFrame: number } | null {
  if (chosen.length === 0) return null;
  const start = Math.min(...chosen.map((s) => s.start));
  const end = Math.max(...chosen.map((s) => s.end));
  const inFrame = Math.max(0, Math.floor((start * rate.num) / rate.den + 1e-6));
  const outFrame = Math.min(frameCount, Math.ceil((end * rate.num) / rate.den - 1e-6));
  return outFrame > inFrame ? { inFrame, outFrame } : null;
}

/** Keys typed into a field belong to the field, not to the I / O shortcuts. */
export function isTyping(target: EventTarget | null): boolean {
  if (target instanceof HTMLInputElement)
    return !["checkbox", "radio", "button", "submit"].includes(target.type);
  return (
    target instanceof HTMLElement &&
    (target.isContentEditable || target.tagName === "TEXTAREA" || target.tagName === "SELECT")
  );
}
