import { comparableName } from "../deps/collector.js";
import type { DependencyFacts, Ecosystem } from "../deps/types.js";
import type { Advisory, AdvisorySource, PackageQuery } from "./types.js";

const ECOSYSTEM_ORDER: Ecosystem[] = ["npm", "PyPI", "Go"];

/**
 * Fetches the advisories that may concern the resolved dependencies: one batched lookup per
 * ecosystem per scan, only for dependencies with a resolved version (ranges are never guessed).
 *
 * Throws an Error naming the ecosystem when the source fails; the caller turns it into a scan
 * warning ("dependency check inconclusive") rather than reporting the dependencies as clean.
 */
export async function fetchAdvisories(source: AdvisorySource, deps: DependencyFacts): Promise<Advisory[]> {
  const byEcosystem = new Map<Ecosystem, Map<string, PackageQuery>>();
  for (const d of deps.dependencies) {
    if (d.version === undefined) continue;
    const queries = byEcosystem.get(d.ecosystem) ?? new Map<string, PackageQuery>();
    queries.set(`${comparableName(d.ecosystem, d.name)}@${d.version}`, { name: d.name, version: d.version });
    byEcosystem.set(d.ecosystem, queries);
  }

  const out: Advisory[] = [];
  const seen = new Set<string>();
  for (const ecosystem of ECOSYSTEM_ORDER) {
    const queries = byEcosystem.get(ecosystem);
    if (!queries || queries.size === 0) continue;
    let found: Advisory[];
    try {
      found = await source.lookup(ecosystem, [...queries.values()]);
    } catch (err) {
      throw new Error(`advisory lookup for ${ecosystem} failed: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    }
    for (const a of found) {
      const key = `${a.ecosystem}\0${comparableName(a.ecosystem, a.package)}\0${a.id}`;
      if (a.withdrawn || seen.has(key)) continue;
      seen.add(key);
      out.push(a);
    }
  }
  return out;
}
