import type { Node } from "web-tree-sitter";
import type { ConstnessAnalyzer } from "../extract/constness.js";
import { args, field, literalString } from "../extract/shell-ast.js";
import { type Binding, returnedValues, type Scopes } from "../extract/shell-scope.js";
import type { FlowKind } from "./types.js";
import {
  applyGuards, type BindingSite, built, cleanFor, type GuardIndex, guardEffect, lineOf,
  type SourceFunction, sourceTaint, stepAll, type Taint, typedSource, union,
} from "./py-go-common.js";
import { type CallCtx, ScopedTaint } from "./py-go-eval.js";

/**
 * Go taint evaluation: what tool input (request accessors, typed argument structs) or HTTP
 * request data an expression is built from. Same-file calls are followed both ways, boundedly.
 */

/** A variadic parameter holds every argument from its position on. */
type Ctx = CallCtx<Node[]>;

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

export class GoTaint extends ScopedTaint<Node[]> {
  private readonly structFields = new Map<string, Map<string, string>>();

  constructor(root: Node, scopes: Scopes, analyzer: ConstnessAnalyzer, sources: Map<number, SourceFunction>, guards: GuardIndex) {
    super(root, scopes, analyzer, sources, guards, ["function_declaration", "method_declaration"], "call_expression");
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

  protected evalNode(node: Node, ctx: Ctx | null): Taint[] {
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

  protected site(b: Binding): BindingSite | undefined {
    return goSite(b);
  }

  protected evalOtherBinding(b: Binding, name: string, use: Node, ctx: Ctx | null): Taint[] {
    switch (b.kind) {
      case "value":
        return stepAll(this.eval(b.value, ctx), name, lineOf(b.value));
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

  protected paramDecl(fn: Node, name: string): Node | undefined {
    return this.params(fn).find((x) => x.name === name)?.decl;
  }

  protected cleanType(type: string): boolean {
    return NUMERIC_TYPE.test(type);
  }

  protected evalArg(arg: Node[], ctx: Ctx | null): Taint[] {
    return this.all(arg, ctx);
  }

  /**
   * When `id` is a parameter of a same-file helper (not a handler), what each caller passes
   * for it: one list per call (a variadic parameter takes every remaining argument, `xs...`
   * marked by its `variadic_argument` node). Undefined otherwise.
   */
  callerArguments(id: Node): { call: Node; passed: Node[] }[] | undefined {
    const helper = this.helperOf(id);
    return helper ? this.callSites(helper.fn, helper.fname, id.text) : undefined;
  }

  protected passedBy(fn: Node, fname: string, name: string): { call: Node; passed: Node[] }[] {
    return (this.callSites(fn, fname, name) ?? []).filter((s) => s.passed.length > 0);
  }

  /** Every call of `fname` in the file and what it passes for parameter `name` (undefined: no such parameter). */
  private callSites(fn: Node, fname: string, name: string): { call: Node; passed: Node[] }[] | undefined {
    const params = this.params(fn);
    const index = params.findIndex((p) => p.name === name);
    if (index < 0) return undefined;
    const method = fn.type === "method_declaration";
    const out: { call: Node; passed: Node[] }[] = [];
    for (const call of this.allCalls()) {
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
    const read = this.sourceParam(root, ctx);
    if (!read) return undefined;
    const { fn, src } = read;
    const t = sourceTaint(node.text, lineOf(node), src.kind, this.toolAt(src, node));
    if (accessor && CLEAN_ACCESSOR.test(accessor)) return [typedSource(t, `\`${accessor}\``)];
    const decl = this.paramDecl(fn, root.text);
    const type = decl ? field(decl, "type")?.text.replace(/^\*/, "") : undefined;
    const fieldType = type ? this.structFields.get(type)?.get(chain[0]) : undefined;
    if (fieldType && NUMERIC_TYPE.test(fieldType)) return [typedSource(t, `the field type \`${fieldType}\``)];
    return applyGuards([t], guardEffect(this.guards, root.text, root));
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

  protected canFollow(fn: Node): boolean {
    return FUNCTION_TYPES.has(fn.type);
  }

  protected bindArguments(fn: Node, _call: Node, argv: Node[]): Map<string, Node[]> {
    const map = new Map<string, Node[]>();
    this.params(fn).forEach((p, i) => {
      const passed = p.variadic ? argv.slice(i) : argv.slice(i, i + 1);
      if (passed.length) map.set(p.name, passed);
    });
    return map;
  }

  protected returnValues(fn: Node): Node[] {
    return goReturnValues(fn, this.scopes);
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
  for (const list of returnedValues(body, scopes)) {
    const values = list.type === "expression_list" ? args(list) : [list];
    for (const v of values) if (v.type !== "nil" && !/^err\w*$/.test(v.text)) out.push(v);
  }
  return out;
}
