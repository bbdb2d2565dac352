import type { Node } from "web-tree-sitter";
import { callArguments, type ConstnessAnalyzer, unwrap } from "./constness.js";
import { args, clip, type Family, field, snippetOf, spanOf } from "./shell-ast.js";
import type { HostClass, TransportFact } from "./transport.js";
import type { Span } from "./types.js";

/** Collects one file's transport facts; owns the path, text and constant resolution. */
export class FactSink {
  readonly facts: TransportFact[] = [];

  constructor(
    readonly path: string,
    readonly text: string,
    readonly an: ConstnessAnalyzer,
  ) {}

  get family(): Family {
    return this.an.family;
  }

  span(node: Node): Span {
    return spanOf(node, this.path);
  }

  /** The construct's lines (at most three) to the end of its last line, so `app.use(cors())` stays whole. */
  snippet(node: Node): string {
    const end = this.text.indexOf("\n", node.endIndex);
    const lineEnd = end < 0 ? this.text.length : end;
    if (node.endPosition.row - node.startPosition.row >= 3 || lineEnd - node.endIndex > 200) return snippetOf(node, this.text);
    const lineStart = this.text.lastIndexOf("\n", node.startIndex - 1) + 1;
    return clip(this.text.slice(lineStart, lineEnd));
  }

  /** Common fields of a fact located at `node`. */
  at(node: Node, api: string): { span: Span; snippet: string; api: string } {
    return { span: this.span(node), snippet: this.snippet(node), api };
  }

  private readonly seen = new Set<string>();

  add(fact: TransportFact): void {
    // One construct can be reached twice (an options object resolved through a variable).
    const id = `${fact.kind}\0${fact.span.line}\0${fact.span.endLine}\0${fact.api}\0${fact.snippet}`;
    if (this.seen.has(id)) return;
    this.seen.add(id);
    this.facts.push(fact);
  }
}

const ALL_INTERFACES = new Set(["", "0.0.0.0", "::", "*", "0:0:0:0:0:0:0:0", "::0"]);
const LOCAL = new Set(["localhost", "::1", "ip6-localhost", "0:0:0:0:0:0:0:1"]);

/** Classify a host; null (none given) is classified by the caller, who knows the API default. */
export function classifyHost(host: string | undefined): HostClass {
  if (host === undefined) return "unknown";
  const h = host.trim().toLowerCase().replace(/^\[|\]$/g, "");
  if (ALL_INTERFACES.has(h)) return "all";
  if (LOCAL.has(h) || /^127\.\d+\.\d+\.\d+$/.test(h)) return "local";
  return "specific";
}

/** The host part of a Go-style "host:port" address ("" for ":8080"). */
export function hostOfAddress(address: string): string | undefined {
  const colon = address.lastIndexOf(":");
  if (colon < 0) return address.length > 0 ? address : undefined;
  return address.slice(0, colon).replace(/^\[|\]$/g, "");
}

export interface HostValue {
  value?: string;
  /** The value is the fallback behind an environment lookup (`process.env.HOST ?? "0.0.0.0"`). */
  fallback: boolean;
}

/**
 * A host argument as far as it is known: a constant, or the fallback of `env ?? "..."`,
 * `os.getenv("HOST", "...")`, `os.environ.get(...)`. Unknown values stay undefined.
 */
export function hostValue(node: Node, an: ConstnessAnalyzer, depth = 0): HostValue {
  const n = unwrap(node);
  if (depth > 8) return { fallback: false };
  const constant = an.stringValue(n);
  if (constant !== undefined) return { value: constant, fallback: false };
  if (n.type === "binary_expression" || n.type === "boolean_operator") {
    const op = field(n, "operator")?.text;
    const right = field(n, "right");
    if (right && (op === "||" || op === "??" || op === "or")) return { value: hostValue(right, an, depth + 1).value, fallback: true };
  }
  if (n.type === "call") {
    const fn = field(n, "function")?.text ?? "";
    const a = callArguments(n).filter((x) => x.type !== "keyword_argument");
    if (/^(os\.getenv|os\.environ\.get|environ\.get|getenv)$/.test(fn) && a[1]) return { value: hostValue(a[1], an, depth + 1).value, fallback: true };
  }
  if (n.type === "identifier") {
    const value = an.valueOf(n);
    if (value) return hostValue(value, an, depth + 1);
  }
  return { fallback: false };
}

/** Go-style address expression: constants, `":" + port`, `fmt.Sprintf(":%d", port)`. */
export function addressPrefix(node: Node, an: ConstnessAnalyzer, depth = 0): string | undefined {
  const n = unwrap(node);
  if (depth > 8) return undefined;
  const constant = an.stringValue(n);
  if (constant !== undefined) return constant;
  if (n.type === "binary_expression" && field(n, "operator")?.text === "+") {
    const left = field(n, "left");
    const prefix = left ? addressPrefix(left, an, depth + 1) : undefined;
    // The host ends where the port begins; a prefix without a colon says nothing about the host.
    return prefix !== undefined && prefix.includes(":") ? prefix : undefined;
  }
  if (n.type === "call_expression" && /(^|\.)Sprintf$/.test(field(n, "function")?.text ?? "")) {
    const format = callArguments(n)[0];
    const text = format ? an.stringValue(format) : undefined;
    const cut = text?.indexOf("%") ?? -1;
    if (text !== undefined && cut >= 0 && text.slice(0, cut).includes(":")) return text.slice(0, cut);
    return undefined;
  }
  if (n.type === "identifier") {
    const value = an.valueOf(n);
    if (value) return addressPrefix(value, an, depth + 1);
  }
  return undefined;
}

const FUNCTIONS: Record<Family, Set<string>> = {
  js: new Set([
    "function_declaration", "function_expression", "function", "arrow_function", "method_definition",
    "generator_function_declaration", "generator_function",
  ]),
  python: new Set(["function_definition", "lambda"]),
  go: new Set(["function_declaration", "method_declaration", "func_literal"]),
};

export function isFunction(node: Node, family: Family): boolean {
  return FUNCTIONS[family].has(node.type);
}

/** The innermost function around `node`, or null at top level. */
export function enclosingFunction(node: Node, family: Family): Node | null {
  for (let n = node.parent; n; n = n.parent) if (isFunction(n, family)) return n;
  return null;
}

/** Names of authentication middleware and wrappers (`requireBearerAuth`, `authMiddleware`, `passport`). */
export const AUTH_NAME = /auth|jwt|bearer|api_?key|passport|verify_?token|require_?token|check_?token|clerk|current_?user|require_?user|login_?required/i;
/** Auth plumbing that does not itself reject unauthenticated requests. */
export const NOT_ENFORCING = /metadata|router|_?context_?func|author(?!i[sz])/i;

/** A response status that rejects a caller: 401/403 in any of our languages. */
export const REJECTS = /\b40[13]\b|StatusUnauthorized|StatusForbidden|HTTP_40[13]|Unauthori[sz]ed|Forbidden/;

/** A function that compares a Host/Origin header against something and can refuse the request. */
export const VALIDATES = /\b40[03]\b|StatusForbidden|StatusBadRequest|Forbidden|allow|includes\(|\.has\(|\bin\s|HTTP_403/;

/** Methods and helpers whose result still carries the token they were given. */
const PASS_THROUGH = new Set([
  "split", "trim", "trimStart", "trimEnd", "replace", "replaceAll", "slice", "substring", "substr", "at", "toString",
  "strip", "lstrip", "rstrip", "removeprefix", "format", "partition", "rpartition", "rsplit", "encode", "decode",
  "TrimPrefix", "TrimSpace", "TrimLeft", "Split", "SplitN", "Fields", "Sprintf", "Join", "Replace", "ReplaceAll", "Cut",
]);

/**
 * Whether an expression's value carries the token: a source node itself, a tainted name, or a
 * string built from one by concatenation, formatting or a pass-through method. A call to any
 * other function (a token exchange, a hash) ends the chain.
 */
export function carries(node: Node | null, isSource: (n: Node) => boolean, tainted: ReadonlySet<string>, depth = 0): boolean {
  if (!node || depth > 32) return false;
  if (isSource(node)) return true;
  const next = (n: Node | null) => carries(n, isSource, tainted, depth + 1);
  switch (node.type) {
    case "identifier":
      return tainted.has(node.text);
    case "member_expression":
    case "subscript_expression":
      return next(field(node, "object"));
    case "attribute":
      return next(field(node, "object"));
    case "subscript":
      return next(field(node, "value"));
    case "selector_expression":
    case "index_expression":
      return next(field(node, "operand"));
    case "call_expression":
    case "call": {
      const fn = field(node, "function");
      if (!fn) return false;
      const prop = field(fn, "property") ?? field(fn, "attribute") ?? field(fn, "field");
      if (!prop || !PASS_THROUGH.has(prop.text)) return false;
      // `strings.TrimPrefix(tok, "Bearer ")`: a Go package helper carries its arguments.
      if (fn.type === "selector_expression") return callArguments(node).some(next);
      const obj = field(fn, "object");
      return next(obj) || (prop.text === "format" && callArguments(node).some(next));
    }
    case "template_string":
    case "string":
      return args(node).some((c) => (c.type === "template_substitution" || c.type === "interpolation") && next(c));
    case "binary_expression":
    case "binary_operator":
    case "boolean_operator":
      return next(field(node, "left")) || next(field(node, "right"));
    case "ternary_expression":
      return next(field(node, "consequence")) || next(field(node, "alternative"));
    case "conditional_expression":
    case "parenthesized_expression":
    case "await_expression":
    case "await":
    case "non_null_expression":
    case "as_expression":
    case "template_substitution":
    case "interpolation":
    case "expression_list":
    case "f_string":
      return args(node).some(next);
    default:
      return false;
  }
}

/**
 * Names inside `scope` whose value carries the token (`const auth = req.headers.authorization`,
 * `token = auth.split(" ")[1]`), to a fixed point of a few rounds.
 */
export function taintedNames(scope: Node, family: Family, isSource: (n: Node) => boolean, extra: (node: Node, tainted: Set<string>) => void = () => {}): Set<string> {
  const tainted = new Set<string>();
  const assignments: { names: Node[]; values: Node[] }[] = [];
  const stack: Node[] = [scope];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (family === "js" && node.type === "variable_declarator") {
      assignments.push({ names: [field(node, "name")].filter((n): n is Node => n !== null), values: [field(node, "value")].filter((n): n is Node => n !== null) });
    } else if (family === "js" && node.type === "assignment_expression") {
      assignments.push({ names: [field(node, "left")].filter((n): n is Node => n !== null), values: [field(node, "right")].filter((n): n is Node => n !== null) });
    } else if (family === "python" && node.type === "assignment") {
      const left = field(node, "left");
      const right = field(node, "right");
      if (left && right) assignments.push({ names: [left], values: [right] });
    } else if (family === "go" && (node.type === "short_var_declaration" || node.type === "assignment_statement" || node.type === "var_spec")) {
      const names = node.type === "var_spec" ? node.childrenForFieldName("name").filter((n): n is Node => n !== null) : args(field(node, "left"));
      const values = args(field(node, node.type === "var_spec" ? "value" : "right"));
      assignments.push({ names, values });
    }
    extra(node, tainted);
    for (const c of node.namedChildren) if (c) stack.push(c);
  }
  for (let round = 0; round < 4; round++) {
    const before = tainted.size;
    for (const { names, values } of assignments) {
      names.forEach((name, i) => {
        const value = values.length === names.length ? values[i] : values[0];
        if (!value || name.type !== "identifier" || tainted.has(name.text)) return;
        if (carries(value, isSource, tainted)) tainted.add(name.text);
      });
    }
    if (tainted.size === before) break;
  }
  return tainted;
}

/** Every node of a subtree (iterative; hostile nesting cannot overflow the stack). */
export function descendants(root: Node, visit: (node: Node) => void): void {
  const stack: Node[] = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    visit(node);
    for (const c of node.namedChildren) if (c) stack.push(c);
  }
}

/** Source text of a token expression, normalised so `token` and `token ` compare equal. */
export function tokenText(node: Node | undefined): string {
  return node ? clip(node.text, 80) : "";
}

/** Lower-cased header name when `node` is a constant string. */
export function headerName(node: Node | undefined, an: ConstnessAnalyzer): string | undefined {
  if (!node) return undefined;
  return an.stringValue(node)?.toLowerCase();
}

/** Incoming header reads by what they carry: the Authorization header, an API key, Host/Origin. */
export class HeaderReads {
  readonly auth: Node[] = [];
  readonly key: Node[] = [];
  readonly host: Node[] = [];

  /** Files `node` under the header it reads (`header` lower-case, undefined when it reads none). */
  add(node: Node, header: string | undefined): void {
    if (header === "authorization") this.auth.push(node);
    else if (header && KEY_HEADER.test(header)) this.key.push(node);
    else if (header === "host" || header === "origin") this.host.push(node);
  }
}

const KEY_HEADER = /api[-_]?key|x-auth|token/;

/**
 * Whether HeaderReads keeps a read of `header` (lower-case). Front ends ask this before the
 * costly part (is the object the incoming request's headers?), which every `a.b` would pay.
 */
export function isTrackedHeader(header: string): boolean {
  return header === "authorization" || header === "host" || header === "origin" || KEY_HEADER.test(header);
}

/**
 * Checks written by hand: a function that reads the credential and answers 401/403 is
 * authentication; Host/Origin validation by hand counts as DNS-rebinding defence.
 */
export function handWrittenChecks(sink: FactSink, reads: HeaderReads, family: Family): void {
  const authFunctions = new Set<number>();
  for (const read of [...reads.auth, ...reads.key]) {
    const fn = enclosingFunction(read, family);
    if (fn && !authFunctions.has(fn.id) && REJECTS.test(fn.text)) {
      authFunctions.add(fn.id);
      sink.add({ kind: "auth", ...sink.at(read, "handler rejects missing credentials") });
    }
  }
  for (const read of reads.host) {
    const fn = enclosingFunction(read, family);
    if (fn && VALIDATES.test(fn.text)) sink.add({ kind: "host-check", ...sink.at(read, "Host/Origin header check") });
  }
}

/** Header reads grouped by the function they are in (the whole file for top-level code). */
export type ReadsByScope = Map<number, { scope: Node; reads: Node[] }>;

export function addRead(byScope: ReadsByScope, read: Node, family: Family, root: Node): void {
  const scope = enclosingFunction(read, family) ?? root;
  const entry = byScope.get(scope.id) ?? { scope, reads: [] };
  entry.reads.push(read);
  byScope.set(scope.id, entry);
}
