import type { Node } from "web-tree-sitter";
import { args, contains, field, type Family, walk } from "./shell-ast.js";

/**
 * How a name gets its value inside one scope. Collection is flow-insensitive: every assignment,
 * `+=`, `push`/`append` in the scope contributes, which is what makes `let c = "ls"; c += x`
 * non-constant without a data-flow engine.
 */
export type Binding =
  | { kind: "param"; name: string; path: string[] }
  /** `value` flows into the name; `path` says which part of it was destructured. */
  | { kind: "value"; value: Node; path: string[]; block?: Node }
  /** A loop variable: one element of `iterable`. */
  | { kind: "iter"; iterable: Node }
  | { kind: "import"; module: string; name: string }
  /** A function declared in the file (its return values can be inspected). */
  | { kind: "function"; node: Node }
  /** Bound by something we do not model (catch, with-as, class, ...): unknown value. */
  | { kind: "opaque" };

const SCOPES: Record<Family, Set<string>> = {
  js: new Set([
    "program",
    "function_declaration",
    "function_expression",
    "function",
    "arrow_function",
    "method_definition",
    "generator_function_declaration",
    "generator_function",
  ]),
  python: new Set([
    "module",
    "function_definition",
    "lambda",
    "class_definition",
    "list_comprehension",
    "set_comprehension",
    "dictionary_comprehension",
    "generator_expression",
  ]),
  go: new Set(["source_file", "function_declaration", "method_declaration", "func_literal"]),
};

const JS_MUTATORS = new Set(["push", "unshift", "splice"]);
const PY_MUTATORS = new Set(["append", "extend", "insert", "add", "update"]);

/** Per-file name resolution; each scope's bindings are collected once, on first use. */
export class Scopes {
  private readonly cache = new Map<number, Map<string, Binding[]>>();
  /**
   * Node id -> innermost enclosing scope (null: none). Lookups climb from every use to the
   * root; remembering each climbed node's scope keeps the climb short, and each `parent`
   * step crosses into tree-sitter's wasm heap, which is what makes climbing slow.
   */
  private readonly enclosing = new Map<number, Node | null>();
  private readonly scopeTypes: Set<string>;

  constructor(
    readonly family: Family,
    readonly root: Node,
  ) {
    this.scopeTypes = SCOPES[family];
  }

  isScope(node: Node): boolean {
    return this.scopeTypes.has(node.type);
  }

  /** The innermost scope node enclosing `node` (excluding `node` itself). */
  scopeOf(node: Node): Node {
    return this.enclosingScope(node) ?? this.root;
  }

  /** Like scopeOf, but null when no ancestor is a scope (a file whose root is an error node). */
  private enclosingScope(node: Node): Node | null {
    const known = this.enclosing.get(node.id);
    if (known !== undefined) return known;
    const climbed = [node.id];
    let found: Node | null = null;
    for (let n = node.parent; n; n = n.parent) {
      if (this.isScope(n)) {
        found = n;
        break;
      }
      // A non-scope ancestor shares our enclosing scope.
      const cached = this.enclosing.get(n.id);
      if (cached !== undefined) {
        found = cached;
        break;
      }
      climbed.push(n.id);
    }
    for (const id of climbed) this.enclosing.set(id, found);
    return found;
  }

  /**
   * Bindings of `name` visible at `use`, from the innermost scope that binds it.
   * Undefined when nothing in the file binds it (a global, builtin, or a typo).
   */
  lookup(name: string, use: Node): Binding[] | undefined {
    for (let n: Node | null = this.isScope(use) ? use : this.enclosingScope(use); n; n = this.enclosingScope(n)) {
      // Python: a method body does not see names bound in its class body.
      if (this.family === "python" && n.type === "class_definition" && !this.directlyIn(use, n)) continue;
      const found = this.bindingsOf(n).get(name);
      if (!found) continue;
      const visible = found.filter((b) => b.kind !== "value" || !b.block || contains(b.block, use));
      if (visible.length > 0) return visible;
    }
    return undefined;
  }

  /** True when `scope` is the innermost scope around `use`. */
  private directlyIn(use: Node, scope: Node): boolean {
    return this.enclosingScope(use)?.id === scope.id;
  }

  bindingsOf(scope: Node): Map<string, Binding[]> {
    let map = this.cache.get(scope.id);
    if (!map) {
      map = new Map();
      this.cache.set(scope.id, map);
      const add = (name: string, b: Binding) => {
        const list = map!.get(name);
        if (list) list.push(b);
        else map!.set(name, [b]);
      };
      if (this.family === "js") collectJs(this, scope, add);
      else if (this.family === "python") collectPython(this, scope, add);
      else collectGo(this, scope, add);
    }
    return map;
  }
}

type Add = (name: string, b: Binding) => void;

/** Walk a scope's own nodes: nested scopes are entered only to record their names. */
function walkScope(scopes: Scopes, scope: Node, visit: (node: Node) => boolean | void, onNested: (node: Node) => void) {
  for (const child of scope.namedChildren) {
    if (!child) continue;
    walk(child, (node) => {
      if (scopes.isScope(node)) {
        onNested(node);
        return false;
      }
      return visit(node);
    });
  }
}

// ---------------------------------------------------------------- JavaScript / TypeScript

function collectJs(scopes: Scopes, scope: Node, add: Add): void {
  // `x => ...` keeps its single parameter in a field rather than in formal_parameters.
  const single = scope.type === "arrow_function" ? field(scope, "parameter") : null;
  if (single?.type === "identifier") add(single.text, { kind: "param", name: single.text, path: [] });

  walkScope(
    scopes,
    scope,
    (node) => {
      switch (node.type) {
        case "formal_parameters":
          if (node.parent?.id !== scope.id) return false;
          for (const p of args(node)) {
            const pattern = p.type === "required_parameter" || p.type === "optional_parameter" ? field(p, "pattern") : p;
            if (pattern) bindJsPattern(pattern, [], (name, path) => add(name, { kind: "param", name, path }));
          }
          return false;
        case "variable_declarator": {
          const name = field(node, "name");
          const value = field(node, "value");
          if (!name || !value) return;
          // let/const are block-scoped: only uses inside the same block see them.
          const block = node.parent?.type === "lexical_declaration" ? enclosingBlock(node.parent) : undefined;
          bindJsPattern(name, [], (n, path) => add(n, { kind: "value", value, path, block }));
          return;
        }
        case "assignment_expression":
        case "augmented_assignment_expression": {
          const left = field(node, "left");
          const right = field(node, "right");
          if (!left || !right) return;
          if (left.type === "identifier") add(left.text, { kind: "value", value: right, path: [] });
          else if (left.type === "object_pattern" || left.type === "array_pattern")
            bindJsPattern(left, [], (n, path) => add(n, { kind: "value", value: right, path }));
          else {
            // `parts[i] = x` or `opts.cmd = x` changes what the root variable holds.
            const root = rootIdentifier(left);
            if (root) add(root, { kind: "value", value: right, path: [] });
          }
          return;
        }
        case "for_in_statement": {
          const left = field(node, "left");
          const right = field(node, "right");
          if (left && right) bindJsPattern(left, [], (n) => add(n, { kind: "iter", iterable: right }));
          return;
        }
        case "catch_clause": {
          const p = field(node, "parameter");
          if (p) bindJsPattern(p, [], (n) => add(n, { kind: "opaque" }));
          return;
        }
        case "class_declaration": {
          const n = field(node, "name");
          if (n) add(n.text, { kind: "opaque" });
          return;
        }
        case "import_statement":
          collectJsImport(node, add);
          return false;
        case "call_expression": {
          const fn = field(node, "function");
          if (fn?.type === "member_expression") {
            const obj = field(fn, "object");
            const prop = field(fn, "property");
            if (obj?.type === "identifier" && prop && JS_MUTATORS.has(prop.text)) {
              for (const a of args(field(node, "arguments"))) add(obj.text, { kind: "value", value: a, path: [] });
            }
          }
          return;
        }
      }
    },
    (nested) => {
      if (nested.type === "function_declaration" || nested.type === "generator_function_declaration") {
        const n = field(nested, "name");
        if (n) add(n.text, { kind: "function", node: nested });
      }
    },
  );
}

function enclosingBlock(node: Node): Node | undefined {
  for (let n = node.parent; n; n = n.parent) {
    if (n.type === "statement_block" || n.type === "program" || n.type === "switch_body") return n;
    if (n.type === "for_statement" || n.type === "for_in_statement") return n;
  }
  return undefined;
}

/** Names bound by a (possibly destructuring) pattern, with the property path each comes from. */
function bindJsPattern(pattern: Node, path: string[], bind: (name: string, path: string[]) => void): void {
  switch (pattern.type) {
    case "identifier":
    case "shorthand_property_identifier_pattern":
      bind(pattern.text, pattern.type === "identifier" ? path : [...path, pattern.text]);
      return;
    case "object_pattern":
      for (const c of args(pattern)) {
        if (c.type === "shorthand_property_identifier_pattern") bind(c.text, [...path, c.text]);
        else if (c.type === "pair_pattern") {
          const key = field(c, "key");
          const value = field(c, "value");
          if (key && value) bindJsPattern(value, [...path, key.text.replace(/^["']|["']$/g, "")], bind);
        } else if (c.type === "object_assignment_pattern") {
          const left = field(c, "left");
          if (left) bind(left.text, [...path, left.text]);
        } else if (c.type === "rest_pattern") {
          const inner = args(c)[0];
          if (inner) bindJsPattern(inner, path, bind);
        }
      }
      return;
    case "array_pattern":
      for (const c of args(pattern)) bindJsPattern(c, path, bind);
      return;
    case "assignment_pattern": {
      const left = field(pattern, "left");
      if (left) bindJsPattern(left, path, bind);
      return;
    }
    case "rest_pattern": {
      const inner = args(pattern)[0];
      if (inner) bindJsPattern(inner, path, bind);
      return;
    }
  }
}

function collectJsImport(node: Node, add: Add): void {
  const source = field(node, "source");
  const module = source ? source.text.slice(1, -1) : "";
  const clause = args(node).find((c) => c.type === "import_clause");
  if (!clause) return;
  for (const c of args(clause)) {
    if (c.type === "identifier") add(c.text, { kind: "import", module, name: "default" });
    else if (c.type === "namespace_import") {
      const id = args(c)[0];
      if (id) add(id.text, { kind: "import", module, name: "*" });
    } else if (c.type === "named_imports") {
      for (const spec of args(c)) {
        const name = field(spec, "name");
        const alias = field(spec, "alias") ?? name;
        if (name && alias) add(alias.text, { kind: "import", module, name: name.text.replace(/^["']|["']$/g, "") });
      }
    }
  }
}

/** `a.b[c].d` -> "a"; undefined when the chain does not start at a plain name. */
export function rootIdentifier(node: Node): string | undefined {
  let n: Node | null = node;
  while (n) {
    if (n.type === "identifier") return n.text;
    if (
      n.type === "member_expression" ||
      n.type === "subscript_expression" ||
      n.type === "attribute" ||
      n.type === "subscript" ||
      n.type === "selector_expression" ||
      n.type === "index_expression"
    ) {
      n = field(n, "object") ?? field(n, "value") ?? field(n, "operand");
    } else return undefined;
  }
  return undefined;
}

// ---------------------------------------------------------------- Python

function collectPython(scopes: Scopes, scope: Node, add: Add): void {
  const params = field(scope, "parameters");
  if (params) for (const p of args(params)) bindPythonParam(p, add);
  if (scope.type.endsWith("comprehension") || scope.type === "generator_expression") {
    for (const clause of args(scope)) {
      if (clause.type !== "for_in_clause") continue;
      const left = field(clause, "left");
      const right = field(clause, "right");
      if (left && right) bindPythonTarget(left, (n) => add(n, { kind: "iter", iterable: right }));
    }
    return;
  }
  const body = scope.type === "module" ? scope : field(scope, "body");
  if (!body) return;
  walk(body, (node) => {
    if (node.id !== body.id && scopes.isScope(node)) {
      const n = field(node, "name");
      if (n && node.type === "function_definition") add(n.text, { kind: "function", node });
      else if (n && node.type === "class_definition") add(n.text, { kind: "opaque" });
      return false;
    }
    switch (node.type) {
      case "assignment": {
        const left = field(node, "left");
        let right = field(node, "right");
        // `a = b = "x"`: every target gets the innermost value.
        while (right?.type === "assignment") right = field(right, "right");
        if (left && right) bindPythonAssignment(left, right, add);
        return;
      }
      case "augmented_assignment": {
        const left = field(node, "left");
        const right = field(node, "right");
        if (!left || !right) return;
        const root = left.type === "identifier" ? left.text : rootIdentifier(left);
        if (root) add(root, { kind: "value", value: right, path: [] });
        return;
      }
      case "named_expression": {
        const name = field(node, "name");
        const value = field(node, "value");
        if (name && value) add(name.text, { kind: "value", value, path: [] });
        return;
      }
      case "for_statement": {
        const left = field(node, "left");
        const right = field(node, "right");
        if (left && right) bindPythonTarget(left, (n) => add(n, { kind: "iter", iterable: right }));
        return;
      }
      case "as_pattern": {
        const alias = field(node, "alias");
        if (alias) bindPythonTarget(args(alias)[0] ?? alias, (n) => add(n, { kind: "opaque" }));
        return;
      }
      case "except_clause": {
        // `except E as e` (tree-sitter-python 0.25 puts the alias in an as_pattern or field)
        const alias = field(node, "alias");
        if (alias) add(alias.text, { kind: "opaque" });
        return;
      }
      case "import_statement":
      case "import_from_statement":
        collectPythonImport(node, add);
        return false;
      case "call": {
        const fn = field(node, "function");
        if (fn?.type === "attribute") {
          const obj = field(fn, "object");
          const attr = field(fn, "attribute");
          if (obj?.type === "identifier" && attr && PY_MUTATORS.has(attr.text)) {
            let values = args(field(node, "arguments"));
            if (attr.text === "insert") values = values.slice(1);
            for (const v of values) add(obj.text, { kind: "value", value: v, path: [] });
          }
        }
        return;
      }
    }
  });
}

function bindPythonParam(p: Node, add: Add): void {
  const bind = (n: Node | null | undefined) => {
    if (n?.type === "identifier") add(n.text, { kind: "param", name: n.text, path: [] });
  };
  switch (p.type) {
    case "identifier":
      bind(p);
      return;
    case "typed_parameter":
    case "list_splat_pattern":
    case "dictionary_splat_pattern":
      bind(args(p).find((c) => c.type === "identifier"));
      for (const inner of args(p)) if (inner.type.endsWith("splat_pattern")) bindPythonParam(inner, add);
      return;
    case "default_parameter":
    case "typed_default_parameter":
      bind(field(p, "name"));
      return;
  }
}

function bindPythonTarget(target: Node, bind: (name: string) => void): void {
  if (target.type === "identifier") bind(target.text);
  else if (target.type === "pattern_list" || target.type === "tuple_pattern" || target.type === "list_pattern")
    for (const c of args(target)) bindPythonTarget(c, bind);
  else if (target.type === "list_splat_pattern") for (const c of args(target)) bindPythonTarget(c, bind);
}

function bindPythonAssignment(left: Node, right: Node, add: Add): void {
  if (left.type === "identifier") {
    add(left.text, { kind: "value", value: right, path: [] });
    return;
  }
  if (left.type === "pattern_list" || left.type === "tuple_pattern" || left.type === "list_pattern") {
    const targets = args(left);
    const values = right.type === "expression_list" || right.type === "tuple" || right.type === "list" ? args(right) : [];
    targets.forEach((t, i) => {
      const v = values.length === targets.length ? values[i] : right;
      bindPythonTarget(t, (n) => add(n, { kind: "value", value: v, path: [] }));
    });
    return;
  }
  // `cmd[0] = x`, `opts.cmd = x`: the root variable now holds x too.
  const root = rootIdentifier(left);
  if (root) add(root, { kind: "value", value: right, path: [] });
}

function collectPythonImport(node: Node, add: Add): void {
  if (node.type === "import_statement") {
    for (const n of node.childrenForFieldName("name")) {
      if (n.type === "aliased_import") {
        const name = field(n, "name");
        const alias = field(n, "alias");
        if (name && alias) add(alias.text, { kind: "import", module: name.text, name: "*" });
      } else {
        // `import os.path` binds `os`.
        const first = n.text.split(".")[0];
        add(first, { kind: "import", module: first, name: "*" });
      }
    }
    return;
  }
  const module = field(node, "module_name")?.text ?? "";
  for (const n of node.childrenForFieldName("name")) {
    if (n.type === "aliased_import") {
      const name = field(n, "name");
      const alias = field(n, "alias");
      if (name && alias) add(alias.text, { kind: "import", module, name: name.text });
    } else add(n.text, { kind: "import", module, name: n.text });
  }
}

// ---------------------------------------------------------------- Go

function collectGo(scopes: Scopes, scope: Node, add: Add): void {
  const bindParams = (list: Node | null) => {
    for (const p of args(list)) {
      if (p.type !== "parameter_declaration" && p.type !== "variadic_parameter_declaration") continue;
      for (const n of p.childrenForFieldName("name")) add(n.text, { kind: "param", name: n.text, path: [] });
    }
  };
  if (scope.type !== "source_file") {
    bindParams(field(scope, "receiver"));
    bindParams(field(scope, "parameters"));
    bindParams(field(scope, "result"));
  }
  const body = scope.type === "source_file" ? scope : field(scope, "body");
  if (!body) return;
  walk(body, (node) => {
    if (node.id !== body.id && scopes.isScope(node)) {
      const n = field(node, "name");
      if (n && node.type === "function_declaration") add(n.text, { kind: "function", node });
      return false;
    }
    switch (node.type) {
      case "short_var_declaration":
      case "assignment_statement": {
        const left = args(field(node, "left"));
        const right = args(field(node, "right"));
        left.forEach((l, i) => {
          const v = right.length === left.length ? right[i] : right[0];
          const name = l.type === "identifier" ? l.text : rootIdentifier(l);
          if (name && name !== "_" && v) add(name, { kind: "value", value: v, path: [] });
        });
        return;
      }
      case "var_spec":
      case "const_spec": {
        const names = node.childrenForFieldName("name");
        const values = args(field(node, "value"));
        names.forEach((n, i) => {
          const v = values.length === names.length ? values[i] : values[0];
          if (v) add(n.text, { kind: "value", value: v, path: [] });
          else add(n.text, { kind: "opaque" });
        });
        return;
      }
      case "range_clause": {
        const right = field(node, "right");
        for (const l of args(field(node, "left"))) if (right) add(l.text, { kind: "iter", iterable: right });
        return;
      }
      case "import_spec": {
        const path = field(node, "path");
        if (!path) return;
        const module = path.text.replace(/^["`]|["`]$/g, "");
        const alias = field(node, "name")?.text ?? module.split("/").pop() ?? module;
        if (alias !== "_" && alias !== ".") add(alias, { kind: "import", module, name: "*" });
        return false;
      }
    }
  });
}

/** The expressions the `return` statements in `body` hand back; nested functions and scopes are not searched. */
export function returnedValues(body: Node, scopes: Scopes): Node[] {
  const values: Node[] = [];
  const stack: Node[] = [body];
  while (stack.length) {
    const n = stack.pop()!;
    if (n.type === "return_statement") {
      const v = args(n)[0];
      if (v) values.push(v);
      continue;
    }
    for (const c of n.namedChildren) if (c && !scopes.isScope(c)) stack.push(c);
  }
  return values;
}
