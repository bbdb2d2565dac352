import { join } from "node:path";
import { isDockerfilePath, MAX_DOCKERFILE_BYTES, parseDockerfile, parseImageRef } from "../../lib/manifests/dockerfile.js";
import { readSupplyChainFacts } from "../../lib/manifests/supply-chain.js";
import { FIXTURES, snapshotOf, snapshotOfDir } from "../extract/client-config-helpers.js";

describe("parseDockerfile", () => {
  test("stages, users, aliases and build-arg defaults", () => {
    const facts = parseDockerfile(
      "Dockerfile",
      [
        "ARG BASE=node:20.11-slim",
        "FROM ${BASE} AS build",
        "USER root",
        "FROM build AS test",
        "FROM gcr.io/distroless/nodejs20-debian12:nonroot",
        "USER 1000:1000",
        'ENTRYPOINT ["/nodejs/bin/node", "index.js"]',
      ].join("\n"),
    );
    expect(facts.problem).toBeUndefined();
    expect(facts.stages.map((s) => ({ line: s.line, image: s.image, alias: s.alias, parent: s.parent, ref: s.resolved?.ref, users: s.users.map((u) => u.value) }))).toEqual([
      { line: 2, image: "${BASE}", alias: "build", parent: undefined, ref: "node:20.11-slim", users: ["root"] },
      { line: 4, image: "build", alias: "test", parent: 0, ref: undefined, users: [] },
      { line: 5, image: "gcr.io/distroless/nodejs20-debian12:nonroot", alias: undefined, parent: undefined, ref: "gcr.io/distroless/nodejs20-debian12:nonroot", users: ["1000:1000"] },
    ]);
    expect(facts.stages[2].starts).toHaveLength(1);
    expect(facts.envs.map((e) => `${e.keyword} ${e.name}=${e.value}`)).toEqual(["ARG BASE=node:20.11-slim"]);
  });

  test("an image from an argument without a default stays unresolved", () => {
    const facts = parseDockerfile("Dockerfile", "ARG BASE\nFROM $BASE\n");
    expect(facts.stages[0].resolved).toBeUndefined();
  });

  test("RUN scripts: shell form with continuations, exec form, heredocs, flags", () => {
    const facts = parseDockerfile(
      "Dockerfile",
      [
        "FROM alpine:3.19",
        "RUN curl -fsSL https://a.example/i.sh \\",
        "    | sh",
        'RUN ["/bin/sh", "-c", "wget -qO- https://b.example/i.sh | sh"]',
        "RUN <<EOF",
        "curl https://c.example | bash",
        "EOF",
        "RUN --mount=type=cache,target=/root/.cache pip install --extra-index-url https://d.example/simple x",
        "RUN PIP_TRUSTED_HOST=e.example pip install y",
      ].join("\n"),
    );
    expect(facts.runs.map((r) => [r.line, r.endLine, r.remoteExecs.map((e) => e.url)])).toEqual([
      [2, 3, ["https://a.example/i.sh"]],
      [4, 4, ["https://b.example/i.sh"]],
      [5, 7, ["https://c.example"]],
      [8, 8, []],
      [9, 9, []],
    ]);
    expect(facts.runs[3].indexOptions).toEqual([{ ecosystem: "PyPI", option: "extra-index-url", value: "https://d.example/simple" }]);
    expect(facts.runs[4].indexOptions).toEqual([{ ecosystem: "PyPI", option: "trusted-host", value: "e.example" }]);
  });

  test("ADD keeps remote sources and the checksum flag", () => {
    const facts = parseDockerfile(
      "Dockerfile",
      "FROM alpine:3.19\nADD ./local /app\nADD https://x.example/a.tgz /a\nADD --checksum=sha256:abc https://x.example/b.tgz /b\nADD git@github.com:o/r.git /r\n",
    );
    expect(facts.adds.map((a) => [a.line, a.sources, a.checksum])).toEqual([
      [3, ["https://x.example/a.tgz"], undefined],
      [4, ["https://x.example/b.tgz"], "sha256:abc"],
      [5, ["git@github.com:o/r.git"], undefined],
    ]);
  });

  test("ENV in both forms and several pairs on one line", () => {
    const facts = parseDockerfile("Dockerfile", 'FROM alpine:3.19\nENV A=1 B="two words"\nENV LEGACY value with spaces\n');
    expect(facts.envs.map((e) => [e.name, e.value, e.line])).toEqual([
      ["A", "1", 2],
      ["B", "two words", 2],
      ["LEGACY", "value with spaces", 3],
    ]);
  });

  test("image references", () => {
    expect(parseImageRef("node")).toEqual({ ref: "node", name: "node" });
    expect(parseImageRef("localhost:5000/app:1.2@sha256:ab")).toEqual({ ref: "localhost:5000/app:1.2@sha256:ab", name: "localhost:5000/app", tag: "1.2", digest: "sha256:ab" });
    expect(parseImageRef("localhost:5000/app")).toEqual({ ref: "localhost:5000/app", name: "localhost:5000/app" });
  });

  test("which files are Dockerfiles", () => {
    for (const p of ["Dockerfile", "docker/Dockerfile.prod", "Containerfile", "build/app.dockerfile", "Dockerfile-dev"]) expect(isDockerfilePath(p)).toBe(true);
    for (const p of ["dockerfile.md", "Dockerfiles/README", "src/dockerfile.ts", ".dockerignore"]) expect(isDockerfilePath(p)).toBe(false);
  });
});

describe("hostile Dockerfiles become problems, fast", () => {
  test("a 2 MB Dockerfile is not parsed", () => {
    const big = ("RUN echo " + "x".repeat(100) + " \\\n").repeat(20_000);
    expect(big.length).toBeGreaterThan(2_000_000);
    const started = Date.now();
    const facts = parseDockerfile("Dockerfile", big);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(facts.problem?.message).toMatch(/larger than 128 KiB/);
    expect(facts.stages).toEqual([]);
  });

  test("just under the size cap, endless continuation lines still parse quickly", () => {
    const text = "FROM alpine:3.19\nRUN echo start \\\n" + "  && echo again \\\n".repeat(Math.floor((MAX_DOCKERFILE_BYTES - 100) / 18)) + "\n";
    const started = Date.now();
    const facts = parseDockerfile("Dockerfile", text);
    // Plain node parses this in well under 100 ms; jest's module sandbox makes dockerfile-ast ~20x slower.
    expect(Date.now() - started).toBeLessThan(5000);
    expect(facts.problem).toBeUndefined();
    expect(facts.runs).toHaveLength(1);
  });

  test("the hostile fixtures: junk, unterminated heredoc and JSON, alias bomb, broken TOML", () => {
    const started = Date.now();
    const facts = readSupplyChainFacts(snapshotOfDir(join(FIXTURES, "supply-chain", "hostile")), []);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(facts.problems.map((p) => `${p.path}:${p.line}:${p.column} ${p.message.split(":")[0]}`).sort()).toEqual([
      "junk/Dockerfile:1:1 binary or garbled content, not a Dockerfile",
      "yaml/uv.toml:1:27 invalid TOML",
    ]);
    expect(facts.dockerfiles.map((d) => d.path).sort()).toEqual(["continuation/Dockerfile", "heredoc/Dockerfile", "json/Dockerfile", "junk/Dockerfile"]);
  });

  test("random binary and control characters never throw", () => {
    let seed = 42;
    const rand = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let round = 0; round < 20; round++) {
      const text = Array.from({ length: 2000 }, () => String.fromCharCode(Math.floor(rand() * 128))).join("");
      expect(() => parseDockerfile("Dockerfile", text)).not.toThrow();
      expect(() => parseDockerfile("Dockerfile", `FROM a\nRUN ${text}`)).not.toThrow();
    }
  });

  test("an oversized snapshot file is one problem, not a crash", () => {
    const facts = readSupplyChainFacts(snapshotOf({ Dockerfile: "RUN x\n".repeat(60_000) }), []);
    expect(facts.problems).toHaveLength(1);
  });
});
