/** The worked examples in docs/scoring.md are recomputed here, so the doc cannot drift from the code. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Category, Confidence, Finding, Severity } from "../../lib/model.js";
import { CATEGORY_CAPS, CONFIDENCE_FACTORS, SEVERITY_WEIGHTS, computeScore } from "../../lib/score/index.js";

const doc = readFileSync(join(process.cwd(), "docs", "scoring.md"), "utf8");

function tables(text: string): string[][][] {
  const out: string[][][] = [];
  let current: string[][] | null = null;
  for (const line of text.split("\n")) {
    if (line.startsWith("|")) {
      const cells = line.slice(1, line.endsWith("|") ? -1 : undefined).split("|").map((c) => c.trim());
      if (cells.every((c) => /^:?-+:?$/.test(c))) continue;
      if (!current) out.push((current = []));
      current.push(cells);
    } else {
      current = null;
    }
  }
  return out;
}

const examples = doc.split(/^### Example \d+/m).slice(1);

describe("docs/scoring.md", () => {
  it("has worked examples", () => {
    expect(examples.length).toBeGreaterThanOrEqual(2);
  });

  examples.forEach((text, i) => {
    it(`example ${i + 1} matches computeScore`, () => {
      const [inputTable, resultTable] = tables(text);
      const findings: Finding[] = inputTable!.slice(1).map(([num, category, severity, confidence]) => ({
        ruleId: "MCPW-DOC-001",
        category: category as Category,
        severity: severity as Severity,
        confidence: confidence as Confidence,
        path: `src/${num}.ts`,
        line: 1,
        endLine: 1,
        server: ".",
        message: "m",
        evidence: "e",
        remediation: "r",
        cwe: [],
        owasp: [],
        fingerprint: `doc-${num}`,
      }));
      const expected = resultTable!.slice(1).map(([category, count, , uncapped, cap, points]) => ({
        category: category!,
        points: Number(points),
        uncapped: Number(uncapped),
        findings: Number(count),
        cap: Number(cap),
      }));
      const result = computeScore(findings);
      expect(result.deductions).toEqual(expected.map(({ cap: _cap, ...d }) => d));
      for (const e of expected) expect(CATEGORY_CAPS[e.category as Category]).toBe(e.cap);
      const m = /Result: \*\*score (\d+), grade ([A-F])\*\*/.exec(text);
      expect(m).not.toBeNull();
      expect(result.score).toBe(Number(m![1]));
      expect(result.grade).toBe(m![2]);
    });
  });

  it("states the weights, factors and caps the code uses", () => {
    const all = tables(doc);
    const weights = all.find((t) => t[0]![0] === "severity" && t[0]![1] === "weight")!;
    for (const [sev, w] of weights.slice(1)) expect(SEVERITY_WEIGHTS[sev as Severity]).toBe(Number(w));
    const factors = all.find((t) => t[0]![0] === "confidence")!;
    for (const [c, x] of factors.slice(1)) expect(CONFIDENCE_FACTORS[c as Confidence]).toBe(Number(x));
    const caps = all.find((t) => t[0]![0] === "cap")!;
    const listed = new Set<string>();
    for (const [cap, cats] of caps.slice(1)) {
      for (const c of cats!.split(",").map((s) => s.trim())) {
        expect(CATEGORY_CAPS[c as Category]).toBe(Number(cap));
        listed.add(c);
      }
    }
    expect([...listed].sort()).toEqual(Object.keys(CATEGORY_CAPS).sort());
  });
});
