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
  resend_too_soon: 429,
  invalid_credentials: 401,
  email_not_verified: 403,
  too_many_attempts: 429,
  not_authenticated: 401,
  forbidden: 403,
  csrf_failed: 403,
  wrong_current_password: 400,
  unsubscribe_link_invalid: 400,
  not_found: 404,
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
