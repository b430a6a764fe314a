/**
 * The transcript of the item on this page as the JSON API gives it, fetched once for every island
 * that needs its words' times (the transcript marking the word being said, the clip selector
 * snapping IN/OUT to words). Only pages whose transcript has timed words (`data-words`) ask.
 */
export type TimedWord = { text: string; start: number; end: number };
export type TranscriptSentence = { position: number; words: TimedWord[] };

let loading: Promise<TranscriptSentence[]> | null = null;

export function pageTranscript(): Promise<TranscriptSentence[]> {
  const root = document.querySelector<HTMLElement>("[data-transcript][data-words][data-item-id]");
  if (!root) return Promise.resolve([]);
  if (loading) return loading;
  const lang = document.documentElement.lang === "fr" ? "fr" : "en";
  loading = fetch(`/api/v1/items/${root.dataset.itemId}?lang=${lang}`, {
    headers: { accept: "application/json" },
  })
    .then(async (response) =>
      response.ok ? ((await response.json()) as { transcript: TranscriptSentence[] }).transcript : [],
    )
    .catch(() => []);
  return loading;
}

/** How far a point may move to land on a word's edge: a syllable or two. */
const SNAP_SECONDS = 0.3;

/**
 * Where a clip's IN (or OUT) set at `seconds` should be so as not to cut a word: the start (end) of
 * the word being said, or of the nearest word edge within SNAP_SECONDS; null when none is near.
 */
export function snapToWord(words: TimedWord[], seconds: number, point: "in" | "out"): TimedWord | null {
  let best: TimedWord | null = null;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const word of words) {
    const inside = word.start <= seconds && seconds < word.end;
    const edge = point === "in" ? word.start : word.end;
    const distance = inside ? 0 : Math.abs(edge - seconds);
    if (distance <= SNAP_SECONDS && distance < bestDistance) {
      best = word;
      bestDistance = distance;
    }
  }
  return best;
}
