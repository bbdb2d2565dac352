import { ScanQueue, type JobOutcome } from "../../app/queue.js";

interface Job {
  repo: string;
  id: string;
}

/** A job runner whose jobs finish only when the test says so. */
function gatedRunner() {
  const started: string[] = [];
  const gates = new Map<string, () => void>();
  const run = (job: Job) => {
    started.push(job.id);
    return new Promise<void>((resolve) => {
      gates.set(job.id, resolve);
    });
  };
  const finish = async (id: string) => {
    await flush();
    const gate = gates.get(id);
    if (!gate) throw new Error(`job ${id} has not started`);
    gate();
    // Let the queue settle and start the next jobs.
    await flush();
  };
  return { run, started, finish };
}

/** Lets every pending promise callback run (no timers involved). */
const flush = () => new Promise<void>((resolve) => setImmediate(resolve));

const silent = { info: () => undefined, error: () => undefined };

describe("ScanQueue", () => {
  it("runs scans of one repository one after the other", async () => {
    const runner = gatedRunner();
    const queue = new ScanQueue<Job>({ keyOf: (job) => job.repo, run: runner.run, concurrency: 2, log: silent });
    const first = queue.push({ repo: "o/r", id: "a" });
    const second = queue.push({ repo: "o/r", id: "b" });
    await flush();
    expect(runner.started).toEqual(["a"]);
    await runner.finish("a");
    expect(runner.started).toEqual(["a", "b"]);
    await runner.finish("b");
    await expect(first).resolves.toBe("done");
    await expect(second).resolves.toBe("done");
    await queue.onIdle();
  });

  it("drops a queued scan superseded by a newer one for the same repository, and logs it", async () => {
    const runner = gatedRunner();
    const logged: string[] = [];
    const queue = new ScanQueue<Job>({
      keyOf: (job) => job.repo,
      run: runner.run,
      log: { info: (_o, msg) => logged.push(msg), error: () => undefined },
    });
    const outcomes: Array<Promise<JobOutcome>> = ["a", "b", "c"].map((id) => queue.push({ repo: "o/r", id }));
    await runner.finish("a");
    await runner.finish("c");
    expect(await Promise.all(outcomes)).toEqual(["done", "superseded", "done"]);
    expect(runner.started).toEqual(["a", "c"]);
    expect(queue.stats.superseded).toBe(1);
    expect(logged.some((msg) => msg.includes("superseded"))).toBe(true);
  });

  it("treats repository keys independently and honours the concurrency limit", async () => {
    const runner = gatedRunner();
    const queue = new ScanQueue<Job>({ keyOf: (job) => job.repo, run: runner.run, concurrency: 2, log: silent });
    void queue.push({ repo: "o/one", id: "1" });
    void queue.push({ repo: "o/two", id: "2" });
    void queue.push({ repo: "o/three", id: "3" });
    await flush();
    expect(runner.started).toEqual(["1", "2"]);
    expect(queue.stats).toMatchObject({ running: 2, waiting: 1 });
    await runner.finish("2");
    expect(runner.started).toEqual(["1", "2", "3"]);
    await runner.finish("1");
    await runner.finish("3");
    await queue.onIdle();
    expect(queue.stats).toMatchObject({ running: 0, waiting: 0, started: 3 });
  });

  it("starts waiting repositories in arrival order when a slot frees up", async () => {
    const runner = gatedRunner();
    const queue = new ScanQueue<Job>({ keyOf: (job) => job.repo, run: runner.run, concurrency: 1, log: silent });
    void queue.push({ repo: "o/a", id: "a1" });
    void queue.push({ repo: "o/b", id: "b1" });
    void queue.push({ repo: "o/a", id: "a2" }); // waits behind a1, arrived after b1
    await runner.finish("a1");
    expect(runner.started).toEqual(["a1", "b1"]);
    await runner.finish("b1");
    expect(runner.started).toEqual(["a1", "b1", "a2"]);
    await runner.finish("a2");
    await queue.onIdle();
  });

  it("keeps going after a failing scan (sync throw or rejection) and reports it", async () => {
    const errors: object[] = [];
    let calls = 0;
    const queue = new ScanQueue<Job>({
      keyOf: (job) => job.repo,
      run: (job) => {
        calls += 1;
        if (job.id === "sync") throw new Error("sync failure");
        if (job.id === "async") return Promise.reject(new Error("async failure"));
        return Promise.resolve();
      },
      log: { info: () => undefined, error: (obj) => errors.push(obj) },
    });
    const outcomes = await Promise.all([
      queue.push({ repo: "o/r", id: "sync" }),
      queue.push({ repo: "o/s", id: "async" }),
    ]);
    expect(outcomes).toEqual(["failed", "failed"]);
    await expect(queue.push({ repo: "o/r", id: "ok" })).resolves.toBe("done");
    expect(calls).toBe(3);
    expect(errors).toEqual([
      { key: "o/r", err: { message: "sync failure" } },
      { key: "o/s", err: { message: "async failure" } },
    ]);
    expect(queue.stats.failed).toBe(2);
  });

  it("runs a sequence strictly one job at a time even with free slots", async () => {
    const runner = gatedRunner();
    const queue = new ScanQueue<Job>({ keyOf: (job) => job.repo, run: runner.run, concurrency: 3, log: silent });
    const done = queue.pushSequence([
      { repo: "o/a", id: "a" },
      { repo: "o/b", id: "b" },
      { repo: "o/c", id: "c" },
    ]);
    await flush();
    expect(runner.started).toEqual(["a"]);
    let idle = false;
    void queue.onIdle().then(() => (idle = true));
    await runner.finish("a");
    expect(runner.started).toEqual(["a", "b"]);
    await runner.finish("b");
    expect(idle).toBe(false);
    await runner.finish("c");
    await expect(done).resolves.toEqual(["done", "done", "done"]);
    await queue.onIdle();
    expect(idle).toBe(true);
  });

  it("is idle at once when nothing was queued", async () => {
    const queue = new ScanQueue<Job>({ keyOf: (job) => job.repo, run: async () => undefined });
    await expect(queue.onIdle()).resolves.toBeUndefined();
    await expect(queue.pushSequence([])).resolves.toEqual([]);
  });
});
