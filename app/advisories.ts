/**
 * One advisory cache for the whole process, fed through each scan's own installation client.
 *
 * GitHub's advisory database is public, so a lookup made for one installation can answer the
 * same question for another. The client, though, belongs to the scan (its token is per
 * installation and expires), so the cache sits over a source that forwards to whichever scan
 * is asking, tracked with AsyncLocalStorage (scans of different repositories run concurrently).
 * The cache is renewed periodically so newly published advisories are seen.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { CachedAdvisorySource, GitHubAdvisorySource } from "../lib/advisories/index.js";
import type { AdvisorySource } from "../lib/advisories/types.js";
import type { Octokit } from "./platform/types.js";

export const DEFAULT_ADVISORY_TTL_MS = 60 * 60 * 1000;

export class SharedAdvisories {
  readonly #current = new AsyncLocalStorage<AdvisorySource>();
  readonly #ttlMs: number;
  readonly #now: () => number;
  #cache: AdvisorySource;
  #createdAt: number;

  constructor(options: { ttlMs?: number; now?: () => number } = {}) {
    this.#ttlMs = options.ttlMs ?? DEFAULT_ADVISORY_TTL_MS;
    this.#now = options.now ?? Date.now;
    this.#cache = this.#newCache();
    this.#createdAt = this.#now();
  }

  /** Runs `scan` with an advisory source that queries GitHub through `octokit` on a cache miss. */
  run<T>(octokit: Octokit, scan: (source: AdvisorySource) => Promise<T>): Promise<T> {
    if (this.#now() - this.#createdAt > this.#ttlMs) {
      this.#cache = this.#newCache();
      this.#createdAt = this.#now();
    }
    const cache = this.#cache;
    return this.#current.run(new GitHubAdvisorySource(octokit), () => scan(cache));
  }

  #newCache(): AdvisorySource {
    const forwarding: AdvisorySource = {
      lookup: (ecosystem, packages) => {
        const source = this.#current.getStore();
        if (!source) return Promise.reject(new Error("advisory lookup outside of a scan"));
        return source.lookup(ecosystem, packages);
      },
    };
    return new CachedAdvisorySource(forwarding);
  }
}
