/**
 * Work that must not delay, or show in the timing of, the answer to a request: it starts at
 * once, its failure is logged, and tests (or an orderly shut-down) can wait for it.
 */
export type AfterAnswer = {
  run(work: () => Promise<void>): void;
  /** Resolves when everything started so far has finished. */
  settled(): Promise<void>;
};

export function createAfterAnswer(log: { error(obj: object, msg: string): void }): AfterAnswer {
  const running = new Set<Promise<void>>();
  return {
    run(work) {
      const done: Promise<void> = Promise.resolve()
        .then(work)
        .catch((error: unknown) => log.error({ err: error }, "Work after the answer failed"))
        .finally(() => running.delete(done));
      running.add(done);
    },
    async settled() {
      while (running.size > 0) await Promise.all([...running]);
    },
  };
}
