import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { extractTools } from "../../lib/extract/index.js";
import { languageOf, parseSource } from "../../lib/extract/parser.js";
import type { SourceLanguage } from "../../lib/extract/types.js";
import { extractFlows } from "../../lib/taint/index.js";
import type { TaintFlow } from "../../lib/taint/types.js";

/** Flows of one source text through the real parser, tool extraction and taint front end. */
export async function flowsOf(code: string, path = "src/server.ts"): Promise<TaintFlow[]> {
  const lang = languageOf(path) as SourceLanguage;
  const tree = await parseSource(lang, code);
  if (!tree) throw new Error("parse failed");
  try {
    const root = tree.rootNode;
    const tools = extractTools(root, lang, path);
    return extractFlows({ root, lang, path, text: code, tools });
  } finally {
    tree.delete();
  }
}

/** "`a` (line 1) -> `b` (line 2)" */
export function traceText(flow: TaintFlow): string {
  return flow.trace.map((s) => `${s.label}@${s.line}`).join(" -> ");
}

/** "shell", "path", "partial-path" per flow (checked records left out), sorted and unique. */
export function labels(flows: TaintFlow[]): string[] {
  return [...new Set(flows.filter((f) => f.check !== "checked").map((f) => (f.check === "partial" ? `partial-${f.kind}` : f.kind)))].sort();
}

/**
 * One test per case of a labelled corpus folder (first line `expect: <kinds>` or `expect: safe`):
 * the case's flow labels must equal its label.
 */
export function corpusCases(dir: string, extension: string, flows: (code: string) => Promise<TaintFlow[]>): void {
  const files = readdirSync(dir).filter((f) => f.endsWith(extension)).sort();
  test.each(files)("%s", async (file) => {
    const text = readFileSync(join(dir, file), "utf8");
    const expected = /expect:\s*(.+)/.exec(text.split("\n")[0])![1].trim();
    const want = expected === "safe" ? [] : expected.split(",").map((s) => s.trim()).sort();
    const got = await flows(text);
    if (JSON.stringify(labels(got)) !== JSON.stringify(want)) console.log(file, JSON.stringify(got, null, 1));
    expect(labels(got)).toEqual(want);
  });
}
