import type { MediaError } from "../media/errors.ts";
/**
 * Errors a user can cause. Each has a code (stable, for API clients) and a message
 * key translated into the user's language in one place (web/error-handler.ts).
 */
export const userErrorStatus = {
  invalid_input: 400,
  invalid_email: 400,
  password_too_weak: 400,
  terms_not_accepted: 400,
  code_invalid: 400,
  code_expired: 400,
  code_exhausted: 400,
  code_or_password_invalid: 400,
  flow_missing: 400,
  resend_too_soon: 429,
  invalid_credentials: 401,
  email_not_verified: 403,
  too_many_attempts: 429,
  too_many_codes: 429,
  not_authenticated: 401,
  invalid_token: 401,
  forbidden: 403,
  csrf_failed: 403,
  wrong_current_password: 400,
  unsubscribe_link_invalid: 400,
  not_found: 404,
  bad_request: 400,
  request_too_large: 413,
  request_header_too_large: 431,
  request_timeout: 408,
  // catalogue, ingest, downloads
  item_not_found: 404,
  event_not_found: 404,
  embargoed: 403,
  not_published: 404,
  not_a_video: 400,
  corrupt_media: 400,
  empty_upload: 400,
  unsupported_media: 415,
  upload_too_large: 413,
  upload_one_file: 400,
  invalid_timecode: 400,
  timecode_out_of_range: 400,
  clip_point_too_far: 400,
  out_before_in: 400,
  unknown_format: 400,
  unknown_audio: 400,
  invalid_last: 400,
  photo_format: 400,
  not_ready: 409,
  no_subtitles: 404,
  // editor pages: another editor saved the same fields since the page was opened (editor/edit-base.ts)
  edited_meanwhile: 409,
  // editor API (issue 13)
  precondition_failed: 412,
  event_has_items: 409,
  download_terms_required: 403,
  transcript_invalid: 400,
  search_needs_words: 400,
  search_common_words: 400,
  search_too_slow: 400,
  align_needs_audio: 400,
  align_no_sound: 400,
  align_text_too_long: 400,
  transcript_nothing_to_restore: 409,
  issue_not_draft: 409,
  issue_not_found: 404,
  // live (issue 12)
  live_ports_full: 409,
  live_ended: 409,
  live_not_started: 409,
  not_a_live: 409,
  live_waiting: 409,
  live_receiving: 409,
  live_not_received: 400,
  // publishing an item with nothing to show (editor/publish.ts)
  publish_no_master: 409,
  publish_failed_master: 409,
  // an upload to an item whose master works, or to a live item (ingest/accept.ts)
  item_takes_no_master: 409,
} as const;

export type UserErrorCode = keyof typeof userErrorStatus;
export type ErrorParams = Record<string, string | number>;

export class UserError extends Error {
  readonly status: number;
  constructor(
    readonly code: UserErrorCode,
    readonly params: ErrorParams = {},
    /** Per-field problems, e.g. { password: ["min_length", "symbol"] }. */
    readonly fields: Record<string, string[]> = {},
  ) {
    super(code);
    this.status = userErrorStatus[code];
  }
}

const mediaErrorCodes: Record<string, UserErrorCode> = {
  NotAVideo: "not_a_video",
  CorruptMedia: "corrupt_media",
  InvalidTimecode: "invalid_timecode",
  TimecodeOutOfRange: "timecode_out_of_range",
  ClipPointTooFar: "clip_point_too_far",
  UnsupportedMedia: "unsupported_media",
};

/**
 * What the media module's errors (a file or a timecode a user gave) mean to the user: the one
 * mapping, for the web's answers and for the reasons ingest records on an item.
 */
export function fromMediaError(error: MediaError): UserError {
  if (error.code === "NotAVideo" && error.params?.reason === "empty") return new UserError("empty_upload");
  const params = error.params ?? {};
  // The media module names the typed text `input`; our messages call it `value`.
  return new UserError(mediaErrorCodes[error.code] ?? "unsupported_media", {
    detail: error.message,
    value: String(params.input ?? ""),
    ...params,
  });
}
