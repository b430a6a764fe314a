-- Search at archive scale (issue 10, bench/SEARCH-PLANS.md): newest-first lists walk an index
-- instead of sorting every match, and suggestions match event titles without their bodies.
CREATE INDEX search_documents_dated ON search_documents (dated_at DESC NULLS LAST, item_id DESC)
  WHERE published_at IS NOT NULL;
ALTER TABLE events ADD COLUMN title_search tsvector GENERATED ALWAYS AS (
  to_tsvector('pr_english', title_en) || to_tsvector('pr_french', title_fr)) STORED;
CREATE INDEX events_title_search ON events USING gin (title_search);
