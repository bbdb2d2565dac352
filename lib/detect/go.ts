import { GO_SERVER_MODULES } from "./known-packages.js";
import type { FolderFacts, ServerSignal } from "./signals.js";
import { folderOf } from "./signals.js";

interface GoRequire {
  path: string;
  indirect: boolean;
}

/** Parses the `module` and `require` directives of a go.mod (line-oriented grammar). */
export function parseGoMod(text: string): { module?: string; requires: GoRequire[] } {
  let module: string | undefined;
  const requires: GoRequire[] = [];
  let inRequireBlock = false;
  let inOtherBlock = false;
  for (const raw of text.split(/\r?\n/)) {
    const commentAt = raw.indexOf("//");
    const comment = commentAt >= 0 ? raw.slice(commentAt + 2).trim() : "";
    const tokens = (commentAt >= 0 ? raw.slice(0, commentAt) : raw).trim().split(/\s+/).filter(Boolean).map(unquote);
    if (tokens.length === 0) continue;
    if (inRequireBlock || inOtherBlock) {
      if (tokens[0] === ")") {
        inRequireBlock = inOtherBlock = false;
        continue;
      }
      if (inRequireBlock && tokens.length >= 2) requires.push({ path: tokens[0] as string, indirect: isIndirect(comment) });
      continue;
    }
    const [directive, first, second] = tokens;
    if (directive === "module" && first) module = first;
    else if (directive === "require" && first === "(") inRequireBlock = true;
    else if (directive === "require" && first && second) requires.push({ path: first, indirect: isIndirect(comment) });
    else if (first === "(") inOtherBlock = true;
  }
  return { module, requires };
}

function isIndirect(comment: string): boolean {
  return comment.split(/[\s;]+/).includes("indirect");
}

function unquote(token: string): string {
  return token.length >= 2 && (token.startsWith('"') || token.startsWith("`")) ? token.slice(1, -1) : token;
}

/**
 * go.mod requiring a Go MCP SDK directly. An `// indirect` requirement only means some
 * dependency uses the SDK, which does not make this module a server.
 */
export function readGoMod(path: string, text: string): { signal?: ServerSignal; facts: FolderFacts } {
  const { module, requires } = parseGoMod(text);
  const facts: FolderFacts = { goModule: module };
  const frameworks: string[] = [];
  const evidence: string[] = [];
  for (const requirement of requires) {
    const framework = GO_SERVER_MODULES.get(requirement.path);
    if (framework === undefined || requirement.indirect || frameworks.includes(framework)) continue;
    frameworks.push(framework);
    evidence.push(`${path} requires ${requirement.path}`);
  }
  if (frameworks.length === 0) return { facts };
  return { facts, signal: { root: folderOf(path), ecosystem: "go", frameworks, evidence, language: "go" } };
}
