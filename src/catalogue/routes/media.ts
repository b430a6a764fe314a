import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { FeatureDeps } from "../../core/deps.ts";
import { UserError } from "../../core/errors.ts";
import { checkKey, InvalidStorageKey } from "../../storage/keys.ts";
import { RangeNotSatisfiable, StorageNotFound } from "../../storage/storage.ts";
import type { Lang } from "../../web/i18n.ts";
import { parseId } from "../../web/ids.ts";
import { sendStored } from "../../web/serve-stored.ts";
import { assertPlayable, canPlay, viewerOf } from "../access.ts";
import { captionsVtt } from "../captions.ts";
import { itemAccess } from "../item-store.ts";
import { isManifest, previewContentType } from "../media-types.ts";
import { transcriptOf } from "../transcript-store.ts";
import type { Renditions } from "../view-models.ts";
import { liveMediaRoutes } from "./live.ts";

/**
 * Preview files (HLS playlists and segments, MP4 preview, poster, storyboard, waveform, captions) streamed from
 * storage at /media/{storage key}. Playlists name their segments by relative URL, so URL and
 * key mirror each other below items/{id}/. Only an item's renditions are reachable: a key must
 * be a rendition or lie in the folder of its HLS or storyboard rendition, never the master.
 * Files stream through this process even from S3: the CSP allows media from 'self' only.
 */
export function mediaRoutes(deps: FeatureDeps) {
  return async (app: FastifyInstance) => {
    // The transcript as the player's captions, one track per language, under the item's rules.
    app.get<{ Params: { id: string; file: string } }>(
      "/media/items/:id/captions/:file",
      async (request, reply) => {
        const id = parseId(request.params.id);
        const lang = /^(en|fr)\.vtt$/.exec(request.params.file)?.[1] as Lang | undefined;
        if (id === null || !lang) throw new UserError("not_found");
        const access = await itemAccess(deps.db, id);
        if (!access) throw new UserError("item_not_found");
        const viewer = viewerOf(request, deps.now);
        assertPlayable(access, viewer);
        const cache = canPlay(access, { editor: false, now: viewer.now })
          ? "public, max-age=60"
          : "private, no-store";
        return reply
          .header("content-type", "text/vtt; charset=utf-8")
          .header("cache-control", cache)
          .send(captionsVtt(await transcriptOf(deps.db, id), lang));
      },
    );
    liveMediaRoutes(app, deps);
    app.get<{ Params: { id: string; "*": string } }>("/media/items/:id/*", async (request, reply) => {
      const id = parseId(request.params.id);
      const rest = request.params["*"];
      if (id === null || !isSafePath(rest)) throw new UserError("not_found");
      const key = `items/${id}/${rest}`;
      const access = await itemAccess(deps.db, id);
      if (!access) throw new UserError("item_not_found");
      const viewer = viewerOf(request, deps.now);
      assertPlayable(access, viewer);
      const type = previewContentType(key);
      if (!type || !isRenditionFile(id, key, access.renditions)) throw new UserError("not_found");
      // Public files are cached for a minute at most by default (MEDIA_CACHE_MAX_AGE): an item
      // withdrawn (unpublished, embargoed) must leave shared caches soon, and revalidating a
      // segment costs a 304. A playlist is never cached longer than a minute: a live's grows.
      const maxAge = Math.min(deps.config.httpCache.mediaMaxAgeSeconds, isManifest(key) ? 60 : Infinity);
      const cache = canPlay(access, { editor: false, now: viewer.now })
        ? `public, max-age=${maxAge}`
        : "private, no-store";
      return sendObject(deps, request, reply, key, type, cache);
    });
  };
}

/** Path segments as URLs carry them: no empty, dot-led ("..", ".tmp") or backslashed segment. */
function isSafePath(rest: string): boolean {
  if (!rest || rest.length > 512) return false;
  try {
    checkKey(rest);
    return true;
  } catch (error) {
    if (error instanceof InvalidStorageKey) return false;
    throw error;
  }
}

function isRenditionFile(id: number, key: string, renditions: Renditions): boolean {
  const itemFolder = `items/${id}/`;
  return Object.entries(renditions).some(([kind, renditionKey]) => {
    if (key === renditionKey) return true;
    if (kind !== "hls" && kind !== "storyboard") return false;
    const folder = renditionKey.slice(0, renditionKey.lastIndexOf("/") + 1);
    // A rendition lying directly in the item's folder would open it all, masters included.
    return folder.startsWith(itemFolder) && folder.length > itemFolder.length && key.startsWith(folder);
  });
}

/** A stored object with ranges; gone or replaced meanwhile is a 404, never a 5xx. */
export async function sendObject(
  deps: FeatureDeps,
  request: FastifyRequest,
  reply: FastifyReply,
  key: string,
  type: string,
  cache: string,
) {
  const stat = await deps.storage.stat(key);
  if (!stat) throw new UserError("not_found");
  try {
    return await sendStored(request, reply, deps.storage, key, stat, {
      contentType: type,
      cacheControl: cache,
    });
  } catch (error) {
    // Deleted or replaced between stat and read (an item being processed again).
    if (error instanceof StorageNotFound) throw new UserError("not_found");
    if (error instanceof RangeNotSatisfiable) {
      return reply.status(416).header("content-range", `bytes */${stat.size}`).send();
    }
    throw error;
  }
}
