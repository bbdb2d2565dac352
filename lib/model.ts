/**
 * The finding model shared by every stage and every output (issue, JSON, SARIF, check run).
 * See ../shared/GUIDE.md section 3. Changing a field here changes the public JSON format.
 */

export const SEVERITIES = ["critical", "high", "medium", "low", "info"] as const;
export type Severity = (typeof SEVERITIES)[number];

export const CONFIDENCES = ["high", "medium", "low"] as const;
export type Confidence = (typeof CONFIDENCES)[number];

/** Fixed vocabulary: JSON output and SARIF use exactly these words. */
export const CATEGORIES = [
  "tool-poisoning",
  "hidden-unicode",
  "tool-shadowing",
  "command-injection",
  "code-execution",
  "path-traversal",
  "ssrf",
  "sql-injection",
  "hardcoded-secret",
  "insecure-transport",
  "tls-verification-disabled",
  "vulnerable-dependency",
  "unpinned-launch",
  "excessive-permissions",
  "supply-chain",
  "misconfiguration",
  "other",
] as const;
export type Category = (typeof CATEGORIES)[number];

/** Higher is more severe; used for sorting and thresholds. */
export const SEVERITY_RANK: Record<Severity, number> = {
  critical: 4,
  high: 3,
  medium: 2,
  low: 1,
  info: 0,
};

export function atLeast(severity: Severity, threshold: Severity): boolean {
  return SEVERITY_RANK[severity] >= SEVERITY_RANK[threshold];
}

export interface Finding {
  /** Stable id, e.g. MCPW-EXEC-001; never reused for another meaning. */
  ruleId: string;
  category: Category;
  severity: Severity;
  confidence: Confidence;
  /** Relative to the scanned root, forward slashes. */
  path: string;
  /** 1-based. */
  line: number;
  endLine: number;
  /** Folder of the MCP server this finding belongs to ("." for the repository root). */
  server: string;
  /** The MCP tool concerned, when there is one. */
  tool?: string;
  /** One sentence a maintainer understands without the docs. */
  message: string;
  /** Short snippet or trace that proves it; secrets already redacted. */
  evidence: string;
  /** Concrete steps, naming the safe API to use instead. */
  remediation: string;
  cwe: string[];
  owasp: string[];
  /** Stable across unrelated edits: rule + path + normalised key, never the line number. */
  fingerprint: string;
}

/**
 * What a rule emits. The pipeline adds `server` and `fingerprint`.
 * `key` is what identifies the finding within its file across edits (a normalised snippet,
 * a package name, a config entry); it must not contain a secret in clear.
 */
export type RawFinding = Omit<Finding, "server" | "fingerprint"> & { key: string; server?: string };

/** Ordering used by every output: severity, then path, line, rule. Deterministic. */
export function compareFindings(a: Finding, b: Finding): number {
  return (
    SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] ||
    a.server.localeCompare(b.server) ||
    a.path.localeCompare(b.path) ||
    a.line - b.line ||
    a.ruleId.localeCompare(b.ruleId) ||
    a.fingerprint.localeCompare(b.fingerprint)
  );
}
