import { emptyManifests } from "../../lib/manifests/index.js";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { languageOf, parseSource } from "../../lib/extract/parser.js";
import { extractShellCalls } from "../../lib/extract/shell.js";
import type { FileFacts, ShellCall, SourceLanguage, ToolDefinition } from "../../lib/extract/types.js";
import type { RawFinding } from "../../lib/model.js";
import { extractTools } from "../../lib/extract/index.js";
import { commandInjection } from "../../lib/rules/command-injection.js";
import { extractFlows } from "../../lib/taint/index.js";
import type { TaintFlow } from "../../lib/taint/types.js";
import type { RuleContext } from "../../lib/rules/types.js";

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), "../fixtures/shell");

async function fileFacts(path: string, code: string, tools: ToolDefinition[] = [], tool?: (c: ShellCall) => string | undefined): Promise<FileFacts> {
  const language = languageOf(path) as SourceLanguage;
  const tree = await parseSource(language, code);
  if (!tree) throw new Error("parse failed");
  try {
    const shellCalls = extractShellCalls(tree, language, path, code).map((c) => {
      const t = tool?.(c);
      return t === undefined ? c : { ...c, tool: t };
    });
    return { path, language, tools, shellCalls, flows: [], transport: [], problems: [] };
  } finally {
    tree.delete();
  }
}

function context(files: FileFacts[]): RuleContext {
  return {
    snapshot: { files: new Map(), notes: [], truncated: false, totalBytes: 0 },
    servers: [],
    facts: { files },
    deps: { dependencies: [], unresolved: [], problems: [] },
    advisories: [],
    manifests: emptyManifests(),
  };
}

async function findings(path: string, code: string, tools: ToolDefinition[] = [], tool?: (c: ShellCall) => string | undefined): Promise<RawFinding[]> {
  return commandInjection.run(context([await fileFacts(path, code, tools, tool)]));
}

function toolDef(name: string, line: number, endLine: number, params: string[], path = "src/server.ts"): ToolDefinition {
  return {
    name,
    params: [],
    annotations: {},
    api: "ts-sdk.tool",
    span: { path, line, endLine: line },
    handler: { span: { path, line, endLine }, params },
  };
}

describe("MCPW-EXEC-001 labelled corpus", () => {
  test("precision and recall over the fixture corpus", async () => {
    const rows: string[] = [];
    let tp = 0, fp = 0, fn = 0, tn = 0;
    const misses: string[] = [];
    for (const name of ["corpus.ts", "shadow.js", "corpus.py", "corpus.go"]) {
      const code = readFileSync(join(FIXTURES, name), "utf8");
      const lines = code.split("\n");
      const flagged = new Set((await findings(name, code)).map((f) => f.line));
      let ftp = 0, ffp = 0, ffn = 0, ftn = 0;
      lines.forEach((text, i) => {
        const line = i + 1;
        const label = /(?:\/\/|#) (VULN|SAFE)\s*$/.exec(text)?.[1];
        const hit = flagged.has(line);
        if (label === "VULN") hit ? ftp++ : (ffn++, misses.push(`missed ${name}:${line} ${text.trim()}`));
        else if (hit) {
          ffp++;
          misses.push(`false positive ${name}:${line} ${text.trim()}`);
        } else if (label === "SAFE") ftn++;
      });
      tp += ftp; fp += ffp; fn += ffn; tn += ftn;
      rows.push(`${name.padEnd(10)} TP ${ftp} FP ${ffp} FN ${ffn} TN ${ftn}`);
    }
    const precision = tp / (tp + fp);
    const recall = tp / (tp + fn);
    console.log(
      [...rows, `overall    TP ${tp} FP ${fp} FN ${fn} TN ${tn}  precision ${precision.toFixed(3)} recall ${recall.toFixed(3)}`, ...misses].join("\n"),
    );
    expect(misses).toEqual([]);
    expect(tp).toBeGreaterThanOrEqual(40);
    expect(tn).toBeGreaterThanOrEqual(40);
  });
});

describe("MCPW-EXEC-001 severity", () => {
  const code = [
    'import { exec } from "node:child_process";', // 1
    "server.tool('git_log', {}, async (args) => {", // 2
    "  const cmd = 'git log ' + args.branch;", // 3
    "  exec(cmd);", // 4
    "  exec('ls ' + computeDir());", // 5
    "});", // 6
    "export function helper(dir) { exec('ls ' + dir); }", // 7
    "exec(`${process.env.EDITOR} notes.txt`);", // 8
    "exec('ls -la');", // 9
  ].join("\n");
  const tools = [toolDef("git_log", 2, 6, ["args"])];

  test("tool input reaching a shell is critical with high confidence", async () => {
    const f = await findings("src/server.ts", code, tools);
    const inTool = f.find((x) => x.line === 4)!;
    expect(inTool).toMatchObject({
      ruleId: "MCPW-EXEC-001",
      category: "command-injection",
      severity: "critical",
      confidence: "high",
      tool: "git_log",
      path: "src/server.ts",
      endLine: 4,
      cwe: ["CWE-78"],
      owasp: ["MCP05"],
    });
    expect(inTool.evidence).toBe("exec(cmd)\nbuilt from: args.branch via cmd");
    expect(inTool.key).toBe("exec(cmd)");
    expect(inTool.message).toContain("git_log");
    expect(inTool.remediation).toContain("execFile");
    expect(inTool.remediation).toContain("allow-list");
  });

  test("a dynamic command in a handler that is not traced to its input is high, medium confidence", async () => {
    const f = await findings("src/server.ts", code, tools);
    expect(f.find((x) => x.line === 5)).toMatchObject({ severity: "high", confidence: "medium", tool: "git_log" });
  });

  test("outside a handler: high with medium confidence and no tool", async () => {
    const f = await findings("src/server.ts", code, tools);
    const helper = f.find((x) => x.line === 7)!;
    expect(helper).toMatchObject({ severity: "high", confidence: "medium" });
    expect(helper.tool).toBeUndefined();
  });

  test("environment-only input is medium with low confidence", async () => {
    const f = await findings("src/server.ts", code, tools);
    expect(f.find((x) => x.line === 8)).toMatchObject({ severity: "medium", confidence: "low" });
  });

  test("constant commands are not findings", async () => {
    const f = await findings("src/server.ts", code, tools);
    expect(f.map((x) => x.line).sort()).toEqual([4, 5, 7, 8]);
  });

  test("the tool name set by the extractor wins, and a destructured handler parameter counts as input", async () => {
    const src = [
      'import { execSync } from "child_process";',
      "export const handler = async ({ repo }) => execSync(`git -C ${repo} log`);",
    ].join("\n");
    const f = await findings("src/h.ts", src, [toolDef("log", 2, 2, ["repo"], "src/h.ts")], () => "log");
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({ severity: "critical", confidence: "high", tool: "log" });
  });

  test("the message names only the tool inputs; the evidence keeps every source", async () => {
    const src = 'import { exec } from "child_process";\nexport const h = async ({ repo }) => exec(`git -C ${process.env.ROOT}/${repo} log`);';
    const [f] = await findings("src/h.ts", src, [toolDef("log", 2, 2, ["repo"], "src/h.ts")]);
    expect(f.message).toContain("passes its input (`repo`)");
    expect(f.evidence).toContain("built from: process.env.ROOT, repo");
  });

  test("a call marked with a tool but no handler params still traces args-like objects", async () => {
    const src = 'import os\ndef run(params):\n    os.system("ls " + params["dir"])\n';
    const f = await findings("srv.py", src, [], () => "run");
    expect(f[0]).toMatchObject({ severity: "critical", tool: "run" });
    expect(f[0].remediation).toContain("shlex.quote");
    expect(f[0].remediation).toContain("shell=False");
    expect(f[0].evidence).toContain("built from: params.dir");
  });

  test("execaCommand without a shell can only add arguments: one level lower", async () => {
    const src = 'import { execaCommand } from "execa";\nexport function f(args) { return execaCommand("git log " + args.ref); }';
    const f = await findings("src/e.ts", src, [], () => "log");
    expect(f[0]).toMatchObject({ severity: "high", tool: "log" });
    expect(f[0].message).toContain("add arguments");
  });

  test("Go remediation names exec.Command without sh -c", async () => {
    const src = 'package main\nimport "os/exec"\nfunc f(name string) { exec.Command("sh", "-c", "ls "+name) }\n';
    const f = await findings("main.go", src);
    expect(f[0].remediation).toContain("exec.Command(name, args...)");
    expect(f[0].evidence).toContain("built from: name");
  });
});

describe("MCPW-EXEC-001 keys and evidence", () => {
  test("identical calls in one file keep distinct, line-independent keys", async () => {
    const src = 'import { exec } from "child_process";\nfunction a(x) {\n  exec("ls " + x);\n}\nfunction b(x) {\n  exec("ls " + x);\n}\n';
    const f = await findings("src/a.ts", src);
    expect(f.map((x) => x.key)).toEqual(['exec("ls " + x)', 'exec("ls " + x) #2']);
    const moved = await findings("src/a.ts", "\n\n// moved\n" + src.replace("  exec", "      exec"));
    expect(moved.map((x) => x.key)).toEqual(f.map((x) => x.key));
  });

  test("a token inside the command never reaches the evidence in full", async () => {
    const src =
      'import { execSync } from "child_process";\nexport function f(repo) {\n  execSync(`curl -H "Authorization: token ghp_abcdefghijklmnopqrstuvwxyz0123456789" https://api.github.com/repos/${repo}`);\n}\n';
    const f = await findings("src/a.ts", src);
    expect(f).toHaveLength(1);
    expect(f[0].evidence).not.toContain("ghp_abcdefghijklmnopqrstuvwxyz0123456789");
    expect(f[0].key).not.toContain("abcdefghijklmnop");
    expect(f[0].evidence).toMatch(/ghp_(\*\*\*\*|…\[redacted)/);
  });

  test("rule metadata is complete for docs/rules.md", () => {
    expect(commandInjection.id).toBe("command-injection");
    expect(commandInjection.rules).toEqual([
      {
        id: "MCPW-EXEC-001",
        title: expect.any(String),
        category: "command-injection",
        severity: "critical",
        looksFor: expect.any(String),
        ignores: expect.any(String),
        remediation: expect.any(String),
      },
    ]);
  });
});

/** Facts as the pipeline builds them: tools, shell calls and data flows from one source. */
async function pipelineFacts(path: string, code: string): Promise<FileFacts> {
  const language = languageOf(path) as SourceLanguage;
  const tree = await parseSource(language, code);
  if (!tree) throw new Error("parse failed");
  try {
    const tools = extractTools(tree.rootNode, language, path);
    const shellCalls = extractShellCalls(tree, language, path, code);
    const flows = extractFlows({ root: tree.rootNode, lang: language, path, text: code, tools });
    return { path, language, tools, shellCalls, flows, transport: [], problems: [] };
  } finally {
    tree.delete();
  }
}

describe("MCPW-EXEC-001 with data flows", () => {
  const server = [
    'import { exec } from "node:child_process";', // 1
    'import { z } from "zod";', // 2
    "function clone(repo: string) {", // 3
    "  const cmd = `git clone ${repo}`;", // 4
    "  exec(cmd);", // 5
    "}", // 6
    'server.tool("clone_repo", "Clone", { repo: z.string() }, async (args) => {', // 7
    "  clone(args.repo);", // 8
    "  return { content: [] };", // 9
    "});", // 10
  ].join("\n");

  test("evidence is the trace from the tool input to the call, attributed to the tool", async () => {
    const f = commandInjection.run(context([await pipelineFacts("src/server.ts", server)]));
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({ ruleId: "MCPW-EXEC-001", severity: "critical", confidence: "high", tool: "clone_repo", line: 5 });
    expect(f[0].evidence).toBe(
      "exec(cmd)\ntrace: `args.repo` (line 8) -> `clone(args.repo)` (line 8) -> `repo` (line 3) -> `cmd` (line 4) -> `exec(cmd)` (line 5)",
    );
    expect(f[0].message).toContain("Tool `clone_repo` passes its input (`args.repo`)");
    // The key is the call, as before: fingerprints do not change when a trace appears.
    expect(f[0].key).toBe("exec(cmd)");
  });

  test("an allow-list check on the input makes the call safe: no finding", async () => {
    const guarded = server.replace("  clone(args.repo);", '  if (!["a", "b"].includes(args.repo)) throw new Error("no");\n  clone(args.repo);');
    const f = commandInjection.run(context([await pipelineFacts("src/server.ts", guarded)]));
    expect(f).toEqual([]);
  });

  test("without a flow the call keeps its current finding", async () => {
    const facts = await pipelineFacts("src/server.ts", server);
    const f = commandInjection.run(context([{ ...facts, flows: [] }]));
    expect(f).toHaveLength(1);
    expect(f[0].evidence).toBe("exec(cmd)\nbuilt from: repo via cmd");
  });

  test("a shell flow the shell-call detector did not list still becomes a finding", async () => {
    const flow: TaintFlow = {
      kind: "shell",
      sink: "os.system",
      span: { path: "srv.py", line: 4, endLine: 4 },
      snippet: "os.system(cmd)",
      source: { name: "host", line: 3, kind: "tool-input" },
      trace: [
        { label: "host", line: 3 },
        { label: "os.system(cmd)", line: 4 },
      ],
      tool: "ping",
      check: "none",
    };
    const file: FileFacts = { path: "srv.py", language: "python", tools: [], shellCalls: [], flows: [flow], transport: [], problems: [] };
    const f = commandInjection.run(context([file]));
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({ tool: "ping", severity: "critical", line: 4 });
    expect(f[0].remediation).toContain("shlex.quote");
  });

  test.each([
    ["src/one-line.ts", 'import { exec } from "node:child_process";\nserver.tool("t", "T", {}, async (args) => { exec(`git clone ${args.repo}`); exec(`echo ${process.env.HOME}`); return { content: [] }; });\n'],
    ["one_line.py", 'import os\nfrom mcp.server.fastmcp import FastMCP\nmcp = FastMCP("x")\n@mcp.tool()\ndef t(repo: str):\n    os.system("git clone " + repo); os.system("echo " + os.environ["HOME"])\n'],
  ])("two shell calls on one line keep their own flows (%s)", async (path, src) => {
    const f = commandInjection.run(context([await pipelineFacts(path, src)]));
    expect(f.map((x) => [x.severity, x.evidence.includes("trace:")])).toEqual([
      ["critical", true],
      ["medium", false],
    ]);
    expect(f[1].evidence.split("\n")[1]).toMatch(/^built from: (process\.env|os\.environ)\.HOME$/);
  });

  test("execaCommand without a shell is left to MCPW-EXEC-002 when a flow reaches it", async () => {
    const src = [
      'import { execaCommand } from "execa";',
      'server.tool("log", "Log", {}, async (args) => {',
      '  await execaCommand("git log " + args.ref);',
      "  return { content: [] };",
      "});",
    ].join("\n");
    const facts = await pipelineFacts("src/e.ts", src);
    expect(facts.flows.map((x) => x.kind)).toEqual(["argument"]);
    expect(commandInjection.run(context([facts]))).toEqual([]);
  });
});
