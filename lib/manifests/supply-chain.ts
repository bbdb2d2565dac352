import type { McpServer } from "../detect/types.js";
import type { RepoSnapshot } from "../snapshot/types.js";

/** Dockerfiles, package scripts and registry settings; filled in by the supply-chain readers. */
export interface SupplyChainFacts {
  files: never[];
}

export function readSupplyChainFacts(_snapshot: RepoSnapshot, _servers: McpServer[]): SupplyChainFacts {
  return { files: [] };
}
