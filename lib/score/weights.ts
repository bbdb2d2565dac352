import type { Category, Confidence, Severity } from "../model.js";

/**
 * Points one finding takes off before decay and caps. The ratios matter more than the values:
 * one critical (40) is worth two highs, five mediums or twenty lows, so no plausible pile of
 * low findings can outweigh a single critical. Info findings are context, never a deduction.
 */
export const SEVERITY_WEIGHTS: Record<Severity, number> = {
  critical: 40,
  high: 20,
  medium: 8,
  low: 2,
  info: 0,
};

/**
 * How much of the weight a finding carries given how sure its rule is. A low-confidence finding
 * still counts (half), because rules only report it when there is real evidence; it just must
 * not weigh as much as a proven one.
 */
export const CONFIDENCE_FACTORS: Record<Confidence, number> = {
  high: 1,
  medium: 0.75,
  low: 0.5,
};

/**
 * The most one category can take off the score.
 * - 60 for flaws where one instance hands an attacker the host or the agent (code execution,
 *   injected instructions, leaked credentials, reaching files or hosts it should not);
 * - 40 for dependency and supply-chain findings: their number grows with the dependency tree,
 *   not with the maintainer's code, and one upgrade often clears many of them;
 * - 30 for hardening and hygiene: they widen exposure but need another flaw to be exploited.
 * No single category can therefore sink the score below 40 on its own.
 */
export const CATEGORY_CAPS: Record<Category, number> = {
  "tool-poisoning": 60,
  "hidden-unicode": 60,
  "tool-shadowing": 60,
  "command-injection": 60,
  "code-execution": 60,
  "path-traversal": 60,
  ssrf: 60,
  "sql-injection": 60,
  "hardcoded-secret": 60,
  "vulnerable-dependency": 40,
  "supply-chain": 40,
  "tls-verification-disabled": 30,
  "insecure-transport": 30,
  "unpinned-launch": 30,
  "excessive-permissions": 30,
  misconfiguration: 30,
  other: 30,
};

/** Used if a category outside the fixed vocabulary ever reaches the scorer. */
export const DEFAULT_CATEGORY_CAP = 30;

/**
 * Ceilings that hold whatever the arithmetic says: a report with a critical finding is never
 * better than D, and one with a high finding never earns an A. Without them a lone
 * low-confidence critical (20 points) would read as a B.
 */
export const SEVERITY_CEILINGS: ReadonlyArray<{ severity: Severity; maxScore: number }> = [
  { severity: "critical", maxScore: 69 },
  { severity: "high", maxScore: 89 },
];
