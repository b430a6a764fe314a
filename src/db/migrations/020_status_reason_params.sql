-- Why an item's processing failed, said in the reader's language: status_reason now holds a
-- message key ("error.corrupt_media", "ingest.reason.no_master") and this its parameters, so the
-- French workspace no longer shows an English sentence (or, for an unexpected error, its text).
-- Rows written before keep their English sentence in status_reason and no parameters.
ALTER TABLE media_items ADD COLUMN status_reason_params jsonb;
