import type { Ecosystem } from "./types.js";

/**
 * The most used MCP SDKs, frameworks and servers per ecosystem: the names a typosquat imitates.
 * Go entries are module paths.
 */
export const POPULAR_MCP_PACKAGES: Record<Ecosystem, readonly string[]> = {
  npm: [
    "@modelcontextprotocol/sdk",
    "@modelcontextprotocol/inspector",
    "@modelcontextprotocol/server-filesystem",
    "@modelcontextprotocol/server-github",
    "@modelcontextprotocol/server-memory",
    "@modelcontextprotocol/server-everything",
    "@modelcontextprotocol/server-sequential-thinking",
    "@modelcontextprotocol/server-puppeteer",
    "@modelcontextprotocol/server-brave-search",
    "@modelcontextprotocol/server-postgres",
    "@modelcontextprotocol/server-slack",
    "@anthropic-ai/sdk",
    "fastmcp",
    "mcp-remote",
    "mcp-framework",
    "mcp-proxy",
    "mcp-handler",
    "supergateway",
  ],
  PyPI: ["mcp", "fastmcp", "mcp-proxy", "anthropic", "mcp-server-fetch", "mcp-server-git", "mcp-server-time", "mcpo", "fastapi-mcp", "langchain-mcp-adapters"],
  Go: ["github.com/mark3labs/mcp-go", "github.com/modelcontextprotocol/go-sdk", "github.com/metoro-io/mcp-golang"],
};

/** npm scopes owned by the publishers above: every package in them is genuine. */
export const GENUINE_NPM_SCOPES: readonly string[] = ["modelcontextprotocol", "anthropic-ai"];

/** Go repository owners of the modules above (host/owner): their modules are genuine. */
export const GENUINE_GO_OWNERS: readonly string[] = ["github.com/mark3labs", "github.com/modelcontextprotocol", "github.com/metoro-io"];

/**
 * Published packages that happen to sit within edit distance of a popular name but are their
 * own, long-standing projects (checked against the registries' package lists).
 */
export const KNOWN_NEIGHBOURS: Record<Ecosystem, readonly string[]> = {
  npm: [],
  PyPI: ["fastgcp", "fastmpp", "fastmap", "fastcp", "fastapi-mvp", "fastapi-mpp"],
  Go: [],
};

/** MCP SDKs and frameworks whose version range decides the protocol code a server runs. */
export const MCP_SDKS: Record<Ecosystem, readonly string[]> = {
  npm: ["@modelcontextprotocol/sdk", "fastmcp", "mcp-framework", "mcp-handler"],
  PyPI: ["mcp", "fastmcp"],
  // go.mod always names one exact version: there is no open range to report.
  Go: [],
};

/** A protocol-level weakness an SDK release fixed, with the advisory that announced it. */
export interface ProtocolFix {
  ecosystem: Ecosystem;
  name: string;
  /** First release with the fix. */
  fixed: string;
  /** What versions below `fixed` lack, in words a maintainer understands. */
  flaw: string;
  /** GHSA first, then CVE. */
  advisories: readonly string[];
}

/**
 * SDK releases that turned on DNS-rebinding protection by default for their HTTP transports
 * (MCP specification, transports, security warning). Before them a web page the user visits can
 * reach a local unauthenticated HTTP MCP server and call its tools.
 * Sources: GHSA-w48q-cv73-mx4w and GHSA-9h52-p55h-vw2f (shared advisory records); go-sdk
 * GHSA-xw59-hvm2-8pj6 (golang/vulndb#5771; fixed by go-sdk v1.4.0, "Introduced DNS rebinding protection").
 */
export const PROTOCOL_FIXES: readonly ProtocolFix[] = [
  {
    ecosystem: "npm",
    name: "@modelcontextprotocol/sdk",
    fixed: "1.24.0",
    flaw: "DNS-rebinding protection is off by default in its Streamable HTTP and SSE server transports",
    advisories: ["GHSA-w48q-cv73-mx4w", "CVE-2025-66414"],
  },
  {
    ecosystem: "PyPI",
    name: "mcp",
    fixed: "1.23.0",
    flaw: "DNS-rebinding protection is off by default in its Streamable HTTP and SSE server transports",
    advisories: ["GHSA-9h52-p55h-vw2f", "CVE-2025-66416"],
  },
  {
    ecosystem: "Go",
    name: "github.com/modelcontextprotocol/go-sdk",
    fixed: "v1.4.0",
    flaw: "DNS-rebinding protection is off by default in its StreamableHTTPHandler and SSEHandler",
    advisories: ["GHSA-xw59-hvm2-8pj6", "CVE-2026-34742"],
  },
];
