/**
 * Tool-definition fingerprints: what the model reads about each tool (name, description,
 * parameters, annotations), hashed after normalising key order and whitespace, so a later push
 * that changes a tool's text or schema is noticed even when no rule fires. The issue's hidden
 * state keeps one record per tool (hash plus clipped text), so the next report can show the
 * old and new text side by side. A changed tool that now has a poisoning finding is a possible
 * rug pull: the server was approved with one description and now serves another.
 */
import { createHash } from "node:crypto";
import type { ToolDefinition } from "../extract/types.js";
import type { Finding } from "../model.js";
import { redact } from "../redact.js";
import type { ServerReport } from "../result.js";
import { plural } from "./format.js";
import { byCodeUnits } from "./order.js";
import { breakAutolinks, codeSpan, escapeInline, revealInvisible, truncate } from "./sanitize.js";
import { MAX_TOOL_RECORDS, MAX_TOOL_TEXT, normaliseToolRecords, type ReportState, type ToolRecord } from "./state.js";

/** Share of the body budget the tool records may use. */
export const TOOL_STATE_SHARE = 0.15;
const MAX_CHANGES_LISTED = 10;
/** Categories whose finding on a changed tool makes the change a possible rug pull. */
const POISON_CATEGORIES = new Set(["tool-poisoning", "hidden-unicode", "tool-shadowing"]);

function flat(text: string | undefined): string {
  return (text ?? "").replace(/\s+/g, " ").trim();
}

function hash(value: unknown, length: number): string {
  return createHash("sha256").update(JSON.stringify(value)).digest("hex").slice(0, length);
}

/** The normalised parts of a definition; object keys in a fixed order, whitespace collapsed. */
function canonical(tool: ToolDefinition) {
  const params = [...tool.params]
    .sort((a, b) => byCodeUnits(a.name, b.name))
    .map((p) => [p.name, p.type ?? null, flat(p.description?.value), p.required ?? null]);
  const annotations = Object.keys(tool.annotations)
    .sort(byCodeUnits)
    .map((k) => [k, tool.annotations[k]]);
  return { name: tool.name ?? "", description: flat(tool.description?.value), params, annotations };
}

/** Fingerprint of one tool definition, and of its parts ("description.parameters.annotations"). */
export function toolFingerprint(tool: ToolDefinition): { hash: string; parts: string } {
  const c = canonical(tool);
  return {
    hash: hash([c.name, c.description, c.params, c.annotations], 16),
    parts: [hash(c.description, 8), hash(c.params, 8), hash(c.annotations, 8)].join("."),
  };
}

/** Parameters as one line: `path: string (required) - File to read; mode?: string`. */
function paramsText(tool: ToolDefinition): string {
  return [...tool.params]
    .sort((a, b) => byCodeUnits(a.name, b.name))
    .map((p) => `${p.name}${p.required === false ? "?" : ""}${p.type ? `: ${p.type}` : ""}${p.description ? ` - ${flat(p.description.value)}` : ""}`)
    .join("; ");
}

/**
 * Text as stored in the (hidden, but public) state: secrets redacted, invisible characters
 * shown, mentions and issue references broken, clipped. Names go through it too: the same
 * input always gives the same record, so identities stay comparable between scans.
 */
function storedText(text: string, max = MAX_TOOL_TEXT): string {
  return truncate(breakAutolinks(revealInvisible(redact(flat(text)))), max);
}

/** One record per named tool and server, sorted; the first definition of a name wins. */
export function toolRecords(servers: readonly ServerReport[]): ToolRecord[] {
  const out: ToolRecord[] = [];
  for (const server of servers) {
    const tools = [...server.tools].sort((a, b) => byCodeUnits(a.span.path, b.span.path) || a.span.line - b.span.line);
    for (const tool of tools) {
      if (tool.name === null) continue;
      const fp = toolFingerprint(tool);
      const record: ToolRecord = { s: storedText(server.root, 280), n: storedText(tool.name, 280), h: fp.hash, c: fp.parts };
      if (record.n === "") continue;
      if (tool.description) record.d = storedText(tool.description.value);
      const params = paramsText(tool);
      if (params) record.t = storedText(params);
      out.push(record);
    }
  }
  return normaliseToolRecords(out);
}

function jsonLength(value: unknown): number {
  // renderState writes < and > as 6-character escapes.
  return JSON.stringify(value).replace(/[<>]/g, "123456").length + 1;
}

/**
 * The records that fit in `maxChars` of state: every tool's hashes first (so changes are still
 * detected), then texts in order while they fit. `partial` when not even every hash fit.
 */
export function fitToolRecords(records: readonly ToolRecord[], maxChars: number): { tools: ToolRecord[]; partial: boolean } {
  const bare = records.slice(0, MAX_TOOL_RECORDS).map((r) => ({ s: r.s, n: r.n, h: r.h, c: r.c }) as ToolRecord);
  let size = 12;
  let kept = 0;
  for (const r of bare) {
    const cost = jsonLength(r);
    if (size + cost > maxChars) break;
    size += cost;
    kept++;
  }
  const tools = bare.slice(0, kept);
  for (let i = 0; i < kept; i++) {
    const full = records[i]!;
    for (const key of ["d", "t"] as const) {
      const text = full[key];
      if (text === undefined) continue;
      const cost = jsonLength(text) + 4;
      if (size + cost > maxChars) continue;
      tools[i]![key] = text;
      size += cost;
    }
  }
  return { tools, partial: kept < records.length };
}

export type ToolChangeKind = "changed" | "added" | "removed";

export interface ToolChange {
  kind: ToolChangeKind;
  server: string;
  name: string;
  /** Which parts changed, for "changed". */
  parts: ("description" | "parameters" | "annotations")[];
  before?: ToolRecord;
  after?: ToolRecord;
}

export interface ToolChanges {
  changes: ToolChange[];
  /** False when the previous report recorded only some tools. */
  complete: boolean;
}

const PART_NAMES = ["description", "parameters", "annotations"] as const;

/**
 * Tool definitions that changed, appeared or disappeared since the previous report; null when
 * the previous report recorded no tools (written before tool fingerprints, or by hand).
 */
export function toolChangesSince(previous: ReportState | null | undefined, current: readonly ToolRecord[]): ToolChanges | null {
  if (!previous?.tools) return null;
  const before = new Map(previous.tools.map((t) => [`${t.s}\0${t.n}`, t]));
  const complete = !previous.toolsPartial;
  const changes: ToolChange[] = [];
  const seen = new Set<string>();
  for (const now of current) {
    const key = `${now.s}\0${now.n}`;
    seen.add(key);
    const old = before.get(key);
    if (!old) {
      if (complete) changes.push({ kind: "added", server: now.s, name: now.n, parts: [], after: now });
      continue;
    }
    if (old.h === now.h) continue;
    const a = old.c.split(".");
    const b = now.c.split(".");
    const parts = PART_NAMES.filter((_, i) => a[i] !== b[i]);
    changes.push({ kind: "changed", server: now.s, name: now.n, parts: parts.length > 0 ? parts : ["description"], before: old, after: now });
  }
  for (const old of previous.tools) {
    if (!seen.has(`${old.s}\0${old.n}`)) changes.push({ kind: "removed", server: old.s, name: old.n, parts: [], before: old });
  }
  const order: Record<ToolChangeKind, number> = { changed: 0, added: 1, removed: 2 };
  changes.sort((x, y) => order[x.kind] - order[y.kind] || byCodeUnits(x.server, y.server) || byCodeUnits(x.name, y.name));
  return { changes, complete };
}

/** Changed tools that now carry a poisoning, hidden-character or shadowing finding. */
export function possibleRugPulls(changes: ToolChanges | null, findings: readonly Finding[]): { change: ToolChange; finding: Finding }[] {
  if (!changes) return [];
  const out: { change: ToolChange; finding: Finding }[] = [];
  for (const change of changes.changes) {
    if (change.kind !== "changed" || !change.parts.some((p) => p === "description" || p === "parameters")) continue;
    const finding = findings.find(
      (f) => f.tool !== undefined && POISON_CATEGORIES.has(f.category) && storedText(f.tool, 280) === change.name && storedText(f.server, 280) === change.server,
    );
    if (finding) out.push({ change, finding });
  }
  return out;
}

function cell(text: string | undefined, recorded: boolean): string {
  if (text === undefined || text === "") return recorded ? "*(none)*" : "*(not recorded)*";
  return escapeInline(redact(text), MAX_TOOL_TEXT + 1);
}

function toolName(c: ToolChange, multiServer: boolean): string {
  const name = codeSpan(c.name, { table: true, max: 80 });
  return multiServer ? `${name} in ${codeSpan(c.server, { table: true, max: 80 })}` : name;
}

/**
 * "Tool definitions changed since the last scan": a table with the old and new text side by
 * side (descriptions, or parameters when only they changed). `texts: false` lists the names only.
 */
export function toolChangesSection(changes: ToolChanges | null, findings: readonly Finding[], texts = true): string {
  if (!changes || changes.changes.length === 0) return "";
  const counts = (["changed", "added", "removed"] as const)
    .map((k) => [k, changes.changes.filter((c) => c.kind === k).length] as const)
    .filter(([, n]) => n > 0)
    .map(([k, n]) => `${n} ${k}`);
  const partial = changes.complete ? "" : " (the previous report recorded only some tools)";
  const out = [`**Tool definitions since the last scan:** ${counts.join(", ")}${partial}.`];
  for (const { change, finding } of possibleRugPulls(changes, findings)) {
    out.push(
      "",
      "> [!CAUTION]",
      `> Possible rug pull: the ${change.parts.filter((p) => p !== "annotations").join(" and ")} of tool ${codeSpan(change.name, { max: 80 })} changed, ` +
        `and the new text triggers ${codeSpan(finding.ruleId, { max: 40 })}. Clients that approved the old definition are now serving the new one.`,
    );
  }
  const multiServer = new Set(changes.changes.map((c) => c.server)).size > 1;
  const listed = changes.changes.slice(0, MAX_CHANGES_LISTED);
  out.push("");
  if (texts) {
    out.push("| Tool | Change | Before | After |", "|---|---|---|---|");
    for (const c of listed) {
      const what = c.kind === "changed" ? `${c.parts.join(", ")} changed` : c.kind;
      const field = c.kind === "changed" && !c.parts.includes("description") && c.parts.includes("parameters") ? "t" : "d";
      const before = c.before ? cell(c.before[field], c.before.d !== undefined || c.before.t !== undefined) : "-";
      const after = c.after ? cell(c.after[field], true) : "-";
      out.push(`| ${toolName(c, multiServer)} | ${what} | ${before} | ${after} |`);
    }
  } else {
    for (const c of listed) out.push(`- ${toolName(c, multiServer)}: ${c.kind === "changed" ? `${c.parts.join(", ")} changed` : c.kind}`);
  }
  if (changes.changes.length > listed.length) out.push("", `…and ${plural(changes.changes.length - listed.length, "more tool change")}.`);
  return out.join("\n");
}
