-- Live press conferences (issue 12). A live item is an ordinary media item that has no master yet:
-- the venue's encoder sends its stream (SRT or RTMP) with the item's key, the stream is stored as it
-- arrives in pieces of a few seconds (never re-encoded), and when the live ends the pieces, joined,
-- become the item's master.
CREATE TABLE live_streams (
  media_item_id integer PRIMARY KEY REFERENCES media_items (id) ON DELETE CASCADE,
  -- The encoder's key: SRT passphrase and RTMP stream name. Editors read it back (an encoder's
  -- settings are typed in again), so it is kept as it is, like any stream key in a dashboard.
  stream_key text NOT NULL UNIQUE,
  -- SRT listens on a port of its own per live item (an SRT listener has one passphrase).
  srt_port integer UNIQUE,
  state text NOT NULL DEFAULT 'waiting' CHECK (state IN ('waiting', 'live', 'ended')),
  scheduled_at timestamptz,
  -- When the first frame arrived: the recording's timecode is this time of day (UTC).
  started_at timestamptz,
  ended_at timestamptz,
  -- The recording's clock, from its first piece: the timecode on its first frame (the stream's own,
  -- or the time of day it arrived) and its frame rate ("25/1"). Clips taken while it is live and
  -- the master made at its end carry the same timecodes.
  start_timecode text,
  frame_rate text,
  -- The last time a piece arrived; the sender is "gone" after LIVE_SENDER_GONE_SECONDS without one.
  last_piece_at timestamptz,
  -- Renewed every second by the process receiving a connection, cleared when it has stored the last
  -- piece: the end of a live waits for it, so the recording's last seconds are not left out.
  receiving_at timestamptz,
  -- Bit rate, frame rate, dropped frames, codecs of the current connection (for the editor).
  health jsonb NOT NULL DEFAULT '{}',
  -- Why the stream cannot be recorded (no video, a codec we do not take): shown to the editor.
  problem text,
  -- Breaks in the recording (reconnections, a restart): [{"at": seconds, "missingSeconds": s}].
  gaps jsonb NOT NULL DEFAULT '[]',
  created_at timestamptz NOT NULL
);

-- The recording as it arrived: MPEG-TS pieces that each start on a keyframe. `start_seconds` is the
-- piece's place on the recording's timeline (pieces follow each other without overlap); a piece is
-- listed only once it is complete in storage, so a player or a clip never reads half a piece.
CREATE TABLE live_pieces (
  media_item_id integer NOT NULL REFERENCES media_items (id) ON DELETE CASCADE,
  seq integer NOT NULL,
  -- One connection of the encoder: a reconnection starts a new one (a discontinuity for players).
  connection integer NOT NULL,
  start_seconds double precision NOT NULL,
  duration_seconds double precision NOT NULL,
  storage_key text NOT NULL,
  bytes bigint NOT NULL,
  received_at timestamptz NOT NULL,
  PRIMARY KEY (media_item_id, seq)
);
