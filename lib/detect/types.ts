export type ServerLanguage = "typescript" | "javascript" | "python" | "go" | "unknown";

/** One MCP server found in a repository. */
export interface McpServer {
  /** Folder relative to the root, "." for the root itself. */
  root: string;
  /** Display name: package name, project name, module path or the folder. */
  name: string;
  language: ServerLanguage;
  /** SDKs/frameworks found, e.g. "@modelcontextprotocol/sdk", "fastmcp", "mcp-go". */
  frameworks: string[];
  /** Why this folder is considered an MCP server, e.g. "package.json depends on @modelcontextprotocol/sdk". */
  evidence: string[];
}
