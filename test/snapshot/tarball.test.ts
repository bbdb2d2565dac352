import { gzipSync } from "node:zlib";
import { snapshotFromTarball } from "../../lib/snapshot/index.js";
import type { RepoSnapshot, SkipReason } from "../../lib/snapshot/index.js";
import { buildTar, buildTarGz, chunked, dir, file, TOP } from "./tar-helpers.js";

function note(snapshot: RepoSnapshot, reason: SkipReason) {
  return snapshot.notes.find((n) => n.reason === reason);
}

const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d]);

describe("snapshotFromTarball", () => {
  it("reads a GitHub-style tarball: pax global header, top folder stripped, sorted paths", async () => {
    const tgz = await buildTarGz(
      [
        dir(""),
        file("src/index.ts", "export const a = 1;\n"),
        dir("src"),
        file("package.json", '{"name":"weather"}'),
        file("README.md", "# Weather\n"),
      ],
      { paxGlobal: { comment: "0123456789abcdef0123456789abcdef01234567" } },
    );
    const snapshot = await snapshotFromTarball(tgz);
    expect([...snapshot.files.keys()]).toEqual(["README.md", "package.json", "src/index.ts"]);
    expect(snapshot.files.get("package.json")).toBe('{"name":"weather"}');
    expect(snapshot.truncated).toBe(false);
    expect(snapshot.notes).toEqual([]);
    expect(snapshot.totalBytes).toBe(20 + 18 + 10);
  });

  it("accepts a plain (not gzipped) tar, an ArrayBuffer and a chunked stream alike", async () => {
    const tar = await buildTar([dir(""), file("a.py", "print('hi')\n"), file("pkg/b.py", "x = 1\n")]);
    const fromBuffer = await snapshotFromTarball(tar);
    const fromArrayBuffer = await snapshotFromTarball(Uint8Array.from(tar).buffer);
    const fromStream = await snapshotFromTarball(chunked(gzipSync(tar), 7));
    expect([...fromBuffer.files.keys()]).toEqual(["a.py", "pkg/b.py"]);
    expect(fromArrayBuffer).toEqual(fromBuffer);
    expect(fromStream).toEqual(fromBuffer);
  });

  it("recognises GitHub's top folder even without a directory entry", async () => {
    const snapshot = await snapshotFromTarball(await buildTarGz([file("main.go", "package main\n")]));
    expect([...snapshot.files.keys()]).toEqual(["main.go"]);
  });

  it("does not strip anything from an archive without a top folder", async () => {
    const tar = await buildTar([
      { header: { name: "package.json" }, content: "{}" },
      { header: { name: "src/index.js" }, content: "1" },
    ]);
    const snapshot = await snapshotFromTarball(tar);
    expect([...snapshot.files.keys()]).toEqual(["package.json", "src/index.js"]);
  });

  it("notes symlinks and hard links without following them", async () => {
    const tgz = await buildTarGz([
      dir(""),
      file("real.txt", "hello"),
      { header: { name: `${TOP}/secrets`, type: "symlink", linkname: "/home/runner/.ssh/id_rsa" } },
      { header: { name: `${TOP}/passwd-link`, type: "link", linkname: "/etc/passwd" } },
    ]);
    const snapshot = await snapshotFromTarball(tgz);
    expect([...snapshot.files.keys()]).toEqual(["real.txt"]);
    expect(note(snapshot, "symlink")).toEqual({ reason: "symlink", count: 2, examples: ["secrets", "passwd-link"] });
  });

  it("rejects unsafe paths: traversal, absolute, backslash, outside the top folder", async () => {
    const tgz = await buildTarGz([
      dir(""),
      file("ok.txt", "fine"),
      { header: { name: `${TOP}/../../etc/passwd` }, content: "root:x:0:0" },
      { header: { name: "../../etc/passwd" }, content: "root:x:0:0" },
      { header: { name: "/etc/shadow" }, content: "root:*" },
      { header: { name: `${TOP}/a\\..\\..\\win.ini` }, content: "[x]" },
      { header: { name: "other-top/evil.txt" }, content: "not ours" },
    ]);
    const snapshot = await snapshotFromTarball(tgz);
    expect([...snapshot.files.keys()]).toEqual(["ok.txt"]);
    const unsafe = note(snapshot, "unsafe-path");
    expect(unsafe?.count).toBe(5);
    for (const path of snapshot.files.keys()) expect(path).not.toMatch(/\.\.|^\/|\\/);
  });

  it("skips binary files, invalid UTF-8 and oversize files; strips a BOM", async () => {
    const latin1 = Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x0a]); // "café" in Latin-1: not UTF-8
    const tgz = await buildTarGz([
      dir(""),
      file("logo.png", PNG),
      file("legacy.txt", latin1),
      file("big.json", "x".repeat(2048)),
      file("bom.ts", "\uFEFFexport {};\n"),
      file("utf8.md", "caf\u00e9 \u{1F600}\n"),
    ]);
    const snapshot = await snapshotFromTarball(tgz, { limits: { maxFileBytes: 1024 } });
    expect([...snapshot.files.keys()]).toEqual(["bom.ts", "utf8.md"]);
    expect(snapshot.files.get("bom.ts")).toBe("export {};\n");
    expect(snapshot.files.get("utf8.md")).toBe("caf\u00e9 \u{1F600}\n");
    expect(note(snapshot, "binary")).toEqual({ reason: "binary", count: 2, examples: ["logo.png", "legacy.txt"] });
    expect(note(snapshot, "too-large")).toEqual({ reason: "too-large", count: 1, examples: ["big.json"] });
    expect(snapshot.truncated).toBe(false);
  });

  it("reads lockfiles under their own, larger size limit", async () => {
    const lock = JSON.stringify({ lockfileVersion: 3, packages: { "": {}, pad: "x".repeat(3000) } });
    const tgz = await buildTarGz([
      dir(""),
      file("package-lock.json", lock),
      file("sub/poetry.lock", "y".repeat(3000)),
      file("not-a-lock.json", "z".repeat(3000)),
      file("huge/package-lock.json", "w".repeat(9000)),
    ]);
    const snapshot = await snapshotFromTarball(tgz, { limits: { maxFileBytes: 1024, maxLockfileBytes: 8192 } });
    expect([...snapshot.files.keys()].sort()).toEqual(["package-lock.json", "sub/poetry.lock"]);
    expect(note(snapshot, "too-large")?.examples.sort()).toEqual(["huge/package-lock.json", "not-a-lock.json"]);
  });

  it("skips dependency and build folders anywhere, counted per folder; keeps .env files", async () => {
    const tgz = await buildTarGz([
      dir(""),
      file("node_modules/left-pad/index.js", "module.exports = 1"),
      file("node_modules/left-pad/package.json", "{}"),
      file("packages/api/node_modules/x/index.js", "1"),
      file("packages/api/dist/index.js", "1"),
      file("packages/api/src/index.ts", "export {}"),
      file(".git/config", "[core]"),
      file(".env", "API_KEY=abc"),
      file("server/.env/lib/python3.12/site.py", "x"),
      file("src/env/index.ts", "export const env = process.env;"),
      file("py/__pycache__/a.cpython-312.pyc", "x"),
    ]);
    const snapshot = await snapshotFromTarball(tgz);
    expect([...snapshot.files.keys()]).toEqual([".env", "packages/api/src/index.ts", "src/env/index.ts"]);
    expect(note(snapshot, "excluded-directory")).toEqual({
      reason: "excluded-directory",
      count: 6,
      examples: ["node_modules", "packages/api/node_modules", "packages/api/dist", ".git", "server/.env"],
    });
  });

  it("drops a virtualenv recognised by pyvenv.cfg, whatever its name and wherever the marker comes", async () => {
    const tgz = await buildTarGz([
      dir(""),
      file("env/bin/activate", "export VIRTUAL_ENV=..."),
      file("env/pyvenv.cfg", "home = /usr/bin"),
      file("env/lib/helper.py", "x = 1"),
      file("server.py", "import mcp"),
    ]);
    const snapshot = await snapshotFromTarball(tgz);
    expect([...snapshot.files.keys()]).toEqual(["server.py"]);
    expect(snapshot.totalBytes).toBe("import mcp".length);
    expect(note(snapshot, "excluded-directory")?.examples).toEqual(["env"]);
  });

  it("lets the later of two entries with the same path win", async () => {
    const tgz = await buildTarGz([dir(""), file("a.txt", "first version"), file("a.txt", "second")]);
    const snapshot = await snapshotFromTarball(tgz);
    expect(snapshot.files.get("a.txt")).toBe("second");
    expect(snapshot.totalBytes).toBe(6);
  });

  it("stops at the total size cap and says so", async () => {
    const entries = [dir("")];
    for (let i = 0; i < 10; i++) entries.push(file(`f${i}.txt`, "x".repeat(100)));
    const snapshot = await snapshotFromTarball(await buildTarGz(entries), { limits: { maxTotalBytes: 350 } });
    expect(snapshot.truncated).toBe(true);
    expect([...snapshot.files.keys()]).toEqual(["f0.txt", "f1.txt", "f2.txt"]);
    expect(snapshot.totalBytes).toBe(300);
    expect(note(snapshot, "total-size-cap")).toEqual({
      reason: "total-size-cap",
      count: 7,
      examples: ["f3.txt", "f4.txt", "f5.txt", "f6.txt", "f7.txt"],
    });
  });

  it("stops at the file count cap", async () => {
    const entries = [dir("")];
    for (let i = 0; i < 5; i++) entries.push(file(`f${i}.txt`, "x"));
    const snapshot = await snapshotFromTarball(await buildTarGz(entries), { limits: { maxFiles: 2 } });
    expect(snapshot.truncated).toBe(true);
    expect(snapshot.files.size).toBe(2);
    expect(note(snapshot, "file-count-cap")?.count).toBe(3);
  });

  it("bounds decompression: a gzip bomb in a skipped folder stops at the archive read limit", async () => {
    const bomb = new Uint8Array(24 * 1024 * 1024); // zeros: compresses ~1000:1
    const tgz = await buildTarGz([dir(""), file("a.txt", "kept"), file("node_modules/bomb.bin", bomb), file("z.txt", "never read")]);
    expect(tgz.length).toBeLessThan(200 * 1024);
    const snapshot = await snapshotFromTarball(tgz, { limits: { maxTotalBytes: 1024 * 1024, maxFiles: 100 } });
    expect(snapshot.truncated).toBe(true);
    expect(snapshot.files.has("z.txt")).toBe(false);
    expect(note(snapshot, "total-size-cap")?.count).toBe(1);
  });

  it("honours an explicit archive read limit", async () => {
    const tgz = await buildTarGz([dir(""), file("a.txt", "x".repeat(200_000)), file("b.txt", "y")]);
    const snapshot = await snapshotFromTarball(tgz, { maxArchiveBytes: 100_000 });
    expect(snapshot.truncated).toBe(true);
    expect(snapshot.files.has("b.txt")).toBe(false);
  });

  it("rejects corrupt, truncated and empty archives with a clear error", async () => {
    const tgz = await buildTarGz([dir(""), file("a.txt", "x".repeat(5000))]);
    const tar = await buildTar([dir(""), file("a.txt", "x".repeat(5000))]);
    const garbage = Buffer.from("this is not a tarball at all, just some text that goes on and on".repeat(20));
    await expect(snapshotFromTarball(tgz.subarray(0, tgz.length - 30))).rejects.toThrow(/^invalid archive/);
    await expect(snapshotFromTarball(tar.subarray(0, 1500))).rejects.toThrow(/^invalid archive/);
    await expect(snapshotFromTarball(garbage)).rejects.toThrow(/^invalid archive/);
    await expect(snapshotFromTarball(gzipSync(garbage))).rejects.toThrow(/^invalid archive/);
    await expect(snapshotFromTarball(Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0xde, 0xad]))).rejects.toThrow(/^invalid archive/);
    await expect(snapshotFromTarball(new Uint8Array(0))).rejects.toThrow(/^invalid archive/);
  });

  it("passes the caller's own stream errors through unchanged", async () => {
    class DownloadTooLarge extends Error {}
    const tgz = await buildTarGz([dir(""), file("a.txt", "x".repeat(100_000))]);
    async function* failing(): AsyncGenerator<Uint8Array> {
      yield tgz.subarray(0, 100);
      throw new DownloadTooLarge("over the download cap");
    }
    await expect(snapshotFromTarball(failing())).rejects.toBeInstanceOf(DownloadTooLarge);
  });

  it("shows hostile names safely in notes", async () => {
    const tgz = await buildTarGz([dir(""), { header: { name: `${TOP}/../x\n## injected` }, content: "x" }]);
    const snapshot = await snapshotFromTarball(tgz);
    expect(note(snapshot, "unsafe-path")?.examples[0]).not.toContain("\n");
  });
});
