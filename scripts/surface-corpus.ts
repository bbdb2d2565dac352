/**
 * Precision and recall of the description rules (tool poisoning, hidden characters, look-alike
 * names, shadowing, exfiltration-shaped parameters) on the labelled corpus of tool texts in
 * test/fixtures/extract/poisoning-corpus.json. A case counts as flagged when any of those rules
 * reports it. test/rules/surface-corpus.test.ts runs this in `npm test`.
 *
 *   npm run build && node dist/scripts/surface-corpus.js [--file corpus.json]
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { ResolvedText, ToolDefinition } from "../lib/extract/types.js";
import type { RawFinding } from "../lib/model.js";
import { checkExfilParams } from "../lib/rules/exfiltration.js";
import { checkShadowing } from "../lib/rules/shadowing.js";
import { checkTool } from "../lib/rules/tool-poisoning.js";

export interface CorpusCase {
  id: string;
  /** The tool description. */
  text: string;
  poisoned: boolean;
  /** Expected MCPW-POISON-001 severity, when the case is about that rule. */
  severity?: string;
  /** Tool name (default "t"). */
  name?: string;
  /** Parameter name -> description. */
  params?: Record<string, string>;
  /** Other tools of the same server. */
  siblings?: string[];
  /** The rule the case is written for (documentation only). */
  rule?: string;
}

export interface CorpusResult {
  cases: number;
  positives: number;
  negatives: number;
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
  precision: number;
  recall: number;
  /** "false positive: id (rules)" / "false negative: id". */
  misses: string[];
  /** Cases flagged by MCPW-POISON-001 with another severity than labelled. */
  wrongSeverity: string[];
}

const SPAN = { path: "corpus/server.ts", line: 1, endLine: 1 };

function text(value: string, line: number): ResolvedText {
  return { value, dynamic: false, source: JSON.stringify(value), span: { ...SPAN, line, endLine: line } };
}

export function toolOf(c: CorpusCase): ToolDefinition {
  return {
    name: c.name ?? "t",
    description: text(c.text, 1),
    params: Object.entries(c.params ?? {}).map(([name, description], i) => ({
      name,
      ...(description ? { description: text(description, 2 + i) } : {}),
    })),
    annotations: {},
    api: "corpus",
    span: SPAN,
  };
}

/** Every description-rule finding for one case. */
export function findingsFor(c: CorpusCase): RawFinding[] {
  const tool = toolOf(c);
  return [...checkTool(tool), ...checkShadowing(tool, new Set(c.siblings ?? [])), ...checkExfilParams(tool)];
}

export function evaluateCorpus(cases: readonly CorpusCase[]): CorpusResult {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  const misses: string[] = [];
  const wrongSeverity: string[] = [];
  for (const c of cases) {
    const findings = findingsFor(c);
    const flagged = findings.length > 0;
    if (flagged && c.poisoned) tp++;
    else if (flagged) {
      fp++;
      misses.push(`false positive: ${c.id} (${[...new Set(findings.map((f) => f.ruleId))].join(", ")})`);
    } else if (c.poisoned) {
      fn++;
      misses.push(`false negative: ${c.id}`);
    }
    const poison = findings.find((f) => f.ruleId === "MCPW-POISON-001");
    if (poison && c.severity && poison.severity !== c.severity) wrongSeverity.push(`${c.id}: ${poison.severity} != ${c.severity}`);
  }
  return {
    cases: cases.length,
    positives: cases.filter((c) => c.poisoned).length,
    negatives: cases.filter((c) => !c.poisoned).length,
    truePositives: tp,
    falsePositives: fp,
    falseNegatives: fn,
    precision: tp / Math.max(1, tp + fp),
    recall: tp / Math.max(1, tp + fn),
    misses,
    wrongSeverity,
  };
}

export const DEFAULT_CORPUS = "test/fixtures/extract/poisoning-corpus.json";

export function loadCorpus(path = join(process.cwd(), DEFAULT_CORPUS)): CorpusCase[] {
  return JSON.parse(readFileSync(path, "utf8")) as CorpusCase[];
}

export function formatResult(r: CorpusResult): string {
  return [
    `description rules on ${r.cases} labelled texts (${r.positives} malicious, ${r.negatives} benign)`,
    `precision ${r.precision.toFixed(3)}  recall ${r.recall.toFixed(3)}  (tp ${r.truePositives}, fp ${r.falsePositives}, fn ${r.falseNegatives})`,
    ...r.misses,
    ...r.wrongSeverity.map((w) => `severity: ${w}`),
  ].join("\n");
}

function main(): void {
  // `--file <corpus.json>` (or a bare path) scores another corpus, e.g. test/fixtures/holdout/descriptions.json.
  const argv = process.argv.slice(2);
  const flag = argv.indexOf("--file");
  const result = evaluateCorpus(loadCorpus(flag >= 0 ? argv[flag + 1] : argv[0]));
  console.log(formatResult(result));
  if (result.precision < 0.9 || result.recall < 0.9) process.exitCode = 1;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main();
