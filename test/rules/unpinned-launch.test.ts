import { join } from "node:path";
import { extractClientConfigs } from "../../lib/extract/client-config.js";
import { analyseLaunch, classifyNpmSpec, classifyPypiSpec, splitCommandLine } from "../../lib/rules/launch-command.js";
import { CONFIG_PARSE_RULE, IMAGE_RULE, LAUNCH_RULE, unpinnedLaunch } from "../../lib/rules/unpinned-launch.js";
import { analyseContainerLaunch } from "../../lib/rules/launch-command.js";
import { CATEGORIES } from "../../lib/model.js";
import { escapeProse } from "../../lib/report/sanitize.js";
import type { Dependency } from "../../lib/deps/types.js";
import { FIXTURES, contextOf, snapshotOf, snapshotOfDir } from "../extract/client-config-helpers.js";

/** One .mcp.json with one server launched as given. */
function run(command: string | undefined, args: string[], extra: { deps?: Dependency[]; path?: string } = {}) {
  const entry: Record<string, unknown> = { args };
  if (command !== undefined) entry.command = command;
  const path = extra.path ?? ".mcp.json";
  const snapshot = snapshotOf({ [path]: JSON.stringify({ mcpServers: { srv: entry } }, null, 2) });
  const deps = { dependencies: extra.deps ?? [], unresolved: [], problems: [] };
  return unpinnedLaunch.run(contextOf(snapshot, { deps }));
}

describe("MCPW-LAUNCH-001 positives: a package launched without an exact version", () => {
  const cases: [string, string | undefined, string[], string][] = [
    ["npx -y pkg", "npx", ["-y", "some-mcp-server"], "some-mcp-server"],
    ["npx without -y", "npx", ["some-mcp-server", "--port", "3000"], "some-mcp-server"],
    ["npx --yes scoped, no version", "npx", ["--yes", "@scope/server"], "@scope/server"],
    ["@latest", "npx", ["-y", "pkg@latest"], "pkg"],
    ["caret range", "npx", ["-y", "@scope/pkg@^1"], "@scope/pkg"],
    ["npx -p pkg cmd", "npx", ["-p", "@scope/tools", "tools-mcp"], "@scope/tools"],
    ["npx --package=pkg cmd", "npx", ["--package=@scope/tools@~2.1.0", "tools-mcp"], "@scope/tools"],
    ["npm exec", "npm", ["exec", "--yes", "--", "mcp-thing"], "mcp-thing"],
    ["pnpm dlx", "pnpm", ["dlx", "mcp-thing@next"], "mcp-thing"],
    ["yarn dlx", "yarn", ["dlx", "mcp-thing"], "mcp-thing"],
    ["bunx", "bunx", ["mcp-thing"], "mcp-thing"],
    ["uvx", "uvx", ["mcp-server-fetch"], "mcp-server-fetch"],
    ["uvx @latest", "uvx", ["mcp-server-git@latest", "--repository", "."], "mcp-server-git"],
    ["uvx range", "uvx", ["mcp-server-time>=0.6"], "mcp-server-time"],
    ["uvx --from", "uvx", ["--from", "my-tools", "my-mcp"], "my-tools"],
    ["uv tool run", "uv", ["tool", "run", "mcp-server-sqlite", "--db", "x.db"], "mcp-server-sqlite"],
    ["pipx run", "pipx", ["run", "mcp-server-fetch"], "mcp-server-fetch"],
    ["command string", "npx -y some-mcp-server", [], "some-mcp-server"],
    ["Windows cmd /c", "cmd", ["/c", "npx", "-y", "some-mcp-server"], "some-mcp-server"],
    ["absolute path to npx.cmd", "C:\\Program Files\\nodejs\\npx.cmd", ["-y", "some-mcp-server"], "some-mcp-server"],
    ["sh -c", "sh", ["-c", "npx -y some-mcp-server --flag"], "some-mcp-server"],
    ["github shorthand without commit", "npx", ["-y", "github:owner/repo"], "github:owner/repo"],
  ];
  test.each(cases)("%s", (_label, command, args, pkg) => {
    const findings = run(command, args);
    expect(findings).toHaveLength(1);
    const [f] = findings;
    expect(f).toMatchObject({
      ruleId: LAUNCH_RULE,
      category: "unpinned-launch",
      severity: "medium",
      confidence: "high",
      cwe: ["CWE-829"],
      owasp: ["MCP04"],
      path: ".mcp.json",
      line: 3,
      key: `.mcp.json#srv#${pkg}`,
    });
    expect(f.message).toContain('"srv"');
    expect(f.message).toContain(`"${pkg}"`);
    expect(f.remediation).toMatch(/Pin an exact version/);
  });

  test("remediation shows the pinned form of the same args", () => {
    const [f] = run("npx", ["-y", "@modelcontextprotocol/server-github"]);
    expect(f.remediation).toContain('"args": ["-y", "@modelcontextprotocol/server-github@1.2.3"]');
    const [u] = run("uvx", ["mcp-server-fetch"]);
    expect(u.remediation).toContain('"args": ["mcp-server-fetch==1.2.3"]');
    const [p] = run("npx", ["--package=@scope/tools", "tools-mcp"]);
    expect(p.remediation).toContain('"args": ["--package=@scope/tools@1.2.3", "tools-mcp"]');
  });

  test("the pinned args are a code span, so a URL argument renders without an invisible de-linking character", () => {
    const [f] = run("npx", ["-y", "mcp-remote", "https://calendar.example.com/mcp"]);
    expect(f.remediation).toContain('`"args": ["-y", "mcp-remote@1.2.3", "https://calendar.example.com/mcp"]`');
    expect(escapeProse(f.remediation, 1200)).toContain("https://calendar.example.com/mcp");
    expect(escapeProse(f.remediation, 1200)).not.toContain("\u200D");
  });

  test("uvx --with extras are checked too", () => {
    const findings = run("uvx", ["--with", "httpx,rich==13.7.1", "mcp-server-fetch==1.0.0"]);
    expect(findings.map((f) => f.key)).toEqual([".mcp.json#srv#httpx"]);
    expect(findings[0].message).toMatch(/extra package/);
  });
});

describe("MCPW-LAUNCH-001 negatives: pinned, local or not a package launch", () => {
  const cases: [string, string | undefined, string[]][] = [
    ["npx pinned", "npx", ["-y", "pkg@1.2.3"]],
    ["npx scoped pinned", "npx", ["-y", "@scope/pkg@1.2.3"]],
    ["npx pinned prerelease", "npx", ["@scope/pkg@2.0.0-beta.1"]],
    ["npx local script", "npx", ["./server.js"]],
    ["npx -p pinned + bin", "npx", ["-p", "@scope/tools@3.0.1", "tools-mcp"]],
    ["node local build", "node", ["build/index.js"]],
    ["python script", "python", ["server.py"]],
    ["docker pinned by digest", "docker", ["run", "-i", "--rm", "mcp/github@sha256:abc"]],
    ["uvx ==", "uvx", ["mcp-server-fetch==2025.4.7"]],
    ["uvx @version", "uvx", ["mcp-server-fetch@2025.4.7"]],
    ["uvx --from pinned", "uvx", ["--from", "my-tools==1.0.0", "my-mcp"]],
    ["uvx local directory", "uvx", ["--from", ".", "my-mcp"]],
    ["uv run (project env)", "uv", ["run", "--directory", "/srv/app", "server.py"]],
    ["pipx run --spec pinned", "pipx", ["run", "--spec", "mcp-server-fetch==1.0.0", "mcp-server-fetch"]],
    ["npm start", "npm", ["start"]],
    ["git commit pinned", "npx", ["-y", "github:owner/repo#0123456789abcdef0123456789abcdef01234567"]],
    ["value from a client input", "npx", ["-y", "${input:package}"]],
    ["npx -c with no package", "npx", ["-c", "echo hi"]],
  ];
  test.each(cases)("%s", (_label, command, args) => {
    expect(run(command, args)).toEqual([]);
  });

  test("remote servers (url only) are not launches", () => {
    const snapshot = snapshotOf({ ".mcp.json": '{"mcpServers": {"r": {"type": "http", "url": "https://x.example/mcp"}}}' });
    expect(unpinnedLaunch.run(contextOf(snapshot))).toEqual([]);
  });

  test("npx of a package the project declares uses the locally installed (locked) copy", () => {
    const dep: Dependency = { ecosystem: "npm", name: "tsx", declared: "^4.0.0", version: "4.7.0", direct: true, path: "package.json", line: 10 };
    expect(run("npx", ["tsx", "src/index.ts"], { deps: [dep] })).toEqual([]);
    // ...but not for pnpm dlx, which always fetches, nor for a dependency of an unrelated folder.
    expect(run("pnpm", ["dlx", "tsx"], { deps: [dep] })).toHaveLength(1);
    const other = { ...dep, path: "packages/other/package.json" };
    expect(run("npx", ["tsx", "src/index.ts"], { deps: [other] })).toHaveLength(1);
  });
});

describe("the family on the client-config fixtures", () => {
  const snapshot = snapshotOfDir(join(FIXTURES, "client-config"));

  test("reports every unpinned launch with its entry line, and the malformed file once", () => {
    const findings = unpinnedLaunch.run(contextOf(snapshot));
    const summary = findings.map((f) => `${f.ruleId} ${f.path}:${f.line} ${f.key}`).sort();
    expect(summary).toEqual([
      `${CONFIG_PARSE_RULE} broken/mcp.json:5 broken/mcp.json#parse-error`,
      `${LAUNCH_RULE} .claude/settings.json:4 .claude/settings.json#puppeteer#@modelcontextprotocol/server-puppeteer`,
      `${LAUNCH_RULE} .vscode/mcp.json:8 .vscode/mcp.json#memory#@modelcontextprotocol/server-memory`,
      `${LAUNCH_RULE} .vscode/settings.json:5 .vscode/settings.json#time#mcp-server-time`,
      `${LAUNCH_RULE} broken/mcp.json:3 broken/mcp.json#ok#some-server`,
      `${LAUNCH_RULE} claude_desktop_config.json:3 claude_desktop_config.json#filesystem#@modelcontextprotocol/server-filesystem`,
      `${LAUNCH_RULE} nested/pkg/.mcp.json:3 nested/pkg/.mcp.json#listed#my-mcp`,
    ]);
    const parse = findings.find((f) => f.ruleId === CONFIG_PARSE_RULE)!;
    expect(parse).toMatchObject({ category: "misconfiguration", severity: "low" });
    expect(parse.message).toMatch(/line 5, column \d+/);
  });

  test("uses ctx.facts.clientConfigs when the pipeline provides them", () => {
    const facts = { files: [], clientConfigs: extractClientConfigs(snapshotOf({ ".mcp.json": '{"mcpServers":{"a":{"command":"uvx","args":["x"]}}}' })) };
    // The snapshot is empty: findings can only come from the facts.
    expect(unpinnedLaunch.run(contextOf(snapshotOf({}), { facts })).map((f) => f.key)).toEqual([".mcp.json#a#x"]);
  });
});

describe("spec classification", () => {
  test("npm specs", () => {
    expect(classifyNpmSpec("pkg")?.pinned).toBe(false);
    expect(classifyNpmSpec("pkg@1.2.3")?.pinned).toBe(true);
    expect(classifyNpmSpec("@s/pkg@1.2.3")?.pinned).toBe(true);
    expect(classifyNpmSpec("@s/pkg@1.x")?.problem).toBe("version range 1.x");
    expect(classifyNpmSpec("pkg@beta")?.problem).toBe("dist-tag beta");
    expect(classifyNpmSpec("./x")).toBeUndefined();
    expect(classifyNpmSpec("https://example.com/pkg.tgz")).toBeUndefined();
  });

  test("PyPI specs", () => {
    expect(classifyPypiSpec("pkg[cli]==1.0")?.pinned).toBe(true);
    expect(classifyPypiSpec("pkg===1.0")?.pinned).toBe(true);
    expect(classifyPypiSpec("pkg==1.*")?.pinned).toBe(false);
    expect(classifyPypiSpec("pkg~=1.0")?.pinned).toBe(false);
    expect(classifyPypiSpec("git+https://github.com/o/r")?.pinned).toBe(false);
    expect(classifyPypiSpec("git+https://github.com/o/r@0123456789abcdef0123456789abcdef01234567")?.pinned).toBe(true);
    expect(classifyPypiSpec("/abs/path")).toBeUndefined();
  });

  test("command-line splitting and unwrapping", () => {
    expect(splitCommandLine(`npx -y "my pkg" 'a b' c\\"d ""`)).toEqual(["npx", "-y", "my pkg", "a b", 'c"d', ""]);
    expect(analyseLaunch("env", ["FOO=1", "npx", "-y", "x"]).packages.map((p) => p.name)).toEqual(["x"]);
    expect(analyseLaunch(undefined, []).packages).toEqual([]);
    expect(analyseLaunch("bash", ["-lc"]).packages).toEqual([]);
  });

  test("hostile input stays bounded", () => {
    const args = Array.from({ length: 10_000 }, () => "-y");
    expect(analyseLaunch("npx", args).packages).toEqual([]);
    expect(analyseLaunch("npx " + "a ".repeat(100_000), []).packages.length).toBeLessThanOrEqual(1);
    const start = Date.now();
    expect(classifyPypiSpec(`mcp-server-fetch@1${".1".repeat(100_000)}#`)?.pinned).toBe(false);
    expect(classifyNpmSpec(`github:o/r${"#".repeat(100_000)}\n`)?.pinned).toBe(false);
    expect(classifyPypiSpec(`mcp-server-fetch${"a-".repeat(50_000)}\n!`)?.pinned).toBe(false);
    expect(Date.now() - start).toBeLessThan(5000);
  });
});

describe("MCPW-LAUNCH-001 pipx run", () => {
  test("pipx run without a version is unpinned; with --spec pinned or ==version it is not", () => {
    expect(run("pipx", ["run", "mcp-server-fetch"]).map((f) => f.key)).toEqual([".mcp.json#srv#mcp-server-fetch"]);
    expect(run("pipx", ["run", "--spec", "mcp-server-fetch>=1", "mcp-server-fetch"]).map((f) => f.ruleId)).toEqual([LAUNCH_RULE]);
    expect(run("pipx", ["run", "mcp-server-fetch==1.0.0"])).toEqual([]);
  });
});

describe("MCPW-LAUNCH-003 container images", () => {
  const positives: [string, string, string[], string][] = [
    ["no tag", "docker", ["run", "-i", "--rm", "mcp/github"], "mcp/github"],
    [":latest", "docker", ["run", "-i", "--rm", "-e", "GITHUB_TOKEN", "ghcr.io/github/github-mcp-server:latest"], "ghcr.io/github/github-mcp-server"],
    ["podman", "podman", ["run", "-i", "--rm", "--env=A=1", "quay.io/acme/mcp"], "quay.io/acme/mcp"],
    ["docker container run", "docker", ["container", "run", "-i", "mcp/time"], "mcp/time"],
    ["registry with port", "docker", ["run", "-i", "localhost:5000/mcp"], "localhost:5000/mcp"],
    ["options with values", "docker", ["--context", "remote", "run", "-i", "-v", "./d:/d", "--name", "x", "-p", "8080:80", "mcp/fetch"], "mcp/fetch"],
    ["in a shell wrapper", "sh", ["-c", "docker run -i --rm mcp/github"], "mcp/github"],
  ];
  test.each(positives)("%s", (_label, command, args, name) => {
    const findings = run(command, args).filter((f) => f.ruleId === IMAGE_RULE);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ category: "unpinned-launch", severity: "medium", key: `.mcp.json#srv#image:${name}`, line: 3 });
    expect(findings[0].remediation).toMatch(/@sha256:/);
  });

  const negatives: [string, string, string[]][] = [
    ["version tag and digest", "docker", ["run", "-i", "--rm", "mcp/github:1.2@sha256:aaaabbbbccccddddeeeeffff0000111122223333444455556666777788889999"]],
    ["digest only", "docker", ["run", "-i", "mcp/github@sha256:aaaabbbbccccddddeeeeffff0000111122223333444455556666777788889999"]],
    [":latest with digest", "docker", ["run", "mcp/github:latest@sha256:aaaabbbbccccddddeeeeffff0000111122223333444455556666777788889999"]],
    ["version tag", "docker", ["run", "-i", "--rm", "mcp/github:1.2.3"]],
    ["image from an input", "docker", ["run", "-i", "${input:image}"]],
    ["not run", "docker", ["compose", "up"]],
    ["docker exec", "docker", ["exec", "-i", "container", "mcp"]],
  ];
  test.each(negatives)("not: %s", (_label, command, args) => {
    expect(run(command, args)).toEqual([]);
  });

  test("options are read with their values", () => {
    const launch = analyseContainerLaunch("docker", ["run", "-it", "--rm", "-e", "A=1", "--volume=/x:/y", "-eB=2", "img:1", "--flag"]);
    expect(launch?.image).toMatchObject({ ref: "img:1", name: "img", tag: "1" });
    expect(launch?.options.map((o) => [o.name, o.value])).toEqual([
      ["--interactive", undefined],
      ["--tty", undefined],
      ["--rm", undefined],
      ["--env", "A=1"],
      ["--volume", "/x:/y"],
      ["--env", "B=2"],
    ]);
  });
});

test("every rule of the family is documented with every field", () => {
  for (const rule of unpinnedLaunch.rules) {
    for (const field of ["title", "category", "severity", "looksFor", "ignores", "remediation"] as const) expect(rule[field]).toBeTruthy();
    expect(CATEGORIES).toContain(rule.category);
  }
});
