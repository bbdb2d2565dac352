/**
 * Orderings for every output. Comparisons are by code unit, never by locale, so two machines
 * render byte-identical reports.
 */
import type { Finding } from "../model.js";
import { SEVERITY_RANK } from "../model.js";
import type { ServerReport, SuppressedFinding } from "../result.js";

export function byCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Severity, then server, path, line, rule, fingerprint. */
export function compareFindingsStable(a: Finding, b: Finding): number {
  return (
    SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] ||
    byCodeUnits(a.server, b.server) ||
    byCodeUnits(a.path, b.path) ||
    a.line - b.line ||
    a.endLine - b.endLine ||
    byCodeUnits(a.ruleId, b.ruleId) ||
    byCodeUnits(a.fingerprint, b.fingerprint) ||
    byCodeUnits(a.message, b.message)
  );
}

export function sortFindings(findings: readonly Finding[]): Finding[] {
  return [...findings].sort(compareFindingsStable);
}

export function sortSuppressed(list: readonly SuppressedFinding[]): SuppressedFinding[] {
  return [...list].sort(
    (a, b) => compareFindingsStable(a.finding, b.finding) || byCodeUnits(a.rule.reason, b.rule.reason),
  );
}

export function sortServers(servers: readonly ServerReport[]): ServerReport[] {
  return [...servers].sort((a, b) => byCodeUnits(a.root, b.root) || byCodeUnits(a.name, b.name));
}

/** Server folders in display order: every detected server and any folder findings mention, sorted. */
export function serverRoots(servers: readonly ServerReport[], findings: readonly Finding[]): string[] {
  return [...new Set([...servers.map((s) => s.root), ...findings.map((f) => f.server)])].sort(byCodeUnits);
}
