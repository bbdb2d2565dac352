import { createRequire } from "node:module";
import { Language, Parser, type Tree } from "web-tree-sitter";
import type { SourceLanguage } from "./types.js";

// Grammar .wasm files ship inside the grammar packages; resolving them through the package
// system works the same from sources (tests) and from dist/ (CLI, App).
const require = createRequire(import.meta.url);
const GRAMMAR_FILES: Record<SourceLanguage, string> = {
  typescript: "tree-sitter-typescript/tree-sitter-typescript.wasm",
  tsx: "tree-sitter-typescript/tree-sitter-tsx.wasm",
  javascript: "tree-sitter-javascript/tree-sitter-javascript.wasm",
  python: "tree-sitter-python/tree-sitter-python.wasm",
  go: "tree-sitter-go/tree-sitter-go.wasm",
};

const EXTENSIONS: Record<string, SourceLanguage> = {
  ".ts": "typescript",
  ".mts": "typescript",
  ".cts": "typescript",
  ".tsx": "tsx",
  ".js": "javascript",
  ".mjs": "javascript",
  ".cjs": "javascript",
  ".jsx": "javascript",
  ".py": "python",
  ".go": "go",
};

/** Language of a source file by extension; undefined for anything we do not parse. */
export function languageOf(path: string): SourceLanguage | undefined {
  if (path.endsWith(".d.ts")) return undefined;
  const dot = path.lastIndexOf(".");
  return dot < 0 ? undefined : EXTENSIONS[path.slice(dot).toLowerCase()];
}

let initialised: Promise<void> | undefined;
const languages = new Map<SourceLanguage, Promise<Language>>();
const parsers = new Map<SourceLanguage, Parser>();

async function loadLanguage(lang: SourceLanguage): Promise<Language> {
  initialised ??= Parser.init();
  await initialised;
  let loading = languages.get(lang);
  if (!loading) {
    loading = Language.load(require.resolve(GRAMMAR_FILES[lang]));
    languages.set(lang, loading);
  }
  return loading;
}

/** A parser for the language, created once per process and reused. */
export async function parserFor(lang: SourceLanguage): Promise<Parser> {
  let parser = parsers.get(lang);
  if (!parser) {
    const language = await loadLanguage(lang);
    parser = new Parser();
    parser.setLanguage(language);
    parsers.set(lang, parser);
  }
  return parser;
}

/**
 * Parse one file. Returns null when tree-sitter gives up (it rarely does; syntax errors yield
 * a tree with ERROR nodes, which callers can walk as usual). Callers must `tree.delete()`.
 */
export async function parseSource(lang: SourceLanguage, text: string): Promise<Tree | null> {
  const parser = await parserFor(lang);
  return parser.parse(text);
}
