import pg from "pg";
import type { Database, Row, Transaction } from "./database.ts";

// int8 (counts, sums) as numbers: our values stay far below 2^53.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));

export async function openPostgres(url: string): Promise<Database> {
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  // An idle connection the server closes (restart, failover, DROP DATABASE) must not kill the
  // process: the pool drops it and opens a new one when next needed.
  pool.on("error", () => undefined);
  // Fail at start with the server's own message rather than at the first request.
  const client = await pool.connect();
  client.release();
  const on = (runner: pg.Pool | pg.PoolClient): Transaction => ({
    async query<T extends Row>(sql: string, params: unknown[] = []) {
      return (await runner.query<T>(sql, params)).rows;
    },
    async exec(sql: string) {
      await runner.query(sql);
    },
  });
  return {
    kind: "postgres",
    query: on(pool).query,
    async exec(sql: string) {
      const result: pg.QueryResult | pg.QueryResult[] = await pool.query(sql);
      const last = Array.isArray(result) ? result.at(-1) : result;
      return (last?.rows ?? []) as Row[];
    },
    async transaction(work) {
      const conn = await pool.connect();
      try {
        await conn.query("BEGIN");
        const value = await work(on(conn));
        await conn.query("COMMIT");
        return value;
      } catch (error) {
        await conn.query("ROLLBACK").catch(() => undefined);
        throw error;
      } finally {
        conn.release();
      }
    },
    async close() {
      await pool.end();
    },
  };
}
