import type { Queryable } from "../db/database.ts";

/** Table imported_files (migration 016): SQL and row mapping, nothing else. */

export type ImportedFile = { sha256: string; itemId: number; fileName: string };

export async function findImportedFile(db: Queryable, sha256: string): Promise<ImportedFile | null> {
  const rows = await db.query<{ media_item_id: number; file_name: string }>(
    "SELECT media_item_id, file_name FROM imported_files WHERE sha256 = $1",
    [sha256],
  );
  const row = rows[0];
  return row ? { sha256, itemId: row.media_item_id, fileName: row.file_name } : null;
}

export async function recordImportedFile(db: Queryable, file: ImportedFile, now: Date): Promise<void> {
  await db.query(
    "INSERT INTO imported_files (sha256, media_item_id, file_name, imported_at) VALUES ($1, $2, $3, $4)",
    [file.sha256, file.itemId, file.fileName, now],
  );
}
