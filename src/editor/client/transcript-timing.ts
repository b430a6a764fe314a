import { readStart } from "../../media/clip-range.ts";
import { formatClock } from "../../media/clock.ts";
import { type PreviewPlayer, whenPlayerReady } from "../../web/client/preview-player.ts";

/**
 * Timing a transcript by hand: each sentence's "Set to current player time" button writes the
 * preview player's position into that sentence's start field, as the master's timecode of the
 * frame on screen (what the field shows and takes). Without this island the buttons stay
 * hidden and editors type the times. After a button is used, focus moves to the next
 * sentence's button, so an editor can listen and press Enter at each new sentence. "Play from
 * this start" plays the recording from the start in the field, as typed (a flagged sentence is
 * checked by ear).
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
  for (const button of Array.from(form.querySelectorAll<HTMLButtonElement>("button[data-play-from]"))) {
    button.hidden = false;
    // Nothing to play from until the sentence has a start.
    const own = document.getElementById(button.dataset.playFrom ?? "");
    if (own instanceof HTMLInputElement) {
      const update = () => {
        button.disabled = own.value.trim() === "";
      };
      update();
      own.addEventListener("input", update);
      own.addEventListener("change", update);
    }
    button.addEventListener("click", () => {
      const field = document.getElementById(button.dataset.playFrom ?? "");
      if (!(field instanceof HTMLInputElement)) return;
      // Read as the server reads it when the form is saved.
      const seconds = readStart(field.value, { frameRate: player.rate, startTimecode: player.startTimecode });
      // Not a time: the field's own check says so when the form is saved.
      if (seconds === null || seconds < 0) return field.focus();
      player.seekToSeconds(seconds);
      void player.video.play().catch(() => undefined);
    });
  }
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
