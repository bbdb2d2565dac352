import type { Node } from "web-tree-sitter";
import { goHandler } from "./go-tools.js";
import { args, namedDescendants, spanOf } from "./nodes.js";
import type { Resolver } from "./resolve.js";
import { assign, plainText as plain } from "./surface-common.js";
import type { SurfaceFacts } from "./surface-types.js";
import type { PromptDefinition, ResourceDefinition, ToolParam } from "./types.js";

/**
 * Prompts, resources and server instructions in Go: mcp-go (`mcp.NewPrompt`, `mcp.NewResource`,
 * `mcp.NewResourceTemplate`, `server.WithInstructions`, handlers from `s.AddPrompt(p, h)` ...)
 * and the official go-sdk (`&mcp.Prompt{}`, `&mcp.Resource{}`, `&mcp.ResourceTemplate{}`,
 * `&mcp.ServerOptions{Instructions: ...}`).
 */

function selectorCall(node: Node): { pkg?: string; name: string; callArgs: Node[] } | undefined {
  if (node.type !== "call_expression") return undefined;
  const fn = node.childForFieldName("function");
  if (fn?.type === "selector_expression") {
    const name = fn.childForFieldName("field")?.text;
    return name ? { pkg: fn.childForFieldName("operand")?.text, name, callArgs: args(node.childForFieldName("arguments")) } : undefined;
  }
  if (fn?.type === "identifier") return { name: fn.text, callArgs: args(node.childForFieldName("arguments")) };
  return undefined;
}

/** Keyed fields of a composite literal body (`{Name: "x", ...}`), values unwrapped. */
function keyed(body: Node | null | undefined): Map<string, Node> {
  const out = new Map<string, Node>();
  for (const element of args(body)) {
    if (element.type !== "keyed_element") continue;
    const [key, value] = args(element);
    const inner = value?.type === "literal_element" ? args(value)[0] : value;
    if (key && inner && !out.has(key.text)) out.set(key.text, inner);
  }
  return out;
}

function mcpGoPrompt(call: Node, callArgs: Node[], resolver: Resolver, path: string): PromptDefinition | undefined {
  const nameNode = callArgs[0];
  if (!nameNode) return undefined;
  const prompt: PromptDefinition = { name: plain(nameNode, resolver) ?? null, args: [], api: "mcp-go.NewPrompt", span: spanOf(call, path) };
  for (const option of callArgs.slice(1)) {
    const opt = selectorCall(option);
    if (!opt) continue;
    if (opt.name === "WithPromptDescription" && opt.callArgs[0]) prompt.description = resolver.text(opt.callArgs[0]);
    else if (opt.name === "WithPromptTitle" && opt.callArgs[0]) prompt.title = resolver.text(opt.callArgs[0]);
    else if (opt.name === "WithArgument" && opt.callArgs[0]) {
      const name = plain(opt.callArgs[0], resolver);
      if (!name) continue;
      const param: ToolParam = { name, required: false };
      for (const propOption of opt.callArgs.slice(1)) {
        const prop = selectorCall(propOption);
        if (prop?.name === "RequiredArgument") param.required = true;
        else if (prop?.name === "ArgumentDescription" && prop.callArgs[0]) param.description = resolver.text(prop.callArgs[0]);
      }
      prompt.args.push(param);
    }
  }
  return prompt;
}

function mcpGoResource(call: Node, callArgs: Node[], template: boolean, resolver: Resolver, path: string): ResourceDefinition | undefined {
  const [uriNode, nameNode] = callArgs;
  if (!uriNode || !nameNode) return undefined;
  const resource: ResourceDefinition = {
    name: plain(nameNode, resolver) ?? null,
    uri: resolver.text(uriNode),
    template,
    api: template ? "mcp-go.NewResourceTemplate" : "mcp-go.NewResource",
    span: spanOf(call, path),
  };
  for (const option of callArgs.slice(2)) {
    const opt = selectorCall(option);
    if (!opt?.callArgs[0]) continue;
    if (opt.name === "WithResourceDescription" || opt.name === "WithTemplateDescription") resource.description = resolver.text(opt.callArgs[0]);
    else if (opt.name === "WithMIMEType" || opt.name === "WithTemplateMIMEType") assign(resource, "mimeType", plain(opt.callArgs[0], resolver));
  }
  return resource;
}

function goSdkPrompt(literal: Node, resolver: Resolver, path: string): PromptDefinition | undefined {
  const fields = keyed(literal.childForFieldName("body"));
  if (!fields.has("Name")) return undefined;
  const prompt: PromptDefinition = { name: plain(fields.get("Name"), resolver) ?? null, args: [], api: "go-sdk.Prompt", span: spanOf(literal, path) };
  assign(prompt, "description", fields.get("Description") ? resolver.text(fields.get("Description")!) : undefined);
  assign(prompt, "title", fields.get("Title") ? resolver.text(fields.get("Title")!) : undefined);
  const list = fields.get("Arguments");
  if (list?.type === "composite_literal") {
    for (const element of args(list.childForFieldName("body")).slice(0, 200)) {
      let inner: Node | undefined = element.type === "literal_element" ? args(element)[0] : element;
      if (inner?.type === "unary_expression") inner = args(inner)[0];
      const body = inner?.type === "literal_value" ? inner : inner?.type === "composite_literal" ? inner.childForFieldName("body") : undefined;
      const arg = keyed(body);
      const name = plain(arg.get("Name"), resolver);
      if (!name) continue;
      const param: ToolParam = { name, required: arg.get("Required")?.type === "true" };
      const description = arg.get("Description");
      if (description) param.description = resolver.text(description);
      prompt.args.push(param);
    }
  }
  return prompt;
}

function goSdkResource(literal: Node, template: boolean, resolver: Resolver, path: string): ResourceDefinition | undefined {
  const fields = keyed(literal.childForFieldName("body"));
  const uriNode = fields.get(template ? "URITemplate" : "URI");
  if (!uriNode && !fields.has("Name")) return undefined;
  const resource: ResourceDefinition = {
    name: plain(fields.get("Name"), resolver) ?? null,
    template,
    api: template ? "go-sdk.ResourceTemplate" : "go-sdk.Resource",
    span: spanOf(literal, path),
  };
  if (uriNode) resource.uri = resolver.text(uriNode);
  if (fields.get("Description")) resource.description = resolver.text(fields.get("Description")!);
  if (fields.get("Title")) resource.title = resolver.text(fields.get("Title")!);
  assign(resource, "mimeType", plain(fields.get("MIMEType"), resolver));
  return resource;
}

/** The variable a definition is assigned to (`p := mcp.NewPrompt(...)`), for later registration. */
function boundVariable(node: Node): string | undefined {
  const holder = node.parent?.type === "unary_expression" ? node.parent : node;
  const parent = holder.parent?.parent;
  if (parent?.type !== "short_var_declaration" && parent?.type !== "var_spec" && parent?.type !== "assignment_statement") return undefined;
  const left = parent.childForFieldName("left") ?? parent.childForFieldName("name");
  const variable = left?.type === "expression_list" ? args(left)[0] : left;
  return variable?.type === "identifier" ? variable.text : undefined;
}

export function extractGoSurface(root: Node, resolver: Resolver, path: string): SurfaceFacts {
  const out: SurfaceFacts = { prompts: [], resources: [], instructions: [] };
  const byNode = new Map<number, PromptDefinition | ResourceDefinition>();
  const byVariable = new Map<string, PromptDefinition | ResourceDefinition>();
  const registrations: Node[][] = [];
  const remember = (node: Node, def: PromptDefinition | ResourceDefinition) => {
    byNode.set(node.id, def);
    const variable = boundVariable(node);
    if (variable) byVariable.set(variable, def);
  };

  for (const node of namedDescendants(root, ["call_expression", "composite_literal"])) {
    if (node.type === "call_expression") {
      const call = selectorCall(node);
      if (!call) continue;
      if (call.pkg && call.name === "NewPrompt") {
        const prompt = mcpGoPrompt(node, call.callArgs, resolver, path);
        if (prompt) {
          out.prompts.push(prompt);
          remember(node, prompt);
        }
      } else if (call.pkg && (call.name === "NewResource" || call.name === "NewResourceTemplate")) {
        const resource = mcpGoResource(node, call.callArgs, call.name === "NewResourceTemplate", resolver, path);
        if (resource) {
          out.resources.push(resource);
          remember(node, resource);
        }
      } else if (call.name === "WithInstructions" && call.callArgs[0]) {
        out.instructions.push({ text: resolver.text(call.callArgs[0]), api: "mcp-go.WithInstructions", span: spanOf(call.callArgs[0], path) });
      } else if (/^(AddPrompt|AddResource|AddResourceTemplate)$/.test(call.name) && call.callArgs.length >= 2) {
        registrations.push(call.callArgs);
      }
    } else if (node.type === "composite_literal") {
      const type = (node.childForFieldName("type")?.text ?? "").replace(/^mcp\./, "");
      if (type === "Prompt") {
        const prompt = goSdkPrompt(node, resolver, path);
        if (prompt) {
          out.prompts.push(prompt);
          remember(node, prompt);
        }
      } else if (type === "Resource" || type === "ResourceTemplate") {
        const resource = goSdkResource(node, type === "ResourceTemplate", resolver, path);
        if (resource) {
          out.resources.push(resource);
          remember(node, resource);
        }
      } else if (type === "ServerOptions") {
        const value = keyed(node.childForFieldName("body")).get("Instructions");
        if (value) out.instructions.push({ text: resolver.text(value), api: "go-sdk.ServerOptions", span: spanOf(value, path) });
      }
    }
  }

  // s.AddPrompt(prompt, handler) (mcp-go, go-sdk method) and mcp.AddPrompt(server, prompt, handler).
  for (const callArgs of registrations) {
    const handlerNode = callArgs[callArgs.length - 1];
    for (const candidate of callArgs.slice(0, -1)) {
      const target = candidate.type === "unary_expression" ? args(candidate)[0] : candidate;
      if (!target) continue;
      const def = byNode.get(target.id) ?? (target.type === "identifier" ? byVariable.get(target.text) : undefined);
      if (!def || def.handler) continue;
      const handler = goHandler(handlerNode, resolver, path);
      if (handler) def.handler = handler;
      break;
    }
  }
  return out;
}
