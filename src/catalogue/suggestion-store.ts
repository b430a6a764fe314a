import type { Queryable } from "../db/database.ts";

/** Suggestions as a visitor types in the search box: SQL over search_documents and events. */

export type SuggestionRow =
  | { type: "speaker"; name: string; count: number }
  | { type: "event"; slug: string; title: { en: string; fr: string } }
  | { type: "item"; id: number; title: { en: string; fr: string } };

/**
 * What the words typed so far may be heading for: speakers, events and titles whose words start
 * with the last word typed (and hold the ones before). `words` are plain words, letters and digits
 * only (the caller splits the input), so they can take the prefix operator; each list is a short,
 * index-ordered scan.
 */
export async function suggestionRows(
  db: Queryable,
  input: { now: Date; words: string[]; perType: number },
): Promise<SuggestionRow[]> {
  const { words } = input;
  if (words.length === 0) return [];
  const last = words.length + 2;
  const done = words.slice(0, -1).map((_, i) => `pr_term_query($${i + 3}::text, false)`);
  const prefix = `(to_tsquery('pr_english', $${last}::text || ':*') || to_tsquery('pr_french', $${last}::text || ':*'))`;
  // Written out where used (not in a CTE) so the planner sees how common the prefix is: a common
  // one walks the recency index and stops at the limit, a rare one takes the posting list.
  const query = `(${[...done, prefix].join(" && ")})`;
  const rows = await db.query(
    `WITH matching AS MATERIALIZED (
       SELECT d.item_id, d.speakers, d.available_at FROM search_documents d
       WHERE d.title_doc @@ ${query} AND d.published_at <= $1
       ORDER BY d.available_at DESC, d.item_id DESC LIMIT 200
     )
     SELECT 'speaker' AS type, sp AS name, count(*) AS n, NULL::text AS slug, NULL::int AS id,
       NULL::text AS title_en, NULL::text AS title_fr, 0 AS ord
     FROM (SELECT sp FROM matching, unnest(matching.speakers) sp WHERE pr_both_tsvector(sp) @@ ${query}) s
     GROUP BY sp
     UNION ALL
     (SELECT 'event', NULL, 0, e.slug, NULL, e.title_en, e.title_fr, 1 FROM events e
      WHERE e.published_at <= $1 AND e.title_search @@ ${query}
      ORDER BY e.starts_at DESC LIMIT $2)
     UNION ALL
     (SELECT 'item', NULL, 0, NULL, m.id, m.title_en, m.title_fr, 2 FROM matching
        JOIN media_items m ON m.id = matching.item_id
      WHERE (to_tsvector('pr_english', m.title_en) || to_tsvector('pr_french', m.title_fr)) @@ ${query}
      ORDER BY matching.available_at DESC LIMIT $2)
     ORDER BY ord, n DESC, name`,
    [input.now, input.perType, ...words],
  );
  const speakers = rows.filter((r) => r.type === "speaker").slice(0, input.perType);
  return [...speakers, ...rows.filter((r) => r.type !== "speaker")].map((r): SuggestionRow => {
    const title = { en: String(r.title_en ?? ""), fr: String(r.title_fr ?? "") };
    if (r.type === "speaker") return { type: "speaker", name: String(r.name), count: Number(r.n) };
    if (r.type === "event") return { type: "event", slug: String(r.slug), title };
    return { type: "item", id: Number(r.id), title };
  });
}
