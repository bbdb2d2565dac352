import type { McpServer } from "../detect/types.js";
import type { RepoSnapshot } from "../snapshot/types.js";
import { isCodexConfigPath, readCodex } from "./codex.js";
import { isMcpbPath, readMcpb } from "./mcpb.js";
import type { RegistryDocument } from "./registry-types.js";
import { withSnippets } from "./parse-safe.js";
import { isServerJsonPath, readPackageNames, readServerJson } from "./server-json.js";
import { isSmitheryPath, readSmithery } from "./smithery.js";

export type * from "./registry-types.js";

/** Parsed registry manifests: server.json, smithery.yaml, MCPB manifest.json, .codex/config.toml. */
export interface RegistryFacts {
  documents: RegistryDocument[];
}

function folderOf(path: string): string {
  const slash = path.lastIndexOf("/");
  return slash < 0 ? "" : path.slice(0, slash + 1);
}

/** One document per manifest file, sorted by path; unreadable files become documents with problems. */
export function readRegistryManifests(snapshot: RepoSnapshot, _servers: McpServer[]): RegistryFacts {
  const documents: RegistryDocument[] = [];
  for (const path of [...snapshot.files.keys()].sort()) {
    const source = snapshot.files.get(path);
    if (source === undefined) continue;
    let doc: RegistryDocument | undefined;
    if (isServerJsonPath(path)) {
      doc = readServerJson(path, source);
      const pkgPath = `${folderOf(path)}package.json`;
      const pkg = snapshot.files.get(pkgPath);
      if (doc?.valid && pkg !== undefined) {
        const names = readPackageNames(pkgPath, pkg);
        if (names) doc.packageJson = names;
      }
    } else if (isSmitheryPath(path)) {
      doc = readSmithery(path, source);
    } else if (isMcpbPath(path)) {
      doc = readMcpb(path, source);
    } else if (isCodexConfigPath(path)) {
      doc = readCodex(path, source);
    }
    if (!doc) continue;
    doc.problems = withSnippets(doc.problems, source);
    documents.push(doc);
  }
  return { documents };
}
