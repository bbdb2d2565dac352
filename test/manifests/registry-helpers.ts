import { join } from "node:path";
import { extractManifests } from "../../lib/manifests/index.js";
import type { RegistryDocument } from "../../lib/manifests/registry.js";
import { manifests } from "../../lib/rules/manifests.js";
import type { RawFinding } from "../../lib/model.js";
import type { RuleContext } from "../../lib/rules/types.js";
import type { RepoSnapshot } from "../../lib/snapshot/types.js";
import { FIXTURES, contextOf, snapshotOf, snapshotOfDir } from "../extract/client-config-helpers.js";

export { contextOf, snapshotOf, snapshotOfDir };

export const MANIFEST_FIXTURES = join(FIXTURES, "manifests");

/** Snapshot of one fixture folder under test/fixtures/manifests. */
export function fixture(...parts: string[]): RepoSnapshot {
  return snapshotOfDir(join(MANIFEST_FIXTURES, ...parts));
}

export function documentsOf(snapshot: RepoSnapshot): RegistryDocument[] {
  return extractManifests(snapshot, []).registry.documents;
}

/** The manifest family's findings for a snapshot (optionally with more context). */
export function findingsOf(snapshot: RepoSnapshot, extra: Partial<RuleContext> = {}): RawFinding[] {
  return manifests.run(contextOf(snapshot, extra));
}
