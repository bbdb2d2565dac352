import type { DependencyCollector } from "./collector.js";
import semver from "semver";
import { localPathSource } from "./sources.js";
import { ancestors, dirOf, joinPath } from "./text.js";

export interface GoRequire {
  module: string;
  version: string;
  line: number;
  indirect: boolean;
}

export interface GoReplace {
  module: string;
  /** Only this version is replaced; every version when absent. */
  version?: string;
  /** Replacement module path, or a local directory. */
  target: string;
  /** Absent when the target is a local directory. */
  targetVersion?: string;
  line: number;
}

export interface GoMod {
  module?: string;
  /** The `go` directive, e.g. "1.22". */
  go?: string;
  requires: GoRequire[];
  replaces: GoReplace[];
  /** Lines that could not be understood (1-based), for a problem note. */
  bad: number[];
}

/** Splits a go.mod line into tokens, honouring "quoted" and `raw` strings and `//` comments. */
function tokenize(line: string): { tokens: string[]; comment: string } {
  const tokens: string[] = [];
  const re = /\s+|\/\/.*|"((?:[^"\\]|\\.)*)"?|`([^`]*)`?|[^\s"`]+?(?=\s|"|`|\/\/|$)/gy;
  let m: RegExpExecArray | null;
  while ((m = re.exec(line)) !== null && m[0] !== "") {
    const text = m[0];
    if (/^\s/.test(text)) continue;
    if (text.startsWith("//")) return { tokens, comment: text.slice(2).trim() };
    if (text.startsWith('"')) tokens.push((m[1] ?? "").replace(/\\(.)/g, "$1"));
    else if (text.startsWith("`")) tokens.push(m[2] ?? "");
    else tokens.push(text);
  }
  return { tokens, comment: "" };
}

/** Parses go.mod's require and replace directives (single-line and block forms). */
export function parseGoMod(text: string): GoMod {
  const mod: GoMod = { requires: [], replaces: [], bad: [] };
  let block: string | undefined;
  const lines = text.split("\n");
  for (let n = 0; n < lines.length; n++) {
    const { tokens, comment } = tokenize(lines[n]);
    if (tokens.length === 0) continue;
    const line = n + 1;
    let verb: string;
    let args: string[];
    if (block !== undefined) {
      if (tokens[0] === ")") {
        block = undefined;
        continue;
      }
      verb = block;
      args = tokens;
    } else {
      verb = tokens[0];
      if (tokens[1] === "(" && tokens.length === 2) {
        block = verb;
        continue;
      }
      args = tokens.slice(1);
    }
    if (verb === "module" && args.length >= 1) mod.module = args[0];
    else if (verb === "go" && args.length >= 1) mod.go = args[0];
    else if (verb === "require") {
      if (args.length !== 2) mod.bad.push(line);
      // `// indirect` may share the comment with other words ("// indirect; see #12").
      else mod.requires.push({ module: args[0], version: args[1], line, indirect: /^indirect\b/.test(comment) });
    } else if (verb === "replace") {
      const arrow = args.indexOf("=>");
      const left = arrow < 0 ? [] : args.slice(0, arrow);
      const right = arrow < 0 ? [] : args.slice(arrow + 1);
      if (left.length < 1 || left.length > 2 || right.length < 1 || right.length > 2) mod.bad.push(line);
      else {
        mod.replaces.push({
          module: left[0],
          ...(left[1] ? { version: left[1] } : {}),
          target: right[0],
          ...(right[1] ? { targetVersion: right[1] } : {}),
          line,
        });
      }
    }
    // go, toolchain, exclude, retract, godebug, tool: nothing to resolve.
  }
  return mod;
}

/** One module version go.sum holds the full source checksum of (it was downloaded to build). */
export interface GoSumEntry {
  module: string;
  version: string;
  line: number;
}

/**
 * go.sum lines "module version h1:hash" (source) and "module version/go.mod h1:hash" (manifest
 * only). Only source lines say the module was built; of several versions the highest is the one
 * minimal version selection picked.
 */
export function parseGoSum(text: string): GoSumEntry[] {
  const best = new Map<string, GoSumEntry>();
  text.split("\n").forEach((raw, i) => {
    const parts = raw.trim().split(/\s+/);
    if (parts.length !== 3 || parts[1].endsWith("/go.mod") || !parts[2].startsWith("h1:")) return;
    const [module, version] = parts;
    const v = semver.valid(version.replace(/^v/, ""));
    if (!v) return;
    const prev = best.get(module);
    if (!prev || semver.gt(v, prev.version.replace(/^v/, ""))) best.set(module, { module, version, line: i + 1 });
  });
  return [...best.values()];
}

/**
 * Reads the go.mod of the module containing each server. Since Go 1.17 go.mod lists every module
 * the build uses (indirect ones included) at the version minimal version selection picks, so it
 * serves as the lockfile. Older go.mod files leave indirect modules out; go.sum fills those in.
 */
export class GoReader {
  private readonly mods = new Map<string, GoMod>();

  constructor(
    private readonly files: Map<string, string>,
    private readonly out: DependencyCollector,
  ) {}

  collect(root: string, server: string): void {
    const path = ancestors(root).map((d) => joinPath(d, "go.mod")).find((p) => this.files.has(p));
    if (!path) return;
    let mod = this.mods.get(path);
    if (!mod) {
      mod = parseGoMod(this.files.get(path)!);
      this.mods.set(path, mod);
      if (mod.bad.length > 0) this.out.problem(path, `could not read go.mod directive at line ${mod.bad.slice(0, 5).join(", ")}`);
    }
    // A replace with a local directory builds code from that folder, which may be outside the repository.
    for (const rep of mod.replaces) {
      if (rep.targetVersion !== undefined) continue;
      this.out.declare({ ecosystem: "Go", name: rep.module, spec: rep.target, ...localPathSource(dirOf(path), rep.target), path, line: rep.line, server });
    }
    const required = new Set(mod.requires.map((r) => r.module));
    for (const req of mod.requires) {
      // A version-specific replace wins over a blanket one, as in the go command.
      const rep =
        mod.replaces.find((r) => r.module === req.module && r.version === req.version) ??
        mod.replaces.find((r) => r.module === req.module && r.version === undefined);
      // Replaced by a local directory: the code is in this repository, not in a published module.
      if (rep && rep.targetVersion === undefined) continue;
      this.out.add({
        ecosystem: "Go",
        name: rep ? rep.target : req.module,
        version: rep ? rep.targetVersion! : req.version,
        declared: req.version,
        resolvedFrom: "lockfile",
        direct: !req.indirect,
        path,
        line: rep ? rep.line : req.line,
        server,
      });
    }
    // From Go 1.17 on, go.sum also holds modules that are only needed to check the graph.
    if (!completeGraphMissing(mod.go)) return;
    const sumPath = joinPath(dirOf(path), "go.sum");
    const sum = this.files.get(sumPath);
    if (sum === undefined) return;
    for (const entry of parseGoSum(sum)) {
      if (required.has(entry.module) || entry.module === mod.module) continue;
      const rep =
        mod.replaces.find((r) => r.module === entry.module && r.version === entry.version) ??
        mod.replaces.find((r) => r.module === entry.module && r.version === undefined);
      if (rep) continue; // replaced: go.mod's replace decides, and a local one is not published code
      this.out.add({ ecosystem: "Go", name: entry.module, version: entry.version, resolvedFrom: "lockfile", direct: false, path: sumPath, line: entry.line, server });
    }
  }
}

/** True when go.mod predates Go 1.17, whose go.mod lists only direct requirements reliably. */
function completeGraphMissing(go: string | undefined): boolean {
  if (go === undefined) return true;
  const m = /^1\.(\d+)/.exec(go);
  return m !== null && Number(m[1]) < 17;
}
