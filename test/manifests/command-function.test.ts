import { DYNAMIC, readCommandFunction } from "../../lib/manifests/command-function.js";

describe("readCommandFunction", () => {
  it("reads the common arrow-function shape", () => {
    expect(readCommandFunction("(config) => ({ command: 'node', args: ['build/index.js'] })")).toEqual([
      { command: "node", args: ["build/index.js"], row: 0 },
    ]);
  });

  it("reads double quotes, quoted keys, env and key order", () => {
    const [l] = readCommandFunction('config => ({ "args": ["-y", "pkg@1.0.0"], env: { A: config.a }, "command": "npx" })');
    expect(l).toMatchObject({ command: "npx", args: ["-y", "pkg@1.0.0"] });
  });

  it("turns computed arguments into placeholders", () => {
    const [l] = readCommandFunction("config => ({ command: 'npx', args: ['-y', 'pkg', '--key', config.key, `--x=${config.x}`, ...extra] })");
    expect(l.args).toEqual(["-y", "pkg", "--key", DYNAMIC, DYNAMIC, DYNAMIC]);
  });

  it("reads multi-line functions with comments and a block body, with the row of `command`", () => {
    const source = [
      "(config) => {",
      "  // start the server",
      "  const args = [];",
      "  if (config.sse) { args.push('--sse'); }",
      "  return {",
      "    command: 'uvx', /* runner */",
      "    args: ['mcp-server-fetch', ...args]",
      "  };",
      "}",
    ].join("\n");
    expect(readCommandFunction(source)).toEqual([{ command: "uvx", args: ["mcp-server-fetch", DYNAMIC], row: 5 }]);
  });

  it("finds every returned launch of a conditional function", () => {
    const source = "c => c.remote ? ({ command: 'npx', args: ['-y', 'mcp-remote'] }) : ({ command: 'node', args: ['dist/index.js'] })";
    expect(readCommandFunction(source).map((l) => l.command)).toEqual(["npx", "node"]);
  });

  it("skips a command that is not a string literal", () => {
    expect(readCommandFunction("c => ({ command: process.platform === 'win32' ? 'npx.cmd' : 'npx', args: ['x'] })")).toEqual([]);
  });

  it("ignores `command:` inside strings", () => {
    expect(readCommandFunction("c => ({ description: '{ command: \"npx\" }' })")).toEqual([]);
  });

  it("copes with junk and unbalanced input", () => {
    expect(readCommandFunction("}}}]]] ((( { command: 'x', args: [ 'a', ")).toEqual([]);
    expect(readCommandFunction("{".repeat(50_000))).toEqual([]);
    expect(readCommandFunction("")).toEqual([]);
  });
});
