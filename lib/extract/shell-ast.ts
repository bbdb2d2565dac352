import type { Node } from "web-tree-sitter";
import type { SourceLanguage, Span } from "./types.js";

/** The three syntax families our front ends handle; TS, TSX and JS share node types. */
export type Family = "js" | "python" | "go";

export function familyOf(lang: SourceLanguage): Family {
  if (lang === "python") return "python";
  if (lang === "go") return "go";
  return "js";
}

export function spanOf(node: Node, path: string): Span {
  return { path, line: node.startPosition.row + 1, endLine: node.endPosition.row + 1 };
}

/** Collapse whitespace and cut to `max` characters, so evidence stays one short line. */
export function clip(text: string, max = 200): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1)}…`;
}

/**
 * The call as a maintainer sees it: from the start of its first line (so `const out = ` stays
 * visible) to the end of the call, at most three lines, whitespace collapsed, <= 200 chars.
 */
export function snippetOf(call: Node, text: string): string {
  const lineStart = text.lastIndexOf("\n", call.startIndex - 1) + 1;
  let end = call.endIndex;
  let newlines = 0;
  for (let i = lineStart; i < end; i++) {
    if (text.charCodeAt(i) === 10 && ++newlines === 3) {
      end = i;
      break;
    }
  }
  return clip(text.slice(lineStart, end));
}

/** Named children, skipping comments (tree-sitter keeps them as extra nodes). */
export function args(node: Node | null): Node[] {
  if (!node) return [];
  return node.namedChildren.filter((c): c is Node => c !== null && c.type !== "comment");
}

export function field(node: Node, name: string): Node | null {
  return node.childForFieldName(name);
}

/** Value of a plain string literal (no interpolation) in any of our languages; undefined otherwise. */
export function literalString(node: Node | null): string | undefined {
  if (!node) return undefined;
  switch (node.type) {
    case "string": {
      // JS: string_fragment/escape_sequence children; Python: string_start/content/end.
      let out = "";
      for (const c of args(node)) {
        if (c.type === "string_fragment" || c.type === "string_content") out += c.text;
        else if (c.type === "escape_sequence") out += unescape(c.text);
        else if (c.type === "interpolation") return undefined;
        else if (c.type === "string_start" || c.type === "string_end") continue;
        else return undefined;
      }
      return out;
    }
    case "template_string": {
      let out = "";
      for (const c of args(node)) {
        if (c.type === "string_fragment") out += c.text;
        else if (c.type === "escape_sequence") out += unescape(c.text);
        else return undefined;
      }
      return out;
    }
    case "interpreted_string_literal": {
      let out = "";
      for (const c of args(node)) {
        if (c.type === "interpreted_string_literal_content") out += c.text;
        else if (c.type === "escape_sequence") out += unescape(c.text);
        else return undefined;
      }
      return out;
    }
    case "raw_string_literal":
      return args(node)
        .map((c) => c.text)
        .join("");
    case "concatenated_string": {
      let out = "";
      for (const c of args(node)) {
        const part = literalString(c);
        if (part === undefined) return undefined;
        out += part;
      }
      return out;
    }
    case "parenthesized_expression":
      return args(node).length === 1 ? literalString(args(node)[0]) : undefined;
    default:
      return undefined;
  }
}

/** Text of one literal piece of a string or template (`string_fragment`, `escape_sequence`). */
export function fragmentText(node: Node): string {
  return node.type === "escape_sequence" ? unescape(node.text) : node.text;
}

function unescape(seq: string): string {
  const simple: Record<string, string> = { n: "\n", t: "\t", r: "\r", "0": "\0" };
  const c = seq.slice(1);
  return simple[c] ?? c;
}

/** Iterative pre-order walk (deep trees must not overflow the stack). `enter` returns false to skip children. */
export function walk(root: Node, enter: (node: Node) => boolean | void): void {
  const stack: Node[] = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (enter(node) === false) continue;
    const kids = node.namedChildren;
    for (let i = kids.length - 1; i >= 0; i--) {
      const k = kids[i];
      if (k) stack.push(k);
    }
  }
}

/** True when `inner` lies within `outer` (same tree). */
export function contains(outer: Node, inner: Node): boolean {
  return inner.startIndex >= outer.startIndex && inner.endIndex <= outer.endIndex;
}
