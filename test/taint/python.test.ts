import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { extractTools } from "../../lib/extract/index.js";
import { parseSource } from "../../lib/extract/parser.js";
import { pythonFlows } from "../../lib/taint/python.js";
import type { TaintFlow } from "../../lib/taint/types.js";

async function flows(code: string): Promise<TaintFlow[]> {
  const tree = await parseSource("python", code);
  if (!tree) throw new Error("no tree");
  try {
    const root = tree.rootNode;
    const tools = extractTools(root, "python", "server.py");
    return pythonFlows({ root, lang: "python", path: "server.py", text: code, tools });
  } finally {
    tree.delete();
  }
}

/** "shell", "path", "partial-path" per flow, sorted and unique. */
const labels = (fs: TaintFlow[]) => [...new Set(fs.filter((f) => f.check !== "checked").map((f) => (f.check === "partial" ? `partial-${f.kind}` : f.kind)))].sort();

const CORPUS = join(process.cwd(), "test/fixtures/taint-corpus/python");

describe("corpus", () => {
  const files = readdirSync(CORPUS).filter((f) => f.endsWith(".py")).sort();
  test.each(files)("%s", async (file) => {
    const text = readFileSync(join(CORPUS, file), "utf8");
    const expected = /expect:\s*(.+)/.exec(text.split("\n")[0])![1].trim();
    const want = expected === "safe" ? [] : expected.split(",").map((s) => s.trim()).sort();
    const got = await flows(text);
    if (JSON.stringify(labels(got)) !== JSON.stringify(want)) console.log(file, JSON.stringify(got, null, 1));
    expect(labels(got)).toEqual(want);
  });
});
