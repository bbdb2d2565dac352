import type { Node } from "web-tree-sitter";
import { args, namedDescendants, spanOf, walk } from "./nodes.js";
import type { Resolver } from "./resolve.js";
import type { HandlerRef, ToolDefinition, ToolParam } from "./types.js";

/**
 * Go tool definitions: mcp-go (`mcp.NewTool("name", mcp.WithDescription(..), mcp.WithString(..))`
 * registered with `s.AddTool(tool, handler)`) and the official go-sdk
 * (`mcp.AddTool(server, &mcp.Tool{Name: .., Description: ..}, handler)`, parameters from the
 * handler's input struct tags).
 */

const PARAM_OPTIONS = new Map([
  ["WithString", "string"],
  ["WithNumber", "number"],
  ["WithInteger", "integer"],
  ["WithBoolean", "boolean"],
  ["WithArray", "array"],
  ["WithObject", "object"],
  ["WithAny", "any"],
]);

const HINTS = new Map([
  ["WithReadOnlyHintAnnotation", "readOnlyHint"],
  ["WithDestructiveHintAnnotation", "destructiveHint"],
  ["WithIdempotentHintAnnotation", "idempotentHint"],
  ["WithOpenWorldHintAnnotation", "openWorldHint"],
]);

/** `pkg.Func(args)` -> Func and args; undefined for other calls. */
function selectorCall(node: Node): { name: string; callArgs: Node[] } | undefined {
  if (node.type !== "call_expression") return undefined;
  const fn = node.childForFieldName("function");
  const name = fn?.type === "selector_expression" ? fn.childForFieldName("field")?.text : fn?.type === "identifier" ? fn.text : undefined;
  if (!name) return undefined;
  return { name, callArgs: args(node.childForFieldName("arguments")) };
}

/**
 * A method value used as a handler (`s.AddTool(tool, srv.handleSearch)`): the method of that name
 * declared in the file, when exactly one receiver type declares it (the receiver's type is not
 * tracked, so two candidates mean we do not know which).
 */
function methodNamed(selector: Node): Node | undefined {
  const name = selector.childForFieldName("field")?.text;
  if (!name) return undefined;
  const matches = selector.tree.rootNode
    .descendantsOfType("method_declaration")
    .filter((m): m is Node => m !== null && m.childForFieldName("name")?.text === name);
  return matches.length === 1 ? matches[0] : undefined;
}

export function goHandler(node: Node | undefined, resolver: Resolver, path: string): HandlerRef | undefined {
  if (!node) return undefined;
  let fn: Node | undefined = node;
  if (fn.type === "identifier") fn = resolver.functionNamed(fn.text) ?? resolver.definition(fn);
  else if (fn.type === "selector_expression") fn = methodNamed(fn);
  if (!fn || (fn.type !== "func_literal" && fn.type !== "function_declaration" && fn.type !== "method_declaration")) {
    return undefined;
  }
  const params: string[] = [];
  for (const decl of args(fn.childForFieldName("parameters"))) {
    if (/(^|\.)Context$/.test(decl.childForFieldName("type")?.text ?? "")) continue;
    for (const name of decl.childrenForFieldName("name")) if (name) params.push(name.text);
  }
  return { span: spanOf(fn, path), params };
}

function mcpGoTool(call: Node, callArgs: Node[], resolver: Resolver, path: string): ToolDefinition | undefined {
  const nameNode = callArgs[0];
  if (!nameNode) return undefined;
  const name = resolver.text(nameNode);
  const tool: ToolDefinition = {
    name: name.dynamic ? null : name.value,
    params: [],
    annotations: {},
    api: "mcp-go.NewTool",
    span: spanOf(call, path),
  };
  for (const option of callArgs.slice(1)) {
    const opt = selectorCall(option);
    if (!opt) continue;
    if (opt.name === "WithDescription" && opt.callArgs[0]) tool.description = resolver.text(opt.callArgs[0]);
    else if (opt.name === "WithTitleAnnotation" && opt.callArgs[0]) tool.title = resolver.text(opt.callArgs[0]);
    else if (HINTS.has(opt.name) && /^(true|false)$/.test(opt.callArgs[0]?.text ?? "")) {
      tool.annotations[HINTS.get(opt.name)!] = opt.callArgs[0]!.text === "true";
    } else if (PARAM_OPTIONS.has(opt.name) && opt.callArgs[0]) {
      const pname = resolver.text(opt.callArgs[0]);
      if (pname.dynamic) continue;
      const param: ToolParam = { name: pname.value, type: PARAM_OPTIONS.get(opt.name), required: false };
      for (const propOption of opt.callArgs.slice(1)) {
        const prop = selectorCall(propOption);
        if (prop?.name === "Required") param.required = true;
        else if (prop?.name === "Description" && prop.callArgs[0]) param.description = resolver.text(prop.callArgs[0]);
      }
      tool.params.push(param);
    }
  }
  return tool;
}

/** `json:"path,omitempty" jsonschema:"the path"` -> name, optional, description. */
function parseTag(tag: string): { json?: string; optional: boolean; description?: string } {
  const get = (key: string) => new RegExp(`(?:^|\\s)${key}:"((?:[^"\\\\]|\\\\.)*)"`).exec(tag)?.[1];
  const json = get("json");
  let description = get("jsonschema");
  // Older go-sdk / invopop style: jsonschema:"description=..."; or a jsonschema_description tag.
  const keyed = description ? /(?:^|,)description=([^,]*)/.exec(description) : null;
  if (keyed) description = keyed[1];
  else if (description && /^(required|minimum|maximum|enum)=/.test(description)) description = undefined;
  description ??= get("jsonschema_description") ?? get("description");
  const [jsonName, ...flags] = (json ?? "").split(",");
  return { json: jsonName || undefined, optional: flags.includes("omitempty") || flags.includes("omitzero"), description };
}

/** Parameters of a go-sdk tool: the fields of the handler's input struct (third parameter). */
function structParams(fn: Node | undefined, root: Node, path: string): ToolParam[] {
  if (!fn) return [];
  const decls = args(fn.childForFieldName("parameters"));
  const inputType = decls[2]?.childForFieldName("type");
  if (inputType?.type !== "type_identifier") return [];
  let struct: Node | undefined;
  walk(root, (node) => {
    if (struct) return false;
    if (node.type === "type_spec" && node.childForFieldName("name")?.text === inputType.text) {
      const type = node.childForFieldName("type");
      if (type?.type === "struct_type") struct = type;
      return false;
    }
    return node.type === "source_file" || node.type === "type_declaration";
  });
  if (!struct) return [];
  const params: ToolParam[] = [];
  for (const field of struct.descendantsOfType("field_declaration")) {
    if (!field) continue;
    const name = field.childForFieldName("name")?.text;
    if (!name || !/^[A-Z]/.test(name)) continue; // unexported fields are not in the schema
    const tagNode = field.childForFieldName("tag");
    const tag = tagNode ? parseTag(tagNode.text.slice(1, -1)) : { optional: false };
    if (tag.json === "-") continue;
    const param: ToolParam = { name: tag.json ?? name, type: field.childForFieldName("type")?.text, required: !tag.optional };
    if (tag.description && tagNode) {
      param.description = { value: tag.description, dynamic: false, source: tagNode.text, span: spanOf(tagNode, path) };
    }
    params.push(param);
  }
  return params;
}

function goSdkTool(literal: Node, resolver: Resolver, path: string): ToolDefinition | undefined {
  const body = literal.childForFieldName("body");
  const fields = new Map<string, Node>();
  for (const element of args(body)) {
    if (element.type !== "keyed_element") continue;
    const [key, value] = args(element);
    const keyName = key?.text;
    const inner = value?.type === "literal_element" ? args(value)[0] : value;
    if (keyName && inner) fields.set(keyName, inner);
  }
  const nameNode = fields.get("Name");
  if (!nameNode) return undefined;
  const name = resolver.text(nameNode);
  const tool: ToolDefinition = {
    name: name.dynamic ? null : name.value,
    params: [],
    annotations: {},
    api: "go-sdk.Tool",
    span: spanOf(literal, path),
  };
  const description = fields.get("Description");
  if (description) tool.description = resolver.text(description);
  const title = fields.get("Title");
  if (title) tool.title = resolver.text(title);
  let annotations = fields.get("Annotations");
  if (annotations?.type === "unary_expression") annotations = args(annotations)[0];
  if (annotations?.type === "composite_literal") {
    for (const element of args(annotations.childForFieldName("body"))) {
      const [key, value] = args(element);
      const v = value?.type === "literal_element" ? args(value)[0] : value;
      if (key && (v?.type === "true" || v?.type === "false")) {
        const hint = key.text.charAt(0).toLowerCase() + key.text.slice(1);
        tool.annotations[hint] = v.type === "true";
      }
    }
  }
  return tool;
}

export function extractGoTools(root: Node, resolver: Resolver, path: string): ToolDefinition[] {
  const tools: ToolDefinition[] = [];
  /** Tools bound to a variable (`tool := mcp.NewTool(...)`), registered later by name. */
  const byVariable = new Map<string, ToolDefinition>();
  const registrations: { first: Node; handler: Node | undefined; call: Node; callArgs: Node[] }[] = [];
  const toolOfNode = new Map<number, ToolDefinition>();

  for (const node of namedDescendants(root, ["call_expression", "composite_literal"])) {
    if (node.type === "call_expression") {
      const call = selectorCall(node);
      if (call?.name === "NewTool" && node.childForFieldName("function")?.type === "selector_expression") {
        const tool = mcpGoTool(node, call.callArgs, resolver, path);
        if (tool) {
          tools.push(tool);
          toolOfNode.set(node.id, tool);
          const parent = node.parent?.parent;
          if (parent?.type === "short_var_declaration" || parent?.type === "var_spec" || parent?.type === "assignment_statement") {
            const left = parent.childForFieldName("left") ?? parent.childForFieldName("name");
            const variable = left?.type === "expression_list" ? args(left)[0] : left;
            if (variable?.type === "identifier") byVariable.set(variable.text, tool);
          }
        }
      } else if (call?.name === "AddTool") {
        registrations.push({ first: call.callArgs[0]!, handler: call.callArgs[call.callArgs.length - 1], call: node, callArgs: call.callArgs });
      }
    } else if (node.type === "composite_literal") {
      const type = node.childForFieldName("type")?.text ?? "";
      if (/^(mcp\.)?Tool$/.test(type)) {
        const tool = goSdkTool(node, resolver, path);
        if (tool) {
          tools.push(tool);
          toolOfNode.set(node.id, tool);
          const holder = node.parent?.type === "unary_expression" ? node.parent : node;
          const parent = holder.parent?.parent;
          if (parent?.type === "short_var_declaration" || parent?.type === "var_spec") {
            const left = parent.childForFieldName("left") ?? parent.childForFieldName("name");
            const variable = left?.type === "expression_list" ? args(left)[0] : left;
            if (variable?.type === "identifier") byVariable.set(variable.text, tool);
          }
        }
      }
    }
  }

  // Attach handlers: s.AddTool(tool, h) (mcp-go, go-sdk method) and mcp.AddTool(server, tool, h).
  for (const reg of registrations) {
    if (reg.callArgs.length < 2) continue;
    const candidates = reg.callArgs.slice(0, -1);
    for (const candidate of candidates) {
      const target = candidate.type === "unary_expression" ? args(candidate)[0] : candidate;
      if (!target) continue;
      const tool = toolOfNode.get(target.id) ?? (target.type === "identifier" ? byVariable.get(target.text) : undefined);
      if (!tool || tool.handler) continue;
      const handler = goHandler(reg.handler, resolver, path);
      if (handler) tool.handler = handler;
      if (tool.api === "go-sdk.Tool" && tool.params.length === 0) {
        let fn: Node | undefined = reg.handler;
        if (fn?.type === "identifier") fn = resolver.functionNamed(fn.text);
        tool.params = structParams(fn, root, path);
      }
      break;
    }
  }
  return tools;
}
