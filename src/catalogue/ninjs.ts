import { type ClipFormat, clipFile, deliveryFormat, formatsForMaster } from "../media/formats.ts";
import type { PhotoInfo } from "../media/photo.ts";
import type { MasterInfo } from "../media/probe.ts";
import { type Lang, t, tDynamic } from "../web/i18n.ts";
import { canPlay, isEmbargoed, isVisible, utcLabel } from "./access.ts";
import { previewContentType } from "./media-types.ts";
import type { ItemFacts, RecordTimes } from "./ninjs-store.ts";
import { type Localized, localized, type Master } from "./types.ts";
import { absolute, mediaUrl } from "./urls.ts";
import type { EventDetail, EventSummary, ItemCard, ItemDetail, Viewer } from "./view-models.ts";
import { kindLabel, timecodeLabel } from "./views/format.ts";

/**
 * Items and events as IPTC ninjs 3.1 documents (https://iptc.org/standards/ninjs/), for newsroom
 * systems that take news in that form. Only properties the schema defines, each from our data.
 * - One document is in one language (ninjs 3.1 has a single `language`, none per headline):
 *   the one asked for, as for the JSON's links.
 * - `uri` is the item's (or event's) address in this API, the same in both languages.
 * - The same access rules as the JSON (access.ts): an embargoed item is a `partial` document with
 *   `embargoedUntil` and an editorial note, without renditions or transcript until it lifts.
 * - Renditions are the download API's formats (a login and accepted terms are needed to fetch
 *   them: `rightsInfo` links the terms) and the public previews.
 * test/catalogue/ninjs.test.ts validates the documents against the schema.
 */

export const NINJS_MEDIA_TYPE = "application/ninjs+json";
const SCHEMA_URI = "http://www.iptc.org/std/ninjs/ninjs-schema_3.1.json";

type Links = { publicUrl: string; lang: Lang };

type Text = { role?: string; contentType?: string; value: string };
type Entity = { name: string; rel?: string; uri?: string; literal?: string };

export type NinjsRendition = {
  name: string;
  href?: string;
  contentType?: string;
  title?: string;
  width?: number;
  height?: number;
  sizeInBytes?: number;
  duration?: number;
  frameRate?: number;
};

export type NinjsDocument = {
  standard?: { name: string; version: string; schema: string };
  uri: string;
  type?: "video" | "audio" | "picture" | "event";
  representationType?: "full" | "partial";
  firstCreated?: string;
  versionCreated?: string;
  contentCreated?: string;
  embargoedUntil?: string;
  pubStatus?: "usable" | "withheld";
  copyrightHolder?: string;
  usageTerms?: string;
  edNote?: string;
  language?: string;
  title?: string;
  located?: string;
  headlines?: Text[];
  descriptions?: Text[];
  bodies?: Text[];
  people?: Entity[];
  places?: Entity[];
  genres?: Omit<Entity, "rel">[];
  events?: Entity[];
  eventDetails?: { dates: { startDate: string; endDate?: string } };
  rightsInfo?: { linkedRights: string };
  renditions?: NinjsRendition[];
  associations?: (NinjsDocument & { name: string; rel?: string })[];
};

const ninjsTypes = { video: "video", audio: "audio", photo: "picture" } as const;

export const itemUri = (publicUrl: string, id: number) => absolute(publicUrl, `/api/v1/items/${id}`);
export const eventUri = (publicUrl: string, slug: string) =>
  absolute(publicUrl, `/api/v1/events/${encodeURIComponent(slug)}`);

/** A media item: its texts, the event it belongs to, and (when it may play) its files and transcript. */
export function itemNinjs(links: Links, viewer: Viewer, item: ItemDetail, facts: ItemFacts): NinjsDocument {
  const { lang } = links;
  const text = (value: Localized) => localized(value, lang).text;
  const playable = canPlay(item, viewer);
  const event = item.event && (item.event.published || viewer.editor) ? item.event : null;
  const embargo = isEmbargoed(item, viewer.now) && item.embargoUntil;
  return compact({
    standard: { name: "ninjs", version: "3.1", schema: SCHEMA_URI },
    ...itemCore(links, viewer, item),
    representationType: playable ? "full" : "partial",
    firstCreated: facts.createdAt.toISOString(),
    versionCreated: facts.updatedAt.toISOString(),
    copyrightHolder: item.credit,
    usageTerms: text(item.usageTerms),
    rightsInfo: { linkedRights: absolute(links.publicUrl, `/${lang}/terms`) },
    edNote: embargo
      ? `${t(lang, "error.embargoed", { until: utcLabel(embargo) })} ${t(lang, "item.embargo_text")}`
      : "",
    language: lang,
    descriptions: textOf("summary", text(item.description)),
    bodies: [...transcriptBody(item), ...textOf("shotlist", text(item.shotList))],
    people: item.speakers.map((name) => ({ name, rel: "speaker" })),
    located: event ? text(event.place) : "",
    places: event && text(event.place) ? [{ name: text(event.place) }] : [],
    events: event
      ? [
          {
            name: text(event.title),
            rel: "coverage",
            uri: eventUri(links.publicUrl, event.slug),
            literal: event.slug,
          },
        ]
      : [],
    renditions: playable
      ? [...downloadRenditions(links, item, facts.master), ...previewRenditions(links, item)]
      : [],
    associations: event ? [{ name: "event", rel: "coverage", ...eventCore(links, event) }] : [],
  });
}

/** An event with its visible items as associations (their own documents carry their files). */
export function eventNinjs(
  links: Links,
  viewer: Viewer,
  event: EventDetail,
  times: RecordTimes,
): NinjsDocument {
  const text = (value: Localized) => localized(value, links.lang).text;
  const core = eventCore(links, {
    ...event,
    published: isVisible(event, { ...viewer, editor: false }),
  });
  return compact({
    standard: { name: "ninjs", version: "3.1", schema: SCHEMA_URI },
    ...core,
    representationType: "full",
    firstCreated: times.createdAt.toISOString(),
    versionCreated: times.updatedAt.toISOString(),
    language: links.lang,
    located: text(event.place),
    descriptions: textOf("summary", text(event.summary)),
    bodies: textOf("text", text(event.body)),
    eventDetails: {
      dates: {
        startDate: event.startsAt.toISOString(),
        ...(event.endsAt ? { endDate: event.endsAt.toISOString() } : {}),
      },
    },
    associations: event.items.map((item) => ({
      name: text(item.title) || `${item.id}`,
      rel: "coverage",
      ...compact(itemCore(links, viewer, item)),
    })),
  });
}

/** What both an item's document and an event's association say of an item. */
function itemCore(links: Links, viewer: Viewer, item: ItemCard): NinjsDocument {
  const text = (value: Localized) => localized(value, links.lang).text;
  return {
    uri: itemUri(links.publicUrl, item.id),
    type: ninjsTypes[item.mediaType],
    pubStatus: isVisible(item, { ...viewer, editor: false }) ? "usable" : "withheld",
    contentCreated: item.recordedAt?.toISOString(),
    embargoedUntil: item.embargoUntil?.toISOString(),
    headlines: textOf("main", text(item.title)),
    genres: [{ name: kindLabel(links.lang, item.kind), literal: item.kind }],
    // An association shows the previews; the item's own document adds the downloads.
    renditions: canPlay(item, viewer) ? previewRenditions(links, item) : [],
  };
}

/** What both an event's document and an item's association say of an event. */
function eventCore(links: Links, event: EventSummary): NinjsDocument {
  const text = (value: Localized) => localized(value, links.lang).text;
  return compact({
    uri: eventUri(links.publicUrl, event.slug),
    type: "event",
    pubStatus: event.published ? "usable" : "withheld",
    title: text(event.title),
    eventDetails: { dates: { startDate: event.startsAt.toISOString() } },
    places: text(event.place) ? [{ name: text(event.place) }] : [],
  });
}

/**
 * The transcript as one line per sentence, "10:00:04:00 Marie Dubois (Radio France): …": the
 * master's own timecode, as the item page and editing systems show it.
 */
function transcriptBody(item: ItemDetail): Text[] {
  if (item.transcript.length === 0) return [];
  const lines = item.transcript.map((s) => {
    const who = s.speaker ? `${s.speaker}${s.questionerOutlet ? ` (${s.questionerOutlet})` : ""}: ` : "";
    const at = s.startSeconds === null ? "" : `${timecodeLabel(s.startSeconds, item.master)} `;
    return `${at}${who}${s.text}`;
  });
  return [{ role: "transcript", contentType: "text/plain", value: lines.join("\n") }];
}

/** The download API's formats for this master, each a link to its whole file. */
function downloadRenditions(links: Links, item: ItemDetail, master: Master | null): NinjsRendition[] {
  if (item.status !== "ready" || !master?.probe) return [];
  const href = (format: string) =>
    absolute(links.publicUrl, `/api/v1/items/${item.id}/download?format=${format}`);
  if (item.mediaType === "photo") {
    const photo = master.probe as PhotoInfo;
    const original: NinjsRendition = {
      name: "original",
      href: href("original"),
      contentType: photoTypes[photo.format] ?? "application/octet-stream",
      title: t(links.lang, "downloads.format.photo_original"),
      width: photo.width,
      height: photo.height,
      sizeInBytes: master.bytes,
    };
    if (!item.renditions.web) return [original];
    const web = { name: "web", href: href("web"), contentType: "image/jpeg" };
    return [original, { ...web, title: t(links.lang, "downloads.format.web") }];
  }
  const info = master.probe as MasterInfo;
  const hasSound = (info.audio?.length ?? 0) > 0;
  const formats = formatsForMaster({ hasVideo: item.mediaType !== "audio", hasSound });
  return formats.map((format) => clipRendition(links, item, master, format, href(format)));
}

function clipRendition(
  links: Links,
  item: ItemDetail,
  master: Master,
  format: ClipFormat,
  href: string,
): NinjsRendition {
  const info = master.probe as MasterInfo;
  const video = deliveryFormat(format).kind === "video" ? info.video : undefined;
  const rate = video?.frameRate;
  return compact({
    name: format,
    href,
    contentType: clipFile(format, info).contentType,
    title: tDynamic(links.lang, `downloads.format.${format}`),
    width: video?.width,
    height: video?.height,
    // The whole original, all tracks, is the stored master itself.
    sizeInBytes: format === "original" ? master.bytes : undefined,
    duration: item.durationSeconds ?? info.durationSeconds,
    frameRate: rate ? rate.num / rate.den : undefined,
  });
}

/** The public previews (no login): HLS and MP4 for video and sound, the web size of a photo, the poster. */
function previewRenditions(links: Links, item: ItemCard): NinjsRendition[] {
  const names = { hls: "preview-hls", mp4: "preview-mp4", web: "preview-web", poster: "poster" };
  const out: NinjsRendition[] = [];
  for (const [kind, name] of Object.entries(names)) {
    const key = item.renditions[kind];
    const url = mediaUrl(item.id, key);
    const contentType = key ? previewContentType(key) : null;
    if (!url || !contentType) continue;
    const duration = kind === "hls" || kind === "mp4" ? (item.durationSeconds ?? undefined) : undefined;
    out.push(compact({ name, href: absolute(links.publicUrl, url), contentType, duration }));
  }
  return out;
}

const photoTypes: Record<string, string> = { jpeg: "image/jpeg", png: "image/png", tiff: "image/tiff" };

function textOf(role: string, value: string): Text[] {
  return value.trim() ? [{ role, contentType: "text/plain", value }] : [];
}

/**
 * Leaves out what we have nothing for (undefined, "", []), rather than writing empty values
 * a receiving system would take for data.
 */
function compact<T extends object>(value: T): T {
  const kept = Object.entries(value).filter(
    ([, v]) => v !== undefined && v !== "" && !(Array.isArray(v) && v.length === 0),
  );
  return Object.fromEntries(kept) as T;
}
