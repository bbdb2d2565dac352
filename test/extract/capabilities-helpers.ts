import { extractFacts } from "../../lib/extract/index.js";
import type { ToolCapability, ToolDefinition } from "../../lib/extract/types.js";
import type { RepoSnapshot } from "../../lib/snapshot/types.js";

export function snapshotOf(files: Record<string, string>): RepoSnapshot {
  const map = new Map(Object.entries(files));
  return { files: map, notes: [], truncated: false, totalBytes: [...map.values()].reduce((n, t) => n + t.length, 0) };
}

/** Tools of a small in-memory repository, by name, after the cross-file pass. */
export async function toolsOfRepo(files: Record<string, string>): Promise<Map<string | null, ToolDefinition>> {
  const facts = await extractFacts(snapshotOf(files), []);
  const out = new Map<string | null, ToolDefinition>();
  for (const f of facts.files) for (const t of f.tools) out.set(t.name, t);
  return out;
}

/** "kind api@line" per capability, for compact assertions. */
export function capsText(tool: ToolDefinition | undefined): string[] {
  return (tool?.capabilities ?? []).map((c: ToolCapability) => `${c.kind} ${c.api}@${c.span.line}`);
}

export function kinds(tool: ToolDefinition | undefined): string[] {
  return [...new Set((tool?.capabilities ?? []).map((c) => c.kind))].sort();
}
