import { isTyping } from "./clip-points.ts";

/**
 * Single-key shortcuts (I, O, comma, full stop) act only while the keyboard focus is in the
 * player or in the clip selector (WCAG 2.1.4): anywhere else a key is the reader's, for their
 * screen reader's quick navigation or the browser's own. Typing in a field is never a shortcut.
 */
const SCOPE = "[data-player], form[data-clip-selector]";

export function onShortcut(keys: readonly string[], run: (key: string) => void): void {
  document.addEventListener("keydown", (event) => {
    if (event.altKey || event.ctrlKey || event.metaKey || isTyping(event.target)) return;
    const key = event.key.toLowerCase();
    if (!keys.includes(key)) return;
    if (!(event.target instanceof Element) || !event.target.closest(SCOPE)) return;
    event.preventDefault();
    run(key);
  });
}
