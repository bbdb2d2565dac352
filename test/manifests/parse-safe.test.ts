import { LineIndex } from "../../lib/line-index.js";
import {
  MANIFEST_LIMITS,
  parseJsonManifest,
  parseTomlManifest,
  parseYamlManifest,
  tomlLine,
  withSnippets,
  yamlLine,
} from "../../lib/manifests/parse-safe.js";

/** Runs `fn` and fails when it takes longer than `ms`: a guard against hangs on hostile input, not a speed measurement (docs/performance.md has those). */
function fast<T>(fn: () => T, ms = 5000): T {
  const start = performance.now();
  const out = fn();
  expect(performance.now() - start).toBeLessThan(ms);
  return out;
}

afterEach(() => {
  // No reader may ever touch Object.prototype.
  expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
});

describe("parseJsonManifest", () => {
  it("reads a valid document and locates values by path", () => {
    const text = '{\n  "name": "x",\n  "packages": [\n    { "identifier": "a" }\n  ]\n}\n';
    const parsed = parseJsonManifest(text);
    expect(parsed.problems).toEqual([]);
    expect(parsed.value).toEqual({ name: "x", packages: [{ identifier: "a" }] });
    expect(parsed.locate(["packages", 0, "identifier"])).toEqual({ line: 4, column: 7 });
    expect(parsed.locate(["name"]).line).toBe(2);
    // A missing path falls back to its nearest ancestor.
    expect(parsed.locate(["packages", 0, "version"]).line).toBe(4);
  });

  it("reports a syntax error with the parser's line and column", () => {
    const parsed = parseJsonManifest('{\n  "a": 1,\n  "b": 2,\n}\n');
    expect(parsed.value).toBeUndefined();
    expect(parsed.problems).toEqual([expect.objectContaining({ kind: "syntax", line: 4, column: 1 })]);
    expect(parsed.problems[0].message).toContain("invalid JSON");
  });

  it("rejects comments: registry tools use JSON.parse", () => {
    expect(parseJsonManifest('{ // note\n "a": 1 }').problems[0].kind).toBe("syntax");
  });

  it("reports duplicate keys and keeps the last value, as JSON.parse does", () => {
    const parsed = parseJsonManifest('{\n  "identifier": "good",\n  "identifier": "evil"\n}');
    expect(parsed.value).toEqual({ identifier: "evil" });
    expect(parsed.problems).toEqual([expect.objectContaining({ kind: "duplicate-key", line: 3, column: 3 })]);
  });

  it("drops __proto__ and constructor keys without touching prototypes", () => {
    const parsed = parseJsonManifest('{ "__proto__": { "isAdmin": true }, "constructor": { "x": 1 }, "a": { "__proto__": { "polluted": 1 } } }');
    const value = parsed.value as Record<string, unknown>;
    expect(Object.keys(value)).toEqual(["a"]);
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect((value as { isAdmin?: boolean }).isAdmin).toBeUndefined();
    expect(parsed.problems.map((p) => p.kind)).toEqual(["unsafe-key", "unsafe-key", "unsafe-key"]);
  });

  it("refuses nesting deeper than the bound", () => {
    const text = `{"a": ${"[".repeat(40)}1${"]".repeat(40)}}`;
    expect(parseJsonManifest(text).problems).toEqual([expect.objectContaining({ kind: "too-deep" })]);
  });

  it("survives absurd nesting without a stack overflow", () => {
    const text = "[".repeat(120_000) + "]".repeat(120_000);
    const parsed = fast(() => parseJsonManifest(text));
    expect(parsed.value).toBeUndefined();
    expect(["too-deep", "too-large"]).toContain(parsed.problems[0].kind);
  });

  it("refuses files over the size limit without parsing them", () => {
    const text = `{"name": "x", "pad": "${"a".repeat(2 * 1024 * 1024)}"}`;
    const parsed = fast(() => parseJsonManifest(text));
    expect(parsed.problems).toEqual([expect.objectContaining({ kind: "too-large" })]);
    expect(parsed.problems[0].message).toContain(`${MANIFEST_LIMITS.maxBytes / 1024} KiB`);
  });

  it("refuses binary content and invalid UTF-8 with the position of the first bad byte", () => {
    expect(parseJsonManifest('{"a": "x\u0000"}').problems).toEqual([expect.objectContaining({ kind: "encoding", line: 1, column: 9 })]);
    expect(parseJsonManifest('{\n"a": "\ufffd"}').problems).toEqual([expect.objectContaining({ kind: "encoding", line: 2, column: 7 })]);
  });

  it("reports an empty file as a syntax problem", () => {
    expect(parseJsonManifest("").problems[0].kind).toBe("syntax");
  });
});

describe("parseYamlManifest", () => {
  it("reads block YAML and locates keys by indentation", () => {
    const text = "startCommand:\n  type: stdio\n  commandFunction: |-\n    x\nruntime: typescript\n";
    const parsed = parseYamlManifest(text);
    expect(parsed.problems).toEqual([]);
    expect(parsed.locate(["startCommand", "commandFunction"]).line).toBe(3);
    expect(parsed.locate(["runtime"]).line).toBe(5);
  });

  it("reports syntax errors with 1-based line and column", () => {
    const parsed = parseYamlManifest("a:\n  b: [1,\n  c: 2\n");
    expect(parsed.value).toBeUndefined();
    expect(parsed.problems[0].kind).toBe("syntax");
    expect(parsed.problems[0].line).toBeGreaterThanOrEqual(2);
  });

  it("reports duplicate keys with their line", () => {
    const parsed = parseYamlManifest("startCommand:\n  type: stdio\n  type: http\n");
    expect(parsed.problems).toEqual([expect.objectContaining({ kind: "duplicate-key", line: 3 })]);
    expect(parsed.problems[0].message).toContain('"type"');
  });

  it("bounds alias expansion (billion laughs) and stays fast", () => {
    const levels = ["a: &a [x, x, x, x, x, x, x, x, x]"];
    for (const [i, name] of ["b", "c", "d", "e", "f", "g"].entries()) {
      const prev = "abcdefg"[i];
      levels.push(`${name}: &${name} [${Array(9).fill(`*${prev}`).join(", ")}]`);
    }
    const parsed = fast(() => parseYamlManifest(levels.join("\n")));
    expect(parsed.value).toBeUndefined();
    expect(parsed.problems).toEqual([expect.objectContaining({ kind: "alias-expansion" })]);
  });

  it("bounds the number of aliases", () => {
    const text = `a: &a 1\nlist: [${Array(MANIFEST_LIMITS.maxYamlAliases + 1).fill("*a").join(", ")}]\n`;
    expect(parseYamlManifest(text).problems).toEqual([expect.objectContaining({ kind: "alias-expansion" })]);
  });

  it("refuses a recursive alias", () => {
    expect(fast(() => parseYamlManifest("a: &a [*a]\n")).problems).toEqual([expect.objectContaining({ kind: "alias-expansion" })]);
  });

  it("allows a few ordinary anchors", () => {
    const parsed = parseYamlManifest("base: &base {type: string}\nprops:\n  a: *base\n  b: *base\n");
    expect(parsed.problems).toEqual([]);
  });

  it("reports __proto__ keys, drops them and never pollutes", () => {
    const parsed = parseYamlManifest("startCommand:\n  type: stdio\n  __proto__:\n    polluted: true\n");
    expect(parsed.problems).toEqual([expect.objectContaining({ kind: "unsafe-key", line: 3 })]);
    expect(Object.keys((parsed.value as { startCommand: object }).startCommand)).toEqual(["type"]);
  });

  it("refuses deep nesting", () => {
    expect(parseYamlManifest(`a: ${"[".repeat(40)}1${"]".repeat(40)}\n`).problems).toEqual([expect.objectContaining({ kind: "too-deep" })]);
  });

  it("reports a multi-document stream as a syntax problem", () => {
    expect(parseYamlManifest("a: 1\n---\nb: 2\n").problems[0].kind).toBe("syntax");
  });
});

describe("parseTomlManifest", () => {
  it("reads tables and locates headers and keys", () => {
    const text = 'model = "x"\n\n[mcp_servers.docs]\ncommand = "npx"\nargs = ["a"]\n\n[mcp_servers."my.server"]\nurl = "https://x"\n';
    const parsed = parseTomlManifest(text);
    expect(parsed.problems).toEqual([]);
    expect(parsed.locate(["mcp_servers", "docs", "args"]).line).toBe(5);
    expect(parsed.locate(["mcp_servers", "my.server"]).line).toBe(7);
  });

  it("reports syntax errors with line and column", () => {
    const parsed = parseTomlManifest('[a]\nb = "x\n');
    expect(parsed.problems[0]).toEqual(expect.objectContaining({ kind: "syntax", line: 2 }));
  });

  it("reports duplicate keys", () => {
    expect(parseTomlManifest('a = 1\na = 2\n').problems).toEqual([expect.objectContaining({ kind: "duplicate-key", line: 2 })]);
  });

  it("refuses __proto__ keys", () => {
    expect(parseTomlManifest('[__proto__]\nisAdmin = true\n').problems).toEqual([expect.objectContaining({ kind: "unsafe-key" })]);
  });

  it("refuses deep inline nesting", () => {
    expect(parseTomlManifest(`x = ${"[".repeat(40)}1${"]".repeat(40)}\n`).problems).toEqual([expect.objectContaining({ kind: "too-deep" })]);
  });

  it("refuses deep dotted tables", () => {
    const header = Array.from({ length: 40 }, (_, i) => `k${i}`).join(".");
    expect(parseTomlManifest(`[${header}]\nv = 1\n`).problems).toEqual([expect.objectContaining({ kind: "too-deep" })]);
  });
});

describe("locations and snippets", () => {
  it("yamlLine follows indentation, not the first match", () => {
    const lines = new LineIndex("other:\n  type: x\nstartCommand:\n  type: stdio\n");
    expect(yamlLine(lines, ["startCommand", "type"])).toBe(4);
  });

  it("tomlLine finds inline server tables", () => {
    const lines = new LineIndex('[mcp_servers]\ndocs = { command = "npx" }\n');
    expect(tomlLine(lines, ["mcp_servers", "docs"])).toBe(2);
  });

  it("snippets are short and printable", () => {
    const [p] = withSnippets([{ kind: "encoding", message: "x", line: 1, column: 300 }], `${"a".repeat(290)}\u0001\u0002${"b".repeat(1000)}`);
    expect(p.snippet!.length).toBeLessThanOrEqual(170);
    expect(p.snippet).not.toMatch(/[\u0000-\u001f]/);
  });
});
