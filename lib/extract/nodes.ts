import type { Node } from "web-tree-sitter";
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
 * Named nodes of the given types under `root` (itself included), in the order `walk` visits
 * them. The search runs inside tree-sitter and hands over only the matches, which is far
 * cheaper than a JS walk over every node; anonymous tokens spelled like a type (`function`)
 * are dropped.
 */
export function namedDescendants(root: Node, types: readonly string[]): Node[] {
  const out: Node[] = [];
  for (const node of root.descendantsOfType(types as string[])) if (node?.isNamed) out.push(node);
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
