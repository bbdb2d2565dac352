import type { Node } from "web-tree-sitter";
import { callArguments, type ConstnessAnalyzer } from "../extract/constness.js";
import { args, field, literalString } from "../extract/shell-ast.js";
import { type Binding, returnedValues, type Scopes } from "../extract/shell-scope.js";
import { pyQualified } from "./py-sinks.js";
import type { FlowKind } from "./types.js";
import {
  applyGuards, type BindingSite, built, cleanFor, type GuardIndex, guardEffect, label, lineOf,
  type SourceFunction, sourceTaint, stepAll, type Taint, typedSource,
} from "./py-go-common.js";
import { type CallCtx, ScopedTaint } from "./py-go-eval.js";

/**
 * Python taint evaluation: what tool input (or HTTP request data) an expression is built from,
 * with the hops it took. Demand-driven from each sink argument; calls to functions of the same
 * file are followed both ways (argument -> parameter, return -> call result), boundedly.
 */

type Ctx = CallCtx<Node>;

/** Builtins and module functions whose result cannot carry the input's text. */
const CLEAN_BUILTINS = new Set(["int", "float", "bool", "len", "hash", "ord", "abs", "round", "isinstance", "callable", "id", "type", "min", "max", "sum", "any", "all"]);
const CLEAN_MODULES = new Set(["hashlib", "uuid", "time", "random", "secrets", "math", "datetime", "zlib", "binascii"]);
/** module.function -> kinds its result is safe for. */
const SANITISERS: Record<string, FlowKind[]> = {
  "shlex.quote": ["shell"],
  "pipes.quote": ["shell"],
  "shlex.join": ["shell"],
  "os.path.basename": ["path"],
  "posixpath.basename": ["path"],
  "werkzeug.utils.secure_filename": ["path", "shell", "argument"],
  "werkzeug.secure_filename": ["path", "shell", "argument"],
  "re.escape": ["code", "sql"],
  "urllib.parse.quote": ["path", "shell", "url"],
  "html.escape": ["code"],
  // In-memory files: data, not a path to open.
  "io.BytesIO": ["path"],
  "io.StringIO": ["path"],
};
/** Methods whose result is a number or a boolean. */
const CLEAN_METHODS = new Set([
  "startswith", "endswith", "isdigit", "isalnum", "isalpha", "isidentifier", "isnumeric", "isdecimal", "isspace",
  "count", "find", "rfind", "index", "rindex", "is_relative_to", "exists", "is_file", "is_dir", "is_absolute",
  "__contains__", "__len__", "issubset", "issuperset", "stat",
]);
const NUMERIC_TYPES = /^(int|float|bool|complex|decimal\.Decimal|Decimal)$/;

export class PyTaint extends ScopedTaint<Node> {
  private readonly enumClasses = new Set<string>();
  private readonly classFields = new Map<string, Map<string, string>>();

  constructor(
    root: Node,
    scopes: Scopes,
    analyzer: ConstnessAnalyzer,
    sources: Map<number, SourceFunction>,
    guards: GuardIndex,
    /** Names of every tool of the file, for dispatch tables (`{"run": lambda: run(arguments["cmd"])}`). */
    private readonly toolNames: Set<string> = new Set(),
  ) {
    super(root, scopes, analyzer, sources, guards, ["function_definition"], "call");
    for (const cls of root.descendantsOfType("class_definition")) {
      const name = cls && field(cls, "name")?.text;
      if (!cls || !name) continue;
      const supers = field(cls, "superclasses")?.text ?? "";
      if (/\b(Enum|IntEnum|StrEnum|Flag|IntFlag)\b/.test(supers)) this.enumClasses.add(name);
      const fields = new Map<string, string>();
      for (const stmt of args(field(cls, "body"))) {
        const a = stmt.type === "expression_statement" ? args(stmt)[0] : undefined;
        if (a?.type !== "assignment") continue;
        const left = field(a, "left");
        const type = field(a, "type");
        if (left?.type === "identifier" && type) fields.set(left.text, type.text);
      }
      this.classFields.set(name, fields);
    }
  }

  /** True when a parameter's declared type cannot carry text (int, Literal[...], an Enum). */
  cleanType(type: string): boolean {
    let t = type.replace(/\s+/g, "").replace(/^typing\./, "");
    for (let i = 0; i < 4; i++) {
      const annotated = /^(?:typing\.)?Annotated\[(.+?),.*\]$/.exec(t);
      const optional = /^(?:typing\.)?Optional\[(.+)\]$/.exec(t);
      if (annotated) t = annotated[1];
      else if (optional) t = optional[1];
      else t = t.replace(/\|None$/, "").replace(/^None\|/, "");
    }
    return NUMERIC_TYPES.test(t) || /^(typing\.)?Literal\[/.test(t) || this.enumClasses.has(t);
  }

  protected evalNode(node: Node, ctx: Ctx | null): Taint[] {
    switch (node.type) {
      case "identifier":
        return this.evalName(node, ctx);
      case "string": {
        const parts = args(node).filter((c) => c.type === "interpolation");
        if (parts.length === 0) return [];
        return built(this.all(parts.map((p) => field(p, "expression") ?? args(p)[0]), ctx));
      }
      case "concatenated_string":
        return this.all(args(node), ctx);
      case "binary_operator": {
        const op = field(node, "operator")?.text;
        const l = field(node, "left");
        const r = field(node, "right");
        if (op === "+" || op === "%") return built(this.all([l, r], ctx));
        if (op === "/") return this.all([l, r], ctx); // pathlib joins
        return [];
      }
      case "boolean_operator":
        return this.all([field(node, "left"), field(node, "right")], ctx);
      case "conditional_expression": {
        const [a, , b] = args(node);
        return this.all([a, b], ctx);
      }
      case "parenthesized_expression":
      case "await":
      case "expression_list":
      case "list":
      case "tuple":
      case "set":
      case "list_splat":
      case "dictionary_splat":
        return this.all(args(node), ctx);
      case "dictionary":
        return this.all(args(node).map((p) => (p.type === "pair" ? field(p, "value") : p)), ctx);
      case "list_comprehension":
      case "set_comprehension":
      case "generator_expression":
        return this.eval(field(node, "body") ?? node, ctx);
      case "dictionary_comprehension": {
        const body = field(node, "body");
        return body ? this.eval(field(body, "value") ?? body, ctx) : [];
      }
      case "named_expression":
        return this.eval(field(node, "value") ?? node, ctx);
      case "keyword_argument":
        return this.eval(field(node, "value") ?? node, ctx);
      case "attribute":
      case "subscript":
        return this.evalChain(node, ctx);
      case "call":
        return this.evalCall(node, ctx);
      default:
        return [];
    }
  }

  // ------------------------------------------------------------ names and parameters

  protected site(b: Binding): BindingSite | undefined {
    return pySite(b);
  }

  protected evalOtherBinding(b: Binding, name: string, use: Node, ctx: Ctx | null): Taint[] {
    switch (b.kind) {
      case "value": {
        const holder = b.value.parent ?? b.value;
        return stepAll(this.eval(b.value, ctx), name, lineOf(holder));
      }
      case "import":
        if ((b.module === "flask" || b.module === "quart") && b.name === "request") {
          return [sourceTaint(chainText(use), lineOf(use), "http-request", undefined)];
        }
        return [];
      default:
        return [];
    }
  }

  protected paramDecl(fn: Node, name: string): Node | undefined {
    for (const p of args(field(fn, "parameters"))) {
      const id = p.type === "identifier" ? p : p.type === "typed_parameter" ? args(p).find((c) => c.type === "identifier") : field(p, "name");
      if (id?.text === name) return p;
    }
    return undefined;
  }

  protected evalArg(arg: Node, ctx: Ctx | null): Taint[] {
    return this.eval(arg, ctx);
  }

  protected toolAt(src: SourceFunction, use: Node): string | undefined {
    return super.toolAt(src, use) ?? this.dispatchTool(use);
  }

  /**
   * For a name that is a parameter of a same-file helper (not a tool handler), the expressions
   * its callers pass; undefined otherwise. Lets argv lists built by callers be judged per caller.
   */
  callerArguments(id: Node): { call: Node; passed: Node }[] | undefined {
    const helper = this.helperOf(id);
    return helper ? this.passedBy(helper.fn, helper.fname, id.text) : undefined;
  }

  /** Calls of `fname` (directly, or as `self.fname` in a method) and the argument each passes for `name`. */
  protected passedBy(fn: Node, fname: string, name: string): { call: Node; passed: Node }[] {
    const isMethod = fn.parent?.parent?.type === "class_definition" || fn.parent?.parent?.parent?.type === "class_definition";
    const out: { call: Node; passed: Node }[] = [];
    for (const call of this.allCalls()) {
      const callee = field(call, "function");
      const viaSelf = callee?.type === "attribute" && field(callee, "attribute")?.text === fname && isMethod;
      if (!(callee?.type === "identifier" && callee.text === fname) && !viaSelf) continue;
      const passed = this.argumentFor(fn, call, name, viaSelf);
      if (passed) out.push({ call, passed });
    }
    return out;
  }

  /** The argument of `call` that lands in parameter `name` of `fn`. */
  private argumentFor(fn: Node, call: Node, name: string, boundMethod: boolean): Node | undefined {
    const argv = callArguments(call);
    const keyword = argv.find((a) => a.type === "keyword_argument" && field(a, "name")?.text === name);
    if (keyword) return field(keyword, "value") ?? undefined;
    const positional = argv.filter((a) => a.type !== "keyword_argument");
    let index = 0;
    let params = args(field(fn, "parameters"));
    if (boundMethod && params[0]?.text === "self") params = params.slice(1);
    for (const p of params) {
      if (p.type === "keyword_separator" || p.type === "list_splat_pattern" || p.type === "dictionary_splat_pattern") break;
      const id = p.type === "identifier" ? p : p.type === "typed_parameter" ? args(p).find((c) => c.type === "identifier") : field(p, "name");
      if (id?.text === name) return positional[index];
      index++;
    }
    return undefined;
  }

  // ------------------------------------------------------------ attribute / subscript chains

  private evalChain(node: Node, ctx: Ctx | null): Taint[] {
    const direct = this.sourceRead(node, ctx);
    if (direct) return direct;
    const obj = field(node, "object") ?? field(node, "value");
    return obj ? this.eval(obj, ctx) : [];
  }

  /**
   * `params.path`, `arguments["cmd"]`, `arguments.get("cmd")` read straight off a source
   * parameter: the source is the read itself, which makes the trace say which field.
   */
  private sourceRead(node: Node, ctx: Ctx | null): Taint[] | undefined {
    let root: Node | null = node;
    const chain: string[] = [];
    while (root && root.type !== "identifier") {
      if (root.type === "attribute") {
        chain.unshift(field(root, "attribute")?.text ?? "");
        root = field(root, "object");
      } else if (root.type === "subscript") {
        chain.unshift(literalString(field(root, "subscript")) ?? "[]");
        root = field(root, "value");
      } else if (root.type === "call") {
        const fn = field(root, "function");
        if (fn?.type !== "attribute" || field(fn, "attribute")?.text !== "get") return undefined;
        chain.unshift(literalString(callArguments(root)[0] ?? null) ?? "[]");
        root = field(fn, "object");
      } else return undefined;
    }
    if (!root || chain.length === 0) return undefined;
    const read = this.sourceParam(root, ctx);
    if (!read) return undefined;
    const { fn, src } = read;
    const decl = this.paramDecl(fn, root.text);
    const type = decl ? field(decl, "type")?.text : undefined;
    const t = sourceTaint(node.text, lineOf(node), src.kind, this.toolAt(src, node));
    if (type && this.cleanType(type)) return [typedSource(t, `the parameter type \`${label(type)}\``)];
    // A pydantic model field declared as int/Literal/Enum carries no text.
    const fieldType = type ? this.classFields.get(type.replace(/\s+/g, ""))?.get(chain[0]) : undefined;
    if (fieldType && this.cleanType(fieldType)) return [typedSource(t, `the field type \`${label(fieldType)}\``)];
    return applyGuards([t], guardEffect(this.guards, root.text, root));
  }

  /** The tool a read belongs to in a dispatch dict (`"name": lambda: ...`) or `case "name":`. */
  private dispatchTool(use: Node): string | undefined {
    if (this.toolNames.size === 0) return undefined;
    for (let n = use.parent; n && n.type !== "function_definition"; n = n.parent) {
      let key: string | undefined;
      if (n.type === "pair") key = literalString(field(n, "key"));
      else if (n.type === "case_clause") {
        const pattern = args(n).find((c) => c.type === "case_pattern");
        key = pattern ? literalString(args(pattern)[0] ?? null) : undefined;
      }
      if (key !== undefined && this.toolNames.has(key)) return key;
    }
    return undefined;
  }

  // ------------------------------------------------------------ calls

  private evalCall(node: Node, ctx: Ctx | null): Taint[] {
    const fn = field(node, "function");
    if (!fn) return [];
    const argv = callArguments(node);
    if (fn.type === "identifier") {
      const local = this.localFunction(fn);
      if (local) return this.followCall(local, node, argv, ctx, false);
      if (!this.scopes.lookup(fn.text, fn)) {
        if (CLEAN_BUILTINS.has(fn.text)) return [];
        if (fn.text === "format") return built(this.all(argv, ctx));
        return this.all(argv, ctx);
      }
    }
    const q = pyQualified(fn, this.analyzer);
    const qualified = q ? `${q.module}.${q.name}` : undefined;
    if (qualified) {
      const root = qualified.split(".")[0];
      if (CLEAN_MODULES.has(root)) return [];
      if (/^os\.path\.(exists|isfile|isdir|islink|isabs|getsize|getmtime)$/.test(qualified)) return [];
      const safe = SANITISERS[qualified];
      if (safe) return cleanFor(this.all(argv, ctx), safe, `\`${qualified}\``);
      return this.all(argv, ctx);
    }
    if (fn.type === "attribute") {
      const obj = field(fn, "object");
      const method = field(fn, "attribute")?.text ?? "";
      if (!obj) return [];
      if (method === "get") {
        const direct = this.sourceRead(node, ctx);
        if (direct) return direct;
        return this.all([obj, argv[1]], ctx);
      }
      if (CLEAN_METHODS.has(method)) return [];
      if (method === "format" || method === "format_map" || method === "join") return built(this.all([obj, ...argv], ctx));
      if (obj.type === "identifier" && (obj.text === "self" || this.isLocalInstance(obj))) {
        const m = this.functionsByName.get(method);
        if (m?.length === 1) return this.followCall(m[0], node, argv, ctx, true);
      }
      return this.all([obj, ...argv], ctx);
    }
    return this.all(argv, ctx);
  }

  /** `runner` in `runner = Runner()` where `Runner` is a class of this file. */
  private isLocalInstance(id: Node): boolean {
    const value = this.analyzer.valueOf(id);
    const fn = value?.type === "call" ? field(value, "function") : null;
    return fn?.type === "identifier" && this.classFields.has(fn.text);
  }

  private localFunction(id: Node): Node | undefined {
    const bindings = this.scopes.lookup(id.text, id);
    if (bindings?.length !== 1) return undefined;
    const b = bindings[0];
    return b.kind === "function" ? b.node : undefined;
  }

  /** What `call` passes for each parameter of `fn`. */
  protected bindArguments(fn: Node, call: Node, _argv: Node[], boundMethod: boolean): Map<string, Node> {
    const map = new Map<string, Node>();
    for (const p of args(field(fn, "parameters"))) {
      const id = p.type === "identifier" ? p : p.type === "typed_parameter" ? args(p).find((c) => c.type === "identifier") : field(p, "name");
      if (!id) continue;
      const arg = this.argumentFor(fn, call, id.text, boundMethod);
      if (arg) map.set(id.text, arg);
    }
    return map;
  }

  protected returnValues(fn: Node): Node[] {
    return returnValues(fn, this.scopes);
  }
}

/** The statement a Python binding comes from; plain `x = ...` replaces what x held. */
function pySite(b: Binding): BindingSite | undefined {
  if (b.kind !== "value") return undefined;
  let n: Node | null = b.value.parent;
  for (let i = 0; n && i < 3; i++, n = n.parent) {
    if (n.type === "assignment") {
      const stmt = n.parent?.type === "expression_statement" ? n.parent : n;
      return { stmt, kills: true };
    }
    if (n.type === "augmented_assignment" || n.type === "call" || n.type === "named_expression") {
      const stmt = n.parent?.type === "expression_statement" ? n.parent : n;
      return { stmt, kills: false };
    }
  }
  return undefined;
}

/** Expressions a function returns (nested functions excluded). */
export function returnValues(fn: Node, scopes: Scopes): Node[] {
  const body = field(fn, "body");
  if (!body) return [];
  if (fn.type === "lambda") return [body];
  return returnedValues(body, scopes);
}

function chainText(use: Node): string {
  let n: Node = use;
  while (n.parent && (n.parent.type === "attribute" || n.parent.type === "subscript" || (n.parent.type === "call" && field(n.parent, "function")?.id === n.id))) {
    n = n.parent;
  }
  return n.text;
}

