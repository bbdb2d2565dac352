import type { Node } from "web-tree-sitter";
import { callArguments, ConstnessAnalyzer } from "../extract/constness.js";
import { args, field } from "../extract/shell-ast.js";
import { pythonShellCalls } from "../extract/shell-python.js";
import { Scopes } from "../extract/shell-scope.js";
import type { ToolDefinition } from "../extract/types.js";
import type { FlowInput } from "./index.js";
import {
  argvListHits, dedupe, functionAt, indexGuards, lineOf, type Piece, shellHit, type SinkHit, type SourceFunction, toFlow,
  urlPiecesHostFixed, valueSinkHit, withStep,
} from "./py-go-common.js";
import { PyTaint } from "./py-eval.js";
import { PyGuards } from "./py-guards.js";
import { carriesCredentials, classifyPyCall, pyQualified } from "./py-sinks.js";
import type { TaintFlow } from "./types.js";

/**
 * Python flows: FastMCP tool parameters, low-level `call_tool` arguments and Flask/FastAPI route
 * data reaching shells, argv lists, eval/pickle/yaml/jinja2, file APIs, HTTP clients and SQL.
 */
export function pythonFlows(input: FlowInput): TaintFlow[] {
  const { root, path, tools } = input;
  const sources = pythonSources(root, tools);
  const flaskRequest = /from\s+(flask|quart)\s+import[^\n]*\brequest\b/.test(input.text);
  if (sources.size === 0 && !flaskRequest) return [];

  // The extractor's per-file analyzer when given: scope bindings are collected once per file.
  const analyzer = input.analyzer ?? new ConstnessAnalyzer(root, "python", new Scopes("python", root));
  const scopes = analyzer.scopes;
  const guards = new PyGuards(root, analyzer).all();
  const index = indexGuards(guards);
  const toolNames = new Set(tools.map((t) => t.name).filter((n): n is string => n !== null));
  const taint = new PyTaint(root, scopes, analyzer, sources, index, toolNames);

  const shellDrafts = new Map<number, Node[]>();
  for (const d of input.shellDrafts ?? pythonShellCalls(root, analyzer)) shellDrafts.set(d.call.id, d.command);

  // One flow per call and kind (an open one over a checked one): dedupe() below.
  const hits: SinkHit[] = [];
  const add = (hit: SinkHit) => hits.push(hit);

  for (const call of root.descendantsOfType("call")) {
    if (!call) continue;
    taint.sinkLine = call.startPosition.row + 1;
    const shell = shellDrafts.get(call.id);
    if (shell) {
      const api = shellApi(call, analyzer);
      for (const command of shell) {
        const hit = shellHit(taint.evaluate(command), api, call);
        if (hit) add(hit);
      }
      continue;
    }
    for (const spec of classifyPyCall(call, analyzer)) {
      if (spec.argv) {
        const value = spec.values[0];
        // An argv a helper receives (`def run(cmd): subprocess.run(cmd)`): judge each caller's list.
        const passed = value.id === call.id ? undefined : taint.callerArguments(value);
        for (const { passed: v, call: via } of passed ?? [{ passed: value, call: undefined }]) {
          const elements = v.id === call.id ? callElements(call) : (argvElements(v, scopes, analyzer, 0) ?? splitElements(v, analyzer));
          // `subprocess.run(cmd)` with a string: the input names the program to run.
          const hits = elements
            ? argvHits(elements, call, spec.sink, taint, analyzer)
            : v.type !== "list_splat" && v.type !== "dictionary_splat" ? argvHits([{ node: v, splat: true }], call, spec.sink, taint, analyzer) : [];
          for (const hit of hits) {
            // The hop into the helper: its call, then the parameter.
            if (via) hit.taint = withStep(withStep(hit.taint, via.text, lineOf(via)), value.text, lineOf(value));
            add(hit);
          }
        }
        continue;
      }
      const hit = valueSinkHit(spec, call, (n) => taint.evaluate(n), scopes, (n) => urlHostFixed(n, analyzer, taint));
      if (!hit) continue;
      if (spec.kind === "url" && carriesCredentials(call, spec.client, analyzer)) hit.withCredentials = true;
      add(hit);
    }
  }
  return dedupe(hits).map((h) => toFlow(h, path));
}


const CONTEXT_TYPE = /(^|\.)(Context|RequestContext|ServerSession)(\[.*\])?$/s;
const HTTP_DECORATOR = /^@\s*[\w.]+\.(route|get|post|put|delete|patch|api_route|websocket|custom_route)\s*\(/;

/** Functions whose parameters are untrusted: tool handlers, `call_tool` dispatchers, HTTP routes. */
export function pythonSources(root: Node, tools: ToolDefinition[]): Map<number, SourceFunction> {
  const out = new Map<number, SourceFunction>();
  const functions = root.descendantsOfType("function_definition").filter((n): n is Node => !!n);
  const entry = (fn: Node, kind: SourceFunction["kind"]) => {
    let e = out.get(fn.id);
    if (!e) {
      e = { kind, params: new Set(), tools: [] };
      out.set(fn.id, e);
    }
    return e;
  };
  for (const tool of tools) {
    const h = tool.handler;
    if (!h) continue;
    const fn = functionAt(functions, h.span.line, h.span.endLine);
    if (!fn) continue;
    const e = entry(fn, "tool-input");
    e.kind = "tool-input";
    for (const p of h.params) e.params.add(p);
    if (!e.tools.includes(tool)) e.tools.push(tool);
  }
  for (const decorated of root.descendantsOfType("decorated_definition")) {
    const fn = decorated && field(decorated, "definition");
    if (!decorated || fn?.type !== "function_definition") continue;
    const decorators = args(decorated).filter((d) => d.type === "decorator").map((d) => d.text);
    const callTool = decorators.some((d) => /\.call_tool\s*\(/.test(d));
    const http = !callTool && decorators.some((d) => HTTP_DECORATOR.test(d)) && !decorators.some((d) => /\.tool\b/.test(d));
    if (!callTool && !http) continue;
    const e = entry(fn, callTool ? "tool-input" : "http-request");
    for (const p of parameterNames(fn)) e.params.add(p);
    if (callTool) {
      const start = fn.startPosition.row + 1;
      const end = fn.endPosition.row + 1;
      for (const t of tools) {
        const s = t.handler?.span;
        if (s && s.line >= start && s.endLine <= end && !e.tools.includes(t)) e.tools.push(t);
      }
      // A dispatcher serving the file's only low-level tool serves that tool.
      const listed = tools.filter((t) => t.api === "py-lowlevel.list_tools");
      if (e.tools.length === 0 && listed.length === 1) e.tools.push(listed[0]);
    }
  }
  return out;
}

function parameterNames(fn: Node): string[] {
  const names: string[] = [];
  for (const p of args(field(fn, "parameters"))) {
    const id = p.type === "identifier" ? p : p.type === "typed_parameter" ? args(p).find((c) => c.type === "identifier") : field(p, "name");
    const type = field(p, "type")?.text;
    if (!id || id.text === "self" || id.text === "cls" || (type && CONTEXT_TYPE.test(type.replace(/\s+/g, "")))) continue;
    names.push(id.text);
  }
  return names;
}

function shellApi(call: Node, analyzer: ConstnessAnalyzer): string {
  const fn = field(call, "function");
  const q = fn ? analyzer.qualifiedName(fn) : undefined;
  return q?.module !== undefined ? `${q.module}.${q.name}` : (fn?.text ?? "shell");
}

// ---------------------------------------------------------------- argv lists

interface Element {
  node: Node;
  splat: boolean;
  /** The program name when it is known without evaluating `node` (split strings). */
  program?: string;
}

const MAX_ELEMENTS = 64;

/** `create_subprocess_exec("git", "clone", *extra)`: the call's own positional arguments. */
function callElements(call: Node): Element[] {
  return callArguments(call)
    .filter((a) => a.type !== "keyword_argument" && a.type !== "dictionary_splat")
    .map((a) => (a.type === "list_splat" ? { node: args(a)[0] ?? a, splat: true } : { node: a, splat: false }));
}

/** The elements of an argv list as far as they can be placed: literals, `+`, append/extend/+=. */
export function argvElements(node: Node, scopes: Scopes, analyzer: ConstnessAnalyzer, depth: number): Element[] | undefined {
  if (depth > 6) return undefined;
  switch (node.type) {
    case "list":
    case "tuple":
      return args(node).slice(0, MAX_ELEMENTS).map((e) => (e.type === "list_splat" ? { node: args(e)[0] ?? e, splat: true } : { node: e, splat: false }));
    case "parenthesized_expression":
      return args(node)[0] ? argvElements(args(node)[0], scopes, analyzer, depth + 1) : undefined;
    case "binary_operator": {
      if (field(node, "operator")?.text !== "+") return undefined;
      const l = field(node, "left");
      const r = field(node, "right");
      const a = l ? argvElements(l, scopes, analyzer, depth + 1) : undefined;
      const b = r ? argvElements(r, scopes, analyzer, depth + 1) ?? [{ node: r, splat: true }] : undefined;
      return a && b ? [...a, ...b] : undefined;
    }
    case "identifier": {
      const bindings = scopes.lookup(node.text, node);
      if (!bindings?.length || bindings.some((b) => b.kind !== "value")) return undefined;
      const values = bindings
        .map((b) => (b.kind === "value" ? b.value : undefined))
        .filter((v): v is Node => !!v)
        .sort((x, y) => x.startIndex - y.startIndex);
      const out: Element[] = [];
      for (const v of values) {
        const holder = v.parent?.type === "argument_list" ? v.parent.parent : v.parent;
        const method = holder?.type === "call" ? field(field(holder, "function")!, "attribute")?.text : undefined;
        if (method === "append" || method === "insert") out.push({ node: v, splat: false });
        else out.push(...(argvElements(v, scopes, analyzer, depth + 1) ?? [{ node: v, splat: true }]));
      }
      return out;
    }
    default:
      return undefined;
  }
}

/**
 * `shlex.split(f"git log {ref}")` / `cmd.split()`: the program is the first word of the literal
 * text before any input; everything after it may become arguments.
 */
function splitElements(node: Node, analyzer: ConstnessAnalyzer): Element[] | undefined {
  if (node.type !== "call") return undefined;
  const fn = field(node, "function");
  const argv = callArguments(node);
  let text: Node | undefined;
  if (fn && pyQualified(fn, analyzer)?.module === "shlex" && field(fn, "attribute")?.text === "split") text = argv[0];
  else if (fn?.type === "attribute" && field(fn, "attribute")?.text === "split" && argv.length === 0) text = field(fn, "object") ?? undefined;
  if (!text) return undefined;
  const first = pieces(text, analyzer)[0];
  const word = first && "text" in first ? /^\s*(\S+)\s/.exec(first.text)?.[1] : undefined;
  if (!word) return [{ node: text, splat: true }];
  // A synthetic program element: the literal word, then the rest of the string as arguments.
  return [{ node: text, splat: false, program: word }, { node: text, splat: true }];
}

/** Does a value start with input text (so it can begin with `-`)? `f"--ref={x}"` cannot. */
function optionShaped(node: Node, analyzer: ConstnessAnalyzer, depth = 0): boolean {
  if (depth > 6) return true;
  switch (node.type) {
    case "string": {
      const first = args(node).find((c) => c.type !== "string_start");
      return first?.type === "interpolation";
    }
    case "concatenated_string":
      return args(node)[0] ? optionShaped(args(node)[0], analyzer, depth + 1) : false;
    case "binary_operator": {
      const l = field(node, "left");
      return field(node, "operator")?.text === "+" && !!l && optionShaped(l, analyzer, depth + 1);
    }
    case "identifier": {
      const bound = analyzer.valueOf(node);
      return bound && (bound.type === "string" || bound.type === "binary_operator") ? optionShaped(bound, analyzer, depth + 1) : true;
    }
    default:
      return true;
  }
}

function argvHits(elements: Element[], call: Node, sink: string, taint: PyTaint, analyzer: ConstnessAnalyzer): SinkHit[] {
  const head = elements[0];
  const program = head?.program ?? (!head || head.splat ? undefined : head.node.text === "sys.executable" ? "python" : analyzer.stringValue(head.node));
  return argvListHits(elements, program, call, sink, {
    evaluate: (n) => taint.evaluate(n),
    stringValue: (n) => analyzer.stringValue(n),
    optionShaped: (n) => optionShaped(n, analyzer),
    reach: (t) => t,
  });
}

// ---------------------------------------------------------------- URL host

/** Pieces of a built string in order: f-strings, `+`, `%` and `.format` with a literal template. */
function pieces(node: Node, analyzer: ConstnessAnalyzer, depth = 0): Piece[] {
  const constant = analyzer.stringValue(node);
  if (constant !== undefined) return [{ text: constant }];
  if (depth > 6) return [{ node }];
  switch (node.type) {
    case "string": {
      const out: Piece[] = [];
      for (const c of args(node)) {
        if (c.type === "string_content") out.push({ text: c.text });
        else if (c.type === "interpolation") {
          const expr = field(c, "expression");
          if (expr) out.push(...pieces(expr, analyzer, depth + 1));
        }
      }
      return out;
    }
    case "concatenated_string":
      return args(node).flatMap((s) => pieces(s, analyzer, depth + 1));
    case "parenthesized_expression":
      return args(node)[0] ? pieces(args(node)[0], analyzer, depth + 1) : [{ node }];
    case "binary_operator": {
      const op = field(node, "operator")?.text;
      const l = field(node, "left");
      const r = field(node, "right");
      if (!l || !r) return [{ node }];
      if (op === "+") return [...pieces(l, analyzer, depth + 1), ...pieces(r, analyzer, depth + 1)];
      const template = op === "%" ? analyzer.stringValue(l) : undefined;
      if (template === undefined) return [{ node }];
      const values = r.type === "tuple" ? args(r) : [r];
      return splitTemplate(template, /(%[-+# 0-9.]*[a-zA-Z])/, values, analyzer, depth);
    }
    case "call": {
      const fn = field(node, "function");
      if (fn?.type !== "attribute" || field(fn, "attribute")?.text !== "format") return [{ node }];
      const template = analyzer.stringValue(field(fn, "object")!);
      if (template === undefined) return [{ node }];
      const values = callArguments(node).map((a) => (a.type === "keyword_argument" ? (field(a, "value") ?? a) : a));
      return splitTemplate(template, /(\{[^{}]*\})/, values, analyzer, depth);
    }
    case "identifier": {
      const bound = analyzer.valueOf(node);
      if (bound && ["string", "binary_operator", "call", "concatenated_string"].includes(bound.type)) return pieces(bound, analyzer, depth + 1);
      return [{ node }];
    }
    default:
      return [{ node }];
  }
}

function splitTemplate(template: string, placeholder: RegExp, values: Node[], analyzer: ConstnessAnalyzer, depth: number): Piece[] {
  const out: Piece[] = [];
  let i = 0;
  for (const part of template.split(placeholder)) {
    if (placeholder.test(part) && new RegExp(`^${placeholder.source}$`).test(part)) {
      const v = values[i++];
      out.push(...(v ? pieces(v, analyzer, depth + 1) : [{ text: "" }]));
    } else out.push({ text: part });
  }
  return out;
}

/** Scheme and host are fixed before the first tainted piece: only the path or query is chosen. */
export function urlHostFixed(node: Node, analyzer: ConstnessAnalyzer, taint: PyTaint): boolean {
  return urlPiecesHostFixed(pieces(node, analyzer), (n) => taint.evaluate(n));
}
