/**
 * Precision and recall of the data-flow (taint) front ends over the labelled corpus in
 * test/fixtures/taint-corpus/{js,python,go}/. Each case is one small file whose first line is a
 * comment `expect: <kind>[,<kind>]` or `expect: safe`; kinds are the FlowKind names plus
 * `partial-path` for a path behind a bypassable check. Every file goes through the real
 * pipeline (extractFacts: parse, tool extraction, flows).
 *
 *   npm run taint-corpus                 # the corpus under test/fixtures/taint-corpus
 *   npm run taint-corpus -- --dir path/to/dir  # another corpus with the same layout
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { extractFacts } from "../lib/extract/index.js";
import { languageOf } from "../lib/extract/parser.js";
import type { TaintFlow } from "../lib/taint/types.js";

export const DEFAULT_CORPUS = "test/fixtures/taint-corpus";
export const LANGUAGES = ["js", "python", "go"] as const;

export interface CaseResult {
  language: string;
  file: string;
  expected: string[];
  found: string[];
}

export interface Score {
  tp: number;
  fp: number;
  fn: number;
  precision: number;
  recall: number;
}

export interface CorpusReport {
  cases: CaseResult[];
  /** Every case whose found kinds differ from its label. */
  mismatches: CaseResult[];
  overall: Score;
  byKind: Record<string, Score>;
  byLanguage: Record<string, Score & { cases: number }>;
  /** Files without a readable `expect:` first line. */
  unlabelled: string[];
}

/** The kinds a file's label names; [] for `safe`; undefined when there is no label. */
export function parseLabel(text: string): string[] | undefined {
  const first = text.split("\n", 1)[0] ?? "";
  const m = /^\s*(?:\/\/|#)\s*expect:\s*(.+?)\s*$/.exec(first);
  if (!m) return undefined;
  const kinds = m[1].split(",").map((k) => k.trim()).filter(Boolean);
  return kinds.length === 1 && kinds[0] === "safe" ? [] : kinds.sort();
}

/** The kinds a file's flows report: unchecked flows by kind, partial paths as `partial-path`. */
export function foundKinds(flows: TaintFlow[]): string[] {
  const kinds = new Set<string>();
  for (const f of flows) {
    if (f.check === "checked") continue;
    kinds.add(f.check === "partial" ? `partial-${f.kind}` : f.kind);
  }
  return [...kinds].sort();
}

function score(tp: number, fp: number, fn: number): Score {
  // No positives at all is a perfect score, not a division by zero.
  return { tp, fp, fn, precision: tp + fp === 0 ? 1 : tp / (tp + fp), recall: tp + fn === 0 ? 1 : tp / (tp + fn) };
}

function tally(cases: CaseResult[]): { tp: number; fp: number; fn: number } {
  let tp = 0, fp = 0, fn = 0;
  for (const c of cases) {
    for (const k of c.found) c.expected.includes(k) ? tp++ : fp++;
    for (const k of c.expected) if (!c.found.includes(k)) fn++;
  }
  return { tp, fp, fn };
}

/** Run every case of the corpus through the pipeline and score it. */
export async function runTaintCorpus(dir = DEFAULT_CORPUS): Promise<CorpusReport> {
  const cases: CaseResult[] = [];
  const unlabelled: string[] = [];
  for (const language of LANGUAGES) {
    const folder = join(dir, language);
    let names: string[];
    try {
      names = readdirSync(folder).filter((n) => statSync(join(folder, n)).isFile() && languageOf(n)).sort();
    } catch {
      continue; // a language without cases yet
    }
    for (const name of names) {
      const text = readFileSync(join(folder, name), "utf8");
      const expected = parseLabel(text);
      if (!expected) {
        unlabelled.push(`${language}/${name}`);
        continue;
      }
      const path = `${language}/${name}`;
      const facts = await extractFacts({ files: new Map([[path, text]]), notes: [], truncated: false, totalBytes: text.length }, []);
      const flows = facts.files.flatMap((f) => f.flows);
      cases.push({ language, file: path, expected, found: foundKinds(flows) });
    }
  }
  const kinds = [...new Set(cases.flatMap((c) => [...c.expected, ...c.found]))].sort();
  const byKind: Record<string, Score> = {};
  for (const kind of kinds) {
    const only = cases.map((c) => ({ ...c, expected: c.expected.filter((k) => k === kind), found: c.found.filter((k) => k === kind) }));
    const t = tally(only);
    byKind[kind] = score(t.tp, t.fp, t.fn);
  }
  const byLanguage: CorpusReport["byLanguage"] = {};
  for (const language of LANGUAGES) {
    const mine = cases.filter((c) => c.language === language);
    if (mine.length === 0) continue;
    const t = tally(mine);
    byLanguage[language] = { ...score(t.tp, t.fp, t.fn), cases: mine.length };
  }
  const t = tally(cases);
  const mismatches = cases.filter((c) => c.expected.join(",") !== c.found.join(","));
  return { cases, mismatches, overall: score(t.tp, t.fp, t.fn), byKind, byLanguage, unlabelled };
}

function row(name: string, s: Score, extra = ""): string {
  return `${name.padEnd(14)} TP ${String(s.tp).padStart(3)}  FP ${String(s.fp).padStart(3)}  FN ${String(s.fn).padStart(3)}  precision ${s.precision.toFixed(3)}  recall ${s.recall.toFixed(3)}${extra}`;
}

/** The printed report. */
export function formatReport(r: CorpusReport): string {
  const lines = [`${r.cases.length} cases (${r.cases.filter((c) => c.expected.length === 0).length} safe)`, "", "by kind:"];
  for (const [kind, s] of Object.entries(r.byKind)) lines.push(`  ${row(kind, s)}`);
  lines.push("by language:");
  for (const [language, s] of Object.entries(r.byLanguage)) lines.push(`  ${row(language, s, `  (${s.cases} cases)`)}`);
  lines.push("", row("overall", r.overall));
  if (r.mismatches.length > 0) {
    lines.push("", "mismatches:");
    for (const c of r.mismatches) lines.push(`  ${c.file}: expected ${c.expected.join(",") || "safe"}, found ${c.found.join(",") || "nothing"}`);
  }
  if (r.unlabelled.length > 0) lines.push("", `unlabelled (skipped): ${r.unlabelled.join(", ")}`);
  return lines.join("\n");
}

async function main(): Promise<void> {
  // `--dir <folder>` (or a bare folder) scores another corpus, e.g. test/fixtures/holdout/taint.
  const argv = process.argv.slice(2);
  const flag = argv.indexOf("--dir");
  const dir = flag >= 0 ? argv[flag + 1] : argv[0];
  const report = await runTaintCorpus(dir ?? DEFAULT_CORPUS);
  console.log(formatReport(report));
  if (report.cases.length === 0) process.exitCode = 1;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exitCode = 1;
  });
}
