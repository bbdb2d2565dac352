import type { Advisory } from "../advisories/types.js";
import type { DependencyFacts } from "../deps/types.js";
import type { McpServer } from "../detect/types.js";
import type { ExtractedFacts } from "../extract/types.js";
import type { RawFinding } from "../model.js";
import type { RepoSnapshot } from "../snapshot/types.js";

/** Everything a rule may look at. Rules are pure: same context, same findings. */
export interface RuleContext {
  snapshot: RepoSnapshot;
  servers: McpServer[];
  facts: ExtractedFacts;
  deps: DependencyFacts;
  /** Advisories already fetched for the dependencies in `deps` (the matcher decides exactly). */
  advisories: Advisory[];
}

/** A family of related rules (one module under lib/rules/). */
export interface RuleFamily {
  /** e.g. "tool-poisoning", "command-injection". */
  id: string;
  /** Every rule id this family can emit, with a one-line title (for docs and SARIF). */
  rules: { id: string; title: string }[];
  run(ctx: RuleContext): RawFinding[];
}
