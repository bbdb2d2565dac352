import type { Grade } from "../result.js";

/** Lowest score of each grade, best first. The only place grade bands are defined. */
export const GRADE_BANDS: ReadonlyArray<{ grade: Grade; min: number }> = [
  { grade: "A", min: 90 },
  { grade: "B", min: 80 },
  { grade: "C", min: 70 },
  { grade: "D", min: 60 },
  { grade: "F", min: 0 },
];

/** Grade for a 0-100 score; out-of-range or non-finite input is clamped rather than trusted. */
export function gradeFor(score: number): Grade {
  const s = Number.isFinite(score) ? score : 0;
  for (const band of GRADE_BANDS) {
    if (s >= band.min) return band.grade;
  }
  return "F";
}
