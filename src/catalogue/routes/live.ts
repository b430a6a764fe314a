import type { FastifyInstance } from "fastify";
import type { FeatureDeps } from "../../core/deps.ts";
import { UserError } from "../../core/errors.ts";
import { livePlaylist } from "../../media/live/playlist.ts";
import { parseId } from "../../web/ids.ts";
import { assertPlayable, viewerOf } from "../access.ts";
import { itemAccess } from "../item-store.ts";
import { findLiveStream, livePieces } from "../live-store.ts";
import { sendObject } from "./media.ts";

/**
 * A live item's recording as HLS while it is live (issue 12): the playlist lists the pieces
 * stored so far, from the start (the player can go back) to the live edge. Made from the
 * database on each request, so any web process serves it, not only the one receiving the stream.
 * Never cached by a shared cache: it changes every couple of seconds and may be embargoed.
 */
export function liveMediaRoutes(app: FastifyInstance, deps: FeatureDeps): void {
  app.get<{ Params: { id: string } }>("/media/items/:id/live.m3u8", async (request, reply) => {
    const id = await playableLive(deps, request, request.params.id);
    const stream = (await findLiveStream(deps.db, id))!;
    const pieces = await livePieces(deps.db, id);
    const text = livePlaylist(
      pieces.map((p) => ({
        connection: p.connection,
        durationSeconds: p.durationSeconds,
        uri: `live/${p.seq}.ts`,
      })),
      stream.state === "ended",
    );
    return reply
      .header("content-type", "application/vnd.apple.mpegurl")
      .header("cache-control", "no-cache")
      .send(text);
  });

  app.get<{ Params: { id: string; seq: string } }>("/media/items/:id/live/:seq", async (request, reply) => {
    const id = await playableLive(deps, request, request.params.id);
    const seq = /^(\d{1,9})\.ts$/.exec(request.params.seq)?.[1];
    const piece =
      seq === undefined ? undefined : (await livePieces(deps.db, id)).find((p) => p.seq === Number(seq));
    if (!piece) throw new UserError("not_found");
    // A piece never changes once listed; private, as the item may yet be embargoed or withdrawn.
    return sendObject(deps, request, reply, piece.storageKey, "video/mp2t", "private, max-age=3600");
  });
}

async function playableLive(
  deps: FeatureDeps,
  request: Parameters<typeof viewerOf>[0],
  rawId: string,
): Promise<number> {
  const id = parseId(rawId);
  if (id === null) throw new UserError("not_found");
  const access = await itemAccess(deps.db, id);
  if (!access) throw new UserError("item_not_found");
  assertPlayable(access, viewerOf(request, deps.now));
  if (!(await findLiveStream(deps.db, id))) throw new UserError("not_found");
  return id;
}
