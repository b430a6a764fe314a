import type { FastifyRequest } from "fastify";
import { alignmentsOf } from "../../catalogue/alignment-store.ts";
import { automaticTimings } from "../../catalogue/transcript-store.ts";
import type { Config } from "../../core/config.ts";
import { UserError, type UserErrorCode } from "../../core/errors.ts";
import type { Database } from "../../db/database.ts";
import type { JobQueue } from "../../db/jobs.ts";
import type { Lang } from "../../web/i18n.ts";
import type { LiveControl } from "../live.ts";
import { sentenceCount } from "../transcript-timing.ts";
import { idOf } from "../validate.ts";
import type { TimingStatus } from "../views/timing-status.ts";

/** The numeric id in a route parameter; anything else is a page that does not exist. */
export function routeId(request: FastifyRequest, name: string, notFound: UserErrorCode): number {
  const id = idOf((request.params as Record<string, unknown>)[name]);
  if (id === null) throw new UserError(notFound);
  return id;
}

export function queryOf(request: FastifyRequest): Record<string, string | undefined> {
  return request.query as Record<string, string | undefined>;
}

/** What every workspace page group gets: the features' dependencies, its language, the editors' time zone. */
export type EditorPages = {
  db: Database;
  /** Queues the background work a page starts (timing a transcript). */
  jobs: JobQueue;
  now: () => Date;
  lang: Lang;
  timeZone: string;
  /** The encoder addresses a live item's page shows are made from it (catalogue/live.ts). */
  config: Config;
  /** Making and ending live items (ingest's, handed in by the app); null: no live items here. */
  live: LiveControl | null;
};

/** How the automatic timing of an item's transcript went, for its pages (one query when never asked). */
export async function timingStatusOf(db: Database, itemId: number): Promise<TimingStatus> {
  const alignments = await alignmentsOf(db, itemId);
  if (alignments.length === 0) return { alignments, counts: {} };
  const timings = Object.entries(await automaticTimings(db, itemId));
  return {
    alignments,
    counts: Object.fromEntries(
      timings.map(([lang, { timed, flagged }]) => [lang, { timed, toCheck: sentenceCount(flagged) }]),
    ),
  };
}
