import type { Node } from "web-tree-sitter";
import type { ConstnessAnalyzer } from "../extract/constness.js";
import { args, field, literalString } from "../extract/shell-ast.js";
import type { Binding, Scopes } from "../extract/shell-scope.js";
import type { FlowKind } from "./types.js";
import {
  applyGuards, type BindingSite, built, cleanFor, type GuardIndex, guardEffect, lineOf, reaching, type SourceFunction,
  sourceTaint, stepAll, type Taint, toolFor, typedSource, union,
} from "./py-go-common.js";

/**
 * Go taint evaluation: what tool input (request accessors, typed argument structs) or HTTP
 * request data an expression is built from. Same-file calls are followed both ways, boundedly.
 */

interface Ctx {
  fn: Node;
  /** A variadic parameter holds every argument from its position on. */
  args: Map<string, Node[]>;
  caller: Ctx | null;
  depth: number;
}

const MAX_STEPS = 20_000;
/** All sinks of one file together: a hostile file cannot make the scan slow. */
const FILE_MAX_STEPS = 1_000_000;
const MAX_DEPTH = 150;
const MAX_CALL_DEPTH = 4;
const MAX_HOPS = 3;

const FUNCTION_TYPES = new Set(["function_declaration", "method_declaration", "func_literal"]);
/** package.Function -> kinds its result is safe for ("*" = all). */
const SANITISERS: Record<string, FlowKind[] | "*"> = {
  "filepath.Base": ["path"],
  "path.Base": ["path"],
  "url.PathEscape": ["path", "shell", "argument"],
  "url.QueryEscape": ["path", "shell", "argument"],
  "strconv.Quote": ["code"],
};
const CLEAN_PACKAGES = new Set(["strconv", "time", "math", "rand", "errors", "utf8", "unicode", "sha256", "sha1", "md5", "hex", "uuid", "bytes"]);
const CLEAN_FUNCTIONS = new Set([
  "strings.HasPrefix", "strings.HasSuffix", "strings.Contains", "strings.ContainsAny", "strings.ContainsRune", "strings.EqualFold",
  "strings.Index", "strings.LastIndex", "strings.Count", "strings.Compare", "filepath.IsAbs", "filepath.IsLocal", "filepath.Match",
  "path.IsAbs", "slices.Contains", "slices.Index", "regexp.MatchString", "os.Getpid", "len", "cap",
]);
const STRING_CONVERSIONS = new Set(["strconv.Itoa", "strconv.FormatInt", "strconv.FormatUint", "strconv.FormatFloat", "strconv.FormatBool"]);
const BUILDERS = new Set(["fmt.Sprintf", "fmt.Sprint", "fmt.Sprintln", "fmt.Errorf", "strings.Join", "strings.Repeat"]);
/** mcp-go accessors that return numbers or booleans. */
const CLEAN_ACCESSOR = /^(Get|Require)(Int|Float|Bool|Number)/;
const NUMERIC_TYPE = /^\*?(u?int(8|16|32|64)?|float(32|64)|bool|time\.Duration|uintptr|byte|rune)$/;

export class GoTaint {
  private steps = 0;
  private fileSteps = 0;
  private depth = 0;
  private hops = 0;
  private readonly inProgress = new Set<string>();
  private readonly ctxIds = new WeakMap<Ctx, number>();
  private nextCtx = 1;
  sinkLine: number | undefined;
  private readonly functionsByName = new Map<string, Node[]>();
  private readonly structFields = new Map<string, Map<string, string>>();
  private calls: Node[] | undefined;

  constructor(
    private readonly root: Node,
    private readonly scopes: Scopes,
    private readonly analyzer: ConstnessAnalyzer,
    private readonly sources: Map<number, SourceFunction>,
    private readonly guards: GuardIndex,
  ) {
    for (const type of ["function_declaration", "method_declaration"]) {
      for (const fn of root.descendantsOfType(type)) {
        const name = fn && field(fn, "name")?.text;
        if (!fn || !name) continue;
        const list = this.functionsByName.get(name) ?? [];
        list.push(fn);
        this.functionsByName.set(name, list);
      }
    }
    for (const spec of root.descendantsOfType("type_spec")) {
      const name = spec && field(spec, "name")?.text;
      const struct = spec && field(spec, "type");
      if (!name || struct?.type !== "struct_type") continue;
      const fields = new Map<string, string>();
      for (const f of struct.descendantsOfType("field_declaration")) {
        const type = f && field(f, "type")?.text;
        if (!f || !type) continue;
        for (const n of f.childrenForFieldName("name")) if (n) fields.set(n.text, type);
      }
      this.structFields.set(name, fields);
    }
  }

  evaluate(node: Node): Taint[] {
    this.steps = 0;
    this.depth = 0;
    this.hops = 0;
    this.inProgress.clear();
    return this.eval(node, null);
  }

  private ctxKey(ctx: Ctx | null): number {
    if (!ctx) return 0;
    let id = this.ctxIds.get(ctx);
    if (!id) {
      id = this.nextCtx++;
      this.ctxIds.set(ctx, id);
    }
    return id;
  }

  private eval(node: Node, ctx: Ctx | null): Taint[] {
    if (++this.steps > MAX_STEPS || ++this.fileSteps > FILE_MAX_STEPS || this.depth >= MAX_DEPTH) return [];
    const key = `${node.id}:${this.ctxKey(ctx)}`;
    if (this.inProgress.has(key)) return [];
    this.inProgress.add(key);
    this.depth++;
    try {
      return this.evalNode(node, ctx);
    } finally {
      this.depth--;
      this.inProgress.delete(key);
    }
  }

  private all(nodes: (Node | null | undefined)[], ctx: Ctx | null): Taint[] {
    return union(nodes.filter((n): n is Node => !!n).map((n) => this.eval(n, ctx)));
  }

  private evalNode(node: Node, ctx: Ctx | null): Taint[] {
    switch (node.type) {
      case "identifier":
        return this.evalName(node, ctx);
      case "binary_expression": {
        if (field(node, "operator")?.text !== "+") return [];
        return built(this.all([field(node, "left"), field(node, "right")], ctx));
      }
      case "call_expression":
        return this.evalCall(node, ctx);
      case "selector_expression":
      case "index_expression":
      case "type_assertion_expression": {
        const direct = this.sourceRead(node, ctx);
        if (direct) return direct;
        return this.eval(field(node, "operand") ?? node, ctx);
      }
      case "slice_expression":
        return this.eval(field(node, "operand") ?? node, ctx);
      case "unary_expression":
        return field(node, "operator")?.text === "!" ? [] : this.eval(field(node, "operand") ?? node, ctx);
      case "parenthesized_expression":
      case "expression_list":
      case "literal_value":
      case "literal_element":
      case "variadic_argument":
        return this.all(args(node), ctx);
      case "keyed_element": {
        const parts = args(node);
        return this.all([parts[parts.length - 1]], ctx);
      }
      case "composite_literal":
        return this.eval(field(node, "body") ?? node, ctx);
      case "type_conversion_expression":
        return this.eval(field(node, "operand") ?? node, ctx);
      default:
        return [];
    }
  }

  // ------------------------------------------------------------ names and parameters

  private evalName(id: Node, ctx: Ctx | null): Taint[] {
    const name = id.text;
    const bindings = this.scopes.lookup(name, id);
    if (!bindings) return [];
    const scope = this.bindingScope(name, id);
    const out: Taint[][] = [];
    for (const b of reaching(bindings, id, goSite)) out.push(this.evalBinding(b, name, id, scope, ctx));
    return applyGuards(union(out), guardEffect(this.guards, name, id));
  }

  private evalBinding(b: Binding, name: string, use: Node, scope: Node | undefined, ctx: Ctx | null): Taint[] {
    switch (b.kind) {
      case "param":
        return scope ? this.evalParam(name, scope, use, ctx) : [];
      case "value":
        return stepAll(this.eval(b.value, ctx), name, lineOf(b.value));
      case "iter":
        return stepAll(this.eval(b.iterable, ctx), name, lineOf(b.iterable));
      case "opaque":
        return this.decodedInto(name, use, ctx);
      default:
        return [];
    }
  }

  /**
   * `var args In` filled by `request.BindArguments(&args)`, `json.Unmarshal(data, &args)` or
   * `mapstructure.Decode(m, &args)` in the same function: it holds what was decoded.
   */
  private decodedInto(name: string, use: Node, ctx: Ctx | null): Taint[] {
    let fn: Node | null = use.parent;
    while (fn && !FUNCTION_TYPES.has(fn.type)) fn = fn.parent;
    if (!fn) return [];
    const out: Taint[][] = [];
    for (const call of fn.descendantsOfType("call_expression")) {
      const f = call && field(call, "function");
      if (!call || f?.type !== "selector_expression") continue;
      const method = field(f, "field")?.text ?? "";
      const argv = args(field(call, "arguments"));
      const target = argv.findIndex((a) => a.type === "unary_expression" && field(a, "operand")?.text === name && a.text.startsWith("&"));
      if (target < 0) continue;
      let from: Node | null | undefined;
      if (method === "BindArguments" || method === "Bind" || method === "ShouldBind" || method === "ShouldBindJSON") from = field(f, "operand");
      else if (method === "Unmarshal" || method === "Decode") from = argv[0] && argv[0].id !== argv[target].id ? argv[0] : field(f, "operand");
      if (from) out.push(stepAll(this.eval(from, ctx), name, lineOf(call)));
    }
    return union(out);
  }

  private bindingScope(name: string, use: Node): Node | undefined {
    for (let n: Node | null = use; n; n = n.parent) {
      if (this.scopes.isScope(n) && this.scopes.bindingsOf(n).has(name)) return n;
    }
    return undefined;
  }

  /** Parameter names of a function in order, and each one's declaration. */
  private params(fn: Node): { name: string; decl: Node; variadic: boolean }[] {
    const out: { name: string; decl: Node; variadic: boolean }[] = [];
    for (const decl of args(field(fn, "parameters"))) {
      for (const n of decl.childrenForFieldName("name")) {
        if (n) out.push({ name: n.text, decl, variadic: decl.type === "variadic_parameter_declaration" });
      }
    }
    return out;
  }

  private evalParam(name: string, fn: Node, use: Node, ctx: Ctx | null): Taint[] {
    const p = this.params(fn).find((x) => x.name === name);
    const declLine = p ? lineOf(p.decl) : lineOf(fn);
    for (let c = ctx; c; c = c.caller) {
      if (c.fn.id !== fn.id) continue;
      const arg = c.args.get(name);
      return arg ? stepAll(this.all(arg, c.caller), name, declLine) : [];
    }
    const src = this.sources.get(fn.id);
    if (src?.params.has(name)) {
      const type = p ? field(p.decl, "type")?.text : undefined;
      const t = sourceTaint(name, declLine, src.kind, toolFor(src, lineOf(use), this.sinkLine));
      return [type && NUMERIC_TYPE.test(type) ? typedSource(t, `the parameter type \`${type}\``) : t];
    }
    return this.fromCallers(fn, name, declLine);
  }

  /**
   * When `id` is a parameter of a same-file helper (not a handler), what each caller passes
   * for it: one list per call (a variadic parameter takes every remaining argument, `xs...`
   * marked by its `variadic_argument` node). Undefined otherwise.
   */
  callerArguments(id: Node): { call: Node; passed: Node[] }[] | undefined {
    if (id.type !== "identifier") return undefined;
    const bindings = this.scopes.lookup(id.text, id);
    if (bindings?.length !== 1 || bindings[0].kind !== "param") return undefined;
    const fn = this.bindingScope(id.text, id);
    const fname = fn && field(fn, "name")?.text;
    if (!fn || !fname || this.sources.has(fn.id) || this.functionsByName.get(fname)?.length !== 1) return undefined;
    const params = this.params(fn);
    const index = params.findIndex((p) => p.name === id.text);
    if (index < 0) return undefined;
    const method = fn.type === "method_declaration";
    this.calls ??= this.root.descendantsOfType("call_expression").filter((c): c is Node => !!c);
    const out: { call: Node; passed: Node[] }[] = [];
    for (const call of this.calls) {
      const callee = field(call, "function");
      const hit = method
        ? callee?.type === "selector_expression" && field(callee, "field")?.text === fname
        : callee?.type === "identifier" && callee.text === fname;
      if (!hit) continue;
      const argv = args(field(call, "arguments"));
      out.push({ call, passed: params[index].variadic ? argv.slice(index) : argv.slice(index, index + 1) });
    }
    return out;
  }

  private fromCallers(fn: Node, name: string, declLine: number): Taint[] {
    const fname = field(fn, "name")?.text;
    if (!fname || this.hops >= MAX_HOPS || this.functionsByName.get(fname)?.length !== 1) return [];
    const method = fn.type === "method_declaration";
    const params = this.params(fn);
    const index = params.findIndex((p) => p.name === name);
    if (index < 0) return [];
    const variadic = params[index].variadic;
    const out: Taint[][] = [];
    this.hops++;
    try {
      this.calls ??= this.root.descendantsOfType("call_expression").filter((c): c is Node => !!c);
      for (const call of this.calls) {
        const callee = field(call, "function");
        const hit = method
          ? callee?.type === "selector_expression" && field(callee, "field")?.text === fname
          : callee?.type === "identifier" && callee.text === fname;
        if (!hit) continue;
        const argv = args(field(call, "arguments"));
        const passed = variadic ? argv.slice(index) : argv.slice(index, index + 1);
        if (!passed.length) continue;
        out.push(stepAll(stepAll(this.all(passed, null), call.text, lineOf(call)), name, declLine));
      }
    } finally {
      this.hops--;
    }
    return union(out);
  }

  // ------------------------------------------------------------ source reads

  /**
   * `request.GetString("path", "")`, `request.Params.Arguments["x"].(string)`, `args.Path`
   * read straight off a source parameter: the read itself is the source.
   */
  private sourceRead(node: Node, ctx: Ctx | null): Taint[] | undefined {
    let root: Node | null = node;
    const chain: string[] = [];
    let accessor: string | undefined;
    while (root && root.type !== "identifier") {
      if (root.type === "selector_expression") {
        chain.unshift(field(root, "field")?.text ?? "");
        root = field(root, "operand");
      } else if (root.type === "index_expression") {
        chain.unshift(literalString(field(root, "index")) ?? "[]");
        root = field(root, "operand");
      } else if (root.type === "type_assertion_expression" || root.type === "parenthesized_expression") {
        root = field(root, "operand") ?? args(root)[0] ?? null;
      } else if (root.type === "call_expression") {
        const fn = field(root, "function");
        if (fn?.type !== "selector_expression") return undefined;
        accessor ??= field(fn, "field")?.text;
        root = fn;
      } else return undefined;
    }
    if (!root || chain.length === 0) return undefined;
    const bindings = this.scopes.lookup(root.text, root);
    if (bindings?.length !== 1 || bindings[0].kind !== "param") return undefined;
    const fn = this.bindingScope(root.text, root);
    if (!fn || this.inContext(fn, ctx)) return undefined;
    const src = this.sources.get(fn.id);
    if (!src?.params.has(root.text)) return undefined;
    const t = sourceTaint(node.text, lineOf(node), src.kind, toolFor(src, lineOf(node), this.sinkLine));
    if (accessor && CLEAN_ACCESSOR.test(accessor)) return [typedSource(t, `\`${accessor}\``)];
    const p = this.params(fn).find((x) => x.name === root!.text);
    const type = p ? field(p.decl, "type")?.text.replace(/^\*/, "") : undefined;
    const fieldType = type ? this.structFields.get(type)?.get(chain[0]) : undefined;
    if (fieldType && NUMERIC_TYPE.test(fieldType)) return [typedSource(t, `the field type \`${fieldType}\``)];
    return applyGuards([t], guardEffect(this.guards, root.text, root));
  }

  private inContext(fn: Node, ctx: Ctx | null): boolean {
    for (let c = ctx; c; c = c.caller) if (c.fn.id === fn.id) return true;
    return false;
  }

  // ------------------------------------------------------------ calls

  /** `filepath.Join` for a package call, undefined otherwise. */
  packageCall(fn: Node): string | undefined {
    if (fn.type !== "selector_expression") return undefined;
    const q = this.analyzer.qualifiedName(fn);
    return q?.module !== undefined ? `${q.module.split("/").pop()}.${q.name}` : undefined;
  }

  private evalCall(node: Node, ctx: Ctx | null): Taint[] {
    const fn = field(node, "function");
    if (!fn) return [];
    const argv = args(field(node, "arguments"));
    if (fn.type === "identifier") {
      const bindings = this.scopes.lookup(fn.text, fn);
      const b = bindings?.length === 1 ? bindings[0] : undefined;
      if (b?.kind === "function") return this.followCall(b.node, node, argv, ctx);
      if (!bindings && (fn.text === "len" || fn.text === "cap" || fn.text === "new" || fn.text === "make")) return [];
      return this.all(argv, ctx);
    }
    const pkg = this.packageCall(fn);
    if (pkg) {
      if (CLEAN_FUNCTIONS.has(pkg) || (CLEAN_PACKAGES.has(pkg.split(".")[0]) && !STRING_CONVERSIONS.has(pkg))) return [];
      if (STRING_CONVERSIONS.has(pkg)) return [];
      const safe = SANITISERS[pkg];
      if (safe) return safe === "*" ? [] : cleanFor(this.all(argv, ctx), safe, `\`${pkg}\``);
      if (BUILDERS.has(pkg)) return built(this.all(argv, ctx));
      return this.all(argv, ctx);
    }
    if (fn.type === "selector_expression") {
      const direct = this.sourceRead(node, ctx);
      if (direct) return direct;
      const operand = field(fn, "operand");
      const method = field(fn, "field")?.text ?? "";
      const local = this.functionsByName.get(method);
      if (local?.length === 1 && local[0].type === "method_declaration") return this.followCall(local[0], node, argv, ctx);
      if (/^(Has|Contains|Equal|Is|Match)/.test(method)) return [];
      return this.all([operand, ...argv], ctx);
    }
    // `func(...) {...}(x)`, `[]byte(x)`, conversions
    return this.all(argv, ctx);
  }

  private followCall(fn: Node, call: Node, argv: Node[], ctx: Ctx | null): Taint[] {
    const depth = ctx ? ctx.depth + 1 : 1;
    if (depth > MAX_CALL_DEPTH || !FUNCTION_TYPES.has(fn.type)) return this.all(argv, ctx);
    const map = new Map<string, Node[]>();
    this.params(fn).forEach((p, i) => {
      const passed = p.variadic ? argv.slice(i) : argv.slice(i, i + 1);
      if (passed.length) map.set(p.name, passed);
    });
    const inner: Ctx = { fn, args: map, caller: ctx, depth };
    const results: Taint[][] = [];
    for (const r of goReturnValues(fn, this.scopes)) results.push(this.eval(r, inner));
    return stepAll(union(results), call.text, lineOf(call));
  }
}

function goSite(b: Binding): BindingSite | undefined {
  if (b.kind !== "value") return undefined;
  let n: Node | null = b.value.parent;
  for (let i = 0; n && i < 3; i++, n = n.parent) {
    if (n.type === "short_var_declaration" || n.type === "var_spec") return { stmt: n.type === "var_spec" ? (n.parent ?? n) : n, kills: true };
    if (n.type === "assignment_statement") return { stmt: n, kills: field(n, "operator")?.text === "=" };
  }
  return undefined;
}

/** Values a Go function returns (nil and err-looking values excluded). */
export function goReturnValues(fn: Node, scopes: Scopes): Node[] {
  const body = field(fn, "body");
  if (!body) return [];
  const out: Node[] = [];
  const stack: Node[] = [body];
  while (stack.length) {
    const n = stack.pop()!;
    if (n.type === "return_statement") {
      const list = args(n)[0];
      const values = list?.type === "expression_list" ? args(list) : list ? [list] : [];
      for (const v of values) if (v.type !== "nil" && !/^err\w*$/.test(v.text)) out.push(v);
      continue;
    }
    for (const c of n.namedChildren) if (c && !scopes.isScope(c)) stack.push(c);
  }
  return out;
}
