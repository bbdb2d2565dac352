import { isLethalCombination } from "../../lib/extract/capabilities-view.js";
import { capsText, kinds, toolsOfRepo } from "./capabilities-helpers.js";

const TS_HEAD = `import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { z } from "zod";
const server = new McpServer({ name: "s", version: "1" });
`;

describe("capabilities: TypeScript", () => {
  test("imports decide what a call is: fs.promises, node:fs/promises, child_process, fetch", async () => {
    const tools = await toolsOfRepo({
      "src/server.ts": `${TS_HEAD}import fs from "node:fs";
import { writeFile, readFile } from "node:fs/promises";
import { execFile } from "child_process";
server.tool("save", "Save a note", { text: z.string() }, async ({ text }) => {
  await fs.promises.writeFile("/tmp/a", text);
  await writeFile("/tmp/b", text);
  return { content: [] };
});
server.tool("read", "Read a note", {}, async () => {
  const t = await readFile("/tmp/a", "utf8");
  const r = await fetch("https://example.com/api");
  return { content: [{ type: "text", text: t + process.env.HOME }] };
});
server.tool("post", "Send", {}, async () => {
  await fetch("https://example.com/api", { method: "POST", body: "x" });
  execFile("git", ["log", "--oneline"]);
  return { content: [] };
});
`,
    });
    expect(capsText(tools.get("save"))).toEqual(["writes-files fs.writeFile@8", "writes-files fs.writeFile@9"]);
    expect(kinds(tools.get("read"))).toEqual(["network", "reads-env", "reads-files"]);
    const net = tools.get("read")!.capabilities!.find((c) => c.kind === "network")!;
    expect(net.mutating).toBe(false);
    const env = tools.get("read")!.capabilities!.find((c) => c.kind === "reads-env")!;
    expect(env.detail).toBe("HOME");
    const post = tools.get("post")!.capabilities!;
    expect(post.find((c) => c.kind === "network")).toMatchObject({ api: "fetch", mutating: true, detail: "POST" });
    expect(post.find((c) => c.kind === "runs-commands")).toMatchObject({ api: "child_process.execFile", program: "git log --oneline" });
  });

  test("follows calls into functions of the same file, with the chain in via; cycles end", async () => {
    const tools = await toolsOfRepo({
      "src/server.ts": `${TS_HEAD}import { rmSync } from "fs";
import axios from "axios";
function clean(dir: string) { rmSync(dir, { recursive: true }); again(dir); }
function again(dir: string) { clean(dir); }
const upload = async (x: string) => axios.post("https://example.com", x);
server.tool("tidy", "Tidy up", {}, async () => { clean("/tmp/x"); await upload("a"); return { content: [] }; });
`,
    });
    const caps = tools.get("tidy")!.capabilities!;
    expect(caps.find((c) => c.api === "fs.rmSync")).toMatchObject({ via: ["clean"], destructive: true, kind: "writes-files" });
    expect(caps.find((c) => c.api === "axios.post")).toMatchObject({ via: ["upload"], mutating: true });
  });

  test("a write in an unrelated function is not the tool's", async () => {
    const tools = await toolsOfRepo({
      "src/server.ts": `${TS_HEAD}import { writeFileSync } from "fs";
export function saveConfig() { writeFileSync("/tmp/c", "x"); }
server.tool("list", "List items", {}, async () => ({ content: [{ type: "text", text: "[]" }] }));
`,
    });
    expect(tools.get("list")!.capabilities).toEqual([]);
  });

  test("this.method in a class tool (mcp-framework) and axios.create clients", async () => {
    const tools = await toolsOfRepo({
      "src/tools/Deploy.ts": `import { MCPTool } from "mcp-framework";
import axios from "axios";
const api = axios.create({ baseURL: "https://x" });
class DeployTool extends MCPTool {
  name = "deploy";
  description = "Deploy";
  schema = {};
  async execute() { return this.send(); }
  private async send() { return api.delete("/apps/1"); }
}
export default DeployTool;
`,
    });
    expect(tools.get("deploy")!.capabilities!).toEqual([
      expect.objectContaining({ kind: "network", api: "axios.delete", via: ["send"], mutating: true, destructive: true }),
    ]);
  });

  test("follows imports from other files of the repository", async () => {
    const tools = await toolsOfRepo({
      "src/git.ts": `import { execFileSync } from "node:child_process";
import { helper } from "./util/h.js";
export function runGit(args: string[]) { helper(); return execFileSync("git", args); }
`,
      "src/util/h.ts": `import * as fs from "fs";
export const helper = () => fs.unlinkSync("/tmp/lock");
`,
      "src/server.ts": `${TS_HEAD}import { runGit } from "./git.js";
server.tool("git", "Run git", { a: z.string() }, async ({ a }) => { runGit([a]); return { content: [] }; });
`,
    });
    const caps = tools.get("git")!.capabilities!;
    expect(caps.find((c) => c.kind === "runs-commands")).toMatchObject({ api: "child_process.execFileSync", via: ["runGit"], span: { path: "src/git.ts", line: 3 } });
    expect(caps.find((c) => c.kind === "writes-files")).toMatchObject({ api: "fs.unlinkSync", via: ["runGit", "helper"], span: { path: "src/util/h.ts" } });
  });

  test("eval and new Function are evaluates-code; shell calls found elsewhere count too", async () => {
    const tools = await toolsOfRepo({
      "src/server.ts": `${TS_HEAD}import { exec } from "child_process";
import { promisify } from "util";
const run = promisify(exec);
server.tool("calc", "Calculate", { e: z.string() }, async ({ e }) => ({ content: [{ type: "text", text: String(eval(e)) + new Function("return 1")() }] }));
server.tool("sh", "Shell", { c: z.string() }, async ({ c }) => { await run(c); return { content: [] }; });
`,
    });
    expect(kinds(tools.get("calc"))).toEqual(["evaluates-code"]);
    expect(capsText(tools.get("sh"))).toEqual(["runs-commands child_process.exec@8"]);
    expect(tools.get("sh")!.capabilities![0]!.program).toBeUndefined();
  });
});

describe("capabilities: Python", () => {
  test("subprocess, open modes, pathlib, requests, os.environ", async () => {
    const tools = await toolsOfRepo({
      "server.py": `import os
import subprocess
from pathlib import Path
import requests
from mcp.server.fastmcp import FastMCP

mcp = FastMCP("s")

@mcp.tool()
def read_note(name: str) -> str:
    """Read a note."""
    with open(f"/notes/{name}") as f:
        return f.read() + os.environ.get("HOME", "")

@mcp.tool()
def save_note(name: str, text: str) -> str:
    """Save a note."""
    Path("/notes", name).write_text(text)
    with open("/notes/log", "a") as f:
        f.write(name)
    return "ok"

@mcp.tool()
def sync(repo: str) -> str:
    """Sync."""
    subprocess.run(["git", "pull", repo], check=True)
    requests.post("https://example.com/hook", json={"r": repo})
    return requests.get("https://example.com").text
`,
    });
    expect(capsText(tools.get("read_note"))).toEqual(["reads-files open@12", "reads-env os.environ@13"]);
    expect(tools.get("read_note")!.capabilities![1]!.detail).toBe("HOME");
    expect(capsText(tools.get("save_note"))).toEqual(["writes-files pathlib.Path.write_text@18", "writes-files open@19"]);
    const sync = tools.get("sync")!.capabilities!;
    expect(sync.find((c) => c.kind === "runs-commands")).toMatchObject({ api: "subprocess.run", program: "git pull" });
    expect(sync.filter((c) => c.kind === "network").map((c) => [c.api, c.mutating])).toEqual([
      ["requests.post", true],
      ["requests.get", false],
    ]);
  });

  test("self methods, httpx clients in with blocks, shutil, and relative imports", async () => {
    const tools = await toolsOfRepo({
      "pkg/utils.py": `import shutil
def wipe(p):
    shutil.rmtree(p)
`,
      "pkg/server.py": `import httpx
from .utils import wipe
from . import utils
from mcp.server.fastmcp import FastMCP
mcp = FastMCP("s")

@mcp.tool()
async def reset(p: str) -> str:
    """Reset."""
    wipe(p)
    utils.wipe(p)
    async with httpx.AsyncClient() as client:
        await client.delete(f"https://x/{p}")
    return "ok"
`,
    });
    const caps = tools.get("reset")!.capabilities!;
    expect(caps.find((c) => c.api === "shutil.rmtree")).toMatchObject({ via: ["wipe"], destructive: true, span: { path: "pkg/utils.py", line: 3 } });
    expect(caps.find((c) => c.kind === "network")).toMatchObject({ api: "httpx.delete", mutating: true });
  });
});

describe("capabilities: Go", () => {
  test("mcp-go handler: os.WriteFile, exec.Command, http.NewRequest, os.Getenv, same-package helpers", async () => {
    const tools = await toolsOfRepo({
      "main.go": `package main

import (
	"context"
	"net/http"
	"os"
	"os/exec"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"
)

func main() {
	s := server.NewMCPServer("s", "1.0.0")
	tool := mcp.NewTool("deploy", mcp.WithDescription("Deploy"))
	s.AddTool(tool, deployHandler)
}

func deployHandler(ctx context.Context, req mcp.CallToolRequest) (*mcp.CallToolResult, error) {
	os.WriteFile("/tmp/x", []byte("x"), 0o644)
	exec.Command("kubectl", "apply", "-f", "x.yaml").Run()
	r, _ := http.NewRequest(http.MethodPost, "https://x", nil)
	_ = r
	_ = os.Getenv("TOKEN")
	cleanup()
	return nil, nil
}
`,
      "util.go": `package main

import "os"

func cleanup() { os.RemoveAll("/tmp/x") }
`,
    });
    const caps = tools.get("deploy")!.capabilities!;
    expect(caps.map((c) => `${c.kind} ${c.api}`)).toEqual([
      "runs-commands os/exec.Command",
      "writes-files os.WriteFile",
      "writes-files os.RemoveAll",
      "network net/http.NewRequest",
      "reads-env os.Getenv",
    ]);
    expect(caps.find((c) => c.kind === "runs-commands")!.program).toBe("kubectl apply -f");
    expect(caps.find((c) => c.kind === "network")!.mutating).toBe(true);
    expect(caps.find((c) => c.api === "os.RemoveAll")!.via).toEqual(["cleanup"]);
    expect(isLethalCombination(tools.get("deploy")!)).toBe(true);
  });
});

describe("capabilities: robustness", () => {
  test("syntax errors, deep nesting and a missing handler do not throw", async () => {
    const deep = `${"(".repeat(2000)}1${")".repeat(2000)}`;
    const tools = await toolsOfRepo({
      "src/a.ts": `${TS_HEAD}server.tool("x", "d", {}, async () => { const v = ${deep}; fs.writeFile(; });`,
      "src/b.ts": `${TS_HEAD}server.tool("y", "d", {}, handlerFromElsewhere);`,
    });
    expect(tools.get("y")!.capabilities).toBeUndefined();
  });
});

describe("capabilities: hostile call graphs", () => {
  test("thousands of functions that all call each other finish quickly", async () => {
    const n = 1000;
    const fns = Array.from({ length: n }, (_, i) => {
      const calls = Array.from({ length: 30 }, (_, k) => `f${(i * 7 + k * 13) % n}();`).join(" ");
      return `export function f${i}() { fs.writeFileSync("/tmp/${i}", "x"); ${calls} }`;
    });
    const src = `import * as fs from "fs";\n${fns.join("\n")}\n${TS_HEAD}server.tool("t", "d", {}, async () => { f0(); return { content: [] }; });\n`;
    const start = Date.now();
    const tools = await toolsOfRepo({ "src/big.ts": src });
    expect(Date.now() - start).toBeLessThan(20_000);
    expect(tools.get("t")!.capabilities!.length).toBeGreaterThan(0);
    expect(tools.get("t")!.capabilities!.length).toBeLessThanOrEqual(40);
  });
});
