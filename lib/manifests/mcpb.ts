import { z } from "zod";
import { isBundleManifest } from "../detect/manifests.js";
import { parseJsonManifest, schemaProblems, type ParsedManifest } from "./parse-safe.js";
import type { DeclaredTool, ManifestLaunch, McpbDocument, UserConfigOption } from "./registry-types.js";

/**
 * manifest.json of an MCPB bundle (formerly DXT; github.com/anthropics/mcpb, schemas 0.1-0.4):
 * `manifest_version` (or the deprecated `dxt_version`), `name`, `version`, `server` with `type`
 * (node, python, binary, uv), `entry_point` and `mcp_config` (`command`, `args`, `env`,
 * `platform_overrides`), `tools`, `tools_generated`, `prompts`, `user_config`, `compatibility`.
 * `permissions` is not in the schema; when a manifest has one, its paths are read. Unknown fields pass.
 */

const text = z.string().max(100_000);

const mcpConfig = z.looseObject({
  command: text,
  args: z.array(text).max(500).optional(),
  env: z.record(z.string(), text).optional(),
  platform_overrides: z
    .record(
      z.string(),
      z.looseObject({ command: text.optional(), args: z.array(text).max(500).optional(), env: z.record(z.string(), text).optional() }),
    )
    .optional(),
});

const userConfigOption = z.looseObject({
  type: z.enum(["string", "number", "boolean", "directory", "file"]),
  title: text.optional(),
  description: text.optional(),
  required: z.boolean().optional(),
  default: z.union([z.string(), z.number(), z.boolean(), z.array(z.string())]).optional(),
  multiple: z.boolean().optional(),
  sensitive: z.boolean().optional(),
});

export const mcpbSchema = z
  .looseObject({
    manifest_version: text.optional(),
    dxt_version: text.optional(),
    name: text.min(1),
    display_name: text.optional(),
    version: text,
    description: text.optional(),
    server: z.looseObject({
      type: z.enum(["node", "python", "binary", "uv"]),
      entry_point: text,
      mcp_config: mcpConfig.optional(),
    }),
    tools: z.array(z.looseObject({ name: text, description: text.optional() })).max(2000).optional(),
    tools_generated: z.boolean().optional(),
    prompts: z.array(z.looseObject({ name: text, description: text.optional() })).max(2000).optional(),
    prompts_generated: z.boolean().optional(),
    user_config: z.record(z.string(), userConfigOption).optional(),
    compatibility: z.unknown().optional(),
    permissions: z.unknown().optional(),
  })
  .refine((d) => d.manifest_version !== undefined || d.dxt_version !== undefined, {
    message: "`manifest_version` (or the deprecated `dxt_version`) is required",
  });

type Mcpb = z.infer<typeof mcpbSchema>;

export function isMcpbPath(path: string): boolean {
  return path === "manifest.json" || path.endsWith("/manifest.json");
}

/** An unreadable manifest.json counts as an MCPB manifest only when it says so. */
function claimsToBeMcpb(source: string): boolean {
  const head = source.slice(0, 64 * 1024);
  return head.includes('"dxt_version"') || (head.includes('"manifest_version"') && /"(mcp_config|entry_point)"/.test(head));
}

function launchesOf(data: Mcpb, parsed: ParsedManifest): ManifestLaunch[] {
  const config = data.server.mcp_config;
  if (!config) return [];
  const at = (path: (string | number)[]) => parsed.locate(path).line;
  const launches: ManifestLaunch[] = [
    { label: "server.mcp_config", command: config.command, args: config.args ?? [], line: at(["server", "mcp_config", "command"]), endLine: at(["server", "mcp_config", "command"]) },
  ];
  for (const [platform, override] of Object.entries(config.platform_overrides ?? {})) {
    if (override.command === undefined && override.args === undefined) continue;
    const line = at(["server", "mcp_config", "platform_overrides", platform]);
    launches.push({
      label: `server.mcp_config.platform_overrides.${platform}`,
      command: override.command ?? config.command,
      args: override.args ?? config.args ?? [],
      line,
      endLine: line,
    });
  }
  return launches;
}

function userConfigOf(data: Mcpb, parsed: ParsedManifest): UserConfigOption[] {
  return Object.entries(data.user_config ?? {}).map(([key, option]) => {
    const d = option.default;
    const defaults = d === undefined ? [] : Array.isArray(d) ? d : [String(d)];
    return { key, type: option.type, defaults, line: parsed.locate(["user_config", key]).line };
  });
}

/** String leaves of `permissions` with their key paths (bounded). */
function permissionPaths(value: unknown, parsed: ParsedManifest): McpbDocument["permissionPaths"] {
  const out: McpbDocument["permissionPaths"] = [];
  const visit = (v: unknown, path: (string | number)[]): void => {
    if (out.length >= 200 || path.length > 12) return;
    if (typeof v === "string") out.push({ path: path.join("."), value: v, line: parsed.locate(path).line });
    else if (Array.isArray(v)) v.forEach((item, i) => visit(item, [...path, i]));
    else if (typeof v === "object" && v !== null) for (const [k, item] of Object.entries(v)) visit(item, [...path, k]);
  };
  visit(value, ["permissions"]);
  return out;
}

/** Reads one manifest.json; undefined when it is not an MCPB manifest (web app, browser extension). */
export function readMcpb(path: string, source: string): McpbDocument | undefined {
  const parsed = parseJsonManifest(source);
  const empty: McpbDocument = { format: "mcpb", path, problems: parsed.problems, valid: false, launches: [], toolsGenerated: false, userConfig: [], permissionPaths: [] };
  if (parsed.value === undefined) return claimsToBeMcpb(source) ? empty : undefined;
  if (!isBundleManifest(parsed.value)) return undefined;
  const result = mcpbSchema.safeParse(parsed.value);
  if (!result.success) return { ...empty, problems: [...parsed.problems, ...schemaProblems(result.error, parsed)] };
  const data = result.data;
  const doc: McpbDocument = {
    ...empty,
    valid: true,
    name: data.name,
    serverType: data.server.type,
    launches: launchesOf(data, parsed),
    toolsGenerated: data.tools_generated === true,
    userConfig: userConfigOf(data, parsed),
    permissionPaths: data.permissions === undefined ? [] : permissionPaths(data.permissions, parsed),
  };
  if (data.tools) {
    doc.tools = data.tools.map((t, i): DeclaredTool => ({ name: t.name, line: parsed.locate(["tools", i]).line }));
    doc.toolsLine = parsed.locate(["tools"]).line;
  }
  return doc;
}
