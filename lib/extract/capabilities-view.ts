import type { CapabilityKind, ToolCapability, ToolDefinition } from "./types.js";

/** Reading a tool's capabilities: the fixed order, labels, and the lethal combination. */

export const CAPABILITY_ORDER: readonly CapabilityKind[] = ["runs-commands", "evaluates-code", "writes-files", "reads-files", "network", "reads-env"];

/** Capabilities of one kind, for rules and reports. */
export function capabilitiesOf(tool: ToolDefinition, kind: CapabilityKind): ToolCapability[] {
  return (tool.capabilities ?? []).filter((c) => c.kind === kind);
}

/**
 * The combination an injected prompt needs to steal data: it can run commands or evaluate code,
 * reach the network, and read files or the environment.
 */
export function isLethalCombination(tool: ToolDefinition): boolean {
  const kinds = new Set((tool.capabilities ?? []).map((c) => c.kind));
  return (kinds.has("runs-commands") || kinds.has("evaluates-code")) && kinds.has("network") && (kinds.has("reads-files") || kinds.has("reads-env"));
}

const KIND_LABELS: Record<CapabilityKind, string> = {
  "runs-commands": "runs commands",
  "evaluates-code": "evaluates code",
  "writes-files": "writes files",
  "reads-files": "reads files",
  network: "network",
  "reads-env": "reads env",
};

/**
 * Short labels for a tool's capabilities, in a fixed order ("runs commands", "network (mutating)");
 * undefined when the handler could not be located, so "unknown" is never shown as "none".
 */
export function capabilityLabels(tool: ToolDefinition): string[] | undefined {
  if (!tool.capabilities) return undefined;
  const out: string[] = [];
  for (const kind of CAPABILITY_ORDER) {
    const caps = capabilitiesOf(tool, kind);
    if (caps.length === 0) continue;
    if (kind === "writes-files" && caps.some((c) => c.destructive)) out.push("writes/deletes files");
    else if (kind === "network" && caps.some((c) => c.mutating)) out.push("network (mutating)");
    else out.push(KIND_LABELS[kind]);
  }
  return out;
}
