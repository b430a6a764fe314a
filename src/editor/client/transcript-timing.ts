import { formatClock } from "../../media/clock.ts";
import { type PreviewPlayer, whenPlayerReady } from "../../web/client/preview-player.ts";

/**
 * Timing a transcript by hand: each sentence's "Set to current player time" button writes the
 * preview player's position into that sentence's start field, as the master's timecode of the
 * frame on screen (what the field shows and takes). Without this island the buttons stay
 * hidden and editors type the times. After a button is used, focus moves to the next
 * sentence's button, so an editor can listen and press Enter at each new sentence.
 */

const form = document.querySelector<HTMLFormElement>("form[data-timing]");
if (form) {
  void whenPlayerReady()
    .then((player) => enhance(form, player))
    .catch(() => {
      // No preview yet: the times are typed.
    });
}

function enhance(form: HTMLFormElement, player: PreviewPlayer): void {
  const buttons = Array.from(form.querySelectorAll<HTMLButtonElement>("button[data-set-time]"));
  buttons.forEach((button, index) => {
    button.hidden = false;
    button.addEventListener("click", () => {
      const field = document.getElementById(button.dataset.setTime ?? "");
      if (!(field instanceof HTMLInputElement)) return;
      field.value = player.rate ? player.timecode() : formatClock(player.currentTime(), 3);
      field.dispatchEvent(new Event("change", { bubbles: true }));
      buttons[index + 1]?.focus();
    });
  });
}
