import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { snapshotFromDirectory, snapshotFromTarball } from "../../lib/snapshot/index.js";
import type { RepoSnapshot, SkipReason } from "../../lib/snapshot/index.js";
import { buildTarGz, dir, file } from "./tar-helpers.js";

function note(snapshot: RepoSnapshot, reason: SkipReason) {
  return snapshot.notes.find((n) => n.reason === reason);
}

let root: string;
let outside: string;

function write(path: string, content: string | Uint8Array): void {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), content);
}

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), "mcpw-snap-"));
  outside = mkdtempSync(join(tmpdir(), "mcpw-outside-"));
  writeFileSync(join(outside, "id_rsa"), "-----BEGIN OPENSSH PRIVATE KEY-----");
});

afterEach(() => {
  rmSync(root, { recursive: true, force: true });
  rmSync(outside, { recursive: true, force: true });
});

describe("snapshotFromDirectory", () => {
  it("reads text files with relative POSIX paths in sorted order", async () => {
    write("src/server.ts", "export {};\n");
    write("package.json", "{}");
    write("src/a/b.ts", "1");
    const snapshot = await snapshotFromDirectory(root);
    expect([...snapshot.files.keys()]).toEqual(["package.json", "src/a/b.ts", "src/server.ts"]);
    expect(snapshot.totalBytes).toBe(11 + 2 + 1);
    expect(snapshot.notes).toEqual([]);
    expect(snapshot.truncated).toBe(false);
  });

  it("never follows symlinks, to files or folders outside the tree", async () => {
    write("index.js", "1");
    symlinkSync(join(outside, "id_rsa"), join(root, "key"));
    symlinkSync(outside, join(root, "linked-dir"));
    symlinkSync("/nonexistent/target", join(root, "dangling"));
    const snapshot = await snapshotFromDirectory(root);
    expect([...snapshot.files.keys()]).toEqual(["index.js"]);
    expect(note(snapshot, "symlink")).toEqual({ reason: "symlink", count: 3, examples: ["dangling", "key", "linked-dir"] });
    for (const text of snapshot.files.values()) expect(text).not.toContain("PRIVATE KEY");
  });

  it("skips excluded folders, virtualenvs, binaries and oversize files", async () => {
    write("node_modules/x/index.js", "1");
    write("lib/vendor/y.go", "package y");
    write(".git/HEAD", "ref: refs/heads/main");
    write(".venv/lib/site.py", "x");
    write("myenv/pyvenv.cfg", "home = /usr/bin");
    write("myenv/bin/activate", "x");
    write(".env", "TOKEN=abc");
    write("image.png", new Uint8Array([0x89, 0x50, 0x00, 0x01]));
    write("huge.txt", "z".repeat(5000));
    write("server.py", "import mcp\n");
    const snapshot = await snapshotFromDirectory(root, { limits: { maxFileBytes: 4096 } });
    expect([...snapshot.files.keys()]).toEqual([".env", "server.py"]);
    expect(note(snapshot, "excluded-directory")?.examples.sort()).toEqual([".git", ".venv", "lib/vendor", "myenv", "node_modules"]);
    expect(note(snapshot, "binary")?.examples).toEqual(["image.png"]);
    expect(note(snapshot, "too-large")?.examples).toEqual(["huge.txt"]);
  });

  it("ignores FIFOs instead of blocking on them", async () => {
    write("a.txt", "a");
    try {
      execFileSync("mkfifo", [join(root, "pipe")]);
    } catch {
      return; // no mkfifo on this system
    }
    const snapshot = await snapshotFromDirectory(root);
    expect([...snapshot.files.keys()]).toEqual(["a.txt"]);
  });

  it("treats a folder name with a backslash as unsafe and does not descend into it", async () => {
    write("a\\b/c.txt", "x");
    write("ok.txt", "y");
    const snapshot = await snapshotFromDirectory(root);
    expect([...snapshot.files.keys()]).toEqual(["ok.txt"]);
    expect(note(snapshot, "unsafe-path")?.count).toBe(1);
  });

  it("stops at the caps with a note", async () => {
    for (let i = 0; i < 6; i++) write(`f${i}.txt`, "x".repeat(10));
    const bySize = await snapshotFromDirectory(root, { limits: { maxTotalBytes: 25 } });
    expect(bySize.truncated).toBe(true);
    expect([...bySize.files.keys()]).toEqual(["f0.txt", "f1.txt"]);
    expect(note(bySize, "total-size-cap")?.count).toBe(4);
    const byCount = await snapshotFromDirectory(root, { limits: { maxFiles: 3 } });
    expect(byCount.files.size).toBe(3);
    expect(note(byCount, "file-count-cap")?.count).toBe(3);
  });

  it("rejects a path that is not a directory", async () => {
    write("file.txt", "x");
    await expect(snapshotFromDirectory(join(root, "file.txt"))).rejects.toThrow(/not a directory/);
    await expect(snapshotFromDirectory(join(root, "missing"))).rejects.toThrow(/cannot read directory/);
  });

  it("gives the same snapshot as a tarball of the same tree", async () => {
    const tree: Record<string, string> = {
      "package.json": '{"name":"x"}',
      "src/index.ts": "\uFEFFexport {};",
      "dist/index.js": "compiled",
      "node_modules/a/index.js": "dep",
      ".env": "A=1",
      "docs/guide.md": "# Guide",
    };
    for (const [path, content] of Object.entries(tree)) write(path, content);
    const fromDir = await snapshotFromDirectory(root);
    const fromTar = await snapshotFromTarball(
      await buildTarGz([dir(""), ...Object.entries(tree).map(([path, content]) => file(path, content))]),
    );
    expect(fromDir.files).toEqual(fromTar.files);
    expect(fromDir.totalBytes).toBe(fromTar.totalBytes);
    expect(fromDir.notes.map((n) => [n.reason, n.count])).toEqual(fromTar.notes.map((n) => [n.reason, n.count]));
  });
});
