import type { Node } from "web-tree-sitter";
import type { McpServer } from "../detect/types.js";
import type { RepoSnapshot } from "../snapshot/types.js";
import { extractCapabilities } from "./capabilities.js";
import { linkCapabilities } from "./capabilities-link.js";
import { extractClientConfigs } from "./client-config.js";
import { extractGoTools } from "./go-tools.js";
import { languageOf, parseSource } from "./parser.js";
import { extractPythonTools } from "./py-tools.js";
import { extractFlows } from "../taint/index.js";
import { createResolver, type CrossFileLookup, type Resolver } from "./resolve.js";
import { ConstnessAnalyzer } from "./constness.js";
import { familyOf } from "./shell-ast.js";
import { extractShellCalls, shellCallDrafts } from "./shell.js";
import { Scopes } from "./shell-scope.js";
import { extractSurface } from "./surface-extract.js";
import { createCrossFile } from "./surface-imports.js";
import { extractTransportFacts } from "./transport.js";
import { extractJsTools } from "./ts-tools.js";
import type { ExtractedFacts, FileFacts, ShellCall, SourceLanguage, ToolDefinition } from "./types.js";

/** Larger sources are not parsed: generated bundles, not hand-written servers, and slow to walk. */
export const MAX_PARSE_BYTES = 512 * 1024;

/** Tool definitions in one parsed file. */
export function extractTools(root: Node, lang: SourceLanguage, path: string, resolver: Resolver = createResolver(lang, root, path)): ToolDefinition[] {
  if (lang === "python") return extractPythonTools(root, resolver, path);
  if (lang === "go") return extractGoTools(root, resolver, path);
  return extractJsTools(root, resolver, path);
}

/** Tool definitions in one source text (parses, extracts, frees the tree). */
export async function extractToolsFromSource(path: string, text: string, lang = languageOf(path)): Promise<ToolDefinition[]> {
  if (!lang) return [];
  const tree = await parseSource(lang, text);
  if (!tree) return [];
  try {
    return extractTools(tree.rootNode, lang, path);
  } finally {
    tree.delete();
  }
}

/** Tie each shell call to the tool whose handler contains it (innermost handler wins). */
export function attachToolsToCalls(tools: ToolDefinition[], calls: ShellCall[]): void {
  for (const call of calls) {
    let best: { name: string; size: number } | undefined;
    for (const tool of tools) {
      const h = tool.handler?.span;
      if (!h || tool.name === null || h.path !== call.span.path) continue;
      if (call.span.line < h.line || call.span.endLine > h.endLine) continue;
      const size = h.endLine - h.line;
      if (!best || size < best.size) best = { name: tool.name, size };
    }
    if (best) call.tool = best.name;
  }
}

function underServer(path: string, servers: McpServer[]): boolean {
  if (servers.length === 0) return true;
  return servers.some((s) => s.root === "." || s.root === "" || path.startsWith(`${s.root.replace(/\/+$/, "")}/`));
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

async function factsForFile(path: string, text: string, lang: SourceLanguage, crossFile?: CrossFileLookup): Promise<FileFacts> {
  const facts: FileFacts = { path, language: lang, tools: [], shellCalls: [], flows: [], transport: [], problems: [] };
  const bytes = Buffer.byteLength(text, "utf8");
  if (bytes > MAX_PARSE_BYTES) {
    facts.problems.push({ path, message: `not analysed: ${Math.round(bytes / 1024)} KiB of source is over the ${MAX_PARSE_BYTES / 1024} KiB parse limit` });
    return facts;
  }
  let tree;
  try {
    tree = await parseSource(lang, text);
  } catch (err) {
    facts.problems.push({ path, message: `could not be parsed: ${message(err)}` });
    return facts;
  }
  if (!tree) {
    facts.problems.push({ path, message: "could not be parsed" });
    return facts;
  }
  try {
    const root = tree.rootNode;
    if (root.hasError) facts.problems.push({ path, message: "has syntax errors; results for this file may be incomplete" });
    // One resolver per file, shared by tools and the rest of the surface; constants imported
    // from other files of the snapshot resolve too.
    const resolver = createResolver(lang, root, path, crossFile);
    // One analyzer per file: shell calls, capabilities, data flows and transport all look names
    // up in the same scopes, so each scope's bindings are collected once.
    const analyzer = new ConstnessAnalyzer(root, lang, new Scopes(familyOf(lang), root));
    const drafts = shellCallDrafts(root, lang, analyzer);
    try {
      facts.tools = extractTools(root, lang, path, resolver);
    } catch (err) {
      facts.problems.push({ path, message: `tool extraction failed: ${message(err)}` });
    }
    try {
      const surface = extractSurface(root, lang, path, resolver);
      facts.prompts = surface.prompts;
      facts.resources = surface.resources;
      facts.instructions = surface.instructions;
    } catch (err) {
      facts.problems.push({ path, message: `prompt/resource extraction failed: ${message(err)}` });
    }
    try {
      facts.shellCalls = extractShellCalls(tree, lang, path, text, analyzer, drafts);
    } catch (err) {
      facts.problems.push({ path, message: `shell call analysis failed: ${message(err)}` });
    }
    attachToolsToCalls(facts.tools, facts.shellCalls);
    try {
      facts.capabilitySummary = extractCapabilities({ root, lang, path, tools: facts.tools, shellCalls: facts.shellCalls, analyzer });
    } catch (err) {
      facts.problems.push({ path, message: `capability analysis failed: ${message(err)}` });
    }
    try {
      facts.flows = extractFlows({ root, lang, path, text, tools: facts.tools, analyzer, shellDrafts: drafts });
    } catch (err) {
      facts.problems.push({ path, message: `data-flow analysis failed: ${message(err)}` });
    }
    try {
      facts.transport = extractTransportFacts(root, lang, path, text, analyzer);
    } catch (err) {
      facts.problems.push({ path, message: `transport analysis failed: ${message(err)}` });
    }
  } finally {
    tree.delete();
  }
  return facts;
}

/**
 * Parse every source file of the snapshot that belongs to a detected server (all of them when
 * none was detected) once, and collect tool definitions and shell calls. A file that cannot be
 * analysed becomes a `problems` entry; the scan goes on.
 */
export async function extractFacts(snapshot: RepoSnapshot, servers: McpServer[]): Promise<ExtractedFacts> {
  const files: FileFacts[] = [];
  const paths = [...snapshot.files.keys()].sort();
  let crossFile: CrossFileLookup | undefined;
  try {
    crossFile = await createCrossFile(snapshot.files, MAX_PARSE_BYTES);
  } catch {
    // Without it, imported constants stay dynamic; nothing else depends on it.
  }
  for (const path of paths) {
    const lang = languageOf(path);
    if (!lang || !underServer(path, servers)) continue;
    files.push(await factsForFile(path, snapshot.files.get(path)!, lang, crossFile));
  }
  try {
    linkCapabilities(files);
  } catch {
    // Calls into other files stay unresolved; each tool keeps what its own file shows.
  }
  const result: ExtractedFacts = { files };
  try {
    result.clientConfigs = extractClientConfigs(snapshot);
  } catch {
    // Client configs are an extra; a failure there must not cost the source facts.
  }
  return result;
}
