import { hasAcceptedDownloadTerms } from "../accounts/store.ts";
import { awaitsUpload, canPlay, isEmbargoed } from "../catalogue/access.ts";
import { findLiveStream } from "../catalogue/live-store.ts";
import type { ItemDetail } from "../catalogue/view-models.ts";
import type { FeatureDeps } from "../core/deps.ts";
import { isEditor } from "../web/guards.ts";
import type { User } from "../web/user.ts";
import { type DownloadSource, findDownloadSource } from "./item-source.ts";

/** What the item page's download panel shows for this user and item (views/panel.ts draws it). */
export type PanelState =
  | { kind: "embargoed"; until: Date }
  | { kind: "unavailable" | "failed" | "awaiting_upload" | "processing" | "login" | "terms" }
  | { kind: "photo"; originalBytes: number; webBytes: number | undefined }
  | { kind: "clip"; source: DownloadSource; now: Date; editor: boolean; timedSentences: boolean }
  /** A live item before its master is processed: clips of what has been received (live-clip.ts). */
  | { kind: "live"; itemId: number; startTimecode: string };

export async function panelState(
  deps: FeatureDeps,
  user: User | null,
  item: ItemDetail,
): Promise<PanelState> {
  const now = deps.now();
  const viewer = { editor: isEditor(user), now };
  if (!canPlay(item, viewer)) {
    return isEmbargoed(item, now)
      ? { kind: "embargoed", until: item.embargoUntil! }
      : { kind: "unavailable" };
  }
  if (item.status === "failed") return { kind: "failed" };
  if (awaitsUpload(item, viewer)) return { kind: "awaiting_upload" };
  if (item.status !== "ready") {
    // Clips of a live are taken from its pieces until its master is processed.
    const live = await findLiveStream(deps.db, item.id);
    if (!live?.startTimecode || item.mediaType !== "video") return { kind: "processing" };
    if (!user) return { kind: "login" };
    if (!(await hasAcceptedDownloadTerms(deps.db, user.id))) return { kind: "terms" };
    return { kind: "live", itemId: item.id, startTimecode: live.startTimecode };
  }
  const source = await findDownloadSource(deps.db, item.id);
  if (!source?.master) return { kind: "processing" };
  if (!user) return { kind: "login" };
  if (!(await hasAcceptedDownloadTerms(deps.db, user.id))) return { kind: "terms" };
  if (source.mediaType === "photo") {
    const webBytes = source.webPhotoKey ? (await deps.storage.stat(source.webPhotoKey))?.size : undefined;
    return { kind: "photo", originalBytes: source.master.bytes, webBytes };
  }
  const timedSentences = item.transcript.some((s) => s.startSeconds !== null);
  return { kind: "clip", source, now, editor: viewer.editor, timedSentences };
}
