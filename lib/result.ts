import type { ConfigError, IgnoreEntry, WardenConfig } from "./config/types.js";
import type { McpServer } from "./detect/types.js";
import type { ParseProblem, PromptDefinition, ResourceDefinition, ServerInstructions, ToolDefinition } from "./extract/types.js";
import type { Finding, Severity } from "./model.js";
import type { SnapshotNote } from "./snapshot/types.js";

export type Grade = "A" | "B" | "C" | "D" | "F";

export interface CategoryDeduction {
  category: string;
  /** Points taken off for this category after its cap. */
  points: number;
  /** Points before the cap. */
  uncapped: number;
  findings: number;
}

export interface ScoreResult {
  /** 0-100, integer. */
  score: number;
  grade: Grade;
  deductions: CategoryDeduction[];
}

export interface ServerReport extends McpServer {
  tools: ToolDefinition[];
  /** Tools whose name or description is built at run time and could not be read statically. */
  dynamicTools: number;
  /** Prompts, resources/resource templates and `instructions` strings defined in the server's files. */
  prompts?: PromptDefinition[];
  resources?: ResourceDefinition[];
  instructions?: ServerInstructions[];
}

export interface SuppressedFinding {
  finding: Finding;
  rule: IgnoreEntry;
}

/** Everything one scan produced; every output (issue, JSON, CLI) renders from this alone. */
export interface ScanResult {
  /** Tool version, so reports say which engine produced them. */
  version: string;
  servers: ServerReport[];
  /** Findings at or above the configured minimum severity, not suppressed; sorted. */
  findings: Finding[];
  /** Findings matched by an `ignore` entry, with the entry (and its reason). */
  suppressed: SuppressedFinding[];
  /** Count of findings below `issue.minSeverity` (not posted, not scored). */
  belowThreshold: number;
  score: ScoreResult;
  counts: Record<Severity, number>;
  snapshotNotes: SnapshotNote[];
  configErrors: ConfigError[];
  problems: ParseProblem[];
  /** Dependencies whose version could not be resolved (no lockfile, range only). */
  unresolvedDependencies: number;
  /** Problems that made part of the scan inconclusive (e.g. advisory source unreachable). */
  warnings: string[];
  /** The effective configuration (defaults where the file was absent or invalid). */
  config: WardenConfig;
}
