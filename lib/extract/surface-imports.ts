import type { Node, Parser, Tree } from "web-tree-sitter";
import { args } from "./nodes.js";
import { languageOf, parserFor } from "./parser.js";
import { createResolver, type CrossFileLookup, type ExternalText } from "./resolve.js";
import type { SourceLanguage } from "./types.js";

/**
 * Cross-file string constants, so a description written as `import { DESC } from "./descriptions.js"`
 * (or `from .descriptions import DESC`, or a Go constant in a sibling file of the package) is
 * read like a literal. Bounded: one hop (a constant that is itself imported stays dynamic), files
 * over the parse limit are skipped, and at most MAX_FILES other files are parsed per scan.
 */

const MAX_FILES = 2000;
const JS_EXTENSIONS = [".ts", ".tsx", ".mts", ".cts", ".js", ".mjs", ".cjs", ".jsx"];

type Constants = Map<string, ExternalText>;

function dirname(path: string): string {
  const i = path.lastIndexOf("/");
  return i < 0 ? "" : path.slice(0, i);
}

/** Join and normalise `a/b` + `../c` (never escapes the repository root). */
function joinPath(dir: string, rel: string): string | undefined {
  const parts = dir ? dir.split("/") : [];
  for (const segment of rel.split("/")) {
    if (segment === "" || segment === ".") continue;
    if (segment === "..") {
      if (parts.length === 0) return undefined;
      parts.pop();
    } else parts.push(segment);
  }
  return parts.join("/");
}

/** Files a JS/TS relative specifier may name ("./d.js" is "./d.ts" in a TS project). */
function jsCandidates(fromPath: string, specifier: string): string[] {
  if (!specifier.startsWith(".")) return [];
  const base = joinPath(dirname(fromPath), specifier);
  if (base === undefined) return [];
  const stem = base.replace(/\.(m|c)?(j|t)sx?$/, "");
  const out = [base];
  for (const ext of JS_EXTENSIONS) out.push(stem + ext);
  for (const ext of JS_EXTENSIONS) out.push(`${base}/index${ext}`);
  return out;
}

/** Files a Python `from X import Y` may name: relative to the file, or a package path from any ancestor folder. */
function pyCandidates(fromPath: string, specifier: string): string[] {
  const dots = /^\.*/.exec(specifier)![0].length;
  const modulePath = specifier.slice(dots).split(".").filter(Boolean).join("/");
  const out: string[] = [];
  const push = (dir: string | undefined) => {
    if (dir === undefined) return;
    const base = modulePath ? (dir ? `${dir}/${modulePath}` : modulePath) : dir;
    if (modulePath) out.push(`${base}.py`);
    out.push(base ? `${base}/__init__.py` : "__init__.py");
  };
  if (dots > 0) {
    let dir: string | undefined = dirname(fromPath);
    for (let i = 1; i < dots && dir !== undefined; i++) dir = dir === "" ? undefined : dirname(dir);
    push(dir);
    return out;
  }
  // Absolute import: the package root is some ancestor folder (src/, the repository root, ...).
  let dir = dirname(fromPath);
  for (let i = 0; i < 8; i++) {
    push(dir);
    if (dir === "") break;
    dir = dirname(dir);
  }
  return out;
}

/** Top-level declarations of one file: name -> initialiser node. */
function topLevel(root: Node, lang: SourceLanguage): Map<string, Node> {
  const out = new Map<string, Node>();
  const add = (name: Node | null | undefined, value: Node | null | undefined) => {
    if (name?.type === "identifier" && value && !out.has(name.text)) out.set(name.text, value);
  };
  for (const stmt of args(root)) {
    if (lang === "python") {
      const assignment = stmt.type === "expression_statement" ? args(stmt)[0] : undefined;
      if (assignment?.type === "assignment") add(assignment.childForFieldName("left"), assignment.childForFieldName("right"));
    } else if (lang === "go") {
      if (stmt.type !== "const_declaration" && stmt.type !== "var_declaration") continue;
      for (const spec of stmt.descendantsOfType(["const_spec", "var_spec"])) {
        if (!spec) continue;
        const values = args(spec.childForFieldName("value"));
        spec.childrenForFieldName("name").forEach((name, i) => add(name, values[i]));
      }
    } else {
      const decl = stmt.type === "export_statement" ? stmt.childForFieldName("declaration") : stmt;
      if (decl?.type !== "lexical_declaration" && decl?.type !== "variable_declaration") continue;
      for (const d of args(decl)) if (d.type === "variable_declarator") add(d.childForFieldName("name"), d.childForFieldName("value"));
    }
  }
  return out;
}

/** The lookup for one scan over the snapshot's files. Parsers must be loaded (see `createCrossFile`). */
export function crossFileLookup(
  files: ReadonlyMap<string, string>,
  parsers: ReadonlyMap<SourceLanguage, Parser>,
  maxBytes: number,
): CrossFileLookup {
  const cache = new Map<string, Constants | null>();
  let parsed = 0;
  let goDirs: Map<string, string[]> | undefined;

  const constantsOf = (path: string): Constants | null => {
    if (cache.has(path)) return cache.get(path)!;
    cache.set(path, null); // also guards against cycles
    const text = files.get(path);
    const lang = languageOf(path);
    const parser = lang ? parsers.get(lang) : undefined;
    if (text === undefined || !lang || !parser || parsed >= MAX_FILES || Buffer.byteLength(text, "utf8") > maxBytes) return null;
    parsed++;
    let tree: Tree | null = null;
    try {
      tree = parser.parse(text);
      if (!tree) return null;
      // One hop: the other file's own imports are not followed.
      const resolver = createResolver(lang, tree.rootNode, path);
      const out: Constants = new Map();
      for (const [name, value] of topLevel(tree.rootNode, lang)) {
        const t = resolver.text(value);
        if (t.value.length > 0) out.set(name, { value: t.value, dynamic: t.dynamic, source: t.source, span: t.span });
      }
      cache.set(path, out);
      return out;
    } catch {
      return null;
    } finally {
      tree?.delete();
    }
  };

  const firstHit = (candidates: string[], name: string): ExternalText | undefined => {
    for (const candidate of candidates) {
      if (!files.has(candidate)) continue;
      return constantsOf(candidate)?.get(name);
    }
    return undefined;
  };

  return {
    imported(fromPath, specifier, name) {
      const lang = languageOf(fromPath);
      if (!lang || lang === "go") return undefined;
      return firstHit(lang === "python" ? pyCandidates(fromPath, specifier) : jsCandidates(fromPath, specifier), name);
    },
    samePackage(fromPath, name) {
      if (!goDirs) {
        goDirs = new Map();
        for (const p of files.keys()) {
          if (!p.endsWith(".go") || p.endsWith("_test.go")) continue;
          const list = goDirs.get(dirname(p)) ?? [];
          list.push(p);
          goDirs.set(dirname(p), list);
        }
      }
      const siblings = (goDirs.get(dirname(fromPath)) ?? []).filter((p) => p !== fromPath).sort();
      for (const sibling of siblings.slice(0, 50)) {
        const hit = constantsOf(sibling)?.get(name);
        if (hit) return hit;
      }
      return undefined;
    },
  };
}

/** Load the parsers the snapshot needs, then build the lookup. */
export async function createCrossFile(files: ReadonlyMap<string, string>, maxBytes: number): Promise<CrossFileLookup> {
  const parsers = new Map<SourceLanguage, Parser>();
  for (const path of files.keys()) {
    const lang = languageOf(path);
    if (lang && !parsers.has(lang)) parsers.set(lang, await parserFor(lang));
  }
  return crossFileLookup(files, parsers, maxBytes);
}
