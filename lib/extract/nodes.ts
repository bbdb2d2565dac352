import type { Language, Node, Tree } from "web-tree-sitter";
import type { Span } from "./types.js";

/** Span of a node, 1-based lines. */
export function spanOf(node: Node, path: string): Span {
  return { path, line: node.startPosition.row + 1, endLine: node.endPosition.row + 1 };
}

/** Named children without comments, which tree-sitter attaches anywhere. */
export function args(node: Node | null | undefined): Node[] {
  if (!node) return [];
  return node.namedChildren.filter((c): c is Node => c !== null && c.type !== "comment");
}

/**
 * Depth-first walk over named nodes, iterative so deeply nested (hostile) code cannot
 * overflow the stack. `visit` returning false skips the node's children.
 */
export function walk(root: Node, visit: (node: Node) => boolean | void): void {
  const stack: Node[] = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (visit(node) === false) continue;
    const children = node.namedChildren;
    for (let i = children.length - 1; i >= 0; i--) {
      const child = children[i];
      if (child) stack.push(child);
    }
  }
}

/**
 * Node types the whole-file passes (declaration index, tools, surface, shell calls, transport,
 * data-flow entries) look for. One native search per file finds them all; each pass then
 * filters that list instead of searching the tree again.
 */
const FILE_INDEX_TYPES = [
  // TypeScript / JavaScript
  "variable_declarator", "assignment_expression", "augmented_assignment_expression", "update_expression",
  "function_declaration", "generator_function_declaration", "function_expression", "function", "arrow_function",
  "method_definition", "generator_function", "import_statement", "enum_declaration", "new_expression",
  "call_expression", "pair", "member_expression", "subscript_expression", "class_declaration", "class",
  "abstract_class_declaration",
  // Python
  "assignment", "augmented_assignment", "global_statement", "nonlocal_statement", "function_definition",
  "import_from_statement", "call", "attribute", "subscript", "decorated_definition",
  // Go
  "const_spec", "var_spec", "short_var_declaration", "assignment_statement", "inc_statement", "dec_statement",
  "keyed_element", "index_expression", "composite_literal",
];
const FILE_INDEX_SET = new Set(FILE_INDEX_TYPES);

interface TypedNodes {
  nodes: Node[];
  types: string[];
}

/** Per parsed tree: the indexed nodes under its root (trees are immutable once parsed). */
const fileIndexes = new WeakMap<Tree, { rootId: number; index: TypedNodes }>();
/** Per grammar: whether a type name is also spelled by an anonymous token (`function`, `class`). */
const anonymousSpelling = new WeakMap<Language, Map<string, boolean>>();

function hasAnonymousSpelling(language: Language, type: string): boolean {
  let known = anonymousSpelling.get(language);
  if (!known) anonymousSpelling.set(language, (known = new Map()));
  let answer = known.get(type);
  if (answer === undefined) known.set(type, (answer = language.idForNodeType(type, false) !== null));
  return answer;
}

/** Named nodes of `types` under `root` with their types, in pre-order (one native search). */
function search(root: Node, types: readonly string[]): TypedNodes {
  const out: TypedNodes = { nodes: [], types: [] };
  const language = root.tree.language;
  for (const node of root.descendantsOfType(types as string[])) {
    if (!node) continue;
    const type = node.type;
    // descendantsOfType matches by name, so `function` also finds the keyword token.
    if (hasAnonymousSpelling(language, type) && !node.isNamed) continue;
    out.nodes.push(node);
    out.types.push(type);
  }
  return out;
}

function fileIndex(root: Node): TypedNodes | undefined {
  const tree = root.tree;
  const known = fileIndexes.get(tree);
  if (known) return known.rootId === root.id ? known.index : undefined;
  if (tree.rootNode.id !== root.id) return undefined;
  const index = search(root, FILE_INDEX_TYPES);
  fileIndexes.set(tree, { rootId: root.id, index });
  return index;
}

/**
 * Named nodes of the given types under `root` (itself included), in the order `walk` visits
 * them. The search runs inside tree-sitter and hands over only the matches, which is far
 * cheaper than a JS walk over every node; searches from a file's root share one search.
 */
export function namedDescendants(root: Node, types: readonly string[]): Node[] {
  const index = types.every((t) => FILE_INDEX_SET.has(t)) ? fileIndex(root) : undefined;
  const found = index ?? search(root, types);
  const wanted = new Set(types);
  const out: Node[] = [];
  for (let i = 0; i < found.nodes.length; i++) if (wanted.has(found.types[i]!)) out.push(found.nodes[i]!);
  return out;
}

/** Strip wrappers that do not change a value: parentheses, `as`, `satisfies`, `!`. */
export function unwrap(node: Node): Node {
  let current = node;
  for (let i = 0; i < 64; i++) {
    switch (current.type) {
      case "parenthesized_expression":
      case "as_expression":
      case "satisfies_expression":
      case "non_null_expression":
      case "type_assertion": {
        const named = args(current);
        // `<T>x` puts the type first; every other wrapper puts the value first.
        const inner = current.type === "type_assertion" ? named[named.length - 1] : named[0];
        if (!inner) return current;
        current = inner;
        continue;
      }
      default:
        return current;
    }
  }
  return current;
}

/** Key of an object pair / keyword / keyed element as plain text ("name", 'name', name). */
export function keyText(node: Node | null): string | undefined {
  if (!node) return undefined;
  const text = node.text;
  if (node.type === "string" || /^["'`].*["'`]$/s.test(text)) return text.slice(1, -1);
  return text;
}

/** Text trimmed to a length, on one line, for messages and placeholders. */
export function shortText(text: string, max = 60): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}
