import { applyExcludes } from "../../lib/snapshot/index.js";
import type { RepoSnapshot } from "../../lib/snapshot/index.js";

function snapshot(paths: string[]): RepoSnapshot {
  const files = new Map(paths.map((p) => [p, "abcd"]));
  return { files, notes: [{ reason: "binary", count: 1, examples: ["logo.png"] }], truncated: false, totalBytes: 4 * paths.length };
}

describe("applyExcludes", () => {
  const base = snapshot(["src/server.ts", "examples/demo/index.ts", "test/fixtures/bad.ts", ".github/workflows/ci.yml", "docs/a.md"]);

  it("removes matching files and notes them, leaving the input untouched", () => {
    const result = applyExcludes(base, ["examples/**", "test/fixtures"]);
    expect([...result.files.keys()]).toEqual(["src/server.ts", ".github/workflows/ci.yml", "docs/a.md"]);
    expect(result.totalBytes).toBe(12);
    expect(result.notes).toEqual([
      { reason: "binary", count: 1, examples: ["logo.png"] },
      { reason: "excluded-by-config", count: 2, examples: ["examples/demo/index.ts", "test/fixtures/bad.ts"] },
    ]);
    expect(base.files.size).toBe(5);
    expect(base.notes).toHaveLength(1);
  });

  it("matches dot folders and accepts ./ prefixes and trailing slashes", () => {
    expect([...applyExcludes(base, [".github/**"]).files.keys()]).not.toContain(".github/workflows/ci.yml");
    expect([...applyExcludes(base, ["./docs/"]).files.keys()]).not.toContain("docs/a.md");
    expect([...applyExcludes(base, ["**/*.md"]).files.keys()]).toEqual(["src/server.ts", "examples/demo/index.ts", "test/fixtures/bad.ts", ".github/workflows/ci.yml"]);
  });

  it("ignores invalid, empty, negated and non-string globs without throwing", () => {
    const globs = ["[", "***/[z-a]", "", "!src/**", 42, null] as unknown as string[];
    expect(() => applyExcludes(base, globs)).not.toThrow();
    expect(applyExcludes(base, globs).files.size).toBeGreaterThanOrEqual(4);
    expect(applyExcludes(base, []).files).toEqual(base.files);
  });

  it("adds no note when nothing matched", () => {
    expect(applyExcludes(base, ["nothing/**"]).notes).toEqual(base.notes);
  });
});
