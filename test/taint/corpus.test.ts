import { formatReport, runTaintCorpus } from "../../scripts/taint-corpus.js";

describe("data-flow labelled corpus", () => {
  test("precision and recall are at least 0.9 overall and per language", async () => {
    const report = await runTaintCorpus();
    console.log(formatReport(report));
    expect(report.unlabelled).toEqual([]);
    expect(report.cases.filter((c) => c.language === "js").length).toBeGreaterThanOrEqual(35);
    expect(report.overall.precision).toBeGreaterThanOrEqual(0.9);
    expect(report.overall.recall).toBeGreaterThanOrEqual(0.9);
    for (const [language, s] of Object.entries(report.byLanguage)) {
      expect({ language, precision: s.precision >= 0.9, recall: s.recall >= 0.9 }).toEqual({ language, precision: true, recall: true });
    }
  });
});
