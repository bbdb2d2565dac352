import { z } from "zod";
import type { ClientConfigFile, ClientConfigServer } from "../extract/client-config.js";
import { LineIndex } from "../line-index.js";
import { parseTomlManifest, schemaProblems, tomlLine, type ManifestProblem } from "./parse-safe.js";
import type { CodexDocument } from "./registry-types.js";

/**
 * Codex CLI project config, `.codex/config.toml`: MCP servers are `[mcp_servers.NAME]` tables
 * with `command`, `args`, `env`, `env_vars`, `cwd` (stdio) or `url`, `bearer_token_env_var`,
 * `http_headers`, `env_http_headers` (streamable HTTP), plus `enabled`, timeouts and tool
 * filters. The rest of the file is Codex's own settings and passes unread.
 */

const text = z.string().max(10_000);
const scalar = z.union([z.string(), z.number(), z.boolean()]).transform((v) => String(v));

const codexServer = z
  .looseObject({
    command: text.optional(),
    args: z.array(scalar).max(500).optional(),
    env: z.record(z.string(), scalar).optional(),
    env_vars: z.array(text).max(500).optional(),
    cwd: text.optional(),
    url: text.optional(),
    bearer_token_env_var: text.optional(),
    http_headers: z.record(z.string(), text).optional(),
    env_http_headers: z.record(z.string(), text).optional(),
    enabled: z.boolean().optional(),
  })
  .refine((s) => s.command !== undefined || s.url !== undefined, {
    message: "an MCP server needs `command` (stdio) or `url` (streamable HTTP)",
  });

/** Servers are validated one by one: one malformed entry must not hide the others. */
export const codexSchema = z.looseObject({
  mcp_servers: z.record(z.string(), z.unknown()).optional(),
});

type CodexServerConfig = z.infer<typeof codexServer>;

export function isCodexConfigPath(path: string): boolean {
  return path === ".codex/config.toml" || path.endsWith("/.codex/config.toml");
}

/** First line of a server's table and its last non-blank line before the next unrelated table. */
function spanOf(lines: LineIndex, name: string): { line: number; endLine: number } {
  const line = tomlLine(lines, ["mcp_servers", name]);
  let endLine = line;
  const own = /^\s*\[/.test(lines.lineText(line));
  if (!own) return { line, endLine };
  for (let l = line + 1; l <= lines.count; l++) {
    const t = lines.lineText(l);
    // Sub-tables such as [mcp_servers.NAME.env] belong to the server.
    if (/^\s*\[/.test(t) && !t.includes(`.${name}.`) && !t.includes(`."${name}".`)) break;
    if (t.trim() !== "" && !/^\s*#/.test(t)) endLine = l;
  }
  return { line, endLine };
}

function envLine(lines: LineIndex, span: { line: number; endLine: number }, key: string): number {
  const escaped = key.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const pattern = new RegExp(`(^|[\\s{,])"?${escaped}"?\\s*=`);
  for (let l = span.line; l <= span.endLine; l++) if (pattern.test(lines.lineText(l))) return l;
  return span.line;
}

function parseCodex(source: string) {
  const parsed = parseTomlManifest(source);
  if (parsed.value === undefined) return { parsed, problems: parsed.problems };
  const result = codexSchema.safeParse(parsed.value);
  if (!result.success) return { parsed, problems: schemaProblems(result.error, parsed) };
  const problems: ManifestProblem[] = [];
  const servers: Record<string, CodexServerConfig> = {};
  for (const [name, raw] of Object.entries(result.data.mcp_servers ?? {}).slice(0, 1000)) {
    const server = codexServer.safeParse(raw);
    if (server.success) servers[name] = server.data;
    else {
      problems.push(...schemaProblems(server.error, parsed, ["mcp_servers", name]));
    }
  }
  return { parsed, problems, servers };
}

export function readCodex(path: string, source: string): CodexDocument {
  const { problems, servers } = parseCodex(source);
  const doc: CodexDocument = { format: "codex", path, problems, valid: problems.length === 0, servers: [] };
  if (!servers) return doc;
  const lines = new LineIndex(source);
  for (const [name, server] of Object.entries(servers)) {
    const entry: CodexDocument["servers"][number] = { name, line: tomlLine(lines, ["mcp_servers", name, server.url !== undefined ? "url" : "command"]) };
    if (server.url !== undefined) entry.url = server.url;
    doc.servers.push(entry);
  }
  return doc;
}

function clientServer(name: string, server: CodexServerConfig, path: string, lines: LineIndex): ClientConfigServer {
  const span = spanOf(lines, name);
  const env: Record<string, string> = {};
  const envLines: Record<string, number> = {};
  for (const [key, value] of Object.entries(server.env ?? {})) {
    env[key] = value;
    envLines[key] = envLine(lines, span, key);
  }
  const out: ClientConfigServer = { name, args: server.args ?? [], env, envLines, span: { path, ...span } };
  if (server.command !== undefined) out.command = server.command;
  if (server.url !== undefined) {
    out.url = server.url;
    out.type = "http";
  }
  return out;
}

/**
 * The servers of a `.codex/config.toml` as client-config facts, so the launch and secrets rules
 * read them like any other client config. Parse and schema problems are reported by the
 * manifest rules (MCPW-MANIFEST-001), so none is set here; an unreadable file yields undefined.
 */
export function codexClientConfig(path: string, source: string): ClientConfigFile | undefined {
  const { servers } = parseCodex(source);
  if (!servers || Object.keys(servers).length === 0) return undefined;
  const lines = new LineIndex(source);
  return { path, servers: Object.entries(servers).map(([name, s]) => clientServer(name, s, path, lines)) };
}
