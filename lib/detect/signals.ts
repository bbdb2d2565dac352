import type { ServerLanguage } from "./types.js";

/** One reason, found in one file, to think its folder is an MCP server. */
export interface ServerSignal {
  /** Folder of the file, "." for the root. */
  root: string;
  ecosystem: "node" | "python" | "go" | "manifest";
  frameworks: string[];
  evidence: string[];
  /** Language the signal implies, when it implies one. */
  language?: ServerLanguage;
  /** Display name the signal carries (manifests). */
  name?: string;
}

/** Facts about a folder that are not signals by themselves but shape the result. */
export interface FolderFacts {
  packageName?: string;
  pythonName?: string;
  goModule?: string;
  /** package.json declares workspaces, or pnpm-workspace.yaml / lerna.json is present. */
  workspaceRoot?: boolean;
}

export function folderOf(path: string): string {
  const slash = path.lastIndexOf("/");
  return slash < 0 ? "." : path.slice(0, slash);
}

export function baseName(path: string): string {
  return path.slice(path.lastIndexOf("/") + 1);
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** JSON.parse that returns undefined instead of throwing. */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export function nonEmptyString(value: unknown): string | undefined {
  return typeof value === "string" && value.trim() !== "" ? value.trim() : undefined;
}
