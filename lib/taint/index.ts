import type { Node } from "web-tree-sitter";
import type { ConstnessAnalyzer } from "../extract/constness.js";
import type { ShellCallDraft } from "../extract/shell-common.js";
import type { SourceLanguage, ToolDefinition } from "../extract/types.js";
import { goFlows } from "./go.js";
import { jsFlows } from "./js.js";
import { pythonFlows } from "./python.js";
import type { TaintFlow } from "./types.js";

export interface FlowInput {
  root: Node;
  lang: SourceLanguage;
  path: string;
  text: string;
  /** Tools defined in this file (their handlers are the taint sources). */
  tools: ToolDefinition[];
  /** The file's shared analyzer (scope bindings are collected once per file); made when absent. */
  analyzer?: ConstnessAnalyzer;
  /** Shell-call drafts the extractor already found in this file, so the detector runs once. */
  shellDrafts?: ShellCallDraft[];
}

/** Flows from tool inputs to dangerous calls in one parsed file. */
export function extractFlows(input: FlowInput): TaintFlow[] {
  if (input.lang === "python") return pythonFlows(input);
  if (input.lang === "go") return goFlows(input);
  return jsFlows(input);
}

export type { TaintFlow };
