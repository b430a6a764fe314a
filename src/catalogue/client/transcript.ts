import { whenPlayerReady } from "../../web/client/preview-player.ts";
import { pageTranscript } from "../../web/client/word-times.ts";

/**
 * The transcript that follows playback: the sentence being spoken is highlighted (and marked
 * aria-current), a click or Enter on a sentence plays from there, Space plays or pauses, and the transcript scrolls
 * itself to keep the current sentence in view, without ever moving the keyboard focus and
 * not while the reader is scrolling it themselves.
 */
type Sentence = { element: HTMLAnchorElement; start: number; end: number };

const USER_SCROLL_PAUSE_MS = 4000;

function sentencesOf(root: HTMLElement): Sentence[] {
  const links = Array.from(root.querySelectorAll<HTMLAnchorElement>("a.sentence[data-start]"));
  return links
    .map((element, i) => {
      const start = Number(element.dataset.start);
      const next = Number(links[i + 1]?.dataset.start ?? Number.POSITIVE_INFINITY);
      const end = element.dataset.end ? Number(element.dataset.end) : next;
      return { element, start, end: Math.max(end, start) };
    })
    .sort((a, b) => a.start - b.start);
}

/** The last sentence started by `seconds` and not yet over (gaps between sentences: none). */
function sentenceAt(sentences: Sentence[], seconds: number): Sentence | null {
  let found: Sentence | null = null;
  for (const s of sentences) {
    if (s.start > seconds + 1e-3) break;
    found = s;
  }
  return found && seconds < found.end + 0.05 ? found : null;
}

type Word = { element: HTMLElement; start: number; end: number };

/**
 * The words of automatically timed sentences (issue 11), from the item's JSON: each sentence's text
 * becomes one span per word, so the word being said can be marked. Sentences marked by a
 * transcript search keep their marks instead. Without the JSON, sentences stay as they are.
 */
async function wordsOf(root: HTMLElement): Promise<Map<HTMLElement, Word[]>> {
  const byElement = new Map<HTMLElement, Word[]>();
  for (const segment of await pageTranscript()) {
    if (segment.words.length === 0) continue;
    const element = root.querySelector<HTMLElement>(`a.sentence[data-position="${segment.position}"]`);
    if (!element || element.querySelector("mark")) continue;
    const words = segment.words.map((w) => {
      const span = document.createElement("span");
      span.className = "word";
      span.textContent = w.text;
      return { element: span, start: w.start, end: w.end };
    });
    element.replaceChildren(...words.flatMap((w, i) => (i === 0 ? [w.element] : [" ", w.element])));
    byElement.set(element, words);
  }
  return byElement;
}

function keepInView(container: HTMLElement, element: HTMLElement): void {
  const box = container.getBoundingClientRect();
  const target = element.getBoundingClientRect();
  if (target.top >= box.top && target.bottom <= box.bottom) return;
  const offset = target.top - box.top - box.height / 3;
  container.scrollTo({ top: container.scrollTop + offset, behavior: "smooth" });
}

async function attach(root: HTMLElement): Promise<void> {
  const player = await whenPlayerReady().catch(() => null);
  if (!player) return; // Not playable (embargo, processing): sentences stay plain links.
  const body = root.querySelector<HTMLElement>("[data-transcript-body]") ?? root;
  const sentences = sentencesOf(root);
  let current: Sentence | null = null;
  let userScrolledAt = 0;
  let ourScroll = false;

  body.addEventListener("scroll", () => {
    if (!ourScroll) userScrolledAt = Date.now();
  });
  body.addEventListener("scrollend", () => {
    ourScroll = false;
  });

  let words = new Map<HTMLElement, Word[]>();
  let currentWord: HTMLElement | null = null;
  const markWord = (seconds: number) => {
    const inSentence = current ? (words.get(current.element) ?? []) : [];
    const word =
      inSentence.findLast((w) => w.start <= seconds + 0.02 && seconds < w.end + 0.15)?.element ?? null;
    if (word === currentWord) return;
    currentWord?.classList.remove("word-current");
    currentWord = word;
    word?.classList.add("word-current");
  };
  const highlight = (seconds: number) => {
    const next = sentenceAt(sentences, seconds);
    if (next === current) return markWord(seconds);
    current?.element.removeAttribute("aria-current");
    current?.element.classList.remove("current");
    current = next;
    markWord(seconds);
    if (!next) return;
    next.element.setAttribute("aria-current", "true");
    next.element.classList.add("current");
    if (Date.now() - userScrolledAt > USER_SCROLL_PAUSE_MS) {
      ourScroll = true;
      keepInView(body, next.element);
    }
  };
  player.onTimeChange((seconds) => highlight(seconds));
  highlight(player.currentTime());
  words = await wordsOf(root);

  root.addEventListener("click", (event) => {
    const link = (event.target as HTMLElement).closest<HTMLAnchorElement>("a.sentence[data-start]");
    if (!link || event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey) return;
    event.preventDefault();
    const start = Number(link.dataset.start);
    player.seekToSeconds(start);
    highlight(start);
    void player.video.play().catch(() => {});
  });
  // Space on a sentence plays or pauses, as on the player, instead of scrolling the page away.
  root.addEventListener("keydown", (event) => {
    if (event.key !== " " || event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
    if (!(event.target as HTMLElement).matches("a.sentence[data-start]")) return;
    event.preventDefault();
    if (player.video.paused) void player.video.play().catch(() => {});
    else player.video.pause();
  });
}

for (const root of Array.from(document.querySelectorAll<HTMLElement>("[data-transcript]"))) void attach(root);
