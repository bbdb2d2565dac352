/**
 * The scoring formula (documented in docs/scoring.md):
 *
 *   points(f)      = SEVERITY_WEIGHTS[severity] x CONFIDENCE_FACTORS[confidence]
 *   category total = sum over its findings, largest first, of points / k  (k = 1, 2, 3, ...)
 *   deduction      = min(category total, CATEGORY_CAPS[category]), rounded to 2 decimals
 *   score          = max(0, round(100 - sum of deductions)), then lowered to the severity ceiling
 *   grade          = gradeFor(score)
 *
 * Pure and deterministic: the input order of findings does not change the result.
 */
import type { Finding } from "../model.js";
import type { CategoryDeduction, ScoreResult } from "../result.js";
import { gradeFor } from "./grade.js";
import {
  CATEGORY_CAPS,
  CONFIDENCE_FACTORS,
  DEFAULT_CATEGORY_CAP,
  SEVERITY_CEILINGS,
  SEVERITY_WEIGHTS,
} from "./weights.js";

export { gradeFor, GRADE_BANDS } from "./grade.js";
export {
  CATEGORY_CAPS,
  CONFIDENCE_FACTORS,
  DEFAULT_CATEGORY_CAP,
  SEVERITY_CEILINGS,
  SEVERITY_WEIGHTS,
} from "./weights.js";

type Scorable = Pick<Finding, "category" | "severity" | "confidence">;

/** Points one finding is worth before decay and caps (0 for info or unknown values). */
export function findingPoints(finding: Scorable): number {
  const weight = SEVERITY_WEIGHTS[finding.severity] ?? 0;
  const factor = CONFIDENCE_FACTORS[finding.confidence] ?? 0;
  return weight * factor;
}

export function categoryCap(category: string): number {
  return Object.hasOwn(CATEGORY_CAPS, category)
    ? CATEGORY_CAPS[category as keyof typeof CATEGORY_CAPS]
    : DEFAULT_CATEGORY_CAP;
}

/** Two decimals, so the numbers a report shows add up exactly to the score it shows. */
function round2(n: number): number {
  return Math.round(n * 100) / 100;
}

function byCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Diminishing returns: the k-th largest finding of a category counts 1/k of its points. */
export function decayedTotal(points: number[]): number {
  const sorted = [...points].sort((a, b) => b - a);
  let total = 0;
  sorted.forEach((p, i) => {
    total += p / (i + 1);
  });
  return total;
}

/** Per-category deductions, sorted by points (desc) then category name. */
export function computeDeductions(findings: readonly Scorable[]): CategoryDeduction[] {
  const byCategory = new Map<string, number[]>();
  for (const f of findings) {
    const p = findingPoints(f);
    if (!(p > 0)) continue; // info findings and unknown values are not deductions
    const list = byCategory.get(f.category) ?? [];
    list.push(p);
    byCategory.set(f.category, list);
  }
  const deductions: CategoryDeduction[] = [];
  for (const [category, points] of byCategory) {
    const uncapped = decayedTotal(points);
    deductions.push({
      category,
      points: round2(Math.min(uncapped, categoryCap(category))),
      uncapped: round2(uncapped),
      findings: points.length,
    });
  }
  return deductions.sort((a, b) => b.points - a.points || byCodeUnits(a.category, b.category));
}

/** The ceiling that applies to these findings, if any: the lowest one wins. */
export function scoreCeiling(
  findings: readonly Pick<Finding, "severity">[],
): { maxScore: number; severity: Finding["severity"] } | null {
  let best: { maxScore: number; severity: Finding["severity"] } | null = null;
  for (const c of SEVERITY_CEILINGS) {
    if (!findings.some((f) => f.severity === c.severity)) continue;
    if (!best || c.maxScore < best.maxScore) best = { maxScore: c.maxScore, severity: c.severity };
  }
  return best;
}

export function computeScore(findings: Finding[]): ScoreResult {
  const deductions = computeDeductions(findings);
  const taken = round2(deductions.reduce((sum, d) => sum + d.points, 0));
  let score = Math.max(0, Math.round(100 - taken));
  const ceiling = scoreCeiling(findings);
  if (ceiling) score = Math.min(score, ceiling.maxScore);
  return { score, grade: gradeFor(score), deductions };
}

/**
 * A short explanation of how the score came out, for reports: the arithmetic and the ceiling
 * (if it lowered the score). Derived from the same functions, so it cannot disagree.
 */
export function explainScore(findings: readonly Finding[]): {
  taken: number;
  beforeCeiling: number;
  ceiling: { maxScore: number; severity: Finding["severity"] } | null;
} {
  const deductions = computeDeductions(findings);
  const taken = round2(deductions.reduce((sum, d) => sum + d.points, 0));
  const beforeCeiling = Math.max(0, Math.round(100 - taken));
  const ceiling = scoreCeiling(findings);
  return { taken, beforeCeiling, ceiling: ceiling && ceiling.maxScore < beforeCeiling ? ceiling : null };
}

