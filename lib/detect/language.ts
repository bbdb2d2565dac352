import type { ServerLanguage } from "./types.js";

const EXTENSION_LANGUAGE: ReadonlyMap<string, ServerLanguage> = new Map([
  ["ts", "typescript"],
  ["tsx", "typescript"],
  ["mts", "typescript"],
  ["cts", "typescript"],
  ["js", "javascript"],
  ["jsx", "javascript"],
  ["mjs", "javascript"],
  ["cjs", "javascript"],
  ["py", "python"],
  ["go", "go"],
]);

export function isUnder(root: string, path: string): boolean {
  return root === "." || path === root || path.startsWith(`${root}/`);
}

function languageOfFile(path: string): ServerLanguage | undefined {
  if (path.endsWith(".d.ts") || path.endsWith(".d.mts") || path.endsWith(".d.cts")) return undefined;
  const dot = path.lastIndexOf(".");
  if (dot < 0 || dot < path.lastIndexOf("/")) return undefined;
  return EXTENSION_LANGUAGE.get(path.slice(dot + 1).toLowerCase());
}

/** A Node.js server is TypeScript when it has a tsconfig.json or TypeScript sources. */
export function nodeLanguage(paths: readonly string[], root: string): ServerLanguage {
  const tsconfig = root === "." ? "tsconfig.json" : `${root}/tsconfig.json`;
  for (const path of paths) {
    if (path === tsconfig) return "typescript";
    if (isUnder(root, path) && languageOfFile(path) === "typescript") return "typescript";
  }
  return "javascript";
}

/** The language most source files under `root` are written in, or "unknown". */
export function dominantLanguage(paths: readonly string[], root: string): ServerLanguage {
  const counts = new Map<ServerLanguage, number>();
  for (const path of paths) {
    if (!isUnder(root, path)) continue;
    const language = languageOfFile(path);
    if (language) counts.set(language, (counts.get(language) ?? 0) + 1);
  }
  let best: ServerLanguage = "unknown";
  let bestCount = 0;
  // Ties go to the first in this order, so the result does not depend on file order.
  for (const language of ["typescript", "javascript", "python", "go"] as const) {
    const count = counts.get(language) ?? 0;
    if (count > bestCount) {
      best = language;
      bestCount = count;
    }
  }
  return best;
}
