import type { ToolCapability, ToolDefinition } from "../../lib/extract/types.js";
import { renderIssueBody, renderJson } from "../../lib/report/index.js";
import { CTX, scanResult, servers } from "./helpers.js";

const at = (line: number) => ({ path: "servers/shell/src/index.ts", line, endLine: line });
const cap = (kind: ToolCapability["kind"], api: string, line: number, extra: Partial<ToolCapability> = {}): ToolCapability => ({ kind, api, span: at(line), via: [], ...extra });

function withCapabilities(): ReturnType<typeof scanResult> {
  const list = servers();
  const shell = list[0]!;
  const [run, listFiles] = shell.tools as [ToolDefinition, ToolDefinition];
  run.capabilities = [
    cap("runs-commands", "child_process.exec", 12, { detail: "cmd" }),
    cap("reads-files", "fs.readFile", 13),
    cap("network", "fetch", 14, { mutating: true, detail: "POST", via: ["upload"] }),
  ];
  listFiles.capabilities = [cap("reads-files", "fs.readdir", 33)];
  return scanResult({ servers: list });
}

describe("capabilities in the report", () => {
  test("the inventory table shows capabilities and marks the lethal combination", () => {
    const body = renderIssueBody(withCapabilities(), CTX);
    expect(body).toContain("| Tool | Capabilities | Parameters | Annotations | Findings | Defined at |");
    expect(body).toContain("| `run_command` | ⚠️ runs commands, reads files, network (mutating) |");
    expect(body).toContain("| `list_files` | reads files |");
    expect(body).toContain("⚠️ marks a tool that can run commands");
    // Tools whose handler was not located say so instead of claiming nothing.
    expect(body).toContain("| `get_forecast` | ? |");
  });

  test("the JSON carries capabilities per tool, null when unknown", () => {
    const json = JSON.parse(renderJson(withCapabilities()));
    const tools = json.servers.flatMap((s: { tools: unknown[] }) => s.tools) as { name: string; capabilities: any }[];
    const run = tools.find((t) => t.name === "run_command")!;
    expect(run.capabilities.kinds).toEqual(["runs-commands", "reads-files", "network"]);
    expect(run.capabilities.lethal).toBe(true);
    expect(run.capabilities.evidence[2]).toEqual({
      kind: "network",
      api: "fetch",
      path: "servers/shell/src/index.ts",
      line: 14,
      via: ["upload"],
      detail: "POST",
      mutating: true,
      destructive: false,
      program: null,
    });
    expect(tools.find((t) => t.name === "get_forecast")!.capabilities).toBeNull();
  });
});
