import { fill } from "../../web/client/clip-points.ts";
import { type PreviewPlayer, whenPlayerReady } from "../../web/client/preview-player.ts";

/**
 * "Search this transcript" in place (views/transcript-search.ts): the form asks the JSON API
 * (/api/v1/items/{id}/transcript/search) instead of loading the page, so playback goes on, and
 * the list, the ticks under the video and the found sentences of the transcript are redrawn;
 * a found sentence in the list or its tick plays from there. Without this island the form and
 * the links load the page (?q=, ?t=), which draws the same things.
 */
type Match = {
  position: number;
  start: number | null;
  timecode: string | null;
  speaker: string;
  lang: string;
  text: string;
  marks: [number, number][];
};
type Answer = { matches: Match[]; total: number; truncated: boolean };

const SVG = "http://www.w3.org/2000/svg";

/** The text with <mark> around the words found, built as nodes: the text is never parsed as HTML. */
function showMarked(target: Element, text: string, marks: [number, number][]): void {
  target.replaceChildren();
  let at = 0;
  for (const [from, to] of marks) {
    if (from < at || to > text.length) continue;
    const mark = document.createElement("mark");
    mark.textContent = text.slice(from, to);
    target.append(text.slice(at, from), mark);
    at = to;
  }
  target.append(text.slice(at));
}

/** The page playing from `start`, keeping the search (as the server writes it). */
function matchHref(start: number, words: string): string {
  return `${location.pathname}?t=${Math.round(start * 1000) / 1000}&q=${encodeURIComponent(words)}#player`;
}

function svgElement(name: string, attributes: Record<string, string | number>): SVGElement {
  const element = document.createElementNS(SVG, name);
  for (const [key, value] of Object.entries(attributes)) element.setAttribute(key, String(value));
  return element;
}

const percent = (seconds: number, duration: number) =>
  `${Math.min(100, Math.max(0, (seconds / duration) * 100)).toFixed(3)}%`;

/** The ticks under the video, as the server draws them (matchMarksHtml). */
function drawMarks(player: PreviewPlayer, matches: Match[], words: string): void {
  player.root.querySelector("[data-match-marks]")?.remove();
  const duration = Number(player.root.dataset.duration);
  const timed = matches.filter((m) => m.start !== null);
  if (!(duration > 0) || timed.length === 0) return;
  const svg = svgElement("svg", {
    class: "match-marks",
    "aria-hidden": "true",
    focusable: "false",
    width: "100%",
    height: 24,
  });
  svg.setAttribute("data-match-marks", "");
  svg.append(svgElement("rect", { class: "track", x: 0, y: 9, width: "100%", height: 6 }));
  for (const m of timed) {
    const x = percent(m.start!, duration);
    const link = svgElement("a", { href: matchHref(m.start!, words), tabindex: -1, "data-seek": m.start! });
    link.append(
      svgElement("line", { class: "hit", x1: x, x2: x, y1: 0, y2: 24 }),
      svgElement("line", { class: "tick", x1: x, x2: x, y1: 2, y2: 22 }),
    );
    svg.append(link);
  }
  svg.append(
    svgElement("line", {
      class: "playhead",
      "data-playhead": "",
      x1: 0,
      x2: 0,
      y1: 0,
      y2: 24,
      visibility: "hidden",
    }),
  );
  player.video.after(svg);
}

function drawList(
  section: HTMLElement,
  status: HTMLElement,
  matches: Match[],
  words: string,
  said: string,
): void {
  section.querySelector("[data-matches]")?.remove();
  if (matches.length === 0) return;
  const list = document.createElement("ol");
  list.className = "sentence-matches";
  list.setAttribute("data-matches", "");
  const pageLang = document.documentElement.lang;
  for (const m of matches) {
    const item = document.createElement("li");
    const text = document.createElement("span");
    if (m.lang !== pageLang) text.lang = m.lang;
    showMarked(text, m.text, m.marks);
    const parts: Node[] = [];
    if (m.speaker) {
      const speaker = document.createElement("span");
      speaker.className = "speaker";
      speaker.textContent = fill(said, { speaker: m.speaker });
      parts.push(speaker, document.createTextNode(" "));
    }
    parts.push(text);
    if (m.start === null) item.append(...parts);
    else {
      const link = document.createElement("a");
      link.href = matchHref(m.start, words);
      link.dataset.seek = String(m.start);
      const tc = document.createElement("span");
      tc.className = "tc";
      tc.textContent = m.timecode ?? "";
      link.append(tc, " ", ...parts);
      item.append(link);
    }
    list.append(item);
  }
  status.after(list);
}

/** The found sentences marked in the full transcript, the others back to plain text. */
function markTranscript(matches: Match[]): void {
  const found = new Map(matches.map((m) => [m.position, m]));
  for (const element of Array.from(
    document.querySelectorAll<HTMLElement>("[data-transcript] [data-position]"),
  )) {
    const match = found.get(Number(element.dataset.position));
    if (match) showMarked(element, match.text, match.marks);
    // Back to one text node: the marks of an earlier search go.
    else if (element.classList.contains("found")) element.replaceChildren(element.textContent ?? "");
    element.classList.toggle("found", match !== undefined);
  }
}

function showStatus(status: HTMLElement, problem: boolean, ...content: (Node | string)[]): void {
  status.classList.toggle("notice", problem);
  status.replaceChildren(...content);
}

function bindSearch(
  player: PreviewPlayer,
  section: HTMLElement,
  messages: Record<string, string>,
  redrawn: () => void,
): void {
  const form = section.querySelector("form");
  const input = section.querySelector<HTMLInputElement>('input[name="q"]');
  const status = section.querySelector<HTMLElement>("[data-search-status]");
  if (!form || !input || !status) return;
  let latest = 0;
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const words = input.value;
    const asked = ++latest;
    const lang = document.documentElement.lang;
    const url = `/api/v1/items/${section.dataset.itemId}/transcript/search?q=${encodeURIComponent(words)}&lang=${lang}`;
    let response: Response;
    try {
      response = await fetch(url, { headers: { accept: "application/json", "accept-language": lang } });
    } catch {
      return form.submit();
    }
    const body = (await response.json().catch(() => null)) as (Answer & { error?: { code: string } }) | null;
    if (asked !== latest) return; // A newer search has been asked for.
    if (!response.ok || !body?.matches) {
      const message = messages[body?.error?.code ?? ""];
      if (message === undefined) return form.submit();
      showStatus(status, true, message);
      drawList(section, status, [], words, "");
      drawMarks(player, [], words);
      markTranscript([]);
    } else {
      const count =
        body.total === 0
          ? messages.none
          : fill((body.total === 1 ? messages.one : messages.other) ?? "", { count: body.total });
      const strong = document.createElement("strong");
      strong.textContent = count ?? "";
      const more =
        body.matches.length < body.total
          ? ` ${fill(messages.showing ?? "", { count: body.matches.length })}`
          : "";
      showStatus(status, false, strong, `${more}${body.truncated ? ` ${messages.truncated}` : ""}`);
      drawList(section, status, body.matches, words, messages.said ?? "{speaker}:");
      drawMarks(player, body.matches, words);
      markTranscript(body.matches);
    }
    redrawn();
    // The address says what is shown: reloading it or sharing it gives the same page.
    history.replaceState(history.state, "", `${location.pathname}?q=${encodeURIComponent(words)}`);
  });
}

async function attach(): Promise<void> {
  const player = await whenPlayerReady().catch(() => null);
  if (!player) return; // Not playable (embargo, processing): the form and links load the page.
  const duration = Number(player.root.dataset.duration);
  const showPlayhead = (seconds: number) => {
    const playhead = player.root.querySelector<SVGLineElement>("[data-match-marks] [data-playhead]");
    if (!playhead || !(duration > 0)) return;
    const x = percent(seconds, duration);
    playhead.setAttribute("x1", x);
    playhead.setAttribute("x2", x);
    playhead.setAttribute("visibility", "visible");
  };
  player.onTimeChange((seconds) => showPlayhead(seconds));
  showPlayhead(player.currentTime());
  const section = document.querySelector<HTMLElement>("[data-transcript-search]");
  if (section) {
    const messages = JSON.parse(section.dataset.messages ?? "{}") as Record<string, string>;
    bindSearch(player, section, messages, () => showPlayhead(player.currentTime()));
  }

  document.addEventListener("click", (event) => {
    const link = (event.target as Element).closest<HTMLAnchorElement | SVGAElement>("a[data-seek]");
    if (!link || event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey) return;
    const start = Number(link.dataset.seek);
    if (!Number.isFinite(start)) return;
    event.preventDefault();
    player.seekToSeconds(start);
    void player.video.play().catch(() => {});
    // As the link's #player would: the picture in view (on a phone the list is far below it).
    const box = player.video.getBoundingClientRect();
    if (box.bottom < 0 || box.top > window.innerHeight) player.root.scrollIntoView({ block: "start" });
  });
}

void attach();
