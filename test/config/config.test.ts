import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  CONFIG_PATH,
  DEFAULT_CONFIG,
  MAX_CONFIG_BYTES,
  configJsonSchema,
  findIgnore,
  isExcluded,
  parseConfig,
  parseConfigText,
} from "../../lib/config/index.js";
import { configSchema } from "../../lib/config/schema.js";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..", "..");

describe("parseConfig", () => {
  test("null, undefined and empty objects give the defaults without errors", () => {
    for (const raw of [null, undefined, {}]) {
      const { config, errors } = parseConfig(raw);
      expect(errors).toEqual([]);
      expect(config).toEqual({
        paths: { exclude: [] },
        ignore: [],
        issue: { minSeverity: "low", labels: ["security", "mcp-warden"] },
      });
    }
  });

  test("a valid configuration is read as written", () => {
    const { config, errors } = parseConfig({
      paths: { exclude: ["examples/**", "./docs/**"] },
      ignore: [
        { rule: "MCPW-EXEC-001", path: "scripts/**", reason: "build scripts, never exposed as tools" },
        { rule: "*", reason: "  everything in this repo is a demo  " },
      ],
      issue: { minSeverity: "high", labels: ["sec"] },
    });
    expect(errors).toEqual([]);
    expect(config.paths.exclude).toEqual(["examples/**", "docs/**"]);
    expect(config.ignore).toEqual([
      { rule: "MCPW-EXEC-001", path: "scripts/**", reason: "build scripts, never exposed as tools" },
      { rule: "*", reason: "everything in this repo is a demo" },
    ]);
    expect(config.issue).toEqual({ minSeverity: "high", labels: ["sec"] });
  });

  test("a bad minSeverity falls back alone; the good ignore list survives", () => {
    const { config, errors } = parseConfig({
      ignore: [{ rule: "MCPW-SECRET-001", reason: "test keys" }],
      issue: { minSeverity: "urgent", labels: ["a"] },
    });
    expect(config.issue.minSeverity).toBe("low");
    expect(config.issue.labels).toEqual(["a"]);
    expect(config.ignore).toHaveLength(1);
    expect(errors).toHaveLength(1);
    expect(errors[0].field).toBe("issue.minSeverity");
    expect(errors[0].message).toMatch(/critical, high, medium, low, info/);
  });

  test("an ignore entry without a reason (or with a blank one) is dropped with an error", () => {
    const { config, errors } = parseConfig({
      ignore: [
        { rule: "MCPW-EXEC-001" },
        { rule: "MCPW-EXEC-001", reason: "   " },
        { rule: "MCPW-SECRET-001", reason: "fixture keys are fake" },
        "MCPW-LAUNCH-001",
        { rule: "", reason: "x" },
      ],
    });
    expect(config.ignore).toEqual([{ rule: "MCPW-SECRET-001", reason: "fixture keys are fake" }]);
    expect(errors.map((e) => e.field)).toEqual(["ignore.0.reason", "ignore.1.reason", "ignore.3", "ignore.4.rule"]);
    expect(errors[0].message).toMatch(/reason is required/);
    expect(errors.every((e) => /dropped/.test(e.message))).toBe(true);
  });

  test("each invalid field falls back to its own default", () => {
    const { config, errors } = parseConfig({
      paths: "src",
      ignore: { rule: "x" },
      issue: { minSeverity: 3, labels: "security" },
    });
    expect(config).toEqual(parseConfig(undefined).config);
    expect(errors.map((e) => e.field).sort()).toEqual(["ignore", "issue.labels", "issue.minSeverity", "paths"]);
  });

  test("bad list items are dropped one by one", () => {
    const { config, errors } = parseConfig({
      paths: { exclude: ["ok/**", 5, "", "also/**"] },
      issue: { labels: ["security", 7, "x".repeat(51), "security"] },
    });
    expect(config.paths.exclude).toEqual(["ok/**", "also/**"]);
    expect(config.issue.labels).toEqual(["security"]);
    expect(errors.map((e) => e.field)).toEqual(["paths.exclude.1", "paths.exclude.2", "issue.labels.1", "issue.labels.2"]);
  });

  test("an empty label list is allowed (no labels)", () => {
    expect(parseConfig({ issue: { labels: [] } })).toEqual({
      config: { ...parseConfig(null).config, issue: { minSeverity: "low", labels: [] } },
      errors: [],
    });
  });

  test("unknown keys are reported at every level but are not fatal", () => {
    const { config, errors } = parseConfig({
      ignores: [],
      issue: { minSeverty: "high", minSeverity: "medium" },
      paths: { excludes: ["x"] },
      ignore: [{ rule: "MCPW-EXEC-001", reason: "ok", comment: "extra" }],
    });
    expect(config.issue.minSeverity).toBe("medium");
    expect(config.ignore).toHaveLength(1);
    expect(errors.map((e) => e.field).sort()).toEqual(["ignore.0.comment", "ignores", "issue.minSeverty", "paths.excludes"]);
    expect(errors[0].message).toMatch(/unknown key/);
  });

  test("Probot's `_extends` key is not reported as unknown", () => {
    expect(parseConfig({ _extends: ".github", issue: { minSeverity: "high" } }).errors).toEqual([]);
  });

  test("a top level that is not a mapping is an error and gives defaults", () => {
    for (const raw of ["hello", 42, ["a"], true]) {
      const { config, errors } = parseConfig(raw);
      expect(config).toEqual(parseConfig(null).config);
      expect(errors).toHaveLength(1);
      expect(errors[0].field).toBe("(root)");
    }
  });

  test("never throws on hostile objects", () => {
    const hostile = {
      get ignore(): unknown {
        throw new Error("boom");
      },
    };
    const { config, errors } = parseConfig(hostile);
    expect(config).toEqual(parseConfig(null).config);
    expect(errors[0].message).toMatch(/boom/);
  });

  test("caps long lists", () => {
    const ignore = Array.from({ length: 600 }, (_, i) => ({ rule: `R-${i}`, reason: "r" }));
    const { config, errors } = parseConfig({ ignore });
    expect(config.ignore).toHaveLength(500);
    expect(errors[0].message).toMatch(/too many/);
  });

  test("DEFAULT_CONFIG cannot be mutated by callers", () => {
    expect(() => (DEFAULT_CONFIG.issue.labels as string[]).push("x")).toThrow();
    const a = parseConfig(null).config;
    a.issue.labels.push("mine");
    expect(parseConfig(null).config.issue.labels).toEqual(["security", "mcp-warden"]);
  });
});

describe("parseConfigText", () => {
  test("reads the example configuration from docs/configuration.md", () => {
    const doc = readFileSync(join(root, "docs", "configuration.md"), "utf8");
    const yaml = /```yaml\n([\s\S]*?)```/.exec(doc)?.[1];
    expect(yaml).toBeDefined();
    const { config, errors } = parseConfigText(yaml!);
    expect(errors).toEqual([]);
    expect(config.ignore.length).toBeGreaterThan(0);
    expect(config.issue.minSeverity).toBe("medium");
  });

  test("empty and comment-only files give defaults without errors", () => {
    for (const text of ["", "   \n", "# nothing here\n", "---\n"]) {
      expect(parseConfigText(text)).toEqual({ config: parseConfig(null).config, errors: [] });
    }
  });

  test("a YAML syntax error gives one error with its 1-based line and column, and defaults", () => {
    const text = "issue:\n  minSeverity: high\nignore: [\n  { rule: x, reason: y }\n  oops: : :\n";
    const { config, errors } = parseConfigText(text);
    expect(config).toEqual(parseConfig(null).config);
    expect(errors).toHaveLength(1);
    expect(errors[0].field).toBe("(file)");
    expect(errors[0].line).toBeGreaterThanOrEqual(4);
    expect(errors[0].column).toBeGreaterThanOrEqual(1);
    expect(errors[0].message).toMatch(/^YAML syntax error at line \d+, column \d+/);
  });

  test("a bad indentation error points at its line", () => {
    const { errors } = parseConfigText("issue:\n  minSeverity: high\n    labels: [a]\n");
    expect(errors[0].line).toBe(3);
  });

  test("custom tags are not executed or constructed (plain data only)", () => {
    const { config, errors } = parseConfigText('issue:\n  minSeverity: !!js/function "function () { return 1 }"\n');
    expect(config.issue.minSeverity).toBe("low");
    expect(errors).toHaveLength(1);
  });

  test("YAML-1.1 surprises do not apply: `on`/`no` stay strings under JSON_SCHEMA", () => {
    const { config, errors } = parseConfigText("issue:\n  labels: [no, on, 1.0]\n");
    // Non-string scalars (1.0) are rejected item by item; the rest is read as text.
    expect(config.issue.labels).toEqual(["no", "on"]);
    expect(errors.map((e) => e.field)).toEqual(["issue.labels.2"]);
  });

  test("billion laughs: alias expansion is refused quickly instead of exhausting memory", () => {
    const lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    const names = "abcdefghi";
    for (let i = 1; i < names.length; i++) {
      const prev = names[i - 1];
      lines.push(`${names[i]}: &${names[i]} [${Array(9).fill(`*${prev}`).join(",")}]`);
    }
    lines.push("issue: { labels: *i }");
    const { config, errors } = parseConfigText(lines.join("\n"));
    expect(config).toEqual(parseConfig(null).config);
    expect(errors).toHaveLength(1);
    expect(errors[0].message).toMatch(/alias/i);
  });

  test("a few aliases (normal YAML use) still work", () => {
    const { config, errors } = parseConfigText(
      "x-reason: &why generated code\nignore:\n  - { rule: MCPW-EXEC-001, path: gen/**, reason: *why }\n",
    );
    expect(config.ignore).toEqual([{ rule: "MCPW-EXEC-001", path: "gen/**", reason: "generated code" }]);
    expect(errors.map((e) => e.field)).toEqual(["x-reason"]);
  });

  test("deep nesting is refused with an error, not a stack overflow", () => {
    const text = "paths: " + "[".repeat(5000) + "]".repeat(5000);
    const { errors } = parseConfigText(text);
    expect(errors).toHaveLength(1);
    expect(errors[0].field).toBe("(file)");
  });

  test("input over 64 KiB is refused before parsing", () => {
    const text = "# " + "x".repeat(MAX_CONFIG_BYTES) + "\n";
    const { config, errors } = parseConfigText(text);
    expect(config).toEqual(parseConfig(null).config);
    expect(errors[0].message).toMatch(/over the 65536-byte limit/);
  });

  test("several documents: the first is used, with an error", () => {
    const { config, errors } = parseConfigText("issue: { minSeverity: high }\n---\nissue: { minSeverity: info }\n");
    expect(config.issue.minSeverity).toBe("high");
    expect(errors[0].message).toMatch(/2 YAML documents/);
  });

  test("binary garbage gives an error, not a crash", () => {
    const garbage = Array.from({ length: 2000 }, (_, i) => String.fromCharCode((i * 7919) % 256)).join("");
    const { config } = parseConfigText(garbage);
    expect(config).toBeDefined();
  });
});

describe("findIgnore and isExcluded", () => {
  const { config } = parseConfig({
    paths: { exclude: ["examples", "**/*.generated.ts"] },
    ignore: [
      { rule: "MCPW-EXEC-001", path: "scripts/**", reason: "build scripts" },
      { rule: "*", path: ".github/**", reason: "CI only" },
      { rule: "MCPW-SECRET-001", reason: "all fake" },
    ],
  });

  test("rule exact and path glob both have to match", () => {
    expect(findIgnore({ ruleId: "MCPW-EXEC-001", path: "scripts/build.ts" }, config)?.reason).toBe("build scripts");
    expect(findIgnore({ ruleId: "MCPW-EXEC-001", path: "src/server.ts" }, config)).toBeUndefined();
    expect(findIgnore({ ruleId: "MCPW-EXEC-0011", path: "scripts/build.ts" }, config)).toBeUndefined();
  });

  test('"*" matches any rule, and globs match dotfiles', () => {
    expect(findIgnore({ ruleId: "MCPW-LAUNCH-001", path: ".github/workflows/ci.yml" }, config)?.reason).toBe("CI only");
  });

  test("an entry without a path applies everywhere", () => {
    expect(findIgnore({ ruleId: "MCPW-SECRET-001", path: "deep/down/.env" }, config)?.reason).toBe("all fake");
  });

  test("exclusion globs; a bare folder name covers its contents", () => {
    expect(isExcluded("examples/server/index.ts", config)).toBe(true);
    expect(isExcluded("src/api.generated.ts", config)).toBe(true);
    expect(isExcluded("src/examples.ts", config)).toBe(false);
    expect(isExcluded("src/index.ts", config)).toBe(false);
  });
});

describe("schema and docs", () => {
  test("every field of the schema has a description", () => {
    const missing: string[] = [];
    const visited: string[] = [];
    const walk = (schema: unknown, path: string): void => {
      visited.push(path);
      const s = schema as { description?: string; def?: { type?: string; innerType?: unknown; element?: unknown; shape?: Record<string, unknown> } };
      if (!s.description) missing.push(path);
      let def = s.def;
      // Look through default/optional wrappers to the object or array inside.
      while (def?.innerType) def = (def.innerType as typeof s).def;
      if (def?.shape) for (const [k, v] of Object.entries(def.shape)) walk(v, `${path}.${k}`);
      if (def?.type === "array" && def.element) walk(def.element, `${path}[]`);
    };
    walk(configSchema, "config");
    expect(missing).toEqual([]);
    expect(visited).toEqual(expect.arrayContaining(["config.ignore[].reason", "config.issue.labels[]", "config.paths.exclude[]"]));
  });

  test("docs/configuration.md names every field and its default", () => {
    const doc = readFileSync(join(root, "docs", "configuration.md"), "utf8");
    for (const field of ["paths.exclude", "ignore", "ignore[].rule", "ignore[].path", "ignore[].reason", "issue.minSeverity", "issue.labels"]) {
      expect(doc).toContain(`\`${field}\``);
    }
    expect(doc).toContain(CONFIG_PATH);
    expect(doc).toContain('["security", "mcp-warden"]');
  });

  test("the JSON schema can be generated", () => {
    const schema = configJsonSchema() as { properties?: Record<string, unknown> };
    expect(Object.keys(schema.properties ?? {}).sort()).toEqual(["ignore", "issue", "paths"]);
  });
});
