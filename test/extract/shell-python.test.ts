import { shellCalls } from "./shell-helpers.js";

const py = (code: string) => shellCalls("python", code, "server.py");

describe("subprocess", () => {
  test.each([
    ["import subprocess", "subprocess.run(cmd, shell=True)", "subprocess.run"],
    ["import subprocess", "subprocess.call(cmd, shell=True)", "subprocess.call"],
    ["import subprocess", "subprocess.check_call(cmd, shell=True)", "subprocess.check_call"],
    ["import subprocess", "subprocess.check_output(cmd, shell=True, text=True)", "subprocess.check_output"],
    ["import subprocess", "subprocess.Popen(cmd, shell=True, stdout=subprocess.PIPE)", "subprocess.Popen"],
    ["import subprocess", "subprocess.getoutput(cmd)", "subprocess.getoutput"],
    ["import subprocess", "subprocess.getstatusoutput(cmd)", "subprocess.getstatusoutput"],
    ["import subprocess as sp", "sp.run(cmd, shell=True)", "subprocess.run"],
    ["from subprocess import run as r", "r(cmd, shell=True)", "subprocess.run"],
    ["from subprocess import Popen", "Popen(args=cmd, shell=True)", "subprocess.Popen"],
    ["import subprocess", "subprocess.run(cmd, shell=1)", "subprocess.run"],
    ["import subprocess", "subprocess.run(cmd, shell=use_shell)", "subprocess.run"],
    ["import os", "os.system(cmd)", "os.system"],
    ["import os", "os.popen(cmd).read()", "os.popen"],
    ["from os import system", "system(cmd)", "os.system"],
    ["import asyncio", "await asyncio.create_subprocess_shell(cmd)", "asyncio.create_subprocess_shell"],
  ])("%s: %s", async (imports, call, api) => {
    const calls = await py(`${imports}\n\nasync def handler(cmd):\n    ${call}\n`);
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({ api, shell: true, command: { constant: false, inputs: ["cmd"], source: "cmd" } });
    expect(calls[0].span.line).toBe(4);
  });

  test("no shell, shell=False, a **kwargs spread or a shell flag bound to False are not shell calls", async () => {
    const code = [
      "import subprocess",
      "NO = False",
      "def f(p, **kw):",
      '    subprocess.run(["ls", p])',
      '    subprocess.run(["git", "log", p], shell=False)',
      "    subprocess.run(p, shell=None)",
      "    subprocess.run(p, **kw)",
      "    subprocess.run(p, shell=NO)",
      '    subprocess.run(["bash", "script.sh", p])',
    ].join("\n");
    expect(await py(code)).toEqual([]);
  });

  test("bash -c in an argument list is a shell even without shell=True", async () => {
    const [c] = await py('import subprocess\ndef f(p):\n    subprocess.run(["bash", "-c", "ls " + p], check=True)\n');
    expect(c).toMatchObject({ api: "subprocess.run", shell: true, command: { source: '"ls " + p', inputs: ["p"] } });
  });

  test("constant commands are reported as constant", async () => {
    const code = [
      "import os, subprocess",
      'LS = "ls -la"',
      "def f():",
      '    subprocess.run("ls -la", shell=True)',
      "    os.system(LS)",
      '    os.system("clear")',
      '    os.system(f"echo hi")',
      '    os.system("a" "b")',
    ].join("\n");
    const calls = await py(code);
    expect(calls).toHaveLength(5);
    expect(calls.every((c) => c.command.constant)).toBe(true);
  });

  test("functions that only look like subprocess are not shell calls", async () => {
    const code = [
      "import sqlite3",
      "def system(x):",
      "    return x",
      "def f(p, cursor, runner):",
      '    cursor.execute("SELECT * FROM t WHERE a = \'%s\'" % p)',
      '    system("rm " + p)',
      '    runner.run(p, shell=True)',
      '    subprocess.run(p, shell=True)',
    ].join("\n");
    // `subprocess` is never imported here, so the last call is not the standard library.
    expect(await py(code)).toEqual([]);
  });

  test("a method with the same name in a class does not hide the module", async () => {
    const code = "import os\nclass A:\n    os = None\n    def go(self, p):\n        os.system('ls ' + p)\n";
    const calls = await py(code);
    expect(calls[0]).toMatchObject({ api: "os.system", command: { inputs: ["p"] } });
  });
});
