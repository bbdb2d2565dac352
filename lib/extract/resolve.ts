import type { Node } from "web-tree-sitter";
import { cleandoc, decodeGoEscapes, decodeJsEscapes, decodePyEscapes, dedent } from "./escapes.js";
import { args, namedDescendants, shortText, spanOf, unwrap } from "./nodes.js";
import type { ResolvedText, SourceLanguage, Span } from "./types.js";

/**
 * Static string resolution within one file: literals (escapes decoded), template literals and
 * f-strings with constant parts, `+` and implicit concatenation, constants that are never
 * reassigned, dedent/cleandoc, `.trim()`/`.strip()`, `.join` of a literal array. Anything else
 * becomes a `${...}` placeholder with `dynamic: true`; the resolver never guesses.
 */
export interface Resolver {
  /** The text an expression evaluates to, as far as it is statically known. */
  text(node: Node): ResolvedText;
  /** The expression a constant identifier was declared with, when it is a never-reassigned binding. */
  definition(node: Node): Node | undefined;
  /** A function declared in this file under that name (for handlers passed by reference). */
  functionNamed(name: string): Node | undefined;
}

/** A string constant read from another file of the repository. */
export interface ExternalText {
  value: string;
  dynamic: boolean;
  source: string;
  span: Span;
}

/**
 * String constants defined in other files of the same repository (lib/extract/surface-imports.ts):
 * `import { DESC } from "./descriptions.js"`, `from .descriptions import DESC`, and Go constants
 * of the same package declared in a sibling file.
 */
export interface CrossFileLookup {
  imported(fromPath: string, specifier: string, name: string): ExternalText | undefined;
  samePackage(fromPath: string, name: string): ExternalText | undefined;
}

/** Bounds that keep hostile input (deep chains, cycles, huge joins) cheap. */
const MAX_DEPTH = 24;
const MAX_LENGTH = 100_000;
const MAX_SOURCE = 20_000;
/** Evaluation steps for one text() and for the whole file: constants that each join many others fan out. */
const MAX_STEPS = 10_000;
const MAX_FILE_STEPS = 1_000_000;

interface Binding {
  scopeId: number;
  value: Node | null;
  /** True for const declarations; others count only if the name is never reassigned. */
  constant: boolean;
}

interface Parts {
  value: string;
  dynamic: boolean;
  /** The literal the value came from when the expression is one (possibly via constants). */
  origin?: Node;
  /** Same, when the literal is in another file. */
  external?: { source: string; span: Span };
}

const TS_SCOPES = new Set(["program", "statement_block", "class_body", "switch_body"]);
const TS_FUNCTIONS = new Set([
  "arrow_function",
  "function_declaration",
  "function_expression",
  "function",
  "generator_function_declaration",
  "generator_function",
  "method_definition",
]);
const PY_SCOPES = new Set(["module", "function_definition", "class_definition"]);
const GO_SCOPES = new Set(["source_file", "block", "func_literal"]);
const GO_FUNCTIONS = new Set(["function_declaration", "method_declaration", "func_literal"]);
/** The node types the declaration index below looks at, per syntax family. */
const INDEXED: Record<"js" | "python" | "go", readonly string[]> = {
  js: [
    "variable_declarator",
    "assignment_expression",
    "augmented_assignment_expression",
    "update_expression",
    "function_declaration",
    "generator_function_declaration",
    "import_statement",
    "enum_declaration",
  ],
  python: ["assignment", "augmented_assignment", "global_statement", "nonlocal_statement", "function_definition", "import_from_statement"],
  go: ["const_spec", "var_spec", "short_var_declaration", "assignment_statement", "inc_statement", "dec_statement", "function_declaration"],
};

export function createResolver(lang: SourceLanguage, root: Node, path: string, crossFile?: CrossFileLookup): Resolver {
  const family = lang === "python" ? "python" : lang === "go" ? "go" : "js";
  const bindings = new Map<string, Binding[]>();
  const reassigned = new Set<string>();
  const functions = new Map<string, Node>();
  /** TS enums: `Enum.Member` resolves to the member's string initialiser. */
  const enums = new Map<string, Map<string, Node>>();
  /** Imported names: local name -> module specifier and the name it has there. */
  const imports = new Map<string, { specifier: string; name: string }>();

  const scopeOf = (node: Node, scopes: Set<string>): Node => {
    let current = node.parent;
    while (current && !scopes.has(current.type)) current = current.parent;
    return current ?? root;
  };
  const bind = (name: string, scope: Node, value: Node | null, constant: boolean) => {
    const list = bindings.get(name) ?? [];
    list.push({ scopeId: scope.id, value, constant });
    bindings.set(name, list);
  };

  // One pass to index declarations and reassignments.
  for (const node of namedDescendants(root, INDEXED[family])) {
    if (family === "js") {
      if (node.type === "variable_declarator") {
        const name = node.childForFieldName("name");
        if (name?.type === "identifier") {
          const decl = node.parent;
          const constant = decl?.type === "lexical_declaration" && decl.childForFieldName("kind")?.text === "const";
          bind(name.text, scopeOf(node, TS_SCOPES), node.childForFieldName("value"), constant);
        }
      } else if (node.type === "assignment_expression" || node.type === "augmented_assignment_expression") {
        const left = node.childForFieldName("left");
        if (left?.type === "identifier") reassigned.add(left.text);
      } else if (node.type === "update_expression") {
        const arg = node.childForFieldName("argument");
        if (arg?.type === "identifier") reassigned.add(arg.text);
      } else if (node.type === "function_declaration" || node.type === "generator_function_declaration") {
        const name = node.childForFieldName("name");
        if (name && !functions.has(name.text)) functions.set(name.text, node);
      } else if (node.type === "import_statement" && crossFile) {
        const specifier = node.childForFieldName("source")?.text.slice(1, -1);
        for (const spec of node.descendantsOfType("import_specifier")) {
          const name = spec?.childForFieldName("name")?.text;
          const alias = spec?.childForFieldName("alias")?.text;
          if (specifier && name) imports.set(alias ?? name, { specifier, name });
        }
      } else if (node.type === "enum_declaration") {
        const name = node.childForFieldName("name")?.text;
        const members = new Map<string, Node>();
        for (const member of args(node.childForFieldName("body"))) {
          const key = member.childForFieldName("name")?.text;
          const value = member.childForFieldName("value");
          if (member.type === "enum_assignment" && key && value) members.set(key.replace(/^["']|["']$/g, ""), value);
        }
        if (name) enums.set(name, enums.has(name) ? new Map() : members);
      }
    } else if (family === "python") {
      if (node.type === "assignment") {
        const left = node.childForFieldName("left");
        if (left?.type === "identifier") bind(left.text, scopeOf(node, PY_SCOPES), node.childForFieldName("right"), false);
        else if (left) for (const id of left.descendantsOfType("identifier")) if (id) reassigned.add(id.text);
      } else if (node.type === "augmented_assignment") {
        const left = node.childForFieldName("left");
        if (left?.type === "identifier") reassigned.add(left.text);
      } else if (node.type === "global_statement" || node.type === "nonlocal_statement") {
        for (const id of args(node)) reassigned.add(id.text);
      } else if (node.type === "function_definition") {
        const name = node.childForFieldName("name");
        if (name && !functions.has(name.text)) functions.set(name.text, node);
      } else if (node.type === "import_from_statement" && crossFile) {
        const specifier = node.childForFieldName("module_name")?.text;
        for (const item of node.childrenForFieldName("name")) {
          if (!item) continue;
          const name = item.type === "aliased_import" ? item.childForFieldName("name")?.text : item.text;
          const alias = item.type === "aliased_import" ? item.childForFieldName("alias")?.text : undefined;
          if (specifier && name) imports.set(alias ?? name, { specifier, name });
        }
      }
    } else {
      if (node.type === "const_spec" || node.type === "var_spec") {
        const names = node.childrenForFieldName("name").filter((n): n is Node => n?.type === "identifier");
        const values = args(node.childForFieldName("value"));
        names.forEach((name, i) =>
          bind(name.text, scopeOf(node, GO_SCOPES), values[i] ?? null, node.type === "const_spec"),
        );
      } else if (node.type === "short_var_declaration") {
        const names = args(node.childForFieldName("left"));
        const values = args(node.childForFieldName("right"));
        names.forEach((name, i) => {
          if (name.type === "identifier") bind(name.text, scopeOf(node, GO_SCOPES), values[i] ?? null, false);
        });
      } else if (node.type === "assignment_statement" || node.type === "inc_statement" || node.type === "dec_statement") {
        const left = node.childForFieldName("left") ?? args(node)[0];
        for (const id of left ? [left, ...args(left)] : []) if (id.type === "identifier") reassigned.add(id.text);
      } else if (node.type === "function_declaration") {
        const name = node.childForFieldName("name");
        if (name && !functions.has(name.text)) functions.set(name.text, node);
      }
    }
  }

  const functionTypes = family === "js" ? TS_FUNCTIONS : family === "go" ? GO_FUNCTIONS : new Set(["function_definition", "lambda"]);
  const scopeTypes = family === "js" ? TS_SCOPES : family === "go" ? GO_SCOPES : PY_SCOPES;

  /** True when `name` is a parameter of this function (which then shadows outer constants). */
  const hasParam = (fn: Node, name: string): boolean => {
    const params = fn.childForFieldName("parameters") ?? fn.childForFieldName("parameter");
    if (!params) return false;
    return new RegExp(`(^|[^\\w$])${name.replace(/[$]/g, "\\$")}([^\\w$]|$)`).test(params.text);
  };

  const definition = (id: Node): Node | undefined => {
    if (id.type !== "identifier" && id.type !== "shorthand_property_identifier") return undefined;
    const name = id.text;
    const candidates = bindings.get(name);
    if (!candidates) return undefined;
    let insideFunction = false;
    for (let scope: Node | null = id.parent; scope; scope = scope.parent) {
      if (functionTypes.has(scope.type) && hasParam(scope, name)) return undefined;
      if (scopeTypes.has(scope.type) || scope.id === root.id) {
        // Python class bodies are not visible from the methods inside them.
        if (family === "python" && scope.type === "class_definition" && insideFunction) continue;
        const here = candidates.filter((b) => b.scopeId === scope!.id);
        if (here.length === 1) {
          const b = here[0]!;
          if (!b.value || (!b.constant && reassigned.has(name))) return undefined;
          return b.value;
        }
        if (here.length > 1) return undefined; // assigned more than once: not a constant
      }
      if (family === "python" && scope.type === "function_definition") insideFunction = true;
    }
    return undefined;
  };

  const placeholder = (node: Node): Parts => ({ value: `\${${shortText(node.text, 40)}}`, dynamic: true });

  /** True when a parameter of an enclosing function is called `name`. */
  const shadowed = (id: Node, name: string): boolean => {
    for (let scope: Node | null = id.parent; scope; scope = scope.parent) {
      if (functionTypes.has(scope.type) && hasParam(scope, name)) return true;
    }
    return false;
  };

  /** An identifier with no binding in this file: an imported constant, or (Go) one of the package. */
  const external = (id: Node): Parts => {
    const name = id.text;
    if (!crossFile || bindings.has(name) || shadowed(id, name)) return placeholder(id);
    const imported = imports.get(name);
    const found = imported
      ? crossFile.imported(path, imported.specifier, imported.name)
      : family === "go" && !functions.has(name)
        ? crossFile.samePackage(path, name)
        : undefined;
    if (!found) return placeholder(id);
    return found.dynamic
      ? { value: found.value, dynamic: true }
      : { value: found.value, dynamic: false, external: { source: found.source, span: found.span } };
  };

  const join = (parts: Parts[]): Parts => {
    let value = "";
    let dynamic = false;
    for (const p of parts) {
      value += p.value;
      dynamic ||= p.dynamic;
      if (value.length > MAX_LENGTH) {
        value = value.slice(0, MAX_LENGTH);
        break;
      }
    }
    return { value, dynamic };
  };

  const apply = (inner: Parts, fn: (s: string) => string): Parts =>
    inner.dynamic
      ? { value: fn(inner.value), dynamic: true }
      : { value: fn(inner.value), dynamic: false, origin: inner.origin, external: inner.external };

  const listElements = (node: Node, depth: number): Parts[] | undefined => {
    let list: Node | undefined = unwrap(node);
    if (list.type === "identifier") list = definition(list);
    if (!list) return undefined;
    list = unwrap(list);
    if (!["array", "list", "tuple"].includes(list.type)) return undefined;
    const elements = args(list);
    if (elements.some((e) => e.type === "spread_element" || e.type === "list_splat")) return undefined;
    return elements.map((e) => evaluate(e, depth + 1));
  };

  /** `items` with `sep` between them, as `.join` / `strings.Join` would produce. */
  const interleave = (items: Parts[], sep: Parts): Parts =>
    join(items.flatMap((item, i) => (i > 0 ? [sep, item] : [item])));

  /** `left + right` in every language; any other operator is not evaluated. */
  const plus = (node: Node, depth: number): Parts => {
    if (node.childForFieldName("operator")?.text !== "+") return placeholder(node);
    const left = node.childForFieldName("left");
    const right = node.childForFieldName("right");
    if (!left || !right) return placeholder(node);
    return join([evaluate(left, depth + 1), evaluate(right, depth + 1)]);
  };

  const parenthesized = (node: Node, depth: number): Parts => {
    const inner = args(node)[0];
    return inner ? evaluate(inner, depth + 1) : placeholder(node);
  };

  /** A name: its constant's value in this file, else an imported or same-package constant. */
  const named = (node: Node, depth: number): Parts => {
    const value = definition(node);
    if (!value) return external(node);
    const known = evaluated.get(value.id);
    if (known) return known;
    const before = cuts;
    const result = evaluate(value, depth + 1);
    // A constant's value does not depend on where it is used, unless a bound cut it short.
    if (cuts === before) evaluated.set(value.id, result);
    return result;
  };

  const evaluateJs = (node: Node, depth: number): Parts => {
    switch (node.type) {
      case "string":
        return { value: decodeJsEscapes(node.text.slice(1, -1)), dynamic: false, origin: node };
      case "template_string": {
        const parts: Parts[] = [];
        for (const child of node.namedChildren) {
          if (!child) continue;
          if (child.type === "string_fragment") parts.push({ value: child.text, dynamic: false });
          else if (child.type === "escape_sequence") parts.push({ value: decodeJsEscapes(child.text), dynamic: false });
          else if (child.type === "template_substitution") {
            const inner = args(child)[0];
            parts.push(inner ? evaluate(inner, depth + 1) : placeholder(child));
          }
        }
        const joined = join(parts);
        return joined.dynamic ? joined : { ...joined, origin: node };
      }
      case "number":
        return { value: node.text, dynamic: false };
      case "binary_expression":
        return plus(node, depth);
      case "identifier":
      case "shorthand_property_identifier":
        return named(node, depth);
      case "member_expression": {
        // CONSTANTS.key where CONSTANTS is a const object literal.
        const object = node.childForFieldName("object");
        const property = node.childForFieldName("property");
        const member = object?.type === "identifier" && property ? enums.get(object.text)?.get(property.text) : undefined;
        if (member) return evaluate(member, depth + 1);
        const target = object?.type === "identifier" ? definition(object) : undefined;
        const literal = target ? unwrap(target) : undefined;
        if (literal?.type === "object" && property) {
          const pair = args(literal).find(
            (p) => p.type === "pair" && p.childForFieldName("key")?.text.replace(/^["']|["']$/g, "") === property.text,
          );
          const value = pair?.childForFieldName("value");
          if (value) return evaluate(value, depth + 1);
        }
        return placeholder(node);
      }
      case "call_expression": {
        const fn = node.childForFieldName("function");
        const callArgs = node.childForFieldName("arguments");
        // dedent`...` / outdent`...` tagged templates
        if (fn && callArgs?.type === "template_string") {
          if (/^(dedent|outdent|ts\.dedent)$/.test(fn.text)) return apply(evaluate(callArgs, depth + 1), (s) => dedent(s).replace(/^\n|\n[ \t]*$/g, ""));
          return placeholder(node);
        }
        if (fn?.type === "identifier" && /^(dedent|outdent)$/.test(fn.text)) {
          const first = args(callArgs)[0];
          if (first) return apply(evaluate(first, depth + 1), (s) => dedent(s).replace(/^\n|\n[ \t]*$/g, ""));
        }
        if (fn?.type === "member_expression") {
          const method = fn.childForFieldName("property")?.text;
          const object = fn.childForFieldName("object");
          const a = args(callArgs);
          if (!object) return placeholder(node);
          if (a.length === 0 && (method === "trim" || method === "trimStart" || method === "trimEnd" || method === "toString")) {
            const trim = method === "trim" ? (s: string) => s.trim() : method === "trimStart" ? (s: string) => s.trimStart() : method === "trimEnd" ? (s: string) => s.trimEnd() : (s: string) => s;
            return apply(evaluate(object, depth + 1), trim);
          }
          if (method === "join" && a.length <= 1) {
            const items = listElements(object, depth);
            if (items) return interleave(items, a[0] ? evaluate(a[0], depth + 1) : { value: ",", dynamic: false });
          }
          if (method === "concat") return join([evaluate(object, depth + 1), ...a.map((x) => evaluate(x, depth + 1))]);
        }
        return placeholder(node);
      }
      default:
        return placeholder(node);
    }
  };

  const evaluatePyString = (node: Node, depth: number): Parts => {
    const start = node.namedChildren.find((c) => c?.type === "string_start")?.text ?? '"';
    const prefix = start.replace(/["']+$/, "").toLowerCase();
    const raw = prefix.includes("r");
    const format = prefix.includes("f") || prefix.includes("t");
    const parts: Parts[] = [];
    for (const child of node.namedChildren) {
      if (!child) continue;
      if (child.type === "string_content") {
        let text = child.text;
        if (format) text = text.replace(/\{\{/g, "{").replace(/\}\}/g, "}");
        parts.push({ value: raw ? text : decodePyEscapes(text), dynamic: false });
      } else if (child.type === "interpolation") {
        const expr = child.childForFieldName("expression");
        const plain = !child.childForFieldName("type_conversion") && !child.childForFieldName("format_specifier");
        parts.push(expr && plain ? evaluate(expr, depth + 1) : placeholder(child));
      }
    }
    const joined = join(parts);
    return joined.dynamic ? joined : { ...joined, origin: node };
  };

  const evaluatePy = (node: Node, depth: number): Parts => {
    switch (node.type) {
      case "string":
        return evaluatePyString(node, depth);
      case "concatenated_string": {
        const joined = join(args(node).map((s) => evaluate(s, depth + 1)));
        return joined.dynamic ? joined : { ...joined, origin: node };
      }
      case "integer":
      case "float":
        return { value: node.text, dynamic: false };
      case "binary_operator":
        return plus(node, depth);
      case "parenthesized_expression":
        return parenthesized(node, depth);
      case "identifier":
        return named(node, depth);
      case "call": {
        const fn = node.childForFieldName("function");
        const a = args(node.childForFieldName("arguments"));
        if (!fn) return placeholder(node);
        const name = fn.text;
        if (/^(textwrap\.)?dedent$/.test(name) && a.length === 1) return apply(evaluate(a[0]!, depth + 1), dedent);
        if (/^(inspect\.)?cleandoc$/.test(name) && a.length === 1) return apply(evaluate(a[0]!, depth + 1), cleandoc);
        if (fn.type === "attribute") {
          const method = fn.childForFieldName("attribute")?.text;
          const object = fn.childForFieldName("object");
          if (!object) return placeholder(node);
          if (a.length === 0 && (method === "strip" || method === "lstrip" || method === "rstrip")) {
            const strip = method === "strip" ? (s: string) => s.trim() : method === "lstrip" ? (s: string) => s.trimStart() : (s: string) => s.trimEnd();
            return apply(evaluate(object, depth + 1), strip);
          }
          if (method === "join" && a.length === 1) {
            const items = listElements(a[0]!, depth);
            if (items) return interleave(items, evaluate(object, depth + 1));
          }
        }
        return placeholder(node);
      }
      default:
        return placeholder(node);
    }
  };

  const evaluateGo = (node: Node, depth: number): Parts => {
    switch (node.type) {
      case "interpreted_string_literal":
        return { value: decodeGoEscapes(node.text.slice(1, -1)), dynamic: false, origin: node };
      case "raw_string_literal":
        // Go drops carriage returns from raw strings.
        return { value: node.text.slice(1, -1).replace(/\r/g, ""), dynamic: false, origin: node };
      case "int_literal":
        return { value: node.text, dynamic: false };
      case "binary_expression":
        return plus(node, depth);
      case "parenthesized_expression":
        return parenthesized(node, depth);
      case "identifier":
        return named(node, depth);
      case "call_expression": {
        const fn = node.childForFieldName("function")?.text;
        const a = args(node.childForFieldName("arguments"));
        if (fn === "strings.TrimSpace" && a.length === 1) return apply(evaluate(a[0]!, depth + 1), (s) => s.trim());
        if (fn === "strings.Join" && a.length === 2) {
          const list = unwrap(a[0]!);
          const body = list.type === "composite_literal" ? list.childForFieldName("body") : null;
          if (body) {
            const items = args(body).map((item) => {
              const inner = item.type === "literal_element" ? args(item)[0] : item;
              return inner ? evaluate(inner, depth + 1) : placeholder(item);
            });
            return interleave(items, evaluate(a[1]!, depth + 1));
          }
        }
        return placeholder(node);
      }
      default:
        return placeholder(node);
    }
  };

  /** Values of constants already evaluated in full, by declaration node. */
  const evaluated = new Map<number, Parts>();
  /** How often a bound stopped evaluation; results computed while it grew are not remembered. */
  let cuts = 0;
  let steps = 0;
  let fileSteps = 0;

  function evaluate(node: Node, depth: number): Parts {
    if (depth > MAX_DEPTH || ++steps > MAX_STEPS || ++fileSteps > MAX_FILE_STEPS) {
      cuts++;
      return placeholder(node);
    }
    const target = family === "js" ? unwrap(node) : node;
    return family === "js" ? evaluateJs(target, depth) : family === "python" ? evaluatePy(target, depth) : evaluateGo(target, depth);
  }

  return {
    text(node: Node): ResolvedText {
      steps = 0;
      const result = evaluate(node, 0);
      // Point at the literal itself when the expression is a constant defined elsewhere:
      // that is where the maintainer edits the text.
      if (!result.origin && result.external) {
        return { value: result.value, dynamic: false, source: result.external.source, span: result.external.span };
      }
      const where = result.origin ?? node;
      const source = where.text.length > MAX_SOURCE ? `${where.text.slice(0, MAX_SOURCE)}…` : where.text;
      return { value: result.value, dynamic: result.dynamic, source, span: spanOf(where, path) };
    },
    definition,
    functionNamed: (name) => functions.get(name),
  };
}
