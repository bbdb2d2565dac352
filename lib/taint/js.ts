import type { Node } from "web-tree-sitter";
import { ConstnessAnalyzer } from "../extract/constness.js";
import { namedDescendants } from "../extract/nodes.js";
import { args, contains, field, literalString, snippetOf, spanOf, walk } from "../extract/shell-ast.js";
import { redactSecrets } from "../extract/shell-redact.js";
import { Scopes } from "../extract/shell-scope.js";
import type { ToolDefinition } from "../extract/types.js";
import type { FlowInput } from "./index.js";
import { callDepth, type Env, JsTaintEvaluator, label, lineOf, type ParamTaint, parameterPatterns, patternNames, related, type Taint, withStep } from "./js-eval.js";
import { type Check, type CheckClass, ends, functionChecks, type GuardCache, guardsAt } from "./js-guards.js";
import { JsSinks, type SinkSpec } from "./js-sinks.js";
import type { FlowKind, TaintFlow } from "./types.js";

const FUNCTIONS = new Set(["function_declaration", "function_expression", "function", "arrow_function", "method_definition", "generator_function_declaration", "generator_function"]);
/** Schema types whose validated values cannot carry a path, a command or a URL. */
const SAFE_PARAM_TYPES = new Set(["enum", "nativeEnum", "literal", "number", "int", "boolean", "bigint", "date", "integer"]);
const HTTP_VERBS = new Set(["get", "post", "put", "patch", "delete", "all", "use", "head", "options"]);
const REQUEST_PARTS = new Set(["body", "query", "params", "headers", "cookies", "files", "file"]);
const MAX_CALL_DEPTH = 4;
const MAX_CONTEXTS = 400;

/** Where an analysis starts: a tool handler or an HTTP route handler and what its input is. */
interface Entry {
  fn: Node;
  /** Only sinks inside this range belong to the entry (a `case` of a low-level CallTool handler). */
  region?: { start: number; end: number };
  tool?: string;
  env: Env;
}

/** A call on the way to the sink, where checks in the caller can guard it. */
interface Position {
  node: Node;
  fn: Node;
  env: Env;
}

/** Taint front end for TS/TSX/JS; see lib/taint/types.ts for what a flow is and docs/taint.md. */
export function jsFlows(input: FlowInput): TaintFlow[] {
  const { root, lang, path, text, tools } = input;
  const functions = namedDescendants(root, [...FUNCTIONS]);
  const entries = [...toolEntries(tools, functions), ...httpEntries(root)];
  // Most files register no tool and serve no route: nothing to follow.
  if (entries.length === 0) return [];
  const analyzer = input.analyzer ?? new ConstnessAnalyzer(root, lang, new Scopes("js", root));
  const scopes = analyzer.scopes;
  const evaluator = new JsTaintEvaluator(scopes, analyzer);
  const sinks = new JsSinks(root, analyzer, input.shellDrafts);
  const flows = new Map<string, TaintFlow>();
  let contexts = 0;
  const guardCache: GuardCache = new Map();
  const validators = new Map<number, Node | null>();
  const declChecks = new Map<number, Check[]>();
  /** The same-file function a call statement or condition calls (cached: many sinks share guards). */
  const validatorOf = (call: Node): Node | undefined => {
    let decl = validators.get(call.id);
    if (decl === undefined) {
      const callee = field(call, "function");
      decl = (callee ? evaluator.localFunction(callee) : undefined) ?? null;
      validators.set(call.id, decl);
    }
    return decl ?? undefined;
  };
  const isValidator = (call: Node) => validatorOf(call) !== undefined;

  const emit = (flow: TaintFlow) => {
    const key = `${flow.kind}|${flow.span.line}|${flow.snippet}|${flow.tool ?? ""}`;
    const prev = flows.get(key);
    const rank = (f: TaintFlow) => (f.check === "none" ? 2 : f.check === "partial" ? 1 : 0);
    if (!prev || rank(flow) > rank(prev)) flows.set(key, flow);
  };

  const analyze = (fn: Node, env: Env, entry: Entry, chain: Position[], visiting: Set<number>) => {
    if (++contexts > MAX_CONTEXTS) return;
    const body = field(fn, "body") ?? fn;
    walk(body, (node) => {
      if (entry.region && chain.length === 0 && (node.endIndex < entry.region.start || node.startIndex > entry.region.end)) return false;
      if (node.type !== "call_expression" && node.type !== "new_expression") return;
      if (entry.region && chain.length === 0 && !(node.startIndex >= entry.region.start && node.endIndex <= entry.region.end)) return;
      for (const spec of sinks.specsOf(node)) {
        const flow = flowAt(node, spec, { node, fn, env }, chain, entry);
        if (flow) emit(flow);
      }
      const callee = node.type === "call_expression" ? field(node, "function") : null;
      const decl = callee ? evaluator.localFunction(callee) : undefined;
      if (decl && decl.id !== fn.id && !visiting.has(decl.id) && !contains(decl, node) && callDepth(env) < MAX_CALL_DEPTH) {
        const bound = evaluator.bindArguments(decl, args(field(node, "arguments")), node, env);
        if (bound) {
          const next = new Map(env).set(decl.id, bound);
          analyze(decl, next, entry, [...chain, { node, fn, env }], new Set([...visiting, decl.id]));
        }
      }
    });
  };

  const flowAt = (call: Node, spec: SinkSpec, here: Position, chain: Position[], entry: Entry): TaintFlow | undefined => {
    let best: TaintFlow | undefined;
    for (const value of spec.values) {
      for (const t of evaluator.taintOf(value, here.env)) {
        if (t.cleanFor?.includes(spec.kind)) continue;
        const verdict = judge(t, spec.kind, [here, ...chain.slice().reverse()]);
        if (verdict.check === "checked" && spec.kind !== "shell") continue;
        const flow = makeFlow(call, spec, t, verdict, entry);
        if (!best || rankOf(flow) > rankOf(best)) best = flow;
      }
    }
    return best;
  };

  /** The strongest check guarding the sink (or a call on the way to it) for this value's source. */
  const judge = (t: Taint, kind: FlowKind, positions: Position[]): { check: TaintFlow["check"]; note?: string } => {
    let partial: string | undefined;
    const consider = (cls: CheckClass, normalized: boolean): boolean => {
      if (cls === "contain" && kind === "path" && !normalized) {
        partial ??= "the prefix check runs on a path that was not resolved first, so `..` segments still escape the root";
        return false;
      }
      if (ends(cls, kind)) return true;
      if (kind === "path" && cls === "prefix") {
        partial ??= "the path is checked with `startsWith(root)` without a trailing separator, so a sibling such as `/allowed-evil` passes";
      } else if (kind === "path" && cls === "dotdot") {
        partial ??= "the path is checked for `..` but an absolute path still reaches any file";
      }
      return false;
    };
    for (const c of t.checks ?? []) {
      if (consider(c.cls, c.normalized)) return { check: "checked", note: `\`${c.subject}\` is checked` };
    }
    // Checks with the environment their subject is evaluated in; validators add their own.
    const queue: { check: Check; env: Env; depth: number }[] = [];
    for (const pos of positions) for (const check of guardsAt(pos.node, pos.fn, analyzer, guardCache, isValidator)) queue.push({ check, env: pos.env, depth: 0 });
    for (let i = 0; i < queue.length && i < 2000; i++) {
      const { check, env, depth } = queue[i];
      if (check.cls === "call") {
        const decl = validatorOf(check.subject);
        if (!decl || depth >= 2) continue;
        const inner = evaluator.bindAll(decl, args(field(check.subject, "arguments")), check.subject, env);
        let checks = declChecks.get(decl.id);
        if (!checks) declChecks.set(decl.id, (checks = functionChecks(decl, analyzer)));
        for (const c of checks) queue.push({ check: c, env: inner, depth: depth + 1 });
        continue;
      }
      const subject = evaluator.taintOf(check.subject, env).find((s) => related(s.source.name, t.source.name));
      if (!subject) continue;
      if (consider(check.cls, !!subject.normalized)) return { check: "checked", note: `\`${label(check.subject.text)}\` is checked` };
    }
    return partial ? { check: "partial", note: partial } : { check: "none" };
  };

  const makeFlow = (call: Node, spec: SinkSpec, t: Taint, verdict: { check: TaintFlow["check"]; note?: string }, entry: Entry): TaintFlow => {
    const sinkStep = { label: label(call.text), line: lineOf(call) };
    const trace = withStep(t, sinkStep).steps;
    return {
      kind: spec.kind,
      sink: spec.api,
      span: spanOf(call, path),
      snippet: redactSecrets(snippetOf(call, text)),
      source: t.source,
      trace,
      ...(entry.tool !== undefined ? { tool: entry.tool } : {}),
      check: verdict.check,
      ...(verdict.note ? { note: verdict.note } : {}),
      ...(spec.withCredentials ? { withCredentials: true } : {}),
    };
  };

  for (const entry of entries) {
    try {
      analyze(entry.fn, entry.env, entry, [], new Set([entry.fn.id]));
    } catch {
      // One entry's failure must not cost the others' flows.
    }
  }
  return [...flows.values()].sort((a, b) => a.span.line - b.span.line || a.kind.localeCompare(b.kind) || (a.tool ?? "").localeCompare(b.tool ?? ""));
}

function rankOf(f: TaintFlow): number {
  return f.check === "none" ? 2 : f.check === "partial" ? 1 : 0;
}

function display(name: string, path: string[]): string {
  return name + path.map((p) => (p.startsWith("[") ? p : `.${p}`)).join("");
}

function sourceTaint(name: string, line: number, kind: "tool-input" | "http-request"): Taint {
  return { source: { name, line, kind }, steps: [{ label: label(name), line }] };
}

/** Each tool's handler function; its first parameter (the arguments) is the source. */
function toolEntries(tools: ToolDefinition[], functions: Node[]): Entry[] {
  const out: Entry[] = [];
  for (const tool of tools) {
    const span = tool.handler?.span;
    if (!span) continue;
    const exact = functions.filter((f) => f.startPosition.row + 1 === span.line && f.endPosition.row + 1 === span.endLine);
    let fn = exact.sort((a, b) => b.endIndex - b.startIndex - (a.endIndex - a.startIndex))[0];
    let region: Entry["region"];
    if (!fn) {
      // A `case` of a low-level CallTool handler: the enclosing function, limited to the branch.
      const enclosing = functions
        .filter((f) => f.startPosition.row + 1 <= span.line && f.endPosition.row + 1 >= span.endLine)
        .sort((a, b) => a.endIndex - a.startIndex - (b.endIndex - b.startIndex));
      fn = enclosing[0];
      if (!fn) continue;
      region = lineRegion(fn, span.line, span.endLine);
    }
    const first = parameterPatterns(fn)[0];
    if (!first) continue;
    const params = tool.params;
    const source: ParamTaint = {
      kind: "source",
      source: (name, bindingPath, path, use) => {
        const key = [...bindingPath, ...path][0];
        const param = key === undefined ? undefined : params.find((p) => p.name === key);
        if (param?.type && SAFE_PARAM_TYPES.has(param.type)) return [];
        return [sourceTaint(display(name, path), lineOf(use), "tool-input")];
      },
    };
    const map = new Map<string, ParamTaint>();
    for (const [name] of patternNames(first)) map.set(name, source);
    out.push({ fn, region, tool: tool.name ?? undefined, env: new Map([[fn.id, map]]) });
  }
  return out;
}

/** Character range of the lines [line, endLine] within a function. */
function lineRegion(fn: Node, line: number, endLine: number): { start: number; end: number } {
  let start = fn.endIndex;
  let end = fn.startIndex;
  walk(fn, (n) => {
    const l = n.startPosition.row + 1;
    const e = n.endPosition.row + 1;
    if (l >= line && e <= endLine) {
      start = Math.min(start, n.startIndex);
      end = Math.max(end, n.endIndex);
      return false;
    }
    return e >= line && l <= endLine;
  });
  return { start, end };
}

/**
 * express/hono/fastify-style routes: `app.post("/path", (req, res) => ...)`. Request data
 * (`req.body`, `req.query`, `req.params`, headers, cookies; hono's `c.req`) is the source.
 */
function httpEntries(root: Node): Entry[] {
  const out: Entry[] = [];
  for (const node of namedDescendants(root, ["call_expression"])) {
    const fn = field(node, "function");
    if (fn?.type !== "member_expression" || !HTTP_VERBS.has(field(fn, "property")?.text ?? "")) continue;
    const argv = args(field(node, "arguments"));
    const route = argv[0] ? literalString(argv[0]) : undefined;
    if (route === undefined || !route.startsWith("/")) continue;
    for (const handler of argv.slice(1)) {
      if (!FUNCTIONS.has(handler.type)) continue;
      const params = parameterPatterns(handler);
      const first = params[0];
      if (!first) continue;
      const hono = params.length === 1;
      const source: ParamTaint = {
        kind: "source",
        source: (name, bindingPath, path, use) => {
          const full = [...bindingPath, ...path];
          const ok = hono ? full[0] === "req" : REQUEST_PARTS.has(full[0] ?? "");
          return ok ? [sourceTaint(display(name, path), lineOf(use), "http-request")] : [];
        },
      };
      const map = new Map<string, ParamTaint>();
      for (const [name] of patternNames(first)) map.set(name, source);
      out.push({ fn: handler, env: new Map([[handler.id, map]]) });
    }
  }
  return out;
}
