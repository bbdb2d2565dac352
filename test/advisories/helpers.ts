import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { advisoriesFromOsv, parseOsvRecord } from "../../lib/advisories/osv.js";
import type { Advisory } from "../../lib/advisories/types.js";

export const OSV_DIR = join(process.cwd(), "test", "fixtures", "advisories", "osv");

/** The raw JSON of one real OSV record from the fixtures. */
export function osvJson(id: string): any {
  return JSON.parse(readFileSync(join(OSV_DIR, `${id}.json`), "utf8"));
}

/** Every fixture record as Advisories (withdrawn ones give none). */
export function allAdvisories(): Advisory[] {
  return readdirSync(OSV_DIR)
    .filter((n) => n.endsWith(".json"))
    .sort()
    .flatMap((n) => {
      const parsed = parseOsvRecord(JSON.parse(readFileSync(join(OSV_DIR, n), "utf8")));
      if (!parsed.ok) throw new Error(`${n}: ${parsed.message}`);
      return advisoriesFromOsv(parsed.record);
    });
}

/** The advisory a record gives for its first package. */
export function advisory(id: string): Advisory {
  const parsed = parseOsvRecord(osvJson(id));
  if (!parsed.ok) throw new Error(parsed.message);
  const list = advisoriesFromOsv(parsed.record);
  if (list.length === 0) throw new Error(`${id} gives no advisory`);
  return list[0];
}

const REST_ECOSYSTEM: Record<string, string> = { npm: "npm", PyPI: "pip", Go: "go" };

/**
 * Converts an OSV record into the shape of GitHub's REST `GET /advisories`, with the mapping the
 * shared advisories README documents: one vulnerabilities[] entry per introduced->fixed /
 * last_affected pair, ">= X, < Y" (just "< Y" when X is 0), "<= Z", or ">= X" when open.
 */
export function toRest(osv: any): any {
  const vulnerabilities: any[] = [];
  for (const affected of osv.affected) {
    for (const range of affected.ranges ?? []) {
      let introduced: string | undefined;
      for (const ev of range.events) {
        if (ev.introduced !== undefined) {
          if (introduced !== undefined) vulnerabilities.push(vuln(affected, introduced));
          introduced = ev.introduced;
        } else if (introduced !== undefined && (ev.fixed !== undefined || ev.last_affected !== undefined)) {
          vulnerabilities.push(vuln(affected, introduced, ev.fixed, ev.last_affected));
          introduced = undefined;
        }
      }
      if (introduced !== undefined) vulnerabilities.push(vuln(affected, introduced));
    }
  }
  const cve = (osv.aliases ?? []).find((a: string) => a.startsWith("CVE-")) ?? null;
  const sev = osv.database_specific?.severity;
  return {
    ghsa_id: osv.id,
    cve_id: cve,
    url: `https://api.github.com/advisories/${osv.id}`,
    html_url: `https://github.com/advisories/${osv.id}`,
    summary: osv.summary,
    description: osv.details,
    type: "reviewed",
    severity: sev === "MODERATE" ? "medium" : String(sev ?? "unknown").toLowerCase(),
    identifiers: [{ type: "GHSA", value: osv.id }, ...(cve ? [{ type: "CVE", value: cve }] : [])],
    published_at: osv.published,
    updated_at: osv.modified,
    withdrawn_at: osv.withdrawn ?? null,
    vulnerabilities,
    cwes: (osv.database_specific?.cwe_ids ?? []).map((id: string) => ({ cwe_id: id, name: id })),
  };
}

function vuln(affected: any, introduced: string, fixed?: string, lastAffected?: string): any {
  const lower = introduced === "0" ? [] : [`>= ${introduced}`];
  const upper = fixed !== undefined ? [`< ${fixed}`] : lastAffected !== undefined ? [`<= ${lastAffected}`] : [];
  return {
    package: { ecosystem: REST_ECOSYSTEM[affected.package.ecosystem], name: affected.package.name },
    vulnerable_version_range: [...lower, ...upper].join(", "),
    first_patched_version: fixed ?? null,
    vulnerable_functions: [],
  };
}
