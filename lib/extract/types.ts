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
  /**
   * What the handler can do, inferred from the calls it makes (lib/extract/capabilities.ts).
   * Absent when the handler could not be located; empty when it was and does nothing notable.
   */
  capabilities?: ToolCapability[];
}

/** The capability vocabulary (docs/capabilities.md). */
export type CapabilityKind = "runs-commands" | "evaluates-code" | "reads-files" | "writes-files" | "network" | "reads-env";

/** One piece of evidence that a tool's handler can do something. */
export interface ToolCapability {
  kind: CapabilityKind;
  /** Normalised API, e.g. "fs.writeFile", "subprocess.run", "requests.post", "os.Getenv". */
  api: string;
  /** The call (or access) that shows it. */
  span: Span;
  /** Functions followed from the handler to the call, outermost first; empty: in the handler itself. */
  via: string[];
  /** Short detail for evidence: the command prefix, HTTP method or variable name (redacted, clipped). */
  detail?: string;
  /** network: true for POST/PUT/PATCH/DELETE, false for GET/HEAD/OPTIONS, absent when unknown. */
  mutating?: boolean;
  /** Deletes, moves, truncates or overwrites (file removal, rename, HTTP DELETE). */
  destructive?: boolean;
  /** runs-commands: the program and leading constant arguments ("git log"); absent when chosen at run time. */
  program?: string;
}

/** A call from a function into another file of the repository, resolved after all files are parsed. */
export interface ImportedCallee {
  /** JS: the import specifier ("./git.js"); Python: the module (".utils", "pkg.mod"); Go: the import path, "" for the same package. */
  module: string;
  name: string;
  /** Functions followed before this call, outermost first. */
  via: string[];
}

/** Per-file capabilities of top-level functions, kept so other files' tools can use them. */
export interface CapabilitySummary {
  functions: { name: string; capabilities: ToolCapability[]; callees: ImportedCallee[] }[];
  /** For each entry of FileFacts.tools (same index): calls into other files still to resolve. */
  toolCallees: ImportedCallee[][];
}

export interface HandlerRef {
  span: Span;
  /** Names of the handler's parameters as written (destructured names expanded). */
  params: string[];
}

/** A prompt template the server offers (`registerPrompt`, `@mcp.prompt`, `mcp.NewPrompt`, ...). */
export interface PromptDefinition {
  /** null when the name is computed at run time. */
  name: string | null;
  title?: ResolvedText;
  description?: ResolvedText;
  /** The prompt's arguments (argsSchema / arguments / function parameters). */
  args: ToolParam[];
  /** e.g. "ts-sdk.registerPrompt", "py-fastmcp.prompt", "mcp-go.NewPrompt". */
  api: string;
  span: Span;
  handler?: HandlerRef;
}

/** A resource or resource template the server offers. */
export interface ResourceDefinition {
  /** null when the name is computed at run time (or not given). */
  name: string | null;
  /** The URI, or the URI template for templates. */
  uri?: ResolvedText;
  /** True for resource templates (`file://{path}`). */
  template: boolean;
  title?: ResolvedText;
  description?: ResolvedText;
  mimeType?: string;
  api: string;
  span: Span;
  handler?: HandlerRef;
}

/** The server `instructions` string a client passes to the model (often into the system prompt). */
export interface ServerInstructions {
  text: ResolvedText;
  /** e.g. "ts-sdk.McpServer", "py-fastmcp.FastMCP", "mcp-go.WithInstructions". */
  api: string;
  span: Span;
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
  /** Prompts, resources and server instructions (lib/extract/surface-*.ts). */
  prompts?: PromptDefinition[];
  resources?: ResourceDefinition[];
  instructions?: ServerInstructions[];
  problems: ParseProblem[];
  /** Function capabilities for cross-file resolution (lib/extract/capabilities-link.ts). */
  capabilitySummary?: CapabilitySummary;
}

export interface ExtractedFacts {
  files: FileFacts[];
  /** MCP client configs (.mcp.json, .cursor/mcp.json, ...) anywhere in the repository. */
  clientConfigs?: ClientConfigFile[];
}
