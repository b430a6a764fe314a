import { formatClockTime } from "../../web/clock-time.ts";

/**
 * Timing a transcript by hand: each sentence's "Set to current player time" button writes the
 * preview player's position into that sentence's start field. Without this island the buttons
 * stay hidden and editors type the times. After a button is used, focus moves to the next
 * sentence's button, so an editor can listen and press Enter at each new sentence.
 */

const form = document.querySelector<HTMLFormElement>("form[data-timing]");
const video = document.querySelector<HTMLVideoElement>("[data-player] video, video");
if (form && video) enhance(form, video);

function enhance(form: HTMLFormElement, video: HTMLVideoElement): void {
  const buttons = Array.from(form.querySelectorAll<HTMLButtonElement>("button[data-set-time]"));
  buttons.forEach((button, index) => {
    button.hidden = false;
    button.addEventListener("click", () => {
      const field = document.getElementById(button.dataset.setTime ?? "");
      if (!(field instanceof HTMLInputElement)) return;
      field.value = formatClockTime(video.currentTime);
      field.dispatchEvent(new Event("change", { bubbles: true }));
      buttons[index + 1]?.focus();
    });
  });
}
