import { parseSource } from "../../lib/extract/parser.js";
import { extractShellCalls } from "../../lib/extract/shell.js";
import { ConstnessAnalyzer, type Constness } from "../../lib/extract/constness.js";
import type { ShellCall, SourceLanguage } from "../../lib/extract/types.js";

/** Shell calls in a source string, as the extractor reports them. */
export async function shellCalls(lang: SourceLanguage, code: string, path = "src/server.ts"): Promise<ShellCall[]> {
  const tree = await parseSource(lang, code);
  if (!tree) throw new Error("parse failed");
  try {
    return extractShellCalls(tree, lang, path, code);
  } finally {
    tree.delete();
  }
}

/** Constness of the first argument of the last call to `probe(...)` in the code. */
export async function probe(lang: SourceLanguage, code: string): Promise<Constness> {
  const tree = await parseSource(lang, code);
  if (!tree) throw new Error("parse failed");
  try {
    const type = lang === "python" ? "call" : "call_expression";
    const calls = tree.rootNode.descendantsOfType(type).filter((c) => c?.childForFieldName("function")?.text === "probe");
    const call = calls.at(-1);
    const arg = call?.childForFieldName("arguments")?.namedChildren[0];
    if (!arg) throw new Error("no probe(...) call in test code");
    return new ConstnessAnalyzer(tree.rootNode, lang).analyze(arg);
  } finally {
    tree.delete();
  }
}
