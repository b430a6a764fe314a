-- A new-event or new-item form sent twice (a double click, a browser sending it again) made two
-- rows (found by hand, docs/qa/editor-2026-12-07.md L1). The workspace's form now carries a
-- one-time token that the row it made keeps: a second post with the same token finds that row
-- instead of making another (editor/events.ts, editor/items.ts). Null for rows made without one
-- (the API, the CLI, ingest, the demo): a unique column takes any number of nulls.
ALTER TABLE events ADD COLUMN form_token text UNIQUE;
ALTER TABLE media_items ADD COLUMN form_token text UNIQUE;
