-- The command line's imports (issue 13).

-- Items to publish as soon as their processing completes (`ingest --publish`, `import DIR` with
-- publish): the wish outlives a crash, and is taken in the transaction that marks the item ready.
CREATE TABLE publish_when_ready (
  media_item_id integer PRIMARY KEY REFERENCES media_items (id) ON DELETE CASCADE,
  requested_at timestamptz NOT NULL
);

-- Files `import DIR` took in, by the SHA-256 of their content: running the import again skips
-- them wherever the folder was copied to. Deleting the item forgets the file (it can come again).
CREATE TABLE imported_files (
  sha256 text PRIMARY KEY CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  media_item_id integer NOT NULL UNIQUE REFERENCES media_items (id) ON DELETE CASCADE,
  file_name text NOT NULL,
  imported_at timestamptz NOT NULL
);
