import { comparableName } from "../deps/collector.js";
import type { Ecosystem } from "../deps/types.js";
import type { Advisory, AdvisorySource, PackageQuery } from "./types.js";

export interface CacheOptions {
  /** Oldest package@version answers are dropped beyond this many (bounded memory). */
  maxEntries?: number;
}

/**
 * Remembers, per ecosystem + package + version, which advisories the wrapped source returned,
 * so repeated scans (the App keeps one per process) only ask about packages not seen before.
 * Concurrent scans asking the same question share one request. Failures are not cached.
 * Whoever holds it decides its lifetime (drop it to see newly published advisories).
 */
export class CachedAdvisorySource implements AdvisorySource {
  private readonly entries = new Map<string, Promise<Advisory[]>>();
  private readonly maxEntries: number;
  /** Lookups answered by the wrapped source (for logs and tests). */
  misses = 0;

  constructor(
    private readonly inner: AdvisorySource,
    options: CacheOptions = {},
  ) {
    this.maxEntries = Math.max(1, options.maxEntries ?? 100_000);
  }

  async lookup(ecosystem: Ecosystem, packages: PackageQuery[]): Promise<Advisory[]> {
    const pending: Promise<Advisory[]>[] = [];
    const missing = new Map<string, PackageQuery>();
    for (const p of packages) {
      const key = `${ecosystem}\0${comparableName(ecosystem, p.name)}\0${p.version}`;
      const hit = this.entries.get(key);
      if (hit) {
        // Refresh its place so the least recently used entries go first.
        this.entries.delete(key);
        this.entries.set(key, hit);
        pending.push(hit);
      } else missing.set(key, p);
    }

    if (missing.size > 0) {
      this.misses += missing.size;
      const batch = this.inner.lookup(ecosystem, [...missing.values()]);
      for (const [key, p] of missing) {
        const name = comparableName(ecosystem, p.name);
        const forPackage = batch.then((list) => list.filter((a) => a.ecosystem === ecosystem && comparableName(ecosystem, a.package) === name));
        this.entries.set(key, forPackage);
        forPackage.catch(() => {
          if (this.entries.get(key) === forPackage) this.entries.delete(key);
        });
        pending.push(forPackage);
      }
      while (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    }

    const seen = new Set<string>();
    const out: Advisory[] = [];
    for (const list of await Promise.all(pending)) {
      for (const a of list) {
        const id = `${a.id}\0${comparableName(ecosystem, a.package)}`;
        if (seen.has(id)) continue;
        seen.add(id);
        out.push(a);
      }
    }
    return out;
  }
}
