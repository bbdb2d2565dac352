import type { Severity } from "../model.js";

/** The maintainer's configuration, `.github/mcp-warden.yml`, after validation and defaults. */
export interface WardenConfig {
  paths: { exclude: string[] };
  ignore: IgnoreEntry[];
  issue: { minSeverity: Severity; labels: string[] };
}

export interface IgnoreEntry {
  /** Rule id (e.g. MCPW-EXEC-001) or "*". */
  rule: string;
  /** Glob over the finding's path; all paths when absent. */
  path?: string;
  /** Why it is ignored; required, shown in the report. */
  reason: string;
}

/** One problem with the configuration; the scan goes on with defaults for that field. */
export interface ConfigError {
  /** Dotted path of the offending field, e.g. "issue.minSeverity" or "ignore.0.reason". */
  field: string;
  message: string;
  /** 1-based position in `.github/mcp-warden.yml`, when the problem is a YAML syntax error. */
  line?: number;
  column?: number;
}
