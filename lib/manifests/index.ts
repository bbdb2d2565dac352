import type { McpServer } from "../detect/types.js";
import type { RepoSnapshot } from "../snapshot/types.js";
import { readRegistryManifests, type RegistryFacts } from "./registry.js";
import { readSupplyChainFacts, type SupplyChainFacts } from "./supply-chain.js";

/**
 * Everything read from manifests and install-time configuration, parsed once per scan:
 * registry manifests (server.json, smithery.yaml, MCPB manifest.json, .codex/config.toml) and
 * supply-chain files (Dockerfiles, package.json scripts, registry settings).
 */
export interface ManifestFacts {
  registry: RegistryFacts;
  supplyChain: SupplyChainFacts;
}

export function extractManifests(snapshot: RepoSnapshot, servers: McpServer[]): ManifestFacts {
  return {
    registry: readRegistryManifests(snapshot, servers),
    supplyChain: readSupplyChainFacts(snapshot, servers),
  };
}

export type { RegistryFacts, SupplyChainFacts };

/** Manifest facts of a repository with none of these files (tests and early returns). */
export function emptyManifests(): ManifestFacts {
  return extractManifests({ files: new Map(), notes: [], truncated: false, totalBytes: 0 }, []);
}
