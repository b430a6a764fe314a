/**
 * Content types of the preview files, by extension. Anything else is refused rather than
 * guessed: these routes serve what the transcoder wrote, nothing an uploader chose.
 */
const types: Record<string, string> = {
  m3u8: "application/vnd.apple.mpegurl",
  m4s: "video/iso.segment",
  mp4: "video/mp4",
  m4a: "audio/mp4",
  ts: "video/mp2t",
  aac: "audio/aac",
  vtt: "text/vtt; charset=utf-8",
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
  png: "image/png",
  webp: "image/webp",
  json: "application/json",
  dat: "application/octet-stream",
};

export function previewContentType(key: string): string | null {
  const ext = /\.([a-z0-9]+)$/i.exec(key)?.[1]?.toLowerCase();
  return ext ? (types[ext] ?? null) : null;
}

/** Playlists and text tracks may be rewritten when an item is processed again; segments are not. */
export function isManifest(key: string): boolean {
  return /\.(m3u8|vtt|json)$/i.test(key);
}
