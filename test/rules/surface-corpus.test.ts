import { evaluateCorpus, findingsFor, formatResult, loadCorpus } from "../../scripts/surface-corpus.js";

describe("labelled description corpus (scripts/surface-corpus.ts)", () => {
  const corpus = loadCorpus();
  const result = evaluateCorpus(corpus);

  it("has at least 60 texts, about half malicious", () => {
    expect(result.cases).toBeGreaterThanOrEqual(60);
    expect(result.positives).toBeGreaterThanOrEqual(30);
    expect(result.negatives).toBeGreaterThanOrEqual(30);
  });

  it("precision and recall are both at least 0.9", () => {
    // Printed for whoever tunes the rules.
    console.log(formatResult(result));
    expect(result.precision).toBeGreaterThanOrEqual(0.9);
    expect(result.recall).toBeGreaterThanOrEqual(0.9);
    expect(result.wrongSeverity).toEqual([]);
  });

  it("each case written for a rule is caught by that rule", () => {
    const wrong = corpus
      .filter((c) => c.rule && c.poisoned)
      .filter((c) => !findingsFor(c).some((f) => f.ruleId === c.rule))
      .map((c) => c.id);
    expect(wrong).toEqual([]);
  });
});
