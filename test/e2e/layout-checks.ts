import type { Page } from "playwright-core";

/** What the phones test measures in the page: reflow (WCAG 1.4.10), target size (2.5.8), focus rings (1.4.11). */

export type Overflow = { url: string; width: number; scrollWidth: number; widest: string[] };
export type SmallTarget = { url: string; width: number; target: string; size: string };
export type FocusRing = { name: string; visible: boolean; width: number; contrast: number };

/**
 * Overflow and small controls on the page as it is now, once the islands that change the
 * layout (player controls, the clip selector's buttons) have shown themselves.
 */
export async function layoutProblems(
  page: Page,
  url: string,
  width: number,
): Promise<{ overflow: Overflow | null; small: SmallTarget[] }> {
  const found = await page.evaluate(async () => {
    const settled = () => {
      const controls = document.querySelector("[data-player-controls]");
      const form = document.querySelector("form[data-clip-selector]");
      if (!controls) return true;
      if (controls.hasAttribute("hidden")) return false;
      return !form || document.querySelector("button[data-set]:not([hidden])") !== null;
    };
    // An island that never runs fails the test below (hidden controls are a layout of their own).
    for (let i = 0; i < 250 && !settled(); i++) await new Promise((resolve) => setTimeout(resolve, 20));
    const doc = document.documentElement;
    const limit = doc.clientWidth;
    const describe = (e: Element) =>
      `${e.tagName.toLowerCase()}${e.id ? `#${e.id}` : ""}${Array.from(e.classList)
        .map((c) => `.${c}`)
        .join("")}` +
      ` (${Math.round(e.getBoundingClientRect().width)} px wide, right edge at ${Math.round(e.getBoundingClientRect().right)})`;
    let overflow: { scrollWidth: number; widest: string[] } | null = null;
    if (doc.scrollWidth > limit) {
      const over = Array.from(document.body.querySelectorAll("*")).filter(
        (e) => e.getBoundingClientRect().right > limit + 0.5,
      );
      const leaves = over.filter((e) => !Array.from(e.children).some((c) => over.includes(c)));
      leaves.sort((a, b) => b.getBoundingClientRect().right - a.getBoundingClientRect().right);
      overflow = { scrollWidth: doc.scrollWidth, widest: leaves.slice(0, 3).map(describe) };
    }
    // Controls (not links inside sentences, which WCAG 2.5.8 exempts) at least 24 × 24 px.
    const small: { target: string; size: string }[] = [];
    const controls = document.querySelectorAll(
      "button, select, summary, a.button, input:not([type=hidden]), video, .gallery-thumbs a",
    );
    for (const e of Array.from(controls)) {
      const box = e.getBoundingClientRect();
      if (box.width === 0 || box.height === 0 || e.closest(".visually-hidden, .skip")) continue;
      if (box.width < 24 || box.height < 24)
        small.push({ target: describe(e), size: `${Math.round(box.width)}×${Math.round(box.height)}` });
    }
    return { overflow, small };
  });
  return {
    overflow: found.overflow ? { url, width, ...found.overflow } : null,
    small: found.small.map((s) => ({ url, width, ...s })),
  };
}

/**
 * The keyboard focus ring of a link on white, the transcript's current sentence, a header link and
 * the video: whether it shows, its width and its lowest contrast with the colours it touches.
 */
export function focusRings(page: Page): Promise<FocusRing[]> {
  return page.evaluate(() => {
    const rgb = (color: string) => (color.match(/[\d.]+/g) ?? []).map(Number);
    const luminance = ([r = 0, g = 0, b = 0]: number[]) => {
      const c = [r, g, b].map((v) => {
        const s = v / 255;
        return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
      });
      return 0.2126 * c[0]! + 0.7152 * c[1]! + 0.0722 * c[2]!;
    };
    const contrast = (a: string, b: string) => {
      const [x, y] = [luminance(rgb(a)), luminance(rgb(b))].sort((m, n) => n - m);
      return (x! + 0.05) / (y! + 0.05);
    };
    const opaque = (e: Element) => {
      const bg = getComputedStyle(e).backgroundColor;
      return bg !== "rgba(0, 0, 0, 0)" && bg !== "transparent" ? bg : null;
    };
    const around = (e: Element) => {
      for (let p = e.parentElement; p; p = p.parentElement) if (opaque(p)) return opaque(p)!;
      return "rgb(255, 255, 255)";
    };
    const ring = (name: string, e: HTMLElement, ownBackground: boolean) => {
      e.focus();
      const style = getComputedStyle(e);
      // The colours the ring touches: the page around it, and the element's own background
      // when that shows in the gap between them (the highlighted sentence).
      const touching = [around(e), ...(ownBackground && opaque(e) ? [opaque(e)!] : [])];
      return {
        name,
        visible: e.matches(":focus-visible") && style.outlineStyle !== "none",
        width: Number.parseFloat(style.outlineWidth),
        contrast: Math.min(...touching.map((c) => contrast(style.outlineColor, c))),
      };
    };
    return [
      ring("link on white", document.querySelector<HTMLElement>("main a:not(.sentence)")!, false),
      ring("current sentence", document.querySelector<HTMLElement>('a.sentence[aria-current="true"]')!, true),
      ring("header link", document.querySelector<HTMLElement>("header.site nav a")!, false),
      // 2 px outside the picture: it touches the page, not the black video.
      ring("video", document.querySelector("video")!, false),
    ];
  });
}
