/**
 * Suggestions as you type in the search box: speakers, events and titles that start with what is
 * being typed, as links under the box. The list is announced politely; Arrow Down moves into it,
 * Escape closes it. Without JavaScript the box is a plain search form.
 */
type Suggestion = { type: "speaker" | "event" | "item"; label: string; path: string };

const DELAY_MS = 120;

function start(): void {
  const box = document.querySelector<HTMLInputElement>("form.search-form input#q");
  if (!box) return;
  const lang = document.documentElement.lang === "fr" ? "fr" : "en";
  const labels = JSON.parse(box.dataset.suggestionLabels ?? "{}") as Record<string, string>;
  const list = document.createElement("ul");
  list.id = "q-suggestions";
  list.className = "suggestions";
  list.setAttribute("aria-label", labels.title ?? "Suggestions");
  list.hidden = true;
  box.insertAdjacentElement("afterend", list);
  let timer: number | undefined;
  let asked = 0;

  const close = () => {
    list.hidden = true;
    list.replaceChildren();
  };
  const show = (suggestions: Suggestion[]) => {
    list.replaceChildren(
      ...suggestions.map((s) => {
        const item = document.createElement("li");
        const link = document.createElement("a");
        link.href = s.path;
        const kind = document.createElement("span");
        kind.className = "suggestion-type";
        kind.textContent = `${labels[s.type] ?? s.type}: `;
        link.append(kind, s.label);
        item.append(link);
        return item;
      }),
    );
    list.hidden = suggestions.length === 0;
  };

  box.addEventListener("input", () => {
    window.clearTimeout(timer);
    timer = window.setTimeout(async () => {
      const typed = box.value;
      const mine = ++asked;
      if (typed.trim().length < 2) return close();
      const response = await fetch(`/api/v1/suggest?${new URLSearchParams({ q: typed, lang })}`, {
        headers: { accept: "application/json" },
      });
      // An answer to an older keystroke arriving late must not replace a newer one.
      if (mine !== asked || !response.ok) return;
      const body = (await response.json()) as { suggestions: Suggestion[] };
      show(body.suggestions);
    }, DELAY_MS);
  });
  box.addEventListener("keydown", (event) => {
    if (event.key === "ArrowDown" && !list.hidden) {
      event.preventDefault();
      list.querySelector("a")?.focus();
    } else if (event.key === "Escape") close();
  });
  list.addEventListener("keydown", (event) => {
    const links = Array.from(list.querySelectorAll("a"));
    const at = links.indexOf(document.activeElement as HTMLAnchorElement);
    if (event.key === "ArrowDown") links[Math.min(at + 1, links.length - 1)]?.focus();
    else if (event.key === "ArrowUp") (at <= 0 ? box : links[at - 1])?.focus();
    else if (event.key === "Escape") {
      close();
      box.focus();
    } else return;
    event.preventDefault();
  });
}

start();
