import { jsonColumn, stringOrNull } from "../db/columns.ts";
import type { Queryable } from "../db/database.ts";
import type { Lang } from "../web/i18n.ts";

/**
 * Table transcript_alignments: a text waiting to be timed against its item's audio, per language,
 * and how the timing went. The job (editor/alignment.ts) reads the text from here, so the
 * transcript in use changes only when a result is complete.
 */

/** The "transcript.align" job's id: one per item and language (editor/alignment.ts runs it). */
export const alignJobId = (itemId: number, lang: Lang) => `${itemId}-${lang}`;

export type AlignmentState = "aligning" | "aligned" | "failed";
export type Anchor = { sentence: number; startSeconds: number };

export type Alignment = {
  itemId: number;
  lang: Lang;
  revision: number;
  state: AlignmentState;
  progress: number;
  text: string;
  anchors: Anchor[];
  errorCode: string | null;
  errorParams: Record<string, string | number>;
  requestedAt: Date;
  finishedAt: Date | null;
};

function toAlignment(r: Record<string, unknown>): Alignment {
  return {
    itemId: Number(r.media_item_id),
    lang: r.lang === "fr" ? "fr" : "en",
    revision: Number(r.revision),
    state: r.state as AlignmentState,
    progress: Number(r.progress),
    text: String(r.text),
    anchors: jsonColumn<Anchor[]>(r.anchors, []),
    errorCode: stringOrNull(r.error_code),
    errorParams: jsonColumn<Record<string, string | number>>(r.error_params, {}),
    requestedAt: new Date(String(r.requested_at)),
    finishedAt: r.finished_at === null ? null : new Date(String(r.finished_at)),
  };
}

/** Asks for `text` to be timed; a request already there (running or not) gives way to this one. */
export async function requestAlignment(
  db: Queryable,
  input: { itemId: number; lang: Lang; text: string; anchors: Anchor[]; now: Date },
): Promise<Alignment> {
  const [row] = await db.query(
    `INSERT INTO transcript_alignments (media_item_id, lang, state, progress, text, anchors, requested_at)
     VALUES ($1, $2, 'aligning', 0, $3, $4::jsonb, $5)
     ON CONFLICT (media_item_id, lang) DO UPDATE SET revision = transcript_alignments.revision + 1,
       state = 'aligning', progress = 0, text = excluded.text, anchors = excluded.anchors,
       error_code = NULL, error_params = NULL, requested_at = excluded.requested_at, finished_at = NULL
     RETURNING *`,
    [input.itemId, input.lang, input.text, JSON.stringify(input.anchors), input.now],
  );
  return toAlignment(row as Record<string, unknown>);
}

export async function alignmentOf(db: Queryable, itemId: number, lang: Lang): Promise<Alignment | null> {
  const [row] = await db.query("SELECT * FROM transcript_alignments WHERE media_item_id = $1 AND lang = $2", [
    itemId,
    lang,
  ]);
  return row ? toAlignment(row) : null;
}

export async function alignmentsOf(db: Queryable, itemId: number): Promise<Alignment[]> {
  const rows = await db.query("SELECT * FROM transcript_alignments WHERE media_item_id = $1 ORDER BY lang", [
    itemId,
  ]);
  return rows.map(toAlignment);
}

/** Requests still waiting for their item's audio or a worker: what to queue once a master is there. */
export async function pendingAlignments(db: Queryable, itemId: number): Promise<Alignment[]> {
  const rows = await db.query(
    "SELECT * FROM transcript_alignments WHERE media_item_id = $1 AND state = 'aligning' ORDER BY lang",
    [itemId],
  );
  return rows.map(toAlignment);
}

/** Progress of the request of this revision (a newer request is not overwritten). */
export async function setAlignmentProgress(
  db: Queryable,
  key: { itemId: number; lang: Lang; revision: number },
  progress: number,
): Promise<void> {
  await db.query(
    `UPDATE transcript_alignments SET progress = $4
     WHERE media_item_id = $1 AND lang = $2 AND revision = $3 AND state = 'aligning'`,
    [key.itemId, key.lang, key.revision, Math.max(0, Math.min(99, Math.round(progress)))],
  );
}

/**
 * Ends the request of this revision; false when a newer request replaced it meanwhile (its result
 * must then not be stored). Locks the row, so the caller's transaction decides alone.
 */
export async function finishAlignment(
  db: Queryable,
  key: { itemId: number; lang: Lang; revision: number },
  outcome: { state: "aligned" } | { state: "failed"; code: string; params: Record<string, string | number> },
  now: Date,
): Promise<boolean> {
  const rows = await db.query(
    `UPDATE transcript_alignments SET state = $4, progress = CASE WHEN $4 = 'aligned' THEN 100 ELSE progress END,
       error_code = $5, error_params = $6::jsonb, finished_at = $7
     WHERE media_item_id = $1 AND lang = $2 AND revision = $3 AND state = 'aligning'
     RETURNING revision`,
    [
      key.itemId,
      key.lang,
      key.revision,
      outcome.state,
      outcome.state === "failed" ? outcome.code : null,
      outcome.state === "failed" ? JSON.stringify(outcome.params) : null,
      now,
    ],
  );
  return rows.length > 0;
}
