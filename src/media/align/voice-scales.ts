import type { Prepared } from "./prepare.ts";
import { rescaleSpeakers } from "./speakers.ts";
import { otherVoiceGroups } from "./stretches.ts";
import type { SyntheticText } from "./synth.ts";
import type { SentenceFrames } from "./timings.ts";
import type { AlignResult } from "./types.ts";
import type { VoiceSample } from "./warp.ts";
import type { TextWord } from "./words.ts";

/**
 * The voice's frequency scale for the parts of the recording the recording's scale (warp.ts) does
 * not fit, once the first search has placed the sentences: each named speaker's (speakers.ts), and
 * for the sentences of no speaker with a scale of their own (a text without speaker lines, or a
 * speaker with a few seconds to say), each voice found clearly higher or lower in the audio
 * (stretches.ts). Their sentences are spoken again at it, in place in the voice's features.
 */

/** What the recording's decoding left for this: let go (`cepstra` emptied) once it is done. */
export interface Listened {
  /** The recording's cepstra, normalised as the search's (prepare.ts normalizeReal). */
  cepstra: Float32Array;
  speech: (frame: number) => boolean;
  /** The text's sample as the voice speaks it, as the recording's scale was chosen with. */
  sample: VoiceSample;
}

export interface ScaleContext {
  listened: Listened;
  /** The text's speakers (speakers.ts speakerGroups), or null when it names fewer than two. */
  groups: { name: string; sentences: number[] }[] | null;
  prepared: Prepared;
  layout: Pick<SyntheticText, "sentenceStart" | "sentenceFrames">;
  /** The recording's scale. */
  warp: number;
  spoken: TextWord[][];
  /** Speaks `sentences` (others empty) at a scale. */
  speak: (sentences: TextWord[][], warp: number, name: string) => Promise<SyntheticText>;
  c0Weight: number;
}

export interface Scales extends Pick<AlignResult, "speakerWarps" | "otherVoices"> {
  /** Whether any sentence now has another scale than the recording's (its voice was rewritten). */
  changed: boolean;
}

export async function scaleVoices(context: ScaleContext, found: (SentenceFrames | null)[]): Promise<Scales> {
  const { listened, prepared, warp } = context;
  try {
    // What both the speakers' scales and the other voices are judged on.
    const heard = {
      found,
      realCepstra: listened.cepstra,
      frameOf: prepared.frameOf,
      speech: listened.speech,
      warp,
      c0Weight: context.c0Weight,
    };
    const rescale = (groups: { name: string; sentences: number[] }[]) =>
      rescaleSpeakers({
        ...heard,
        groups,
        spoken: context.spoken,
        speak: context.speak,
        layout: context.layout,
        voice: prepared.synth.text,
        stats: prepared.voiceStats,
      });
    let speakerWarps: Record<string, number> = {};
    let judged = found;
    if (context.groups) {
      speakerWarps = await rescale(context.groups);
      // A speaker with too little speech for a scale of their own (a journalist's one question;
      // rescaleSpeakers skips them) has their sentences judged one by one with the others', as in
      // a text without speaker lines: seven journalists' questions, one each, of a voice 20 %
      // higher, were read with the minister's scale (words median 263 ms).
      const scaled = new Set(
        context.groups.filter((g) => g.name in speakerWarps).flatMap((g) => g.sentences),
      );
      judged = found.map((timing, i) => (scaled.has(i) ? null : timing));
    }
    // Sentences said in a voice clearly higher or lower than the recording's (stretches.ts), each
    // group given its scale as a speaker is.
    const stretches = await otherVoiceGroups({ ...heard, found: judged, voice: listened.sample });
    const warps = stretches ? await rescale(stretches) : {};
    const otherVoices = (stretches ?? [])
      .map((g) => ({ warp: warps[g.name] ?? warp, sentences: g.sentences }))
      .filter((v) => v.warp !== warp);
    const changed = Object.values(speakerWarps).some((w) => w !== warp) || otherVoices.length > 0;
    return { speakerWarps, otherVoices, changed };
  } finally {
    // The recording's cepstra (14 MB for 46 minutes) are not needed by the searches that follow.
    listened.cepstra = new Float32Array(0);
  }
}
