import type { Node, Tree } from "web-tree-sitter";
import { ConstnessAnalyzer, type Constness } from "./constness.js";
import { clip, familyOf, snippetOf, spanOf } from "./shell-ast.js";
import type { ShellCallDraft } from "./shell-common.js";
import { goShellCalls } from "./shell-go.js";
import { jsShellCalls } from "./shell-js.js";
import { pythonShellCalls } from "./shell-python.js";
import { redactSecrets } from "./shell-redact.js";
import type { ShellCall, SourceLanguage } from "./types.js";

/**
 * Every call in one parsed file that runs a command through a shell, with whether the command
 * is constant and, if not, what it is built from. `tool` is left for the caller, which knows
 * where the tool handlers are. Never throws: a call we cannot analyse is skipped.
 */
export function extractShellCalls(
  tree: Tree,
  lang: SourceLanguage,
  path: string,
  text: string,
  analyzer: ConstnessAnalyzer = new ConstnessAnalyzer(tree.rootNode, lang),
  drafts: ShellCallDraft[] | undefined = shellCallDrafts(tree.rootNode, lang, analyzer),
): ShellCall[] {
  if (!drafts) return [];
  const calls: ShellCall[] = [];
  for (const d of drafts) {
    try {
      calls.push(toShellCall(d, analyzer, path, text));
    } catch {
      // A malformed subtree must not cost the rest of the file.
    }
  }
  return calls.sort((a, b) => a.span.line - b.span.line || a.snippet.localeCompare(b.snippet));
}

/**
 * The detector's drafts for one file, before constness and redaction; undefined when the
 * detector failed. Shared with the JS taint front end so the detector runs once per file.
 */
export function shellCallDrafts(root: Node, lang: SourceLanguage, analyzer: ConstnessAnalyzer): ShellCallDraft[] | undefined {
  const family = familyOf(lang);
  try {
    return family === "python" ? pythonShellCalls(root, analyzer) : family === "go" ? goShellCalls(root, analyzer) : jsShellCalls(root, analyzer);
  } catch {
    return undefined;
  }
}

function toShellCall(d: ShellCallDraft, analyzer: ConstnessAnalyzer, path: string, text: string): ShellCall {
  const parts: Constness[] = d.command.map((n) => analyzer.analyze(n));
  const inputs: string[] = [];
  for (const p of parts) for (const i of p.inputs) if (!inputs.includes(i)) inputs.push(i);
  return {
    span: spanOf(d.call, path),
    api: d.api,
    shell: d.shell,
    command: {
      constant: parts.every((p) => p.constant),
      source: redactSecrets(clip(d.command.map((n) => n.text).join(", "))),
      inputs: inputs.map(redactSecrets),
    },
    snippet: redactSecrets(snippetOf(d.call, text)),
  };
}
