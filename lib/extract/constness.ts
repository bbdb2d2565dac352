import type { Node } from "web-tree-sitter";
import { args, clip, familyOf, field, type Family, fragmentText, literalString } from "./shell-ast.js";
import { type Binding, returnedValues, Scopes } from "./shell-scope.js";
import type { SourceLanguage } from "./types.js";

/**
 * Whether an expression's value is fixed by the source file, and if not, what it is built from.
 * `constant: false` with no `inputs` means the value is dynamic but cannot carry shell syntax
 * (it went through `shlex.quote`, `parseInt`, a strict character allow-list, ...).
 */
export interface Constness {
  constant: boolean;
  /** Outermost names the value comes from, e.g. "args.repo", "path", "process.env.HOME". */
  inputs: string[];
  /** The string value, when it is a constant string. */
  value?: string;
}

/** Internal result: `dynamic` with empty inputs is "run-time but shell-safe". */
interface R {
  dynamic: boolean;
  inputs: string[];
  value?: string;
}

const CONST: R = { dynamic: false, inputs: [] };
const SAFE: R = { dynamic: true, inputs: [] };
const MAX_INPUTS = 8;
const MAX_DEPTH = 120;
const MAX_STEPS = 5000;

const input = (name: string): R => ({ dynamic: true, inputs: [clip(name, 80)] });
const str = (value: string | undefined): R => (value === undefined ? CONST : { dynamic: false, inputs: [], value });

function combine(parts: R[], value?: string): R {
  const inputs: string[] = [];
  let dynamic = false;
  for (const p of parts) {
    dynamic ||= p.dynamic;
    for (const i of p.inputs) if (!inputs.includes(i) && inputs.length < MAX_INPUTS) inputs.push(i);
  }
  return dynamic ? { dynamic, inputs } : { dynamic, inputs, value };
}

function concatValues(parts: R[]): string | undefined {
  let out = "";
  for (const p of parts) {
    if (p.value === undefined) return undefined;
    out += p.value;
  }
  return out;
}

const SCREAMING = /^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*$/;

/** Results of calls that are numbers or booleans: they cannot smuggle shell syntax. */
const NUMERIC_CALLS: Record<Family, Set<string>> = {
  js: new Set(["parseInt", "parseFloat", "Number", "Boolean", "isNaN", "Date.now", "Number.parseInt", "Number.parseFloat"]),
  python: new Set(["int", "float", "len", "abs", "round", "bool", "ord", "hash", "time.time"]),
  go: new Set(["len", "strconv.Itoa", "strconv.FormatInt", "strconv.FormatUint", "strconv.FormatFloat", "strconv.FormatBool"]),
};

/** Quoting functions by module: their output is one inert shell word. */
const QUOTERS: Record<string, Set<string>> = {
  shlex: new Set(["quote", "join"]),
  pipes: new Set(["quote"]),
  "shell-quote": new Set(["quote"]),
  "shell-escape": new Set(["default", "*"]),
  shescape: new Set(["quote", "quoteAll", "escape", "escapeAll"]),
};

/** Methods whose result is built from the receiver (and arguments), never from elsewhere. */
const PASS_THROUGH = new Set([
  "trim", "trimStart", "trimEnd", "toString", "toLowerCase", "toUpperCase", "replace", "replaceAll",
  "slice", "substring", "substr", "split", "join", "concat", "padStart", "padEnd", "repeat", "at",
  "map", "filter", "flat", "flatMap", "reverse", "sort", "normalize", "valueOf", "toFixed",
  "strip", "lstrip", "rstrip", "lower", "upper", "format", "format_map", "removeprefix", "removesuffix",
  "splitlines", "title", "capitalize", "encode", "decode", "casefold", "expandtabs", "zfill",
]);

/** Modules whose helpers only combine their arguments (path joining, formatting). */
const COMBINING_MODULES = new Set([
  "path", "node:path", "os.path", "posixpath", "fmt", "strings", "filepath", "path/filepath", "util", "node:util",
]);

/**
 * `/[^a-z0-9_-]/g`-style patterns: replacing every character outside a class that has no shell
 * metacharacter leaves only inert text.
 */
const SAFE_NEGATED_CLASS = /^\[\^(?:[A-Za-z0-9_.,:@=+\/-]|\\[wd.\-_])+\][+*]?$/;

export class ConstnessAnalyzer {
  readonly family: Family;
  readonly scopes: Scopes;
  private steps = 0;
  private depth = 0;
  private readonly inProgress = new Set<string>();

  constructor(root: Node, lang: SourceLanguage, scopes?: Scopes) {
    this.family = familyOf(lang);
    this.scopes = scopes ?? new Scopes(this.family, root);
  }

  analyze(node: Node): Constness {
    this.steps = 0;
    this.depth = 0;
    this.inProgress.clear();
    const r = this.eval(node);
    return r.dynamic ? { constant: false, inputs: r.inputs } : { constant: true, inputs: [], value: r.value };
  }

  /** The constant string value of an expression, when it has one (`"bash"`, `SHELL`, ...). */
  stringValue(node: Node): string | undefined {
    const r = this.analyze(node);
    return r.constant ? r.value : undefined;
  }

  /** The single value expression a name is bound to, for callers that inspect object literals. */
  valueOf(identifier: Node): Node | undefined {
    const bindings = this.scopes.lookup(identifier.text, identifier);
    if (bindings?.length !== 1) return undefined;
    const b = bindings[0];
    return b.kind === "value" && b.path.length === 0 ? b.value : undefined;
  }

  private eval(node: Node): R {
    if (++this.steps > MAX_STEPS || this.depth >= MAX_DEPTH) return input(node.text);
    this.depth++;
    try {
      return this.evalNode(node);
    } finally {
      this.depth--;
    }
  }

  private evalNode(node: Node): R {
    switch (node.type) {
      case "string": {
        const parts = args(node).filter((c) => c.type === "interpolation");
        if (parts.length === 0) return str(literalString(node));
        return combine(parts.map((p) => this.eval(field(p, "expression") ?? p)));
      }
      case "template_string": {
        const parts = args(node);
        if (!parts.some((c) => c.type === "template_substitution")) return str(literalString(node));
        const rs = parts.map((c) =>
          c.type === "template_substitution" ? this.eval(args(c)[0] ?? c) : str(fragmentText(c)),
        );
        return combine(rs, concatValues(rs));
      }
      case "interpreted_string_literal":
      case "raw_string_literal":
        return str(literalString(node));
      case "concatenated_string": {
        const rs = args(node).map((c) => this.eval(c));
        return combine(rs, concatValues(rs));
      }
      case "number": case "integer": case "float": case "int_literal": case "float_literal":
      case "imaginary_literal": case "rune_literal": case "true": case "false": case "null":
      case "undefined": case "none": case "nil": case "regex": case "iota":
      case "arrow_function": case "function_expression": case "function": case "lambda": case "func_literal":
        return CONST;
      case "parenthesized_expression": case "as_expression": case "non_null_expression":
      case "satisfies_expression": case "await_expression": case "await": case "type_assertion":
      case "template_substitution": case "spread_element": case "list_splat": case "dictionary_splat":
      case "expression_statement": {
        const inner = args(node)[0];
        return inner ? this.eval(inner) : CONST;
      }
      case "keyword_argument": case "pair": case "keyed_element": {
        const value = field(node, "value") ?? args(node).at(-1);
        return value ? this.eval(value) : CONST;
      }
      case "literal_element":
        return combine(args(node).map((c) => this.eval(c)));
      case "binary_expression":
      case "binary_operator":
        return this.evalBinary(node);
      case "boolean_operator":
        return combine([field(node, "left"), field(node, "right")].filter(isNode).map((c) => this.eval(c)));
      case "ternary_expression":
        return combine([field(node, "consequence"), field(node, "alternative")].filter(isNode).map((c) => this.eval(c)));
      case "conditional_expression": {
        const [a, , b] = args(node);
        return combine([a, b].filter(isNode).map((c) => this.eval(c)));
      }
      case "unary_expression": case "not_operator": case "unary_operator": case "update_expression": {
        const r = combine(args(node).map((c) => this.eval(c)));
        return r.dynamic ? SAFE : CONST;
      }
      case "comparison_operator":
        return CONST;
      case "array": case "list": case "tuple": case "set": case "expression_list": case "literal_value":
      case "object": case "dictionary": case "argument_list": case "arguments":
        return combine(args(node).map((c) => this.eval(c)));
      case "composite_literal": {
        const body = field(node, "body");
        return body ? this.eval(body) : CONST;
      }
      case "shorthand_property_identifier":
      case "identifier":
        return this.resolveName(node.text, node, []);
      case "member_expression": case "subscript_expression": case "attribute": case "subscript":
      case "selector_expression": case "index_expression":
        return this.evalChain(node, []);
      case "call_expression": case "call":
        return this.evalCall(node);
      case "new_expression": {
        const a = args(field(node, "arguments")).map((c) => this.eval(c));
        return a.length ? combine(a) : input(node.text);
      }
      case "assignment_expression": case "named_expression": {
        const right = field(node, "right") ?? field(node, "value");
        return right ? this.eval(right) : input(node.text);
      }
      case "sequence_expression": {
        const last = args(node).at(-1);
        return last ? this.eval(last) : CONST;
      }
      case "list_comprehension": case "generator_expression": case "set_comprehension": {
        const body = field(node, "body");
        return body ? this.eval(body) : input(node.text);
      }
      default:
        return input(node.text);
    }
  }

  private evalBinary(node: Node): R {
    const left = field(node, "left");
    const right = field(node, "right");
    const op = field(node, "operator")?.text ?? node.children.find((c) => c && !c.isNamed)?.text ?? "";
    if (!left || !right) return input(node.text);
    const carries =
      this.family === "js" ? ["+", "||", "??", "&&"] : this.family === "python" ? ["+", "%", "*"] : ["+"];
    const rs = [this.eval(left), this.eval(right)];
    if (!carries.includes(op)) return rs.some((r) => r.dynamic) ? SAFE : CONST; // numbers, booleans
    if (op === "%" && rs[0].value !== undefined && rs[1].value !== undefined) return combine(rs);
    return combine(rs, op === "+" ? concatValues(rs) : undefined);
  }

  /** `a.b["c"][i]` -> root `a` with path ["b", "c", "[]"], resolved through local bindings. */
  private evalChain(node: Node, extra: string[]): R {
    const path: string[] = [...extra];
    let n: Node | null = node;
    while (n) {
      if (n.type === "member_expression" || n.type === "attribute" || n.type === "selector_expression") {
        const prop = field(n, "property") ?? field(n, "attribute") ?? field(n, "field");
        path.unshift(prop?.text ?? "?");
        n = field(n, "object") ?? field(n, "operand");
      } else if (n.type === "subscript_expression" || n.type === "subscript" || n.type === "index_expression") {
        const idx = field(n, "index") ?? field(n, "subscript");
        const key = idx ? literalString(idx) : undefined;
        path.unshift(key !== undefined ? key : idx && /^\d+$/.test(idx.text) ? `[${idx.text}]` : "[]");
        n = field(n, "object") ?? field(n, "value") ?? field(n, "operand");
      } else break;
    }
    if (!n) return input(node.text);
    if (this.family === "js" && path.at(-1) === "length") return SAFE;
    if (n.type === "identifier") return this.resolveName(n.text, n, path);
    if (n.type === "this" || n.type === "super") return input(display(n.text, path));
    // `foo().x`, `[..][0]`, `"a b".split(" ")[0]`: what the base is built from.
    const base = this.eval(n);
    return base.dynamic && base.inputs.length === 0 ? SAFE : base.dynamic ? base : CONST;
  }

  private resolveName(name: string, use: Node, path: string[]): R {
    const bindings = this.scopes.lookup(name, use);
    const shown = display(name, path);
    if (!bindings) {
      if (this.family === "js" && (name === "undefined" || name === "NaN" || name === "Infinity")) return CONST;
      // Unbound SCREAMING_CASE names are constants defined in another module, by convention.
      if (SCREAMING.test(name) && name.length > 1) return CONST;
      return input(shown);
    }
    const rs = bindings.map((b) => this.evalBinding(b, name, path, shown));
    return combine(rs, rs.length === 1 ? rs[0].value : undefined);
  }

  private evalBinding(b: Binding, name: string, path: string[], shown: string): R {
    switch (b.kind) {
      case "param":
        return input(shown);
      case "import":
        // `BASE_CMD` or `config.BASE_CMD` from another module: constant by convention.
        return (path.length === 0 && SCREAMING.test(name)) || (path.length === 1 && SCREAMING.test(path[0])) ? CONST : input(shown);
      case "function":
        return CONST;
      case "opaque":
        return input(shown);
      case "iter": {
        const r = this.eval(b.iterable);
        return r.dynamic ? r : CONST;
      }
      case "value": {
        const key = `${b.value.id}:${[...b.path, ...path].join(".")}`;
        if (this.inProgress.has(key)) return CONST; // a cycle adds nothing new
        this.inProgress.add(key);
        try {
          return this.evalPath(b.value, [...b.path, ...path]);
        } finally {
          this.inProgress.delete(key);
        }
      }
    }
  }

  /** The part `path` of `value` (destructuring or a property read through a local name). */
  private evalPath(value: Node, path: string[]): R {
    if (path.length === 0) return this.eval(value);
    switch (value.type) {
      case "object":
      case "dictionary": {
        for (const p of args(value)) {
          if (p.type !== "pair") continue;
          const key = field(p, "key");
          const keyText = key ? (literalString(key) ?? key.text) : undefined;
          const v = field(p, "value");
          if (keyText === path[0] && v) return this.evalPath(v, path.slice(1));
        }
        return this.eval(value);
      }
      case "identifier":
        return this.resolveName(value.text, value, path);
      case "member_expression": case "attribute": case "selector_expression":
      case "subscript_expression": case "subscript": case "index_expression":
        return this.evalChain(value, path);
      case "parenthesized_expression": case "await_expression": case "await": case "as_expression":
      case "non_null_expression": case "satisfies_expression": {
        const inner = args(value)[0];
        return inner ? this.evalPath(inner, path) : CONST;
      }
      default:
        return this.eval(value);
    }
  }

  private evalCall(node: Node): R {
    const fn = field(node, "function");
    const argNodes = callArguments(node);
    if (!fn) return input(node.text);
    // `import("x")`, `require("x")`: a module, not a string.
    if (fn.type === "import" || (fn.type === "identifier" && fn.text === "require")) return CONST;
    const argsR = () => argNodes.map((a) => this.eval(a));
    const qualified = this.qualifiedName(fn);

    if (qualified && NUMERIC_CALLS[this.family].has(qualified.display)) return constOr(combine(argsR()), SAFE);
    if (qualified && qualified.module !== undefined && QUOTERS[qualified.module]?.has(qualified.name)) {
      return constOr(combine(argsR()), SAFE);
    }
    if (qualified && this.isSafeStrip(qualified, argNodes)) return SAFE;

    if (fn.type === "member_expression" || fn.type === "attribute" || fn.type === "selector_expression") {
      const obj = field(fn, "object") ?? field(fn, "operand");
      const method = (field(fn, "property") ?? field(fn, "attribute") ?? field(fn, "field"))?.text ?? "";
      if (!obj) return input(node.text);
      if (this.family === "js" && obj.text === "Math") return constOr(combine(argsR()), SAFE);
      // Path and formatting helpers, imported or (in snippets and scripts) used unbound.
      const unbound = obj.type === "identifier" && !this.scopes.lookup(obj.text, obj);
      const module = qualified?.module ?? (unbound || obj.text === "os.path" ? obj.text : undefined);
      if (module !== undefined && COMBINING_MODULES.has(module)) return combine(argsR());
      if (this.family === "js" && obj.text === "JSON") return combine(argsR());
      // `os.environ.get("X")`, `params.get("cmd")`: a keyed read.
      if (method === "get" && this.family === "python") {
        const key = argNodes[0] ? literalString(argNodes[0]) : undefined;
        if (key !== undefined) {
          const read = obj.type === "identifier" || obj.type === "attribute" ? this.evalChain(obj, [key]) : this.eval(obj);
          return combine([read, ...argNodes.slice(1).map((a) => this.eval(a))]);
        }
      }
      if (this.family === "python" && qualified?.display === "os.getenv" && argNodes[0]) {
        return input(`os.environ.${literalString(argNodes[0]) ?? "?"}`);
      }
      if (PASS_THROUGH.has(method)) return combine([this.eval(obj), ...argsR()]);
    } else if (fn.type === "identifier") {
      if (this.family === "python" && (fn.text === "str" || fn.text === "repr" || fn.text === "format")) return combine(argsR());
      if (this.family === "js" && fn.text === "String") return combine(argsR());
      if (this.family === "go" && (fn.text === "string" || fn.text === "append")) return combine(argsR());
      const returns = this.returnsOf(fn);
      if (returns) return returns;
    }
    // An unknown function: its result is as trustworthy as what went in, and unknown itself.
    const a = argsR().filter((r) => r.dynamic && r.inputs.length > 0);
    return combine([input(`${clip(fn.text, 60)}()`), ...a]);
  }

  /** Constness of what a function declared in this file returns. */
  private returnsOf(fn: Node): R | undefined {
    const bindings = this.scopes.lookup(fn.text, fn);
    if (bindings?.length !== 1) return undefined;
    const b = bindings[0];
    const decl = b.kind === "function" ? b.node : b.kind === "value" && b.path.length === 0 ? b.value : undefined;
    if (!decl || !this.scopes.isScope(decl)) return undefined;
    const key = `fn:${decl.id}`;
    if (this.inProgress.has(key)) return CONST;
    this.inProgress.add(key);
    try {
      const body = field(decl, "body");
      if (!body) return undefined;
      // Expression-bodied arrows and lambdas return their body.
      if (body.type !== "statement_block" && body.type !== "block") return this.eval(body);
      const values = returnedValues(body, this.scopes);
      const rs = values.map((v) => this.eval(v));
      const r = combine(rs, rs.length === 1 ? rs[0].value : undefined);
      return r.dynamic ? { dynamic: true, inputs: r.inputs.length ? [`${clip(fn.text, 60)}()`, ...r.inputs].slice(0, MAX_INPUTS) : [] } : r;
    } finally {
      this.inProgress.delete(key);
    }
  }

  /** `x.replace(/[^a-z0-9]/g, "")`, `re.sub(r"[^\w]", "", x)`: an allow-list strip. */
  private isSafeStrip(q: QualifiedName, argNodes: Node[]): boolean {
    if (this.family === "js" && (q.name === "replace" || q.name === "replaceAll")) {
      const re = argNodes[0];
      const repl = argNodes[1] ? literalString(argNodes[1]) : undefined;
      if (re?.type !== "regex" || repl === undefined || /[^A-Za-z0-9_.-]/.test(repl)) return false;
      const pattern = field(re, "pattern")?.text ?? "";
      const flags = field(re, "flags")?.text ?? "";
      return flags.includes("g") && SAFE_NEGATED_CLASS.test(pattern);
    }
    if (this.family === "python" && q.module === "re" && q.name === "sub") {
      const pattern = argNodes[0] ? literalString(argNodes[0]) : undefined;
      const repl = argNodes[1] ? literalString(argNodes[1]) : undefined;
      return pattern !== undefined && repl !== undefined && !/[^A-Za-z0-9_.-]/.test(repl) && SAFE_NEGATED_CLASS.test(pattern);
    }
    return false;
  }

  /**
   * The module member a name stands for: `import { exec as run } from "child_process"`,
   * `const { execSync } = require("node:child_process")`, `const sp = require("x").y`.
   * `name` is "*" for a whole module (namespace, default or require()).
   */
  importOf(identifier: Node): { module: string; name: string } | undefined {
    const bindings = this.scopes.lookup(identifier.text, identifier);
    if (bindings?.length !== 1) return undefined;
    const b = bindings[0];
    if (b.kind === "import") return { module: b.module, name: b.name === "default" ? "*" : b.name };
    if (b.kind !== "value") return undefined;
    const value = unwrap(b.value);
    const direct = requiredModule(value);
    if (direct !== undefined) return { module: direct, name: b.path[0] ?? "*" };
    if (value.type === "member_expression" && b.path.length === 0) {
      const obj = field(value, "object");
      const prop = field(value, "property");
      const module = obj ? requiredModule(unwrap(obj)) : undefined;
      if (module !== undefined && prop) return { module, name: prop.text };
    }
    return undefined;
  }

  /** Who a callee is: `shlex.quote` -> module "shlex", name "quote"; a bare local -> no module. */
  qualifiedName(fn: Node): QualifiedName | undefined {
    if (fn.type === "identifier") {
      const imp = this.importOf(fn);
      if (imp) return { module: imp.module, name: imp.name, display: `${imp.module}.${imp.name}` };
      return this.scopes.lookup(fn.text, fn) ? { name: fn.text, display: `local:${fn.text}` } : { name: fn.text, display: fn.text };
    }
    if (fn.type === "member_expression" || fn.type === "attribute" || fn.type === "selector_expression") {
      const obj = field(fn, "object") ?? field(fn, "operand");
      const prop = field(fn, "property") ?? field(fn, "attribute") ?? field(fn, "field");
      if (!obj || !prop) return undefined;
      const direct = requiredModule(unwrap(obj));
      if (direct !== undefined) return { module: direct, name: prop.text, display: `${direct}.${prop.text}` };
      if (obj.type === "identifier") {
        const imp = this.importOf(obj);
        if (imp) {
          const module = imp.name === "*" ? imp.module : `${imp.module}.${imp.name}`;
          return { module, name: prop.text, display: `${module}.${prop.text}` };
        }
        if (!this.scopes.lookup(obj.text, obj)) return { name: prop.text, display: `${obj.text}.${prop.text}` };
        return { name: prop.text, display: `local:${obj.text}.${prop.text}` };
      }
      if (obj.type === "attribute" && obj.text === "os.path") return { module: "os.path", name: prop.text, display: `os.path.${prop.text}` };
      return { name: prop.text, display: `${clip(obj.text, 60)}.${prop.text}` };
    }
    return undefined;
  }
}

/** Strip `await`, parentheses and type assertions around an expression. */
export function unwrap(node: Node): Node {
  let n = node;
  const wrappers = new Set(["await_expression", "await", "parenthesized_expression", "as_expression", "non_null_expression", "satisfies_expression"]);
  while (wrappers.has(n.type)) {
    const inner = args(n)[0];
    if (!inner) break;
    n = inner;
  }
  return n;
}

/** `require("m")` or `import("m")` -> "m". */
export function requiredModule(node: Node): string | undefined {
  if (node.type !== "call_expression") return undefined;
  const fn = field(node, "function");
  if (!fn || !(fn.type === "import" || (fn.type === "identifier" && fn.text === "require"))) return undefined;
  const first = args(field(node, "arguments"))[0];
  return first ? literalString(first) : undefined;
}

export interface QualifiedName {
  /** The imported module, when the callee comes from an import. */
  module?: string;
  name: string;
  /** "module.name" for imports, the plain text for globals, "local:..." for file-local names. */
  display: string;
}

/** Arguments of a call; Python's `f(x for x in y)` has a generator in place of the list. */
export function callArguments(call: Node): Node[] {
  const list = field(call, "arguments");
  if (!list) return [];
  return list.type === "generator_expression" ? [list] : args(list);
}

function constOr(r: R, otherwise: R): R {
  return r.dynamic ? otherwise : CONST;
}

function isNode(n: Node | null): n is Node {
  return n !== null;
}

function display(name: string, path: string[]): string {
  return name + path.map((p) => (p.startsWith("[") ? p : `.${p}`)).join("");
}

/** One-off check of an expression; prefer a shared ConstnessAnalyzer when checking many. */
export function constnessOf(node: Node, lang: SourceLanguage): Constness {
  return new ConstnessAnalyzer(node.tree.rootNode, lang).analyze(node);
}
