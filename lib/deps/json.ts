import { parseTree, printParseErrorCode, type Node, type ParseError } from "jsonc-parser";
import type { LineIndex } from "./text.js";

export type JsonParse = { ok: true; root: Node } | { ok: false; message: string };

/**
 * Parses JSON keeping node offsets, so one parse gives both the values and the line of every key.
 * Lenient about comments and trailing commas (hand-edited manifests), strict about everything else.
 */
export function parseJsonTree(text: string, lines: LineIndex): JsonParse {
  const errors: ParseError[] = [];
  let root: Node | undefined;
  try {
    root = parseTree(text, errors, { allowTrailingComma: true, disallowComments: false });
  } catch (err) {
    // Pathological nesting can exhaust the parser's stack; report it instead of crashing the scan.
    return { ok: false, message: `could not be parsed (${err instanceof Error ? err.message : String(err)})` };
  }
  if (errors.length > 0) {
    const first = errors[0];
    return { ok: false, message: `invalid JSON: ${printParseErrorCode(first.error)} at line ${lines.lineAt(first.offset)}` };
  }
  if (!root || root.type !== "object") return { ok: false, message: "invalid JSON: expected an object at the top level" };
  return { ok: true, root };
}

export interface JsonEntry {
  key: string;
  /** Offset of the key, for its line. */
  offset: number;
  value: Node;
}

/** The properties of an object node, in file order; empty for anything else. */
export function entriesOf(node: Node | undefined): JsonEntry[] {
  if (!node || node.type !== "object" || !node.children) return [];
  const out: JsonEntry[] = [];
  for (const prop of node.children) {
    const [k, v] = prop.children ?? [];
    if (k && v && typeof k.value === "string") out.push({ key: k.value, offset: k.offset, value: v });
  }
  return out;
}

/** The value node of `key` in an object node (the last one wins, as in JSON.parse). */
export function childOf(node: Node | undefined, key: string): Node | undefined {
  let found: Node | undefined;
  for (const e of entriesOf(node)) if (e.key === key) found = e.value;
  return found;
}

/** A string property, or undefined when absent or not a string. */
export function stringOf(node: Node | undefined, key: string): string | undefined {
  const v = childOf(node, key);
  return v?.type === "string" && typeof v.value === "string" ? v.value : undefined;
}

/** A boolean property that is literally true. */
export function isTrue(node: Node | undefined, key: string): boolean {
  const v = childOf(node, key);
  return v?.type === "boolean" && v.value === true;
}

/** A `{ name: "range" }` map as entries of strings (non-string values are dropped). */
export function stringMap(node: Node | undefined, key: string): { name: string; value: string; offset: number }[] {
  return entriesOf(childOf(node, key))
    .filter((e) => e.value.type === "string" && typeof e.value.value === "string")
    .map((e) => ({ name: e.key, value: e.value.value as string, offset: e.offset }));
}
