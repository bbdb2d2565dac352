import { load as loadYaml } from "js-yaml";
import type { ServerLanguage } from "./types.js";
import type { ServerSignal } from "./signals.js";
import { folderOf, isRecord, nonEmptyString, parseJson } from "./signals.js";

/**
 * server.json of the MCP registry: recognised by its `$schema` (the registry's schema URL)
 * or by the registry's shape, a `name` plus `packages` or `remotes`. A server.json that is
 * some web server's settings has neither.
 */
export function readServerJson(path: string, text: string): ServerSignal | undefined {
  const data = parseJson(text);
  if (!isRegistryServerJson(data)) return undefined;
  return {
    root: folderOf(path),
    ecosystem: "manifest",
    frameworks: [],
    evidence: [`${path} is an MCP registry server manifest`],
    name: nonEmptyString(data.name),
    language: registryLanguage(data.packages),
  };
}

/** The registry's server.json, by `$schema` or shape (shared with lib/manifests). */
export function isRegistryServerJson(data: unknown): data is Record<string, unknown> {
  if (!isRecord(data)) return false;
  const schema = typeof data.$schema === "string" ? data.$schema : "";
  const bySchema = schema.includes("modelcontextprotocol");
  const byShape = nonEmptyString(data.name) !== undefined && (Array.isArray(data.packages) || Array.isArray(data.remotes));
  return bySchema || byShape;
}

function registryLanguage(packages: unknown): ServerLanguage | undefined {
  if (!Array.isArray(packages)) return undefined;
  for (const entry of packages) {
    if (!isRecord(entry)) continue;
    const registry = String(entry.registryType ?? entry.registry_type ?? entry.registry_name ?? "").toLowerCase();
    if (registry === "npm") return "javascript";
    if (registry === "pypi") return "python";
  }
  return undefined;
}

/** An MCPB/DXT manifest.json: versioned, with a launchable `server` (shared with lib/manifests). */
export function isBundleManifest(data: unknown): data is Record<string, unknown> & { server: Record<string, unknown> } {
  if (!isRecord(data) || !isRecord(data.server)) return false;
  const versioned = data.manifest_version !== undefined || data.dxt_version !== undefined;
  const server = data.server;
  const launchable = typeof server.type === "string" || typeof server.entry_point === "string" || isRecord(server.mcp_config);
  return versioned && launchable;
}

/** smithery.yaml: Smithery's deployment config (`startCommand` or `runtime`). */
export function readSmitheryYaml(path: string, text: string): ServerSignal | undefined {
  let data: unknown;
  try {
    data = loadYaml(text);
  } catch {
    return undefined;
  }
  if (!isRecord(data) || !("startCommand" in data || "runtime" in data || "build" in data)) return undefined;
  const runtime = typeof data.runtime === "string" ? data.runtime.toLowerCase() : "";
  const language: ServerLanguage | undefined =
    runtime === "typescript" ? "typescript" : runtime === "python" ? "python" : undefined;
  return {
    root: folderOf(path),
    ecosystem: "manifest",
    frameworks: [],
    evidence: [`${path} configures a Smithery MCP deployment`],
    language,
  };
}

/**
 * manifest.json of an MCPB (formerly DXT) bundle: a `server` object plus `manifest_version`
 * or `dxt_version`. Browser extensions and web app manifests have a `manifest_version` too,
 * but never a `server` object describing how to launch an MCP server.
 */
export function readBundleManifest(path: string, text: string): ServerSignal | undefined {
  const data = parseJson(text);
  if (!isBundleManifest(data)) return undefined;
  const server = data.server;
  const type = typeof server.type === "string" ? server.type.toLowerCase() : "";
  const language: ServerLanguage | undefined =
    type === "node" ? "javascript" : type === "python" || type === "uv" ? "python" : undefined;
  return {
    root: folderOf(path),
    ecosystem: "manifest",
    frameworks: [],
    evidence: [`${path} is an MCPB bundle manifest`],
    name: nonEmptyString(data.name) ?? nonEmptyString(data.display_name),
    language,
  };
}
