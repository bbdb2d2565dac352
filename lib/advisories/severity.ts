import type { Severity } from "../model.js";

/**
 * GitHub's advisory severity words (OSV `database_specific.severity` in capitals, REST
 * `severity` in lower case) on our scale. Unknown or missing reads as medium: an advisory GitHub
 * reviewed is worth a look even when it was not rated.
 */
export function severityFromGitHub(word: string | null | undefined): Severity {
  switch ((word ?? "").toLowerCase()) {
    case "critical":
      return "critical";
    case "high":
      return "high";
    case "low":
      return "low";
    default:
      return "medium"; // "moderate", "medium", "unknown", missing
  }
}
