import { cleandoc, decodeGoEscapes, decodeJsEscapes, decodePyEscapes, dedent } from "../../lib/extract/escapes.js";
import { toolsIn } from "./helpers.js";

async function describeTs(expr: string, prelude = ""): Promise<{ value: string; dynamic: boolean; source: string }> {
  const [tool] = await toolsIn("r.ts", `${prelude}\nserver.tool("t", ${expr}, async () => 1);`);
  return tool!.description!;
}

async function describePy(expr: string, prelude = ""): Promise<{ value: string; dynamic: boolean }> {
  const [tool] = await toolsIn("r.py", `${prelude}\n@mcp.tool(description=${expr})\ndef t():\n    pass\n`);
  return tool!.description!;
}

describe("escape decoding", () => {
  it("JS", () => {
    expect(decodeJsEscapes("a\\u200bb\\u{E0041}\\x1b[0m\\n\\q\\0")).toBe("a\u200bb\u{E0041}\x1b[0m\nq\0");
  });
  it("Python", () => {
    expect(decodePyEscapes("\\U000E0041\\x1b\\033\\N{ZERO WIDTH SPACE}\\q")).toBe("\u{E0041}\x1b\x1b\u200b\\q");
    expect(decodePyEscapes("\\N{UNKNOWN NAME}")).toBe("\\N{UNKNOWN NAME}");
  });
  it("Go", () => {
    expect(decodeGoEscapes("\\u202e\\x1b\\101")).toBe("\u202e\x1bA");
  });
  it("dedent and cleandoc follow Python", () => {
    expect(dedent("    a\n      b\n\n    c")).toBe("a\n  b\n\nc");
    expect(cleandoc("  First.\n\n    Second\n      third\n  ")).toBe("First.\n\nSecond\n  third");
  });
});

describe("TS static resolution", () => {
  it("template literals with constant parts, + and const chains", async () => {
    expect(await describeTs("`${A} and ${B}`", `const A = "x"; const B = A + "y";`)).toMatchObject({ value: "x and xy", dynamic: false });
  });
  it("[...].join, .trim(), dedent tag, const object member, enum member", async () => {
    expect((await describeTs(`["a", "b"].join("\\n")`)).value).toBe("a\nb");
    expect((await describeTs(`"  pad  ".trim()`)).value).toBe("pad");
    expect((await describeTs("dedent`\n    one\n      two\n  `")).value).toBe("one\n  two");
    expect((await describeTs("D.read", `const D = { read: "Reads" };`)).value).toBe("Reads");
    expect((await describeTs("E.A", `enum E { A = "alpha" }`)).value).toBe("alpha");
  });
  it("anything else is a placeholder, never a guess", async () => {
    expect(await describeTs("`Hi ${user.name}`")).toMatchObject({ value: "Hi ${user.name}", dynamic: true });
    expect(await describeTs("t('key')")).toMatchObject({ value: "${t('key')}", dynamic: true });
    expect(await describeTs("imported")).toMatchObject({ value: "${imported}", dynamic: true });
  });
  it("cycles and deep chains terminate", async () => {
    const chain = Array.from({ length: 60 }, (_, i) => `const c${i + 1} = c${i} + "x";`).join("\n");
    const deep = await describeTs("c60", `const c0 = "s";\n${chain}`);
    expect(deep.dynamic).toBe(true);
    expect(deep.value).toContain("${");
  });
});

describe("Python static resolution", () => {
  it("implicit concatenation, +, module constants, .strip(), join, cleandoc", async () => {
    expect((await describePy(`"a" "b" + C`, `C = "c"`)).value).toBe("abc");
    expect((await describePy(`"  x  ".strip()`)).value).toBe("x");
    expect((await describePy(`", ".join(["a", "b"])`)).value).toBe("a, b");
    expect((await describePy(`inspect.cleandoc("""\n    a\n      b\n    """)`)).value).toBe("a\n  b");
  });
  it("f-string with a constant is resolved; with a conversion or unknown name it is dynamic", async () => {
    expect(await describePy(`f"v{C}{{x}}"`, `C = "1"`)).toMatchObject({ value: "v1{x}", dynamic: false });
    expect((await describePy(`f"{C!r}"`, `C = "1"`)).dynamic).toBe(true);
    expect(await describePy(`"x %s" % y`)).toMatchObject({ dynamic: true });
    expect(await describePy(`"{}".format(y)`)).toMatchObject({ dynamic: true });
  });
});

describe("hostile input", () => {
  it("deeply nested code does not overflow the stack", async () => {
    const src = `server.tool("deep", ${"(".repeat(3000)}"x"${")".repeat(3000)}, async () => 1);`;
    const tools = await toolsIn("deep.ts", src);
    expect(tools.length).toBeLessThanOrEqual(1);
  });
  it("binary garbage and malformed source yield no tools and no crash", async () => {
    const garbage = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256)).toString("latin1");
    await expect(toolsIn("g.ts", garbage)).resolves.toEqual([]);
    await expect(toolsIn("g.py", garbage)).resolves.toEqual([]);
    await expect(toolsIn("g.go", garbage)).resolves.toEqual([]);
    const broken = await toolsIn("b.ts", `server.tool("ok", "Still found", async () => {\n  if (\n});\nserver.tool(`);
    expect(broken.map((t) => t.name)).toContain("ok");
  });
  it("constants that each join many others are evaluated once, not once per use", async () => {
    const list = (name: string) => `[${Array.from({ length: 200 }, () => name).join(",")}].join("")`;
    const started = Date.now();
    const d = await describeTs("D", `const A = "x";\nconst B = ${list("A")};\nconst C = ${list("B")};\nconst D = ${list("C")};`);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(d).toMatchObject({ value: "x".repeat(100_000), dynamic: false });
  });
  it("a list too long to evaluate is dynamic, not a wrong value", async () => {
    const d = await describeTs(`[${Array.from({ length: 12_000 }, () => `"x"`).join(",")}].join("")`);
    expect(d.dynamic).toBe(true);
  });
  it("a huge join stays bounded", async () => {
    const items = Array.from({ length: 5000 }, () => `"${"x".repeat(100)}"`).join(",");
    const d = await describeTs(`[${items}].join("")`);
    expect(d.value.length).toBeLessThanOrEqual(100_000);
  });
});
