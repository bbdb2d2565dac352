import { z } from "zod";
import { SEVERITIES } from "../model.js";

/**
 * The schema of `.github/mcp-warden.yml`. Every field carries a description: docs/configuration.md
 * and the JSON schema (`configJsonSchema()`) are derived from these, so they must stay accurate.
 *
 * The leaf schemas are exported separately because `parseConfig` validates field by field: one
 * bad field falls back to its default without discarding the good ones around it.
 */

/** GitHub rejects label names over 50 characters. */
const MAX_LABEL_LENGTH = 50;
/** Bounds that keep a hostile or generated config from costing more than it is worth. */
export const MAX_LIST_ITEMS = 500;
const MAX_TEXT = 1000;

export const globSchema = z
  .string()
  .trim()
  .min(1, "must not be empty")
  .max(MAX_TEXT, `must be at most ${MAX_TEXT} characters`)
  .describe("A glob over paths relative to the repository root, e.g. `examples/**` (dotfiles match too).");

export const excludeSchema = z
  .array(globSchema)
  .max(MAX_LIST_ITEMS)
  .default([])
  .describe("Files and folders not scanned at all, as globs relative to the repository root, e.g. `examples/**`.");

export const pathsSchema = z
  .object({ exclude: excludeSchema })
  .default({ exclude: [] })
  .describe("Which parts of the repository are scanned.");

export const ignoreEntrySchema = z
  .object({
    rule: z
      .string()
      .trim()
      .min(1, "must not be empty")
      .max(100)
      .describe('The rule id to ignore, exactly as reported (e.g. `MCPW-EXEC-001`), or `"*"` for every rule.'),
    path: globSchema
      .optional()
      .describe("Glob over the finding's path; the entry applies to every path when omitted."),
    reason: z
      .string({ error: "a reason is required: say why this finding is acceptable" })
      .trim()
      .min(1, "a reason is required: say why this finding is acceptable")
      .max(MAX_TEXT, `must be at most ${MAX_TEXT} characters`)
      .describe("Why the finding is acceptable. Required; shown next to the suppressed finding in the report."),
  })
  .describe("One suppression: findings of `rule` under `path` are listed as ignored, with the reason, instead of reported.");

export const ignoreSchema = z
  .array(ignoreEntrySchema)
  .max(MAX_LIST_ITEMS)
  .default([])
  .describe("Findings to suppress. Suppressed findings are not scored but stay visible, with their reason, in a collapsed section of the report.");

export const minSeveritySchema = z
  .enum(SEVERITIES, { error: `must be one of ${SEVERITIES.join(", ")}` })
  .default("low")
  .describe("The lowest severity posted in the issue and counted in the score. Findings below it are only counted.");

export const labelSchema = z
  .string()
  .trim()
  .min(1, "must not be empty")
  .max(MAX_LABEL_LENGTH, `must be at most ${MAX_LABEL_LENGTH} characters (a GitHub limit)`)
  .describe("A label name.");

export const labelsSchema = z
  .array(labelSchema)
  .max(100)
  .default(["security", "mcp-warden"])
  .describe("Labels put on the issue; created in the repository when missing. An empty list means no labels.");

export const issueSchema = z
  .object({ minSeverity: minSeveritySchema, labels: labelsSchema })
  .default({ minSeverity: "low", labels: ["security", "mcp-warden"] })
  .describe("How the issue \"Security scan results for your MCP server\" is filed.");

export const configSchema = z
  .object({
    paths: pathsSchema,
    ignore: ignoreSchema,
    issue: issueSchema,
  })
  .describe("mcp-warden configuration, read from `.github/mcp-warden.yml` (or the organisation's `.github` repository).");

/** Allowed keys per mapping, for reporting typos (unknown keys are errors, never fatal). */
export const KNOWN_KEYS = {
  root: ["paths", "ignore", "issue"],
  paths: ["exclude"],
  issue: ["minSeverity", "labels"],
  ignoreEntry: ["rule", "path", "reason"],
} as const;

/** JSON schema of the configuration, e.g. for editor completion. */
export function configJsonSchema(): unknown {
  return z.toJSONSchema(configSchema, { io: "input" });
}
