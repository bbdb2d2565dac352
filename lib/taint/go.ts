import type { Node } from "web-tree-sitter";
import { ConstnessAnalyzer } from "../extract/constness.js";
import { args, field, literalString } from "../extract/shell-ast.js";
import { goShellCalls } from "../extract/shell-go.js";
import { Scopes } from "../extract/shell-scope.js";
import type { ToolDefinition } from "../extract/types.js";
import { GoGuards } from "./go-guards.js";
import { GoTaint } from "./go-eval.js";
import { classifyGoCall, goCarriesCredentials } from "./go-sinks.js";
import type { FlowInput } from "./index.js";
import {
  argvListHits, dedupe, functionAt, indexGuards, lineOf, type Piece, shellHit, type SinkHit, type SourceFunction, type Taint,
  toFlow, urlPiecesHostFixed, valueSinkHit, withStep,
} from "./py-go-common.js";
import type { TaintFlow } from "./types.js";

/**
 * Go flows: mcp-go request accessors and go-sdk typed arguments (and net/http handlers' request
 * data) reaching exec.Command, os file APIs, net/http clients and database/sql queries.
 */
export function goFlows(input: FlowInput): TaintFlow[] {
  const { root, path, tools } = input;
  const sources = goSources(root, tools);
  if (sources.size === 0) return [];

  // The extractor's per-file analyzer when given: scope bindings are collected once per file.
  const analyzer = input.analyzer ?? new ConstnessAnalyzer(root, "go", new Scopes("go", root));
  const scopes = analyzer.scopes;
  const guards = new GoGuards(root, analyzer).all();
  const index = indexGuards(guards);
  const taint = new GoTaint(root, scopes, analyzer, sources, index);

  const shellDrafts = new Map<number, { api: string; command: Node[] }>();
  for (const d of input.shellDrafts ?? goShellCalls(root, analyzer)) shellDrafts.set(d.call.id, { api: d.api, command: d.command });

  const hits: SinkHit[] = [];
  for (const call of root.descendantsOfType("call_expression")) {
    if (!call) continue;
    taint.sinkLine = call.startPosition.row + 1;
    const shell = shellDrafts.get(call.id);
    if (shell) {
      for (const command of shell.command) {
        const hit = shellHit(taint.evaluate(command), shell.api, call);
        if (hit) hits.push(hit);
      }
      continue;
    }
    for (const spec of classifyGoCall(call, analyzer)) {
      if (spec.argv) {
        hits.push(...argvHits(call, spec.sink, spec.values, scopes, analyzer, taint));
        continue;
      }
      const hit = valueSinkHit(spec, call, (n) => taint.evaluate(n), scopes, (n) => urlHostFixed(n, analyzer, taint));
      if (!hit) continue;
      if (spec.kind === "url" && goCarriesCredentials(call)) hit.withCredentials = true;
      hits.push(hit);
    }
  }
  return dedupe(hits).map((h) => toFlow(h, path));
}

const FUNCTIONS = new Set(["function_declaration", "method_declaration", "func_literal"]);
const HTTP_REQUEST_TYPES = /^\*?(http\.Request|gin\.Context|echo\.Context|fiber\.Ctx)$/;

/** Tool handlers (their non-context parameters) and HTTP handlers (their request parameter). */
export function goSources(root: Node, tools: ToolDefinition[]): Map<number, SourceFunction> {
  const out = new Map<number, SourceFunction>();
  const functions = root.descendantsOfType([...FUNCTIONS]).filter((n): n is Node => !!n);
  for (const tool of tools) {
    const h = tool.handler;
    if (!h) continue;
    const fn = functionAt(functions, h.span.line, h.span.endLine);
    if (!fn) continue;
    let e = out.get(fn.id);
    if (!e) {
      e = { kind: "tool-input", params: new Set(), tools: [] };
      out.set(fn.id, e);
    }
    for (const p of h.params) e.params.add(p);
    e.tools.push(tool);
  }
  {
    for (const fn of functions) {
      if (out.has(fn.id)) continue;
      const names: string[] = [];
      for (const decl of args(field(fn, "parameters"))) {
        if (!HTTP_REQUEST_TYPES.test(field(decl, "type")?.text.replace(/\s+/g, "") ?? "")) continue;
        for (const n of decl.childrenForFieldName("name")) if (n) names.push(n.text);
      }
      if (names.length) out.set(fn.id, { kind: "http-request", params: new Set(names), tools: [] });
    }
  }
  return out;
}

// ---------------------------------------------------------------- exec.Command argv

interface Element {
  node: Node;
  splat: boolean;
  /** Hops to add after the value's own trace: the helper call and its parameter. */
  via?: { text: string; line: number }[];
}

const MAX_ELEMENTS = 64;

/** Elements of a `[]string` built from a literal and `append` calls, in source order. */
function sliceElements(node: Node, scopes: Scopes, depth: number): Element[] | undefined {
  if (depth > 6) return undefined;
  if (node.type === "composite_literal") {
    return args(field(node, "body"))
      .slice(0, MAX_ELEMENTS)
      .map((e) => ({ node: e.type === "literal_element" ? (args(e)[0] ?? e) : e, splat: false }));
  }
  if (node.type === "call_expression" && field(node, "function")?.text === "append") {
    const [base, ...rest] = args(field(node, "arguments"));
    const head = base ? sliceElements(base, scopes, depth + 1) : [];
    if (!head) return undefined;
    return [...head, ...rest.map((r) => (r.type === "variadic_argument" ? { node: args(r)[0] ?? r, splat: true } : { node: r, splat: false }))];
  }
  if (node.type === "identifier") {
    const bindings = scopes.lookup(node.text, node);
    if (!bindings?.length || bindings.some((b) => b.kind !== "value")) return undefined;
    const values = bindings.map((b) => (b.kind === "value" ? b.value : undefined)).filter((v): v is Node => !!v);
    values.sort((a, b) => a.startIndex - b.startIndex);
    const out: Element[] = [];
    for (const v of values) {
      // `args = append(args, x)` re-lists args itself: take only what it adds.
      if (v.type === "call_expression" && field(v, "function")?.text === "append" && args(field(v, "arguments"))[0]?.text === node.text) {
        const rest = args(field(v, "arguments")).slice(1);
        out.push(...rest.map((r) => (r.type === "variadic_argument" ? { node: args(r)[0] ?? r, splat: true } : { node: r, splat: false })));
      } else out.push(...(sliceElements(v, scopes, depth + 1) ?? [{ node: v, splat: true }]));
    }
    return out;
  }
  return undefined;
}

function optionShaped(node: Node, analyzer: ConstnessAnalyzer, depth = 0): boolean {
  if (depth > 6) return true;
  switch (node.type) {
    case "binary_expression": {
      const l = field(node, "left");
      return !!l && optionShaped(l, analyzer, depth + 1);
    }
    case "interpreted_string_literal":
    case "raw_string_literal":
      return false;
    case "call_expression": {
      if (field(node, "function")?.text !== "fmt.Sprintf") return true;
      const format = literalString(args(field(node, "arguments"))[0] ?? null);
      return format === undefined || format.startsWith("%");
    }
    case "identifier": {
      if (analyzer.analyze(node).constant) return false;
      const bound = analyzer.valueOf(node);
      return bound && (bound.type === "binary_expression" || bound.type === "call_expression") ? optionShaped(bound, analyzer, depth + 1) : true;
    }
    default:
      return true;
  }
}

/** The argv of an exec call; arguments that are a helper's parameters are replaced per caller. */
function argvVariants(argv: Node[], scopes: Scopes, taint: GoTaint): Element[][] {
  let variants: Element[][] = [[]];
  for (const a of argv) {
    const inner = a.type === "variadic_argument" ? args(a)[0] : a;
    if (!inner) continue;
    const passed = variants.length < 8 ? taint.callerArguments(inner) : undefined;
    if (passed && passed.length > 0) {
      // `func run(name string, args ...string) { exec.Command(name, args...) }`
      const next: Element[][] = [];
      for (const v of variants) {
        for (const p of passed.slice(0, 8)) {
          const via = [{ text: p.call.text, line: lineOf(p.call) }, { text: inner.text, line: lineOf(inner) }];
          next.push([...v, ...p.passed.flatMap((n) => toElements(n, scopes)).map((e) => ({ ...e, via }))]);
        }
      }
      variants = next;
      continue;
    }
    const els = a.type === "variadic_argument" ? (sliceElements(inner, scopes, 0) ?? [{ node: inner, splat: true }]) : [{ node: a, splat: false }];
    variants = variants.map((v) => [...v, ...els]);
  }
  return variants;
}

function toElements(n: Node, scopes: Scopes): Element[] {
  if (n.type !== "variadic_argument") return [{ node: n, splat: false }];
  const inner = args(n)[0];
  return inner ? (sliceElements(inner, scopes, 0) ?? [{ node: inner, splat: true }]) : [];
}

function argvHits(call: Node, sink: string, argv: Node[], scopes: Scopes, analyzer: ConstnessAnalyzer, taint: GoTaint): SinkHit[] {
  const hits: SinkHit[] = [];
  for (const elements of argvVariants(argv, scopes, taint)) {
    for (const h of argvHitsOf(elements, call, sink, analyzer, taint)) if (!hits.some((o) => o.kind === h.kind)) hits.push(h);
  }
  return hits;
}

function argvHitsOf(elements: Element[], call: Node, sink: string, analyzer: ConstnessAnalyzer, taint: GoTaint): SinkHit[] {
  const head = elements[0];
  const program = !head || head.splat ? undefined : analyzer.stringValue(head.node);
  return argvListHits(elements, program, call, sink, {
    evaluate: (n) => taint.evaluate(n),
    stringValue: (n) => analyzer.stringValue(n),
    optionShaped: (n) => optionShaped(n, analyzer),
    reach: hop,
  });
}

function hop(t: Taint, e: Element): Taint {
  return (e.via ?? []).reduce((acc, v) => withStep(acc, v.text, v.line), t);
}

// ---------------------------------------------------------------- URL host

function pieces(node: Node, analyzer: ConstnessAnalyzer, depth = 0): Piece[] {
  const constant = analyzer.stringValue(node);
  if (constant !== undefined) return [{ text: constant }];
  if (depth > 6) return [{ node }];
  if (node.type === "binary_expression" && field(node, "operator")?.text === "+") {
    const l = field(node, "left");
    const r = field(node, "right");
    return l && r ? [...pieces(l, analyzer, depth + 1), ...pieces(r, analyzer, depth + 1)] : [{ node }];
  }
  if (node.type === "call_expression" && field(node, "function")?.text === "fmt.Sprintf") {
    const [format, ...rest] = args(field(node, "arguments"));
    const text = format ? analyzer.stringValue(format) : undefined;
    if (text === undefined) return [{ node }];
    const out: Piece[] = [];
    let i = 0;
    for (const part of text.split(/(%[-+# 0-9.]*[a-zA-Z%])/)) {
      if (/^%[-+# 0-9.]*[a-zA-Z]$/.test(part)) {
        const arg = rest[i++];
        out.push(arg ? { node: arg } : { text: "" });
      } else out.push({ text: part === "%%" ? "%" : part });
    }
    return out;
  }
  if (node.type === "identifier") {
    const bound = analyzer.valueOf(node);
    if (bound && (bound.type === "binary_expression" || bound.type === "call_expression")) return pieces(bound, analyzer, depth + 1);
  }
  return [{ node }];
}

/** The URL's scheme and host are fixed before the first tainted piece (path or query injection only). */
function urlHostFixed(node: Node, analyzer: ConstnessAnalyzer, taint: GoTaint): boolean {
  return urlPiecesHostFixed(pieces(node, analyzer), (n) => taint.evaluate(n));
}
