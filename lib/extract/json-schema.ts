import type { Node } from "web-tree-sitter";
import type { Resolver } from "./resolve.js";
import type { ToolParam } from "./types.js";

/** More parameters than this in one schema is not a real tool; stop reading. */
export const MAX_PARAMS = 200;

/**
 * Parameters of a JSON-Schema `properties` map, written as a TS object literal or a Python
 * dict: the language front ends find the pieces, this reads them the same way for both.
 */
export function paramsFromProperties(
  properties: Map<string, Node>,
  requiredItems: readonly Node[],
  propertyFields: (value: Node) => Map<string, Node> | undefined,
  resolver: Resolver,
): ToolParam[] {
  const required = new Set<string>();
  for (const item of requiredItems) {
    const text = resolver.text(item);
    if (!text.dynamic) required.add(text.value);
  }
  const params: ToolParam[] = [];
  for (const [name, value] of properties) {
    if (params.length >= MAX_PARAMS) break;
    const param: ToolParam = { name, required: required.has(name) };
    const fields = propertyFields(value);
    const type = fields?.get("type");
    if (type) {
      const t = resolver.text(type);
      if (!t.dynamic) param.type = t.value;
    }
    const description = fields?.get("description");
    if (description) param.description = resolver.text(description);
    params.push(param);
  }
  return params;
}
