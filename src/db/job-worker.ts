import type PgBoss from "pg-boss";
import type { Queryable } from "./database.ts";

/** What a handler learns about its run. */
export type JobRun = {
  /** Aborted when this process loses the job (its lease lapsed) or stops: stop work, leave it for a retry. */
  signal: AbortSignal;
  /** 0 the first time; more when an earlier run failed or its process died. */
  attempt: number;
};

export type JobLog = {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
};

export type WorkerOptions = {
  db: Queryable;
  log: JobLog;
  leaseSeconds: number;
  pollingIntervalSeconds: number;
};

type Handler = (id: string, run: JobRun) => Promise<void>;

/**
 * Works the jobs of one queue, one at a time, under a lease: a job is sent with pg-boss's
 * `expire_in` set to the lease, and while it runs its `started_on` is moved forward a few
 * times per lease. A process that dies stops renewing; pg-boss's maintenance then fails the
 * job as timed out, which is a retry any live process takes. pg-boss 10's own `work` cannot
 * do this (it fails a handler that runs longer than `expire_in`), hence this loop of
 * fetch, renew and complete/fail.
 * A run that finds its lease taken (it was too slow to renew, and another process may have the
 * job now) is aborted and neither completes nor fails the job: that is the other run's to do.
 */
export function workQueue(boss: PgBoss, name: string, handler: Handler, options: WorkerOptions) {
  const stopping = new AbortController();
  let running: AbortController | null = null;
  const bell = new Bell();
  const bells = bellsOf(boss, name);
  bells.add(bell);

  const loop = async () => {
    while (!stopping.signal.aborted) {
      const rung = bell.rung;
      const job = await boss.fetch<{ id: string }>(name, { batchSize: 1, includeMetadata: true }).then(
        (jobs) => jobs[0],
        (error: unknown) => options.log.error({ err: error, job: name }, "could not fetch jobs"),
      );
      if (!job) {
        await bell.wait(options.pollingIntervalSeconds * 1000, stopping.signal, rung);
        continue;
      }
      running = new AbortController();
      if (stopping.signal.aborted) running.abort(new Error("the process is stopping"));
      // A failure here (the database gone mid-job) leaves the job to its lease: it comes back.
      await runJob(boss, name, job, handler, running, options).catch((error: unknown) =>
        options.log.error({ err: error, job: name, id: job.data.id }, "job bookkeeping failed"),
      );
      running = null;
    }
  };
  const done = loop();
  return {
    /** Stops taking jobs; a running one is aborted and handed back for a retry at once. */
    async stop(): Promise<void> {
      bells.delete(bell);
      stopping.abort();
      running?.abort(new Error("the process is stopping"));
      await done;
    },
  };
}

async function runJob(
  boss: PgBoss,
  name: string,
  job: PgBoss.JobWithMetadata<{ id: string }>,
  handler: Handler,
  controller: AbortController,
  options: WorkerOptions,
): Promise<void> {
  const { db, log, leaseSeconds } = options;
  const ref = { job: name, id: job.data.id, attempt: job.retryCount };
  if (job.retryCount > 0) {
    // pg-boss's time-out writes { value: { message } }; our fail writes { message }.
    const output = job.output as { message?: unknown; value?: { message?: unknown } } | null;
    const previous = output?.message ?? output?.value?.message;
    log.info({ ...ref, previous }, "job taken up again after an interrupted or failed run");
  } else log.info(ref, "job started");
  // Renewed only while this run still holds the job: same id, still active, same attempt.
  const renew = async (): Promise<boolean> => {
    const rows = await db.query(
      `UPDATE pgboss.job SET started_on = now()
       WHERE name = $1 AND id = $2 AND state = 'active' AND retry_count = $3 RETURNING id`,
      [name, job.id, job.retryCount],
    );
    return rows.length > 0;
  };
  const lost = () => {
    if (controller.signal.aborted) return;
    log.warn(ref, "job lease lost: another process may take it up; this run stops");
    controller.abort(new Error("the job's lease was lost"));
  };
  // Renewed four times per lease. Half a lease without a renewal (the database out of reach, the
  // process stalled) and this run stops by itself, before another process can have the job.
  let renewedAt = Date.now();
  const timer = setInterval(
    () => {
      if (Date.now() - renewedAt > (leaseSeconds * 1000) / 2) lost();
      renew().then(
        (held) => {
          if (held) renewedAt = Date.now();
          else lost();
        },
        (error: unknown) => log.warn({ ...ref, err: error }, "job lease not renewed"),
      );
    },
    (leaseSeconds * 1000) / 4,
  );
  let failure: { error: unknown } | null = null;
  try {
    await handler(job.data.id, { signal: controller.signal, attempt: job.retryCount });
  } catch (error) {
    failure = { error };
  } finally {
    clearInterval(timer);
  }
  // Completing or failing needs the lease still held: the job may already be another run's.
  if (!(await renew())) {
    lost();
    return;
  }
  if (failure === null) await boss.complete(name, job.id);
  else {
    const error = controller.signal.aborted ? controller.signal.reason : failure.error;
    const message = error instanceof Error ? error.message : String(error);
    await boss.fail(name, job.id, { message });
  }
}

/**
 * What wakes a worker between polls: a job queued in this process through the same pg-boss
 * (jobs.ts jobQueue) starts at once instead of at the next poll, up to `pollingIntervalSeconds`
 * later; so does one queued inside a transaction whose caller wakes the queue after the commit.
 * Jobs queued by another process wait for the poll.
 */
class Bell {
  /** Times rung: a worker that saw another count before it fetched does not wait. */
  rung = 0;
  private wake: (() => void) | null = null;

  ring(): void {
    this.rung += 1;
    this.wake?.();
  }

  /** Waits `ms`, or until rung (also if rung since the count `seen`), or until `signal` aborts. */
  wait(ms: number, signal: AbortSignal, seen: number): Promise<void> {
    if (this.rung !== seen || signal.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        signal.removeEventListener("abort", done);
        this.wake = null;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wake = done;
      signal.addEventListener("abort", done, { once: true });
    });
  }
}

/** The workers' bells of this process, per pg-boss instance and queue. */
const bellsByBoss = new WeakMap<PgBoss, Map<string, Set<Bell>>>();

function bellsOf(boss: PgBoss, name: string): Set<Bell> {
  const queues = bellsByBoss.get(boss) ?? new Map<string, Set<Bell>>();
  bellsByBoss.set(boss, queues);
  const bells = queues.get(name) ?? new Set<Bell>();
  queues.set(name, bells);
  return bells;
}

/** Wakes this process's workers of `name` on `boss`, if asleep: a job was just queued for them. */
export function wakeWorkers(boss: PgBoss, name: string): void {
  for (const bell of bellsByBoss.get(boss)?.get(name) ?? []) bell.ring();
}
