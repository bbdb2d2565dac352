import { readFileSync } from "node:fs";
import { missingRuleFields, renderRulesDoc } from "../../lib/docs/rules-doc.js";
import { CATEGORIES, SEVERITIES } from "../../lib/model.js";
import { RULE_FAMILIES } from "../../lib/rules/index.js";

const rules = RULE_FAMILIES.flatMap((f) => f.rules);

describe("docs/rules.md", () => {
  it("is the generated text (run `npm run rules-doc` after changing a rule)", () => {
    expect(readFileSync(new URL("../../docs/rules.md", import.meta.url), "utf8")).toBe(renderRulesDoc());
  });

  it("documents every rule id completely", () => {
    const incomplete = rules.map((r) => ({ id: r.id, missing: missingRuleFields(r) })).filter((r) => r.missing.length > 0);
    expect(incomplete).toEqual([]);
  });

  it("uses each rule id once, with a known category and severity", () => {
    const ids = rules.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const r of rules) {
      expect(CATEGORIES).toContain(r.category);
      expect(SEVERITIES).toContain(r.severity);
      expect(r.id).toMatch(/^MCPW-[A-Z]+-\d{3}$/);
    }
  });
});
