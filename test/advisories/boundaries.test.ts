import { readdirSync } from "node:fs";
import { GitHubAdvisorySource } from "../../lib/advisories/github.js";
import { advisoriesFromOsv, parseOsvRecord } from "../../lib/advisories/osv.js";
import type { Advisory } from "../../lib/advisories/types.js";
import { inRange, isAffected } from "../../lib/advisories/versions.js";
import type { Ecosystem } from "../../lib/deps/types.js";
import { OSV_DIR, osvJson, toRest } from "./helpers.js";

const IDS = readdirSync(OSV_DIR)
  .filter((n) => n.endsWith(".json"))
  .map((n) => n.replace(/\.json$/, ""))
  .sort();

/** The same record through GitHub's REST shape, as the App reads it. */
async function viaRest(osv: any, ecosystem: Ecosystem, name: string): Promise<Advisory[]> {
  const octokit = { request: async () => ({ data: [toRest(osv)], headers: {} }) };
  return new GitHubAdvisorySource(octokit).lookup(ecosystem, [{ name, version: "0" }]);
}

describe("every real record: exact matching at each range boundary", () => {
  test("all 47 shared records are fixtures", () => {
    expect(IDS).toHaveLength(47);
  });

  test.each(IDS)("%s", async (id) => {
    const osv = osvJson(id);
    const parsed = parseOsvRecord(osv);
    if (!parsed.ok) throw new Error(parsed.message);
    const advisories = advisoriesFromOsv(parsed.record);
    if (osv.withdrawn) {
      expect(advisories).toEqual([]);
      return;
    }
    expect(advisories.length).toBeGreaterThan(0);
    for (const adv of advisories) {
      const eco = adv.ecosystem;
      const boundaries = new Set<string>();
      for (const r of adv.ranges) {
        // introduced and last_affected are inside their range; fixed is outside it.
        if (r.introduced !== undefined && r.introduced !== "0") {
          expect([id, r.introduced, inRange(eco, r.introduced, r)]).toEqual([id, r.introduced, true]);
          boundaries.add(r.introduced);
        }
        if (r.fixed !== undefined) {
          expect([id, r.fixed, inRange(eco, r.fixed, r)]).toEqual([id, r.fixed, false]);
          boundaries.add(r.fixed);
        }
        if (r.lastAffected !== undefined) {
          expect([id, r.lastAffected, inRange(eco, r.lastAffected, r)]).toEqual([id, r.lastAffected, true]);
          boundaries.add(r.lastAffected);
        }
      }
      // The App's source (REST ranges such as ">= 1.0.0, < 1.2.3") agrees with OSV on every boundary.
      const rest = (await viaRest(osv, eco, adv.package)).find((a) => a.package === adv.package);
      expect(rest?.id).toBe(adv.id);
      for (const v of boundaries) {
        const version = eco === "Go" ? `v${v}` : v;
        expect([id, v, isAffected(eco, version, rest!.ranges)]).toEqual([id, v, isAffected(eco, version, adv.ranges)]);
      }
    }
  });
});
