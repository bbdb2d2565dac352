import type { Node } from "web-tree-sitter";
import { args, spanOf, unwrap } from "./nodes.js";
import type { Resolver } from "./resolve.js";
import type { HandlerRef } from "./types.js";

/** JS/TS function node kinds that can be a tool handler. */
export const JS_FUNCTION_TYPES = new Set([
  "arrow_function",
  "function_expression",
  "function",
  "generator_function",
  "function_declaration",
  "method_definition",
]);

/** Local names a JS/TS parameter pattern binds (`{ path, mode: m }` -> path, m). */
export function jsBindingNames(node: Node | null): string[] {
  if (!node) return [];
  switch (node.type) {
    case "identifier":
    case "shorthand_property_identifier_pattern":
      return [node.text];
    case "required_parameter":
    case "optional_parameter":
      return jsBindingNames(node.childForFieldName("pattern"));
    case "pair_pattern":
      return jsBindingNames(node.childForFieldName("value"));
    case "assignment_pattern":
    case "object_assignment_pattern":
      return jsBindingNames(node.childForFieldName("left"));
    case "object_pattern":
    case "array_pattern":
    case "rest_pattern":
    case "formal_parameters":
      return args(node).flatMap(jsBindingNames);
    default:
      return [];
  }
}

function jsFunctionRef(fn: Node, path: string): HandlerRef {
  const params = fn.childForFieldName("parameters") ?? fn.childForFieldName("parameter");
  return { span: spanOf(fn, path), params: jsBindingNames(params) };
}

/** The method of that name in the class enclosing `from`. */
function enclosingMethod(from: Node, name: string): Node | undefined {
  for (let n: Node | null = from.parent; n; n = n.parent) {
    if (n.type === "class_body") {
      return args(n).find((m) => m.type === "method_definition" && m.childForFieldName("name")?.text === name) ??
        args(n)
          .filter((m) => m.type === "public_field_definition" && m.childForFieldName("name")?.text === name)
          .map((m) => m.childForFieldName("value"))
          .find((v): v is Node => !!v && JS_FUNCTION_TYPES.has(unwrap(v).type));
    }
  }
  return undefined;
}

/**
 * Locate the function a JS/TS handler expression refers to: an inline function, a function
 * or const declared in the same file, `this.method`, or `fn.bind(this)`.
 */
export function jsHandler(node: Node | null | undefined, resolver: Resolver, path: string, depth = 0): HandlerRef | undefined {
  if (!node || depth > 6) return undefined;
  const value = unwrap(node);
  if (JS_FUNCTION_TYPES.has(value.type)) return jsFunctionRef(value, path);
  if (value.type === "identifier") {
    const fn = resolver.functionNamed(value.text) ?? resolver.definition(value);
    return fn ? jsHandler(fn, resolver, path, depth + 1) : undefined;
  }
  if (value.type === "member_expression" && value.childForFieldName("object")?.type === "this") {
    const method = enclosingMethod(value, value.childForFieldName("property")?.text ?? "");
    return method ? jsHandler(method, resolver, path, depth + 1) : undefined;
  }
  if (value.type === "call_expression") {
    const fn = value.childForFieldName("function");
    if (fn?.type === "member_expression" && fn.childForFieldName("property")?.text === "bind") {
      return jsHandler(fn.childForFieldName("object"), resolver, path, depth + 1);
    }
  }
  return undefined;
}

/** Could this expression be a function passed as a handler? (shape check only) */
export function looksLikeJsHandler(node: Node): boolean {
  const value = unwrap(node);
  if (JS_FUNCTION_TYPES.has(value.type)) return true;
  if (value.type === "identifier" || value.type === "member_expression") return true;
  if (value.type === "call_expression") {
    const fn = value.childForFieldName("function");
    return fn?.type === "member_expression" && fn.childForFieldName("property")?.text === "bind";
  }
  return false;
}
