/**
 * Machine-readable output. Field names follow the finding model (GUIDE section 3) exactly;
 * keys are written in a fixed order and every list is sorted, so output is byte-stable.
 * `tool` is always present (null when the finding concerns no tool), so consumers see one shape.
 */
import type { Finding } from "../model.js";
import { SEVERITIES } from "../model.js";
import type { ScanResult, ServerReport } from "../result.js";
import type { PromptDefinition, ResolvedText, ResourceDefinition, ServerInstructions, Span, ToolDefinition, ToolParam } from "../extract/types.js";
import { isLethalCombination } from "../extract/capabilities-view.js";
import { byCodeUnits, sortFindings, sortServers, sortSuppressed } from "./order.js";
import { redact as redactSecrets } from "../redact.js";

function findingJson(f: Finding) {
  return {
    ruleId: f.ruleId,
    category: f.category,
    severity: f.severity,
    confidence: f.confidence,
    path: f.path,
    line: f.line,
    endLine: f.endLine,
    server: f.server,
    tool: f.tool ?? null,
    message: redactSecrets(f.message),
    evidence: redactSecrets(f.evidence),
    remediation: redactSecrets(f.remediation),
    cwe: [...f.cwe].sort(byCodeUnits),
    owasp: [...f.owasp].sort(byCodeUnits),
    fingerprint: f.fingerprint,
  };
}

function sortedRecord(rec: Record<string, boolean>): Record<string, boolean> {
  const out: Record<string, boolean> = {};
  for (const k of Object.keys(rec).sort(byCodeUnits)) out[k] = rec[k]!;
  return out;
}

/** A text the model reads: its value as far as it is known, and whether part of it is built at run time. */
function textJson(t: ResolvedText | undefined) {
  return t ? { text: redactSecrets(t.value), dynamic: t.dynamic } : null;
}

function locationJson(span: Span | undefined) {
  return span ? { path: span.path, line: span.line, endLine: span.endLine } : null;
}

function paramsJson(params: readonly ToolParam[]) {
  return [...params]
    .sort((a, b) => byCodeUnits(a.name, b.name))
    .map((p) => ({
      name: p.name,
      type: p.type ?? null,
      required: p.required ?? null,
      description: p.description ? redactSecrets(p.description.value) : null,
    }));
}

function toolJson(t: ToolDefinition) {
  return {
    name: t.name,
    api: t.api,
    path: t.span.path,
    line: t.span.line,
    endLine: t.span.endLine,
    title: textJson(t.title),
    description: textJson(t.description),
    dynamic: t.name === null || Boolean(t.description?.dynamic) || Boolean(t.title?.dynamic),
    params: paramsJson(t.params),
    annotations: sortedRecord(t.annotations),
    handler: locationJson(t.handler?.span),
    capabilities: capabilitiesJson(t),
  };
}

/**
 * What the handler can do (docs/capabilities.md): null when the handler was not located, so
 * "unknown" is never read as "nothing". `lethal`: commands or code + network + files or env.
 */
function capabilitiesJson(t: ToolDefinition) {
  if (!t.capabilities) return null;
  return {
    kinds: [...new Set(t.capabilities.map((c) => c.kind))],
    lethal: isLethalCombination(t),
    evidence: t.capabilities.map((c) => ({
      kind: c.kind,
      api: c.api,
      path: c.span.path,
      line: c.span.line,
      via: c.via,
      detail: c.detail !== undefined ? redactSecrets(c.detail) : null,
      mutating: c.mutating ?? null,
      destructive: c.destructive ?? false,
      program: c.program !== undefined ? redactSecrets(c.program) : null,
    })),
  };
}

function promptJson(p: PromptDefinition) {
  return {
    name: p.name,
    api: p.api,
    ...locationJson(p.span)!,
    title: textJson(p.title),
    description: textJson(p.description),
    args: paramsJson(p.args),
    handler: locationJson(p.handler?.span),
  };
}

function resourceJson(r: ResourceDefinition) {
  return {
    name: r.name,
    api: r.api,
    ...locationJson(r.span)!,
    uri: textJson(r.uri),
    template: r.template,
    title: textJson(r.title),
    description: textJson(r.description),
    mimeType: r.mimeType ?? null,
    handler: locationJson(r.handler?.span),
  };
}

function instructionsJson(i: ServerInstructions) {
  return { api: i.api, ...locationJson(i.span)!, ...textJson(i.text)! };
}

const bySpan = (a: { span: Span }, b: { span: Span }) => byCodeUnits(a.span.path, b.span.path) || a.span.line - b.span.line;
const byName = (a: { name: string | null; span: Span }, b: { name: string | null; span: Span }) =>
  byCodeUnits(a.name ?? "\uffff", b.name ?? "\uffff") || bySpan(a, b);

function serverJson(s: ServerReport) {
  const tools = [...s.tools].sort(
    (a, b) =>
      byCodeUnits(a.name ?? "\uffff", b.name ?? "\uffff") || byCodeUnits(a.span.path, b.span.path) || a.span.line - b.span.line,
  );
  return {
    root: s.root,
    name: s.name,
    language: s.language,
    frameworks: [...s.frameworks].sort(byCodeUnits),
    evidence: [...s.evidence].sort(byCodeUnits),
    dynamicTools: s.dynamicTools,
    tools: tools.map(toolJson),
    prompts: [...(s.prompts ?? [])].sort(byName).map(promptJson),
    resources: [...(s.resources ?? [])].sort(byName).map(resourceJson),
    instructions: [...(s.instructions ?? [])].sort(bySpan).map(instructionsJson),
  };
}

export function renderJson(result: ScanResult, ctx: { sha?: string } = {}): string {
  const counts: Record<string, number> = {};
  for (const s of SEVERITIES) counts[s] = result.counts[s] ?? 0;
  const out = {
    tool: "mcp-warden",
    version: result.version,
    ...(ctx.sha ? { commit: ctx.sha } : {}),
    score: result.score.score,
    grade: result.score.grade,
    deductions: result.score.deductions.map((d) => ({
      category: d.category,
      points: d.points,
      uncapped: d.uncapped,
      findings: d.findings,
    })),
    counts,
    servers: sortServers(result.servers).map(serverJson),
    findings: sortFindings(result.findings).map(findingJson),
    suppressed: sortSuppressed(result.suppressed).map((s) => ({
      ...findingJson(s.finding),
      reason: redactSecrets(s.rule.reason),
      ignoreRule: s.rule.rule,
      ignorePath: s.rule.path ?? null,
    })),
    belowThreshold: result.belowThreshold,
    // Parser and reader messages below can quote the file they failed on.
    notes: {
      snapshot: [...result.snapshotNotes]
        .sort((a, b) => byCodeUnits(a.reason, b.reason))
        .map((n) => ({ reason: n.reason, count: n.count, examples: [...n.examples].sort(byCodeUnits) })),
      parseProblems: [...result.problems]
        .sort((a, b) => byCodeUnits(a.path, b.path) || byCodeUnits(a.message, b.message))
        .map((p) => ({ path: p.path, message: redactSecrets(p.message) })),
      configErrors: [...result.configErrors]
        .sort((a, b) => byCodeUnits(a.field, b.field) || byCodeUnits(a.message, b.message))
        .map((e) => ({ field: e.field, message: redactSecrets(e.message) })),
      unresolvedDependencies: result.unresolvedDependencies,
      warnings: [...(result.warnings ?? [])].sort(byCodeUnits).map(redactSecrets),
    },
  };
  return JSON.stringify(out, null, 2);
}
