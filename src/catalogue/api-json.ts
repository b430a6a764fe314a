import { type Lang, tDynamic } from "../web/i18n.ts";
import { canPlay } from "./access.ts";
import type { Alignment } from "./alignment-store.ts";
import type { EventCard } from "./event-store.ts";
import { type LiveView, livePlaylistPath } from "./live.ts";
import type {
  EventJsonT,
  EventSummaryJsonT,
  ItemJsonT,
  ItemSummaryJsonT,
  LiveJsonT,
  TranscriptTimingJsonT,
} from "./schema.ts";
import { statusReasonText } from "./status-reason.ts";
import { type MediaItem, shownStatus, spokenLanguage } from "./types.ts";
import { absolute, eventPath, itemPath, mediaUrl, posterUrl, previewUrl } from "./urls.ts";
import type { EventSummary, ItemCard, ItemDetail, Viewer } from "./view-models.ts";

/** Domain values to the API's JSON; links are absolute, in the language asked for. */

type Links = { publicUrl: string; lang: Lang };

const iso = (d: Date | null) => (d === null ? null : d.toISOString());

export function eventSummaryJson(links: Links, e: EventSummary): EventSummaryJsonT {
  return {
    slug: e.slug,
    title: e.title,
    startsAt: e.startsAt.toISOString(),
    place: e.place,
    url: absolute(links.publicUrl, eventPath(links.lang, e.slug)),
  };
}

export function eventJson(links: Links, e: EventCard): EventJsonT {
  const poster = e.poster ? mediaUrl(e.poster.itemId, e.poster.key) : null;
  return {
    ...eventSummaryJson(links, { ...e, published: true }),
    endsAt: iso(e.endsAt),
    summary: e.summary,
    posterUrl: poster ? absolute(links.publicUrl, poster) : null,
  };
}

export function itemSummaryJson(links: Links, viewer: Viewer, item: ItemCard): ItemSummaryJsonT {
  const playable = canPlay(item, viewer) && item.status === "ready";
  const poster = canPlay(item, viewer) ? posterUrl(item) : null;
  const event = item.event && (item.event.published || viewer.editor) ? item.event : null;
  return {
    id: item.id,
    mediaType: item.mediaType,
    kind: item.kind,
    title: item.title,
    // A card does not carry its master: "uploaded" is then an item still without its file.
    status: shownStatus(item),
    recordedAt: iso(item.recordedAt),
    durationSeconds: item.durationSeconds,
    embargoUntil: iso(item.embargoUntil),
    playable,
    url: absolute(links.publicUrl, itemPath(links.lang, item.id)),
    posterUrl: poster ? absolute(links.publicUrl, poster) : null,
    event: event ? eventSummaryJson(links, event) : null,
  };
}

/** The fields of `itemTextsProperties`. */
export function itemTextsJson(item: MediaItem) {
  const { description, shotList, usageTerms, credit, speakers, languages } = item;
  return { description, shotList, usageTerms, credit, speakers, languages };
}

export function itemJson(links: Links, viewer: Viewer, item: ItemDetail): ItemJsonT {
  const summary = itemSummaryJson(links, viewer, item);
  const preview = summary.playable ? previewUrl(item) : null;
  const rate = item.master?.frameRate ?? null;
  return {
    ...summary,
    status: shownStatus(item, item.master !== null),
    ...itemTextsJson(item),
    // In English, as the OpenAPI description says: a program logs it, an editor reads the page.
    statusReason: item.status === "failed" ? statusReasonText("en", item.statusReason) : null,
    progress: item.progress,
    frameRate: rate ? { ...rate, fps: rate.num / rate.den } : null,
    startTimecode: item.master?.startTimecode ?? null,
    audioTracks: item.master?.audioTracks ?? [],
    previewUrl: preview ? absolute(links.publicUrl, preview) : null,
    transcript: item.transcript.map((s) => ({
      position: s.position,
      start: s.startSeconds,
      end: s.endSeconds,
      speaker: s.speaker,
      question: s.isQuestion,
      outlet: s.questionerOutlet,
      lang: s.lang,
      spokenLang: spokenLanguage(s),
      text: s.text,
      words: s.words ?? [],
      ...(viewer.editor && (s.timing === "unsure" || s.timing === "unspoken") ? { review: s.timing } : {}),
    })),
  };
}

/** An automatic timing request as editors read it: its state, and why it failed in their language. */
export function transcriptTimingJson(alignment: Alignment, lang: Lang): TranscriptTimingJsonT {
  return {
    lang: alignment.lang,
    state: alignment.state,
    progress: alignment.state === "aligned" ? 100 : alignment.progress,
    reason:
      alignment.state === "failed"
        ? {
            code: alignment.errorCode ?? "failed",
            message: tDynamic(lang, `align.${alignment.errorCode ?? "failed"}`, alignment.errorParams),
          }
        : null,
    requestedAt: alignment.requestedAt.toISOString(),
    finishedAt: alignment.finishedAt?.toISOString() ?? null,
  };
}

/** A live item's state; where its recording plays when the viewer may play it; for editors, its ingest. */
export function liveJson(links: Links, viewer: Viewer, item: ItemDetail, live: LiveView): LiveJsonT {
  const iso = (date: Date | null) => date?.toISOString() ?? null;
  return {
    state: live.state,
    scheduledAt: iso(live.scheduledAt),
    startedAt: iso(live.startedAt),
    endedAt: iso(live.endedAt),
    receivedSeconds: live.receivedSeconds,
    receiving: live.receiving,
    startTimecode: live.startTimecode,
    hls: canPlay(item, viewer) ? absolute(links.publicUrl, livePlaylistPath(item.id)) : null,
    ...(viewer.editor ? { ingest: live.ingest } : {}),
  };
}
