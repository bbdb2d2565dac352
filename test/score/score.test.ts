import type { Category, Confidence, Finding, Severity } from "../../lib/model.js";
import { CATEGORIES, CONFIDENCES, SEVERITIES } from "../../lib/model.js";
import {
  CATEGORY_CAPS,
  GRADE_BANDS,
  computeScore,
  decayedTotal,
  explainScore,
  findingPoints,
  gradeFor,
} from "../../lib/score/index.js";

let n = 0;
function f(severity: Severity, category: Category = "command-injection", confidence: Confidence = "high"): Finding {
  n += 1;
  return {
    ruleId: "MCPW-TEST-001",
    category,
    severity,
    confidence,
    path: `src/f${n}.ts`,
    line: 1,
    endLine: 1,
    server: ".",
    message: "m",
    evidence: "e",
    remediation: "r",
    cwe: [],
    owasp: [],
    fingerprint: `fp${n}`,
  };
}

const many = (count: number, make: (i: number) => Finding): Finding[] => Array.from({ length: count }, (_, i) => make(i));

describe("gradeFor", () => {
  it("maps band edges", () => {
    expect([100, 90, 89, 80, 79, 70, 69, 60, 59, 0].map(gradeFor)).toEqual(["A", "A", "B", "B", "C", "C", "D", "D", "F", "F"]);
  });
  it("treats garbage as F instead of throwing", () => {
    expect(gradeFor(Number.NaN)).toBe("F");
    expect(gradeFor(-5)).toBe("F");
    expect(gradeFor(1000)).toBe("A");
  });
  it("bands are ordered and end at 0", () => {
    const mins = GRADE_BANDS.map((b) => b.min);
    expect([...mins].sort((a, b) => b - a)).toEqual(mins);
    expect(mins[mins.length - 1]).toBe(0);
  });
});

describe("computeScore", () => {
  it("gives 100/A with no findings and ignores info findings", () => {
    expect(computeScore([])).toEqual({ score: 100, grade: "A", deductions: [] });
    expect(computeScore([f("info"), f("info", "other")])).toEqual({ score: 100, grade: "A", deductions: [] });
  });

  it("weights severity by confidence", () => {
    expect(findingPoints(f("critical", "ssrf", "high"))).toBe(40);
    expect(findingPoints(f("critical", "ssrf", "medium"))).toBe(30);
    expect(findingPoints(f("critical", "ssrf", "low"))).toBe(20);
    expect(findingPoints(f("medium", "ssrf", "high"))).toBe(8);
    expect(findingPoints(f("low", "ssrf", "high"))).toBe(2);
  });

  it("ten low findings never outweigh one critical, in any arrangement", () => {
    const oneCategory = many(10, () => f("low", "misconfiguration"));
    const spread = many(10, (i) => f("low", CATEGORIES[i]!));
    for (const conf of CONFIDENCES) {
      const critical = computeScore([f("critical", "command-injection", conf)]);
      expect(computeScore(oneCategory).score).toBeGreaterThan(critical.score);
      expect(computeScore(spread).score).toBeGreaterThan(critical.score);
    }
    // and the lows alone still read as a good grade
    expect(computeScore(spread).grade).toBe("B");
  });

  it("a single critical always lands in D or F, whatever its confidence or category", () => {
    for (const category of CATEGORIES) {
      for (const conf of CONFIDENCES) {
        expect(["D", "F"]).toContain(computeScore([f("critical", category, conf)]).grade);
      }
    }
  });

  it("a high finding keeps the grade below A", () => {
    const r = computeScore([f("high", "ssrf", "low")]);
    expect(r.score).toBe(89);
    expect(r.grade).toBe("B");
  });

  it("many medium findings of one kind cannot sink the score to 0", () => {
    const r = computeScore(many(1000, () => f("medium", "command-injection")));
    expect(r.score).toBeGreaterThanOrEqual(40);
    expect(r.deductions).toHaveLength(1);
    expect(r.deductions[0]!.points).toBeLessThanOrEqual(CATEGORY_CAPS["command-injection"]);
    expect(r.deductions[0]!.findings).toBe(1000);
  });

  it("applies diminishing returns within a category", () => {
    expect(decayedTotal([8, 8, 8])).toBeCloseTo(8 + 4 + 8 / 3);
    // largest first, whatever the input order
    expect(decayedTotal([2, 40])).toBe(41);
    expect(computeScore([f("medium"), f("medium")]).deductions[0]).toEqual({
      category: "command-injection",
      points: 12,
      uncapped: 12,
      findings: 2,
    });
  });

  it("caps each category and reports the uncapped total", () => {
    const r = computeScore(many(3, () => f("critical", "vulnerable-dependency")));
    expect(r.deductions[0]).toEqual({ category: "vulnerable-dependency", points: 40, uncapped: 73.33, findings: 3 });
    expect(r.score).toBe(60);
  });

  it("several capped categories can reach 0 but never below", () => {
    const findings = (["command-injection", "tool-poisoning", "hardcoded-secret"] as Category[]).flatMap((c) =>
      many(3, () => f("critical", c)),
    );
    const r = computeScore(findings);
    expect(r.score).toBe(0);
    expect(r.grade).toBe("F");
  });

  it("sorts deductions by points desc, then category name", () => {
    const r = computeScore([f("low", "ssrf"), f("high", "other"), f("high", "misconfiguration"), f("medium", "ssrf")]);
    expect(r.deductions.map((d) => d.category)).toEqual(["misconfiguration", "other", "ssrf"]);
  });

  it("is independent of input order and deterministic", () => {
    const findings = [
      f("critical", "ssrf", "low"),
      f("medium", "ssrf"),
      f("low", "other", "medium"),
      f("high", "supply-chain"),
      f("medium", "supply-chain", "low"),
    ];
    const a = computeScore(findings);
    const b = computeScore([...findings].reverse());
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
  });

  it("score and grade always agree with gradeFor, and deductions add up to the score", () => {
    // a deterministic pseudo-random sweep over many combinations
    let seed = 7;
    const rand = (k: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % k;
    };
    for (let round = 0; round < 300; round++) {
      const findings = many(rand(25), () => f(SEVERITIES[rand(5)]!, CATEGORIES[rand(CATEGORIES.length)]!, CONFIDENCES[rand(3)]!));
      const r = computeScore(findings);
      expect(Number.isInteger(r.score)).toBe(true);
      expect(r.score).toBeGreaterThanOrEqual(0);
      expect(r.score).toBeLessThanOrEqual(100);
      expect(r.grade).toBe(gradeFor(r.score));
      const ex = explainScore(findings);
      expect(Math.min(ex.beforeCeiling, ex.ceiling?.maxScore ?? 100)).toBe(r.score);
      const sum = r.deductions.reduce((s, d) => s + d.points, 0);
      expect(ex.taken).toBeCloseTo(sum, 6);
      if (findings.some((x) => x.severity === "critical")) expect(r.score).toBeLessThanOrEqual(69);
      if (findings.some((x) => x.severity === "high")) expect(r.score).toBeLessThanOrEqual(89);
    }
  });

  it("does not trust unknown categories or severities from a broken rule", () => {
    const odd = { ...f("high"), category: "made-up" as Category };
    const bad = { ...f("high"), severity: "extreme" as Severity };
    const r = computeScore([odd, bad]);
    expect(r.deductions).toEqual([{ category: "made-up", points: 20, uncapped: 20, findings: 1 }]);
    expect(r.score).toBe(80);
  });
});
