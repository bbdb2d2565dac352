import { probe } from "./shell-helpers.js";

const ts = (code: string) => probe("typescript", code);
const py = (code: string) => probe("python", code);
const go = (body: string) => probe("go", `package main\nfunc f(name string, args map[string]string) {\n${body}\n}\n`);

describe("TypeScript constness", () => {
  test.each([
    ['probe("ls")', "ls"],
    ["probe(`ls -la`)", "ls -la"],
    ['probe("git " + "log")', "git log"],
    ['const A = "git"; probe(`${A} log`)', "git log"],
    ['const A = "git"; const B = A + " status"; probe(B)', "git status"],
    ['function f() { const cmd = "ls"; probe(cmd); }', "ls"],
    ['let c = "ls"; c = "pwd"; probe(c)', undefined],
    ['probe(["ls", "-la"].join(" "))', undefined],
    ['probe(cond ? "a" : "b")', undefined],
    ["probe(GLOBAL_CMD)", undefined],
    ['import { BASE_CMD } from "./config.js"; probe(BASE_CMD)', undefined],
    ['const CMDS = { list: "ls" }; probe(CMDS.list)', "ls"],
    ['const { list } = { list: "ls" }; probe(list)', "ls"],
    ['for (const f of ["a", "b"]) { probe("rm " + f) }', undefined],
    ['function base() { return "git"; } probe(base() + " log")', undefined],
    ['const base = () => "git"; probe(base())', "git"],
  ])("%s is constant", async (code, value) => {
    const r = await ts(code);
    expect(r.constant).toBe(true);
    if (value !== undefined) expect(r.value).toBe(value);
  });

  test.each([
    ["probe(`git log ${args.repo}`)", ["args.repo"]],
    ['function f(dir) { probe("ls " + dir) }', ["dir"]],
    ['function f(args) { const cmd = "ls " + args.path; probe(cmd) }', ["args.path"]],
    ['function f(args) { const a = "ls " + args.path; const b = a + " -la"; probe(b) }', ["args.path"]],
    ['function f(args) { let c = "ls"; if (x) c += " " + args.dir; probe(c) }', ["args.dir"]],
    ['function f(args) { const parts = ["ls"]; parts.push(args.dir); probe(parts.join(" ")) }', ["args.dir"]],
    ['async ({ repo }) => probe("git -C " + repo)', ["repo"]],
    ['function f(args) { const { repo } = args; probe(repo) }', ["args.repo"]],
    ['function f(args) { const { repo: r } = args; probe(r) }', ["args.repo"]],
    ['function f(input) { probe(input["path"]) }', ["input.path"]],
    ['function f(a) { probe(`${a.x} ${a.y}`) }', ["a.x", "a.y"]],
    ["probe(process.env.EDITOR)", ["process.env.EDITOR"]],
    ["function f(a) { probe(a.cmd.trim()) }", ["a.cmd"]],
    ["function f(a) { probe(String(a.n)) }", ["a.n"]],
    ["function f(a) { probe(path.join(root, a.file)) }", ["root", "a.file"]],
    ["function f(a) { probe(build(a.x)) }", ["build()", "a.x"]],
    ["function f(files) { for (const f of files) probe(\"rm \" + f) }", ["files"]],
    ["function f(a) { probe(a.x || \"default\") }", ["a.x"]],
    ["function f(a) { probe((a.x as string)!) }", ["a.x"]],
    ["class C { run() { probe(this.cmd) } }", ["this.cmd"]],
  ])("%s is built from %j", async (code, inputs) => {
    const r = await ts(code);
    expect(r).toEqual({ constant: false, inputs });
  });

  test.each([
    ['function f(a) { probe("kill " + parseInt(a.pid, 10)) }'],
    ["function f(a) { probe(`head -n ${Number(a.n)}`) }"],
    ['import { quote } from "shell-quote"; function f(a) { probe("echo " + quote([a.msg])) }'],
    ['const { quote } = require("shell-quote"); function f(a) { probe("echo " + quote([a.msg])) }'],
    ['function f(a) { probe("git checkout " + a.branch.replace(/[^\\w.-]/g, "")) }'],
    ["function f(a) { probe(`n=${a.list.length}`) }"],
    ["function f(a) { probe(`x=${a.n * 2}`) }"],
  ])("%s is dynamic but shell-safe (no inputs)", async (code) => {
    expect(await ts(code)).toEqual({ constant: false, inputs: [] });
  });

  test("a replace that keeps shell metacharacters is not a sanitiser", async () => {
    expect(await ts('function f(a) { probe("echo " + a.x.replace(/[^a-z ;]/g, "")) }')).toEqual({ constant: false, inputs: ["a.x"] });
    expect(await ts('function f(a) { probe("echo " + a.x.replace(/foo/, "")) }')).toEqual({ constant: false, inputs: ["a.x"] });
  });

  test("let/const in a sibling block do not leak", async () => {
    const code = 'function f(a) { { const cmd = "rm " + a.x; } { const cmd = "ls"; probe(cmd); } }';
    expect((await ts(code)).constant).toBe(true);
  });

  test("self-referencing assignments terminate", async () => {
    const r = await ts("function f(a) { let c = c + a.x; c = c + c; probe(c) }");
    expect(r).toEqual({ constant: false, inputs: ["a.x"] });
  });
});

describe("Python constness", () => {
  test.each([
    ['probe("ls")'],
    ['probe(f"ls -la")'],
    ['X = "git"\nprobe(f"{X} log")'],
    ['LS = "ls"\ndef f():\n    probe(LS + " -la")'],
    ['def f():\n    cmd = "ls"\n    probe(cmd)'],
    ['probe("%s %s" % ("git", "log"))'],
    ['probe("{} log".format("git"))'],
    ['probe(" ".join(["git", "log"]))'],
    ['from config import BASE_CMD\nprobe(BASE_CMD)'],
    ['a = b = "x"\nprobe(a)'],
    ['probe("a" "b")'],
  ])("%s is constant", async (code) => {
    expect((await py(code)).constant).toBe(true);
  });

  test.each([
    ['def f(path):\n    probe(f"ls {path}")', ["path"]],
    ['def f(path: str):\n    probe("ls %s" % path)', ["path"]],
    ['def f(p):\n    probe("ls {}".format(p))', ["p"]],
    ['def f(p):\n    probe("ls {x}".format(x=p))', ["p"]],
    ['def f(p):\n    probe(" ".join(["ls", p]))', ["p"]],
    ['def f(p):\n    cmd = "ls " + p\n    cmd += " -la"\n    probe(cmd)', ["p"]],
    ['def f(args):\n    probe("ls " + args["dir"])', ["args.dir"]],
    ['def f(arguments):\n    probe("ls " + arguments.get("dir", "."))', ["arguments.dir"]],
    ['def f(*args):\n    probe(args[0])', ["args[0]"]],
    ['def f(**kw):\n    probe(kw["x"])', ["kw.x"]],
    ['def f(p):\n    parts = ["ls"]\n    parts.append(p)\n    probe(" ".join(parts))', ["p"]],
    ['import os\nprobe("open " + os.environ["HOME"])', ["os.environ.HOME"]],
    ['import os\nprobe(os.getenv("EDITOR"))', ["os.environ.EDITOR"]],
    ['import sys\nprobe(sys.argv[1])', ["sys.argv[1]"]],
    ['def f(p):\n    x = p if p else "ls"\n    probe(x)', ["p"]],
    ['def f(req):\n    with open(req.path) as fh:\n        probe(fh.read())', ["fh.read()"]],
    ['class A:\n    CMD = "ls"\n    def go(self):\n        probe(self.cmd)', ["self.cmd"]],
  ])("%s is built from %j", async (code, inputs) => {
    expect(await py(code)).toEqual({ constant: false, inputs });
  });

  test.each([
    ['import shlex\ndef f(p):\n    probe("ls " + shlex.quote(p))'],
    ['from shlex import quote\ndef f(p):\n    probe(f"ls {quote(p)}")'],
    ['import shlex\ndef f(p):\n    probe(shlex.join(["ls", p]))'],
    ['import shlex\ndef f(a, b):\n    probe(" ".join(shlex.quote(x) for x in [a, b]))'],
    ['def f(n):\n    probe("head -n %d" % int(n))'],
    ['def f(n):\n    probe("head -n " + str(len(n)))'],
    ['import re\ndef f(p):\n    probe("ls " + re.sub(r"[^a-zA-Z0-9_-]", "", p))'],
  ])("%s is dynamic but shell-safe", async (code) => {
    expect(await py(code)).toEqual({ constant: false, inputs: [] });
  });
});

describe("Go constness", () => {
  test.each([
    ['\tprobe("ls")', true],
    ["\tprobe(`ls -la`)", true],
    ['\tcmd := "ls"\n\tprobe(cmd)', true],
    ['\tprobe("ls " + name)', false],
    ['\tprobe(fmt.Sprintf("ls %s", args["dir"]))', false],
    ['\tprobe(strings.Join([]string{"ls", name}, " "))', false],
    ['\tprobe(strings.Join([]string{"ls", "-la"}, " "))', true],
    ['\tprobe("kill " + strconv.Itoa(len(name)))', false],
  ])("%s constant=%s", async (body, constant) => {
    expect((await go(body)).constant).toBe(constant);
  });

  test("inputs name the parameter and map key", async () => {
    expect(await go('\tc := "ls " + args["dir"]\n\tprobe(c)')).toEqual({ constant: false, inputs: ["args.dir"] });
  });
});
