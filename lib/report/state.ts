/**
 * The hidden parts of the issue body: the marker that identifies our issue, and the state the
 * next scan compares against (which findings were reported, at which commit).
 */
import { z } from "zod";

export const REPORT_MARKER = "<!-- mcp-warden:report -->";

const STATE_PREFIX = "<!-- mcp-warden:state ";
const STATE_SUFFIX = " -->";

/** Fingerprints longer than this are not ours; keeps a hostile body from costing memory. */
const MAX_FINGERPRINT_CHARS = 256;
const MAX_FINGERPRINTS = 50_000;
/** Tool records: enough for any real server; texts are clipped before they are stored. */
export const MAX_TOOL_RECORDS = 2_000;
export const MAX_TOOL_TEXT = 300;

/**
 * One tool definition as the report saw it (see tool-fingerprints.ts). Short keys: these are
 * stored in the issue body, which GitHub limits in size.
 */
export interface ToolRecord {
  /** Server folder. */
  s: string;
  /** Tool name. */
  n: string;
  /** Fingerprint of the whole definition (name, description, parameters, annotations). */
  h: string;
  /** Fingerprints of the parts, "description.parameters.annotations", to say what changed. */
  c: string;
  /** The description, whitespace collapsed, clipped; absent when the body had no room. */
  d?: string;
  /** The parameters as text, clipped; absent when the body had no room. */
  t?: string;
}

export interface ReportState {
  v: 1;
  /** The commit the report describes. */
  sha: string;
  /** Fingerprints of the reported findings, sorted by code unit, unique. */
  fingerprints: string[];
  /**
   * Present only when not every fingerprint fit in the issue body: how many there were.
   * The recorded ones are then the smallest in sort order, so membership is still exact for
   * any fingerprint up to the last recorded one (see `stateCovers`).
   */
  total?: number;
  /** The tool definitions reported, sorted by server and name; absent in states written before them. */
  tools?: ToolRecord[];
  /** True when not every tool fit: tools missing from `tools` cannot be compared. */
  toolsPartial?: true;
}

const toolRecordSchema = z.object({
  s: z.string().max(300),
  n: z.string().min(1).max(300),
  h: z.string().regex(/^[0-9a-f]{8,64}$/),
  c: z.string().max(200),
  d: z.string().max(MAX_TOOL_TEXT + 10).optional(),
  t: z.string().max(MAX_TOOL_TEXT + 10).optional(),
});

const stateSchema = z.object({
  v: z.literal(1),
  sha: z.string().max(100),
  fingerprints: z.array(z.string().min(1).max(MAX_FINGERPRINT_CHARS)).max(MAX_FINGERPRINTS),
  total: z.number().int().nonnegative().optional(),
  tools: z.array(toolRecordSchema).max(MAX_TOOL_RECORDS).optional(),
  toolsPartial: z.literal(true).optional(),
});

/** Tool records in a fixed order (server, then name, by code unit), one per server and name. */
export function normaliseToolRecords(tools: readonly ToolRecord[]): ToolRecord[] {
  const seen = new Set<string>();
  const out: ToolRecord[] = [];
  const sorted = [...tools].sort((a, b) => byCodeUnits(a.s, b.s) || byCodeUnits(a.n, b.n));
  for (const t of sorted) {
    const key = `${t.s}\0${t.n}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const r: ToolRecord = { s: t.s, n: t.n, h: t.h, c: t.c };
    if (t.d !== undefined) r.d = t.d;
    if (t.t !== undefined) r.t = t.t;
    out.push(r);
  }
  return out;
}

function byCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Sorted (by code unit, independent of locale) and without duplicates. */
export function normaliseFingerprints(fingerprints: Iterable<string>): string[] {
  return [...new Set(fingerprints)].sort(byCodeUnits);
}

/**
 * The state comment. `<` and `>` are written as JSON `\u003c` / `\u003e` escapes, so no value
 * can close the comment (`-->`) or open another; JSON.parse reads them back unchanged.
 */
export function renderState(state: ReportState): string {
  const value: ReportState = { v: 1, sha: state.sha, fingerprints: normaliseFingerprints(state.fingerprints) };
  if (state.total !== undefined) value.total = state.total;
  if (state.tools !== undefined) value.tools = normaliseToolRecords(state.tools);
  if (state.toolsPartial) value.toolsPartial = true;
  const json = JSON.stringify(value).replace(/</g, "\\u003c").replace(/>/g, "\\u003e");
  return `${STATE_PREFIX}${json}${STATE_SUFFIX}`;
}

/**
 * The state for a report, kept within `maxChars` characters: when the fingerprints do not all
 * fit, the smallest ones are kept and `total` records how many there were.
 */
export function buildState(
  sha: string,
  fingerprints: Iterable<string>,
  maxChars = Infinity,
  tools?: Pick<ReportState, "tools" | "toolsPartial">,
): ReportState {
  const all = normaliseFingerprints(fingerprints);
  const extra: Pick<ReportState, "tools" | "toolsPartial"> = {};
  if (tools?.tools) extra.tools = tools.tools;
  if (tools?.toolsPartial) extra.toolsPartial = true;
  const full: ReportState = { v: 1, sha, fingerprints: all, ...extra };
  if (renderState(full).length <= maxChars) return full;
  const base = renderState({ v: 1, sha, fingerprints: [], total: all.length, ...extra }).length;
  const kept: string[] = [];
  let size = base;
  for (const fp of all) {
    // quotes, comma, and the escapes renderState may add
    const cost = JSON.stringify(fp).replace(/[<>]/g, "123456").length + 1;
    if (size + cost > maxChars) break;
    kept.push(fp);
    size += cost;
  }
  return { v: 1, sha, fingerprints: kept, total: all.length, ...extra };
}

/** True when the body carries our marker on a line of its own. */
export function hasMarker(body: string | null | undefined): boolean {
  if (typeof body !== "string") return false;
  return body.split(/\r?\n/).some((line) => line.trim() === REPORT_MARKER);
}

/**
 * The state from an issue body, or null when there is none or it is not valid. Never throws.
 * The last state comment wins: ours is written at the end, after all repository-derived text.
 */
export function parseReportState(body: string | null | undefined): ReportState | null {
  if (typeof body !== "string") return null;
  const start = body.lastIndexOf(STATE_PREFIX);
  if (start < 0) return null;
  const from = start + STATE_PREFIX.length;
  const end = body.indexOf(STATE_SUFFIX, from);
  if (end < 0) return null;
  const json = body.slice(from, end);
  if (json.length > MAX_FINGERPRINTS * (MAX_FINGERPRINT_CHARS + 3)) return null;
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    return null;
  }
  const parsed = stateSchema.safeParse(raw);
  if (!parsed.success) return null;
  const state: ReportState = { v: 1, sha: parsed.data.sha, fingerprints: normaliseFingerprints(parsed.data.fingerprints) };
  if (parsed.data.total !== undefined) {
    if (parsed.data.total < state.fingerprints.length) return null;
    if (parsed.data.total > state.fingerprints.length) state.total = parsed.data.total;
  }
  if (parsed.data.tools) state.tools = normaliseToolRecords(parsed.data.tools);
  if (parsed.data.toolsPartial) state.toolsPartial = true;
  return state;
}

/**
 * Whether the state can say if `fingerprint` was reported: always for a complete state; for a
 * partial one, only up to the last recorded fingerprint.
 */
export function stateCovers(state: ReportState, fingerprint: string): boolean {
  if (state.total === undefined || state.total <= state.fingerprints.length) return true;
  const last = state.fingerprints[state.fingerprints.length - 1];
  return last !== undefined && fingerprint <= last;
}

export interface StateChanges {
  /** Current fingerprints the previous report did not have (sorted). */
  added: string[];
  /** How many previously reported findings are gone. */
  fixed: number;
  /** False when the previous state was partial and some findings could not be compared. */
  complete: boolean;
}

/**
 * What changed since the previous report. With a partial previous state, findings it cannot
 * speak for are not called new: a bot that reopens issues on a guess gets uninstalled.
 */
export function changesSince(previous: ReportState, current: Iterable<string>): StateChanges {
  const now = normaliseFingerprints(current);
  const before = new Set(previous.fingerprints);
  const nowSet = new Set(now);
  let complete = true;
  const added: string[] = [];
  for (const fp of now) {
    if (!stateCovers(previous, fp)) {
      complete = false;
      continue;
    }
    if (!before.has(fp)) added.push(fp);
  }
  let fixed = 0;
  for (const fp of previous.fingerprints) if (!nowSet.has(fp)) fixed += 1;
  if (previous.total !== undefined && previous.total > previous.fingerprints.length) complete = false;
  return { added, fixed, complete };
}

const CHANGES_LINE = /^\*\*Since the last scan:\*\*.*(?:\n+|$)/gm;

/**
 * The part of a report body that decides whether the issue needs a write: the body with the
 * scanned commit (full and short SHA) and the "since the last scan" line taken out. A push
 * whose findings, evidence and lines are unchanged renders the same comparable body, so the
 * App writes nothing and nobody is notified; the permalinks of the existing body still show the
 * same code at the older commit.
 */
export function comparableBody(body: string): string {
  const state = parseReportState(body);
  let out = body.replace(CHANGES_LINE, "");
  const sha = state?.sha ?? "";
  if (/^[0-9a-f]{7,64}$/i.test(sha)) {
    out = out.split(sha).join("<sha>").split(sha.slice(0, 7)).join("<sha>");
  }
  return out;
}
