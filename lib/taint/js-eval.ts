import type { Node } from "web-tree-sitter";
import { type ConstnessAnalyzer, callArguments } from "../extract/constness.js";
import { args, clip, contains, field, literalString } from "../extract/shell-ast.js";
import { type Binding, returnedValues, type Scopes } from "../extract/shell-scope.js";
import { redactSecrets } from "../extract/shell-redact.js";
import { type CheckClass, guardsAt } from "./js-guards.js";
import type { FlowKind, TaintFlow, TraceStep } from "./types.js";

/** A tainted value: where it came from and the hops it took to get here. */
export interface Taint {
  source: TaintFlow["source"];
  /** Source first. */
  steps: TraceStep[];
  /** Went through `path.resolve/join/normalize` or `realpath` (a containment check then holds). */
  normalized?: boolean;
  /** Kinds this value can no longer exploit (`path.basename` for paths, quoting for shells). */
  cleanFor?: FlowKind[];
  /**
   * Checks the value passed inside a same-file function that returned it (a `safeResolve(p)`
   * helper that throws unless the path is contained); `normalized` as of the checked value.
   */
  checks?: { cls: CheckClass; normalized: boolean; subject: string }[];
}

/**
 * What a function's parameter holds in one analysis context: a source (a tool's input or an
 * HTTP request), or the argument a same-file caller passed.
 */
export type ParamTaint =
  /** `bindingPath`: what a destructuring parameter picked (`{ repo }` -> ["repo"]); `path`: read after it. */
  | { kind: "source"; source: (name: string, bindingPath: string[], path: string[], use: Node) => Taint[] }
  | { kind: "arg"; node: Node; env: Env; callSite: Node; label: string; line: number };

/** Function node id -> its tainted parameters. */
export type Env = ReadonlyMap<number, ReadonlyMap<string, ParamTaint>>;

const MAX_TAINTS = 4;
const MAX_STEPS = 6000;
const MAX_DEPTH = 100;
const MAX_CALL_DEPTH = 4;
const MAX_TRACE = 10;

const CLEAN_CALLS = new Set([
  "parseInt", "parseFloat", "Number", "Boolean", "isNaN", "isFinite", "Date.now", "Number.parseInt",
  "Number.parseFloat", "Number.isInteger", "Number.isSafeInteger", "Number.isFinite", "Array.isArray",
  "crypto.randomUUID", "randomUUID",
]);

/** Methods whose result is the receiver's data (and their arguments'), reshaped. */
const PASS_THROUGH = new Set([
  "trim", "trimStart", "trimEnd", "toString", "toLowerCase", "toUpperCase", "replace", "replaceAll",
  "slice", "substring", "substr", "split", "join", "concat", "padStart", "padEnd", "repeat", "at",
  "map", "filter", "flat", "flatMap", "reverse", "sort", "normalize", "valueOf", "find", "pop", "shift",
  "toLocaleLowerCase", "toLocaleUpperCase", "trimLeft", "trimRight",
]);

/** Array methods whose callback's first parameter is an element of the array. */
const ITERATING = new Set(["map", "forEach", "filter", "flatMap", "some", "every", "find", "findIndex"]);
const PATH_MODULES = new Set(["path", "node:path", "path/posix", "path/win32", "upath"]);
const NORMALISING = new Set(["resolve", "join", "normalize", "realpath", "realpathSync"]);
const QUOTERS = new Set(["shell-quote.quote", "shescape.quote", "shescape.quoteAll", "shescape.escape", "shell-escape.*", "shell-escape.default"]);
const FUNCTION_TYPES = new Set(["function_declaration", "function_expression", "function", "arrow_function", "method_definition", "generator_function_declaration", "generator_function"]);

function display(name: string, path: string[]): string {
  return name + path.map((p) => (p.startsWith("[") ? p : `.${p}`)).join("");
}

export function lineOf(node: Node): number {
  return node.startPosition.row + 1;
}

export function label(text: string): string {
  return redactSecrets(clip(text, 80));
}

/** Append a hop unless it repeats the last one; long traces keep their ends. */
export function withStep(t: Taint, step: TraceStep): Taint {
  const last = t.steps[t.steps.length - 1];
  if (last && last.label === step.label && last.line === step.line) return t;
  let steps = [...t.steps, step];
  if (steps.length > MAX_TRACE) steps = [steps[0], ...steps.slice(steps.length - MAX_TRACE + 1)];
  return { ...t, steps };
}

function union(lists: Taint[][]): Taint[] {
  const out: Taint[] = [];
  for (const list of lists) {
    for (const t of list) {
      if (out.length >= MAX_TAINTS) return out;
      if (!out.some((o) => o.source.name === t.source.name)) out.push(t);
    }
  }
  return out;
}

function mark(list: Taint[], extra: Partial<Pick<Taint, "normalized">> & { clean?: FlowKind[] }): Taint[] {
  return list.map((t) => ({
    ...t,
    ...(extra.normalized ? { normalized: true } : {}),
    ...(extra.clean ? { cleanFor: [...(t.cleanFor ?? []), ...extra.clean] } : {}),
  }));
}

/**
 * Backward, demand-driven taint evaluation of JS/TS expressions: what tool input (or HTTP
 * request data) an expression's value is built from, with the hops it took. Flow-insensitive
 * over a scope's bindings, like the constness analysis it sits next to; bounded in steps,
 * depth and call depth so hostile code stays cheap.
 */
export class JsTaintEvaluator {
  private steps = 0;
  private depth = 0;
  /** Keys being evaluated, with their nesting index. */
  private readonly inProgress = new Map<string, number>();
  /**
   * Results of bindings and whole expressions per environment. Only results computed without
   * cutting a cycle or hitting a bound are kept, so a cached answer is a complete one; this is
   * what keeps a handler with thousands of sinks over the same variables linear.
   */
  private readonly memo = new Map<string, Taint[]>();
  private readonly envIds = new WeakMap<Env, number>();
  private envCount = 0;
  private readonly callEnvs = new Map<string, Env>();
  /** Nesting index of the outermost evaluation a cut cycle leads back to; -1 after a bound was hit. */
  private lowest = Infinity;

  constructor(
    readonly scopes: Scopes,
    readonly analyzer: ConstnessAnalyzer,
  ) {}

  /** Taints of an expression in an analysis context. */
  taintOf(node: Node, env: Env): Taint[] {
    const key = `expr:${node.id}|${this.envId(env)}`;
    const cached = this.memo.get(key);
    if (cached) return cached;
    this.steps = 0;
    this.depth = 0;
    this.inProgress.clear();
    this.lowest = Infinity;
    const result = this.eval(node, env);
    if (this.lowest >= 0) this.remember(key, result);
    return result;
  }

  /** Taints of one property path of an expression (`{ url: x }` with path ["url"] -> x). */
  taintOfPath(node: Node, path: string[], env: Env): Taint[] {
    this.steps = 0;
    this.depth = 0;
    this.inProgress.clear();
    this.lowest = Infinity;
    return this.evalPath(node, path, env);
  }

  private envId(env: Env): number {
    let id = this.envIds.get(env);
    if (id === undefined) {
      id = ++this.envCount;
      this.envIds.set(env, id);
    }
    return id;
  }

  private remember(key: string, value: Taint[]): void {
    if (this.memo.size > 50_000) this.memo.clear();
    this.memo.set(key, value);
  }

  /** Bindings of a name visible at `use`, with the scope that binds it. */
  lookup(name: string, use: Node): { scope: Node; bindings: Binding[] } | undefined {
    for (let n: Node | null = use; n; n = n.parent) {
      if (!this.scopes.isScope(n)) continue;
      const found = this.scopes.bindingsOf(n).get(name);
      if (!found) continue;
      const visible = found.filter((b) => b.kind !== "value" || !b.block || contains(b.block, use));
      if (visible.length > 0) return { scope: n, bindings: visible };
    }
    return undefined;
  }

  /** `this.name(...)`: the method (or function-valued field) of that name in the enclosing class. */
  private method(from: Node, name: string): Node | undefined {
    for (let n: Node | null = from.parent; n; n = n.parent) {
      if (n.type !== "class_body") continue;
      for (const m of args(n)) {
        if (field(m, "name")?.text !== name) continue;
        if (m.type === "method_definition") return m;
        const value = m.type === "public_field_definition" ? field(m, "value") : null;
        const fn = value ? unwrapValue(value) : undefined;
        if (fn && FUNCTION_TYPES.has(fn.type)) return fn;
      }
      return undefined;
    }
    return undefined;
  }

  /** Every parameter of `decl` bound to what a call passes (for looking into validators). */
  bindAll(decl: Node, argNodes: Node[], callSite: Node, env: Env): Env {
    // One environment per call and caller context, so answers about it are cached across sinks.
    const key = `${callSite.id}|${this.envId(env)}`;
    let bound = this.callEnvs.get(key);
    if (!bound) {
      bound = new Map(env).set(decl.id, bindLazily(decl, argNodes, callSite, env));
      if (this.callEnvs.size > 10_000) this.callEnvs.clear();
      this.callEnvs.set(key, bound);
    }
    return bound;
  }

  /** The function declared in this file that a callee names, if any. */
  localFunction(fn: Node): Node | undefined {
    if (fn.type === "member_expression" && field(fn, "object")?.type === "this") return this.method(fn, field(fn, "property")?.text ?? "");
    if (fn.type !== "identifier") return undefined;
    const found = this.lookup(fn.text, fn);
    if (found?.bindings.length !== 1) return undefined;
    const b = found.bindings[0];
    const decl = b.kind === "function" ? b.node : b.kind === "value" && b.path.length === 0 ? unwrapValue(b.value) : undefined;
    return decl && FUNCTION_TYPES.has(decl.type) ? decl : undefined;
  }

  /**
   * What each parameter of `decl` holds when called with `argNodes` from `callSite`; undefined
   * when no argument is tainted (the call adds nothing to follow).
   */
  bindArguments(decl: Node, argNodes: Node[], callSite: Node, env: Env): Map<string, ParamTaint> | undefined {
    const map = bindLazily(decl, argNodes, callSite, env);
    for (const [name, p] of map) {
      if (p.kind !== "arg") continue;
      const pattern = patternFor(decl, name);
      if (pattern && this.taintOfPath(p.node, pattern, p.env).length > 0) return map;
    }
    return undefined;
  }

  private eval(node: Node, env: Env): Taint[] {
    if (++this.steps > MAX_STEPS || this.depth >= MAX_DEPTH) {
      this.lowest = -1;
      return [];
    }
    this.depth++;
    try {
      return this.evalNode(node, env);
    } finally {
      this.depth--;
    }
  }

  private evalNode(node: Node, env: Env): Taint[] {
    switch (node.type) {
      case "template_string":
        return union(args(node).filter((c) => c.type === "template_substitution").map((c) => this.eval(c, env)));
      case "parenthesized_expression": case "as_expression": case "non_null_expression": case "satisfies_expression":
      case "await_expression": case "template_substitution": case "spread_element": case "type_assertion": {
        const inner = node.type === "type_assertion" ? args(node).at(-1) : args(node)[0];
        return inner ? this.eval(inner, env) : [];
      }
      case "binary_expression": {
        const op = field(node, "operator")?.text ?? "";
        if (!["+", "||", "??", "&&"].includes(op)) return []; // numbers and booleans
        return union([field(node, "left"), field(node, "right")].filter(isNode).map((c) => this.eval(c, env)));
      }
      case "ternary_expression":
        return union([field(node, "consequence"), field(node, "alternative")].filter(isNode).map((c) => this.eval(c, env)));
      case "array": case "arguments":
        return union(args(node).map((c) => this.eval(c, env)));
      case "object":
        return union(args(node).map((c) => {
          if (c.type === "pair") {
            const v = field(c, "value");
            return v ? this.eval(v, env) : [];
          }
          return c.type === "shorthand_property_identifier" || c.type === "spread_element" ? this.eval(c, env) : [];
        }));
      case "identifier": case "shorthand_property_identifier":
        return this.resolveName(node.text, node, [], env);
      case "member_expression": case "subscript_expression":
        return this.evalChain(node, [], env);
      case "call_expression":
        return this.evalCall(node, env);
      case "new_expression": {
        const ctor = field(node, "constructor")?.text ?? "";
        if (!/^(URL|String|Buffer)$/.test(ctor)) return [];
        const first = args(field(node, "arguments"))[0];
        return first ? this.eval(first, env) : [];
      }
      case "assignment_expression": case "augmented_assignment_expression": {
        const right = field(node, "right");
        return right ? this.eval(right, env) : [];
      }
      case "sequence_expression": {
        const last = args(node).at(-1);
        return last ? this.eval(last, env) : [];
      }
      default:
        return [];
    }
  }

  private evalChain(node: Node, extra: string[], env: Env): Taint[] {
    const path: string[] = [...extra];
    let n: Node | null = node;
    while (n && (n.type === "member_expression" || n.type === "subscript_expression")) {
      if (n.type === "member_expression") {
        path.unshift(field(n, "property")?.text ?? "?");
      } else {
        const idx = field(n, "index");
        const key = idx ? literalString(idx) : undefined;
        path.unshift(key !== undefined ? key : idx && /^\d+$/.test(idx.text) ? `[${idx.text}]` : "[]");
      }
      n = field(n, "object");
    }
    if (!n) return [];
    if (path.at(-1) === "length") return [];
    if (n.type === "identifier") return this.resolveName(n.text, n, path, env);
    if (n.type === "this" || n.type === "super") return [];
    return this.eval(n, env);
  }

  private resolveName(name: string, use: Node, path: string[], env: Env): Taint[] {
    const found = this.lookup(name, use);
    if (!found) return [];
    const out: Taint[][] = [];
    for (const b of found.bindings) {
      switch (b.kind) {
        case "param": {
          const p = env.get(found.scope.id)?.get(name);
          if (!p) {
            out.push(this.callbackParam(found.scope, name, b.path, path, env));
            break;
          }
          const full = [...b.path, ...path];
          if (p.kind === "source") out.push(p.source(name, b.path, path, use));
          else {
            const key = `arg:${p.node.id}:${full.join(".")}`;
            const inner = this.frame(key, `${key}|${this.envId(p.env)}`, () => this.evalPath(p.node, full, p.env));
            const site = { label: label(p.callSite.text), line: lineOf(p.callSite) };
            out.push(inner.map((t) => withStep(withStep(t, site), { label: display(name, path), line: p.line })));
          }
          break;
        }
        case "iter": {
          const inner = this.eval(b.iterable, env);
          out.push(inner.map((t) => withStep(t, { label: name, line: lineOf(b.iterable) })));
          break;
        }
        default:
          break;
      }
    }
    // Every assignment to the name counts (flow-insensitive). One frame for the name, not one
    // per assignment: `v = v + x` repeated a thousand times stays linear.
    const values = found.bindings.filter((b): b is Extract<Binding, { kind: "value" }> => b.kind === "value");
    if (values.length > 0) {
      const key = `name:${found.scope.id}:${name}:${path.join(".")}:${values.map((b) => b.value.id).join(",")}`;
      out.push(
        this.frame(key, `${key}|${this.envId(env)}`, () =>
          union(
            values.map((b) => {
              const at = b.value.parent ?? b.value;
              return this.evalPath(b.value, [...b.path, ...path], env).map((t) => withStep(t, { label: label(display(name, path)), line: lineOf(at) }));
            }),
          ),
        ),
      );
    }
    return union(out);
  }

  private evalPath(value: Node, path: string[], env: Env): Taint[] {
    if (path.length === 0) return this.eval(value, env);
    switch (value.type) {
      case "object": {
        for (const p of args(value)) {
          if (p.type === "pair") {
            const key = field(p, "key");
            const keyText = key ? (literalString(key) ?? key.text) : undefined;
            const v = field(p, "value");
            if (keyText === path[0] && v) return this.evalPath(v, path.slice(1), env);
          } else if (p.type === "shorthand_property_identifier" && p.text === path[0]) {
            return this.resolveName(p.text, p, path.slice(1), env);
          }
        }
        // A spread may supply the key.
        return union(args(value).filter((c) => c.type === "spread_element").map((c) => this.eval(c, env)));
      }
      case "identifier":
        return this.resolveName(value.text, value, path, env);
      case "member_expression": case "subscript_expression":
        return this.evalChain(value, path, env);
      case "parenthesized_expression": case "await_expression": case "as_expression":
      case "non_null_expression": case "satisfies_expression": {
        const inner = args(value)[0];
        return inner ? this.evalPath(inner, path, env) : [];
      }
      default:
        return this.eval(value, env);
    }
  }

  private evalCall(node: Node, env: Env): Taint[] {
    const fn = field(node, "function");
    if (!fn) return [];
    const argList = field(node, "arguments");
    if (argList?.type === "template_string") return []; // tagged templates (sql`...`) build their own values
    const argNodes = callArguments(node);
    if (fn.type === "import" || (fn.type === "identifier" && fn.text === "require")) return [];
    const argsT = () => union(argNodes.map((a) => this.eval(a, env)));
    const q = this.analyzer.qualifiedName(fn);
    const display = q?.display ?? fn.text;
    const bare = display.replace(/^local:/, "");
    if (CLEAN_CALLS.has(bare) || bare.startsWith("Math.")) return [];
    if (q?.module !== undefined && (QUOTERS.has(`${q.module}.${q.name}`) || QUOTERS.has(`${q.module}.*`))) {
      return mark(argsT(), { clean: ["shell", "argument"] });
    }
    if (bare === "encodeURIComponent") return mark(argsT(), { clean: ["shell", "path", "url", "argument"] });
    if (bare === "String" || bare === "decodeURIComponent" || bare === "decodeURI" || bare === "encodeURI") return argsT();

    if (fn.type === "member_expression") {
      const obj = field(fn, "object");
      const method = field(fn, "property")?.text ?? "";
      if (!obj) return [];
      if (obj.type === "this") {
        const decl = this.localFunction(fn);
        return decl ? this.returnsOf(decl, argNodes, node, env) : [];
      }
      // z.enum([...]).parse(x): only listed values get through.
      if (/^(parse|parseAsync)$/.test(method) && /^(z|zod)\.(enum|nativeEnum|literal|number|boolean|coerce\.number)\b/.test(obj.text)) return [];
      const module = q?.module ?? (obj.type === "identifier" && !this.lookup(obj.text, obj) ? obj.text : undefined);
      if (module !== undefined && PATH_MODULES.has(module)) {
        if (method === "basename") return mark(argsT(), { clean: ["path"] });
        return NORMALISING.has(method) ? mark(argsT(), { normalized: true }) : argsT();
      }
      if (module !== undefined && /^(node:)?fs(\/promises|-extra)?(\.promises)?$/.test(module) && /^realpath(Sync)?$/.test(method)) {
        return mark(argsT(), { normalized: true });
      }
      if (obj.text === "JSON" || obj.text === "Buffer" || obj.text === "Object" || obj.text === "Array") return argsT();
      if ((method === "replace" || method === "replaceAll") && isSafeStrip(argNodes)) return [];
      const receiver = this.eval(obj, env);
      if (PASS_THROUGH.has(method)) {
        const extra = union(argNodes.filter((a) => !FUNCTION_TYPES.has(a.type)).map((a) => this.eval(a, env)));
        return union([receiver, extra]);
      }
      // A method of a tainted value (`c.req.query("q")`, `input.items.slice()`): its result is that data.
      return receiver.map((t) => withStep(t, { label: label(node.text), line: lineOf(node) }));
    }
    const decl = this.localFunction(fn);
    if (decl) return this.returnsOf(decl, argNodes, node, env);
    return [];
  }

  /**
   * `args.files.map((f) => ...)`: the first parameter of a callback given to an array method
   * holds an element of the receiver.
   */
  private callbackParam(fn: Node, name: string, bindingPath: string[], path: string[], env: Env): Taint[] {
    const call = fn.parent?.type === "arguments" ? fn.parent.parent : null;
    const callee = call?.type === "call_expression" ? field(call, "function") : null;
    if (callee?.type !== "member_expression" || !ITERATING.has(field(callee, "property")?.text ?? "")) return [];
    const first = parameterPatterns(fn)[0];
    if (!first || !patternNames(first).some(([n]) => n === name)) return [];
    const receiver = field(callee, "object");
    if (!receiver) return [];
    const inner = this.evalPath(receiver, [...bindingPath, ...path], env);
    return inner.map((t) => withStep(t, { label: label(display(name, path)), line: lineOf(fn) }));
  }

  /** Record the checks that guard a returned value inside the function that returns it. */
  private withChecks(taints: Taint[], at: Node, decl: Node, env: Env): Taint[] {
    if (taints.length === 0) return taints;
    const guards = guardsAt(at, decl, this.analyzer);
    if (guards.length === 0) return taints;
    return taints.map((t) => {
      const checks = [...(t.checks ?? [])];
      for (const g of guards) {
        const subject = this.eval(g.subject, env).find((s) => related(s.source.name, t.source.name));
        if (subject) checks.push({ cls: g.cls, normalized: !!subject.normalized, subject: label(g.subject.text) });
      }
      return checks.length ? { ...t, checks } : t;
    });
  }

  /** Taints of what a same-file function returns when called with these arguments. */
  private returnsOf(decl: Node, argNodes: Node[], callSite: Node, env: Env): Taint[] {
    if (callDepth(env) >= MAX_CALL_DEPTH) return [];
    const body = field(decl, "body");
    if (!body) return [];
    return this.frame(`fn:${decl.id}`, `ret:${callSite.id}|${this.envId(env)}`, () => {
      const inner: Env = new Map(env).set(decl.id, bindLazily(decl, argNodes, callSite, env));
      let result: Taint[];
      if (body.type !== "statement_block") result = this.eval(body, inner);
      else {
        const values = returnedValues(body, this.scopes);
        result = union(values.map((v) => this.withChecks(this.eval(v, inner), v, decl, inner)));
      }
      // The call is already in the trace when an argument went in through a parameter.
      const step = { label: label(callSite.text), line: lineOf(callSite) };
      return result.map((t) => (t.steps.some((s) => s.label === step.label && s.line === step.line) ? t : withStep(t, step)));
    });
  }

  /**
   * Evaluate under a cycle guard: a key already being evaluated contributes nothing (the outer
   * evaluation collects it). A result is cached only when every cycle it cut closed inside it.
   */
  private frame(key: string, memoKey: string, compute: () => Taint[]): Taint[] {
    const at = this.inProgress.get(key);
    if (at !== undefined) {
      this.lowest = Math.min(this.lowest, at);
      return [];
    }
    const cached = this.memo.get(memoKey);
    if (cached) return cached;
    const index = this.inProgress.size;
    this.inProgress.set(key, index);
    const outer = this.lowest;
    this.lowest = Infinity;
    try {
      const result = compute();
      const closed = this.lowest >= index;
      if (closed) this.remember(memoKey, result);
      this.lowest = Math.min(outer, closed ? Infinity : this.lowest);
      return result;
    } finally {
      this.inProgress.delete(key);
    }
  }
}

/** Same input, or one part of the other (`args` and `args.path`). */
export function related(a: string, b: string): boolean {
  return a === b || b.startsWith(`${a}.`) || b.startsWith(`${a}[`) || a.startsWith(`${b}.`) || a.startsWith(`${b}[`);
}

function isNode(n: Node | null): n is Node {
  return n !== null;
}

function unwrapValue(n: Node): Node {
  let v = n;
  while (["parenthesized_expression", "as_expression", "satisfies_expression", "non_null_expression"].includes(v.type)) {
    const inner = args(v)[0];
    if (!inner) break;
    v = inner;
  }
  return v;
}

/** How many same-file calls deep an environment is (the handler itself is depth 1). */
export function callDepth(env: Env): number {
  return env.size;
}

/** `x.replace(/[^a-z0-9-]/g, "")`: removing every character outside a harmless class. */
function isSafeStrip(argNodes: Node[]): boolean {
  const re = argNodes[0];
  const repl = argNodes[1] ? literalString(argNodes[1]) : undefined;
  if (re?.type !== "regex" || repl !== "") return false;
  const pattern = field(re, "pattern")?.text ?? "";
  const flags = field(re, "flags")?.text ?? "";
  return flags.includes("g") && /^\[\^(?:[A-Za-z0-9_-]|\\[wd_-])+\][+*]?$/.test(pattern);
}

/** Each parameter name of `decl` bound to the argument a call passes (evaluated on demand). */
function bindLazily(decl: Node, argNodes: Node[], callSite: Node, env: Env): Map<string, ParamTaint> {
  const map = new Map<string, ParamTaint>();
  parameterPatterns(decl).forEach((pattern, i) => {
    const arg = argNodes[i];
    if (!arg || arg.type === "spread_element") return;
    for (const [name, , at] of patternNames(pattern)) map.set(name, { kind: "arg", node: arg, env, callSite, label: name, line: lineOf(at) });
  });
  return map;
}

/** The property path a parameter name reads from its argument. */
function patternFor(decl: Node, name: string): string[] | undefined {
  for (const pattern of parameterPatterns(decl)) {
    const hit = patternNames(pattern).find(([n]) => n === name);
    if (hit) return hit[1];
  }
  return undefined;
}

/** The parameter patterns of a function, in order. */
export function parameterPatterns(decl: Node): Node[] {
  const single = field(decl, "parameter");
  if (single) return [single];
  return args(field(decl, "parameters")).map((p) =>
    p.type === "required_parameter" || p.type === "optional_parameter" ? (field(p, "pattern") ?? p) : p,
  );
}

/** Names a parameter pattern binds, with the property path each reads and where it is written. */
export function patternNames(pattern: Node, path: string[] = []): [string, string[], Node][] {
  switch (pattern.type) {
    case "identifier":
      return [[pattern.text, path, pattern]];
    case "shorthand_property_identifier_pattern":
      return [[pattern.text, [...path, pattern.text], pattern]];
    case "assignment_pattern": case "object_assignment_pattern": {
      const left = field(pattern, "left");
      if (!left) return [];
      return left.type === "shorthand_property_identifier_pattern" || pattern.type === "object_assignment_pattern"
        ? [[left.text, [...path, left.text], left]]
        : patternNames(left, path);
    }
    case "object_pattern":
      return args(pattern).flatMap((c) => {
        if (c.type === "pair_pattern") {
          const key = field(c, "key");
          const value = field(c, "value");
          return key && value ? patternNames(value, [...path, key.text.replace(/^["']|["']$/g, "")]) : [];
        }
        return c.type === "rest_pattern" ? [] : patternNames(c, path);
      });
    default:
      return [];
  }
}
