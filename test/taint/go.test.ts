import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { extractTools } from "../../lib/extract/index.js";
import { parseSource } from "../../lib/extract/parser.js";
import { goFlows } from "../../lib/taint/go.js";
import type { TaintFlow } from "../../lib/taint/types.js";

async function flows(code: string): Promise<TaintFlow[]> {
  const tree = await parseSource("go", code);
  if (!tree) throw new Error("no tree");
  try {
    const root = tree.rootNode;
    const tools = extractTools(root, "go", "main.go");
    return goFlows({ root, lang: "go", path: "main.go", text: code, tools });
  } finally {
    tree.delete();
  }
}

const labels = (fs: TaintFlow[]) => [...new Set(fs.filter((f) => f.check !== "checked").map((f) => (f.check === "partial" ? `partial-${f.kind}` : f.kind)))].sort();

const CORPUS = join(process.cwd(), "test/fixtures/taint-corpus/go");

describe("corpus", () => {
  const files = readdirSync(CORPUS).filter((f) => f.endsWith(".go")).sort();
  test.each(files)("%s", async (file) => {
    const text = readFileSync(join(CORPUS, file), "utf8");
    const expected = /expect:\s*(.+)/.exec(text.split("\n")[0])![1].trim();
    const want = expected === "safe" ? [] : expected.split(",").map((s) => s.trim()).sort();
    const got = await flows(text);
    if (JSON.stringify(labels(got)) !== JSON.stringify(want)) console.log(file, JSON.stringify(got, null, 1));
    expect(labels(got)).toEqual(want);
  });
});
