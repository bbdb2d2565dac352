// Attachment and web-clipping tools, registered by index.ts.
import { promises as fs } from "node:fs";
import path from "node:path";
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { z } from "zod";

const ATTACHMENTS_DIR = path.resolve(process.env.ATTACHMENTS_DIR ?? "./attachments");

export function registerFileTools(server: McpServer): void {
  // PROBLEM: path traversal. `name` may contain `../`, and the joined path is never checked.
  server.tool(
    "read_attachment",
    "Reads an attachment of a note.",
    { name: z.string().describe("File name of the attachment") },
    async ({ name }) => ({
      content: [{ type: "text", text: await fs.readFile(path.join(ATTACHMENTS_DIR, name), "utf8") }],
    }),
  );

  // SAFE: resolved and checked against the folder with the separator.
  server.tool(
    "preview_attachment",
    "Returns the first 500 characters of an attachment.",
    { name: z.string().describe("File name of the attachment") },
    async ({ name }) => {
      const full = path.resolve(ATTACHMENTS_DIR, name);
      if (!full.startsWith(ATTACHMENTS_DIR + path.sep)) throw new Error("outside the attachments folder");
      const text = await fs.readFile(full, "utf8");
      return { content: [{ type: "text", text: text.slice(0, 500) }] };
    },
  );

  // PROBLEM: server-side request forgery. The server fetches any URL it is given, internal hosts included.
  server.tool(
    "clip_page",
    "Returns the text of a web page, to save as a note.",
    { url: z.string().describe("Address of the page") },
    async ({ url }) => {
      const res = await fetch(url);
      return { content: [{ type: "text", text: await res.text() }] };
    },
  );

  // SAFE: a constant URL.
  server.tool("daily_quote", "Returns the quote of the day.", {}, async () => {
    const res = await fetch("https://zenquotes.io/api/today");
    return { content: [{ type: "text", text: await res.text() }] };
  });
}
