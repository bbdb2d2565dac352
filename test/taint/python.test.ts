import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { TaintFlow } from "../../lib/taint/types.js";
import { corpusCases, flowsOf } from "./helpers.js";

const flows = (code: string): Promise<TaintFlow[]> => flowsOf(code, "server.py");

const CORPUS = join(process.cwd(), "test/fixtures/taint-corpus/python");

describe("corpus", () => {
  corpusCases(CORPUS, ".py", flows);
});

const HEAD = `import os
import subprocess
from mcp.server.fastmcp import FastMCP
mcp = FastMCP("t")
`;

/** A FastMCP tool `t(x: str)` whose body is `body` (lines indented by the caller). */
const tool = (body: string, params = "x: str") => `${HEAD}\n@mcp.tool()\ndef t(${params}) -> str:\n${body}\n`;

describe("traces and attribution", () => {
  test("the trace runs from the parameter through each assignment to the sink", async () => {
    const fs = await flows(tool(`    a = x.strip()\n    cmd = "ls " + a\n    return os.popen(cmd).read()`));
    expect(fs).toHaveLength(1);
    expect(fs[0]).toMatchObject({ kind: "shell", sink: "os.popen", tool: "t", check: "none", source: { name: "x", line: 7, kind: "tool-input" } });
    expect(fs[0].trace.map((s) => s.label)).toEqual(["x", "a", "cmd", "os.popen(cmd)"]);
    expect(fs[0].trace.map((s) => s.line)).toEqual([7, 8, 9, 10]);
    expect(fs[0].span).toEqual({ path: "server.py", line: 10, endLine: 10 });
  });

  test("a helper in the same file: argument -> parameter, and return -> call result", async () => {
    const code = `${HEAD}
def run(c):
    return subprocess.run(c, shell=True)

def build(h):
    return f"ping {h}"

@mcp.tool()
def ping(host: str) -> str:
    run(build(host))
`;
    const fs = await flows(code);
    expect(fs).toHaveLength(1);
    expect(fs[0]).toMatchObject({ kind: "shell", tool: "ping", source: { name: "host" } });
    const labels = fs[0].trace.map((s) => s.label);
    expect(labels[0]).toBe("host");
    expect(labels).toContain("build(host)");
    expect(labels.at(-1)).toBe("subprocess.run(c, shell=True)");
  });

  test("low-level call_tool branches attribute flows to the tool of the branch", async () => {
    const code = `import os
from mcp.server.lowlevel import Server
import mcp.types as types
server = Server("s")

@server.list_tools()
async def list_tools():
    return [types.Tool(name="read", description="r", inputSchema={}), types.Tool(name="ping", description="p", inputSchema={})]

@server.call_tool()
async def call_tool(name, arguments):
    if name == "read":
        return open(arguments.get("path")).read()
    if name == "ping":
        return os.system("ping " + arguments["host"])
`;
    const fs = await flows(code);
    const byKind = Object.fromEntries(fs.map((f) => [f.kind, f]));
    expect(byKind.path).toMatchObject({ tool: "read", source: { name: 'arguments.get("path")', line: 13 } });
    expect(byKind.shell).toMatchObject({ tool: "ping", source: { name: 'arguments["host"]', line: 15 } });
  });

  test("Flask route data is an http-request source with no tool", async () => {
    const code = `from flask import Flask, request
import requests
from mcp.server.fastmcp import FastMCP
mcp = FastMCP("t")
app = Flask(__name__)

@app.get("/proxy/<path:target>")
def proxy(target):
    return requests.get(request.args["url"]).text + open(target).read()
`;
    const fs = await flows(code);
    expect(fs.map((f) => [f.kind, f.source.kind, f.tool]).sort()).toEqual([
      ["path", "http-request", undefined],
      ["url", "http-request", undefined],
    ]);
  });

  test("snippets and labels never carry a token", async () => {
    const fs = await flows(tool(`    return os.system("curl -H 'Authorization: Bearer ghp_abcdefghijklmnopqrstuvwxyz0123456789' " + x)`));
    expect(fs).toHaveLength(1);
    expect(JSON.stringify(fs)).not.toContain("ghp_abcdefghijklmnopqrstuvwxyz0123456789");
  });
});

describe("sinks", () => {
  test.each([
    ["subprocess.call(x, shell=True)", "shell", "subprocess.call"],
    ['subprocess.getoutput("du " + x)', "shell", "subprocess.getoutput"],
    ['subprocess.run(["bash", "-lc", f"echo {x}"])', "shell", "subprocess.run"],
    ["subprocess.run([x, '--version'])", "shell", "subprocess.run"],
    ['subprocess.run(["curl", "-s", x])', "argument", "subprocess.run"],
    ['subprocess.run(["node", "-e", x])', "code", "subprocess.run"],
    ["exec(x)", "code", "exec"],
    ["compile(x, '<tool>', 'exec')", "code", "compile"],
    ["__import__('pickle').loads(x)", undefined, undefined],
    ["os.remove(x)", "path", "os.remove"],
    ["os.listdir(x)", "path", "os.listdir"],
    ['shutil.copy("/etc/motd", x)', "path", "shutil.copy"],
    ["pathlib.Path(x).read_text()", "path", "pathlib.Path.read_text"],
    ["httpx.post(x, json={})", "url", "httpx.post"],
    ['requests.request("GET", x)', "url", "requests.request"],
    ["urllib.request.urlopen(x)", "url", "urllib.request.urlopen"],
  ])("%s", async (call, kind, sink) => {
    const code = `import os, shutil, pathlib, subprocess, httpx, requests, urllib.request\nfrom mcp.server.fastmcp import FastMCP\nmcp = FastMCP("t")\n\n@mcp.tool()\ndef t(x: str):\n    return ${call}\n`;
    const fs = await flows(code);
    if (kind === undefined) expect(fs).toEqual([]);
    else expect(fs.map((f) => [f.kind, f.sink])).toEqual([[kind, sink]]);
  });

  test("jinja2 Environment.from_string on input is code; a sandboxed one and string.Template are not", async () => {
    const code = `import string
from jinja2 import Environment
from jinja2.sandbox import SandboxedEnvironment
from mcp.server.fastmcp import FastMCP
mcp = FastMCP("t")

@mcp.tool()
def t(tpl: str):
    a = Environment().from_string(tpl).render()
    b = SandboxedEnvironment().from_string(tpl).render()
    c = string.Template(tpl).substitute(name="x")
    return a + b + c
`;
    const fs = await flows(code);
    expect(fs.map((f) => [f.kind, f.sink, f.span.line])).toEqual([["code", "jinja2.Environment.from_string", 9]]);
  });

  test("aiohttp sessions opened with `async with` are HTTP clients; credentials are noticed", async () => {
    const code = `import aiohttp, os
from mcp.server.fastmcp import FastMCP
mcp = FastMCP("t")
TOKEN = os.environ["GH_TOKEN"]

@mcp.tool()
async def t(url: str):
    async with aiohttp.ClientSession() as session:
        async with session.get(url, headers={"Authorization": f"token {TOKEN}"}) as r:
            return await r.text()

@mcp.tool()
async def u(url: str):
    async with aiohttp.ClientSession() as session:
        async with session.post(url, json={}) as r:
            return await r.text()
`;
    const fs = await flows(code);
    expect(fs.map((f) => [f.tool, f.sink, f.withCredentials ?? false])).toEqual([
      ["t", "aiohttp.ClientSession.get", true],
      ["u", "aiohttp.ClientSession.post", false],
    ]);
  });

  test("SQL: a query built with % or .format is a flow; the same text with parameters, or no SQL text, is not", async () => {
    const code = `import sqlite3
from mcp.server.fastmcp import FastMCP
mcp = FastMCP("t")
db = sqlite3.connect("x.db")

@mcp.tool()
def t(name: str, job: str):
    db.execute("DELETE FROM users WHERE name = '%s'" % name)
    db.execute("SELECT * FROM users WHERE name = '{}'".format(name))
    db.execute("SELECT * FROM users WHERE name = :n", {"n": name})
    q = "SELECT * FROM users"
    q += " WHERE name = '" + name + "'"
    db.execute(q)
    executor.execute("job:" + job)
`;
    const fs = await flows(code);
    expect(fs.map((f) => [f.kind, f.span.line])).toEqual([["sql", 8], ["sql", 9], ["sql", 13]]);
  });
});

describe("checks", () => {
  test("a prefix check without a separator is partial, with a note", async () => {
    const fs = await flows(tool(`    p = os.path.realpath(x)\n    if not p.startswith("/srv/data"):\n        raise ValueError()\n    return open(p).read()`));
    expect(fs).toHaveLength(1);
    expect(fs[0]).toMatchObject({ kind: "path", check: "partial" });
    expect(fs[0].note).toMatch(/separator/);
  });

  test("a containment check on a path that was never normalised is partial", async () => {
    const fs = await flows(tool(`    p = os.path.join("/srv/data", x)\n    if not p.startswith("/srv/data" + os.sep):\n        raise ValueError()\n    return open(p).read()`));
    expect(fs.map((f) => [f.kind, f.check])).toEqual([["path", "partial"]]);
    expect(fs[0].note).toMatch(/normalised/);
  });

  test("try: relative_to / except: return contains the path", async () => {
    const body = `    p = (ROOT / x).resolve()\n    try:\n        p.relative_to(ROOT)\n    except ValueError:\n        return "no"\n    return p.read_text()`;
    const fs = await flows(`from pathlib import Path\nROOT = Path("/srv")\n${tool(body)}`);
    expect(fs).toEqual([]);
  });

  test("an allow-list guard around a shell call is reported as checked (so the shell rule can stand down)", async () => {
    const fs = await flows(tool(`    if x in ("status", "log"):\n        return subprocess.run("git " + x, shell=True)\n    return ""`));
    expect(fs).toHaveLength(1);
    expect(fs[0]).toMatchObject({ kind: "shell", check: "checked" });
    expect(fs[0].note).toContain('if x in ("status", "log")');
  });

  test("a deny-list or a check in the wrong direction protects nothing", async () => {
    for (const guard of ['    if x in BLOCKED:\n        raise ValueError()', '    if x == "rm":\n        return ""', '    if x.startswith("/srv/"):\n        pass']) {
      const fs = await flows(tool(`${guard}\n    return os.system(x)`));
      expect(fs.map((f) => [f.kind, f.check])).toEqual([["shell", "none"]]);
    }
  });

  test("the check only covers code after it", async () => {
    const fs = await flows(tool(`    os.system(x)\n    if x not in ALLOWED:\n        raise ValueError()\n    os.system(x)`));
    expect(fs.map((f) => [f.span.line, f.check])).toEqual([[8, "none"], [11, "checked"]]);
  });

  test("reassigning the sanitised value hides the raw one; a conditional reassignment does not", async () => {
    const safe = await flows(tool(`    x = shlex.quote(x)\n    return os.system("echo " + x)`).replace("import os", "import os, shlex"));
    expect(safe.map((f) => f.check)).toEqual(["checked"]);
    const unsafe = await flows(tool(`    if len(x) > 3:\n        x = shlex.quote(x)\n    return os.system("echo " + x)`).replace("import os", "import os, shlex"));
    expect(unsafe.map((f) => f.check)).toEqual(["none"]);
  });

  test("pydantic fields typed int and Literal parameters carry no text", async () => {
    const code = `import os
from typing import Literal, Annotated
from pydantic import BaseModel, Field
from mcp.server.fastmcp import FastMCP
mcp = FastMCP("t")

class P(BaseModel):
    n: int
    name: str

@mcp.tool()
def t(p: P, mode: Annotated[Literal["a", "b"], Field(description="m")], count: int = 3):
    os.system(f"head -n {p.n} {mode} {count}")
    os.system(f"echo {p.name}")
`;
    const fs = await flows(code);
    expect(fs.map((f) => [f.span.line, f.check, f.source.name])).toEqual([[13, "checked", "p.n"], [14, "none", "p.name"]]);
  });

  test("URLs whose host is fixed before the input are not SSRF; a host or a bare prefix is", async () => {
    const code = `import requests, httpx
from mcp.server.fastmcp import FastMCP
mcp = FastMCP("t")
BASE = "https://api.example.com"
client = httpx.Client(base_url=BASE)

@mcp.tool()
def t(x: str):
    requests.get(f"https://api.github.com/repos/{x}/issues")
    requests.get(BASE + "/v1/items/" + x)
    requests.get("https://api.example.com/search?q=%s" % x)
    client.get(f"/users/{x}")
    requests.get(f"https://{x}/status")
    requests.get(BASE + x)
`;
    const fs = await flows(code);
    expect(fs.map((f) => f.span.line)).toEqual([13, 14]);
  });
});

describe("robustness", () => {
  test("syntax errors, deep nesting and recursion end quickly", async () => {
    const deep = "(".repeat(400) + "x" + ")".repeat(400);
    const code = `${tool(`    a = ${deep}\n    os.system(a +`)}
def loop(v):
    return loop(v) + loop2(v)
def loop2(v):
    return loop(v)
@mcp.tool()
def r(x: str):
    os.system(loop(x))
    y = x
    y = y + y
    os.system(y)
`;
    const started = Date.now();
    const fs = await flows(code);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(fs.some((f) => f.tool === "r")).toBe(true);
  });

  test("a file without tools or routes yields nothing", async () => {
    expect(await flows(`import os\ndef f(x):\n    os.system(x)\n`)).toEqual([]);
  });
});

describe("scale", () => {
  test("a large server (hundreds of tools, helpers and guards) is analysed in bounded time", async () => {
    const parts = [HEAD, "ALLOWED = {'a', 'b'}", "def helper(v, w):\n    return f'{v} {w}'"];
    for (let i = 0; i < 300; i++) {
      parts.push(`@mcp.tool()\ndef t${i}(x: str, y: str) -> str:\n    if y not in ALLOWED:\n        raise ValueError()\n    a = helper(x, y)\n    b = a + str(${i})\n    os.system(b)\n    subprocess.run(["git", "log", y])\n    return open(os.path.join("/srv", x)).read()`);
    }
    const code = parts.join("\n\n");
    const started = Date.now();
    const fs = await flows(code);
    const elapsed = Date.now() - started;
    expect(fs.filter((f) => f.kind === "shell")).toHaveLength(300);
    expect(fs.filter((f) => f.kind === "path")).toHaveLength(300);
    expect(fs.filter((f) => f.kind === "argument")).toHaveLength(0);
    expect(elapsed).toBeLessThan(10_000);
  });
});

describe("allow-lists", () => {
  test.each([
    ["from .config import ALLOWED\n", "    if x not in ALLOWED:\n        raise ValueError()"],
    ["", "    if x not in {'a', 'b'}:\n        return ''"],
    ["", "    if x not in COMMANDS.keys():\n        return ''"],
    ["", "    assert x in ('a', 'b')"],
    ["", "    if not re.fullmatch(r'[a-z0-9_-]+', x):\n        return ''"],
    ["", "    if not x.isalnum():\n        return ''"],
  ])("%s%s", async (imports, guard) => {
    const code = `${imports}import re\nCOMMANDS = {"a": 1}\n${tool(`${guard}\n    return os.system("run " + x)`)}`;
    const fs = await flows(code);
    expect(fs.map((f) => f.check)).toEqual(["checked"]);
  });

  test("an allow-list built at run time is not a check", async () => {
    const fs = await flows(tool(`    allowed = set(os.listdir("/srv"))\n    allowed.add(x)\n    if x not in allowed:\n        return ""\n    return os.system("run " + x)`));
    expect(fs.map((f) => f.check)).toEqual(["none"]);
  });
});

describe("argv from strings", () => {
  test.each([
    ["subprocess.run(x.split())", "shell"],
    ["subprocess.run(shlex.split(x))", "shell"],
    ["subprocess.run(x)", "shell"],
    ['subprocess.run(shlex.split(f"git log {x}"))', "argument"],
    ['subprocess.run(shlex.split(f"echo {x}"))', undefined],
    ['subprocess.run(shlex.split("git status"))', undefined],
  ])("%s", async (call, kind) => {
    const fs = await flows(tool(`    return ${call}`).replace("import os", "import os, shlex"));
    expect(fs.map((f) => f.kind)).toEqual(kind ? [kind] : []);
  });
});

test("match on literals guards each literal case, not the wildcard", async () => {
  const fs = await flows(tool(`    match x:\n        case "status" | "log":\n            return os.system("git " + x)\n        case _:\n            return os.system("git " + x)`));
  expect(fs.map((f) => [f.span.line, f.check])).toEqual([[10, "checked"], [12, "none"]]);
});

test("a check in the caller before the call protects the helper's sink", async () => {
  const code = `${HEAD}
ALLOWED = ("a", "b")

def run(c):
    return os.system("make " + c)

@mcp.tool()
def build(target: str):
    if target not in ALLOWED:
        raise ValueError(target)
    return run(target)

@mcp.tool()
def build_any(target: str):
    return run(target)
`;
  const fs = await flows(code);
  expect(fs.map((f) => [f.tool, f.check])).toEqual([["build_any", "none"]]);
});

test("dispatch tables and a lone low-level tool attribute flows to their tool", async () => {
  const read = (n: string) => readFileSync(join(CORPUS, n), "utf8");
  const dispatch = await flows(read("lowlevel_dispatch_argv_helper.py"));
  expect(dispatch.map((f) => [f.kind, f.tool])).toEqual([["argument", "logs"]]);
  expect(dispatch[0].trace.map((s) => s.label)).toEqual([
    'arguments["container"]',
    'docker_logs(arguments["container"], int(arguments.get("tail", 100)))',
    "container",
    'run_docker(["docker", "logs", "--tail", str(tail), container])',
    "argv",
    "subprocess.run(argv, capture_output=True, text=True, timeout=60)",
  ]);
  expect((await flows(read("lowlevel_session_method.py"))).map((f) => [f.kind, f.tool])).toEqual([["code", "run_cell"]]);
});

test("binary junk and half-written code give no flows and no crash", async () => {
  let junk = "";
  for (let i = 0; i < 20_000; i++) junk += String.fromCharCode((i * 7919) % 256);
  expect(await flows(junk)).toEqual([]);
  const half = `${HEAD}\n@mcp.tool()\ndef t(x: str):\n    os.system(f"ls {x}" +\n    if x not in:\n`;
  expect(Array.isArray(await flows(half))).toBe(true);
  const nested = (n: number) => `${HEAD}\n@mcp.tool()\ndef t(x: str):\n    os.system(${"str(".repeat(n)}x${")".repeat(n)})\n`;
  expect((await flows(nested(60))).map((f) => f.kind)).toEqual(["shell"]);
  // Past the depth bound the value is given up on, not followed into a stack overflow.
  expect(Array.isArray(await flows(nested(2000)))).toBe(true);
});

test("`x != a and x != b` leaving means x is one of them", async () => {
  const fs = await flows(tool(`    if x != "status" and x != "log":\n        raise ValueError(x)\n    return os.system("git " + x)`));
  expect(fs.map((f) => f.check)).toEqual(["checked"]);
  const other = await flows(tool(`    if x != "status" and len(x) > 3:\n        raise ValueError(x)\n    return os.system("git " + x)`));
  expect(other.map((f) => f.check)).toEqual(["none"]);
});
