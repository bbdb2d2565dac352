/** Small wording helpers shared by the markdown sections. */
import type { Severity } from "../model.js";

export const SEVERITY_LABEL: Record<Severity, string> = {
  critical: "Critical",
  high: "High",
  medium: "Medium",
  low: "Low",
  info: "Info",
};

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** Language tag for a fenced block, from the file's extension; plain text otherwise. */
export function fenceLanguage(path: string): string {
  const ext = /\.([A-Za-z0-9]+)$/.exec(path)?.[1]?.toLowerCase() ?? "";
  const map: Record<string, string> = {
    ts: "ts",
    mts: "ts",
    cts: "ts",
    tsx: "tsx",
    js: "js",
    mjs: "js",
    cjs: "js",
    jsx: "jsx",
    py: "python",
    go: "go",
    json: "json",
    yaml: "yaml",
    yml: "yaml",
    toml: "toml",
    txt: "text",
  };
  return map[ext] ?? "text";
}

/** Trim a number for display: at most two decimals, no trailing zeros. */
export function formatPoints(n: number): string {
  return String(Math.round(n * 100) / 100);
}
