import { readdir, readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { z } from "zod";
import { comparableName } from "../deps/collector.js";
import type { Ecosystem } from "../deps/types.js";
import { severityFromGitHub } from "./severity.js";
import type { Advisory, AdvisorySource, AffectedRange, PackageQuery } from "./types.js";
import { rangesFromEvents } from "./versions.js";

/** The part of an OSV record (https://ossf.github.io/osv-schema/) this engine reads. */
const OsvEvent = z.object({
  introduced: z.string().optional(),
  fixed: z.string().optional(),
  last_affected: z.string().optional(),
  limit: z.string().optional(),
});

const OsvRecord = z.object({
  /** GHSA-..., PYSEC-..., GO-... */
  id: z.string().min(1),
  /** CVE and other ids for the same problem. */
  aliases: z.array(z.string()).optional(),
  summary: z.string().optional(),
  details: z.string().optional(),
  /** Set when the advisory was retracted; such records must never match. */
  withdrawn: z.string().optional(),
  affected: z.array(
    z.object({
      package: z.object({ ecosystem: z.string(), name: z.string().min(1) }),
      ranges: z.array(z.object({ type: z.string(), events: z.array(OsvEvent) })).optional(),
      /** Explicitly listed affected versions, used when a record has no ranges. */
      versions: z.array(z.string()).optional(),
    }),
  ),
  database_specific: z
    .object({
      /** GitHub's rating: CRITICAL, HIGH, MODERATE, LOW. */
      severity: z.string().optional(),
      cwe_ids: z.array(z.string()).optional(),
    })
    .optional(),
});
export type OsvRecord = z.infer<typeof OsvRecord>;

const ECOSYSTEMS: Record<string, Ecosystem> = { npm: "npm", PyPI: "PyPI", Go: "Go" };
const MAX_RECORD_BYTES = 4 * 1024 * 1024;

/** Validates one parsed OSV record; an error string when it does not have the shape we read. */
export function parseOsvRecord(data: unknown): { ok: true; record: OsvRecord } | { ok: false; message: string } {
  const parsed = OsvRecord.safeParse(data);
  if (parsed.success) return { ok: true, record: parsed.data };
  const issue = parsed.error.issues[0];
  return { ok: false, message: `${issue.path.join(".") || "record"}: ${issue.message}` };
}

/**
 * One Advisory per package the record names (ranges of several `affected` entries for the same
 * package are merged). Withdrawn records and ecosystems we do not scan give nothing.
 */
export function advisoriesFromOsv(record: OsvRecord): Advisory[] {
  if (record.withdrawn) return [];
  const byPackage = new Map<string, Advisory>();
  for (const affected of record.affected) {
    const ecosystem = ECOSYSTEMS[affected.package.ecosystem];
    if (!ecosystem) continue;
    const ranges: AffectedRange[] = [];
    for (const r of affected.ranges ?? []) {
      // GIT ranges are commit hashes, meaningless for a released version.
      if (r.type === "ECOSYSTEM" || r.type === "SEMVER") ranges.push(...rangesFromEvents(ecosystem, r.events));
    }
    for (const v of affected.versions ?? []) ranges.push({ introduced: v, lastAffected: v });
    const key = `${ecosystem}\0${comparableName(ecosystem, affected.package.name)}`;
    const existing = byPackage.get(key);
    if (existing) {
      existing.ranges.push(...ranges);
      continue;
    }
    const cwe = record.database_specific?.cwe_ids ?? [];
    byPackage.set(key, {
      id: record.id,
      aliases: record.aliases ?? [],
      summary: record.summary ?? record.details?.split("\n")[0]?.slice(0, 200) ?? "",
      severity: severityFromGitHub(record.database_specific?.severity),
      ecosystem,
      package: affected.package.name,
      ranges,
      withdrawn: false,
      ...(record.id.startsWith("GHSA-") ? { url: `https://github.com/advisories/${record.id}` } : {}),
      ...(cwe.length > 0 ? { cwe } : {}),
    });
  }
  return [...byPackage.values()];
}

/**
 * Advisories from a folder of OSV JSON files (an offline mirror, or test fixtures). Read once,
 * on the first lookup; files that are not valid OSV are skipped and listed in `warnings`.
 */
export class OsvDirectorySource implements AdvisorySource {
  /** Files that were skipped, with why. Filled by the first lookup. */
  readonly warnings: string[] = [];
  private index: Promise<Map<string, Advisory[]>> | undefined;

  constructor(private readonly dir: string) {}

  async lookup(ecosystem: Ecosystem, packages: PackageQuery[]): Promise<Advisory[]> {
    const index = await this.load();
    const out: Advisory[] = [];
    const names = new Set(packages.map((p) => comparableName(ecosystem, p.name)));
    for (const name of names) out.push(...(index.get(`${ecosystem}\0${name}`) ?? []));
    return out;
  }

  private load(): Promise<Map<string, Advisory[]>> {
    this.index ??= this.read();
    return this.index;
  }

  private async read(): Promise<Map<string, Advisory[]>> {
    let names: string[];
    try {
      names = (await readdir(this.dir)).filter((n) => n.endsWith(".json")).sort();
    } catch (err) {
      this.index = undefined; // let a later scan retry
      throw new Error(`cannot read OSV advisories from ${this.dir}: ${err instanceof Error ? err.message : String(err)}`);
    }
    const index = new Map<string, Advisory[]>();
    for (const name of names) {
      const path = join(this.dir, name);
      try {
        const info = await stat(path);
        if (!info.isFile()) continue;
        if (info.size > MAX_RECORD_BYTES) {
          this.warnings.push(`${name}: larger than ${MAX_RECORD_BYTES} bytes, skipped`);
          continue;
        }
        const parsed = parseOsvRecord(JSON.parse(await readFile(path, "utf8")));
        if (!parsed.ok) {
          this.warnings.push(`${name}: not an OSV record (${parsed.message})`);
          continue;
        }
        for (const adv of advisoriesFromOsv(parsed.record)) {
          const key = `${adv.ecosystem}\0${comparableName(adv.ecosystem, adv.package)}`;
          const list = index.get(key) ?? [];
          list.push(adv);
          index.set(key, list);
        }
      } catch (err) {
        this.warnings.push(`${name}: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
    return index;
  }
}
