import { redactSecrets } from "../../lib/extract/shell-redact.js";
import { shellCalls } from "./shell-helpers.js";

describe("hostile and malformed input", () => {
  test("a 20,000-term concatenation does not overflow the stack", async () => {
    const code = `import { exec } from "child_process";\nexec(${Array.from({ length: 20000 }, () => '"a"').join(" + ")} + x);`;
    const calls = await shellCalls("typescript", code);
    expect(calls).toHaveLength(1);
    expect(calls[0].command.constant).toBe(false);
    expect(calls[0].snippet.length).toBeLessThanOrEqual(200);
    expect(calls[0].command.source.length).toBeLessThanOrEqual(200);
  });

  test("deeply nested parentheses", async () => {
    const code = `import os\nos.system(${"(".repeat(3000)}cmd${")".repeat(3000)})\n`;
    const calls = await shellCalls("python", code, "a.py");
    expect(calls).toHaveLength(1);
    expect(calls[0].command.constant).toBe(false);
  });

  test("exponential assignment chains are cut off by the step budget, not computed", async () => {
    const lines = ["import os", "def f(p):", "    a0 = p"];
    for (let i = 1; i <= 60; i++) lines.push(`    a${i} = a${i - 1} + a${i - 1}`);
    lines.push("    os.system(a60)");
    const calls = await shellCalls("python", lines.join("\n"), "a.py");
    expect(calls).toHaveLength(1);
    expect(calls[0].command.constant).toBe(false);
    expect(calls[0].command.inputs.length).toBeGreaterThan(0);
  });

  test("mutually recursive assignments and functions terminate", async () => {
    const code = [
      'import { execSync } from "child_process";',
      "function a(x) { return b(x) + x; }",
      "function b(x) { return a(x); }",
      "let p = q; let q = p + input;",
      "execSync(a(1) + p);",
    ].join("\n");
    const calls = await shellCalls("typescript", code);
    expect(calls[0].command.constant).toBe(false);
  });

  test.each(["typescript", "python", "go", "javascript"] as const)("binary garbage in %s gives no calls and no crash", async (lang) => {
    let seed = 7;
    const bytes = Array.from({ length: 20000 }, () => String.fromCharCode((seed = (seed * 1103515245 + 12345) % 2 ** 31) % 256)).join("");
    await expect(shellCalls(lang, bytes, "x")).resolves.toEqual(expect.any(Array));
  });

  test("syntax errors around a call still let the call be found", async () => {
    const code = 'import { exec } from "child_process";\nfunction f(a) {\n  exec("ls " + a.dir);\n  if ( {\n}\n';
    const calls = await shellCalls("typescript", code);
    expect(calls.map((c) => c.command.inputs)).toEqual([["a.dir"]]);
  });

  test("incomplete calls (no arguments) are ignored", async () => {
    expect(await shellCalls("typescript", 'import { exec } from "child_process";\nexec();\nexec(...parts);')).toEqual([]);
    expect(await shellCalls("python", "import os\nos.system()\n", "a.py")).toEqual([]);
  });

  test("an empty file", async () => {
    expect(await shellCalls("python", "", "a.py")).toEqual([]);
  });
});

describe("secrets in commands are masked", () => {
  test.each([
    ['curl -H "Authorization: token ghp_0123456789abcdefghijABCDEFGHIJ012345"', "ghp_0123456789"],
    ["curl -H 'Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.abc'", "eyJhbGciOiJIUzI1NiJ9"],
    ["mysql --password=hunter2secret -u root", "hunter2secret"],
    ["git clone https://user:s3cr3tpass@github.com/o/r", "s3cr3tpass"],
    ["curl -u admin:Sup3rS3cretPassw0rd https://x", "Sup3rS3cretPassw0rd"],
    ["export OPENAI=sk-proj-abcdefghijklmnop1234567890", "abcdefghijklmnop1234567890"],
    ["aws configure set aws_access_key_id AKIAIOSFODNN7EXAMPLE", "IOSFODNN7EXAMPLE"],
    ["echo 9f8e7d6c5b4a39281706f5e4d3c2b1a0ffeeddccbbaa", "9f8e7d6c5b4a39281706f5e4d3c2b1a0"],
  ])("%s", (text, secret) => {
    const out = redactSecrets(text);
    expect(out).not.toContain(secret);
    expect(out).toMatch(/\*\*\*\*|…\[redacted/);
  });

  test("ordinary commands and paths are left alone", () => {
    for (const text of ["git log --oneline -n 20", "ls /home/user/projects/my-server-2/dist/index/build/output", "npm run build -- --token-file ./t"]) {
      expect(redactSecrets(text)).toBe(text);
    }
  });

  test("the extracted call carries no full secret", async () => {
    const code = 'import os\ndef f(repo):\n    os.system("curl -u admin:Sup3rS3cretPassw0rd https://x/" + repo + " -H \'Authorization: token ghp_0123456789abcdefghijABCDEFGHIJ012345\'")\n';
    const [c] = await shellCalls("python", code, "a.py");
    expect(JSON.stringify(c)).not.toContain("ghp_0123456789abcdefghij");
    expect(JSON.stringify(c)).not.toContain("Sup3rS3cret");
  });
});
