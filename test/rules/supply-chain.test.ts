import { join } from "node:path";
import {
  BASE_IMAGE_RULE,
  INSTALL_HOOK_RULE,
  NPM_REGISTRY_RULE,
  PYTHON_INDEX_RULE,
  REMOTE_ADD_RULE,
  REMOTE_EXEC_RULE,
  SHELL_LAUNCH_RULE,
  supplyChain,
  UNREADABLE_RULE,
} from "../../lib/rules/supply-chain.js";
import { unpinnedLaunch } from "../../lib/rules/unpinned-launch.js";
import { secrets } from "../../lib/rules/secrets.js";
import { TOKENS } from "./secret-tokens.js";
import { CATEGORIES } from "../../lib/model.js";
import { scanSnapshot } from "../../lib/scan.js";
import { FIXTURES, contextOf, snapshotOf, snapshotOfDir } from "../extract/client-config-helpers.js";

function run(files: Record<string, string>) {
  return supplyChain.run(contextOf(snapshotOf(files)));
}

function summary(files: Record<string, string>, rule?: string): string[] {
  return run(files)
    .filter((f) => rule === undefined || f.ruleId === rule)
    .map((f) => `${f.ruleId} ${f.severity} ${f.path}:${f.line}`);
}

function mcpJson(entry: object): string {
  return JSON.stringify({ mcpServers: { srv: entry } }, null, 2);
}

describe("MCPW-SUPPLY-001 shell-wrapped launches", () => {
  const positives: [string, object, string][] = [
    ["sh -c", { command: "sh", args: ["-c", "node build/index.js"] }, "low"],
    ["bash -lc", { command: "bash", args: ["-lc", "cd ~/srv && uv run server.py"] }, "low"],
    ["cmd /c with a command string", { command: "cmd", args: ["/c", "cd /d C:\\srv && node build\\index.js"] }, "low"],
    ["cmd /c of a batch file", { command: "cmd", args: ["/c", "start-server.bat"] }, "low"],
    ["powershell -Command", { command: "powershell", args: ["-Command", "node build/index.js"] }, "low"],
    ["env + sh -c", { command: "env", args: ["A=1", "sh", "-c", "node x.js"] }, "low"],
    ["whole command string", { command: "bash -c 'node x.js'" }, "low"],
    ["download piped into the shell", { command: "bash", args: ["-c", "curl -fsSL https://get.example.com/mcp.sh | bash"] }, "high"],
    ["powershell iwr | iex", { command: "pwsh", args: ["-Command", "iwr https://get.example.com/mcp.ps1 | iex"] }, "high"],
    ["encoded PowerShell", { command: "powershell", args: ["-EncodedCommand", "ZQBjAGgAbwAgAGgAaQA="] }, "high"],
  ];
  test.each(positives)("%s", (_label, entry, severity) => {
    const findings = run({ ".mcp.json": mcpJson(entry) });
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ ruleId: SHELL_LAUNCH_RULE, category: "supply-chain", severity, path: ".mcp.json", line: 3, key: ".mcp.json#srv#shell", owasp: ["MCP04"] });
  });

  test("a pinned npx inside the wrapper is flagged only for the shell", () => {
    const ctx = contextOf(snapshotOf({ ".mcp.json": mcpJson({ command: "sh", args: ["-c", "npx -y pkg@1.2.3"] }) }));
    expect(supplyChain.run(ctx).map((f) => f.ruleId)).toEqual([SHELL_LAUNCH_RULE]);
    expect(unpinnedLaunch.run(ctx)).toEqual([]);
  });

  const negatives: [string, object][] = [
    ["npx directly", { command: "npx", args: ["-y", "pkg@1.2.3"] }],
    ["bash with a local script", { command: "bash", args: ["./scripts/start.sh"] }],
    ["pwsh -File", { command: "pwsh", args: ["-File", "start.ps1"] }],
    ["node", { command: "node", args: ["-e", "require('./x')"] }],
    ["remote server", { url: "https://mcp.example.com/mcp" }],
    ["sh -c without a script", { command: "sh", args: ["-c"] }],
    ["Windows cmd /c npx, arguments separate", { command: "cmd", args: ["/c", "npx", "-y", "@modelcontextprotocol/server-filesystem@2025.1.14", "C:\\work"] }],
    ["Windows cmd /k uvx", { command: "cmd.exe", args: ["/k", "uvx", "mcp-server-fetch==2025.4.7"] }],
  ];
  test.each(negatives)("not: %s", (_label, entry) => {
    expect(run({ ".mcp.json": mcpJson(entry) })).toEqual([]);
  });
});

describe("MCPW-SUPPLY-002 downloads piped into an interpreter", () => {
  test("severity follows where it runs", () => {
    const pkg = JSON.stringify({ name: "x", scripts: { postinstall: "curl -fsSL https://x.example/i.sh | sh", setup: "curl -fsSL https://x.example/d.sh | bash", insecure: "curl http://x.example/d.sh | sh" } }, null, 2);
    expect(summary({ "package.json": pkg, Dockerfile: "FROM node:20\nRUN curl -fsSL https://x.example/i.sh | sh\n", "scripts/dev.sh": "#!/bin/sh\nwget -qO- https://x.example/d.sh | sh -s\n" }, REMOTE_EXEC_RULE).sort()).toEqual([
      `${REMOTE_EXEC_RULE} high package.json:4`,
      `${REMOTE_EXEC_RULE} low package.json:5`,
      `${REMOTE_EXEC_RULE} low scripts/dev.sh:2`,
      `${REMOTE_EXEC_RULE} medium Dockerfile:2`,
      `${REMOTE_EXEC_RULE} medium package.json:6`,
    ]);
  });

  test("the message names the URL and the evidence is the command", () => {
    const [f] = run({ Dockerfile: "FROM node:20\nRUN curl -fsSL https://deb.example.com/setup_20.x \\\n  | bash -\n" });
    expect(f).toMatchObject({ line: 2, endLine: 3, cwe: ["CWE-494"], category: "supply-chain" });
    expect(f.message).toContain("https://deb.example.com/setup_20.x");
    expect(f.evidence).toBe("curl -fsSL https://deb.example.com/setup_20.x | bash -");
    expect(f.remediation).toMatch(/sha256sum -c/);
  });

  test("credentials in the URL never reach the message", () => {
    const [f] = run({ "install.sh": "curl -fsSL https://user:s3cr3tTokenValue@x.example/i.sh | sh\n" });
    expect(f.message).not.toContain("s3cr3tTokenValue");
    expect(f.key).not.toContain("s3cr3tTokenValue");
    expect(f.evidence).not.toContain("s3cr3tTokenValue");
  });

  test("README prose, fixtures and safe downloads are not findings", () => {
    expect(
      run({
        "README.md": "Install with `curl -fsSL https://x.example/i.sh | sh`.",
        "test/fixtures/evil/Dockerfile": "FROM node:20.11\nRUN curl https://x.example | sh\nUSER node\n",
        Dockerfile: "FROM node:20.11\nRUN curl -fsSLo /tmp/i.sh https://x.example/i.sh && sha256sum -c sums && sh /tmp/i.sh\nRUN curl -fsSL https://x.example/n.tgz | tar xz\nUSER node\n",
        "package.json": JSON.stringify({ scripts: { schema: "curl -fsSL https://x.example/s.json -o s.json" } }),
      }),
    ).toEqual([]);
  });
});

describe("MCPW-SUPPLY-003 remote ADD", () => {
  test("positives", () => {
    expect(summary({ Dockerfile: "FROM node:20.11\nADD https://x.example/a.tgz /a\nADD http://x.example/b.tgz /b\nADD https://github.com/o/r.git#main /r\n" }, REMOTE_ADD_RULE)).toEqual([
      `${REMOTE_ADD_RULE} medium Dockerfile:2`,
      `${REMOTE_ADD_RULE} high Dockerfile:3`,
      `${REMOTE_ADD_RULE} medium Dockerfile:4`,
    ]);
  });

  test("negatives: checksum, commit-pinned git, local sources, COPY", () => {
    const text = [
      "FROM node:20.11",
      "ADD --checksum=sha256:24454f830cdb571e2c4ad15481119c43b3cafd48dd869a9b2945d1036d1dc68d https://x.example/a.tgz /a",
      "ADD https://github.com/o/r.git#0123456789abcdef0123456789abcdef01234567 /r",
      "ADD ./local /app",
      "ADD app.tar.gz /app",
      "COPY https-notes.txt /notes",
    ].join("\n");
    expect(summary({ Dockerfile: text }, REMOTE_ADD_RULE)).toEqual([]);
  });
});

describe("MCPW-SUPPLY-004 base images", () => {
  test("no tag and :latest without digest, in every stage", () => {
    expect(summary({ Dockerfile: "FROM node AS build\nFROM python:latest\nFROM docker.io/library/alpine\n" }, BASE_IMAGE_RULE)).toEqual([
      `${BASE_IMAGE_RULE} low Dockerfile:1`,
      `${BASE_IMAGE_RULE} low Dockerfile:2`,
      `${BASE_IMAGE_RULE} low Dockerfile:3`,
    ]);
  });

  test("build-arg defaults are substituted", () => {
    expect(summary({ Dockerfile: "ARG BASE=node\nFROM ${BASE}\n" }, BASE_IMAGE_RULE)).toEqual([`${BASE_IMAGE_RULE} low Dockerfile:2`]);
  });

  test("negatives: version tags, digests, stages, scratch, unknown args", () => {
    const text = [
      "ARG BASE",
      "FROM node:20.11-slim@sha256:aaaabbbbccccddddeeeeffff0000111122223333444455556666777788889999 AS build",
      "FROM node:20.11-slim AS deps",
      "FROM python:latest@sha256:aaaabbbbccccddddeeeeffff0000111122223333444455556666777788889999",
      "FROM build",
      "FROM scratch",
      "FROM $BASE",
    ].join("\n");
    expect(summary({ Dockerfile: text }, BASE_IMAGE_RULE)).toEqual([]);
  });
});

describe("MCPW-SUPPLY-005 install hooks", () => {
  const pkg = (scripts: Record<string, string>, extra: object = {}) => ({ "package.json": JSON.stringify({ name: "srv", ...extra, scripts }, null, 2) });

  test("severity by what the hook runs", () => {
    expect(summary(pkg({ preinstall: "npx only-allow pnpm" }), INSTALL_HOOK_RULE)).toEqual([`${INSTALL_HOOK_RULE} medium package.json:4`]);
    expect(summary(pkg({ postinstall: "node scripts/postinstall.js" }), INSTALL_HOOK_RULE)).toEqual([`${INSTALL_HOOK_RULE} low package.json:4`]);
    expect(summary(pkg({ install: "node-gyp rebuild && node ./scripts/fetch-model.mjs" }), INSTALL_HOOK_RULE)).toEqual([`${INSTALL_HOOK_RULE} low package.json:4`]);
    expect(summary(pkg({ postinstall: "node -e \"require('https').get('https://x.example')\"" }), INSTALL_HOOK_RULE)).toEqual([`${INSTALL_HOOK_RULE} medium package.json:4`]);
  });

  test("a hook that pipes a download into a shell is reported once, by MCPW-SUPPLY-002", () => {
    expect(summary(pkg({ postinstall: "curl -fsSL https://x.example/i.sh | sh" }))).toEqual([`${REMOTE_EXEC_RULE} high package.json:4`]);
  });

  test("negatives: local build steps, other script names, private packages", () => {
    expect(run(pkg({ install: "node-gyp rebuild", postinstall: "prebuild-install || node-gyp rebuild" }))).toEqual([]);
    expect(run(pkg({ postinstall: "tsc -p . && husky install" }))).toEqual([]);
    expect(run(pkg({ postinstall: "npm run build" }))).toEqual([]);
    expect(run(pkg({ prepare: "npx some-tool", build: "npx tsc", prepublishOnly: "npm test" }))).toEqual([]);
    expect(run(pkg({ postinstall: "npx something" }, { private: true }))).toEqual([]);
  });
});

describe("MCPW-SUPPLY-006 Python indexes", () => {
  test("positives across file kinds", () => {
    const found = summary({
      "requirements.txt": "--extra-index-url https://corp.example/simple\n--trusted-host corp.example\n-i http://mirror.example/simple\nmcp==1.0\n",
      "pip.conf": "[global]\nextra-index-url = http://legacy.example/simple\n",
      Dockerfile: "FROM python:3.12.1\nRUN pip install --extra-index-url https://corp.example/simple tools\nENV PIP_TRUSTED_HOST=corp.example\nUSER app\n",
      "pyproject.toml": '[project]\nname = "x"\n[tool.uv]\nindex-strategy = "unsafe-best-match"\n',
    }, PYTHON_INDEX_RULE);
    expect(found.sort()).toEqual([
      `${PYTHON_INDEX_RULE} high pip.conf:2`,
      `${PYTHON_INDEX_RULE} high requirements.txt:3`,
      `${PYTHON_INDEX_RULE} medium Dockerfile:2`,
      `${PYTHON_INDEX_RULE} medium Dockerfile:3`,
      `${PYTHON_INDEX_RULE} medium pyproject.toml:4`,
      `${PYTHON_INDEX_RULE} medium requirements.txt:1`,
      `${PYTHON_INDEX_RULE} medium requirements.txt:2`,
    ]);
    const confusion = run({ "requirements.txt": "--extra-index-url https://corp.example/simple\n" })[0];
    expect(confusion).toMatchObject({ confidence: "medium", cwe: ["CWE-427"] });
    expect(confusion.message).toMatch(/dependency confusion/);
  });

  test("negatives: https index alone, explicit uv indexes, localhost, variables", () => {
    expect(
      run({
        "requirements.txt": "--index-url https://pypi.org/simple\n--find-links ./wheels\nmcp==1.0\n",
        "dev/requirements.txt": "--index-url http://localhost:3141/root/pypi\n--trusted-host localhost\n--extra-index-url ${EXTRA_INDEX}\n",
        "pyproject.toml": '[project]\nname = "x"\n[[tool.uv.index]]\nname = "pytorch"\nurl = "https://download.pytorch.org/whl/cpu"\nexplicit = true\n',
        Dockerfile: "FROM python:3.12.1\nRUN pip install --index-url https://pypi.org/simple mcp==1.0\nUSER app\n",
      }),
    ).toEqual([]);
  });
});

describe("MCPW-SUPPLY-007 npm/yarn registries", () => {
  test("positives", () => {
    expect(
      summary({
        ".npmrc": "registry=http://npm.corp.example/\n@corp:registry=http://npm.corp.example/\nstrict-ssl=false\n",
        ".yarnrc.yml": 'npmRegistryServer: "http://npm.corp.example"\nenableStrictSsl: false\nunsafeHttpWhitelist:\n  - npm.corp.example\n',
        ".yarnrc": 'registry "http://npm.corp.example/"\n',
        Dockerfile: "FROM node:20.11\nENV NPM_CONFIG_REGISTRY=http://npm.corp.example/\nRUN npm install --registry=http://npm.corp.example/ x\nUSER node\n",
      }, NPM_REGISTRY_RULE).sort(),
    ).toEqual([
      `${NPM_REGISTRY_RULE} high .npmrc:1`,
      `${NPM_REGISTRY_RULE} high .npmrc:2`,
      `${NPM_REGISTRY_RULE} high .yarnrc.yml:1`,
      `${NPM_REGISTRY_RULE} high .yarnrc:1`,
      `${NPM_REGISTRY_RULE} high Dockerfile:2`,
      `${NPM_REGISTRY_RULE} high Dockerfile:3`,
      `${NPM_REGISTRY_RULE} medium .npmrc:3`,
      `${NPM_REGISTRY_RULE} medium .yarnrc.yml:2`,
      `${NPM_REGISTRY_RULE} medium .yarnrc.yml:4`,
    ]);
  });

  test("negatives: https, localhost (Verdaccio), auth lines with variables", () => {
    expect(
      run({
        ".npmrc": "registry=https://registry.npmjs.org/\n@corp:registry=https://npm.pkg.github.com\n//npm.pkg.github.com/:_authToken=${NODE_AUTH_TOKEN}\nstrict-ssl=true\n",
        "local/.npmrc": "registry=http://localhost:4873/\n",
        ".yarnrc.yml": 'npmRegistryServer: "https://registry.yarnpkg.com"\nunsafeHttpWhitelist:\n  - localhost\n',
      }),
    ).toEqual([]);
  });
});

describe("MCPW-SUPPLY-008 unreadable files", () => {
  test("junk Dockerfile and broken .yarnrc.yml are misconfiguration findings with a position", () => {
    const findings = run({ Dockerfile: "\u0000\u0001\u0002binary", ".yarnrc.yml": "npmRegistryServer: [\n" });
    expect(findings.map((f) => `${f.ruleId} ${f.category} ${f.path}:${f.line}`).sort()).toEqual([
      `${UNREADABLE_RULE} misconfiguration .yarnrc.yml:2`,
      `${UNREADABLE_RULE} misconfiguration Dockerfile:1`,
    ]);
  });
});

describe("the fixtures", () => {
  test("the risky server: every rule fires where expected", () => {
    const findings = supplyChain.run(contextOf(snapshotOfDir(join(FIXTURES, "supply-chain", "risky"))));
    expect(findings.map((f) => `${f.ruleId} ${f.severity} ${f.path}:${f.line}`).sort()).toEqual([
      `${SHELL_LAUNCH_RULE} high .mcp.json:7`,
      `${SHELL_LAUNCH_RULE} low .mcp.json:3`,
      `${REMOTE_EXEC_RULE} high package.json:8`,
      `${REMOTE_EXEC_RULE} low scripts/bootstrap.sh:4`,
      `${REMOTE_EXEC_RULE} medium Dockerfile:4`,
      `${REMOTE_EXEC_RULE} medium package.json:9`,
      `${REMOTE_ADD_RULE} high Dockerfile:7`,
      `${REMOTE_ADD_RULE} medium Dockerfile:6`,
      `${BASE_IMAGE_RULE} low Dockerfile:13`,
      `${BASE_IMAGE_RULE} low Dockerfile:2`,
      `${INSTALL_HOOK_RULE} medium package.json:7`,
      `${PYTHON_INDEX_RULE} high Dockerfile:14`,
      `${PYTHON_INDEX_RULE} high pip.conf:5`,
      `${PYTHON_INDEX_RULE} high requirements.txt:1`,
      `${PYTHON_INDEX_RULE} medium Dockerfile:8`,
      `${PYTHON_INDEX_RULE} medium Dockerfile:8`,
      `${PYTHON_INDEX_RULE} medium pip.conf:4`,
      `${PYTHON_INDEX_RULE} medium py/pyproject.toml:7`,
      `${PYTHON_INDEX_RULE} medium py/pyproject.toml:8`,
      `${PYTHON_INDEX_RULE} medium requirements.txt:2`,
      `${PYTHON_INDEX_RULE} medium requirements.txt:3`,
      `${NPM_REGISTRY_RULE} high .npmrc:1`,
      `${NPM_REGISTRY_RULE} high .yarnrc.yml:1`,
      `${NPM_REGISTRY_RULE} high Dockerfile:9`,
      `${NPM_REGISTRY_RULE} medium .npmrc:2`,
      `${NPM_REGISTRY_RULE} medium .yarnrc.yml:3`,
    ].sort());
    // Keys are unique, so the pipeline's fingerprints do not merge distinct findings.
    expect(new Set(findings.map((f) => `${f.ruleId}|${f.path}|${f.key}`)).size).toBe(findings.length);
  });

  test("the safe server: nothing", () => {
    expect(supplyChain.run(contextOf(snapshotOfDir(join(FIXTURES, "supply-chain", "safe"))))).toEqual([]);
  });

  test("the hostile files: only bounded, clear findings", () => {
    const findings = supplyChain.run(contextOf(snapshotOfDir(join(FIXTURES, "supply-chain", "hostile"))));
    expect(findings.filter((f) => f.ruleId === UNREADABLE_RULE).map((f) => f.path).sort()).toEqual(["junk/Dockerfile", "yaml/uv.toml"]);
  });
});

describe("rule documentation", () => {
  test("every rule id is documented with every field", () => {
    for (const rule of supplyChain.rules) {
      expect(rule.id).toMatch(/^MCPW-SUPPLY-00\d$/);
      for (const field of ["title", "category", "severity", "looksFor", "ignores", "remediation"] as const) expect(rule[field]).toBeTruthy();
      expect(CATEGORIES).toContain(rule.category);
    }
  });
});

describe("secrets in Dockerfile ENV/ARG and .env files (the one secrets engine, fed by the Dockerfile facts)", () => {
  const dockerText = [
    "FROM node:20.11",
    `ENV SERVICE_TOKEN ${TOKENS.generic2}`,
    `ARG API_KEY=${TOKENS.generic}`,
    `ENV LOG_LEVEL=debug DB_PASSWORD=${TOKENS.envValue}`,
    `ENV GH_TOKEN="${TOKENS.githubClassic}"`,
    "ARG NPM_TOKEN",
    "ENV API_KEY=${API_KEY}",
    "ENV NODE_ENV=production",
    "USER node",
  ].join("\n");

  test("legacy `ENV NAME value`, ARG defaults, several pairs on a line, quoted tokens", () => {
    const findings = secrets.run(contextOf(snapshotOf({ Dockerfile: dockerText })));
    expect(findings.map((f) => `${f.path}:${f.line}:${f.severity}`).sort()).toEqual(["Dockerfile:2:high", "Dockerfile:3:high", "Dockerfile:4:high", "Dockerfile:5:critical"]);
    expect(findings[0].remediation).toMatch(/--mount=type=secret/);
    for (const f of findings) {
      for (const secret of [TOKENS.generic, TOKENS.generic2, TOKENS.envValue, TOKENS.githubClassic]) {
        expect(`${f.message} ${f.evidence} ${f.key}`).not.toContain(secret);
      }
    }
  });

  test("committed .env files are findings; .env.example values are info only", () => {
    const findings = secrets.run(
      contextOf(
        snapshotOf({
          ".env": `API_KEY=${TOKENS.generic}\n`,
          ".env.production": `DB_PASSWORD=${TOKENS.generic2}\n`,
          ".env.example": `API_KEY=${TOKENS.envValue}\nOPENAI_API_KEY=sk-your-key-here\nDB_PASSWORD=changeme\n`,
        }),
      ),
    );
    expect(findings.map((f) => `${f.path}:${f.line}:${f.severity}`).sort()).toEqual([".env.example:1:info", ".env.production:1:high", ".env:1:high"]);
  });

  test("no second engine: the supply-chain family reports no secrets", () => {
    expect(supplyChain.run(contextOf(snapshotOf({ Dockerfile: dockerText }))).filter((f) => f.category === "hardcoded-secret")).toEqual([]);
  });
});

describe("through the whole scan", () => {
  test("the risky server's findings reach the result, attributed to the server, with distinct fingerprints", async () => {
    const result = await scanSnapshot(snapshotOfDir(join(FIXTURES, "supply-chain", "risky")));
    const ids = new Set(result.findings.map((f) => f.ruleId));
    for (const id of [SHELL_LAUNCH_RULE, REMOTE_EXEC_RULE, REMOTE_ADD_RULE, BASE_IMAGE_RULE, INSTALL_HOOK_RULE, PYTHON_INDEX_RULE, NPM_REGISTRY_RULE, "MCPW-PERM-001", "MCPW-PERM-002", "MCPW-PERM-003", "MCPW-LAUNCH-003"]) {
      expect(ids).toContain(id);
    }
    const ours = result.findings.filter((f) => /^MCPW-(SUPPLY|PERM-00[123]|LAUNCH-003)/.test(f.ruleId));
    // py/ holds a second (Python) server: its pyproject findings belong to it.
    expect(result.servers.map((s) => s.root).sort()).toEqual([".", "py"]);
    expect(ours.filter((f) => f.server !== ".").map((f) => `${f.server} ${f.path}`)).toEqual(["py py/pyproject.toml", "py py/pyproject.toml"]);
    expect(new Set(ours.map((f) => f.fingerprint)).size).toBe(ours.length);
    expect(result.warnings.filter((w) => /failed/.test(w))).toEqual([]);
  });
});
