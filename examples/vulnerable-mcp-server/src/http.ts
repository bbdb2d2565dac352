// Streamable HTTP entry point (`node build/index.js --http`), for running the notes helper on a
// home server and reaching it from the other machines on the network.
import { randomUUID } from "node:crypto";
import { createServer } from "node:http";
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";

const PORT = Number(process.env.PORT ?? 3333);

export async function serveHttp(server: McpServer): Promise<void> {
  const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: () => randomUUID() });
  await server.connect(transport);

  // PROBLEM: listens on every interface and nothing checks who is calling.
  createServer((req, res) => {
    if (req.url?.startsWith("/mcp")) void transport.handleRequest(req, res);
    else res.writeHead(404).end();
  }).listen(PORT, "0.0.0.0");

  // SAFE: the health check for the local process supervisor binds to loopback only.
  createServer((_req, res) => res.end("ok")).listen(PORT + 1, "127.0.0.1");
}
