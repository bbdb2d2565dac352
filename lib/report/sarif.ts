/**
 * SARIF 2.1.0 output, shaped for GitHub code scanning (`github/codeql-action/upload-sarif`).
 * Pure and deterministic like the other outputs: rules sorted by id, results in report order
 * (findings, then suppressed findings), no timestamps. docs/output-formats.md describes it.
 */
import type { Finding, Severity } from "../model.js";
import { SEVERITIES, SEVERITY_RANK } from "../model.js";
import { redact } from "../redact.js";
import type { ScanResult } from "../result.js";
import { RULE_FAMILIES } from "../rules/index.js";
import type { RuleFamily, RuleInfo } from "../rules/types.js";
import { VERSION } from "../version.js";
import { encodePath } from "./links.js";
import { byCodeUnits, sortFindings, sortSuppressed } from "./order.js";
import { revealInvisible, truncate } from "./sanitize.js";

export const SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";
export const SARIF_FINGERPRINT = "mcpWarden/v1";
const INFORMATION_URI = "https://github.com/apps/mcp-warden";

/** GitHub reads `security-severity` (0.0-10.0) to show critical/high/medium/low. */
export const SECURITY_SEVERITY: Record<Severity, string> = {
  critical: "9.5",
  high: "8.0",
  medium: "5.5",
  low: "3.0",
  info: "0.0",
};

export type SarifLevel = "error" | "warning" | "note";

export function sarifLevel(severity: Severity): SarifLevel {
  return severity === "critical" || severity === "high" ? "error" : severity === "medium" ? "warning" : "note";
}

export interface SarifContext {
  /** The commit scanned; with owner and repo it becomes the run's versionControlProvenance. */
  sha?: string;
  owner?: string;
  repo?: string;
  /** Rule documentation source; every registered family by default. */
  families?: readonly RuleFamily[];
}

/** Longest evidence kept; SARIF is read in a UI next to the code, not as a dump of the file. */
const EVIDENCE_MAX = 2000;
const TEXT_MAX = 4000;

/** Repository-derived text: no secret, no invisible characters, bounded length. */
function clean(text: unknown, max = TEXT_MAX): string {
  if (typeof text !== "string") return "";
  return truncate(revealInvisible(redact(text)), max);
}

function isSeverity(value: unknown): value is Severity {
  return typeof value === "string" && (SEVERITIES as readonly string[]).includes(value);
}

function sentence(text: string): string {
  const t = text.trim();
  return t === "" || /[.!?:]$/.test(t) ? t : `${t}.`;
}

interface RuleEntry {
  info: RuleInfo;
  severity: Severity;
  cwe: Set<string>;
  categories: Set<string>;
}

/**
 * One descriptor per rule id: documented rules (a family's incomplete entry is still used), plus
 * any id a finding carries that no family documents, so every result has a ruleIndex.
 */
function collectRules(families: readonly RuleFamily[], findings: readonly Finding[]): RuleEntry[] {
  const byId = new Map<string, RuleEntry>();
  for (const family of families) {
    for (const info of Array.isArray(family?.rules) ? family.rules : []) {
      if (typeof info?.id !== "string" || info.id === "" || byId.has(info.id)) continue;
      byId.set(info.id, { info, severity: isSeverity(info.severity) ? info.severity : "info", cwe: new Set(), categories: new Set() });
    }
  }
  for (const f of findings) {
    let entry = byId.get(f.ruleId);
    if (!entry) {
      entry = { info: { id: f.ruleId, title: f.ruleId }, severity: f.severity, cwe: new Set(), categories: new Set() };
      byId.set(f.ruleId, entry);
    }
    // Undocumented severity: the highest this scan saw for the rule.
    if (!isSeverity(entry.info.severity) && SEVERITY_RANK[f.severity] > SEVERITY_RANK[entry.severity]) entry.severity = f.severity;
    for (const c of f.cwe) entry.cwe.add(c);
    if (!entry.info.category) entry.categories.add(f.category);
  }
  return [...byId.values()].sort((a, b) => byCodeUnits(a.info.id, b.info.id));
}

function ruleDescriptor({ info, severity, cwe, categories }: RuleEntry) {
  const title = typeof info.title === "string" && info.title.trim() !== "" ? info.title.trim() : info.id;
  const looksFor = info.looksFor?.trim() ?? "";
  const ignores = info.ignores?.trim() ?? "";
  const remediation = info.remediation?.trim() ?? "";
  const text = [
    looksFor && `Looks for: ${sentence(looksFor)}`,
    ignores && `Deliberately ignores: ${sentence(ignores)}`,
    remediation && `Remediation: ${sentence(remediation)}`,
  ].filter(Boolean);
  const markdown = [
    `**${title}**`,
    looksFor && `**Looks for.** ${looksFor}`,
    ignores && `**Deliberately ignores.** ${ignores}`,
    remediation && `**Remediation.** ${remediation}`,
  ].filter(Boolean);
  const tags = [
    "security",
    ...(info.category ? [info.category] : [...categories].sort(byCodeUnits)),
    ...[...cwe].sort(byCodeUnits),
  ];
  return {
    id: info.id,
    name: info.id,
    shortDescription: { text: title },
    fullDescription: { text: looksFor || title },
    help: { text: text.length > 0 ? text.join("\n\n") : title, markdown: markdown.join("\n\n") },
    defaultConfiguration: { level: sarifLevel(severity) },
    properties: {
      tags: [...new Set(tags)],
      "security-severity": SECURITY_SEVERITY[severity],
      ...(info.category ? { category: info.category } : {}),
      ...(isSeverity(info.severity) ? { severity: info.severity } : {}),
    },
  };
}

function positiveLine(n: unknown, fallback = 1): number {
  return typeof n === "number" && Number.isInteger(n) && n >= 1 ? n : fallback;
}

function location(f: Finding) {
  const uri = encodePath(String(f.path ?? "").replace(/\\/g, "/"));
  if (uri === "") return [];
  const startLine = positiveLine(f.line);
  const endLine = Math.max(startLine, positiveLine(f.endLine, startLine));
  return [
    {
      physicalLocation: {
        artifactLocation: { uri, uriBaseId: "%SRCROOT%" },
        region: { startLine, endLine },
      },
    },
  ];
}

function resultJson(f: Finding, ruleIndex: Map<string, number>, suppression?: string) {
  const message = sentence(clean(f.message));
  const remediation = sentence(clean(f.remediation));
  return {
    ruleId: f.ruleId,
    ruleIndex: ruleIndex.get(f.ruleId)!,
    level: sarifLevel(f.severity),
    message: { text: remediation ? `${message} ${remediation}` : message },
    locations: location(f),
    partialFingerprints: { [SARIF_FINGERPRINT]: f.fingerprint },
    properties: {
      severity: f.severity,
      confidence: f.confidence,
      category: f.category,
      server: clean(f.server, 500),
      tool: f.tool === undefined ? null : clean(f.tool, 500),
      evidence: clean(f.evidence, EVIDENCE_MAX),
      cwe: [...f.cwe].sort(byCodeUnits),
      owasp: [...f.owasp].sort(byCodeUnits),
    },
    ...(suppression !== undefined ? { suppressions: [{ kind: "external", justification: clean(suppression, 1000) }] } : {}),
  };
}

/** Problems that made the scan partial: shown as tool notifications, so "incomplete" is visible. */
function notifications(result: ScanResult) {
  const out: { level: SarifLevel; message: { text: string }; locations?: object[] }[] = [];
  for (const w of [...(result.warnings ?? [])].sort(byCodeUnits)) out.push({ level: "warning", message: { text: clean(w) } });
  for (const e of [...result.configErrors].sort((a, b) => byCodeUnits(a.field, b.field) || byCodeUnits(a.message, b.message))) {
    out.push({ level: "warning", message: { text: clean(`Configuration ${e.field}: ${e.message}`) } });
  }
  for (const p of [...result.problems].sort((a, b) => byCodeUnits(a.path, b.path) || byCodeUnits(a.message, b.message))) {
    const uri = encodePath(p.path);
    out.push({
      level: "note",
      message: { text: clean(`${p.path}: ${p.message}`) },
      ...(uri ? { locations: [{ physicalLocation: { artifactLocation: { uri, uriBaseId: "%SRCROOT%" } } }] } : {}),
    });
  }
  return out;
}

/** SARIF 2.1.0 text for one scan: one run, every documented rule, findings and suppressed findings. */
export function renderSarif(result: ScanResult, ctx: SarifContext = {}): string {
  const findings = sortFindings(result.findings);
  const suppressed = sortSuppressed(result.suppressed);
  const rules = collectRules(ctx.families ?? RULE_FAMILIES, [...findings, ...suppressed.map((s) => s.finding)]);
  const ruleIndex = new Map(rules.map((r, i) => [r.info.id, i]));
  const sha = ctx.sha && /^[0-9a-f]{7,64}$/i.test(ctx.sha) ? ctx.sha : undefined;
  const repoOk = (s: string | undefined): s is string => typeof s === "string" && /^[\w.-]+$/.test(s);
  const run = {
    tool: {
      driver: {
        name: "mcp-warden",
        version: result.version || VERSION,
        semanticVersion: result.version || VERSION,
        informationUri: INFORMATION_URI,
        rules: rules.map(ruleDescriptor),
      },
    },
    ...(sha && repoOk(ctx.owner) && repoOk(ctx.repo)
      ? { versionControlProvenance: [{ repositoryUri: `https://github.com/${ctx.owner}/${ctx.repo}`, revisionId: sha }] }
      : {}),
    invocations: [{ executionSuccessful: true, toolExecutionNotifications: notifications(result) }],
    results: [
      ...findings.map((f) => resultJson(f, ruleIndex)),
      ...suppressed.map((s) => resultJson(s.finding, ruleIndex, s.rule.reason)),
    ],
    columnKind: "utf16CodeUnits",
    properties: {
      score: result.score.score,
      grade: result.score.grade,
      ...(sha ? { commit: sha } : {}),
    },
  };
  return JSON.stringify({ $schema: SARIF_SCHEMA, version: "2.1.0", runs: [run] }, null, 2);
}
