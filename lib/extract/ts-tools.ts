import type { Node } from "web-tree-sitter";
import { JS_FUNCTION_TYPES, jsHandler, looksLikeJsHandler } from "./handler.js";
import { args, namedDescendants, spanOf, unwrap, walk } from "./nodes.js";
import type { Resolver } from "./resolve.js";
import { annotationsFrom, objectLiteral, pairs, paramsFromSchema } from "./ts-schema.js";
import { listedObjects } from "./ts-lists.js";
import type { ResolvedText, ToolDefinition } from "./types.js";

/**
 * Tool definitions in TS/JS: the official SDK (`tool`, `registerTool`, low-level
 * `setRequestHandler(ListToolsRequestSchema, ...)`), fastmcp (`addTool`), and mcp-framework
 * (`class X extends MCPTool`). Each API is recognised by its call shape, not by the receiver's
 * name, so unrelated `.tool(...)` calls with other shapes are left alone.
 */

type Kind = "string" | "object" | "unknown" | "other";

const SCHEMA_NAME = /schema|shape|params|parameters|input|args|arguments|fields|props/i;

const OTHER_TYPES = new Set([
  "number",
  "true",
  "false",
  "null",
  "undefined",
  "array",
  "regex",
  "arrow_function",
  "function_expression",
  "function",
]);

function classify(node: Node, resolver: Resolver, depth = 0): Kind {
  const value = unwrap(node);
  switch (value.type) {
    case "string":
    case "template_string":
      return "string";
    case "object":
      return "object";
    case "binary_expression": {
      const op = value.childForFieldName("operator")?.text;
      return op === "+" ? "string" : op === "??" || op === "||" ? "unknown" : "other";
    }
    case "ternary_expression":
      return "unknown";
    case "identifier": {
      const def = depth < 6 ? resolver.definition(value) : undefined;
      return def ? classify(def, resolver, depth + 1) : "unknown";
    }
    case "member_expression":
      return resolver.text(value).dynamic ? "unknown" : "string";
    case "call_expression": {
      const fn = value.childForFieldName("function");
      const text = fn?.text ?? "";
      if (/^(z|zod)\.object$/.test(text) || /\.(strict|passthrough)$/.test(text)) return "object";
      if (/\.(join|trim|trimStart|trimEnd|concat|toString)$/.test(text) || /^(dedent|outdent)$/.test(text)) return "string";
      if (value.childForFieldName("arguments")?.type === "template_string") return "string";
      return "unknown";
    }
    default:
      return OTHER_TYPES.has(value.type) ? "other" : "unknown";
  }
}

/** A literal-ish string (resolves statically, or is written as a string). */
function isLiteralString(node: Node, resolver: Resolver): boolean {
  return classify(node, resolver) === "string";
}

function nameOf(node: Node, resolver: Resolver): { name: string | null; text: ResolvedText } {
  const text = resolver.text(node);
  return { name: text.dynamic ? null : text.value, text };
}

function methodCall(node: Node): { method: string; callArgs: Node[] } | undefined {
  const fn = node.childForFieldName("function");
  if (fn?.type !== "member_expression") return undefined;
  const method = fn.childForFieldName("property")?.text;
  if (!method) return undefined;
  return { method, callArgs: args(node.childForFieldName("arguments")) };
}

/** server.tool(name, [description], [paramsSchema], [annotations], handler) */
function sdkTool(call: Node, callArgs: Node[], resolver: Resolver, path: string): ToolDefinition | undefined {
  if (callArgs.length < 2 || callArgs.length > 5) return undefined;
  const first = callArgs[0]!;
  const last = callArgs[callArgs.length - 1]!;
  const firstKind = classify(first, resolver);
  if (firstKind !== "string" && firstKind !== "unknown") return undefined;
  if (!looksLikeJsHandler(last)) return undefined;
  // An unresolved name and a handler we cannot see is too weak a shape to call it a tool.
  if (firstKind === "unknown" && !JS_FUNCTION_TYPES.has(unwrap(last).type)) return undefined;
  if (firstKind === "unknown" && unwrap(first).type !== "identifier" && unwrap(first).type !== "member_expression") {
    return undefined;
  }
  const middle = callArgs.slice(1, -1);
  const kinds = middle.map((m) => classify(m, resolver));
  if (kinds.includes("other")) return undefined;

  let description: Node | undefined;
  let schema: Node | undefined;
  let annotations: Node | undefined;
  if (middle.length === 1) {
    // An unresolved identifier: schemas are conventionally named so (FooSchema, params, shape).
    const looksDescription = kinds[0] === "string" || (kinds[0] === "unknown" && !SCHEMA_NAME.test(middle[0]!.text));
    if (looksDescription) description = middle[0];
    else schema = middle[0];
  } else if (middle.length === 2) {
    if (kinds[0] === "string" || (kinds[0] === "unknown" && kinds[1] !== "string")) {
      if (kinds[0] === "unknown" && kinds[1] === "object" && SCHEMA_NAME.test(middle[0]!.text)) {
        [schema, annotations] = middle;
      } else {
        [description, schema] = middle;
      }
    } else if (kinds[0] === "object" && kinds[1] !== "string") {
      [schema, annotations] = middle;
    } else return undefined;
  } else if (middle.length === 3) {
    if (kinds[0] === "object" || kinds[1] === "string" || kinds[2] === "string") return undefined;
    [description, schema, annotations] = middle;
  }
  const { name } = nameOf(first, resolver);
  const tool: ToolDefinition = {
    name,
    params: paramsFromSchema(schema, resolver),
    annotations: annotationsFrom(annotations, resolver),
    api: "ts-sdk.tool",
    span: spanOf(call, path),
  };
  if (description) tool.description = resolver.text(description);
  const titleNode = annotations ? objectLiteral(annotations, resolver) : undefined;
  const title = titleNode ? pairs(titleNode).get("title") : undefined;
  if (title) tool.title = resolver.text(title);
  const handler = jsHandler(last, resolver, path);
  if (handler) tool.handler = handler;
  return tool;
}

/** server.registerTool(name, { title, description, inputSchema, annotations }, handler) */
function sdkRegisterTool(call: Node, callArgs: Node[], resolver: Resolver, path: string): ToolDefinition | undefined {
  if (callArgs.length < 2 || callArgs.length > 3) return undefined;
  const [first, configNode, handlerNode] = callArgs as [Node, Node, Node | undefined];
  const firstKind = classify(first, resolver);
  if (firstKind !== "string" && firstKind !== "unknown") return undefined;
  const config = objectLiteral(configNode, resolver);
  if (!config) return undefined;
  const fields = pairs(config);
  if (fields.size > 0 && !["title", "description", "inputSchema", "outputSchema", "annotations", "_meta"].some((k) => fields.has(k))) {
    return undefined;
  }
  if (handlerNode && !looksLikeJsHandler(handlerNode)) return undefined;
  return toolFromConfig(call, nameOf(first, resolver).name, fields, "inputSchema", "ts-sdk.registerTool", handlerNode, resolver, path);
}

function toolFromConfig(
  at: Node,
  name: string | null,
  fields: Map<string, Node>,
  schemaKey: string,
  api: string,
  handlerNode: Node | undefined,
  resolver: Resolver,
  path: string,
): ToolDefinition {
  const annotationsNode = fields.get("annotations");
  const tool: ToolDefinition = {
    name,
    params: paramsFromSchema(fields.get(schemaKey), resolver),
    annotations: annotationsFrom(annotationsNode, resolver),
    api,
    span: spanOf(at, path),
  };
  const description = fields.get("description");
  if (description) tool.description = resolver.text(description);
  const annotationsObject = objectLiteral(annotationsNode, resolver);
  const title = fields.get("title") ?? (annotationsObject ? pairs(annotationsObject).get("title") : undefined);
  if (title) tool.title = resolver.text(title);
  const handler = handlerNode ? jsHandler(handlerNode, resolver, path) : undefined;
  if (handler) tool.handler = handler;
  return tool;
}

/** fastmcp: server.addTool({ name, description, parameters, execute }) */
function fastmcpAddTool(call: Node, callArgs: Node[], resolver: Resolver, path: string): ToolDefinition | undefined {
  if (callArgs.length !== 1) return undefined;
  const config = objectLiteral(callArgs[0], resolver);
  if (!config) return undefined;
  const fields = pairs(config);
  const nameNode = fields.get("name");
  if (!nameNode || !(fields.has("execute") || fields.has("description"))) return undefined;
  if (classify(nameNode, resolver) === "other" || classify(nameNode, resolver) === "object") return undefined;
  return toolFromConfig(call, nameOf(nameNode, resolver).name, fields, "parameters", "fastmcp.addTool", fields.get("execute"), resolver, path);
}

/** Tool objects listed by a low-level `setRequestHandler(ListToolsRequestSchema, ...)`. */
function listToolsHandler(callArgs: Node[], resolver: Resolver, path: string): ToolDefinition[] {
  const tools: ToolDefinition[] = [];
  for (const object of listedObjects(callArgs[1], "tools", resolver)) {
    const fields = pairs(object);
    const nameNode = fields.get("name");
    if (!nameNode) continue;
    tools.push(toolFromConfig(object, nameOf(nameNode, resolver).name, fields, "inputSchema", "ts-sdk.listTools", undefined, resolver, path));
  }
  return tools;
}

/**
 * Low-level `setRequestHandler(CallToolRequestSchema, ...)`: map `case "name":` and
 * `if (name === "name")` blocks to tool names, so code facts can be tied to a tool.
 */
function callToolBranches(callArgs: Node[], resolver: Resolver, path: string): Map<string, { node: Node; params: string[] }> {
  const out = new Map<string, { node: Node; params: string[] }>();
  const fnNode = callArgs[1] ? unwrap(callArgs[1]) : undefined;
  if (!fnNode) return out;
  const fn = JS_FUNCTION_TYPES.has(fnNode.type) ? fnNode : fnNode.type === "identifier" ? resolver.functionNamed(fnNode.text) : undefined;
  if (!fn) return out;
  const params = jsHandler(fn, resolver, path)?.params ?? [];
  walk(fn, (node) => {
    if (node.type === "switch_case") {
      const value = node.childForFieldName("value");
      const text = value ? resolver.text(value) : undefined;
      if (text && !text.dynamic && !out.has(text.value)) out.set(text.value, { node, params });
    } else if (node.type === "if_statement") {
      const condition = node.childForFieldName("condition");
      const test = condition ? unwrap(args(condition)[0] ?? condition) : undefined;
      if (test?.type === "binary_expression" && /^(===|==)$/.test(test.childForFieldName("operator")?.text ?? "")) {
        for (const side of [test.childForFieldName("left"), test.childForFieldName("right")]) {
          if (side && isLiteralString(side, resolver)) {
            const text = resolver.text(side);
            const consequence = node.childForFieldName("consequence");
            if (!text.dynamic && consequence && !out.has(text.value)) out.set(text.value, { node: consequence, params });
          }
        }
      }
    }
  });
  return out;
}

/** mcp-framework: class X extends MCPTool { name = ...; description = ...; schema = ...; execute() } */
function mcpFrameworkClass(cls: Node, resolver: Resolver, path: string): ToolDefinition | undefined {
  const heritage = args(cls).find((c) => c.type === "class_heritage");
  const extendsClause = heritage ? args(heritage).find((c) => c.type === "extends_clause") ?? heritage : undefined;
  const base = extendsClause ? args(extendsClause)[0] : undefined;
  if (!base || !/(^|\.)MCPTool$/.test(base.text)) return undefined;
  const body = cls.childForFieldName("body");
  const fields = new Map<string, Node>();
  let execute: Node | undefined;
  for (const member of args(body)) {
    const key = member.childForFieldName("name")?.text;
    if (!key) continue;
    if (member.type === "public_field_definition" || member.type === "field_definition") {
      const value = member.childForFieldName("value");
      if (value && !fields.has(key)) fields.set(key, value);
    } else if (member.type === "method_definition" && key === "execute") {
      execute = member;
    }
  }
  const nameNode = fields.get("name");
  const tool: ToolDefinition = {
    name: nameNode ? nameOf(nameNode, resolver).name : null,
    params: paramsFromSchema(fields.get("schema"), resolver),
    annotations: annotationsFrom(fields.get("annotations"), resolver),
    api: "mcp-framework.MCPTool",
    span: spanOf(cls, path),
  };
  const description = fields.get("description");
  if (description) tool.description = resolver.text(description);
  const title = fields.get("title");
  if (title) tool.title = resolver.text(title);
  if (execute) tool.handler = jsHandler(execute, resolver, path);
  if (!tool.handler) delete tool.handler;
  return tool;
}

export function extractJsTools(root: Node, resolver: Resolver, path: string): ToolDefinition[] {
  const tools: ToolDefinition[] = [];
  const branches: Map<string, { node: Node; params: string[] }>[] = [];
  for (const node of namedDescendants(root, ["call_expression", "class_declaration", "class", "abstract_class_declaration"])) {
    if (node.type === "call_expression") {
      const call = methodCall(node);
      if (!call) continue;
      let found: ToolDefinition | undefined;
      if (call.method === "tool") found = sdkTool(node, call.callArgs, resolver, path);
      else if (call.method === "registerTool") found = sdkRegisterTool(node, call.callArgs, resolver, path);
      else if (call.method === "addTool") found = fastmcpAddTool(node, call.callArgs, resolver, path);
      else if (call.method === "setRequestHandler" && call.callArgs.length === 2) {
        const schema = call.callArgs[0]!.text;
        if (/(^|\.)ListToolsRequestSchema$/.test(schema)) tools.push(...listToolsHandler(call.callArgs, resolver, path));
        else if (/(^|\.)CallToolRequestSchema$/.test(schema)) branches.push(callToolBranches(call.callArgs, resolver, path));
      }
      if (found) tools.push(found);
    } else if (node.type === "class_declaration" || node.type === "class" || node.type === "abstract_class_declaration") {
      const tool = mcpFrameworkClass(node, resolver, path);
      if (tool) tools.push(tool);
    }
  }
  // Low-level servers: the handler of a listed tool is its branch in the CallTool handler.
  for (const tool of tools) {
    if (tool.handler || tool.name === null) continue;
    for (const map of branches) {
      const branch = map.get(tool.name);
      if (branch) {
        tool.handler = { span: spanOf(branch.node, path), params: branch.params };
        break;
      }
    }
  }
  return tools;
}
