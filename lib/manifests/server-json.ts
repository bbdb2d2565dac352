import { z } from "zod";
import { isRegistryServerJson } from "../detect/manifests.js";
import { parseJsonManifest, schemaProblems, type ParsedManifest } from "./parse-safe.js";
import type { DeclaredTool, RegistryPackage, RegistryRemote, ServerJsonDocument } from "./registry-types.js";

/**
 * server.json of the official MCP registry (schemas at static.modelcontextprotocol.io, e.g.
 * 2025-09-29/server.schema.json). Field names are the registry's; the older snake_case names
 * (`registry_name`, `registry_type`, `runtime_hint`, `package_arguments`,
 * `environment_variables`) are still found in repositories and read too. Unknown fields pass.
 */

const text = z.string().max(10_000);

/** KeyValueInput: an environment variable or header; `value` is fixed by the publisher. */
const keyValueInput = z.looseObject({
  name: text,
  description: text.optional(),
  value: text.optional(),
  default: text.optional(),
  isSecret: z.boolean().optional(),
  isRequired: z.boolean().optional(),
});

const transport = z.looseObject({
  type: text,
  url: text.optional(),
  headers: z.array(keyValueInput).max(500).optional(),
});

const registryPackage = z
  .looseObject({
    registryType: text.optional(),
    registry_type: text.optional(),
    registry_name: text.optional(),
    registryBaseUrl: text.optional(),
    identifier: text.optional(),
    name: text.optional(),
    // Required by the schema, but a missing version is what MCPW-LAUNCH-002 reports, not a parse error.
    version: text.optional(),
    fileSha256: text.optional(),
    runtimeHint: text.optional(),
    runtime_hint: text.optional(),
    transport: transport.optional(),
    runtimeArguments: z.array(z.unknown()).max(500).optional(),
    packageArguments: z.array(z.unknown()).max(500).optional(),
    package_arguments: z.array(z.unknown()).max(500).optional(),
    environmentVariables: z.array(keyValueInput).max(500).optional(),
    environment_variables: z.array(keyValueInput).max(500).optional(),
  })
  .refine((p) => (p.registryType ?? p.registry_type ?? p.registry_name) !== undefined, {
    message: "a package needs `registryType` (npm, pypi, oci, nuget or mcpb)",
  })
  .refine((p) => (p.identifier ?? p.name) !== undefined, { message: "a package needs an `identifier`" });

const remote = z.looseObject({
  type: text,
  url: text,
  headers: z.array(keyValueInput).max(500).optional(),
});

const toolEntry = z.union([text, z.looseObject({ name: text })]);

export const serverJsonSchema = z.looseObject({
  $schema: text.optional(),
  name: text.min(1),
  description: text.optional(),
  version: text.optional(),
  packages: z.array(registryPackage).max(200).optional(),
  remotes: z.array(remote).max(200).optional(),
  tools: z.array(toolEntry).max(2000).optional(),
});

export type ServerJson = z.infer<typeof serverJsonSchema>;

/** True for paths read as registry server.json. */
export function isServerJsonPath(path: string): boolean {
  return path === "server.json" || path.endsWith("/server.json");
}

/** A file we could not parse counts as a registry manifest only when it says so. */
function claimsToBeServerJson(source: string): boolean {
  const head = source.slice(0, 64 * 1024);
  return head.includes("modelcontextprotocol") || (/"name"\s*:/.test(head) && /"(packages|remotes)"\s*:/.test(head));
}

function packagesOf(data: ServerJson, parsed: ParsedManifest): RegistryPackage[] {
  return (data.packages ?? []).map((p, index) => {
    const registryType = p.registryType ?? p.registry_type ?? p.registry_name;
    const pkg: RegistryPackage = { index, line: parsed.locate(["packages", index]).line };
    if (registryType !== undefined) pkg.registryType = registryType.toLowerCase();
    const identifier = p.identifier ?? p.name;
    if (identifier !== undefined) pkg.identifier = identifier;
    if (p.version !== undefined) pkg.version = p.version;
    const hint = p.runtimeHint ?? p.runtime_hint;
    if (hint !== undefined) pkg.runtimeHint = hint;
    if (p.transport) {
      pkg.transportType = p.transport.type;
      if (p.transport.url !== undefined) {
        pkg.transportUrl = p.transport.url;
        pkg.transportUrlLine = parsed.locate(["packages", index, "transport", "url"]).line;
      }
    }
    return pkg;
  });
}

function remotesOf(data: ServerJson, parsed: ParsedManifest): RegistryRemote[] {
  return (data.remotes ?? []).map((r, index) => ({ index, type: r.type, url: r.url, line: parsed.locate(["remotes", index, "url"]).line }));
}

function toolsOf(data: ServerJson, parsed: ParsedManifest): DeclaredTool[] | undefined {
  if (!data.tools) return undefined;
  return data.tools.map((t, i) => ({ name: typeof t === "string" ? t : t.name, line: parsed.locate(["tools", i]).line }));
}

/** Reads one server.json; undefined when the file is some other program's server.json. */
export function readServerJson(path: string, source: string): ServerJsonDocument | undefined {
  const parsed = parseJsonManifest(source);
  const empty: ServerJsonDocument = { format: "server.json", path, problems: parsed.problems, valid: false, nameLine: 1, packages: [], remotes: [] };
  if (parsed.value === undefined) return claimsToBeServerJson(source) ? empty : undefined;
  if (!isRegistryServerJson(parsed.value)) return undefined;
  const result = serverJsonSchema.safeParse(parsed.value);
  if (!result.success) return { ...empty, problems: [...parsed.problems, ...schemaProblems(result.error, parsed)] };
  const data = result.data;
  const doc: ServerJsonDocument = {
    ...empty,
    valid: true,
    name: data.name,
    nameLine: parsed.locate(["name"]).line,
    packages: packagesOf(data, parsed),
    remotes: remotesOf(data, parsed),
  };
  const tools = toolsOf(data, parsed);
  if (tools) {
    doc.tools = tools;
    doc.toolsLine = parsed.locate(["tools"]).line;
  }
  return doc;
}

const packageJsonSchema = z.looseObject({ name: text.optional().catch(undefined), mcpName: text.optional().catch(undefined) });

/** `name` and `mcpName` of a package.json; its own problems are the dependency readers' business. */
export function readPackageNames(path: string, source: string): ServerJsonDocument["packageJson"] {
  const parsed = parseJsonManifest(source);
  const result = packageJsonSchema.safeParse(parsed.value);
  if (!result.success) return undefined;
  const out: NonNullable<ServerJsonDocument["packageJson"]> = { path };
  if (result.data.name !== undefined) out.name = result.data.name;
  if (result.data.mcpName !== undefined) out.mcpName = result.data.mcpName;
  return out;
}
