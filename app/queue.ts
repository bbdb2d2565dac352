/**
 * The scan queue.
 *
 * - Scans of one repository run one after the other, so two quick pushes can never race to
 *   create two issues.
 * - Per repository at most one scan waits: a newer scan replaces the waiting one (the older
 *   commit's report would be overwritten at once anyway). A running scan is never interrupted.
 * - Different repositories run concurrently, up to `concurrency` at a time (each scan holds a
 *   repository snapshot in memory, so this also bounds memory).
 */

import { describeError } from "./platform/errors.js";

export type JobOutcome = "done" | "superseded" | "failed";

export interface QueueLogger {
  info(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface ScanQueueOptions<J> {
  /** What identifies "the same repository"; jobs with equal keys never overlap. */
  keyOf: (job: J) => string;
  /** Does the work. Errors are caught here as a last resort; the runner should handle its own. */
  run: (job: J) => Promise<void>;
  /** How many different repositories may be scanned at the same time. */
  concurrency?: number;
  log?: QueueLogger;
}

interface Entry<J> {
  job: J;
  settle: (outcome: JobOutcome) => void;
}

export class ScanQueue<J> {
  readonly #keyOf: (job: J) => string;
  readonly #run: (job: J) => Promise<void>;
  readonly #concurrency: number;
  readonly #log: QueueLogger | undefined;
  /** Keys with a scan in progress. */
  readonly #running = new Set<string>();
  /** The one waiting job per key; Map order is arrival order, which keeps start order fair. */
  readonly #waiting = new Map<string, Entry<J>>();
  /** Sequences (e.g. an installation's repositories) still feeding jobs in. */
  #sequences = 0;
  #idleWaiters: Array<() => void> = [];
  #stats = { started: 0, superseded: 0, failed: 0 };

  constructor(options: ScanQueueOptions<J>) {
    this.#keyOf = options.keyOf;
    this.#run = options.run;
    this.#concurrency = Math.max(1, Math.floor(options.concurrency ?? 2));
    this.#log = options.log;
  }

  /** Queues a job; resolves once it ran, or was dropped for a newer job of the same key. */
  push(job: J): Promise<JobOutcome> {
    const key = this.#keyOf(job);
    return new Promise<JobOutcome>((settle) => {
      const older = this.#waiting.get(key);
      if (older) {
        // Delete first so the newer job takes its place at the end of the arrival order.
        this.#waiting.delete(key);
        this.#stats.superseded += 1;
        this.#log?.info({ key }, "queued scan dropped: superseded by a newer one for the same repository");
        older.settle("superseded");
      }
      this.#waiting.set(key, { job, settle });
      this.#pump();
    });
  }

  /** Runs the jobs strictly one after the other (each still ordered with its repository's others). */
  async pushSequence(jobs: Iterable<J>): Promise<JobOutcome[]> {
    this.#sequences += 1;
    const outcomes: JobOutcome[] = [];
    try {
      for (const job of jobs) outcomes.push(await this.push(job));
    } finally {
      this.#sequences -= 1;
      this.#checkIdle();
    }
    return outcomes;
  }

  /** Resolves when nothing runs, nothing waits and no sequence is pending. */
  onIdle(): Promise<void> {
    if (this.#isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  get stats(): { running: number; waiting: number; started: number; superseded: number; failed: number } {
    return { running: this.#running.size, waiting: this.#waiting.size, ...this.#stats };
  }

  #pump(): void {
    for (const [key, entry] of this.#waiting) {
      if (this.#running.size >= this.#concurrency) break;
      if (this.#running.has(key)) continue;
      this.#waiting.delete(key);
      this.#start(key, entry);
    }
    this.#checkIdle();
  }

  #start(key: string, entry: Entry<J>): void {
    this.#running.add(key);
    this.#stats.started += 1;
    let outcome: JobOutcome = "done";
    // Promise.resolve().then: a synchronous throw in run() becomes a rejection, not a crash.
    Promise.resolve()
      .then(() => this.#run(entry.job))
      .catch((error: unknown) => {
        outcome = "failed";
        this.#stats.failed += 1;
        this.#log?.error({ key, err: describeError(error) }, "scan failed");
      })
      .finally(() => {
        this.#running.delete(key);
        entry.settle(outcome);
        this.#pump();
      });
  }

  #isIdle(): boolean {
    return this.#running.size === 0 && this.#waiting.size === 0 && this.#sequences === 0;
  }

  #checkIdle(): void {
    if (!this.#isIdle() || this.#idleWaiters.length === 0) return;
    const waiters = this.#idleWaiters;
    this.#idleWaiters = [];
    for (const resolve of waiters) resolve();
  }
}
