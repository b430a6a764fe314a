-- The language a sentence is said in, when it is not its transcript's (issue 11: a bilingual
-- event's as-delivered text, English paragraphs in the French transcript). `lang` stays the
-- transcript the sentence belongs to (its captions, its timing state); NULL here means the
-- sentence is said in that language. Pages mark the sentence with it, so a screen reader
-- pronounces it in its own language, and the API gives it as `spokenLang`.
ALTER TABLE transcript_segments ADD COLUMN spoken_lang text CHECK (spoken_lang IN ('en', 'fr'));

-- Its words are read in that language too: "increasing" in an English paragraph of a French
-- transcript is found by "increase" (French stemming kept it whole). The sentence index and the
-- items' documents (009_search.sql, whose function is repeated here with that one change).
ALTER TABLE transcript_segments DROP COLUMN tsv;
ALTER TABLE transcript_segments ADD COLUMN tsv tsvector GENERATED ALWAYS AS (
  CASE WHEN coalesce(spoken_lang, lang) = 'fr' THEN to_tsvector('pr_french', text)
    ELSE to_tsvector('pr_english', text) END) STORED;
CREATE INDEX transcript_segments_tsv ON transcript_segments USING gin (tsv);

CREATE OR REPLACE FUNCTION pr_refresh_search_documents(ids integer[]) RETURNS void
  LANGUAGE sql AS $$
  INSERT INTO search_documents (item_id, published_at, embargo_until, available_at, dated_at, kind, media_type,
    event_id, speakers, languages, title_doc, head_doc, full_doc)
  SELECT m.id, m.published_at, m.embargo_until, greatest(m.published_at, m.embargo_until),
    coalesce(m.recorded_at, e.starts_at), m.kind, m.media_type, m.event_id, m.speakers, m.languages,
    d.title_doc, d.head_doc, d.head_doc || coalesce(t.doc, ''::tsvector)
  FROM media_items m
  LEFT JOIN events e ON e.id = m.event_id AND e.published_at IS NOT NULL
  CROSS JOIN LATERAL (SELECT
      to_tsvector('pr_english', m.title_en || ' ' || array_to_string(m.speakers, ' '))
        || to_tsvector('pr_french', m.title_fr) AS title_doc) AS td
  CROSS JOIN LATERAL (SELECT td.title_doc,
      td.title_doc
        || to_tsvector('pr_english', coalesce(e.title_en || ' ' || e.place_en, ''))
        || to_tsvector('pr_french', coalesce(e.title_fr || ' ' || e.place_fr, ''))
        || to_tsvector('pr_english', m.description_en || ' ' || m.shot_list_en)
        || to_tsvector('pr_french', m.description_fr || ' ' || m.shot_list_fr) AS head_doc) AS d
  LEFT JOIN LATERAL (SELECT
      to_tsvector('pr_english', coalesce(string_agg(DISTINCT s.speaker, ' '), ''))
      || to_tsvector('pr_english', coalesce(string_agg(s.text, ' ' ORDER BY s.position)
        FILTER (WHERE coalesce(s.spoken_lang, s.lang) = 'en'), ''))
      || to_tsvector('pr_french', coalesce(string_agg(s.text, ' ' ORDER BY s.position)
        FILTER (WHERE coalesce(s.spoken_lang, s.lang) = 'fr'), '')) AS doc
    FROM transcript_segments s WHERE s.media_item_id = m.id) AS t ON true
  WHERE m.id = ANY(ids)
  ON CONFLICT (item_id) DO UPDATE SET
    published_at = excluded.published_at, embargo_until = excluded.embargo_until,
    available_at = excluded.available_at, dated_at = excluded.dated_at, kind = excluded.kind,
    media_type = excluded.media_type, event_id = excluded.event_id, speakers = excluded.speakers,
    languages = excluded.languages, title_doc = excluded.title_doc, head_doc = excluded.head_doc,
    full_doc = excluded.full_doc;
$$;
