import type { Advisory } from "../../lib/advisories/types.js";
import { collectDependencies } from "../../lib/deps/index.js";
import { closeTo, editDistance, lookalikeOf, visualSkeleton } from "../../lib/deps/lookalike.js";
import type { McpServer } from "../../lib/detect/types.js";
import { emptyManifests } from "../../lib/manifests/index.js";
import type { RawFinding } from "../../lib/model.js";
import { dependencySupplyChain, isOpenRange } from "../../lib/rules/dependency-supply-chain.js";
import { RULE_FAMILIES } from "../../lib/rules/index.js";
import { advisory } from "../advisories/helpers.js";
import { server, snapshotOf } from "../deps/helpers.js";

function run(files: Record<string, string>, servers: McpServer[] = [server(".")], advisories: Advisory[] = []): RawFinding[] {
  const snapshot = snapshotOf(files);
  const deps = collectDependencies(snapshot, servers);
  return dependencySupplyChain.run({ snapshot, servers, facts: { files: [] }, deps, advisories, manifests: emptyManifests() });
}

const only = (findings: RawFinding[], ruleId: string) => findings.filter((f) => f.ruleId === ruleId);
const pkg = (deps: Record<string, string>, extra: object = {}) => JSON.stringify({ name: "srv", version: "1.0.0", dependencies: deps, ...extra }, null, 2);
const SHA = "0123456789abcdef0123456789abcdef01234567";

describe("rule family registration", () => {
  test("registered once, every rule id documented with every field", () => {
    expect(RULE_FAMILIES.filter((f) => f.id === "dependency-supply-chain")).toHaveLength(1);
    expect(dependencySupplyChain.rules.map((r) => r.id)).toEqual(["MCPW-DEP-002", "MCPW-DEP-003", "MCPW-DEP-004", "MCPW-DEP-005", "MCPW-DEP-006"]);
    for (const rule of dependencySupplyChain.rules) {
      for (const field of ["title", "category", "severity", "looksFor", "ignores", "remediation"] as const) expect(rule[field]).toBeTruthy();
    }
  });
});

describe("MCPW-DEP-002 lockfile missing for a deployed server", () => {
  test("package.json with registry dependencies, a Dockerfile and no lockfile", () => {
    const [f, ...rest] = only(run({ "package.json": pkg({ zod: "^3.23.0" }), Dockerfile: "FROM node:20\n" }), "MCPW-DEP-002");
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ path: "package.json", severity: "medium", category: "supply-chain", key: "npm:no-lockfile" });
    expect(f.evidence).toContain("Dockerfile");
    expect(f.remediation).toContain("npm ci");
  });

  test("a start script is deployment evidence, with its line", () => {
    const text = pkg({ zod: "^3.23.0" }, { scripts: { build: "tsc", start: "node dist/index.js" } });
    const [f] = only(run({ "package.json": text }), "MCPW-DEP-002");
    const line = text.split("\n").findIndex((l) => l.includes('"start"')) + 1;
    expect(f.evidence).toContain(`a start script (package.json:${line})`);
  });

  test("Python project deployed through smithery.yaml, in a server folder", () => {
    const findings = only(
      run({ "servers/py/pyproject.toml": '[project]\nname = "srv"\ndependencies = ["mcp>=1.9,<2", "httpx"]\n', "servers/py/smithery.yaml": "startCommand:\n  type: stdio\n" }, [server("servers/py", "python")]),
      "MCPW-DEP-002",
    );
    expect(findings.map((f) => [f.path, f.server])).toEqual([["servers/py/pyproject.toml", "servers/py"]]);
    expect(findings[0].message).toContain("2 PyPI dependencies");
  });

  test("libraries, lockfiles, workspace lockfiles and fully pinned requirements are fine", () => {
    // A published CLI: npx never reads the repository's lockfile.
    expect(only(run({ "package.json": pkg({ zod: "^3.23.0" }, { bin: { srv: "dist/index.js" } }) }), "MCPW-DEP-002")).toEqual([]);
    const deployed = { "package.json": pkg({ zod: "^3.23.0" }), Dockerfile: "FROM node:20\n" };
    const lock = JSON.stringify({ lockfileVersion: 3, packages: { "": { dependencies: { zod: "^3.23.0" } }, "node_modules/zod": { version: "3.23.8" } } });
    expect(only(run({ ...deployed, "package-lock.json": lock }), "MCPW-DEP-002")).toEqual([]);
    expect(only(run({ ...deployed, "pnpm-lock.yaml": "lockfileVersion: '9.0'\nimporters:\n  .:\n    dependencies:\n      zod:\n        specifier: ^3.23.0\n        version: 3.23.8\npackages:\n  zod@3.23.8:\n    resolution: {integrity: sha512-x}\n" }), "MCPW-DEP-002")).toEqual([]);
    expect(only(run({ ...deployed, "bun.lock": "{}" }), "MCPW-DEP-002")).toEqual([]);
    // A broken lockfile is a parse problem, not a missing lockfile.
    expect(only(run({ ...deployed, "package-lock.json": "{ broken" }), "MCPW-DEP-002")).toEqual([]);
    expect(
      only(run({ "yarn.lock": '"zod@^3.23.0":\n  version "3.23.8"\n', "packages/srv/package.json": pkg({ zod: "^3.23.0" }), "packages/srv/Dockerfile": "FROM node\n" }, [server("packages/srv")]), "MCPW-DEP-002"),
    ).toEqual([]);
    expect(only(run({ "requirements.txt": "mcp==1.23.0\nhttpx==0.28.1 \\\n    --hash=sha256:abc\n", Dockerfile: "FROM python\n" }, [server(".", "python")]), "MCPW-DEP-002")).toEqual([]);
    expect(only(run({ "pyproject.toml": '[project]\nname = "x"\ndependencies = ["mcp>=1"]\n', "uv.lock": 'version = 1\n[[package]]\nname = "mcp"\nversion = "1.23.0"\n', Dockerfile: "FROM python\n" }, [server(".", "python")]), "MCPW-DEP-002")).toEqual([]);
    // Nothing a lockfile would pin.
    expect(only(run({ "package.json": pkg({}), Dockerfile: "FROM node\n" }), "MCPW-DEP-002")).toEqual([]);
  });

  test("ranges in requirements.txt with a Dockerfile are reported", () => {
    expect(only(run({ "requirements.txt": "mcp>=1.9\nhttpx==0.28.1\n", Dockerfile: "FROM python\n" }, [server(".", "python")]), "MCPW-DEP-002")).toHaveLength(1);
  });
});

describe("MCPW-DEP-003 dependencies from git, URLs and outside paths", () => {
  const findings = only(
    run({
      "package.json": pkg({
        a: "github:someone/a",
        b: `git+https://github.com/someone/b.git#${SHA}`,
        c: "https://example.com/c-1.0.0.tgz",
        d: "http://example.com/d-1.0.0.tgz",
        e: "file:../../elsewhere/e",
        f: "file:./packages/f",
        g: "workspace:*",
        h: "^1.2.3",
        i: "someone/i#main",
        j: "git+https://user:s3cr3tpassw0rd@git.example.com/j.git",
        k: "npm:real-k@^1.0.0",
      }),
    }),
    "MCPW-DEP-003",
  );
  const by = new Map(findings.map((f) => [f.evidence.split(":")[0], f]));

  test("git without a commit is medium, pinned to a full commit is low", () => {
    expect(by.get("a")).toMatchObject({ severity: "medium", path: "package.json" });
    expect(by.get("i")?.severity).toBe("medium");
    expect(by.get("b")?.severity).toBe("low");
    expect(by.get("b")?.message).toContain(SHA.slice(0, 12));
  });

  test("tarball URLs are medium, plain http high; outside paths medium", () => {
    expect(by.get("c")?.severity).toBe("medium");
    expect(by.get("d")?.severity).toBe("high");
    expect(by.get("e")?.message).toContain("outside this repository");
  });

  test("registry versions, aliases, workspace and in-repository paths are not findings", () => {
    expect([...by.keys()].sort()).toEqual(["a", "b", "c", "d", "e", "i", "j"]);
  });

  test("a spec of hostile length is cleaned of credentials in linear time", () => {
    const start = Date.now();
    const findings = run({ "package.json": pkg({ x: `https://${"a".repeat(100_000)}.example.com/x.tgz` }) });
    expect(Date.now() - start).toBeLessThan(5000);
    expect(only(findings, "MCPW-DEP-003")).toHaveLength(1);
  });

  test("credentials in a URL never reach the output", () => {
    const j = by.get("j")!;
    expect(JSON.stringify(j)).not.toContain("s3cr3tpassw0rd");
    expect(j.evidence).toContain("https://***@git.example.com");
  });

  test("Python: requirements, PEP 508 direct references, Poetry and uv sources", () => {
    const py = only(
      run(
        {
          "requirements.txt": `git+https://github.com/a/tool.git@main#egg=tool\nlib @ git+https://github.com/a/lib.git@${SHA}\n-e .\n./vendor/inside\n../../outside-pkg\nhttpx==0.28.1\n`,
          "pyproject.toml": [
            "[project]",
            'name = "srv"',
            'dependencies = ["mcp>=1.23", "wheelpkg @ https://example.com/wheelpkg-1.0-py3-none-any.whl"]',
            "[tool.poetry.dependencies]",
            `forked = { git = "https://github.com/a/forked.git", rev = "${SHA}" }`,
            'sibling = { path = "../../sibling" }',
            "[tool.uv.sources]",
            'mcp = { git = "https://github.com/a/mcp-fork", branch = "main" }',
            "",
          ].join("\n"),
        },
        [server(".", "python")],
      ),
      "MCPW-DEP-003",
    );
    const sev = Object.fromEntries(py.map((f) => [f.evidence.split(":")[0], f.severity]));
    expect(sev).toEqual({ tool: "medium", lib: "low", "outside-pkg": "medium", wheelpkg: "medium", forked: "low", sibling: "medium", mcp: "medium" });
  });

  test("Go: a replace with a folder outside the module's repository", () => {
    const go = only(
      run({ "go.mod": "module example.com/srv\n\ngo 1.22\n\nrequire example.com/lib v1.0.0\n\nreplace example.com/lib => ../../lib\nreplace example.com/inner => ./internal/inner\n" }, [server(".", "go")]),
      "MCPW-DEP-003",
    );
    expect(go.map((f) => [f.evidence, f.line])).toEqual([["example.com/lib: ../../lib", 7]]);
  });
});

describe("MCPW-DEP-004 open ranges on MCP SDKs", () => {
  test("*, latest, >= and a dist-tag without a lockfile", () => {
    for (const spec of ["*", "latest", ">=1.0.0", "next", "", "x", ">1.2 || ^0.5"]) {
      const f = only(run({ "package.json": pkg({ "@modelcontextprotocol/sdk": spec }) }), "MCPW-DEP-004");
      expect([spec, f.length]).toEqual([spec, 1]);
    }
  });

  test("bounded ranges, non-SDK packages and lockfile-resolved ranges are fine", () => {
    for (const spec of ["^1.24.0", "~1.24.0", "1.24.0", ">=1.0.0 <2.0.0", "1.x"]) {
      expect([spec, only(run({ "package.json": pkg({ "@modelcontextprotocol/sdk": spec }) }), "MCPW-DEP-004").length]).toEqual([spec, 0]);
    }
    expect(only(run({ "package.json": pkg({ express: "*" }) }), "MCPW-DEP-004")).toEqual([]);
    const lock = JSON.stringify({ lockfileVersion: 3, packages: { "": {}, "node_modules/@modelcontextprotocol/sdk": { version: "1.25.0" } } });
    expect(only(run({ "package.json": pkg({ "@modelcontextprotocol/sdk": "*" }), "package-lock.json": lock }), "MCPW-DEP-004")).toEqual([]);
  });

  test("Python: >=, no constraint; ~= and upper bounds are fine", () => {
    const findings = only(
      run({ "requirements.txt": "mcp>=1.9\nfastmcp\nhttpx>=0.27\n", "pyproject.toml": '[project]\nname = "x"\ndependencies = ["FastMCP~=2.13"]\n' }, [server(".", "python")]),
      "MCPW-DEP-004",
    );
    expect(findings.map((f) => f.evidence).sort()).toEqual(["fastmcp", "mcp >=1.9"]);
    expect(isOpenRange("PyPI", "~=1.9")).toBe(false);
    expect(isOpenRange("PyPI", ">=1.9,<2")).toBe(false);
    expect(isOpenRange("PyPI", "!=1.10")).toBe(true);
    expect(isOpenRange("PyPI", "*")).toBe(true);
    const poetry = only(
      run({ "pyproject.toml": '[tool.poetry.dependencies]\npython = "^3.11"\nmcp = "*"\nfastmcp = "^2.13"\n' }, [server(".", "python")]),
      "MCPW-DEP-004",
    );
    expect(poetry.map((f) => [f.evidence, f.line])).toEqual([["mcp *", 3]]);
    expect(isOpenRange("npm", "workspace:*")).toBe(false);
  });
});

describe("MCPW-DEP-005 typosquats", () => {
  test.each([
    ["npm", "@modelcontextprotocoI/sdk", "@modelcontextprotocol/sdk"],
    ["npm", "@model-context-protocol/sdk", "@modelcontextprotocol/sdk"],
    ["npm", "@modelcontextprotocol-sdk/server", "@modelcontextprotocol/*"],
    ["npm", "@modelcontextprotocal/sdk", "@modelcontextprotocol/sdk"],
    ["npm", "@anthropic/sdk", "@anthropic-ai/sdk"],
    ["npm", "modelcontextprotocol-sdk", "@modelcontextprotocol/sdk"],
    ["npm", "mcp-remot", "mcp-remote"],
    ["npm", "mcp_remote", "mcp-remote"],
    ["npm", "mcp-remtoe", "mcp-remote"],
    ["npm", "fastmpc", "fastmcp"],
    ["npm", "mcp-framwork", "mcp-framework"],
    ["npm", "supergatewey", "supergateway"],
    ["PyPI", "fastmcpp", "fastmcp"],
    ["PyPI", "mcp-server-gti", "mcp-server-git"],
    ["PyPI", "mcp-server-fech", "mcp-server-fetch"],
    ["PyPI", "antrhopic", "anthropic"],
    ["Go", "github.com/mark3lab/mcp-go", "github.com/mark3labs/mcp-go"],
    ["Go", "github.com/modelcontextprotocol/go-sdkk", undefined],
    ["Go", "github.com/modeIcontextprotocol/go-sdk", "github.com/modelcontextprotocol/go-sdk"],
  ] as const)("%s %s imitates %s", (ecosystem, name, target) => {
    // The genuine owner's own modules are never look-alikes, whatever their name.
    if (target === undefined) expect(lookalikeOf(ecosystem, name)).toBeUndefined();
    else expect(lookalikeOf(ecosystem, name)?.target).toBe(target);
  });

  test.each([
    ["npm", "@modelcontextprotocol/sdk"],
    ["npm", "@modelcontextprotocol/server-filesystem"],
    ["npm", "@modelcontextprotocol/ext-apps"],
    ["npm", "@anthropic-ai/claude-code"],
    ["npm", "mcp-remote"],
    ["npm", "express"],
    ["npm", "zod"],
    ["npm", "tcp-proxy"],
    ["npm", "@types/node"],
    ["npm", "@mastra/mcp"],
    ["PyPI", "mcp"],
    ["PyPI", "MCP"],
    ["PyPI", "mcpo"],
    ["PyPI", "mcp_proxy"],
    ["PyPI", "cmp"],
    ["PyPI", "mpc"],
    ["PyPI", "fastmap"],
    ["PyPI", "fastapi"],
    ["PyPI", "mcp-server-gac"],
    ["PyPI", "mcp-server-xfetch"],
    ["PyPI", "gcp-proxy"],
    ["PyPI", "langchain-utcp-adapters"],
    ["PyPI", "anthropic"],
    ["Go", "github.com/mark3labs/mcp-go"],
    ["Go", "github.com/modelcontextprotocol/go-sdk"],
    ["Go", "github.com/someone/mcp-go"],
    ["Go", "golang.org/x/net"],
  ] as const)("%s %s is not a look-alike", (ecosystem, name) => {
    expect(lookalikeOf(ecosystem, name)).toBeUndefined();
  });

  test("edit distance: swaps cost one, and the search stops past the limit", () => {
    expect(editDistance("mcp-remote", "mcp-remtoe")).toBe(1);
    expect(editDistance("fastmcp", "fastmcp")).toBe(0);
    expect(editDistance("abcdef", "uvwxyz", 2)).toBe(3);
    expect(visualSkeleton("ModeIContext-Protoco1")).toBe("modelcontextprotocol");
    expect(closeTo("mcp-server-gac", "mcp-server-git")).toBeUndefined();
  });

  test("findings from declarations and transitive lockfile packages, once per name and server", () => {
    const lock = JSON.stringify({
      lockfileVersion: 3,
      packages: {
        "": { dependencies: { "@modeicontextprotocol/sdk": "^1.0.0", express: "^4.0.0" } },
        "node_modules/@modeicontextprotocol/sdk": { version: "1.0.0" },
        "node_modules/express": { version: "4.21.2", dependencies: { "mcp-remot": "^1.0.0" } },
        "node_modules/mcp-remot": { version: "1.0.0" },
      },
    });
    const findings = only(run({ "package.json": pkg({ "@modeicontextprotocol/sdk": "^1.0.0", express: "^4.0.0" }), "package-lock.json": lock }), "MCPW-DEP-005");
    // Declared in package.json: reported there, once; the transitive one at its lockfile entry.
    expect(findings.map((f) => [f.path, f.key]).sort()).toEqual([
      ["package-lock.json", "npm:mcp-remot"],
      ["package.json", "npm:@modeicontextprotocol/sdk"],
    ]);
    expect(findings.find((f) => f.key === "npm:mcp-remot")!.message).toContain("via express > mcp-remot");
    expect(findings[0]).toMatchObject({ severity: "high", confidence: "medium", category: "supply-chain" });
  });
});

describe("MCPW-DEP-006 SDK below a protocol-level fix", () => {
  const lock = (version: string) =>
    JSON.stringify({ lockfileVersion: 3, packages: { "": {}, "node_modules/@modelcontextprotocol/sdk": { version } } });
  const files = (version: string) => ({ "package.json": pkg({ "@modelcontextprotocol/sdk": "^1.0.0" }), "package-lock.json": lock(version) });

  test("named as the DNS-rebinding fix, with the advisory ids, when no advisory data reported it", () => {
    const [f, ...rest] = only(run(files("1.23.0")), "MCPW-DEP-006");
    expect(rest).toEqual([]);
    expect(f.message).toContain("DNS-rebinding protection is off by default");
    expect(f.message).toContain("1.24.0");
    expect(f.evidence).toContain("GHSA-w48q-cv73-mx4w / CVE-2025-66414");
    expect(f.remediation).toContain("Upgrade @modelcontextprotocol/sdk to 1.24.0");
  });

  test("not reported twice: the advisory in the scan's data makes it MCPW-DEP-001's", () => {
    expect(only(run(files("1.23.0"), [server(".")], [advisory("GHSA-w48q-cv73-mx4w")]), "MCPW-DEP-006")).toEqual([]);
    // An unrelated advisory on the same package does not count.
    expect(only(run(files("1.23.0"), [server(".")], [advisory("GHSA-8r9q-7v3j-jr4g")]), "MCPW-DEP-006")).toHaveLength(1);
  });

  test("the fixed release and later are fine", () => {
    expect(only(run(files("1.24.0")), "MCPW-DEP-006")).toEqual([]);
    expect(only(run(files("1.26.0")), "MCPW-DEP-006")).toEqual([]);
  });

  test("Python mcp pinned below 1.23.0, Go go-sdk below v1.4.0", () => {
    expect(only(run({ "requirements.txt": "mcp==1.22.0\n" }, [server(".", "python")]), "MCPW-DEP-006")[0].evidence).toContain("GHSA-9h52-p55h-vw2f");
    expect(only(run({ "requirements.txt": "mcp==1.23.0\n" }, [server(".", "python")]), "MCPW-DEP-006")).toEqual([]);
    expect(only(run({ "requirements.txt": "mcp>=1.0\n" }, [server(".", "python")]), "MCPW-DEP-006")).toEqual([]);
    const go = (v: string) => ({ "go.mod": `module x\n\ngo 1.23\n\nrequire github.com/modelcontextprotocol/go-sdk ${v}\n` });
    expect(only(run(go("v1.3.1"), [server(".", "go")]), "MCPW-DEP-006")[0].evidence).toContain("GHSA-xw59-hvm2-8pj6");
    expect(only(run(go("v1.4.0"), [server(".", "go")]), "MCPW-DEP-006")).toEqual([]);
  });
});
