/**
 * The sections of the issue body, each a pure function returning markdown (or "" when it has
 * nothing to say). Every piece of repository-derived text goes through sanitize.ts.
 */
import type { ConfigError } from "../config/types.js";
import type { Finding, Severity } from "../model.js";
import { SEVERITIES, SEVERITY_RANK } from "../model.js";
import type { ScanResult, ServerReport, SuppressedFinding } from "../result.js";
import {
  CATEGORY_CAPS,
  CONFIDENCE_FACTORS,
  SEVERITY_CEILINGS,
  SEVERITY_WEIGHTS,
  explainScore,
} from "../score/index.js";
import type { SnapshotNote } from "../snapshot/types.js";
import { SEVERITY_LABEL, fenceLanguage, formatPoints, plural } from "./format.js";
import type { RepoRef } from "./links.js";
import { commitMarkdown, locationMarkdown } from "./links.js";
import { byCodeUnits, serverRoots, sortServers } from "./order.js";
import { redact as redactSecrets } from "../redact.js";
import { clipBlock, codeSpan, escapeInline, escapeProse, fencedBlock } from "./sanitize.js";
import type { StateChanges } from "./state.js";
import { capabilityLabels, isLethalCombination } from "../extract/capabilities-view.js";

/** What the budget lets a rendering include; see markdown.ts for the order detail is dropped in. */
export interface Detail {
  inventory: boolean;
  /** Evidence is shown for findings at or above this severity; null: for none. */
  evidenceFrom: Severity | null;
  /** Findings at or above this severity are listed; the rest are only counted. */
  listFrom: Severity;
  oneLine: boolean;
  /** At most this many findings are listed (the most severe first). */
  maxListed: number;
  /** At most this many suppressed findings are listed. */
  maxSuppressed: number;
}

const MAX_SERVERS_LISTED = 50;
const MAX_TOOLS_LISTED = 100;
const MAX_PROBLEMS_LISTED = 10;
const MAX_CONFIG_ERRORS_LISTED = 20;
const EVIDENCE_LINES = 20;
const EVIDENCE_CHARS = 1500;

function clean(text: string, max?: number): string {
  return escapeInline(redactSecrets(String(text ?? "")), max);
}

/** Like `clean`, but `code` spans written by the rules render as code. */
function prose(text: string, max?: number): string {
  return escapeProse(redactSecrets(String(text ?? "")), max);
}

// ---- top -------------------------------------------------------------------------------------

export function summarySection(result: ScanResult, ref: RepoRef): string {
  const { score, grade } = result.score;
  const servers = plural(result.servers.length, "MCP server");
  return [
    `## MCP server security scan: ${score}/100, grade ${grade}`,
    "",
    `Commit scanned: ${commitMarkdown(ref)} · ${servers} · mcp-warden ${clean(result.version, 40)}`,
  ].join("\n");
}

export function countsSection(result: ScanResult): string {
  const header = `| ${SEVERITIES.map((s) => SEVERITY_LABEL[s]).join(" | ")} |`;
  const align = `|${SEVERITIES.map(() => "---:").join("|")}|`;
  const row = `| ${SEVERITIES.map((s) => String(result.counts[s] ?? 0)).join(" | ")} |`;
  const extra: string[] = [];
  if (result.suppressed.length > 0) extra.push(`${plural(result.suppressed.length, "finding")} suppressed by configuration`);
  if (result.belowThreshold > 0) {
    extra.push(
      `${plural(result.belowThreshold, "finding")} below the minimum severity ${codeSpan(result.config?.issue?.minSeverity ?? "low")} (not listed, not scored)`,
    );
  }
  const lines = [header, align, row];
  if (extra.length > 0) lines.push("", `Also: ${extra.join("; ")}.`);
  return lines.join("\n");
}

export function changesSection(changes: StateChanges | null): string {
  if (!changes) return "";
  const parts = `${plural(changes.added.length, "new finding")}, ${changes.fixed} fixed`;
  const partial = changes.complete ? "" : " (partial comparison: the previous report recorded only some findings)";
  if (changes.added.length === 0 && changes.fixed === 0) {
    return `**Since the last scan:** no change${partial}.`;
  }
  return `**Since the last scan:** ${parts}${partial}.`;
}

export function inconclusiveNotice(result: ScanResult): string {
  if ((result.warnings ?? []).length === 0) return "";
  return "> [!WARNING]\n> Part of this scan was inconclusive, so the score may be too good. See **Scan coverage** below.";
}

export function configErrorSection(errors: readonly ConfigError[]): string {
  if (errors.length === 0) return "";
  const sorted = [...errors].sort((a, b) => byCodeUnits(a.field, b.field) || byCodeUnits(a.message, b.message));
  const lines = [
    "### Configuration error",
    "",
    `${codeSpan(".github/mcp-warden.yml")} is not valid. The scan ran with the default for each field below.`,
    "",
    "| Field | Problem |",
    "|---|---|",
    ...sorted
      .slice(0, MAX_CONFIG_ERRORS_LISTED)
      .map((e) => `| ${codeSpan(e.field || "(file)", { table: true, max: 100 })} | ${clean(e.message, 300)} |`),
  ];
  if (sorted.length > MAX_CONFIG_ERRORS_LISTED) {
    lines.push("", `…and ${plural(sorted.length - MAX_CONFIG_ERRORS_LISTED, "more problem")}.`);
  }
  return lines.join("\n");
}

export function serversSection(servers: readonly ServerReport[]): string {
  if (servers.length === 0) return "";
  const sorted = sortServers(servers);
  const rows = sorted.slice(0, MAX_SERVERS_LISTED).map((s) => {
    const frameworks = [...s.frameworks].sort(byCodeUnits).map((f) => codeSpan(f, { table: true, max: 80 }));
    const tools = `${s.tools.length}${s.dynamicTools > 0 ? ` (+${s.dynamicTools} built at run time)` : ""}`;
    return `| ${codeSpan(s.root, { table: true, max: 120 })} | ${clean(s.name, 120)} | ${clean(s.language, 20)} | ${frameworks.join(", ") || "-"} | ${tools} |`;
  });
  const lines = ["### Servers scanned", "", "| Server | Name | Language | Frameworks | Tools |", "|---|---|---|---|---:|", ...rows];
  if (sorted.length > MAX_SERVERS_LISTED) lines.push("", `…and ${plural(sorted.length - MAX_SERVERS_LISTED, "more server")}.`);
  return lines.join("\n");
}

// ---- findings --------------------------------------------------------------------------------

function references(f: Finding): string {
  const cwe = [...f.cwe].sort(byCodeUnits).map((id) => {
    const m = /^CWE-(\d{1,6})$/.exec(id);
    return m ? `[${id}](https://cwe.mitre.org/data/definitions/${m[1]}.html)` : clean(id, 40);
  });
  const owasp = [...f.owasp].sort(byCodeUnits).map((id) => clean(id, 40));
  return [...cwe, ...owasp].join(", ");
}

/** Multi-line remediation keeps its line breaks; each line is escaped on its own. */
function remediationText(text: string): string {
  const lines = clipBlock(redactSecrets(text), 15, 1200)
    .split("\n")
    .map((l) => escapeProse(l, 1200))
    .filter((l) => l !== "");
  return lines.join("<br>");
}

function findingBlock(f: Finding, ref: RepoRef, showEvidence: boolean, isNew: boolean): string {
  const head = `${isNew ? "**New** · " : ""}**${codeSpan(f.ruleId, { max: 60 })}** ${prose(f.message, 500)}`;
  const meta = [
    f.tool !== undefined ? `Tool ${codeSpan(f.tool, { max: 100 })}` : "",
    locationMarkdown(ref, f.path, f.line, f.endLine),
    `${clean(f.category, 40)}, ${clean(f.confidence, 10)} confidence`,
    references(f),
  ].filter((p) => p !== "");
  const parts = [head, "", meta.join(" · ")];
  if (showEvidence && f.evidence.trim() !== "") {
    parts.push("", fencedBlock(clipBlock(redactSecrets(f.evidence), EVIDENCE_LINES, EVIDENCE_CHARS), fenceLanguage(f.path)));
  }
  const fix = remediationText(f.remediation);
  if (fix) parts.push("", `**Fix:** ${fix}`);
  return parts.join("\n");
}

function findingLine(f: Finding, ref: RepoRef, isNew: boolean): string {
  const tool = f.tool !== undefined ? ` (tool ${codeSpan(f.tool, { max: 60 })})` : "";
  return `- ${isNew ? "**New** " : ""}${codeSpan(f.ruleId, { max: 60 })} ${locationMarkdown(ref, f.path, f.line, f.endLine)}${tool}: ${prose(f.message, 160)}`;
}

function serverHeading(root: string, servers: readonly ServerReport[]): string {
  const server = servers.find((s) => s.root === root);
  const name = server && server.name !== root ? ` (${clean(server.name, 120)})` : "";
  const where = root === "." ? "Repository root" : `Server ${codeSpan(root, { max: 120 })}`;
  return `#### ${where}${name}`;
}

/**
 * Findings grouped by server, then severity. `findings` is already sorted; `detail` decides
 * what is listed and how much of each.
 */
export function findingsSection(
  result: ScanResult,
  findings: readonly Finding[],
  ref: RepoRef,
  detail: Detail,
  added: ReadonlySet<string>,
): { text: string; omitted: number; evidenceHidden: number } {
  if (findings.length === 0) return { text: "", omitted: 0, evidenceHidden: 0 };
  let evidenceHidden = 0;
  const listed = findings.filter((f) => SEVERITY_RANK[f.severity] >= SEVERITY_RANK[detail.listFrom]).slice(0, detail.maxListed);
  const listedSet = new Set(listed);
  const out: string[] = ["### Findings"];
  for (const root of serverRoots(result.servers, listed)) {
    const mine = listed.filter((f) => f.server === root);
    if (mine.length === 0) continue;
    out.push("", serverHeading(root, result.servers));
    for (const sev of SEVERITIES) {
      const group = mine.filter((f) => f.severity === sev);
      if (group.length === 0) continue;
      const total = findings.filter((f) => f.server === root && f.severity === sev).length;
      const count = total > group.length ? `${group.length} of ${total} listed` : String(group.length);
      out.push("", `##### ${SEVERITY_LABEL[sev]} (${count})`);
      out.push("");
      for (const f of group) {
        const isNew = added.has(f.fingerprint);
        if (detail.oneLine) {
          out.push(findingLine(f, ref, isNew));
          continue;
        }
        const evidence = detail.evidenceFrom !== null && SEVERITY_RANK[f.severity] >= SEVERITY_RANK[detail.evidenceFrom];
        if (!evidence && f.evidence.trim() !== "") evidenceHidden += 1;
        out.push(findingBlock(f, ref, evidence, isNew), "");
      }
      if (!detail.oneLine) out.pop();
    }
  }
  return { text: out.join("\n"), omitted: findings.filter((f) => !listedSet.has(f)).length, evidenceHidden };
}

// ---- inventory, suppressed, coverage ---------------------------------------------------------

function paramsText(server: ServerReport["tools"][number]): string {
  if (server.params.length === 0) return "-";
  return [...server.params]
    .sort((a, b) => byCodeUnits(a.name, b.name))
    .map((p) => codeSpan(`${p.name}${p.required === false ? "?" : ""}${p.type ? `: ${p.type}` : ""}`, { table: true, max: 60 }))
    .join(", ");
}

function annotationsText(annotations: Record<string, boolean>): string {
  const keys = Object.keys(annotations).sort(byCodeUnits);
  if (keys.length === 0) return "-";
  return keys.map((k) => codeSpan(`${k}: ${annotations[k] ? "true" : "false"}`, { table: true, max: 60 })).join(", ");
}

const LETHAL_NOTE =
  "⚠️ marks a tool that can run commands (or evaluate code), reach the network and read files or environment variables: " +
  "everything an injected prompt needs to steal data (see `MCPW-CAP-001` in the JSON output).";

/** What the handler can do (lib/extract/capabilities.ts); "?" when the handler was not located. */
function capabilitiesText(tool: ServerReport["tools"][number]): string {
  const labels = capabilityLabels(tool);
  if (!labels) return "?";
  if (labels.length === 0) return "-";
  return `${isLethalCombination(tool) ? "⚠️ " : ""}${labels.join(", ")}`;
}

export function inventorySection(result: ScanResult, ref: RepoRef): string {
  const servers = sortServers(result.servers).filter((s) => s.tools.length > 0 || s.dynamicTools > 0);
  if (servers.length === 0) return "";
  const out: string[] = ["### Tool inventory", "", "What each server exposes to an AI agent, as read from its source."];
  for (const s of servers.slice(0, MAX_SERVERS_LISTED)) {
    out.push("", `#### ${codeSpan(s.root, { max: 120 })}${s.name !== s.root ? ` (${clean(s.name, 120)})` : ""}`);
    if (s.tools.length > 0) {
      const tools = [...s.tools].sort(
        (a, b) =>
          (a.name === null ? 1 : 0) - (b.name === null ? 1 : 0) ||
          byCodeUnits(a.name ?? "", b.name ?? "") ||
          byCodeUnits(a.span.path, b.span.path) ||
          a.span.line - b.span.line,
      );
      if (tools.some(isLethalCombination)) out.push("", LETHAL_NOTE);
      out.push("", "| Tool | Capabilities | Parameters | Annotations | Findings | Defined at |", "|---|---|---|---|---:|---|");
      for (const t of tools.slice(0, MAX_TOOLS_LISTED)) {
        const name = t.name === null ? "*(name computed at run time)*" : codeSpan(t.name, { table: true, max: 80 });
        const count = t.name === null ? 0 : result.findings.filter((f) => f.server === s.root && f.tool === t.name).length;
        const where = locationMarkdown(ref, t.span.path, t.span.line, t.span.line, { table: true });
        out.push(`| ${name} | ${capabilitiesText(t)} | ${paramsText(t)} | ${annotationsText(t.annotations)} | ${count} | ${where} |`);
      }
      if (tools.length > MAX_TOOLS_LISTED) out.push("", `…and ${plural(tools.length - MAX_TOOLS_LISTED, "more tool")}.`);
    }
    if (s.dynamicTools > 0) {
      out.push("", `${plural(s.dynamicTools, "tool")} built at run time: name or description could not be read statically.`);
    }
  }
  return out.join("\n");
}

export function suppressedSection(list: readonly SuppressedFinding[], ref: RepoRef, max: number): string {
  if (list.length === 0) return "";
  const shown = list.slice(0, max);
  const out = [
    "<details>",
    `<summary>Suppressed findings (${list.length})</summary>`,
    "",
  ];
  if (shown.length > 0) {
    out.push("| Severity | Rule | Location | Reason |", "|---|---|---|---|");
    for (const { finding: f, rule } of shown) {
      const where = locationMarkdown(ref, f.path, f.line, f.endLine, { table: true });
      out.push(`| ${SEVERITY_LABEL[f.severity]} | ${codeSpan(f.ruleId, { table: true, max: 60 })} | ${where} | ${clean(rule.reason, 300)} |`);
    }
  }
  if (list.length > shown.length) out.push("", `…and ${plural(list.length - shown.length, "more")} (see the JSON output).`);
  out.push("", "</details>");
  return out.join("\n");
}

const SKIP_TEXT: Record<SnapshotNote["reason"], string> = {
  "excluded-directory": "in dependency, vendored or build folders",
  binary: "binary",
  "too-large": "larger than the per-file limit",
  symlink: "symbolic links (not followed)",
  "unsafe-path": "with a path escaping the repository",
  "total-size-cap": "not read: the total size limit was reached",
  "file-count-cap": "not read: the file count limit was reached",
  "excluded-by-config": "excluded by paths.exclude",
};

export function coverageSection(result: ScanResult): string {
  const lines: string[] = [];
  const notes = [...result.snapshotNotes].sort((a, b) => byCodeUnits(a.reason, b.reason));
  for (const n of notes) {
    if (!(n.count > 0)) continue;
    const examples = [...n.examples].sort(byCodeUnits).slice(0, 5).map((p) => codeSpan(p, { max: 100 }));
    const what = SKIP_TEXT[n.reason] ?? clean(n.reason, 40);
    lines.push(`- ${plural(n.count, "file")} skipped: ${what}${examples.length ? ` (e.g. ${examples.join(", ")})` : ""}.`);
  }
  if (result.problems.length > 0) {
    const problems = [...result.problems].sort((a, b) => byCodeUnits(a.path, b.path) || byCodeUnits(a.message, b.message));
    lines.push(`- ${plural(problems.length, "file")} could not be fully parsed:`);
    for (const p of problems.slice(0, MAX_PROBLEMS_LISTED)) lines.push(`  - ${codeSpan(p.path, { max: 120 })}: ${clean(p.message, 200)}`);
    if (problems.length > MAX_PROBLEMS_LISTED) lines.push(`  - …and ${problems.length - MAX_PROBLEMS_LISTED} more.`);
  }
  if (result.unresolvedDependencies > 0) {
    lines.push(
      `- ${plural(result.unresolvedDependencies, "dependency", "dependencies")} had no resolved version and ${result.unresolvedDependencies === 1 ? "is" : "are"} reported as not resolved (declared as a range, with no lockfile entry and no exact version), so advisories could not be matched for ${result.unresolvedDependencies === 1 ? "it" : "them"}: versions are never guessed; a lockfile makes them checkable.`,
    );
  }
  const warnings = [...(result.warnings ?? [])].sort(byCodeUnits);
  for (const w of warnings.slice(0, MAX_PROBLEMS_LISTED)) lines.push(`- Inconclusive: ${clean(w, 300)}`);
  if (warnings.length > MAX_PROBLEMS_LISTED) lines.push(`- …and ${warnings.length - MAX_PROBLEMS_LISTED} more warnings.`);
  if (lines.length === 0) return "";
  return ["### Scan coverage", "", ...lines].join("\n");
}

// ---- footer ----------------------------------------------------------------------------------

export function scoreFooter(result: ScanResult, docsUrl?: string): string {
  const w = SEVERITY_WEIGHTS;
  const c = CONFIDENCE_FACTORS;
  const caps = [...new Set(Object.values(CATEGORY_CAPS))].sort((a, b) => b - a).join(", ");
  const ceilings = SEVERITY_CEILINGS.map((x) => `any ${x.severity} finding caps the score at ${x.maxScore}`).join(", ");
  const doc = docsUrl && /^https:\/\/[^\s()<>]+$/.test(docsUrl) ? `[docs/scoring.md](${docsUrl})` : codeSpan("docs/scoring.md");
  const out = [
    "### How this score is computed",
    "",
    `Each finding costs its severity weight (critical ${w.critical}, high ${w.high}, medium ${w.medium}, low ${w.low}, info ${w.info}) ` +
      `times a confidence factor (high ${c.high}, medium ${c.medium}, low ${c.low}). Within a category the k-th finding counts 1/k, ` +
      `and each category's total is capped (${caps} points depending on the category). Then ${ceilings}. ` +
      `Grades: A 90-100, B 80-89, C 70-79, D 60-69, F below 60. Details: ${doc} in the mcp-warden repository.`,
  ];
  const deductions = result.score.deductions;
  if (deductions.length > 0) {
    out.push("", "| Category | Findings | Points |", "|---|---:|---:|");
    for (const d of deductions) {
      const capped = d.points < d.uncapped ? ` (capped from ${formatPoints(d.uncapped)})` : "";
      out.push(`| ${clean(d.category, 40)} | ${d.findings} | -${formatPoints(d.points)}${capped} |`);
    }
    const ex = explainScore(result.findings);
    let line = `Score: 100 - ${formatPoints(ex.taken)} = ${ex.beforeCeiling}${ex.taken > 100 ? " (the score does not go below 0)" : ""}`;
    if (ex.ceiling) line += `, capped at ${ex.ceiling.maxScore} because of a ${ex.ceiling.severity} finding`;
    out.push("", `${line}: **${result.score.score}/100, grade ${result.score.grade}**.`);
  }
  return out.join("\n");
}

export function suppressFooter(first: Finding | undefined): string {
  const rule = first?.ruleId ?? "MCPW-EXEC-001";
  const path = first?.path ?? "src/server.ts";
  // JSON strings are valid YAML double-quoted scalars, so any path stays one value.
  const yaml = [
    "ignore:",
    `  - rule: ${JSON.stringify(rule)}`,
    `    path: ${JSON.stringify(path)}`,
    `    reason: "Explain why this is safe, e.g. the command comes from a fixed allow-list"`,
  ].join("\n");
  return [
    "### How to suppress a finding",
    "",
    `Add an entry with a reason to ${codeSpan(".github/mcp-warden.yml")} (${codeSpan("path")} is a glob and may be left out). ` +
      "Suppressed findings are not scored; they stay listed, with their reason, in a collapsed section of this issue.",
    "",
    fencedBlock(redactSecrets(yaml), "yaml"),
  ].join("\n");
}
