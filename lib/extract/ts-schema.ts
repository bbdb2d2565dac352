import type { Node } from "web-tree-sitter";
import { args, keyText, unwrap } from "./nodes.js";
import type { Resolver } from "./resolve.js";
import type { ToolParam } from "./types.js";
import { MAX_PARAMS, paramsFromProperties } from "./json-schema.js";

/**
 * Tool parameters from the schema shapes TS/JS servers use: zod raw shapes
 * (`{ p: z.string().describe("..") }`), `z.object({...})`, JSON Schema objects, and
 * mcp-framework's `{ p: { type: z.string(), description: ".." } }`.
 */


/** Object literal behind an expression, following constants; undefined when not static. */
export function objectLiteral(node: Node | null | undefined, resolver: Resolver, depth = 0): Node | undefined {
  if (!node || depth > 8) return undefined;
  const value = unwrap(node);
  if (value.type === "object") return value;
  if (value.type === "identifier") return objectLiteral(resolver.definition(value), resolver, depth + 1);
  return undefined;
}

/** Pairs of an object literal by key; spreads and computed keys are skipped. */
export function pairs(object: Node): Map<string, Node> {
  const out = new Map<string, Node>();
  for (const child of args(object)) {
    if (child.type === "pair") {
      const key = keyText(child.childForFieldName("key"));
      const value = child.childForFieldName("value");
      if (key !== undefined && value && !out.has(key)) out.set(key, value);
    } else if (child.type === "shorthand_property_identifier") {
      if (!out.has(child.text)) out.set(child.text, child);
    } else if (child.type === "method_definition") {
      const key = keyText(child.childForFieldName("name"));
      if (key !== undefined && !out.has(key)) out.set(key, child);
    }
  }
  return out;
}

interface ZodInfo {
  type?: string;
  description?: Node;
  optional: boolean;
}

/** Read a zod chain like `z.string().min(1).describe("x").optional()` in any order. */
export function readZod(node: Node, resolver: Resolver, depth = 0): ZodInfo | undefined {
  const info: ZodInfo = { optional: false };
  let current: Node | undefined = unwrap(node);
  for (let i = 0; current && i < 64; i++) {
    if (current.type === "identifier") {
      if (depth > 6) return undefined;
      const def = resolver.definition(current);
      if (!def) return info.type || info.description ? info : undefined;
      const inner = readZod(def, resolver, depth + 1);
      if (!inner) return undefined;
      return {
        type: inner.type,
        description: info.description ?? inner.description,
        optional: info.optional || inner.optional,
      };
    }
    if (current.type !== "call_expression") return undefined;
    const fn = current.childForFieldName("function");
    const callArgs = args(current.childForFieldName("arguments"));
    if (fn?.type !== "member_expression") return undefined;
    const method = fn.childForFieldName("property")?.text ?? "";
    const object = fn.childForFieldName("object");
    if (!object) return undefined;
    if (object.type === "identifier" && (object.text === "z" || object.text === "zod")) {
      // The base of the chain: z.string(), z.number(), z.optional(inner), ...
      if (method === "optional" || method === "nullish") {
        const inner = callArgs[0] ? readZod(callArgs[0], resolver, depth + 1) : undefined;
        return { type: inner?.type, description: info.description ?? inner?.description, optional: true };
      }
      info.type ??= method;
      return info;
    }
    if (method === "describe" && callArgs[0]) info.description ??= callArgs[0];
    else if (method === "optional" || method === "nullish" || method === "default" || method === "catch") info.optional = true;
    current = object;
  }
  return undefined;
}

/** Parameters from a zod raw shape `{ p: z.string() }`. */
export function paramsFromZodShape(shape: Node, resolver: Resolver): ToolParam[] {
  const params: ToolParam[] = [];
  for (const [name, value] of pairs(shape)) {
    if (params.length >= MAX_PARAMS) break;
    const literal = objectLiteral(value, resolver);
    if (literal) {
      // mcp-framework: { p: { type: z.string(), description: "..." } }
      const fields = pairs(literal);
      const typeNode = fields.get("type");
      const zod = typeNode ? readZod(typeNode, resolver) : undefined;
      const param: ToolParam = { name, required: zod ? !zod.optional : undefined };
      if (zod?.type) param.type = zod.type;
      const description = fields.get("description") ?? zod?.description;
      if (description) param.description = resolver.text(description);
      params.push(param);
      continue;
    }
    const zod = readZod(value, resolver);
    const param: ToolParam = { name, required: zod ? !zod.optional : undefined };
    if (zod?.type) param.type = zod.type;
    if (zod?.description) param.description = resolver.text(zod.description);
    params.push(param);
  }
  return params;
}

/** Parameters from a JSON Schema object `{ type: "object", properties, required }`. */
export function paramsFromJsonSchema(schema: Node, resolver: Resolver): ToolParam[] {
  const fields = pairs(schema);
  const properties = objectLiteral(fields.get("properties"), resolver);
  if (!properties) return [];
  const requiredNode = fields.get("required");
  const list = requiredNode ? unwrap(requiredNode) : undefined;
  return paramsFromProperties(pairs(properties), list?.type === "array" ? args(list) : [], (value) => {
    const prop = objectLiteral(value, resolver);
    return prop ? pairs(prop) : undefined;
  }, resolver);
}

/** Parameters from any schema expression: shape, z.object(...), JSON Schema, or a constant naming one. */
export function paramsFromSchema(node: Node | undefined, resolver: Resolver, depth = 0): ToolParam[] {
  if (!node || depth > 6) return [];
  const value = unwrap(node);
  if (value.type === "identifier") {
    const def = resolver.definition(value);
    return def ? paramsFromSchema(def, resolver, depth + 1) : [];
  }
  if (value.type === "member_expression" && value.childForFieldName("property")?.text === "shape") {
    return paramsFromSchema(value.childForFieldName("object") ?? undefined, resolver, depth + 1);
  }
  if (value.type === "call_expression") {
    // zodToJsonSchema(Schema) / z.toJSONSchema(Schema): the parameters are the zod schema's.
    const callee = value.childForFieldName("function")?.text ?? "";
    if (/(^|\.)(zodToJsonSchema|toJSONSchema|toJsonSchema|zodToJSONSchema)$/.test(callee)) {
      return paramsFromSchema(args(value.childForFieldName("arguments"))[0], resolver, depth + 1);
    }
    // z.object({...}) possibly followed by .strict(), .describe(), ...
    let current: Node | null = value;
    for (let i = 0; current && current.type === "call_expression" && i < 32; i++) {
      const fn: Node | null = current.childForFieldName("function");
      if (fn?.type !== "member_expression") return [];
      const object = fn.childForFieldName("object");
      if (object?.type === "identifier" && (object.text === "z" || object.text === "zod")) {
        if (fn.childForFieldName("property")?.text !== "object") return [];
        const shape = objectLiteral(args(current.childForFieldName("arguments"))[0], resolver);
        return shape ? paramsFromZodShape(shape, resolver) : [];
      }
      current = object;
    }
    return [];
  }
  if (value.type === "object") {
    const fields = pairs(value);
    const type = fields.get("type");
    if (fields.has("properties") && (!type || /^["'`]object["'`]$/.test(type.text))) {
      return paramsFromJsonSchema(value, resolver);
    }
    return paramsFromZodShape(value, resolver);
  }
  return [];
}

/** Boolean literal hints from an annotations object. */
export function annotationsFrom(node: Node | undefined, resolver: Resolver): Record<string, boolean> {
  const out: Record<string, boolean> = {};
  const object = objectLiteral(node, resolver);
  if (!object) return out;
  for (const [key, value] of pairs(object)) {
    const v = unwrap(value);
    if (v.type === "true" || v.type === "false") out[key] = v.type === "true";
  }
  return out;
}
