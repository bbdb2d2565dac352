import type { ManifestProblem } from "./parse-safe.js";

/** Facts read from registry manifests; rules read these, never the files. */

export type RegistryFormat = "server.json" | "smithery.yaml" | "mcpb" | "codex";

/** A launch a manifest describes: the program and its arguments as a client would run them. */
export interface ManifestLaunch {
  /** Where it is written, e.g. "commandFunction", "server.mcp_config", "mcp_servers.fs". */
  label: string;
  command?: string;
  /** Arguments; parts only known at run time are `${…}` placeholders. */
  args: string[];
  line: number;
  endLine: number;
}

/** A tool a manifest declares. */
export interface DeclaredTool {
  name: string;
  line: number;
}

interface DocumentBase {
  path: string;
  /** Parse, hardening and schema problems; a document with a fatal one has no other facts. */
  problems: ManifestProblem[];
  /** False when the file could not be read or validated: only `problems` are meaningful. */
  valid: boolean;
}

export interface RegistryPackage {
  index: number;
  /** `registryType` (or the older `registry_type` / `registry_name`), lower-cased: npm, pypi, oci, nuget, mcpb. */
  registryType?: string;
  /** `identifier` (or the older `name`). */
  identifier?: string;
  version?: string;
  runtimeHint?: string;
  transportType?: string;
  transportUrl?: string;
  transportUrlLine?: number;
  line: number;
}

export interface RegistryRemote {
  index: number;
  type?: string;
  url?: string;
  line: number;
}

export interface ServerJsonDocument extends DocumentBase {
  format: "server.json";
  name?: string;
  nameLine: number;
  packages: RegistryPackage[];
  remotes: RegistryRemote[];
  /** Not part of the registry schema, but some publishers list tools; undefined when absent. */
  tools?: DeclaredTool[];
  /** Line of the `tools` key (where a missing tool would be added). */
  toolsLine?: number;
  /** package.json in the same folder, for the name checks. */
  packageJson?: { path: string; name?: string; mcpName?: string };
}

export interface SmitheryDocument extends DocumentBase {
  format: "smithery.yaml";
  /** "stdio" or "http" from startCommand.type. */
  startType?: string;
  runtime?: string;
  /** Launches found in `startCommand.commandFunction` (or `startCommand.command`/`args`). */
  launches: ManifestLaunch[];
}

export interface UserConfigOption {
  key: string;
  type?: string;
  /** Defaults as strings (a `multiple` option has several). */
  defaults: string[];
  line: number;
}

export interface McpbDocument extends DocumentBase {
  format: "mcpb";
  name?: string;
  serverType?: string;
  launches: ManifestLaunch[];
  /** undefined when the manifest does not list tools. */
  tools?: DeclaredTool[];
  /** Line of the `tools` key (where a missing tool would be added). */
  toolsLine?: number;
  /** `tools_generated: true`: the list is known to be incomplete. */
  toolsGenerated: boolean;
  userConfig: UserConfigOption[];
  /** String values under a `permissions` object, when the manifest has one (not in the MCPB schema). */
  permissionPaths: { path: string; value: string; line: number }[];
}

export interface CodexServer {
  name: string;
  url?: string;
  line: number;
}

export interface CodexDocument extends DocumentBase {
  format: "codex";
  servers: CodexServer[];
}

export type RegistryDocument = ServerJsonDocument | SmitheryDocument | McpbDocument | CodexDocument;
