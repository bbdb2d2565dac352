/**
 * Which dependencies make a folder an MCP server. Only server-side SDKs and frameworks are
 * listed: a project that merely talks to MCP servers (an agent, an IDE plugin) is not a
 * server. Left out on purpose: `@modelcontextprotocol/client`, `@modelcontextprotocol/inspector`,
 * `@mastra/mcp` (mostly used as a client), `mcp-use`, `@langchain/mcp-adapters`, and Python's
 * `mcp-use` and `langchain-mcp-adapters`. The official SDKs ship client and server together;
 * depending on them is still taken as a server, which is what such a package is in practice.
 */

/** npm package -> framework label. */
export const NODE_SERVER_PACKAGES: ReadonlyMap<string, string> = new Map([
  ["@modelcontextprotocol/sdk", "@modelcontextprotocol/sdk"],
  ["@modelcontextprotocol/server", "@modelcontextprotocol/server"],
  ["fastmcp", "fastmcp"],
  ["mcp-framework", "mcp-framework"],
  ["mcp-handler", "mcp-handler"],
  ["@vercel/mcp-adapter", "@vercel/mcp-adapter"],
  ["xmcp", "xmcp"],
  ["tmcp", "tmcp"],
  ["@rekog/mcp-nest", "@rekog/mcp-nest"],
  ["@hono/mcp", "@hono/mcp"],
  ["@cloudflare/workers-mcp", "@cloudflare/workers-mcp"],
]);

/** The official reference servers are published under this prefix. */
export const REFERENCE_SERVER_PREFIX = "@modelcontextprotocol/server-";

/** PEP 503-normalised PyPI name -> framework label. */
export const PYTHON_SERVER_PACKAGES: ReadonlyMap<string, string> = new Map([
  ["mcp", "mcp"],
  ["fastmcp", "fastmcp"],
  ["fastapi-mcp", "fastapi-mcp"],
]);

/** Go module path -> framework label. */
export const GO_SERVER_MODULES: ReadonlyMap<string, string> = new Map([
  ["github.com/mark3labs/mcp-go", "mcp-go"],
  ["github.com/modelcontextprotocol/go-sdk", "go-sdk"],
  ["github.com/metoro-io/mcp-golang", "mcp-golang"],
]);

/** PEP 503 name normalisation: case-insensitive, runs of `-`, `_`, `.` are equivalent. */
export function normalisePythonName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, "-");
}
