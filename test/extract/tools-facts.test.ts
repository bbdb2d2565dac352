import { attachToolsToCalls, extractFacts, MAX_PARSE_BYTES } from "../../lib/extract/index.js";
import type { ShellCall, ToolDefinition } from "../../lib/extract/types.js";
import type { RepoSnapshot } from "../../lib/snapshot/types.js";
import { fixture } from "./helpers.js";

function snapshot(files: Record<string, string>): RepoSnapshot {
  const map = new Map(Object.entries(files));
  return { files: map, notes: [], truncated: false, totalBytes: [...map.values()].reduce((n, s) => n + s.length, 0) };
}

const server = (root: string) => ({ root, name: root, language: "typescript" as const, frameworks: [], evidence: [] });

describe("extractFacts", () => {
  it("parses each source file once, collects tools, and keeps going past bad files", async () => {
    const facts = await extractFacts(
      snapshot({
        "src/index.ts": fixture("ts-sdk-tool.ts"),
        "src/server.py": fixture("fastmcp_server.py"),
        "README.md": "# not source",
        "src/huge.js": `// ${"x".repeat(MAX_PARSE_BYTES + 10)}`,
        "src/broken.ts": "server.tool('a', 'A', async () => {",
      }),
      [server(".")],
    );
    const byPath = new Map(facts.files.map((f) => [f.path, f]));
    expect([...byPath.keys()].sort()).toEqual(["src/broken.ts", "src/huge.js", "src/index.ts", "src/server.py"]);
    expect(byPath.get("src/index.ts")!.tools.length).toBe(11);
    expect(byPath.get("src/index.ts")!.language).toBe("typescript");
    expect(byPath.get("src/server.py")!.tools.length).toBe(6);
    expect(byPath.get("src/huge.js")!.problems[0]!.message).toMatch(/parse limit/);
    expect(byPath.get("src/broken.ts")!.problems[0]!.message).toMatch(/syntax errors/);
    // tool spans carry the snapshot path
    expect(byPath.get("src/index.ts")!.tools[0]!.span.path).toBe("src/index.ts");
  });

  it("only analyses files under the detected servers", async () => {
    const facts = await extractFacts(
      snapshot({ "packages/server/a.ts": `server.tool("a", async () => 1);`, "web/b.ts": `server.tool("b", async () => 1);` }),
      [server("packages/server")],
    );
    expect(facts.files.map((f) => f.path)).toEqual(["packages/server/a.ts"]);
  });

  it("ties shell calls inside a handler to the tool", async () => {
    const facts = await extractFacts(
      snapshot({
        "s.ts": [
          `import { exec } from "node:child_process";`,
          `server.tool("run", "Runs", { cmd: z.string() }, async ({ cmd }) => {`,
          `  exec(cmd);`,
          `  return { content: [] };`,
          `});`,
          `exec(process.argv[2]);`,
        ].join("\n"),
      }),
      [],
    );
    const calls = facts.files[0]!.shellCalls;
    // The shell-call front end decides what counts; whatever it reports inside the handler belongs to "run".
    expect(calls.some((c) => c.tool === "run")).toBe(true);
    for (const call of calls) expect(call.tool).toBe(call.span.line >= 2 && call.span.line <= 5 ? "run" : undefined);
  });
});

describe("attachToolsToCalls", () => {
  const span = (line: number, endLine: number) => ({ path: "f.ts", line, endLine });
  const tool = (name: string, line: number, endLine: number): ToolDefinition => ({
    name,
    params: [],
    annotations: {},
    api: "ts-sdk.tool",
    span: span(line, endLine),
    handler: { span: span(line, endLine), params: [] },
  });
  const call = (line: number): ShellCall => ({
    span: span(line, line),
    api: "child_process.exec",
    shell: true,
    command: { constant: false, source: "cmd", inputs: ["cmd"] },
    snippet: "exec(cmd)",
  });

  it("picks the innermost handler and leaves calls outside handlers alone", () => {
    const calls = [call(5), call(12), call(30)];
    attachToolsToCalls([tool("outer", 1, 20), tool("inner", 10, 15)], calls);
    expect(calls.map((c) => c.tool)).toEqual(["outer", "inner", undefined]);
  });
});
