import { z } from "zod";
import { comparableName } from "../deps/collector.js";
import type { Ecosystem } from "../deps/types.js";
import { parseGitHubRange } from "./github-range.js";
import { severityFromGitHub } from "./severity.js";
import type { Advisory, AdvisorySource, AffectedRange, PackageQuery } from "./types.js";

/**
 * The one octokit method used. Probot's `context.octokit` fits as is, so lib/ needs no Probot
 * import (and tests can pass a stub).
 */
export interface AdvisoryOctokit {
  request(route: string, params: object): Promise<{ data: unknown; headers: Record<string, string | number | undefined> }>;
}

/** GitHub's words for our ecosystems in `GET /advisories?ecosystem=`. */
const GITHUB_ECOSYSTEM: Record<Ecosystem, string> = { npm: "npm", PyPI: "pip", Go: "go" };

/** The fields of a global security advisory (REST `GET /advisories`) that this engine reads. */
const RestVulnerability = z.object({
  /** Null for advisories about a product rather than a package. */
  package: z.object({ ecosystem: z.string(), name: z.string().nullable().optional() }).nullable().optional(),
  /** e.g. ">= 1.0.0, < 1.2.3"; null when GitHub does not know it. */
  vulnerable_version_range: z.string().nullable().optional(),
  /** A version string; older API versions wrapped it as `{ identifier }`. */
  first_patched_version: z.union([z.string(), z.object({ identifier: z.string() })]).nullable().optional(),
});

const RestAdvisory = z.object({
  ghsa_id: z.string().min(1),
  cve_id: z.string().nullable().optional(),
  summary: z.string().nullable().optional(),
  /** critical, high, medium, low, unknown. */
  severity: z.string().nullable().optional(),
  /** Set when the advisory was retracted; such advisories must never match. */
  withdrawn_at: z.string().nullable().optional(),
  html_url: z.string().nullable().optional(),
  identifiers: z.array(z.object({ type: z.string(), value: z.string() })).nullable().optional(),
  cwes: z.array(z.object({ cwe_id: z.string() })).nullable().optional(),
  vulnerabilities: z.array(RestVulnerability).nullable().optional(),
});
type RestAdvisory = z.infer<typeof RestAdvisory>;

export interface GitHubAdvisoryOptions {
  /** Packages per request; GitHub accepts up to 1000 in `affects`. */
  chunkSize?: number;
  /** Safety stop for cursor pagination, per chunk. */
  maxPages?: number;
}

/**
 * Advisories from GitHub's reviewed advisory database (`GET /advisories`), asking only about the
 * exact package@version pairs in use. Request failures are thrown, for the caller to report.
 */
export class GitHubAdvisorySource implements AdvisorySource {
  /** Responses or records that were skipped, with why. */
  readonly warnings: string[] = [];
  /** Requests sent so far (for logs and tests). */
  requests = 0;
  private readonly chunkSize: number;
  private readonly maxPages: number;

  constructor(
    private readonly octokit: AdvisoryOctokit,
    options: GitHubAdvisoryOptions = {},
  ) {
    this.chunkSize = Math.max(1, Math.min(1000, options.chunkSize ?? 1000));
    this.maxPages = Math.max(1, options.maxPages ?? 100);
  }

  async lookup(ecosystem: Ecosystem, packages: PackageQuery[]): Promise<Advisory[]> {
    const affects = [...new Set(packages.map((p) => `${p.name}@${ecosystem === "Go" ? p.version.replace(/^v/, "") : p.version}`))];
    const wanted = new Set(packages.map((p) => comparableName(ecosystem, p.name)));
    const seen = new Set<string>();
    const out: Advisory[] = [];
    for (let i = 0; i < affects.length; i += this.chunkSize) {
      for await (const raw of this.pages(ecosystem, affects.slice(i, i + this.chunkSize))) {
        // The same advisory can come back for several chunks; each response holds all of it.
        if (seen.has(raw.ghsa_id)) continue;
        seen.add(raw.ghsa_id);
        out.push(...toAdvisories(raw, ecosystem, wanted));
      }
    }
    return out;
  }

  private async *pages(ecosystem: Ecosystem, affects: string[]): AsyncGenerator<RestAdvisory> {
    const params = { ecosystem: GITHUB_ECOSYSTEM[ecosystem], affects: affects.join(","), type: "reviewed", per_page: 100 };
    const cursors = new Set<string>();
    let after: string | undefined;
    for (let page = 0; page < this.maxPages; page++) {
      let response: Awaited<ReturnType<AdvisoryOctokit["request"]>>;
      this.requests++;
      try {
        response = await this.octokit.request("GET /advisories", after === undefined ? params : { ...params, after });
      } catch (err) {
        const status = typeof err === "object" && err !== null && "status" in err ? ` (HTTP ${String(err.status)})` : "";
        throw new Error(`GitHub advisory lookup failed${status}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
      }
      const list = z.array(z.unknown()).safeParse(response.data);
      if (!list.success) throw new Error("GitHub advisory lookup returned an unexpected response (not a list)");
      for (const item of list.data) {
        const parsed = RestAdvisory.safeParse(item);
        if (parsed.success) yield parsed.data;
        else this.warnings.push(`skipped an advisory with an unexpected shape: ${parsed.error.issues[0]?.message ?? "invalid"}`);
      }
      after = nextCursor(response.headers.link ?? response.headers.Link);
      if (after === undefined) return;
      if (cursors.has(after)) throw new Error("GitHub advisory lookup: pagination cursor repeated");
      cursors.add(after);
    }
    this.warnings.push(`advisory results for ${ecosystem} stopped after ${this.maxPages} pages`);
  }
}

/** The `after` cursor of the `rel="next"` URL in a Link header, if there is one. */
export function nextCursor(link: string | number | undefined): string | undefined {
  if (typeof link !== "string") return undefined;
  for (const m of link.matchAll(/<([^>]*)>\s*;\s*rel="?([^";]*)"?/g)) {
    if (!m[2].split(/\s+/).includes("next")) continue;
    try {
      return new URL(m[1], "https://api.github.com").searchParams.get("after") ?? undefined;
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/** One Advisory per (GHSA, requested package); several vulnerable ranges of a package merge. */
function toAdvisories(raw: RestAdvisory, ecosystem: Ecosystem, wanted: Set<string>): Advisory[] {
  if (raw.withdrawn_at) return [];
  const byPackage = new Map<string, Advisory>();
  for (const v of raw.vulnerabilities ?? []) {
    const name = v.package?.name;
    if (!name || v.package?.ecosystem.toLowerCase() !== GITHUB_ECOSYSTEM[ecosystem]) continue;
    const key = comparableName(ecosystem, name);
    if (!wanted.has(key)) continue;
    const ranges = rangesOf(v.vulnerable_version_range, v.first_patched_version);
    const existing = byPackage.get(key);
    if (existing) {
      existing.ranges.push(...ranges);
      continue;
    }
    const aliases = new Set<string>();
    if (raw.cve_id) aliases.add(raw.cve_id);
    for (const id of raw.identifiers ?? []) if (id.value !== raw.ghsa_id) aliases.add(id.value);
    const cwe = (raw.cwes ?? []).map((c) => c.cwe_id);
    byPackage.set(key, {
      id: raw.ghsa_id,
      aliases: [...aliases],
      summary: raw.summary ?? "",
      severity: severityFromGitHub(raw.severity),
      ecosystem,
      package: name,
      ranges,
      withdrawn: false,
      url: raw.html_url ?? `https://github.com/advisories/${raw.ghsa_id}`,
      ...(cwe.length > 0 ? { cwe } : {}),
    });
  }
  return [...byPackage.values()];
}

function rangesOf(range: string | null | undefined, patched: string | { identifier: string } | null | undefined): AffectedRange[] {
  if (range) return parseGitHubRange(range);
  const fixed = typeof patched === "string" ? patched : patched?.identifier;
  // Without a range, everything below the first patched version is the only safe reading.
  return fixed ? [{ introduced: "0", fixed }] : [];
}
