import { readFileSync } from "node:fs";
import { join } from "node:path";
import { extractToolsFromSource } from "../../lib/extract/index.js";
import type { ToolDefinition } from "../../lib/extract/types.js";

export const FIXTURES = join(process.cwd(), "test/fixtures/extract");

export function fixture(name: string): string {
  return readFileSync(join(FIXTURES, name), "utf8");
}

/** Tools of one fixture file, by name. */
export async function toolsOf(name: string): Promise<Map<string | null, ToolDefinition>> {
  const tools = await extractToolsFromSource(name, fixture(name));
  return new Map(tools.map((t) => [t.name, t]));
}

export async function toolsIn(path: string, source: string): Promise<ToolDefinition[]> {
  return extractToolsFromSource(path, source);
}
