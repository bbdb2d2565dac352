/**
 * The issue body. Pure string building: the same result and context always give the same
 * bytes (no timestamps, every list sorted), so the App can skip writes when nothing changed.
 *
 * Size: GitHub rejects bodies over 65,536 characters. The body is kept under `maxChars` by
 * dropping detail in a fixed order (tool inventory, evidence of low/info findings, low/info
 * findings, evidence of medium, high, critical findings, then one line per finding, then fewer
 * lines), with a note saying what was left out. The marker, the score, the counts and the state
 * are never dropped.
 */
import type { Finding } from "../model.js";
import type { ScanResult } from "../result.js";
import { plural } from "./format.js";
import type { RepoRef } from "./links.js";
import { sortFindings, sortSuppressed } from "./order.js";
import type { Detail } from "./sections.js";
import {
  changesSection,
  configErrorSection,
  countsSection,
  coverageSection,
  findingsSection,
  inconclusiveNotice,
  inventorySection,
  scoreFooter,
  serversSection,
  summarySection,
  suppressFooter,
  suppressedSection,
} from "./sections.js";
import type { ReportState, StateChanges } from "./state.js";
import { REPORT_MARKER, buildState, changesSince, renderState } from "./state.js";
import { TOOL_STATE_SHARE, fitToolRecords, toolChangesSection, toolChangesSince, toolRecords, type ToolChanges } from "./tool-fingerprints.js";

export interface ReportContext {
  owner?: string;
  repo?: string;
  /** The commit scanned. */
  sha: string;
  /** State parsed from the existing issue, for "what changed since the last scan". */
  previous?: ReportState | null;
  /** Default 60,000 (GitHub's limit is 65,536). */
  maxChars?: number;
  /** Absolute https URL of the scoring documentation, linked from the footer when given. */
  docsUrl?: string;
}

export const DEFAULT_MAX_CHARS = 60_000;
/** Share of the budget the hidden state may use before it records only part of the fingerprints. */
const STATE_SHARE = 0.4;
const SUPPRESSED_LISTED = 200;

const LEVELS: ReadonlyArray<Omit<Detail, "maxListed" | "maxSuppressed">> = [
  { inventory: true, evidenceFrom: "info", listFrom: "info", oneLine: false },
  { inventory: false, evidenceFrom: "info", listFrom: "info", oneLine: false },
  { inventory: false, evidenceFrom: "medium", listFrom: "info", oneLine: false },
  { inventory: false, evidenceFrom: "medium", listFrom: "medium", oneLine: false },
  { inventory: false, evidenceFrom: "high", listFrom: "medium", oneLine: false },
  { inventory: false, evidenceFrom: "critical", listFrom: "medium", oneLine: false },
  { inventory: false, evidenceFrom: null, listFrom: "medium", oneLine: false },
  { inventory: false, evidenceFrom: null, listFrom: "medium", oneLine: true },
];

interface Prepared {
  result: ScanResult;
  ref: RepoRef;
  findings: Finding[];
  changes: StateChanges | null;
  /** Tool definitions changed, added or removed since the previous report. */
  toolChanges: ToolChanges | null;
  added: Set<string>;
  state: string;
  docsUrl?: string;
}

/** Says exactly what this rendering left out, so nobody mistakes a trimmed report for a clean one. */
function omissionNote(left: string[]): string {
  if (left.length === 0) return "";
  const list = left.length === 1 ? left[0] : `${left.slice(0, -1).join(", ")} and ${left[left.length - 1]}`;
  return (
    `> [!NOTE]\n> To stay within GitHub's size limit, this issue leaves out ${list}. ` +
    "Run `mcp-warden scan DIR --format json` for the full list."
  );
}

function render(p: Prepared, detail: Detail, withFooters: boolean): string {
  const { result, ref } = p;
  const findings = findingsSection(result, p.findings, ref, detail, p.added);
  const inventory = inventorySection(result, ref);
  const left: string[] = [];
  if (findings.omitted > 0) left.push(plural(findings.omitted, "finding"));
  if (findings.evidenceHidden > 0) left.push(`the evidence of ${plural(findings.evidenceHidden, "finding")}`);
  if (detail.oneLine) left.push("the evidence and remediation of the findings listed");
  if (!detail.inventory && inventory !== "") left.push("the tool inventory");
  if (result.suppressed.length > detail.maxSuppressed) left.push(plural(result.suppressed.length - detail.maxSuppressed, "suppressed finding"));
  if (!withFooters) left.push("the scoring and suppression notes");
  const sections = [
    REPORT_MARKER,
    summarySection(result, ref),
    inconclusiveNotice(result),
    countsSection(result),
    changesSection(p.changes),
    toolChangesSection(p.toolChanges, p.findings, detail.evidenceFrom !== null),
    configErrorSection(result.configErrors),
    omissionNote(left),
    serversSection(result.servers),
    findings.text,
    detail.inventory ? inventory : "",
    suppressedSection(sortSuppressed(result.suppressed), ref, detail.maxSuppressed),
    coverageSection(result),
    withFooters ? scoreFooter(result, p.docsUrl) : "",
    withFooters ? suppressFooter(p.findings[0]) : "",
    p.state,
  ];
  return sections.filter((s) => s !== "").join("\n\n") + "\n";
}

/** A short body for a clean result: the App also uses it when it closes the issue. */
function renderClean(p: Prepared): string {
  const { result, ref } = p;
  const min = result.config?.issue?.minSeverity ?? "low";
  const servers = plural(result.servers.length, "MCP server");
  const sections = [
    REPORT_MARKER,
    summarySection(result, ref),
    inconclusiveNotice(result),
    `**No findings.** Nothing at or above ${min} severity was found in ${servers}.`,
    changesSection(p.changes),
    toolChangesSection(p.toolChanges, p.findings),
    configErrorSection(result.configErrors),
    result.belowThreshold > 0
      ? `${plural(result.belowThreshold, "finding")} below the minimum severity (${min}) ${result.belowThreshold === 1 ? "is" : "are"} not listed.`
      : "",
    serversSection(result.servers),
    suppressedSection(sortSuppressed(result.suppressed), ref, SUPPRESSED_LISTED),
    coverageSection(result),
    p.state,
  ];
  return sections.filter((s) => s !== "").join("\n\n") + "\n";
}

/** Last resort when even the leanest rendering is too long: cut at a line, keep the state. */
function hardTrim(body: string, state: string, maxChars: number): string {
  const note = "\n\n> [!NOTE]\n> This report was cut to fit GitHub's size limit. Run `mcp-warden scan DIR --format json` for the full list.\n\n";
  const room = Math.max(0, maxChars - state.length - note.length - 1);
  let head = body.slice(0, room);
  const cut = head.lastIndexOf("\n");
  if (cut > 0) head = head.slice(0, cut);
  // An unclosed fence or <details> would swallow the state; the leanest body has neither, but be sure.
  if ((head.match(/^`{3,}/gm) ?? []).length % 2 === 1) head += "\n```";
  return `${head}${note}${state}\n`;
}

export function renderIssueBody(result: ScanResult, ctx: ReportContext): string {
  const maxChars = ctx.maxChars && ctx.maxChars > 0 ? ctx.maxChars : DEFAULT_MAX_CHARS;
  const ref: RepoRef = { owner: ctx.owner, repo: ctx.repo, sha: ctx.sha ?? "" };
  const findings = sortFindings(result.findings);
  const fingerprints = findings.map((f) => f.fingerprint);
  // Tool records get their own share, so a tool-heavy server cannot crowd out the findings' state.
  const tools = toolRecords(result.servers);
  const fitted = fitToolRecords(tools, Math.floor(maxChars * TOOL_STATE_SHARE));
  const toolState = { tools: fitted.tools, ...(fitted.partial ? { toolsPartial: true as const } : {}) };
  const state = renderState(buildState(ctx.sha ?? "", fingerprints, Math.floor(maxChars * (STATE_SHARE + TOOL_STATE_SHARE)), toolState));
  const changes = ctx.previous ? changesSince(ctx.previous, fingerprints) : null;
  const p: Prepared = {
    result,
    ref,
    findings,
    changes,
    toolChanges: toolChangesSince(ctx.previous, tools),
    added: new Set(changes?.added ?? []),
    state,
    docsUrl: ctx.docsUrl,
  };

  if (findings.length === 0) {
    const clean = renderClean(p);
    return clean.length <= maxChars ? clean : hardTrim(clean, state, maxChars);
  }

  const all = findings.length;
  for (const level of LEVELS) {
    const body = render(p, { ...level, maxListed: all, maxSuppressed: SUPPRESSED_LISTED }, true);
    if (body.length <= maxChars) return body;
  }

  // One line per finding is still too long: list as many as fit (most severe first).
  const last = LEVELS[LEVELS.length - 1]!;
  const attempt = (n: number, footers: boolean): string =>
    render(p, { ...last, maxListed: n, maxSuppressed: 20 }, footers);
  for (const footers of [true, false]) {
    if (attempt(0, footers).length > maxChars) continue;
    let lo = 0;
    let hi = all;
    while (lo < hi) {
      const mid = Math.ceil((lo + hi) / 2);
      if (attempt(mid, footers).length <= maxChars) lo = mid;
      else hi = mid - 1;
    }
    return attempt(lo, footers);
  }
  return hardTrim(attempt(0, false), state, maxChars);
}
