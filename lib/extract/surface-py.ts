import type { Node } from "web-tree-sitter";
import { args, namedDescendants, spanOf, walk } from "./nodes.js";
import { docstring, handlerOf, keywordArgs, paramsOf, toolDecorator } from "./py-tools.js";
import type { Resolver } from "./resolve.js";
import { assign, plainText as plain, resolvedText as text } from "./surface-common.js";
import type { SurfaceFacts } from "./surface-types.js";
import type { PromptDefinition, ResourceDefinition, ToolParam } from "./types.js";

/**
 * Prompts, resources and server instructions in Python: FastMCP decorators (`@mcp.prompt`,
 * `@mcp.prompt(name=..., description=...)`, `@mcp.resource("uri", ...)`, docstrings as
 * descriptions), `FastMCP("name", instructions=...)` / `Server("name", instructions=...)`, and the
 * low-level server's `types.Prompt` / `types.Resource` / `types.ResourceTemplate` objects returned
 * from `@server.list_prompts()` / `list_resources()` / `list_resource_templates()`.
 */

function decoratedPrompt(decorated: Node, argList: Node | null, resolver: Resolver, path: string): PromptDefinition | undefined {
  const fn = decorated.childForFieldName("definition");
  if (fn?.type !== "function_definition") return undefined;
  const { positional, keywords } = keywordArgs(argList);
  const nameNode = keywords.get("name") ?? (positional[0]?.type === "string" ? positional[0] : undefined);
  const prompt: PromptDefinition = {
    name: nameNode ? plain(nameNode, resolver) ?? null : fn.childForFieldName("name")?.text ?? null,
    args: paramsOf(fn, resolver),
    api: "py-fastmcp.prompt",
    span: spanOf(decorated, path),
    handler: handlerOf(fn, path),
  };
  const descriptionNode = keywords.get("description");
  assign(prompt, "description", descriptionNode ? resolver.text(descriptionNode) : docstring(fn, resolver));
  assign(prompt, "title", text(keywords.get("title"), resolver));
  return prompt;
}

function decoratedResource(decorated: Node, argList: Node | null, resolver: Resolver, path: string): ResourceDefinition | undefined {
  const fn = decorated.childForFieldName("definition");
  if (fn?.type !== "function_definition") return undefined;
  const { positional, keywords } = keywordArgs(argList);
  const uriNode = positional[0] ?? keywords.get("uri");
  if (!uriNode) return undefined;
  const uri = resolver.text(uriNode);
  const nameNode = keywords.get("name");
  const resource: ResourceDefinition = {
    name: nameNode ? plain(nameNode, resolver) ?? null : fn.childForFieldName("name")?.text ?? null,
    uri,
    // FastMCP makes a template of any URI with {placeholders} (or a function with parameters).
    template: /\{[^}]+\}/.test(uri.value),
    api: "py-fastmcp.resource",
    span: spanOf(decorated, path),
    handler: handlerOf(fn, path),
  };
  const descriptionNode = keywords.get("description");
  assign(resource, "description", descriptionNode ? resolver.text(descriptionNode) : docstring(fn, resolver));
  assign(resource, "title", text(keywords.get("title"), resolver));
  assign(resource, "mimeType", plain(keywords.get("mime_type"), resolver));
  return resource;
}

/** `[types.PromptArgument(name=..., description=..., required=True)]` */
function promptArguments(node: Node | undefined, resolver: Resolver): ToolParam[] {
  let list = node;
  if (list?.type === "identifier") list = resolver.definition(list);
  if (list?.type !== "list" && list?.type !== "tuple") return [];
  const out: ToolParam[] = [];
  for (const item of args(list).slice(0, 200)) {
    if (item.type !== "call") continue;
    const { keywords } = keywordArgs(item.childForFieldName("arguments"));
    const name = plain(keywords.get("name"), resolver);
    if (!name) continue;
    const param: ToolParam = { name };
    assign(param, "description", text(keywords.get("description"), resolver));
    const required = keywords.get("required");
    if (required?.type === "true" || required?.type === "false") param.required = required.type === "true";
    out.push(param);
  }
  return out;
}

function lowLevel(fn: Node, kind: "prompts" | "resources" | "templates", resolver: Resolver, path: string, out: SurfaceFacts): void {
  const ctor = kind === "prompts" ? /(^|\.)Prompt$/ : kind === "resources" ? /(^|\.)Resource$/ : /(^|\.)ResourceTemplate$/;
  walk(fn, (node) => {
    if (node.type !== "call" || !ctor.test(node.childForFieldName("function")?.text ?? "")) return;
    const { keywords } = keywordArgs(node.childForFieldName("arguments"));
    if (kind === "prompts") {
      if (!keywords.has("name")) return;
      const prompt: PromptDefinition = {
        name: plain(keywords.get("name"), resolver) ?? null,
        args: promptArguments(keywords.get("arguments"), resolver),
        api: "py-lowlevel.list_prompts",
        span: spanOf(node, path),
      };
      assign(prompt, "description", text(keywords.get("description"), resolver));
      assign(prompt, "title", text(keywords.get("title"), resolver));
      out.prompts.push(prompt);
    } else {
      const uriNode = keywords.get(kind === "templates" ? "uriTemplate" : "uri");
      if (!uriNode && !keywords.has("name")) return;
      const resource: ResourceDefinition = {
        name: plain(keywords.get("name"), resolver) ?? null,
        template: kind === "templates",
        api: kind === "templates" ? "py-lowlevel.list_resource_templates" : "py-lowlevel.list_resources",
        span: spanOf(node, path),
      };
      assign(resource, "uri", text(uriNode, resolver));
      assign(resource, "description", text(keywords.get("description"), resolver));
      assign(resource, "title", text(keywords.get("title"), resolver));
      assign(resource, "mimeType", plain(keywords.get("mimeType") ?? keywords.get("mime_type"), resolver));
      out.resources.push(resource);
    }
    return false;
  });
}

const SERVER_CLASSES = /(^|\.)(FastMCP|Server|MCPServer)$/;

export function extractPythonSurface(root: Node, resolver: Resolver, path: string): SurfaceFacts {
  const out: SurfaceFacts = { prompts: [], resources: [], instructions: [] };
  nodes: for (const node of namedDescendants(root, ["call", "decorated_definition"])) {
    if (node.type === "call") {
      const callee = node.childForFieldName("function")?.text ?? "";
      const match = SERVER_CLASSES.exec(callee);
      if (match) {
        const value = keywordArgs(node.childForFieldName("arguments")).keywords.get("instructions");
        if (value) {
          const api = match[2] === "FastMCP" ? "py-fastmcp.FastMCP" : "py-lowlevel.Server";
          out.instructions.push({ text: resolver.text(value), api, span: spanOf(value, path) });
        }
      }
      continue nodes;
    }
    if (node.type !== "decorated_definition") continue nodes;
    const fn = node.childForFieldName("definition");
    for (const decorator of args(node).filter((c) => c.type === "decorator")) {
      const prompt = toolDecorator(decorator, "prompt");
      if (prompt) {
        const found = decoratedPrompt(node, prompt.argList, resolver, path);
        if (found) out.prompts.push(found);
        continue nodes;
      }
      const resource = toolDecorator(decorator, "resource");
      if (resource) {
        const found = decoratedResource(node, resource.argList, resolver, path);
        if (found) out.resources.push(found);
        continue nodes;
      }
      if (fn?.type !== "function_definition") continue;
      if (toolDecorator(decorator, "list_prompts")) lowLevel(fn, "prompts", resolver, path, out);
      else if (toolDecorator(decorator, "list_resources")) lowLevel(fn, "resources", resolver, path, out);
      else if (toolDecorator(decorator, "list_resource_templates")) lowLevel(fn, "templates", resolver, path, out);
    }
  }
  return out;
}
