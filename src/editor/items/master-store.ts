import type { Queryable } from "../../db/database.ts";
import type { AudioTrack, MasterInfo } from "../../media/probe.ts";

export const audioLabels = ["floor", "en", "fr", "other"] as const;
export type AudioLabel = (typeof audioLabels)[number];

/** `index` is the track's place among the master's audio tracks (0 = first audio track). */
export type AudioTrackLabel = { index: number; label: AudioLabel };

export type MasterSummary = {
  originalName: string;
  bytes: number;
  audio: AudioTrack[];
  audioLabels: AudioTrackLabel[];
};

type MasterRow = {
  original_name: string;
  bytes: string | number;
  probe: MasterInfo | null;
  audio_labels: unknown;
};

export async function findMaster(db: Queryable, itemId: number): Promise<MasterSummary | null> {
  const rows = await db.query<MasterRow>(
    "SELECT original_name, bytes, probe, audio_labels FROM masters WHERE media_item_id = $1",
    [itemId],
  );
  const row = rows[0];
  if (!row) return null;
  return {
    originalName: row.original_name,
    bytes: Number(row.bytes),
    audio: row.probe?.audio ?? [],
    audioLabels: Array.isArray(row.audio_labels) ? (row.audio_labels as AudioTrackLabel[]) : [],
  };
}

export async function setAudioLabels(
  db: Queryable,
  itemId: number,
  labels: AudioTrackLabel[],
): Promise<void> {
  await db.query("UPDATE masters SET audio_labels = $1::jsonb WHERE media_item_id = $2", [
    JSON.stringify(labels),
    itemId,
  ]);
}
