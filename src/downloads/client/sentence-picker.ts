import { fill, type Messages, type Sentence, sentenceRange } from "../../web/client/clip-points.ts";

/**
 * Checkboxes beside the transcript's timed sentences, shown while the toggle is pressed. The
 * ticked sentences make the clip. For the keyboard the transcript is then one tab stop, not two
 * per sentence: the checkboxes share it (arrow keys move between them, Space ticks) and the
 * sentence links leave the tab order; a "done" button after them goes back to the Download button.
 */
export function bindSentencePicker(
  form: HTMLFormElement,
  options: {
    rate: { num: number; den: number };
    frameCount: number;
    messages: Messages;
    choose(range: { inFrame: number; outFrame: number }): void;
    announce(text: string): void;
  },
): void {
  const toggle = form.querySelector<HTMLButtonElement>("[data-pick-sentences]");
  const help = form.querySelector<HTMLElement>("[data-pick-help]");
  const transcript = document.querySelector<HTMLElement>("[data-transcript]");
  if (!toggle || !transcript) {
    if (toggle) toggle.hidden = true;
    return;
  }
  const body = transcript.querySelector<HTMLElement>("[data-transcript-body]") ?? transcript;
  const links = Array.from(transcript.querySelectorAll<HTMLAnchorElement>("a.sentence[data-start]"));
  const duration = (options.frameCount * options.rate.den) / options.rate.num;
  const sentences: Sentence[] = links.map((link, i) => {
    const start = Number(link.dataset.start);
    const next = links[i + 1]?.dataset.start;
    const end = link.dataset.end ? Number(link.dataset.end) : next ? Number(next) : duration;
    return { start, end: Math.max(start, end) };
  });
  let boxes: HTMLInputElement[] = [];
  let done: HTMLButtonElement | null = null;

  const update = () => {
    const chosen = sentences.filter((_, i) => boxes[i]?.checked);
    const range = sentenceRange(chosen, options.rate, options.frameCount);
    if (range) options.choose(range);
  };

  /** Roving tab stop: the box last reached keeps the transcript's one place in the tab order. */
  const rove = (to: number) => {
    const target = boxes[Math.max(0, Math.min(boxes.length - 1, to))];
    if (!target) return;
    for (const box of boxes) box.tabIndex = box === target ? 0 : -1;
    target.focus();
  };
  const moves: Record<string, (i: number) => number> = {
    ArrowDown: (i) => i + 1,
    ArrowRight: (i) => i + 1,
    ArrowUp: (i) => i - 1,
    ArrowLeft: (i) => i - 1,
    Home: () => 0,
    End: () => boxes.length - 1,
  };

  const stop = () => {
    for (const box of boxes) box.remove();
    for (const link of links) link.removeAttribute("tabindex");
    done?.remove();
    boxes = [];
    done = null;
  };

  const start = () => {
    boxes = links.map((link, i) => {
      const box = document.createElement("input");
      box.type = "checkbox";
      box.className = "sentence-pick";
      box.tabIndex = i === 0 ? 0 : -1;
      box.setAttribute("aria-label", fill(options.messages.pick ?? "", { text: link.textContent ?? "" }));
      box.addEventListener("change", update);
      box.addEventListener("keydown", (event) => {
        const move = moves[event.key];
        if (!move) return;
        event.preventDefault();
        rove(move(i));
      });
      box.addEventListener("focus", () => {
        for (const other of boxes) other.tabIndex = other === box ? 0 : -1;
      });
      // Reached through its checkbox now; a click still plays from there.
      link.tabIndex = -1;
      link.before(box);
      return box;
    });
    done = document.createElement("button");
    done.type = "button";
    done.className = "secondary sentence-done";
    done.textContent = options.messages.pickDone ?? "";
    done.addEventListener("click", () => {
      form.querySelector<HTMLButtonElement>('button[type="submit"]:not([name])')?.focus();
    });
    body.after(done);
  };

  toggle.addEventListener("click", () => {
    const on = toggle.getAttribute("aria-pressed") !== "true";
    toggle.setAttribute("aria-pressed", String(on));
    if (help) help.hidden = !on;
    transcript.classList.toggle("picking", on);
    if (!on) return stop();
    start();
    options.announce(options.messages.pickOn ?? "");
  });
}
