import type { McpServer } from "../detect/types.js";
import type { RepoSnapshot } from "../snapshot/types.js";

/** Parsed registry manifests; filled in by the manifest readers. */
export interface RegistryFacts {
  documents: never[];
}

export function readRegistryManifests(_snapshot: RepoSnapshot, _servers: McpServer[]): RegistryFacts {
  return { documents: [] };
}
