import type { Advisory } from "../advisories/types.js";
import type { DependencyFacts } from "../deps/types.js";
import type { McpServer } from "../detect/types.js";
import type { ExtractedFacts } from "../extract/types.js";
import type { ManifestFacts } from "../manifests/index.js";
import type { Category, RawFinding, Severity } from "../model.js";
import type { RepoSnapshot } from "../snapshot/types.js";

/** Everything a rule may look at. Rules are pure: same context, same findings. */
export interface RuleContext {
  snapshot: RepoSnapshot;
  servers: McpServer[];
  facts: ExtractedFacts;
  deps: DependencyFacts;
  /** Advisories already fetched for the dependencies in `deps` (the matcher decides exactly). */
  advisories: Advisory[];
  /** Registry manifests (server.json, smithery.yaml, MCPB), Dockerfiles and install-time config. */
  manifests: ManifestFacts;
}

/**
 * One rule id's documentation. docs/rules.md is generated from these (scripts/rules-doc.ts), so
 * the text here is what maintainers read: plain sentences, no internal jargon.
 */
export interface RuleInfo {
  id: string;
  /** One line, e.g. "Shell command built from a tool's input". */
  title: string;
  category?: Category;
  /** The usual severity; say "up to critical" style ranges in `looksFor` when it varies. */
  severity?: Severity;
  /** What the rule looks for, one or two sentences. */
  looksFor?: string;
  /** What it deliberately does not report (the safe look-alikes). */
  ignores?: string;
  /** The remediation text the finding carries (or its gist when it varies by language). */
  remediation?: string;
}

/** A family of related rules (one module under lib/rules/). */
export interface RuleFamily {
  /** e.g. "tool-poisoning", "command-injection". */
  id: string;
  /** Every rule id this family can emit, with a one-line title (for docs and SARIF). */
  rules: RuleInfo[];
  run(ctx: RuleContext): RawFinding[];
}
