import { NODE_SERVER_PACKAGES, REFERENCE_SERVER_PREFIX } from "./known-packages.js";
import type { FolderFacts, ServerSignal } from "./signals.js";
import { folderOf, isRecord, nonEmptyString, parseJson } from "./signals.js";

const DEPENDENCY_FIELDS = ["dependencies", "devDependencies", "peerDependencies"] as const;

/**
 * Reads a package.json. A malformed file yields nothing: detection is best effort and other
 * files may still identify the folder.
 */
export function readPackageJson(path: string, text: string): { signal?: ServerSignal; facts: FolderFacts } {
  const data = parseJson(text);
  if (!isRecord(data)) return { facts: {} };
  const root = folderOf(path);
  const packageName = nonEmptyString(data.name);
  const workspaces = data.workspaces;
  const workspaceRoot =
    Array.isArray(workspaces) || (isRecord(workspaces) && Array.isArray(workspaces.packages)) ? true : undefined;
  const facts: FolderFacts = { packageName, workspaceRoot };

  const frameworks: string[] = [];
  const evidence: string[] = [];
  for (const field of DEPENDENCY_FIELDS) {
    const deps = data[field];
    if (!isRecord(deps)) continue;
    for (const dependency of Object.keys(deps).sort()) {
      const framework = NODE_SERVER_PACKAGES.get(dependency);
      if (framework === undefined || frameworks.includes(framework)) continue;
      frameworks.push(framework);
      evidence.push(field === "dependencies" ? dependency : `${dependency} (${field})`);
    }
  }
  const isReferenceServer = packageName?.startsWith(REFERENCE_SERVER_PREFIX) === true;
  if (frameworks.length === 0 && !isReferenceServer) return { facts };

  const reasons: string[] = [];
  if (evidence.length > 0) reasons.push(`${path} depends on ${evidence.join(", ")}`);
  if (isReferenceServer) reasons.push(`${path} names the package ${packageName}, an MCP reference server`);
  return {
    facts,
    signal: { root, ecosystem: "node", frameworks, evidence: reasons },
  };
}
