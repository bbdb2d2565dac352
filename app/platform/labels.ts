import { describeError, statusOf } from "./errors.js";
import type { Logger, Octokit, RepoRef } from "./types.js";

/** Colours and descriptions for the labels this App knows; others get a neutral grey. */
const KNOWN_LABELS: Record<string, { color: string; description: string }> = {
  security: { color: "d73a4a", description: "Security problem" },
  "mcp-warden": { color: "5319e7", description: "Reported by the mcp-warden MCP security scan" },
};

/**
 * Makes sure the labels exist and returns the ones that can be used. Creating is cheaper than
 * looking up first: 201 means created, 422 means it already exists. When the App may not
 * create labels (403/404), the issue is still posted, just without them.
 */
export async function ensureLabels(octokit: Octokit, ref: RepoRef, labels: string[], log: Logger): Promise<string[]> {
  const usable: string[] = [];
  for (const name of dedupe(labels)) {
    const known = KNOWN_LABELS[name.toLowerCase()];
    try {
      await octokit.rest.issues.createLabel({
        ...ref,
        name,
        color: known?.color ?? "ededed",
        ...(known ? { description: known.description } : {}),
      });
      usable.push(name);
    } catch (error) {
      const status = statusOf(error);
      if (status === 422) {
        usable.push(name);
      } else {
        log.info({ ...ref, label: name, err: describeError(error) }, "label could not be created: posting without it");
      }
    }
  }
  return usable;
}

/** Label names compare case-insensitively on GitHub; keep the first spelling. */
function dedupe(labels: string[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const label of labels) {
    const name = label.trim();
    if (!name || name.length > 50 || seen.has(name.toLowerCase())) continue;
    seen.add(name.toLowerCase());
    out.push(name);
  }
  return out;
}
