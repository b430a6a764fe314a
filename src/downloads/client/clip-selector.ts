import type { ClipRangeContext } from "../../media/clip-range.ts";
import type { ClipFormat } from "../../media/formats.ts";
import { fill, type Messages, type RangeProblems, rangeProblems } from "../../web/client/clip-points.ts";
import { timecodeOf } from "../../web/client/frames.ts";
import { type PreviewPlayer, whenPlayerReady } from "../../web/client/preview-player.ts";
import { onShortcut } from "../../web/client/shortcuts.ts";
import { pageTranscript, snapToWord, type TimedWord } from "../../web/client/word-times.ts";
import { clipDuration, type EstimateSource, estimateBytes, formatBytes } from "../estimate.ts";
import { bindSentencePicker } from "./sentence-picker.ts";

/**
 * The IN/OUT clip selector of the download panel. It only fills the form's own fields (IN, OUT,
 * whole or clip), so submitting is the same as without JavaScript; on top it sets points from
 * the player (buttons, I and O keys), nudges them by a frame, turns ticked transcript sentences
 * into a range, checks typed timecodes as they are typed, and shows the clip on a timeline with
 * its duration and estimated size. Changes are announced in a polite live region.
 */
type Point = "in" | "out";

function attach(form: HTMLFormElement): void {
  const data = form.dataset;
  const rate = { num: Number(data.rateNum), den: Number(data.rateDen) };
  if (!(rate.num > 0 && rate.den > 0)) return;
  const frameCount = Number(data.frameCount);
  const context: ClipRangeContext = { rate, startTimecode: data.startTimecode || null, frameCount };
  const estimate = JSON.parse(data.estimate ?? "null") as EstimateSource | null;
  const tracksByLabel = JSON.parse(data.audioTracks ?? "{}") as Record<string, number[]>;
  const messages = JSON.parse(data.messages ?? "{}") as Messages;
  const lang = document.documentElement.lang === "fr" ? "fr" : "en";
  const tc = (frame: number) => timecodeOf(frame, rate, context.startTimecode);
  const durationText = (frames: number) => clipDuration(frames, rate, lang);

  const input = (point: Point) => form.querySelector<HTMLInputElement>(`input[name="${point}"]`)!;
  const partialRadio = form.querySelector<HTMLInputElement>('input[name="range"][value="partial"]');
  const format = () => form.querySelector<HTMLInputElement>('input[name="format"]:checked')?.value;
  const audio = form.querySelector<HTMLSelectElement>('select[name="audio"]');
  const status = form.querySelector<HTMLElement>("[data-clip-status]");
  const summary = form.querySelector<HTMLElement>("[data-clip-summary]");
  const estimateText = form.querySelector<HTMLElement>("[data-estimate-text]");
  const timelineRange = form.querySelector<HTMLElement>("[data-timeline-range]");
  const timelineHead = form.querySelector<HTMLElement>("[data-timeline-head]");

  for (const element of Array.from(form.querySelectorAll<HTMLElement>("[data-js-only]")))
    element.hidden = false;
  // The live estimate replaces the "update the size" round trip to the server.
  for (const element of Array.from(form.querySelectorAll<HTMLElement>("[data-no-js]"))) element.hidden = true;

  const announce = (text: string) => {
    if (!status) return;
    // Emptied first, so the same message twice is read twice.
    status.textContent = "";
    window.setTimeout(() => {
      status.textContent = text;
    }, 50);
  };

  const showProblem = (point: Point, problem: string | undefined) => {
    const field = input(point);
    const live = form.querySelector<HTMLElement>(`#${point}-live-error`);
    if (!live) return;
    live.textContent = problem ?? "";
    live.hidden = !problem;
    const ids = (field.getAttribute("aria-describedby") ?? "")
      .split(" ")
      .filter((id) => id && id !== live.id);
    if (problem) {
      ids.push(live.id);
      field.setAttribute("aria-invalid", "true");
    } else {
      field.removeAttribute("aria-invalid");
    }
    field.setAttribute("aria-describedby", ids.join(" "));
  };

  /** The server's error for a field is about what was submitted: gone once the field changes. */
  const clearServerError = (point: Point) => {
    const server = form.querySelector(`#${point}-error`);
    if (!server) return;
    server.remove();
    const field = input(point);
    field.closest(".field")?.classList.remove("invalid");
    const ids = (field.getAttribute("aria-describedby") ?? "")
      .split(" ")
      .filter((id) => id !== `${point}-error`);
    field.setAttribute("aria-describedby", ids.join(" "));
  };

  let current: { inFrame: number; outFrame: number } | null = null;

  const render = () => {
    const partial = partialRadio?.checked ?? false;
    const { problems, inFrame, outFrame } = rangeProblems(
      input("in").value,
      input("out").value,
      context,
      messages,
    );
    const shown: RangeProblems = partial ? problems : {};
    showProblem("in", shown.in);
    showProblem("out", shown.out);
    const valid = !problems.in && !problems.out && inFrame !== null && outFrame !== null;
    current = valid ? { inFrame, outFrame } : null;
    const range = partial ? current : { inFrame: 0, outFrame: frameCount };
    if (timelineRange) {
      timelineRange.hidden = range === null;
      if (range) {
        timelineRange.style.left = `${(100 * range.inFrame) / frameCount}%`;
        timelineRange.style.width = `${(100 * (range.outFrame - range.inFrame)) / frameCount}%`;
      }
    }
    if (summary) {
      summary.textContent = range
        ? fill(messages.summary ?? "", {
            in: tc(range.inFrame),
            out: tc(range.outFrame),
            duration: durationText(range.outFrame - range.inFrame),
          })
        : "";
    }
    if (estimateText && estimate) {
      const text = range ? estimateLine(range) : "";
      if (estimateText.textContent !== text) estimateText.textContent = text;
    }
  };

  const estimateLine = (range: { inFrame: number; outFrame: number }) => {
    const chosenFormat = (format() ?? "original") as ClipFormat;
    const label = audio?.value ?? "all";
    const audioTracks = label === "all" ? null : (tracksByLabel[label] ?? null);
    const whole = !(partialRadio?.checked ?? false) && chosenFormat === "original" && audioTracks === null;
    const bytes = estimateBytes(estimate!, { format: chosenFormat, ...range, audioTracks, whole });
    return fill((whole ? messages.estimateExact : messages.estimate) ?? "", {
      size: formatBytes(bytes, lang),
      duration: durationText(range.outFrame - range.inFrame),
    });
  };

  const setPoint = (point: Point, frame: number, message?: string) => {
    const clamped = point === "in" ? clamp(frame, 0, frameCount - 1) : clamp(frame, 1, frameCount);
    clearServerError(point);
    input(point).value = tc(clamped);
    if (partialRadio) partialRadio.checked = true;
    render();
    announce(
      fill(message ?? (point === "in" ? messages.inSet : messages.outSet) ?? "", { timecode: tc(clamped) }),
    );
    return clamped;
  };

  form.addEventListener("input", (event) => {
    const target = event.target as HTMLInputElement;
    if (target.name === "in" || target.name === "out") {
      clearServerError(target.name);
      if (partialRadio) partialRadio.checked = true;
    }
    render();
  });
  form.addEventListener("change", render);

  // IN and OUT set from the player land on word edges when the transcript is timed word by word
  // (issue 11): a clip does not start or end in the middle of a word. Nudging by a frame does not
  // snap, so a point can still be put anywhere.
  let words: TimedWord[] = [];
  void pageTranscript().then((sentences) => {
    words = sentences.flatMap((s) => s.words);
  });
  const setFromPlayer = (point: Point, frame: number) => {
    const seconds = (frame * rate.den) / rate.num;
    const word = snapToWord(words, seconds, point);
    if (!word) return setPoint(point, frame);
    const edge =
      point === "in"
        ? Math.floor((word.start * rate.num) / rate.den + 1e-6)
        : Math.ceil((word.end * rate.num) / rate.den - 1e-6);
    const key = point === "in" ? messages.inSnapped : messages.outSnapped;
    return setPoint(point, edge, key ? fill(key, { timecode: tc(edge), word: word.text }) : undefined);
  };

  let player: PreviewPlayer | null = null;
  const pointButtons = Array.from(form.querySelectorAll<HTMLButtonElement>("[data-set]"));
  for (const button of pointButtons) {
    button.hidden = true;
    button.addEventListener("click", () => {
      if (player) setFromPlayer(button.dataset.set as Point, player.currentFrame());
    });
  }
  for (const button of Array.from(form.querySelectorAll<HTMLButtonElement>("[data-nudge]"))) {
    button.addEventListener("click", () => {
      const point = button.dataset.nudge as Point;
      const known = current ? (point === "in" ? current.inFrame : current.outFrame) : null;
      const from = known ?? player?.currentFrame() ?? (point === "in" ? 0 : frameCount);
      const frame = setPoint(point, from + Number(button.dataset.by));
      if (player) {
        player.video.pause();
        player.seekToFrame(frame);
      }
    });
  }
  onShortcut(["i", "o"], (key) => {
    if (player) setFromPlayer(key === "i" ? "in" : "out", player.currentFrame());
  });

  bindSentencePicker(form, {
    rate,
    frameCount,
    messages,
    choose(range) {
      setPoint("in", range.inFrame);
      setPoint(
        "out",
        range.outFrame,
        fill(messages.fromSentences ?? "", { in: tc(range.inFrame), out: tc(range.outFrame) }),
      );
    },
    announce,
  });

  render();
  void whenPlayerReady()
    .then((ready) => {
      player = ready;
      for (const button of pointButtons) button.hidden = false;
      const follow = (frame: number) => {
        if (timelineHead) timelineHead.style.left = `${(100 * clamp(frame, 0, frameCount)) / frameCount}%`;
      };
      ready.onTimeChange((_seconds, frame) => follow(frame));
      follow(ready.currentFrame());
    })
    .catch(() => {
      // No preview on this page: points are typed, or chosen from the transcript.
    });
}

function clamp(value: number, min: number, max: number): number {
  return Math.max(min, Math.min(max, value));
}

for (const form of Array.from(document.querySelectorAll<HTMLFormElement>("form[data-clip-selector]")))
  attach(form);
