import { LineIndex } from "../line-index.js";
import { parseTree, printParseErrorCode, type Node, type ParseError } from "jsonc-parser";
import { z } from "zod";
import type { RepoSnapshot } from "../snapshot/types.js";
import type { Span } from "./types.js";
import { codexClientConfig, isCodexConfigPath } from "../manifests/codex.js";

/**
 * MCP client configurations: the files that tell Claude Desktop, Claude Code, Cursor, VS Code,
 * Windsurf or Gemini CLI which MCP servers to launch and how. Repositories ship them as examples
 * or for their own development; what they launch runs on the developer's machine.
 */

export interface ClientConfigServer {
  /** The entry's key (or `name` field in list-shaped configs). */
  name: string;
  command?: string;
  args: string[];
  env: Record<string, string>;
  url?: string;
  /** `type` or `transport` as written, e.g. "stdio", "http", "sse". */
  type?: string;
  /** From the entry's key to the end of its value. */
  span: Span;
  /** 1-based line of each env entry, for findings that point at one variable. */
  envLines: Record<string, number>;
}

export interface ClientConfigFile {
  path: string;
  servers: ClientConfigServer[];
  /** The file is not valid JSON/JSONC; servers holds what could still be read. */
  error?: { message: string; line: number; column: number };
}

/** Config files are small; a bigger one is not worth parsing and may be hostile. */
export const MAX_CLIENT_CONFIG_BYTES = 256 * 1024;
const MAX_SERVERS = 1000;
const MAX_ARGS = 500;
const MAX_ENV = 500;
/** jsonc-parser recurses per nesting level; real configs are a few levels deep. */
const MAX_NESTING = 64;

type Kind = "mcp" | "settings";

/** Which files are client configs. "settings" files count only when they declare MCP servers. */
function kindOf(path: string): Kind | undefined {
  const parts = path.split("/");
  const base = parts[parts.length - 1].toLowerCase();
  const dir = (parts[parts.length - 2] ?? "").toLowerCase();
  if (base === ".mcp.json" || base === "mcp.json" || base === "claude_desktop_config.json" || base === "mcp_config.json") {
    return "mcp";
  }
  if ((dir === ".claude" || dir === ".gemini") && /^settings(\.[\w-]+)?\.json$/.test(base)) return "settings";
  if (dir === ".vscode" && base === "settings.json") return "settings";
  return undefined;
}

const text = z.string().max(10_000);
const scalar = z.union([z.string(), z.number(), z.boolean()]).transform((v) => String(v));

/** Shape of one server entry; anything malformed degrades to "absent", never to an exception. */
const serverSchema = z.object({
  command: text.optional().catch(undefined),
  args: z
    .array(z.unknown())
    .catch([])
    .transform((items) =>
      items.slice(0, MAX_ARGS).flatMap((item) => {
        const r = scalar.safeParse(item);
        return r.success ? [r.data] : [];
      }),
    ),
  url: text.optional().catch(undefined),
  serverUrl: text.optional().catch(undefined),
  httpUrl: text.optional().catch(undefined),
  type: text.optional().catch(undefined),
  transport: text.optional().catch(undefined),
});


/** Maximum bracket depth, counted cheaply before handing the text to a recursive parser. */
function nestingDepth(source: string): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (inString) {
      if (c === "\\") i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === "{" || c === "[") max = Math.max(max, ++depth);
    else if (c === "}" || c === "]") depth--;
  }
  return max;
}

function property(node: Node | undefined, key: string): Node | undefined {
  if (node?.type !== "object") return undefined;
  for (const prop of node.children ?? []) {
    if (prop.children?.[0]?.value === key) return prop.children[1];
  }
  return undefined;
}

const UNSAFE_KEYS = new Set(["__proto__", "constructor", "prototype"]);

/** Plain value of a node, without prototype-affecting keys; depth is already bounded. */
function plain(node: Node | undefined): unknown {
  if (!node) return undefined;
  switch (node.type) {
    case "object": {
      const out: Record<string, unknown> = {};
      for (const prop of node.children ?? []) {
        const key = prop.children?.[0]?.value;
        if (typeof key === "string" && !UNSAFE_KEYS.has(key)) out[key] = plain(prop.children?.[1]);
      }
      return out;
    }
    case "array":
      return (node.children ?? []).map(plain);
    default:
      return node.value;
  }
}

/** The node holding the server map (or list), per config dialect. */
function serversNode(root: Node, kind: Kind): Node | undefined {
  const mcpServers = property(root, "mcpServers");
  if (mcpServers) return mcpServers;
  // VS Code: mcp.json has top-level `servers`; settings.json nests it under `mcp`.
  if (kind === "mcp") return property(root, "servers");
  return property(property(root, "mcp"), "servers");
}

function readServer(
  name: string,
  entryNode: Node,
  spanStart: number,
  path: string,
  starts: LineIndex,
): ClientConfigServer | undefined {
  if (entryNode.type !== "object") return undefined;
  const parsed = serverSchema.safeParse(plain(entryNode));
  if (!parsed.success) return undefined;
  const value = parsed.data;

  const env: Record<string, string> = {};
  const envLines: Record<string, number> = {};
  const envNode = property(entryNode, "env");
  for (const prop of (envNode?.type === "object" ? envNode.children : undefined)?.slice(0, MAX_ENV) ?? []) {
    const keyNode = prop.children?.[0];
    const valueNode = prop.children?.[1];
    if (typeof keyNode?.value !== "string" || UNSAFE_KEYS.has(keyNode.value) || !valueNode) continue;
    const v = scalar.safeParse(valueNode.value);
    if (!v.success || valueNode.type === "object" || valueNode.type === "array") continue;
    env[keyNode.value] = v.data;
    envLines[keyNode.value] = starts.positionAt(keyNode.offset).line;
  }

  const server: ClientConfigServer = {
    name,
    args: value.args,
    env,
    envLines,
    span: {
      path,
      line: starts.positionAt(spanStart).line,
      endLine: starts.positionAt(entryNode.offset + Math.max(entryNode.length - 1, 0)).line,
    },
  };
  if (value.command !== undefined) server.command = value.command;
  const url = value.url ?? value.serverUrl ?? value.httpUrl;
  if (url !== undefined) server.url = url;
  const type = value.type ?? value.transport;
  if (type !== undefined) server.type = type;
  return server;
}

function readServers(node: Node, path: string, starts: LineIndex): ClientConfigServer[] {
  const servers: ClientConfigServer[] = [];
  if (node.type === "object") {
    for (const prop of (node.children ?? []).slice(0, MAX_SERVERS)) {
      const [keyNode, valueNode] = prop.children ?? [];
      if (typeof keyNode?.value !== "string" || !valueNode) continue;
      const server = readServer(keyNode.value, valueNode, prop.offset, path, starts);
      if (server) servers.push(server);
    }
  } else if (node.type === "array") {
    // Some clients (e.g. Continue) list servers as [{ "name": ..., "command": ... }].
    for (const item of (node.children ?? []).slice(0, MAX_SERVERS)) {
      const nameNode = property(item, "name");
      const name = typeof nameNode?.value === "string" ? nameNode.value : `#${servers.length + 1}`;
      const server = readServer(name, item, item.offset, path, starts);
      if (server) servers.push(server);
    }
  }
  return servers;
}

/** Parse one file already known to be a client config candidate; undefined when it is not one. */
export function parseClientConfig(path: string, source: string, kind: Kind = kindOf(path) ?? "mcp"): ClientConfigFile | undefined {
  const starts = new LineIndex(source);
  const depth = nestingDepth(source);
  if (depth > MAX_NESTING) {
    if (kind === "settings") return undefined;
    return { path, servers: [], error: { message: `nesting deeper than ${MAX_NESTING} levels; file not read`, line: 1, column: 1 } };
  }
  const errors: ParseError[] = [];
  let root: Node | undefined;
  try {
    root = parseTree(source, errors, { allowTrailingComma: true, disallowComments: false, allowEmptyContent: true });
  } catch (err) {
    if (kind === "settings") return undefined;
    return { path, servers: [], error: { message: `could not be parsed: ${String((err as Error)?.message ?? err).slice(0, 200)}`, line: 1, column: 1 } };
  }
  const node = root?.type === "object" ? serversNode(root, kind) : undefined;
  const servers = node ? readServers(node, path, starts) : [];
  // A settings file without MCP servers is somebody else's business, broken or not.
  if (kind === "settings" && servers.length === 0) return undefined;
  if (errors.length > 0) {
    const first = errors[0];
    const at = starts.positionAt(first.offset);
    return { path, servers, error: { message: `invalid JSON: ${printParseErrorCode(first.error)}`, ...at } };
  }
  // A valid JSON file named mcp.json that declares no servers is some other kind of file.
  if (!node) return undefined;
  return { path, servers };
}

/** Every MCP client config in the snapshot, sorted by path. Pure; oversized files are skipped. */
export function extractClientConfigs(snapshot: RepoSnapshot): ClientConfigFile[] {
  const out: ClientConfigFile[] = [];
  const paths = [...snapshot.files.keys()].filter((p) => kindOf(p) !== undefined).sort();
  for (const path of paths) {
    const source = snapshot.files.get(path);
    if (source === undefined || source.length > MAX_CLIENT_CONFIG_BYTES) continue;
    if (Buffer.byteLength(source, "utf8") > MAX_CLIENT_CONFIG_BYTES) continue;
    const file = parseClientConfig(path, source);
    if (file) out.push(file);
  }
  // Codex keeps its MCP servers in TOML; read them as client configs so the same rules apply.
  for (const path of [...snapshot.files.keys()].filter(isCodexConfigPath).sort()) {
    const source = snapshot.files.get(path);
    if (source === undefined || source.length > MAX_CLIENT_CONFIG_BYTES) continue;
    const file = codexClientConfig(path, source);
    if (file) out.push(file);
  }
  return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** True for paths this module reads as MCP client configs. */
export function isClientConfigPath(path: string): boolean {
  return kindOf(path) !== undefined || isCodexConfigPath(path);
}
