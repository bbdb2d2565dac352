import type { Node } from "web-tree-sitter";
import { JS_FUNCTION_TYPES } from "./handler.js";
import { args, keyText, unwrap, walk } from "./nodes.js";
import type { Resolver } from "./resolve.js";
import { objectLiteral } from "./ts-schema.js";

/**
 * What a low-level list handler returns (`setRequestHandler(ListToolsRequestSchema, () =>
 * ({ tools: [...] }))`): the object literals of the array under one key.
 */

/** An array literal, directly or through constants. */
export function resolveArray(node: Node, resolver: Resolver, depth = 0): Node | undefined {
  const value = unwrap(node);
  if (value.type === "array") return value;
  if ((value.type === "identifier" || value.type === "shorthand_property_identifier") && depth < 6) {
    const def = resolver.definition(value);
    return def ? resolveArray(def, resolver, depth + 1) : undefined;
  }
  return undefined;
}

/** Object literals listed under `key` in what a list handler returns. */
export function listedObjects(handler: Node | undefined, key: string, resolver: Resolver): Node[] {
  const fn = handler ? unwrap(handler) : undefined;
  if (!fn) return [];
  const body = JS_FUNCTION_TYPES.has(fn.type) ? fn : fn.type === "identifier" ? resolver.functionNamed(fn.text) ?? resolver.definition(fn) : undefined;
  if (!body) return [];
  const out: Node[] = [];
  const seen = new Set<number>();
  const addFrom = (list: Node | null | undefined) => {
    const array = list ? resolveArray(list, resolver) : undefined;
    if (!array || seen.has(array.id)) return;
    seen.add(array.id);
    for (const element of args(array)) {
      const object = objectLiteral(element, resolver);
      if (object) out.push(object);
    }
  };
  walk(body, (node) => {
    if (node.type === "pair" && keyText(node.childForFieldName("key")) === key) addFrom(node.childForFieldName("value"));
    else if (node.type === "shorthand_property_identifier" && node.text === key) addFrom(node);
  });
  return out;
}
