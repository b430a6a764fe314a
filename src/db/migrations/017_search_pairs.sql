-- A phrase of common words that few items hold ("defence spending" in quotes: both words in 12,000
-- items, the phrase in 529) made search read every document holding both words for their positions,
-- which the GIN index does not keep: 0.3–1.4 s at 10 M words (issue 10, docs/SEARCH.md). Each
-- document now also lists its adjacent word pairs ("defenc spend"), indexed: a phrase's pairs
-- narrow the candidates to a posting list, and only those documents are read for the phrase.

-- The adjacent pairs of a document, "lexeme lexeme" (a lexeme holds no space). Built from the
-- positions the phrase operator reads, so a document the phrase matches always holds its pairs.
CREATE FUNCTION pr_word_pairs(doc tsvector) RETURNS text[]
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  RETURN (
    SELECT coalesce(array_agg(DISTINCT a.lexeme || ' ' || b.lexeme), '{}')
    FROM (SELECT lexeme, unnest(positions) AS pos FROM unnest(doc)) a
    JOIN (SELECT lexeme, unnest(positions) AS pos FROM unnest(doc)) b ON b.pos = a.pos + 1);

-- The pairs a phrase needs in one language's reading, all of them (AND); NULL when that reading
-- has no two words side by side ("secretary of state": a stop word between): it needs no pair.
CREATE FUNCTION pr_pairs_reading(config regconfig, term text) RETURNS tsquery
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  RETURN (
    SELECT string_agg('''' || replace(replace(p, '\', '\\'), '''', '''''') || '''', ' & ')::tsquery
    FROM unnest(pr_word_pairs(to_tsvector(config, term))) p);

-- What a document must hold for pr_term_query(term, true) to match it, as pairs: the same readings
-- (a reading without words is left out, as there). NULL: nothing to narrow with.
CREATE FUNCTION pr_pair_query(term text) RETURNS tsquery
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  RETURN (
    SELECT CASE
      WHEN length(to_tsvector('pr_english', term)) = 0 THEN fr
      WHEN length(to_tsvector('pr_french', term)) = 0 THEN en
      ELSE en || fr END
    FROM (SELECT pr_pairs_reading('pr_english', term) AS en, pr_pairs_reading('pr_french', term) AS fr) AS t);

-- Kept with full_doc by the database itself: every way a document is written stays in step.
ALTER TABLE search_documents ADD COLUMN pairs_doc tsvector
  GENERATED ALWAYS AS (array_to_tsvector(pr_word_pairs(full_doc))) STORED;
CREATE INDEX search_documents_pairs ON search_documents USING gin (pairs_doc);
