import { flowsOf, traceText } from "./helpers.js";
import type { TaintFlow } from "../../lib/taint/types.js";

const HEAD = 'import { exec, execFile, spawn } from "node:child_process";\nimport fs from "node:fs";\nimport path from "node:path";\nimport { z } from "zod";\n';

/** A tool whose handler body is `body`, with `params` as the handler's parameter list. */
function tool(body: string, params = "args", schema = "{ x: z.string() }"): string {
  return `${HEAD}server.tool("t", "Test tool", ${schema}, async (${params}) => {\n${body}\n  return { content: [] };\n});\n`;
}

function summary(flows: TaintFlow[]): string[] {
  return flows.map((f) => `${f.kind}${f.check === "none" ? "" : `:${f.check}`}`);
}

describe("JS/TS sources", () => {
  test.each([
    ["args.x", "args", "exec('ls ' + args.x);"],
    ['args["x"]', "args", 'exec(`ls ${args["x"]}`);'],
    ["destructured parameter", "{ x }", "exec('ls ' + x);"],
    ["destructured in the body", "args", "const { x } = args;\n  exec('ls ' + x);"],
    ["renamed destructuring", "{ x: dir }", "exec('ls ' + dir);"],
    ["defaulted destructuring", "{ x = '.' }", "exec('ls ' + x);"],
  ])("%s reaches the sink", async (_name, params, body) => {
    expect(summary(await flowsOf(tool(body, params)))).toEqual(["shell"]);
  });

  test("the second handler parameter (request context) is not tool input", async () => {
    expect(await flowsOf(tool("exec('kill ' + extra.requestId);", "args, extra"))).toEqual([]);
  });

  test("parameters declared as enums or numbers in the schema are not sources", async () => {
    const code = tool("exec(`systemctl restart ${svc} -n ${n}`);", "{ svc, n }", '{ svc: z.enum(["a", "b"]), n: z.number() }');
    expect(await flowsOf(code)).toEqual([]);
  });

  test("a function outside every handler has no source", async () => {
    expect(await flowsOf(`${HEAD}export function run(cmd) { exec(cmd); }\n`)).toEqual([]);
  });

  test("express routes: req.body, req.query, req.params are sources; other request fields are not", async () => {
    const code = `${HEAD}app.post("/run", (req, res) => {\n  exec("convert " + req.body.file);\n  fs.readFileSync(req.query.p);\n  exec("echo " + req.method);\n});\n`;
    const flows = await flowsOf(code);
    expect(summary(flows)).toEqual(["shell", "path"]);
    expect(flows[0].source).toEqual({ name: "req.body.file", line: 6, kind: "http-request" });
    expect(flows[0].tool).toBeUndefined();
  });

  test("hono routes: c.req is the source", async () => {
    const code = `${HEAD}app.get("/file", async (c) => {\n  const p = c.req.query("p");\n  return c.text(fs.readFileSync(p, "utf8"));\n});\n`;
    expect(summary(await flowsOf(code))).toEqual(["path"]);
  });

  test("low-level CallTool handlers: each case is its tool", async () => {
    const code = `${HEAD}import { CallToolRequestSchema, ListToolsRequestSchema } from "@modelcontextprotocol/sdk/types.js";
server.setRequestHandler(ListToolsRequestSchema, async () => ({ tools: [{ name: "a", inputSchema: {} }, { name: "b", inputSchema: {} }] }));
server.setRequestHandler(CallToolRequestSchema, async (request) => {
  const { name, arguments: args } = request.params;
  switch (name) {
    case "a":
      return { content: [{ type: "text", text: fs.readFileSync(String(args.p), "utf8") }] };
    case "b":
      exec("ping " + args.host);
      return { content: [] };
  }
});
`;
    const flows = await flowsOf(code);
    expect(flows.map((f) => `${f.kind}:${f.tool}`)).toEqual(["path:a", "shell:b"]);
    expect(flows[1].source.name).toBe("request.params.arguments.host");
  });
});

describe("JS/TS propagation", () => {
  test.each([
    ["template literal", "const c = `git log ${args.x}`;\n  exec(c);"],
    ["concatenation and +=", "let c = 'git log ';\n  c += args.x;\n  exec(c);"],
    ["array join", "const parts = ['git', 'log', args.x];\n  exec(parts.join(' '));"],
    ["array spread", "const extra = [args.x];\n  exec(['git', 'log', ...extra].join(' '));"],
    ["pass-through methods", "exec('ls ' + args.x.trim().toLowerCase().toString());"],
    ["object property", "const opts = { cmd: 'ls ' + args.x };\n  exec(opts.cmd);"],
    ["ternary", "const c = args.x ? 'ls ' + args.x : 'ls';\n  exec(c);"],
    ["String()", "exec(String(args.x));"],
    ["await and parentheses", "exec((await Promise.resolve(0), 'ls ' + args.x) as string);"],
  ])("%s", async (_name, body) => {
    expect(summary(await flowsOf(tool(body)))).toEqual(["shell"]);
  });

  test("callbacks of array methods get the elements", async () => {
    const body = "await Promise.all(args.files.map((f) => fs.promises.readFile(f)));\n  args.names.forEach((n) => exec('touch ' + n));\n  [1, 2].map((i) => exec('sleep ' + i));";
    expect(summary(await flowsOf(tool(body)))).toEqual(["path", "shell"]);
  });

  test("through a helper's parameter and return value", async () => {
    const code = `${HEAD}function quoteless(v) { return "ls " + v; }\nfunction run(c) {\n  exec(c);\n}\nserver.tool("t", "d", {}, async (args) => {\n  run(quoteless(args.x));\n  return { content: [] };\n});\n`;
    const [flow] = await flowsOf(code);
    expect(flow.kind).toBe("shell");
    expect(flow.tool).toBe("t");
    expect(flow.span.line).toBe(7);
    expect(traceText(flow)).toBe("args.x@10 -> quoteless(args.x)@10 -> v@5 -> run(quoteless(args.x))@10 -> c@6 -> exec(c)@7");
  });

  test("a helper's destructured parameter", async () => {
    const code = `${HEAD}function read({ file }) { return fs.readFileSync(file); }\nserver.tool("t", "d", {}, async (args) => {\n  read({ file: args.p, mode: "r" });\n  return { content: [] };\n});\n`;
    expect(summary(await flowsOf(code))).toEqual(["path"]);
  });

  test("only the tainted argument of a helper counts", async () => {
    const code = `${HEAD}function read(file, label) { console.log(label); return fs.readFileSync(file); }\nserver.tool("t", "d", {}, async (args) => {\n  read("/etc/app.json", args.label);\n  return { content: [] };\n});\n`;
    expect(await flowsOf(code)).toEqual([]);
  });

  test("recursive helpers terminate", async () => {
    const code = `${HEAD}function a(v, n) { return n > 0 ? b(v, n - 1) : v; }\nfunction b(v, n) { exec("ls " + v); return a(v, n); }\nserver.tool("t", "d", {}, async (args) => {\n  a(args.x, 3);\n  return { content: [] };\n});\n`;
    expect(summary(await flowsOf(code))).toEqual(["shell"]);
  });

  test("numbers, lengths, booleans and comparisons end the flow", async () => {
    const body = "exec(`head -n ${Number(args.x)} f`);\n  exec(`head -n ${args.x.length} f`);\n  exec(`echo ${args.x === 'a'}`);\n  exec(`sleep ${parseInt(args.x, 10) * 2}`);";
    expect(await flowsOf(tool(body))).toEqual([]);
  });
});

describe("JS/TS sinks", () => {
  test.each([
    ["exec", "exec('ls ' + args.x);", "shell", "child_process.exec"],
    ["spawn with shell: true", "spawn('ls ' + args.x, { shell: true });", "shell", "child_process.spawn"],
    ["execFile git with the value first", "execFile('git', [args.x]);", "argument", "child_process.execFile git"],
    ["execFile curl with a bare value", "execFile('curl', ['-s', args.x]);", "argument", "child_process.execFile curl"],
    ["eval", "eval(args.x);", "code", "eval"],
    ["new Function", "new Function('a', args.x);", "code", "new Function"],
    ["fs.readFileSync", "fs.readFileSync(args.x);", "path", "fs.readFileSync"],
    ["fs.promises.rm", "await fs.promises.rm(args.x, { recursive: true });", "path", "fs.rm"],
    ["fs.renameSync destination", "fs.renameSync('/tmp/a', args.x);", "path", "fs.renameSync"],
    ["fetch", "await fetch(args.x);", "url", "fetch"],
    ["fetch with a host-less base", "await fetch(args.x + '/api');", "url", "fetch"],
    ["sql via a pool", "await pool.query('SELECT * FROM t WHERE a = ' + args.x);", "sql", "pool.query"],
  ])("%s", async (_name, body, kind, sink) => {
    const flows = await flowsOf(tool(body));
    expect(flows.map((f) => [f.kind, f.sink])).toEqual([[kind, sink]]);
  });

  test("axios with an Authorization header from the environment carries credentials", async () => {
    const code = `${HEAD}import axios from "axios";\n` + tool("await axios.post(args.x, {}, { headers: { Authorization: `Bearer ${process.env.TOKEN}` } });").slice(HEAD.length);
    const [flow] = await flowsOf(code);
    expect(flow).toMatchObject({ kind: "url", sink: "axios.post", withCredentials: true });
  });

  test("constant commands, paths and URLs are never flows", async () => {
    const body = "exec('ls -la');\n  fs.readFileSync('/etc/app.json');\n  await fetch('https://example.com/x');\n  eval('1 + 1');\n  execFile('git', ['status']);";
    expect(await flowsOf(tool(body))).toEqual([]);
  });

  test("a fixed scheme and host with a caller-chosen path is not SSRF", async () => {
    const body = "await fetch(`https://api.example.com/items/${args.x}`);\n  await fetch(API_BASE + '/items/' + args.x);\n  await fetch(new URL(`/items/${args.x}`, 'https://api.example.com'));";
    expect(await flowsOf(tool(body))).toEqual([]);
  });

  test("a host glued to a value without a separator is still SSRF", async () => {
    const body = "await fetch(`https://api.example.com${args.x}`);";
    expect(summary(await flowsOf(tool(body)))).toEqual(["url"]);
  });

  test("parameterised and tagged-template queries are safe", async () => {
    const body = "await pool.query('SELECT * FROM t WHERE a = $1', [args.x]);\n  await prisma.$queryRaw`SELECT * FROM t WHERE a = ${args.x}`;\n  const m = cache.get(args.x);\n  /a/.exec(args.x);";
    expect(await flowsOf(tool(body))).toEqual([]);
  });
});

describe("JS/TS sanitisers", () => {
  test.each([
    ["allow-list includes + throw", "if (!ALLOWED.includes(args.x)) throw new Error('no');\n  exec('git ' + args.x);"],
    ["Set.has + return", "if (!ALLOWED.has(args.x)) return { content: [] };\n  exec('git ' + args.x);"],
    ["literal comparison", "if (args.x !== 'status' && args.x !== 'log') throw new Error('no');\n  exec('git ' + args.x);"],
    ["sink inside the positive branch", "if (ALLOWED.includes(args.x)) {\n    exec('git ' + args.x);\n  }"],
    ["anchored regex", "if (!/^[a-z0-9-]+$/.test(args.x)) throw new Error('bad');\n  exec('git ' + args.x);"],
    ["strip to a safe class", "const v = args.x.replace(/[^a-z0-9]/g, '');\n  exec('git ' + v);"],
    ["z.enum().parse", "const v = z.enum(['a', 'b']).parse(args.x);\n  exec('git ' + v);"],
    ["assert", "assert(ALLOWED.includes(args.x));\n  exec('git ' + args.x);"],
    ["&& guard", "ALLOWED.includes(args.x) && exec('git ' + args.x);"],
  ])("%s", async (_name, body) => {
    const flows = await flowsOf(tool(body));
    expect(flows.every((f) => f.check === "checked")).toBe(true);
  });

  test("a check on one input does not clear another", async () => {
    const body = "if (!ALLOWED.includes(args.x)) throw new Error('no');\n  exec(`git ${args.x} ${args.y}`);";
    const flows = await flowsOf(tool(body));
    expect(summary(flows)).toEqual(["shell"]);
    expect(flows[0].source.name).toBe("args.y");
  });

  test("a check in the caller guards the sink in a helper", async () => {
    const code = `${HEAD}function run(v) { exec("git " + v); }\nserver.tool("t", "d", {}, async (args) => {\n  if (!ALLOWED.includes(args.x)) throw new Error("no");\n  run(args.x);\n  return { content: [] };\n});\n`;
    expect(summary(await flowsOf(code))).toEqual(["shell:checked"]);
  });

  test("argument injection: `--` and a leading-dash check end the flow; option values do not count", async () => {
    const body = "execFile('git', ['log', '--', args.x]);\n  execFile('git', ['-C', args.x, 'status']);\n  execFile('git', ['checkout', `refs/${args.x}`]);";
    expect(await flowsOf(tool(body))).toEqual([]);
    const checked = "if (args.x.startsWith('-')) throw new Error('no');\n  execFile('git', ['checkout', args.x]);";
    expect(await flowsOf(tool(checked))).toEqual([]);
  });

  test("a leading-dash check does not make a shell command safe", async () => {
    const body = "if (args.x.startsWith('-')) throw new Error('no');\n  exec('git checkout ' + args.x);";
    expect(summary(await flowsOf(tool(body)))).toEqual(["shell"]);
  });

  test("path containment: resolve + startsWith(root + sep) is safe; startsWith(root) is partial", async () => {
    const safe = "const full = path.resolve(ROOT, args.x);\n  if (!full.startsWith(ROOT + path.sep)) throw new Error('out');\n  fs.readFileSync(full);";
    expect(await flowsOf(tool(safe))).toEqual([]);
    const partial = "const full = path.resolve(ROOT, args.x);\n  if (!full.startsWith(ROOT)) throw new Error('out');\n  fs.readFileSync(full);";
    const [flow] = await flowsOf(tool(partial));
    expect(flow).toMatchObject({ kind: "path", check: "partial" });
    expect(flow.note).toContain("/allowed-evil");
  });

  test("path containment on an unresolved value is partial", async () => {
    const body = "if (!args.x.startsWith(ROOT + '/')) throw new Error('out');\n  fs.readFileSync(args.x);";
    const [flow] = await flowsOf(tool(body));
    expect(flow).toMatchObject({ kind: "path", check: "partial" });
    expect(flow.note).toContain("not resolved");
  });

  test("a `..` check alone is partial", async () => {
    const body = "if (args.x.includes('..')) throw new Error('out');\n  fs.readFileSync(args.x);";
    expect(summary(await flowsOf(tool(body)))).toEqual(["path:partial"]);
  });

  test("a contained path from a checking helper is safe", async () => {
    const code = `${HEAD}function inside(p) {\n  const full = path.resolve(ROOT, p);\n  if (path.relative(ROOT, full).startsWith("..")) throw new Error("out");\n  return full;\n}\nserver.tool("t", "d", {}, async (args) => {\n  fs.writeFileSync(inside(args.x), "data");\n  return { content: [] };\n});\n`;
    expect(await flowsOf(code)).toEqual([]);
  });

  test("a validator function that throws guards the sink", async () => {
    const code = `${HEAD}function assertSafe(p) {\n  const full = path.resolve(ROOT, p);\n  if (!full.startsWith(ROOT + path.sep)) throw new Error("out");\n}\nserver.tool("t", "d", {}, async (args) => {\n  assertSafe(args.x);\n  fs.readFileSync(path.resolve(ROOT, args.x));\n  return { content: [] };\n});\n`;
    expect(await flowsOf(code)).toEqual([]);
  });

  test("a predicate function in the condition guards the sink", async () => {
    const code = `${HEAD}const isKnown = (v) => KNOWN.includes(v);\nserver.tool("t", "d", {}, async (args) => {\n  if (!isKnown(args.x)) throw new Error("no");\n  exec("git " + args.x);\n  return { content: [] };\n});\n`;
    expect(summary(await flowsOf(code))).toEqual(["shell:checked"]);
  });

  test("a validator that checks something else does not", async () => {
    const code = `${HEAD}function check(p) { if (!p) throw new Error("empty"); }\nserver.tool("t", "d", {}, async (args) => {\n  check(args.x);\n  fs.readFileSync(args.x);\n  return { content: [] };\n});\n`;
    expect(summary(await flowsOf(code))).toEqual(["path"]);
  });

  test("path.basename keeps a file name inside its folder", async () => {
    expect(await flowsOf(tool("fs.readFileSync(path.join(ROOT, path.basename(args.x)));"))).toEqual([]);
  });

  test("URL host allow-list", async () => {
    const body = "const u = new URL(args.x);\n  if (!HOSTS.includes(u.hostname)) throw new Error('host');\n  await fetch(u);";
    expect(await flowsOf(tool(body))).toEqual([]);
  });

  test("quoting for the shell ends a shell flow", async () => {
    const code = `${HEAD}import { quote } from "shell-quote";\n` + tool("exec('ls ' + quote([args.x]));").slice(HEAD.length);
    expect(await flowsOf(code)).toEqual([]);
  });
});

describe("JS/TS traces and robustness", () => {
  test("trace: source first, each hop, sink last, with lines", async () => {
    const code = tool("const repo = args.x;\n  const cmd = `git clone ${repo}`;\n  exec(cmd);");
    const [flow] = await flowsOf(code);
    expect(flow.source).toEqual({ name: "args.x", line: 6, kind: "tool-input" });
    expect(traceText(flow)).toBe("args.x@6 -> repo@6 -> cmd@7 -> exec(cmd)@8");
    expect(flow.snippet).toBe("exec(cmd)");
    expect(flow.span).toEqual({ path: "src/server.ts", line: 8, endLine: 8 });
    expect(flow.tool).toBe("t");
  });

  test("tokens in a sink never reach the snippet or trace in full", async () => {
    const body = 'exec(`curl -H "Authorization: token ghp_abcdefghijklmnopqrstuvwxyz0123456789" ${args.x}`);';
    const [flow] = await flowsOf(tool(body));
    expect(JSON.stringify(flow)).not.toContain("ghp_abcdefghijklmnopqrstuvwxyz0123456789");
  });

  test("syntax errors, deep nesting and long chains do not throw", async () => {
    await expect(flowsOf(tool("exec('ls ' + args.x"))).resolves.toBeDefined();
    const deep = tool(`const v = ${"(".repeat(400)}args.x${")".repeat(400)};\n  exec(v);`);
    await expect(flowsOf(deep)).resolves.toBeDefined();
    const chain = Array.from({ length: 300 }, (_, i) => `const v${i + 1} = v${i} + "x";`).join("\n  ");
    const code = tool(`const v0 = args.x;\n  ${chain}\n  exec(v300);`);
    await expect(flowsOf(code)).resolves.toBeDefined();
  });

  test("hostile shapes finish with every flow: many sinks over a long `+=` chain, guards, validators, recursive helpers", async () => {
    const chain = Array.from({ length: 100 }, (_, i) => `  v = v + args.y${i};`).join("\n");
    const sinks = Array.from({ length: 500 }, () => "  exec(v);").join("\n");
    const many = await flowsOf(`${HEAD}server.tool("big", "d", {}, async (args) => {\n  let v = "";\n${chain}\n${sinks}\n  return {};\n});`);
    expect(many).toHaveLength(500);
    const validators = Array.from({ length: 10 }, (_, i) => `function validate${i}(v) { if (!v) throw new Error(); validate${(i + 1) % 10}(v); }`).join("\n");
    const guards = Array.from({ length: 200 }, (_, i) => `  if (args.q${i} === "a") return {};\n  validate${i % 10}(args.q${i});`).join("\n");
    const sinks2 = Array.from({ length: 100 }, (_, i) => `  exec("ls " + args.z${i});`).join("\n");
    const guarded = await flowsOf(`${HEAD}${validators}\nserver.tool("g", "d", {}, async (args) => {\n${guards}\n${sinks2}\n  return {};\n});`);
    expect(guarded.filter((f) => f.check === "none")).toHaveLength(100);
    const helpers = Array.from({ length: 100 }, (_, i) => `function h${i}(a) { h${(i + 1) % 100}(a); h${(i * 7) % 100}(a + "x"); exec(a); }`).join("\n");
    const fan = await flowsOf(`${HEAD}${helpers}\nserver.tool("fan", "d", {}, async (args) => {\n  h0(args.x);\n  return {};\n});`);
    expect(fan.length).toBeGreaterThan(0);
  }, 60_000);

  test("plain JavaScript and TSX parse the same way", async () => {
    const js = tool("exec('ls ' + args.x);").replace(/: z\.\w+\(\)/g, "");
    expect(summary(await flowsOf(js, "src/server.js"))).toEqual(["shell"]);
    expect(summary(await flowsOf(js, "src/server.tsx"))).toEqual(["shell"]);
  });
});

describe("local aliases of sinks and of checks", () => {
  const PROMISIFIED = 'import { promisify } from "node:util";\nconst run = promisify(execFile);\nconst fsp = fs.promises;\n';

  test("`promisify(execFile)` and `fs.promises` aliases are still sinks", async () => {
    const code = tool('await run("git", ["checkout", args.x]);\n  await fsp.readFile(args.x, "utf8");').replace(HEAD, HEAD + PROMISIFIED);
    expect(summary(await flowsOf(code))).toEqual(["argument", "path"]);
  });

  test("a regex held in a constant is an allow-list check", async () => {
    const body = 'if (!NAME_RE.test(args.x)) throw new Error("bad name");\n  await run("git", ["branch", args.x]);';
    const code = tool(body).replace(HEAD, `${HEAD}${PROMISIFIED}const NAME_RE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;\n`);
    expect(await flowsOf(code)).toEqual([]);
  });

  test("a regex that lets anything through is not a check", async () => {
    const body = 'if (!ANY_RE.test(args.x)) throw new Error("bad name");\n  await run("git", ["branch", args.x]);';
    const code = tool(body).replace(HEAD, `${HEAD}${PROMISIFIED}const ANY_RE = /^.+$/;\n`);
    expect(summary(await flowsOf(code))).toEqual(["argument"]);
  });
});

describe("options that take a value depend on the program", () => {
  test("`curl -O` takes no value, so the next argument can still be an option; `wget -O file` takes one", async () => {
    expect(summary(await flowsOf(tool('execFile("curl", ["-sSL", "-O", args.x]);')))).toEqual(["argument"]);
    expect(await flowsOf(tool('execFile("wget", ["-O", args.x, "--", "https://example.com/a"]);'))).toEqual([]);
  });

  test("`find DIR -name VALUE`: a primary's value is not an option", async () => {
    expect(await flowsOf(tool('execFile("find", ["/srv/notes", "-name", args.x]);'))).toEqual([]);
  });
});
