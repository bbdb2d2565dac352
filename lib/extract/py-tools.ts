import type { Node } from "web-tree-sitter";
import { cleandoc } from "./escapes.js";
import { MAX_PARAMS, paramsFromProperties } from "./json-schema.js";
import { args, namedDescendants, keyText, spanOf, walk } from "./nodes.js";
import type { Resolver } from "./resolve.js";
import type { HandlerRef, ResolvedText, ToolDefinition, ToolParam } from "./types.js";

/**
 * Python tool definitions: FastMCP decorators (`@mcp.tool`, `@mcp.tool()`,
 * `@server.tool(name=..., description=...)`) and the low-level server's
 * `types.Tool(...)` objects returned from an `@server.list_tools()` function.
 */

const SKIPPED_PARAMS = new Set(["self", "cls"]);

export function keywordArgs(argList: Node | null): { positional: Node[]; keywords: Map<string, Node> } {
  const positional: Node[] = [];
  const keywords = new Map<string, Node>();
  for (const a of args(argList)) {
    if (a.type === "keyword_argument") {
      const name = a.childForFieldName("name")?.text;
      const value = a.childForFieldName("value");
      if (name && value) keywords.set(name, value);
    } else positional.push(a);
  }
  return { positional, keywords };
}

/** The decorator's target expression and its call arguments, when it is a `.tool` decorator. */
export function toolDecorator(decorator: Node, suffix: string): { argList: Node | null } | undefined {
  const expr = args(decorator)[0];
  if (!expr) return undefined;
  const matches = (n: Node | null) => n?.type === "attribute" && n.childForFieldName("attribute")?.text === suffix;
  if (matches(expr)) return { argList: null };
  if (expr.type === "call" && matches(expr.childForFieldName("function"))) {
    return { argList: expr.childForFieldName("arguments") };
  }
  return undefined;
}

export function docstring(fn: Node, resolver: Resolver): ResolvedText | undefined {
  const first = args(fn.childForFieldName("body"))[0];
  if (first?.type !== "expression_statement") return undefined;
  const str = args(first)[0];
  if (!str || (str.type !== "string" && str.type !== "concatenated_string")) return undefined;
  const text = resolver.text(str);
  return { ...text, value: cleandoc(text.value) };
}

/** `Annotated[T, Field(description=...)]` -> T and the Field call. */
function splitAnnotated(type: Node): { base: Node; field?: Node } {
  const inner = args(type)[0];
  if (inner?.type === "generic_type" && args(inner)[0]?.text.replace(/^typing\./, "") === "Annotated") {
    const parameters = args(inner).find((c) => c.type === "type_parameter");
    const items = args(parameters);
    const field = items
      .slice(1)
      .map((t) => args(t)[0] ?? t)
      .find((t) => t.type === "call" && /(^|\.)Field$/.test(t.childForFieldName("function")?.text ?? ""));
    return { base: items[0] ?? type, field };
  }
  return { base: type };
}

function isContextType(type: string): boolean {
  return /(^|\.)(Context|RequestContext|ServerSession)(\[.*\])?$/s.test(type.replace(/\s+/g, ""));
}

function fieldCall(node: Node | null): Node | undefined {
  return node?.type === "call" && /(^|\.)Field$/.test(node.childForFieldName("function")?.text ?? "") ? node : undefined;
}

export function paramsOf(fn: Node, resolver: Resolver): ToolParam[] {
  const params: ToolParam[] = [];
  for (const p of args(fn.childForFieldName("parameters"))) {
    if (params.length >= MAX_PARAMS) break;
    let name: string | undefined;
    let typeNode: Node | null = null;
    let defaultNode: Node | null = null;
    if (p.type === "identifier") name = p.text;
    else if (p.type === "typed_parameter") {
      name = args(p).find((c) => c.type === "identifier")?.text;
      typeNode = p.childForFieldName("type");
    } else if (p.type === "default_parameter" || p.type === "typed_default_parameter") {
      name = p.childForFieldName("name")?.text;
      typeNode = p.childForFieldName("type");
      defaultNode = p.childForFieldName("value");
    } else continue; // *args, **kwargs, `*`, `/`
    if (!name || SKIPPED_PARAMS.has(name)) continue;
    const typeText = typeNode?.text;
    if (typeText && isContextType(typeText)) continue;
    const param: ToolParam = { name };
    let field: Node | undefined;
    if (typeNode) {
      const split = splitAnnotated(typeNode);
      param.type = split.base.text;
      field = split.field;
    }
    let required = defaultNode === null;
    const defaultField = fieldCall(defaultNode);
    if (defaultField) {
      // `x: str = Field(...)` has no default unless Field is given one.
      const { positional, keywords } = keywordArgs(defaultField.childForFieldName("arguments"));
      required = !keywords.has("default") && !keywords.has("default_factory") && (!positional[0] || positional[0].text === "...");
      field ??= defaultField;
    }
    if (field) {
      const description = keywordArgs(field.childForFieldName("arguments")).keywords.get("description");
      if (description) param.description = resolver.text(description);
    }
    param.required = required;
    params.push(param);
  }
  return params;
}

export function handlerOf(fn: Node, path: string): HandlerRef {
  const params: string[] = [];
  for (const p of args(fn.childForFieldName("parameters"))) {
    const name =
      p.type === "identifier"
        ? p.text
        : p.type === "typed_parameter" || p.type === "list_splat_pattern" || p.type === "dictionary_splat_pattern"
          ? args(p).find((c) => c.type === "identifier")?.text
          : p.childForFieldName("name")?.text;
    const type = p.childForFieldName("type")?.text;
    if (!name || SKIPPED_PARAMS.has(name) || (type && isContextType(type))) continue;
    params.push(name);
  }
  return { span: spanOf(fn, path), params };
}

function fastmcpTool(decorated: Node, argList: Node | null, resolver: Resolver, path: string): ToolDefinition | undefined {
  const fn = decorated.childForFieldName("definition");
  if (fn?.type !== "function_definition") return undefined;
  const { positional, keywords } = keywordArgs(argList);
  const nameNode = keywords.get("name") ?? (positional[0]?.type === "string" ? positional[0] : undefined);
  let name: string | null = fn.childForFieldName("name")?.text ?? null;
  if (nameNode) {
    const text = resolver.text(nameNode);
    name = text.dynamic ? null : text.value;
  }
  const tool: ToolDefinition = {
    name,
    params: paramsOf(fn, resolver),
    annotations: annotations(keywords.get("annotations"), resolver),
    api: "py-fastmcp.tool",
    span: spanOf(decorated, path),
    handler: handlerOf(fn, path),
  };
  const descriptionNode = keywords.get("description");
  const description = descriptionNode ? resolver.text(descriptionNode) : docstring(fn, resolver);
  if (description) tool.description = description;
  const title = keywords.get("title");
  if (title) tool.title = resolver.text(title);
  return tool;
}

/** `ToolAnnotations(readOnlyHint=True)` or `{"readOnlyHint": True}`. */
function annotations(node: Node | undefined, resolver: Resolver): Record<string, boolean> {
  const out: Record<string, boolean> = {};
  if (!node) return out;
  let value: Node | undefined = node;
  if (value.type === "identifier") value = resolver.definition(value);
  if (!value) return out;
  if (value.type === "call") {
    for (const [k, v] of keywordArgs(value.childForFieldName("arguments")).keywords) {
      if (v.type === "true" || v.type === "false") out[k] = v.type === "true";
    }
  } else if (value.type === "dictionary") {
    for (const [k, v] of dictPairs(value)) if (v.type === "true" || v.type === "false") out[k] = v.type === "true";
  }
  return out;
}

function dictPairs(dict: Node): Map<string, Node> {
  const out = new Map<string, Node>();
  for (const pair of args(dict)) {
    if (pair.type !== "pair") continue;
    const key = keyText(pair.childForFieldName("key"));
    const value = pair.childForFieldName("value");
    if (key !== undefined && value && !out.has(key)) out.set(key, value);
  }
  return out;
}

function dictOf(node: Node | undefined, resolver: Resolver, depth = 0): Node | undefined {
  if (!node || depth > 6) return undefined;
  if (node.type === "dictionary") return node;
  if (node.type === "identifier") return dictOf(resolver.definition(node), resolver, depth + 1);
  return undefined;
}

function paramsFromJsonSchema(node: Node | undefined, resolver: Resolver): ToolParam[] {
  const schema = dictOf(node, resolver);
  if (!schema) return [];
  const fields = dictPairs(schema);
  const properties = dictOf(fields.get("properties"), resolver);
  if (!properties) return [];
  const requiredNode = fields.get("required");
  const requiredItems = requiredNode?.type === "list" || requiredNode?.type === "tuple" ? args(requiredNode) : [];
  return paramsFromProperties(dictPairs(properties), requiredItems, (value) => {
    const prop = dictOf(value, resolver);
    return prop ? dictPairs(prop) : undefined;
  }, resolver);
}

/** `types.Tool(name=..., description=..., inputSchema={...})` inside a list_tools function. */
function lowLevelTools(fn: Node, resolver: Resolver, path: string): ToolDefinition[] {
  const tools: ToolDefinition[] = [];
  walk(fn, (node) => {
    if (node.type !== "call") return;
    const callee = node.childForFieldName("function")?.text ?? "";
    if (!/(^|\.)Tool$/.test(callee)) return;
    const { keywords } = keywordArgs(node.childForFieldName("arguments"));
    const nameNode = keywords.get("name");
    if (!nameNode) return;
    const name = resolver.text(nameNode);
    const tool: ToolDefinition = {
      name: name.dynamic ? null : name.value,
      params: paramsFromJsonSchema(keywords.get("inputSchema") ?? keywords.get("input_schema"), resolver),
      annotations: annotations(keywords.get("annotations"), resolver),
      api: "py-lowlevel.list_tools",
      span: spanOf(node, path),
    };
    const description = keywords.get("description");
    if (description) tool.description = resolver.text(description);
    const title = keywords.get("title");
    if (title) tool.title = resolver.text(title);
    tools.push(tool);
    return false;
  });
  return tools;
}

/** `if name == "x":` branches in an `@server.call_tool()` function, by tool name. */
function callToolBranches(fn: Node, resolver: Resolver, path: string): Map<string, HandlerRef> {
  const out = new Map<string, HandlerRef>();
  const params = handlerOf(fn, path).params;
  walk(fn, (node) => {
    if (node.type !== "if_statement" && node.type !== "elif_clause" && node.type !== "case_clause") return;
    if (node.type === "case_clause") {
      const pattern = args(node).find((c) => c.type === "case_pattern");
      const literal = pattern ? args(pattern)[0] : undefined;
      if (literal?.type === "string") {
        const t = resolver.text(literal);
        if (!t.dynamic && !out.has(t.value)) out.set(t.value, { span: spanOf(node, path), params });
      }
      return;
    }
    const condition = node.childForFieldName("condition");
    if (condition?.type !== "comparison_operator" || !/==/.test(condition.text)) return;
    for (const side of args(condition)) {
      if (side.type !== "string") continue;
      const t = resolver.text(side);
      const body = node.childForFieldName("consequence");
      if (!t.dynamic && body && !out.has(t.value)) out.set(t.value, { span: spanOf(body, path), params });
    }
  });
  return out;
}

export function extractPythonTools(root: Node, resolver: Resolver, path: string): ToolDefinition[] {
  const tools: ToolDefinition[] = [];
  const branches: Map<string, HandlerRef>[] = [];
  nodes: for (const node of namedDescendants(root, ["decorated_definition"])) {
    if (node.type !== "decorated_definition") continue nodes;
    const fn = node.childForFieldName("definition");
    for (const decorator of args(node).filter((c) => c.type === "decorator")) {
      const tool = toolDecorator(decorator, "tool");
      if (tool) {
        const found = fastmcpTool(node, tool.argList, resolver, path);
        if (found) tools.push(found);
        continue nodes;
      }
      if (fn?.type === "function_definition" && toolDecorator(decorator, "list_tools")) {
        tools.push(...lowLevelTools(fn, resolver, path));
        continue nodes;
      }
      if (fn?.type === "function_definition" && toolDecorator(decorator, "call_tool")) {
        branches.push(callToolBranches(fn, resolver, path));
      }
    }
  }
  for (const tool of tools) {
    if (tool.handler || tool.name === null) continue;
    const branch = branches.map((b) => b.get(tool.name!)).find(Boolean);
    if (branch) tool.handler = branch;
  }
  return tools;
}
