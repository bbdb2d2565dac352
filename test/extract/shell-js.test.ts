import { shellCalls } from "./shell-helpers.js";

const ts = (code: string) => shellCalls("typescript", code);

describe("child_process imports", () => {
  test.each([
    ['import { exec } from "child_process";', "exec(cmd)"],
    ['import { exec } from "node:child_process";', "exec(cmd)"],
    ['import * as cp from "child_process";', "cp.exec(cmd)"],
    ['import cp from "node:child_process";', "cp.exec(cmd)"],
    ['const cp = require("child_process");', "cp.exec(cmd)"],
    ['const { exec } = require("node:child_process");', "exec(cmd)"],
    ['const { exec: sh } = require("child_process");', "sh(cmd)"],
    ['import { exec as run } from "child_process";', "run(cmd)"],
    ['import { exec } from "child_process"; import { promisify } from "util"; const run = promisify(exec);', "await run(cmd)"],
    ['import * as cp from "child_process"; import util from "node:util"; const run = util.promisify(cp.exec);', "await run(cmd)"],
    ['const run = require("util").promisify(require("child_process").exec);', "run(cmd)"],
    ['const exec = require("child_process").exec;', "exec(cmd)"],
    ['import { exec } from "child_process"; import { promisify } from "util";', "await promisify(exec)(cmd)"],
    ['', 'require("child_process").exec(cmd)'],
  ])("%s %s", async (imports, call) => {
    const calls = await ts(`${imports}\nexport async function f(cmd: string) { ${call}; }`);
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({ api: "child_process.exec", shell: true, command: { constant: false, inputs: ["cmd"] } });
  });

  test("execSync is always a shell", async () => {
    const [c] = await ts('import { execSync } from "child_process";\nexecSync(`git log ${args.repo}`);');
    expect(c).toMatchObject({ api: "child_process.execSync", shell: true, command: { constant: false, inputs: ["args.repo"], source: "`git log ${args.repo}`" } });
    expect(c.span).toEqual({ path: "src/server.ts", line: 2, endLine: 2 });
    expect(c.snippet).toBe("execSync(`git log ${args.repo}`)");
  });

  test("a local function named exec is not child_process", async () => {
    expect(await ts("function exec(s: string) { return s; }\nexec('rm ' + x);")).toEqual([]);
    expect(await ts("exec('rm ' + x);")).toEqual([]);
  });

  test("a local exec shadows the imported one inside its scope", async () => {
    const code = 'import { exec } from "child_process";\nfunction f(x) { const exec = (s) => s; exec("rm " + x); }\nexec("ls " + y);';
    const calls = await ts(code);
    expect(calls.map((c) => c.span.line)).toEqual([3]);
  });

  test("RegExp.exec, db.exec and unrelated methods are not shell calls", async () => {
    const code = [
      'import { exec } from "child_process";',
      "const re = /x/; re.exec(input);",
      "db.exec(`DELETE FROM t WHERE id = ${id}`);",
      "this.exec(cmd);",
      "/a/.exec(s);",
      'import Database from "better-sqlite3"; const d = new Database("x"); d.exec(sql);',
    ].join("\n");
    expect(await ts(code)).toEqual([]);
  });
});

describe("spawn, execFile and friends", () => {
  test("without a shell they are not shell calls", async () => {
    const code = [
      'import { spawn, spawnSync, execFile, execFileSync } from "child_process";',
      'spawn("git", ["log", args.repo]);',
      'spawnSync("git", ["log", args.repo], { cwd: dir });',
      'execFile("ls", [dir], { shell: false }, cb);',
      'execFileSync("ls", [dir], { shell: undefined });',
      'spawn("bash", ["script.sh", args.x]);',
      'spawn("bash", args.list);',
    ].join("\n");
    expect(await ts(code)).toEqual([]);
  });

  test("shell: true, a shell path or a run-time shell value makes them shell calls", async () => {
    const code = [
      'import { spawn, execFile } from "child_process";',
      "spawn(`ls ${dir}`, { shell: true });",
      'spawn("ls", [dir], { shell: "/bin/bash" });',
      'execFile("ls", [dir], { shell: isWindows }, cb);',
      "const opts = { shell: true, cwd: root };",
      'spawn("ls " + dir, [], opts);',
      "spawn(cmd, { shell });",
    ].join("\n");
    const calls = await ts(code);
    expect(calls.map((c) => [c.span.line, c.api, c.command.constant, c.command.inputs])).toEqual([
      [2, "child_process.spawn", false, ["dir"]],
      [3, "child_process.spawn", false, ["dir"]],
      [4, "child_process.execFile", false, ["dir"]],
      [6, "child_process.spawn", false, ["dir"]],
      [7, "child_process.spawn", false, ["cmd"]],
    ]);
  });

  test("shell: true with constant program and arguments is constant", async () => {
    const [c] = await ts('import { spawn } from "child_process";\nspawn("npm", ["run", "build"], { shell: true });');
    expect(c).toMatchObject({ shell: true, command: { constant: true, inputs: [] } });
  });

  test("sh/bash/cmd/powershell with -c: the script is the command", async () => {
    const code = [
      'import { spawn, execFile, spawnSync } from "child_process";',
      'spawn("bash", ["-c", `git log ${ref}`]);',
      'spawn("/bin/sh", ["-e", "-c", "cat " + file]);',
      'execFile("cmd.exe", ["/C", "type " + file]);',
      'spawnSync("pwsh", ["-Command", "Get-Item " + p]);',
      'spawn("bash", ["-lc", "echo done"]);',
    ].join("\n");
    const calls = await ts(code);
    expect(calls.map((c) => [c.span.line, c.command.source, c.command.constant, c.command.inputs])).toEqual([
      [2, "`git log ${ref}`", false, ["ref"]],
      [3, '"cat " + file', false, ["file"]],
      [4, '"type " + file', false, ["file"]],
      [5, '"Get-Item " + p', false, ["p"]],
      [6, '"echo done"', true, []],
    ]);
  });

  test("a constant holding the shell name is followed", async () => {
    const [c] = await ts('import { spawn } from "child_process";\nconst SHELL = "bash";\nspawn(SHELL, ["-c", cmd]);');
    expect(c).toMatchObject({ shell: true, command: { inputs: ["cmd"] } });
  });
});

describe("execa and shelljs", () => {
  test("execa with shell: true, execaCommand, shelljs exec", async () => {
    const code = [
      'import { execa, execaCommand } from "execa";',
      'import shell from "shelljs";',
      "await execa(`ls ${dir}`, { shell: true });",
      "await execa('git', ['log', dir]);",
      "await execaCommand(`git log ${dir}`);",
      "shell.exec('npm view ' + name);",
      "shell.exec('npm ci');",
    ].join("\n");
    const calls = await ts(code);
    expect(calls.map((c) => [c.span.line, c.api, c.shell, c.command.constant])).toEqual([
      [3, "execa.execa", true, false],
      [5, "execa.execaCommand", false, false],
      [6, "shelljs.exec", true, false],
      [7, "shelljs.exec", true, true],
    ]);
  });
});

describe("JavaScript and TSX parse the same way", () => {
  test("CommonJS in a .js file", async () => {
    const calls = await shellCalls("javascript", 'const cp = require("child_process");\nmodule.exports = (a) => cp.execSync("ls " + a.dir);', "x.js");
    expect(calls[0]).toMatchObject({ api: "child_process.execSync", command: { inputs: ["a.dir"] } });
  });

  test("TSX", async () => {
    const calls = await shellCalls("tsx", 'import { exec } from "child_process";\nconst C = () => <div onClick={() => exec("open " + url)} />;', "x.tsx");
    expect(calls[0]).toMatchObject({ command: { inputs: ["url"] } });
  });

  test("snippets span at most three lines and keep the line start", async () => {
    const code = 'import { exec } from "child_process";\nconst out = exec(\n  "git log " +\n    args.ref,\n  { cwd },\n  cb,\n);';
    const [c] = await ts(code);
    expect(c.snippet).toBe('const out = exec( "git log " + args.ref,');
    expect(c.span).toMatchObject({ line: 2, endLine: 7 });
  });
});
