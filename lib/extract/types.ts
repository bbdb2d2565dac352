import type { TaintFlow } from "../taint/types.js";
import type { ClientConfigFile } from "./client-config.js";
import type { TransportFact } from "./transport.js";

/** Facts the language front ends produce; rules read these, never the files. */

export type SourceLanguage = "typescript" | "tsx" | "javascript" | "python" | "go";

export interface Span {
  path: string;
  /** 1-based. */
  line: number;
  endLine: number;
}

/** A string the model will read, resolved statically where possible. */
export interface ResolvedText {
  /** The resolved text; for dynamic parts, a placeholder like `${expr}` stands in. */
  value: string;
  /** True when part of the value is only known at run time. */
  dynamic: boolean;
  /** The source text of the expression, so escape sequences (`\u200b`) stay visible. */
  source: string;
  span: Span;
}

export interface ToolParam {
  name: string;
  type?: string;
  description?: ResolvedText;
  required?: boolean;
}

export interface ToolDefinition {
  /** null when the name is computed at run time. */
  name: string | null;
  title?: ResolvedText;
  description?: ResolvedText;
  params: ToolParam[];
  /** readOnlyHint, destructiveHint, idempotentHint, openWorldHint when given as literals. */
  annotations: Record<string, boolean>;
  /** e.g. "ts-sdk.tool", "ts-sdk.registerTool", "fastmcp.addTool", "py-fastmcp.tool". */
  api: string;
  span: Span;
  /** The function that runs when the tool is called, when it could be located. */
  handler?: HandlerRef;
}

export interface HandlerRef {
  span: Span;
  /** Names of the handler's parameters as written (destructured names expanded). */
  params: string[];
}

/**
 * A call that runs a command through a shell (or may): exec, execSync, spawn with shell,
 * subprocess with shell=True, os.system, os.popen, ...
 */
export interface ShellCall {
  span: Span;
  /** Normalised API name, e.g. "child_process.exec", "subprocess.run", "os.system". */
  api: string;
  /** True when the call goes through a shell (exec*, shell: true, shell=True, os.system). */
  shell: boolean;
  /** The command argument. */
  command: {
    /** True when the value is fully known statically (literals and constants only). */
    constant: boolean;
    /** Source text of the argument, trimmed to 200 chars. */
    source: string;
    /** Variables/parameters the value is built from (empty when constant). */
    inputs: string[];
  };
  /** The tool whose handler contains this call, when known. */
  tool?: string;
  /** Source line(s) of the call, trimmed, for evidence and fingerprints. */
  snippet: string;
}

export interface ParseProblem {
  path: string;
  message: string;
}

export interface FileFacts {
  path: string;
  language: SourceLanguage;
  tools: ToolDefinition[];
  shellCalls: ShellCall[];
  /** Tool input reaching a dangerous call (lib/taint/). */
  flows: TaintFlow[];
  /** Listen addresses, CORS, TLS and JWT settings, ... (lib/extract/transport.ts). */
  transport: TransportFact[];
  problems: ParseProblem[];
}

export interface ExtractedFacts {
  files: FileFacts[];
  /** MCP client configs (.mcp.json, .cursor/mcp.json, ...) anywhere in the repository. */
  clientConfigs?: ClientConfigFile[];
}
