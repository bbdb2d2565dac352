import type { Node, Tree } from "web-tree-sitter";
import { ConstnessAnalyzer } from "../../lib/extract/constness.js";
import { extractFacts, extractTools } from "../../lib/extract/index.js";
import { namedDescendants, walk } from "../../lib/extract/nodes.js";
import { parseSource } from "../../lib/extract/parser.js";
import { familyOf } from "../../lib/extract/shell-ast.js";
import { Scopes } from "../../lib/extract/shell-scope.js";
import { extractShellCalls, shellCallDrafts } from "../../lib/extract/shell.js";
import type { SourceLanguage } from "../../lib/extract/types.js";
import { extractFlows } from "../../lib/taint/index.js";

async function withTree<T>(lang: SourceLanguage, code: string, fn: (tree: Tree) => T): Promise<T> {
  const tree = await parseSource(lang, code);
  if (!tree) throw new Error("no tree");
  try {
    return fn(tree);
  } finally {
    tree.delete();
  }
}

/** What a JS walk over named nodes finds, for comparison with the native search. */
function walked(root: Node, types: string[]): number[] {
  const out: number[] = [];
  walk(root, (n) => {
    if (types.includes(n.type)) out.push(n.id);
  });
  return out;
}

const TS = `
import { exec } from "node:child_process";
const run = function () { return exec("ls"); };
class A { m() { return () => 1; } }
export function outer(x: string) {
  const inner = function named() { exec(\`echo \${x}\`); };
  return inner;
}
`;

describe("namedDescendants", () => {
  test("finds what a walk finds, in the same order, and drops keyword tokens spelled like a type", async () => {
    const types = ["function_declaration", "function_expression", "function", "arrow_function", "class", "class_declaration", "call_expression"];
    await withTree("typescript", TS, (tree) => {
      const root = tree.rootNode;
      expect(namedDescendants(root, types).map((n) => n.id)).toEqual(walked(root, types));
      // tree-sitter's own search also returns the `function` keywords; ours does not.
      expect(root.descendantsOfType("function").some((n) => n && !n.isNamed)).toBe(true);
      expect(namedDescendants(root, ["function"]).every((n) => n.isNamed)).toBe(true);
    });
  });

  test("a search below the root and a second search from the root give the walk's answer", async () => {
    await withTree("typescript", TS, (tree) => {
      const root = tree.rootNode;
      expect(namedDescendants(root, ["call_expression"]).map((n) => n.id)).toEqual(walked(root, ["call_expression"]));
      const fn = namedDescendants(root, ["function_declaration"])[0]!;
      expect(namedDescendants(fn, ["call_expression", "function_expression"]).map((n) => n.id)).toEqual(
        walked(fn, ["call_expression", "function_expression"]),
      );
      // A type outside the file index falls back to its own search.
      expect(namedDescendants(root, ["template_string"]).map((n) => n.id)).toEqual(walked(root, ["template_string"]));
    });
  });

  test("each tree gets its own index", async () => {
    const a = await withTree("python", "def f():\n    g()\n", (t) => namedDescendants(t.rootNode, ["call"]).map((n) => n.text));
    const b = await withTree("python", "h()\ni()\n", (t) => namedDescendants(t.rootNode, ["call"]).map((n) => n.text));
    expect(a).toEqual(["g()"]);
    expect(b).toEqual(["h()", "i()"]);
  });
});

describe("shared per-file analysis", () => {
  test("Scopes answers the same with its climb cache, also for a file whose root is not a scope", async () => {
    await withTree("python", "class C:\n    X = 1\n    def m(self):\n        return X\nX = 2\n", (tree) => {
      const scopes = new Scopes("python", tree.rootNode);
      const use = namedDescendants(tree.rootNode, ["return_statement"])[0]!.namedChildren[0]!;
      // The method does not see the class body's X; it sees the module's.
      const first = scopes.lookup("X", use);
      expect(first?.length).toBe(1);
      expect(scopes.lookup("X", use)).toEqual(first);
      expect(scopes.scopeOf(use).type).toBe("function_definition");
    });
    await withTree("go", "}}}{{{", (tree) => {
      const scopes = new Scopes("go", tree.rootNode);
      expect(() => scopes.lookup("x", tree.rootNode)).not.toThrow();
    });
  });

  test("handing the extracted drafts and analyzer to the JS data-flow front end changes nothing", async () => {
    const code = `
import { exec } from "child_process";
server.tool("run", { cmd: z.string() }, async ({ cmd }) => {
  exec("git " + cmd);
  return { content: [] };
});
`;
    await withTree("typescript", code, (tree) => {
      const root = tree.rootNode;
      const analyzer = new ConstnessAnalyzer(root, "typescript", new Scopes(familyOf("typescript"), root));
      const drafts = shellCallDrafts(root, "typescript", analyzer);
      expect(drafts?.length).toBe(1);
      const shared = extractShellCalls(tree, "typescript", "a.ts", code, analyzer, drafts);
      expect(shared).toEqual(extractShellCalls(tree, "typescript", "a.ts", code));
      const tools = extractTools(root, "typescript", "a.ts");
      const alone = extractFlows({ root, lang: "typescript", path: "a.ts", text: code, tools });
      const withShared = extractFlows({ root, lang: "typescript", path: "a.ts", text: code, tools, analyzer, shellDrafts: drafts });
      expect(alone.map((f) => f.kind)).toEqual(["shell"]);
      expect(withShared).toEqual(alone);
    });
  });

  test("extractFacts gives the same facts when a file is scanned twice", async () => {
    const files = new Map([
      ["src/a.ts", TS],
      ["py/b.py", 'import subprocess\n\n@mcp.tool()\ndef run(cmd: str) -> str:\n    return subprocess.check_output(cmd, shell=True)\n'],
    ]);
    const snapshot = { files, notes: [], truncated: false, totalBytes: 0 };
    const first = await extractFacts(snapshot, []);
    const second = await extractFacts(snapshot, []);
    expect(second).toEqual(first);
    expect(first.files.flatMap((f) => f.shellCalls).length).toBeGreaterThan(0);
  });
});
