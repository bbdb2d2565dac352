import { findNodeAtLocation, parseTree, printParseErrorCode, type Node, type ParseError } from "jsonc-parser";
import { load as loadYaml } from "js-yaml";
import { parse as parseToml } from "smol-toml";
import type { z } from "zod";
import { LineIndex } from "../line-index.js";

/**
 * Hardened readers for manifests that come from the repository being scanned, i.e. from anyone.
 * Every reader returns problems instead of throwing, bounds size, depth and YAML alias expansion,
 * reports duplicate keys, and never lets `__proto__` or `constructor` keys reach an object.
 */

export const MANIFEST_LIMITS = {
  /** Real manifests are a few KiB; anything bigger is generated or hostile. */
  maxBytes: 256 * 1024,
  /** Object/array nesting; JSON Schemas inside smithery.yaml rarely pass 12 levels. */
  maxDepth: 32,
  /** Alias nodes (`*ref`) per YAML document. */
  maxYamlAliases: 64,
  /** Values after alias expansion: an alias bomb is small text and a huge tree. */
  maxNodes: 50_000,
} as const;

export type ProblemKind =
  | "too-large"
  | "encoding"
  | "syntax"
  | "duplicate-key"
  | "unsafe-key"
  | "too-deep"
  | "alias-expansion"
  | "schema";

/** Hostile-input problems: the file is built to confuse or exhaust parsers. */
export const HOSTILE_KINDS: ReadonlySet<ProblemKind> = new Set(["duplicate-key", "unsafe-key", "too-deep", "alias-expansion"]);

export interface ManifestProblem {
  kind: ProblemKind;
  /** Plain sentence fragment, e.g. "duplicate key \"name\"". */
  message: string;
  /** 1-based. */
  line: number;
  column: number;
  /** The reported line, clipped and with control characters replaced (filled in by the reader). */
  snippet?: string;
}

export type Location = (string | number)[];

export interface ParsedManifest {
  /** The document; undefined when it could not be read at all. */
  value: unknown;
  problems: ManifestProblem[];
  /** 1-based position of the value at a path, or of the nearest ancestor found; 1:1 when unknown. */
  locate(path: Location): { line: number; column: number };
}

const UNSAFE_KEYS = new Set(["__proto__", "constructor", "prototype"]);

function problem(kind: ProblemKind, message: string, line = 1, column = 1): ManifestProblem {
  return { kind, message, line, column };
}

function failed(problems: ManifestProblem[]): ParsedManifest {
  return { value: undefined, problems, locate: () => ({ line: problems[0]?.line ?? 1, column: problems[0]?.column ?? 1 }) };
}

/** Size and encoding checks shared by every format. */
export function precheck(text: string): ManifestProblem | undefined {
  const bytes = Buffer.byteLength(text, "utf8");
  if (bytes > MANIFEST_LIMITS.maxBytes) {
    return problem("too-large", `the file is ${Math.ceil(bytes / 1024)} KiB, over the ${MANIFEST_LIMITS.maxBytes / 1024} KiB limit for manifests, and was not read`);
  }
  // U+FFFD is what invalid UTF-8 decodes to; NUL and other C0 controls mean binary content.
  const bad = /[\u0000-\u0008\u000e-\u001f\ufffd]/.exec(text);
  if (bad) {
    const at = new LineIndex(text).positionAt(bad.index);
    const what = bad[0] === "\ufffd" ? "invalid UTF-8" : "binary content (control characters)";
    return problem("encoding", `the file holds ${what} and is not a text manifest`, at.line, at.column);
  }
  return undefined;
}

interface Shape {
  depth: number;
  nodes: number;
  /** A YAML alias refers to its own ancestor. */
  cyclic?: boolean;
}

/**
 * Depth and size of a parsed value with shared (aliased) subtrees counted once per use, as a
 * consumer walking the tree would see them. Memoised per object, so the cost stays linear in the
 * text; recursion stops past the depth bound, so it cannot overflow the stack.
 */
function measure(value: unknown): Shape {
  const memo = new Map<object, Shape>();
  const active = new Set<object>();
  const visit = (v: unknown, level: number): Shape => {
    if (typeof v !== "object" || v === null) return { depth: 0, nodes: 1 };
    if (level > MANIFEST_LIMITS.maxDepth) return { depth: Infinity, nodes: 1 };
    const known = memo.get(v);
    if (known) return known;
    if (active.has(v)) return { depth: Infinity, nodes: Infinity, cyclic: true };
    active.add(v);
    const shape: Shape = { depth: 0, nodes: 1 };
    for (const child of Array.isArray(v) ? v : Object.values(v)) {
      const s = visit(child, level + 1);
      shape.depth = Math.max(shape.depth, s.depth + 1);
      shape.nodes += s.nodes;
      if (s.cyclic) shape.cyclic = true;
      if (shape.cyclic || shape.nodes > MANIFEST_LIMITS.maxNodes || shape.depth > MANIFEST_LIMITS.maxDepth) break;
    }
    active.delete(v);
    memo.set(v, shape);
    return shape;
  };
  return visit(value, 0);
}

function shapeProblem(value: unknown, aliases: boolean): ManifestProblem | undefined {
  const shape = measure(value);
  if (shape.cyclic) {
    return problem("alias-expansion", "a YAML alias refers to its own ancestor (a recursive document); the file was not read");
  }
  if (shape.depth > MANIFEST_LIMITS.maxDepth) {
    return problem("too-deep", `nesting is deeper than ${MANIFEST_LIMITS.maxDepth} levels; the file was not read`);
  }
  if (shape.nodes > MANIFEST_LIMITS.maxNodes) {
    return aliases
      ? problem("alias-expansion", `YAML anchors and aliases expand to more than ${MANIFEST_LIMITS.maxNodes} values (an alias bomb); the file was not read`)
      : problem("too-large", `the document holds more than ${MANIFEST_LIMITS.maxNodes} values; the file was not read`);
  }
  return undefined;
}

// ---------- JSON ----------

/**
 * Strict JSON (no comments, no trailing commas: the registry and MCPB tools use JSON.parse).
 * Duplicate keys keep the last value, as JSON.parse does, and are reported.
 */
export function parseJsonManifest(text: string): ParsedManifest {
  const pre = precheck(text);
  if (pre) return failed([pre]);
  const lines = new LineIndex(text);
  const errors: ParseError[] = [];
  let root: Node | undefined;
  try {
    root = parseTree(text, errors, { allowTrailingComma: false, disallowComments: true, allowEmptyContent: false });
  } catch (err) {
    // jsonc-parser recurses per level: only absurd nesting exhausts the stack, and that is caught.
    if (err instanceof RangeError) return failed([problem("too-deep", `nesting is deeper than ${MANIFEST_LIMITS.maxDepth} levels; the file was not read`)]);
    return failed([problem("syntax", `could not be parsed: ${String((err as Error)?.message ?? err).slice(0, 200)}`)]);
  }
  if (errors.length > 0 || !root) {
    const first = errors[0];
    const at = first ? lines.positionAt(first.offset) : { line: 1, column: 1 };
    return failed([problem("syntax", `invalid JSON: ${first ? printParseErrorCode(first.error) : "empty document"}`, at.line, at.column)]);
  }
  const problems: ManifestProblem[] = [];
  const toValue = (node: Node): unknown => {
    switch (node.type) {
      case "object": {
        const out: Record<string, unknown> = {};
        const seen = new Set<string>();
        for (const prop of node.children ?? []) {
          const [keyNode, valueNode] = prop.children ?? [];
          if (typeof keyNode?.value !== "string" || !valueNode) continue;
          const key = keyNode.value;
          const at = lines.positionAt(keyNode.offset);
          if (UNSAFE_KEYS.has(key)) {
            problems.push(problem("unsafe-key", `key "${key}" can change object prototypes in JavaScript readers and was ignored`, at.line, at.column));
            continue;
          }
          if (seen.has(key)) {
            problems.push(problem("duplicate-key", `duplicate key "${key.slice(0, 80)}": readers disagree on which value counts`, at.line, at.column));
          }
          seen.add(key);
          out[key] = toValue(valueNode);
        }
        return out;
      }
      case "array":
        return (node.children ?? []).map(toValue);
      default:
        return node.value;
    }
  };
  const value = toValue(root);
  const shape = shapeProblem(value, false);
  if (shape) return failed([shape]);
  return {
    value,
    problems,
    locate(path) {
      for (let n = path.length; n >= 0; n--) {
        const node = findNodeAtLocation(root!, path.slice(0, n));
        if (node) return lines.positionAt(node.parent?.type === "property" ? node.parent.offset : node.offset);
      }
      return { line: 1, column: 1 };
    },
  };
}

// ---------- YAML ----------

interface YamlMark {
  line?: number;
  column?: number;
}

/** Own `__proto__`-like keys anywhere in a loaded document (js-yaml defines them as plain data). */
function unsafeKeys(value: unknown, path: Location, out: Location[], seen = new Set<object>()): void {
  if (typeof value !== "object" || value === null || seen.has(value) || out.length >= 10) return;
  seen.add(value);
  if (Array.isArray(value)) {
    value.forEach((v, i) => unsafeKeys(v, [...path, i], out, seen));
    return;
  }
  for (const key of Object.keys(value)) {
    if (UNSAFE_KEYS.has(key)) out.push([...path, key]);
    else unsafeKeys((value as Record<string, unknown>)[key], [...path, key], out, seen);
  }
}

function withoutUnsafeKeys(value: unknown, seen = new Map<object, unknown>()): unknown {
  if (typeof value !== "object" || value === null) return value;
  const done = seen.get(value);
  if (done !== undefined) return done;
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    seen.set(value, out);
    for (const v of value) out.push(withoutUnsafeKeys(v, seen));
    return out;
  }
  const out: Record<string, unknown> = {};
  seen.set(value, out);
  for (const [k, v] of Object.entries(value)) if (!UNSAFE_KEYS.has(k)) out[k] = withoutUnsafeKeys(v, seen);
  return out;
}

/**
 * Line of a key path in block-style YAML, found by indentation: good enough to point a
 * maintainer at the right line, which is all a location is used for.
 */
export function yamlLine(lines: LineIndex, path: Location): number {
  let line = 1;
  let from = 1;
  let indent = -1;
  for (const segment of path) {
    if (typeof segment === "number") continue;
    const key = new RegExp(`^(\\s*)(?:-\\s+)?["']?${segment.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}["']?\\s*:`);
    let found = false;
    for (let l = from; l <= lines.count; l++) {
      const m = key.exec(lines.lineText(l));
      if (m && m[1].length > indent) {
        line = l;
        from = l + 1;
        indent = m[1].length;
        found = true;
        break;
      }
    }
    if (!found) break;
  }
  return line;
}

export function parseYamlManifest(text: string): ParsedManifest {
  const pre = precheck(text);
  if (pre) return failed([pre]);
  const lines = new LineIndex(text);
  let value: unknown;
  try {
    // Duplicate keys throw (js-yaml's default); depth and alias counts are bounded by the parser.
    value = loadYaml(text, { maxAliases: MANIFEST_LIMITS.maxYamlAliases, maxDepth: MANIFEST_LIMITS.maxDepth, maxTotalMergeKeys: 1000 });
  } catch (err) {
    const reason = String((err as { reason?: string }).reason ?? (err as Error)?.message ?? err).slice(0, 200);
    const mark = (err as { mark?: YamlMark }).mark;
    const at = { line: (mark?.line ?? 0) + 1, column: (mark?.column ?? 0) + 1 };
    if (/duplicated mapping key/.test(reason)) {
      const key = /^\s*["']?([^"':]+)/.exec(lines.lineText(at.line))?.[1]?.trim() ?? "";
      return failed([problem("duplicate-key", `duplicate key "${key.slice(0, 80)}": readers disagree on which value counts`, at.line, at.column)]);
    }
    if (/maxAliases/.test(reason)) {
      return failed([problem("alias-expansion", `more than ${MANIFEST_LIMITS.maxYamlAliases} YAML aliases; the file was not read`, at.line, at.column)]);
    }
    if (/maxDepth/.test(reason)) {
      return failed([problem("too-deep", `nesting is deeper than ${MANIFEST_LIMITS.maxDepth} levels; the file was not read`, at.line, at.column)]);
    }
    return failed([problem("syntax", `invalid YAML: ${reason}`, at.line, at.column)]);
  }
  const shape = shapeProblem(value, true);
  if (shape) return failed([shape]);
  const problems: ManifestProblem[] = [];
  const unsafe: Location[] = [];
  unsafeKeys(value, [], unsafe);
  for (const path of unsafe) {
    const key = String(path[path.length - 1]);
    problems.push(problem("unsafe-key", `key "${key}" can change object prototypes in JavaScript readers and was ignored`, yamlLine(lines, path)));
  }
  if (unsafe.length > 0) value = withoutUnsafeKeys(value);
  return { value, problems, locate: (path) => ({ line: yamlLine(lines, path), column: 1 }) };
}

// ---------- TOML ----------

/** Line of `[a.b]` / `[a."b"]` table headers or `key =` lines for a path, best effort. */
export function tomlLine(lines: LineIndex, path: Location): number {
  const names = path.filter((p): p is string => typeof p === "string");
  if (names.length === 0) return 1;
  const quoted = (s: string) => `(?:${s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}|"${s.replace(/[.*+?^${}()|[\]\\"]/g, "\\$&")}")`;
  for (let n = names.length; n > 0; n--) {
    const header = new RegExp(`^\\s*\\[\\s*${names.slice(0, n).map(quoted).join("\\s*\\.\\s*")}\\s*\\]`);
    for (let l = 1; l <= lines.count; l++) {
      if (!header.test(lines.lineText(l))) continue;
      const rest = names.slice(n);
      if (rest.length === 0) return l;
      const key = new RegExp(`^\\s*${quoted(rest[0])}\\s*=`);
      for (let k = l + 1; k <= lines.count && !/^\s*\[/.test(lines.lineText(k)); k++) {
        if (key.test(lines.lineText(k))) return k;
      }
      return l;
    }
  }
  return 1;
}

export function parseTomlManifest(text: string): ParsedManifest {
  const pre = precheck(text);
  if (pre) return failed([pre]);
  const lines = new LineIndex(text);
  let value: unknown;
  try {
    value = parseToml(text, { maxDepth: MANIFEST_LIMITS.maxDepth, unsafeKeyBehaviour: "throw" });
  } catch (err) {
    const e = err as { line?: number; column?: number; message?: string };
    const message = String(e.message ?? err).split("\n")[0].replace(/^Invalid TOML document:\s*/, "").slice(0, 200);
    const at = { line: e.line ?? 1, column: e.column ?? 1 };
    if (/unsafe property/.test(message)) {
      return failed([problem("unsafe-key", "a key such as \"__proto__\" or \"constructor\" can change object prototypes in JavaScript readers; the file was not read", at.line, at.column)]);
    }
    if (/redefine|already defined|duplicate/i.test(message)) {
      return failed([problem("duplicate-key", `duplicate key or table (${message}): readers disagree on which value counts`, at.line, at.column)]);
    }
    if (/depth|nested/i.test(message)) {
      return failed([problem("too-deep", `nesting is deeper than ${MANIFEST_LIMITS.maxDepth} levels; the file was not read`, at.line, at.column)]);
    }
    return failed([problem("syntax", `invalid TOML: ${message}`, at.line, at.column)]);
  }
  const shape = shapeProblem(value, false);
  if (shape) return failed([shape]);
  return { value, problems: [], locate: (path) => ({ line: tomlLine(lines, path), column: 1 }) };
}

// ---------- schema ----------

/** Zod issues as located problems (at most five: the first one is what needs fixing). */
export function schemaProblems(error: z.ZodError, parsed: ParsedManifest, prefix: Location = []): ManifestProblem[] {
  return error.issues.slice(0, 5).map((issue) => {
    const path = [...prefix, ...issue.path].filter((p): p is string | number => typeof p === "string" || typeof p === "number");
    const at = parsed.locate(path);
    const where = path.length > 0 ? `\`${path.join(".")}\`` : "the document";
    return problem("schema", `${where}: ${issue.message}`, at.line, at.column);
  });
}

/** Adds the offending line to each problem, printable and short: evidence for the finding. */
export function withSnippets(problems: ManifestProblem[], text: string): ManifestProblem[] {
  if (problems.length === 0) return problems;
  const lines = new LineIndex(text.length > MANIFEST_LIMITS.maxBytes * 4 ? text.slice(0, MANIFEST_LIMITS.maxBytes * 4) : text);
  return problems.map((p) => {
    const raw = lines.lineText(Math.min(p.line, lines.count));
    const from = raw.length > 160 ? Math.max(0, Math.min(p.column - 60, raw.length - 160)) : 0;
    const clipped = `${from > 0 ? "…" : ""}${raw.slice(from, from + 160)}${raw.length > from + 160 ? "…" : ""}`;
    return { ...p, snippet: clipped.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\ufffd]/g, "?").trim() };
  });
}
