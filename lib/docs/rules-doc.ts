import { RULE_FAMILIES } from "../rules/index.js";
import type { RuleFamily, RuleInfo } from "../rules/types.js";

/** Fields every rule id must document; a missing one fails the docs test, not the scan. */
export const REQUIRED_RULE_FIELDS = ["title", "category", "severity", "looksFor", "ignores", "remediation"] as const;

export function missingRuleFields(rule: RuleInfo): string[] {
  return REQUIRED_RULE_FIELDS.filter((f) => {
    const v = rule[f];
    return typeof v !== "string" || v.trim() === "";
  });
}

/** Table cells: one line, pipes escaped. */
function cell(text: string | undefined): string {
  return (text ?? "").replace(/\s+/g, " ").replace(/\|/g, "\\|").trim();
}

function idOrder(a: RuleInfo, b: RuleInfo): number {
  return a.id.localeCompare(b.id, "en", { numeric: true });
}

/**
 * docs/rules.md, generated from the rule definitions so it cannot drift from them
 * (`npm run rules-doc` rewrites it; a test compares).
 */
export function renderRulesDoc(families: readonly RuleFamily[] = RULE_FAMILIES): string {
  const rules = families.flatMap((f) => f.rules.map((r) => ({ family: f.id, rule: r }))).sort((a, b) => idOrder(a.rule, b.rule));
  const out: string[] = [
    "# Rules",
    "",
    "<!-- Generated from the rule definitions in lib/rules/ by `npm run rules-doc`; do not edit by hand. -->",
    "",
    `mcp-warden has ${rules.length} rules in ${families.length} families. Each finding carries its rule id; ` +
      "suppress one with an `ignore` entry in `.github/mcp-warden.yml` (see [configuration.md](configuration.md)).",
    "",
    "| id | category | usual severity | title |",
    "|---|---|---|---|",
    ...rules.map(({ rule }) => `| [${rule.id}](#${rule.id.toLowerCase()}) | ${cell(rule.category)} | ${cell(rule.severity)} | ${cell(rule.title)} |`),
    "",
  ];
  for (const { family, rule } of rules) {
    out.push(
      `## ${rule.id}`,
      "",
      `**${cell(rule.title)}**`,
      "",
      `- Family: \`${family}\``,
      `- Category: \`${cell(rule.category)}\``,
      `- Usual severity: ${cell(rule.severity)}`,
      "",
      `**Looks for.** ${(rule.looksFor ?? "").trim()}`,
      "",
      `**Deliberately ignores.** ${(rule.ignores ?? "").trim()}`,
      "",
      `**Remediation.** ${(rule.remediation ?? "").trim()}`,
      "",
    );
  }
  return out.join("\n");
}
