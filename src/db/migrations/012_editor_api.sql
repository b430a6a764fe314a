-- The editors' JSON API (issue 13) detects concurrent edits: each event, item and programme entry
-- has a version, its ETag, that every change moves on. A timestamp would not do: two saves in
-- the same millisecond (or under a test's frozen clock) would look like one.
ALTER TABLE events ADD COLUMN version integer NOT NULL DEFAULT 1;
ALTER TABLE media_items ADD COLUMN version integer NOT NULL DEFAULT 1;
ALTER TABLE programme_items ADD COLUMN version integer NOT NULL DEFAULT 1;

-- In the database rather than in each statement, so no writer (workspace, API, ingest, the demo,
-- a later feature) can change a row and leave its version behind.
CREATE FUNCTION pr_bump_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.version := OLD.version + 1;
  RETURN NEW;
END $$;
CREATE TRIGGER events_version BEFORE UPDATE ON events
  FOR EACH ROW EXECUTE FUNCTION pr_bump_version();
CREATE TRIGGER programme_items_version BEFORE UPDATE ON programme_items
  FOR EACH ROW EXECUTE FUNCTION pr_bump_version();
-- Not on `progress` alone: processing moves it every few seconds, and an editor's If-Match must
-- not fail for that; the status changes that start and end processing do count.
CREATE TRIGGER media_items_version BEFORE UPDATE OF event_id, media_type, kind, position, title_en, title_fr,
  description_en, description_fr, shot_list_en, shot_list_fr, usage_terms_en, usage_terms_fr, credit,
  speakers, languages, recorded_at, embargo_until, published_at, status, status_reason, duration_seconds
  ON media_items
  FOR EACH ROW EXECUTE FUNCTION pr_bump_version();

-- An event's answer holds its programme: adding, changing, moving or removing an entry is a
-- change of the event, once per statement (a new order moves every entry in one).
CREATE FUNCTION pr_programme_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE events SET version = version + 1
  WHERE id IN (SELECT event_id FROM changed_entries);
  RETURN NULL;
END $$;
CREATE TRIGGER programme_inserted AFTER INSERT ON programme_items
  REFERENCING NEW TABLE AS changed_entries FOR EACH STATEMENT EXECUTE FUNCTION pr_programme_changed();
CREATE TRIGGER programme_updated AFTER UPDATE ON programme_items
  REFERENCING NEW TABLE AS changed_entries FOR EACH STATEMENT EXECUTE FUNCTION pr_programme_changed();
CREATE TRIGGER programme_deleted AFTER DELETE ON programme_items
  REFERENCING OLD TABLE AS changed_entries FOR EACH STATEMENT EXECUTE FUNCTION pr_programme_changed();
