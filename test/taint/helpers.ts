import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { extractTools } from "../../lib/extract/index.js";
import { languageOf, parseSource } from "../../lib/extract/parser.js";
import type { SourceLanguage } from "../../lib/extract/types.js";
import { extractFlows } from "../../lib/taint/index.js";
import { foundKinds, parseLabel } from "../../scripts/taint-corpus.js";
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

/**
 * One test per case of a labelled corpus folder (first line `expect: <kinds>` or `expect: safe`):
 * the case's flow labels must equal its label.
 */
export function corpusCases(dir: string, extension: string, flows: (code: string) => Promise<TaintFlow[]>): void {
  const files = readdirSync(dir).filter((f) => f.endsWith(extension)).sort();
  test.each(files)("%s", async (file) => {
    const text = readFileSync(join(dir, file), "utf8");
    const want = parseLabel(text);
    expect(want).toBeDefined();
    const got = await flows(text);
    if (JSON.stringify(foundKinds(got)) !== JSON.stringify(want)) console.log(file, JSON.stringify(got, null, 1));
    expect(foundKinds(got)).toEqual(want);
  });
}
