import type { LiveState } from "../../catalogue/live-store.ts";
import { statusReasonText } from "../../catalogue/status-reason.ts";
import { type MediaItem, type StatusReason, shownStatus } from "../../catalogue/types.ts";
import { type Html, html } from "../../web/html.ts";
import { colon, type Lang, t, tDynamic } from "../../web/i18n.ts";

/**
 * Where an item's processing stands, in words an editor acts on: failed items say why. `retrying`:
 * its job was cut off (or failed) and is being tried again, so the progress starts over. A live
 * item has no upload: until its recording is processed it says where the live stands. An item
 * still without its file says so (`shownStatus`; `hasMaster` where the page knows it).
 */
export function processingState(
  lang: Lang,
  item: Pick<MediaItem, "status" | "progress" | "statusReason"> & {
    live?: { state: LiveState } | null;
    hasMaster?: boolean;
  },
  retrying = false,
): Html {
  if (item.live && item.status === "uploaded" && !retrying) {
    const { state } = item.live;
    return html`<span class="status live-${state}">${t(lang, `editor.live.state.${state}`)}</span>`;
  }
  if (retrying && item.status !== "ready") {
    const label = t(lang, "editor.status.retrying");
    return html`<span class="status processing">${label}${reasonAfter(lang, item.statusReason)}</span>`;
  }
  const shown = shownStatus(item, item.hasMaster);
  const label = t(lang, `editor.status.${shown}`);
  if (item.status === "processing") {
    return html`<span class="status processing">${label} <progress max="100" value="${item.progress}" aria-label="${label}">${item.progress} %</progress> <span data-progress-value>${item.progress}</span> %</span>`;
  }
  if (item.status === "failed") {
    return html`<span class="status failed">${label}${reasonAfter(lang, item.statusReason)}</span>`;
  }
  return html`<span class="status ${shown}">${label}</span>`;
}

/** Draft, published, or published but held back until the embargo time. */
export function publicationState(
  lang: Lang,
  item: { publishedAt: Date | null; embargoUntil?: Date | null },
  now: Date,
): Html {
  if (!item.publishedAt) return html`<span class="state draft">${t(lang, "editor.state.draft")}</span>`;
  if (item.embargoUntil && item.embargoUntil > now) {
    return html`<span class="state embargoed">${t(lang, "editor.state.embargoed")}</span>`;
  }
  return html`<span class="state published">${t(lang, "editor.state.published")}</span>`;
}

/** An item's title in the page's language, or the other, or its number when it has none yet. */
export function itemTitle(lang: Lang, item: Pick<MediaItem, "id" | "title">): string {
  return (
    item.title[lang] ||
    item.title[lang === "en" ? "fr" : "en"] ||
    t(lang, "editor.item.untitled", { id: item.id })
  );
}

export function eventTitle(lang: Lang, event: { id: number; title: { en: string; fr: string } }): string {
  return (
    event.title[lang] ||
    event.title[lang === "en" ? "fr" : "en"] ||
    t(lang, "editor.event.untitled", { id: event.id })
  );
}

/** The kind's name; a kind this version does not know (added by an import) shows as stored. */
export function kindLabel(lang: Lang, kind: string): string {
  return tDynamic(lang, `editor.kind.${kind}`).replace(/^editor\.kind\./, "");
}

/** ": the file ends in the middle of a frame", in the page's language (French sets off its colon). */
function reasonAfter(lang: Lang, reason: StatusReason | null): string {
  const text = statusReasonText(lang, reason);
  return text ? `${colon(lang)} ${text}` : "";
}
