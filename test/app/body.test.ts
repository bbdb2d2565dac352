import { fitBody, GITHUB_BODY_LIMIT } from "../../app/platform/body.js";
import { hasMarker, parseReportState, REPORT_MARKER, renderState } from "../../lib/report/state.js";

const state = renderState({ v: 1, sha: "a".repeat(40), fingerprints: ["fp-1", "fp-2"] });

describe("fitBody", () => {
  it("returns a body within the limit unchanged", () => {
    const body = `${REPORT_MARKER}\n# Report\n\n${state}`;
    expect(fitBody(body)).toBe(body);
  });

  it("adds the marker when a body lacks it", () => {
    expect(hasMarker(fitBody("# Report"))).toBe(true);
  });

  it("cuts an oversized body to the limit, keeping the marker, a note and the state", () => {
    const rows = Array.from({ length: 5_000 }, (_, i) => `- finding ${i}: ${"x".repeat(40)}`).join("\n");
    const body = `${REPORT_MARKER}\n# Report\n\n${rows}\n\n${state}`;
    expect(body.length).toBeGreaterThan(GITHUB_BODY_LIMIT);
    const fitted = fitBody(body);
    expect(fitted.length).toBeLessThanOrEqual(GITHUB_BODY_LIMIT);
    expect(hasMarker(fitted)).toBe(true);
    expect(fitted).toContain("too long for a GitHub issue");
    expect(parseReportState(fitted)).toEqual({ v: 1, sha: "a".repeat(40), fingerprints: ["fp-1", "fp-2"] });
    // Cut at a line boundary: the last finding line kept is whole.
    const lastRow = fitted.split("\n").filter((line) => line.startsWith("- finding")).pop()!;
    expect(lastRow).toMatch(/^- finding \d+: x{40}$/);
  });

  it("closes a code fence and a <details> the cut left open, so the state stays hidden", () => {
    const evidence = Array.from({ length: 4_000 }, (_, i) => `line ${i} ${"y".repeat(20)}`).join("\n");
    const body = `${REPORT_MARKER}\n<details><summary>Evidence</summary>\n\n\`\`\`\`text\n${evidence}\n\`\`\`\`\n</details>\n\n${state}`;
    const fitted = fitBody(body, 20_000);
    expect(fitted.length).toBeLessThanOrEqual(20_000);
    const beforeNote = fitted.slice(0, fitted.indexOf("> **Note:**"));
    expect(beforeNote.trimEnd().endsWith("````\n</details>")).toBe(true);
    expect(parseReportState(fitted)).not.toBeNull();
  });

  it("drops an oversized state rather than exceed the limit", () => {
    const huge = renderState({ v: 1, sha: "b".repeat(40), fingerprints: Array.from({ length: 3_000 }, (_, i) => `fingerprint-${i}`) });
    const fitted = fitBody(`${REPORT_MARKER}\n# Report\n${huge}`, 10_000);
    expect(fitted.length).toBeLessThanOrEqual(10_000);
    expect(hasMarker(fitted)).toBe(true);
    expect(parseReportState(fitted)).toBeNull();
  });

  it("does not end the kept text on half a surrogate pair", () => {
    const body = `${REPORT_MARKER}\n${"😀".repeat(40_000)}`;
    const fitted = fitBody(body);
    expect(fitted.length).toBeLessThanOrEqual(GITHUB_BODY_LIMIT);
    expect(fitted).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
  });
});
