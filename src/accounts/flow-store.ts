import type { Queryable } from "../db/database.ts";
import type { Lang } from "../web/i18n.ts";
import type { FlowKind } from "./codes.ts";
import type { ProfileFields } from "./store.ts";

/** A sign-up or password reset in progress (table account_flows; see migration 008). */
export type Flow = {
  id: number;
  kind: FlowKind;
  email: string;
  userId: number | null;
  /** Sign-ups only: the account it will become. */
  signup: (ProfileFields & { passwordHash: string }) | null;
  decoy: boolean;
  codeHash: string;
  codeSentAt: Date;
  codeExpiresAt: Date;
  failedAttempts: number;
  createdAt: Date;
};

type FlowRow = {
  id: number;
  kind: FlowKind;
  email: string;
  user_id: number | null;
  password_hash: string | null;
  name: string | null;
  organisation: string | null;
  country: string | null;
  language: Lang | null;
  decoy: boolean;
  code_hash: string;
  code_sent_at: Date;
  code_expires_at: Date;
  failed_attempts: number;
  created_at: Date;
};

const columns =
  "id, kind, email, user_id, password_hash, name, organisation, country, language, decoy, code_hash, code_sent_at, code_expires_at, failed_attempts, created_at";

function toFlow(row: FlowRow): Flow {
  const signup =
    row.kind === "signup" && row.password_hash !== null
      ? {
          passwordHash: row.password_hash,
          name: row.name ?? "",
          organisation: row.organisation ?? "",
          country: row.country ?? "",
          language: row.language ?? "en",
        }
      : null;
  return {
    id: row.id,
    kind: row.kind,
    email: row.email,
    userId: row.user_id,
    signup,
    decoy: row.decoy,
    codeHash: row.code_hash,
    codeSentAt: row.code_sent_at,
    codeExpiresAt: row.code_expires_at,
    failedAttempts: row.failed_attempts,
    createdAt: row.created_at,
  };
}

export type NewFlow = {
  kind: FlowKind;
  tokenHash: string;
  email: string;
  userId: number | null;
  signup: (ProfileFields & { passwordHash: string }) | null;
  decoy: boolean;
  codeHash: string;
  now: Date;
  expiresAt: Date;
};

export async function insertFlow(db: Queryable, flow: NewFlow): Promise<number> {
  const s = flow.signup;
  const rows = await db.query<{ id: number }>(
    `INSERT INTO account_flows (kind, token_hash, email, user_id, password_hash, name, organisation, country,
       language, decoy, code_hash, code_sent_at, code_expires_at, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $12) RETURNING id`,
    [
      flow.kind,
      flow.tokenHash,
      flow.email,
      flow.userId,
      s?.passwordHash ?? null,
      s?.name ?? null,
      s?.organisation ?? null,
      s?.country ?? null,
      s?.language ?? null,
      flow.decoy,
      flow.codeHash,
      flow.now,
      flow.expiresAt,
    ],
  );
  return rows[0]!.id;
}

export async function findFlowByToken(
  db: Queryable,
  kind: FlowKind,
  tokenHash: string,
): Promise<Flow | null> {
  const rows = await db.query<FlowRow>(
    `SELECT ${columns} FROM account_flows WHERE token_hash = $1 AND kind = $2`,
    [tokenHash, kind],
  );
  return rows[0] ? toFlow(rows[0]) : null;
}

/** The newest flows of an address started since `since`, newest first. */
export async function recentFlows(
  db: Queryable,
  kind: FlowKind,
  email: string,
  since: Date,
  limit: number,
): Promise<Flow[]> {
  const rows = await db.query<FlowRow>(
    `SELECT ${columns} FROM account_flows WHERE email = $1 AND kind = $2 AND created_at >= $3
     ORDER BY created_at DESC, id DESC LIMIT $4`,
    [email, kind, since, limit],
  );
  return rows.map(toFlow);
}

/** A new code for the flow: the old one stops working and the count of wrong tries restarts. */
export async function replaceFlowCode(
  db: Queryable,
  id: number,
  codeHash: string,
  now: Date,
  expiresAt: Date,
): Promise<void> {
  await db.query(
    `UPDATE account_flows SET code_hash = $2, code_sent_at = $3, code_expires_at = $4, failed_attempts = 0
     WHERE id = $1`,
    [id, codeHash, now, expiresAt],
  );
}

/** The flow now belongs to another client (its maker, proven by the password it chose). */
export async function rebindFlow(db: Queryable, id: number, tokenHash: string): Promise<void> {
  await db.query("UPDATE account_flows SET token_hash = $2 WHERE id = $1", [id, tokenHash]);
}

/** Counts a wrong try atomically (two requests at once both count); returns the new total. */
export async function countFlowFailure(db: Queryable, id: number): Promise<number> {
  const rows = await db.query<{ failed_attempts: number }>(
    "UPDATE account_flows SET failed_attempts = failed_attempts + 1 WHERE id = $1 RETURNING failed_attempts",
    [id],
  );
  return rows[0]?.failed_attempts ?? 0;
}

export async function deleteFlowsOf(db: Queryable, kind: FlowKind, email: string): Promise<void> {
  await db.query("DELETE FROM account_flows WHERE kind = $1 AND email = $2", [kind, email]);
}

export async function deleteFlowsBefore(db: Queryable, before: Date): Promise<void> {
  await db.query("DELETE FROM account_flows WHERE created_at < $1", [before]);
}
