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
