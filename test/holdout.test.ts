/**
 * The held-out corpora (test/fixtures/holdout/) were written without looking at the rules and are
 * never tuned on, so their numbers stay an honest estimate. This test only checks that they load
 * and run through the same scorers as the labelled corpora; it sets no thresholds on purpose
 * (the measured numbers live in docs/taint.md and docs/tool-surface.md, "Held-out measurement").
 */
import { join } from "node:path";
import { evaluateCorpus, formatResult, loadCorpus } from "../scripts/surface-corpus.js";
import { formatReport, runTaintCorpus } from "../scripts/taint-corpus.js";

const HOLDOUT = "test/fixtures/holdout";

describe("held-out corpora (no thresholds)", () => {
  test("every data-flow case is labelled and runs through the pipeline", async () => {
    const report = await runTaintCorpus(join(HOLDOUT, "taint"));
    console.log(formatReport(report));
    expect(report.unlabelled).toEqual([]);
    for (const language of ["js", "python", "go"]) {
      expect(report.cases.some((c) => c.language === language)).toBe(true);
    }
    expect(report.overall.precision).not.toBeNaN();
    expect(report.overall.recall).not.toBeNaN();
  });

  test("every description case runs through the description rules", () => {
    const corpus = loadCorpus(join(process.cwd(), HOLDOUT, "descriptions.json"));
    const result = evaluateCorpus(corpus);
    console.log(formatResult(result));
    expect(result.cases).toBe(corpus.length);
    expect(result.positives).toBeGreaterThan(0);
    expect(result.negatives).toBeGreaterThan(0);
  });
});
