import { en, type Lang, tDynamic } from "../web/i18n.ts";
import type { StatusReason } from "./types.ts";

/**
 * Why an item's processing failed, in `lang`: the message its key names, with its parameters. A
 * row written before reasons were keys holds its English sentence as the key: said as it is.
 */
export function statusReasonText(lang: Lang, reason: StatusReason | null): string | null {
  if (reason === null) return null;
  return reason.key in en ? tDynamic(lang, reason.key, reason.params) : reason.key;
}

/** A reason from a message key: "error.corrupt_media", "ingest.reason.no_master". */
export function statusReason(key: string, params: StatusReason["params"] = {}): StatusReason {
  return { key, params };
}
