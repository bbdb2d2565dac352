import type { Node } from "web-tree-sitter";
import { JS_FUNCTION_TYPES, jsHandler, looksLikeJsHandler } from "./handler.js";
import { args, namedDescendants, spanOf, unwrap } from "./nodes.js";
import type { Resolver } from "./resolve.js";
import { assign, plainText as plainString, resolvedText as textOf } from "./surface-common.js";
import type { SurfaceFacts } from "./surface-types.js";
import { listedObjects } from "./ts-lists.js";
import { objectLiteral, pairs, paramsFromSchema } from "./ts-schema.js";
import type { PromptDefinition, ResolvedText, ResourceDefinition, ToolParam } from "./types.js";

/**
 * Prompts, resources and server instructions in TS/JS: the official SDK (`registerPrompt`,
 * `prompt`, `registerResource`, `resource`, `ResourceTemplate`, low-level
 * `setRequestHandler(ListPromptsRequestSchema | ListResourcesRequestSchema |
 * ListResourceTemplatesRequestSchema, ...)`, the `instructions` server option), fastmcp
 * (`addPrompt`, `addResource`, `addResourceTemplate`, `new FastMCP({ instructions })`) and
 * mcp-framework (`MCPPrompt` / `MCPResource` classes). As for tools, calls are recognised by
 * their shape, so an unrelated `.prompt(...)` (inquirer, readline) is left alone.
 */

type Kind = "string" | "object" | "template" | "function" | "unknown" | "other";

function kindOf(node: Node, resolver: Resolver, depth = 0): Kind {
  const value = unwrap(node);
  switch (value.type) {
    case "string":
    case "template_string":
      return "string";
    case "object":
      return "object";
    case "new_expression":
      return /(^|\.)ResourceTemplate$/.test(value.childForFieldName("constructor")?.text ?? "") ? "template" : "other";
    case "binary_expression":
      return value.childForFieldName("operator")?.text === "+" ? "string" : "unknown";
    case "identifier": {
      const def = depth < 6 ? resolver.definition(value) : undefined;
      if (def) return kindOf(def, resolver, depth + 1);
      return resolver.functionNamed(value.text) ? "function" : "unknown";
    }
    case "member_expression":
      return resolver.text(value).dynamic ? "unknown" : "string";
    case "call_expression": {
      const fn = value.childForFieldName("function")?.text ?? "";
      if (/^(z|zod)\.object$/.test(fn)) return "object";
      if (/\.(join|trim|concat)$/.test(fn) || /^(dedent|outdent)$/.test(fn)) return "string";
      return "unknown";
    }
    default:
      return JS_FUNCTION_TYPES.has(value.type) ? "function" : value.type === "array" || value.type === "number" ? "other" : "unknown";
  }
}

function nameOf(node: Node | undefined, resolver: Resolver): string | null {
  if (!node) return null;
  const text = resolver.text(node);
  return text.dynamic ? null : text.value;
}

/** `[{ name, description, required }]` (fastmcp arguments, low-level prompt arguments). */
function argumentList(node: Node | undefined, resolver: Resolver): ToolParam[] {
  if (!node) return [];
  let list: Node | undefined = unwrap(node);
  if (list.type === "identifier") list = resolver.definition(list);
  if (!list || unwrap(list).type !== "array") return [];
  const out: ToolParam[] = [];
  for (const element of args(unwrap(list)).slice(0, 200)) {
    const object = objectLiteral(element, resolver);
    if (!object) continue;
    const fields = pairs(object);
    const name = plainString(fields.get("name"), resolver);
    if (!name) continue;
    const param: ToolParam = { name };
    const description = fields.get("description");
    if (description) param.description = resolver.text(description);
    const required = fields.get("required");
    if (required?.type === "true" || required?.type === "false") param.required = required.type === "true";
    out.push(param);
  }
  return out;
}

// ---- prompts --------------------------------------------------------------------------------

/** server.registerPrompt(name, { title, description, argsSchema }, cb) */
function registerPrompt(call: Node, callArgs: Node[], resolver: Resolver, path: string): PromptDefinition | undefined {
  if (callArgs.length < 2 || callArgs.length > 3) return undefined;
  const [first, configNode, cb] = callArgs as [Node, Node, Node | undefined];
  if (!["string", "unknown"].includes(kindOf(first, resolver))) return undefined;
  const config = objectLiteral(configNode, resolver);
  if (!config) return undefined;
  const fields = pairs(config);
  if (fields.size > 0 && !["title", "description", "argsSchema", "_meta"].some((k) => fields.has(k))) return undefined;
  if (cb && !looksLikeJsHandler(cb)) return undefined;
  const prompt: PromptDefinition = {
    name: nameOf(first, resolver),
    args: paramsFromSchema(fields.get("argsSchema"), resolver),
    api: "ts-sdk.registerPrompt",
    span: spanOf(call, path),
  };
  assign(prompt, "title", textOf(fields.get("title"), resolver));
  assign(prompt, "description", textOf(fields.get("description"), resolver));
  assign(prompt, "handler", cb ? jsHandler(cb, resolver, path) : undefined);
  return prompt;
}

/** server.prompt(name, [description], [argsSchema], cb) */
function sdkPrompt(call: Node, callArgs: Node[], resolver: Resolver, path: string): PromptDefinition | undefined {
  if (callArgs.length < 2 || callArgs.length > 4) return undefined;
  const first = callArgs[0]!;
  const last = callArgs[callArgs.length - 1]!;
  if (kindOf(first, resolver) !== "string") return undefined;
  if (kindOf(last, resolver) !== "function") return undefined;
  const middle = callArgs.slice(1, -1);
  const kinds = middle.map((m) => kindOf(m, resolver));
  let description: Node | undefined;
  let schema: Node | undefined;
  // An unresolved identifier (an imported constant) is a description unless named like a schema.
  const schemaNamed = (n: Node) => /schema|shape|args|arguments|params/i.test(n.text);
  if (middle.length === 1) {
    if (kinds[0] === "string" || (kinds[0] === "unknown" && !schemaNamed(middle[0]!))) description = middle[0];
    else if (kinds[0] === "object" || kinds[0] === "unknown") schema = middle[0];
    else return undefined;
  } else if (middle.length === 2) {
    if ((kinds[0] !== "string" && kinds[0] !== "unknown") || (kinds[1] !== "object" && kinds[1] !== "unknown")) return undefined;
    [description, schema] = middle;
  }
  const prompt: PromptDefinition = {
    name: nameOf(first, resolver),
    args: paramsFromSchema(schema, resolver),
    api: "ts-sdk.prompt",
    span: spanOf(call, path),
  };
  assign(prompt, "description", textOf(description, resolver));
  assign(prompt, "handler", jsHandler(last, resolver, path));
  return prompt;
}

/** fastmcp: server.addPrompt({ name, description, arguments, load }) */
function addPrompt(call: Node, callArgs: Node[], resolver: Resolver, path: string): PromptDefinition | undefined {
  if (callArgs.length !== 1) return undefined;
  const config = objectLiteral(callArgs[0], resolver);
  if (!config) return undefined;
  const fields = pairs(config);
  if (!fields.has("name") || !(fields.has("load") || fields.has("description"))) return undefined;
  const prompt: PromptDefinition = {
    name: nameOf(fields.get("name"), resolver),
    args: argumentList(fields.get("arguments"), resolver),
    api: "fastmcp.addPrompt",
    span: spanOf(call, path),
  };
  assign(prompt, "description", textOf(fields.get("description"), resolver));
  const load = fields.get("load");
  assign(prompt, "handler", load ? jsHandler(load, resolver, path) : undefined);
  return prompt;
}

// ---- resources ------------------------------------------------------------------------------

/** The URI (or template) argument: a string, or `new ResourceTemplate("x://{id}", {...})`. */
function uriOf(node: Node, resolver: Resolver, depth = 0): { uri: ResolvedText; template: boolean } | undefined {
  let value = unwrap(node);
  if (value.type === "identifier" && depth < 6) {
    const def = resolver.definition(value);
    if (def && unwrap(def).type === "new_expression") return uriOf(def, resolver, depth + 1);
  }
  if (value.type === "new_expression") {
    const first = args(value.childForFieldName("arguments"))[0];
    return first ? { uri: resolver.text(first), template: true } : undefined;
  }
  return { uri: resolver.text(value), template: false };
}

/** server.registerResource(name, uriOrTemplate, { title, description, mimeType }, cb) */
function registerResource(call: Node, callArgs: Node[], resolver: Resolver, path: string, api: string): ResourceDefinition | undefined {
  if (callArgs.length < 3 || callArgs.length > 4) return undefined;
  const [first, uriNode] = callArgs as [Node, Node];
  const cb = callArgs[callArgs.length - 1]!;
  const metaNode = callArgs.length === 4 ? callArgs[2] : undefined;
  if (kindOf(first, resolver) !== "string") return undefined;
  const uriKind = kindOf(uriNode, resolver);
  if (uriKind !== "string" && uriKind !== "template" && uriKind !== "unknown") return undefined;
  if (kindOf(cb, resolver) !== "function" && !looksLikeJsHandler(cb)) return undefined;
  if (api === "ts-sdk.resource" && kindOf(cb, resolver) !== "function") return undefined;
  const meta = metaNode ? objectLiteral(metaNode, resolver) : undefined;
  if (metaNode && !meta && kindOf(metaNode, resolver) !== "unknown") return undefined;
  const located = uriOf(uriNode, resolver);
  const resource: ResourceDefinition = {
    name: nameOf(first, resolver),
    template: located?.template ?? false,
    api,
    span: spanOf(call, path),
  };
  assign(resource, "uri", located?.uri);
  if (meta) {
    const fields = pairs(meta);
    assign(resource, "title", textOf(fields.get("title"), resolver));
    assign(resource, "description", textOf(fields.get("description"), resolver));
    assign(resource, "mimeType", plainString(fields.get("mimeType"), resolver));
  }
  assign(resource, "handler", jsHandler(cb, resolver, path));
  return resource;
}

/** fastmcp: addResource({ uri, name, mimeType, load }) / addResourceTemplate({ uriTemplate, ... }) */
function addResource(call: Node, callArgs: Node[], resolver: Resolver, path: string, template: boolean): ResourceDefinition | undefined {
  if (callArgs.length !== 1) return undefined;
  const config = objectLiteral(callArgs[0], resolver);
  if (!config) return undefined;
  const fields = pairs(config);
  const uriNode = fields.get(template ? "uriTemplate" : "uri");
  if (!uriNode || !(fields.has("load") || fields.has("name"))) return undefined;
  const resource: ResourceDefinition = {
    name: nameOf(fields.get("name"), resolver),
    uri: resolver.text(uriNode),
    template,
    api: template ? "fastmcp.addResourceTemplate" : "fastmcp.addResource",
    span: spanOf(call, path),
  };
  assign(resource, "description", textOf(fields.get("description"), resolver));
  assign(resource, "mimeType", plainString(fields.get("mimeType"), resolver));
  const load = fields.get("load");
  assign(resource, "handler", load ? jsHandler(load, resolver, path) : undefined);
  return resource;
}

// ---- low-level list handlers ----------------------------------------------------------------

function lowLevel(schema: string, handler: Node | undefined, resolver: Resolver, path: string, out: SurfaceFacts): void {
  if (/(^|\.)ListPromptsRequestSchema$/.test(schema)) {
    for (const object of listedObjects(handler, "prompts", resolver)) {
      const fields = pairs(object);
      if (!fields.has("name")) continue;
      const prompt: PromptDefinition = {
        name: nameOf(fields.get("name"), resolver),
        args: argumentList(fields.get("arguments"), resolver),
        api: "ts-sdk.listPrompts",
        span: spanOf(object, path),
      };
      assign(prompt, "title", textOf(fields.get("title"), resolver));
      assign(prompt, "description", textOf(fields.get("description"), resolver));
      out.prompts.push(prompt);
    }
    return;
  }
  const templates = /(^|\.)ListResourceTemplatesRequestSchema$/.test(schema);
  if (!templates && !/(^|\.)ListResourcesRequestSchema$/.test(schema)) return;
  for (const object of listedObjects(handler, templates ? "resourceTemplates" : "resources", resolver)) {
    const fields = pairs(object);
    const uriNode = fields.get(templates ? "uriTemplate" : "uri");
    if (!uriNode && !fields.has("name")) continue;
    const resource: ResourceDefinition = {
      name: nameOf(fields.get("name"), resolver),
      template: templates,
      api: templates ? "ts-sdk.listResourceTemplates" : "ts-sdk.listResources",
      span: spanOf(object, path),
    };
    assign(resource, "uri", textOf(uriNode, resolver));
    assign(resource, "title", textOf(fields.get("title"), resolver));
    assign(resource, "description", textOf(fields.get("description"), resolver));
    assign(resource, "mimeType", plainString(fields.get("mimeType"), resolver));
    out.resources.push(resource);
  }
}

// ---- instructions ---------------------------------------------------------------------------

const SERVER_CLASSES = /(^|\.)(McpServer|Server|FastMCP)$/;

/** `new McpServer(info, { instructions })`, `new Server(info, { instructions })`, `new FastMCP({ instructions })`. */
function instructionsOf(node: Node, resolver: Resolver, path: string, out: SurfaceFacts): void {
  const ctor = node.childForFieldName("constructor")?.text ?? "";
  const match = SERVER_CLASSES.exec(ctor);
  if (!match) return;
  for (const arg of args(node.childForFieldName("arguments")).slice(0, 2)) {
    const object = objectLiteral(arg, resolver);
    const value = object ? pairs(object).get("instructions") : undefined;
    if (!value) continue;
    const api = match[2] === "FastMCP" ? "fastmcp.FastMCP" : match[2] === "McpServer" ? "ts-sdk.McpServer" : "ts-sdk.Server";
    out.instructions.push({ text: resolver.text(value), api, span: spanOf(value, path) });
    return;
  }
}

// ---- mcp-framework --------------------------------------------------------------------------

function frameworkClass(cls: Node, resolver: Resolver, path: string, out: SurfaceFacts): void {
  const heritage = args(cls).find((c) => c.type === "class_heritage");
  const base = heritage?.text ?? "";
  const prompt = /\bextends\s+(\w+\.)?MCPPrompt\b/.test(base);
  const resource = /\bextends\s+(\w+\.)?MCPResource\b/.test(base);
  if (!prompt && !resource) return;
  const fields = new Map<string, Node>();
  let handler: Node | undefined;
  for (const member of args(cls.childForFieldName("body"))) {
    const key = member.childForFieldName("name")?.text;
    if (!key) continue;
    if (member.type === "public_field_definition" || member.type === "field_definition") {
      const value = member.childForFieldName("value");
      if (value && !fields.has(key)) fields.set(key, value);
    } else if (member.type === "method_definition" && (key === "generateMessages" || key === "read")) handler = member;
  }
  if (prompt) {
    const def: PromptDefinition = {
      name: nameOf(fields.get("name"), resolver),
      args: paramsFromSchema(fields.get("schema"), resolver),
      api: "mcp-framework.MCPPrompt",
      span: spanOf(cls, path),
    };
    assign(def, "description", textOf(fields.get("description"), resolver));
    assign(def, "handler", handler ? jsHandler(handler, resolver, path) : undefined);
    out.prompts.push(def);
  } else {
    const def: ResourceDefinition = {
      name: nameOf(fields.get("name"), resolver),
      template: false,
      api: "mcp-framework.MCPResource",
      span: spanOf(cls, path),
    };
    assign(def, "uri", textOf(fields.get("uri"), resolver));
    assign(def, "description", textOf(fields.get("description"), resolver));
    assign(def, "mimeType", plainString(fields.get("mimeType"), resolver));
    assign(def, "handler", handler ? jsHandler(handler, resolver, path) : undefined);
    out.resources.push(def);
  }
}

export function extractJsSurface(root: Node, resolver: Resolver, path: string): SurfaceFacts {
  const out: SurfaceFacts = { prompts: [], resources: [], instructions: [] };
  for (const node of namedDescendants(root, ["new_expression", "class_declaration", "class", "abstract_class_declaration", "call_expression"])) {
    if (node.type === "new_expression") {
      instructionsOf(node, resolver, path, out);
      continue;
    }
    if (node.type === "class_declaration" || node.type === "class" || node.type === "abstract_class_declaration") {
      frameworkClass(node, resolver, path, out);
      continue;
    }
    if (node.type !== "call_expression") continue;
    const fn = node.childForFieldName("function");
    if (fn?.type !== "member_expression") continue;
    const method = fn.childForFieldName("property")?.text;
    const callArgs = args(node.childForFieldName("arguments"));
    let prompt: PromptDefinition | undefined;
    let resource: ResourceDefinition | undefined;
    switch (method) {
      case "registerPrompt":
        prompt = registerPrompt(node, callArgs, resolver, path);
        break;
      case "prompt":
        prompt = sdkPrompt(node, callArgs, resolver, path);
        break;
      case "addPrompt":
        prompt = addPrompt(node, callArgs, resolver, path);
        break;
      case "registerResource":
        resource = registerResource(node, callArgs, resolver, path, "ts-sdk.registerResource");
        break;
      case "resource":
        resource = registerResource(node, callArgs, resolver, path, "ts-sdk.resource");
        break;
      case "addResource":
        resource = addResource(node, callArgs, resolver, path, false);
        break;
      case "addResourceTemplate":
        resource = addResource(node, callArgs, resolver, path, true);
        break;
      case "setRequestHandler":
        if (callArgs.length === 2) lowLevel(callArgs[0]!.text, callArgs[1], resolver, path, out);
        break;
    }
    if (prompt) out.prompts.push(prompt);
    if (resource) out.resources.push(resource);
  }
  return out;
}
