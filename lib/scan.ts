import { createHash } from "node:crypto";
import { fetchAdvisories } from "./advisories/index.js";
import type { Advisory, AdvisorySource } from "./advisories/types.js";
import { CONFIG_PATH, findIgnore, parseConfig, parseConfigText } from "./config/index.js";
import type { ConfigError, WardenConfig } from "./config/types.js";
import { collectDependencies } from "./deps/index.js";
import { detectServers, serverForPath } from "./detect/index.js";
import type { McpServer } from "./detect/types.js";
import { extractFacts } from "./extract/index.js";
import type { ExtractedFacts } from "./extract/types.js";
import { atLeast, compareFindings, SEVERITIES, type Finding, type RawFinding, type Severity } from "./model.js";
import { extractManifests } from "./manifests/index.js";
import { redact } from "./redact.js";
import type { ScanResult, ServerReport, SuppressedFinding } from "./result.js";
import { runRules } from "./rules/index.js";
import { computeScore } from "./score/index.js";
import { applyExcludes } from "./snapshot/index.js";
import type { RepoSnapshot } from "./snapshot/types.js";
import { VERSION } from "./version.js";

export interface ScanOptions {
  /**
   * The maintainer's configuration: either an already-parsed object (the App reads it with
   * octokit.config.get, which also merges organisation defaults) or the YAML text (CLI).
   * When both are absent, `.github/mcp-warden.yml` inside the snapshot is used, if present.
   */
  config?: { raw: unknown } | { text: string };
  /** Where advisories come from; without one, dependency checks are reported as not run. */
  advisorySource?: AdvisorySource;
  /**
   * Servers the caller already detected on this snapshot (the App detects first, to stop early
   * on repositories without one). Ignored when `paths.exclude` changes the snapshot.
   */
  servers?: McpServer[];
}

/**
 * The whole engine: snapshot -> detect -> extract -> deps/advisories -> rules -> score.
 * Never throws for bad repository content; problems become notes, warnings or findings.
 */
export async function scanSnapshot(input: RepoSnapshot, options: ScanOptions = {}): Promise<ScanResult> {
  const { config, errors: configErrors } = readConfig(input, options);
  const snapshot = config.paths.exclude.length > 0 ? applyExcludes(input, config.paths.exclude) : input;
  const warnings: string[] = [];

  const servers = snapshot === input && options.servers ? options.servers : detectServers(snapshot);
  if (servers.length === 0) {
    return emptyResult(snapshot, config, configErrors, ["No MCP server was found in this repository."]);
  }

  // Source code is analysed only inside server folders (extractFacts): a monorepo's unrelated
  // packages are not the server's attack surface. Client configs and secrets are repository-wide.
  const facts: ExtractedFacts = await extractFacts(snapshot, servers);

  const deps = collectDependencies(snapshot, servers);
  let advisories: Advisory[] = [];
  if (options.advisorySource) {
    try {
      advisories = await fetchAdvisories(options.advisorySource, deps);
    } catch (err) {
      warnings.push(`Dependencies were not checked against advisories: ${errorMessage(err)}.`);
    }
  } else if (deps.dependencies.length > 0) {
    warnings.push("Dependencies were not checked against advisories: no advisory source was configured.");
  }

  const manifests = extractManifests(snapshot, servers);
  const run = runRules({ snapshot, servers, facts, deps, advisories, manifests });
  for (const failure of run.failures) {
    warnings.push(`Rule family ${failure.family} failed and its findings are missing: ${failure.message}.`);
  }

  const all = finalize(run.findings, servers);
  const suppressed: SuppressedFinding[] = [];
  const kept: Finding[] = [];
  for (const finding of all) {
    const rule = findIgnore(finding, config);
    if (rule) suppressed.push({ finding, rule });
    else kept.push(finding);
  }
  const posted = kept.filter((f) => atLeast(f.severity, config.issue.minSeverity));

  return {
    version: VERSION,
    servers: serverReports(servers, facts),
    findings: posted,
    suppressed,
    belowThreshold: kept.length - posted.length,
    score: computeScore(posted),
    counts: countBySeverity(posted),
    snapshotNotes: snapshot.notes,
    configErrors,
    problems: [...facts.files.flatMap((f) => f.problems), ...deps.problems],
    unresolvedDependencies: deps.unresolved.length,
    warnings,
    config,
  };
}

function readConfig(snapshot: RepoSnapshot, options: ScanOptions): { config: WardenConfig; errors: ConfigError[] } {
  if (options.config && "raw" in options.config) return parseConfig(options.config.raw);
  if (options.config && "text" in options.config) return parseConfigText(options.config.text);
  const text = snapshot.files.get(CONFIG_PATH) ?? snapshot.files.get(CONFIG_PATH.replace(/\.yml$/, ".yaml"));
  return text === undefined ? parseConfig(undefined) : parseConfigText(text);
}

/**
 * Attribute, fingerprint, redact and de-duplicate. The fingerprint is rule + path + the rule's
 * own key, never the line, so a finding keeps its identity when unrelated lines move.
 */
export function finalize(raw: RawFinding[], servers: McpServer[]): Finding[] {
  const byFingerprint = new Map<string, Finding>();
  for (const { key, server, ...rest } of raw) {
    const fingerprint = createHash("sha256")
      .update(`${rest.ruleId}\0${rest.path}\0${key}`)
      .digest("hex")
      .slice(0, 24);
    if (byFingerprint.has(fingerprint)) continue;
    byFingerprint.set(fingerprint, {
      ...rest,
      message: redact(rest.message),
      evidence: redact(rest.evidence),
      // Remediation may quote the repository too (the pinned form of a config's args, say).
      remediation: redact(rest.remediation),
      server: server ?? serverForPath(servers, rest.path),
      fingerprint,
    });
  }
  return [...byFingerprint.values()].sort(compareFindings);
}

function serverReports(servers: McpServer[], facts: ExtractedFacts): ServerReport[] {
  const reports = servers.map((s): ServerReport => ({ ...s, tools: [], dynamicTools: 0, prompts: [], resources: [], instructions: [] }));
  const byRoot = new Map(reports.map((r) => [r.root, r]));
  for (const file of facts.files) {
    const report = byRoot.get(serverForPath(servers, file.path));
    if (!report) continue;
    for (const tool of file.tools) {
      report.tools.push(tool);
      if (tool.name === null || tool.description?.dynamic) report.dynamicTools++;
    }
    report.prompts!.push(...(file.prompts ?? []));
    report.resources!.push(...(file.resources ?? []));
    report.instructions!.push(...(file.instructions ?? []));
  }
  for (const report of reports) {
    report.tools.sort(
      (a, b) => (a.name ?? "").localeCompare(b.name ?? "") || a.span.path.localeCompare(b.span.path) || a.span.line - b.span.line,
    );
  }
  return reports;
}

function countBySeverity(findings: Finding[]): Record<Severity, number> {
  const counts = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  for (const f of findings) counts[f.severity]++;
  return counts;
}

function emptyResult(
  snapshot: RepoSnapshot,
  config: WardenConfig,
  configErrors: ConfigError[],
  warnings: string[],
): ScanResult {
  return {
    version: VERSION,
    servers: [],
    findings: [],
    suppressed: [],
    belowThreshold: 0,
    score: computeScore([]),
    counts: countBySeverity([]),
    snapshotNotes: snapshot.notes,
    configErrors,
    problems: [],
    unresolvedDependencies: 0,
    warnings,
    config,
  };
}

function errorMessage(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).replace(/\.$/, "");
}
