-- Search across the archive (issue 10). One row per media item holds what search reads, so a
-- query touches one narrow table and its indexes whatever the size of the archive:
--   title_doc  titles and speakers: a match here ranks first, and suggestions read it;
--   head_doc   title_doc, the event's title and place, description and shot list;
--   full_doc   head_doc and the transcript (text and who spoke). An item matches when every word
--              of the query is somewhere in it, not necessarily in one sentence.
-- An item under embargo is searched by head_doc only: its transcript must not make it match.
-- The rows are kept up to date by the triggers below, so no code path (editor, ingest, the
-- bench's SQL seeding) can forget them. The filter columns are copies for the same reason:
-- a query filters and orders without reading media_items.

CREATE TABLE search_documents (
  item_id integer PRIMARY KEY REFERENCES media_items (id) ON DELETE CASCADE,
  published_at timestamptz,
  embargo_until timestamptz,
  -- When the item became (or becomes) available: published, or its embargo lifted.
  available_at timestamptz,
  -- The recording date, or the event's: what "from"/"to", the year and "sort by date" use.
  dated_at timestamptz,
  kind text NOT NULL,
  media_type text NOT NULL,
  event_id integer,
  speakers text[] NOT NULL,
  languages text[] NOT NULL,
  title_doc tsvector NOT NULL,
  head_doc tsvector NOT NULL,
  full_doc tsvector NOT NULL
);
-- Transcripts make full_doc large: kept out of line, uncompressed, so ranking reads it without
-- decompressing (a few tens of kB per hour of speech).
ALTER TABLE search_documents ALTER COLUMN full_doc SET STORAGE EXTERNAL;
CREATE INDEX search_documents_title ON search_documents USING gin (title_doc);
CREATE INDEX search_documents_head ON search_documents USING gin (head_doc);
CREATE INDEX search_documents_full ON search_documents USING gin (full_doc);
CREATE INDEX search_documents_available ON search_documents (available_at DESC, item_id DESC)
  WHERE published_at IS NOT NULL;

-- Both languages' analysis of a text: English and French stems, accents and case ignored.
CREATE FUNCTION pr_both_tsvector(body text) RETURNS tsvector
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  RETURN to_tsvector('pr_english', body) || to_tsvector('pr_french', body);

-- One word or "phrase" of a query, as either language reads it. A word that is a stop word in
-- either language asks for nothing ("the", "de"): otherwise "the" would have to occur as a
-- French word. A phrase keeps whichever reading has words.
CREATE FUNCTION pr_term_query(term text, phrase boolean) RETURNS tsquery
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  RETURN (
    SELECT CASE
      WHEN phrase AND numnode(en) = 0 THEN fr
      WHEN phrase AND numnode(fr) = 0 THEN en
      WHEN numnode(en) = 0 OR numnode(fr) = 0 THEN ''::tsquery
      ELSE en || fr END
    FROM (SELECT
      CASE WHEN phrase THEN phraseto_tsquery('pr_english', term) ELSE plainto_tsquery('pr_english', term) END AS en,
      CASE WHEN phrase THEN phraseto_tsquery('pr_french', term) ELSE plainto_tsquery('pr_french', term) END AS fr) AS t);

CREATE FUNCTION pr_refresh_search_documents(ids integer[]) RETURNS void
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
        FILTER (WHERE s.lang = 'en'), ''))
      || to_tsvector('pr_french', coalesce(string_agg(s.text, ' ' ORDER BY s.position)
        FILTER (WHERE s.lang = 'fr'), '')) AS doc
    FROM transcript_segments s WHERE s.media_item_id = m.id) AS t ON true
  WHERE m.id = ANY(ids)
  ON CONFLICT (item_id) DO UPDATE SET
    published_at = excluded.published_at, embargo_until = excluded.embargo_until,
    available_at = excluded.available_at, dated_at = excluded.dated_at, kind = excluded.kind,
    media_type = excluded.media_type, event_id = excluded.event_id, speakers = excluded.speakers,
    languages = excluded.languages, title_doc = excluded.title_doc, head_doc = excluded.head_doc,
    full_doc = excluded.full_doc;
$$;

-- Items: every insert, and updates of what search reads (not progress or status, which change
-- every few seconds while an item is processed).
CREATE FUNCTION pr_search_item_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pr_refresh_search_documents(ARRAY[NEW.id]);
  RETURN NULL;
END $$;
CREATE TRIGGER search_item_inserted AFTER INSERT ON media_items
  FOR EACH ROW EXECUTE FUNCTION pr_search_item_changed();
CREATE TRIGGER search_item_updated AFTER UPDATE OF event_id, kind, media_type, title_en, title_fr,
  description_en, description_fr, shot_list_en, shot_list_fr, speakers, languages, recorded_at, embargo_until,
  published_at ON media_items
  FOR EACH ROW EXECUTE FUNCTION pr_search_item_changed();

-- Transcripts are replaced whole (delete, then insert): once per statement, not per sentence.
CREATE FUNCTION pr_search_segments_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pr_refresh_search_documents(ARRAY(SELECT DISTINCT media_item_id FROM new_segments));
  RETURN NULL;
END $$;
CREATE FUNCTION pr_search_segments_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pr_refresh_search_documents(ARRAY(SELECT DISTINCT media_item_id FROM old_segments));
  RETURN NULL;
END $$;
CREATE FUNCTION pr_search_segments_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pr_refresh_search_documents(ARRAY(SELECT DISTINCT media_item_id FROM new_segments));
  RETURN NULL;
END $$;
CREATE TRIGGER search_segments_inserted AFTER INSERT ON transcript_segments
  REFERENCING NEW TABLE AS new_segments FOR EACH STATEMENT EXECUTE FUNCTION pr_search_segments_inserted();
CREATE TRIGGER search_segments_deleted AFTER DELETE ON transcript_segments
  REFERENCING OLD TABLE AS old_segments FOR EACH STATEMENT EXECUTE FUNCTION pr_search_segments_deleted();
CREATE TRIGGER search_segments_updated AFTER UPDATE ON transcript_segments
  REFERENCING NEW TABLE AS new_segments FOR EACH STATEMENT EXECUTE FUNCTION pr_search_segments_updated();

-- An event's words and date belong to its items' documents.
CREATE FUNCTION pr_search_event_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pr_refresh_search_documents(ARRAY(SELECT id FROM media_items WHERE event_id = NEW.id));
  RETURN NULL;
END $$;
CREATE TRIGGER search_event_updated AFTER UPDATE OF title_en, title_fr, place_en, place_fr, starts_at,
  published_at ON events
  FOR EACH ROW EXECUTE FUNCTION pr_search_event_changed();

SELECT pr_refresh_search_documents(ARRAY(SELECT id FROM media_items));

-- "Latest" lists items by when they became available.
CREATE INDEX media_items_available ON media_items ((greatest(published_at, embargo_until)) DESC, id DESC)
  WHERE published_at IS NOT NULL;
-- It served "Latest" by recording date, which the index above replaces.
DROP INDEX IF EXISTS media_items_latest;
