import type { Lang } from "../web/i18n.ts";
import type { Renditions } from "./view-models.ts";

/**
 * Where things are on the site. Preview files are served under /media/ at their storage key
 * (media-routes.ts), so an HLS playlist's relative segment URLs resolve to the right keys;
 * only keys under items/{id}/ have such a URL.
 */
export function mediaUrl(itemId: number, key: string | undefined): string | null {
  if (!key?.startsWith(`items/${itemId}/`)) return null;
  return `/media/${key.split("/").map(encodeURIComponent).join("/")}`;
}

export function previewUrl(item: { id: number; renditions: Renditions }): string | null {
  return mediaUrl(item.id, item.renditions.hls);
}

/** The single-file MP4 preview: the <video>'s fallback where HLS does not play (no JavaScript). */
export function mp4PreviewUrl(item: { id: number; renditions: Renditions }): string | null {
  return mediaUrl(item.id, item.renditions.mp4);
}

/** The transcript's sentences in one language as WebVTT captions (media-routes.ts). */
export function captionsUrl(itemId: number, lang: Lang): string {
  return `/media/items/${itemId}/captions/${lang}.vtt`;
}

/** The picture that stands for an item: its poster, or for a photo its web size. */
export function posterUrl(item: { id: number; renditions: Renditions }): string | null {
  const r = item.renditions;
  return mediaUrl(item.id, r.poster ?? r.thumbnail ?? r.web ?? r.large);
}

/** A photo at the size a gallery shows it full width. */
export function photoUrl(item: { id: number; renditions: Renditions }): string | null {
  const r = item.renditions;
  return mediaUrl(item.id, r.web ?? r.large ?? r.poster ?? r.thumbnail);
}

/** `?t=` opens the player at that moment; search results and transcript links use it. */
export function itemPath(lang: Lang, id: number, seconds?: number | null): string {
  const t =
    seconds === undefined || seconds === null ? "" : `?t=${Math.max(0, Math.round(seconds * 1000) / 1000)}`;
  return `/${lang}/items/${id}${t}`;
}

export function eventPath(lang: Lang, slug: string): string {
  return `/${lang}/events/${encodeURIComponent(slug)}`;
}

export function absolute(publicUrl: string, path: string): string {
  return `${publicUrl}${path}`;
}
