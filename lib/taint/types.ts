import type { Span } from "../extract/types.js";

/**
 * Where a tool's input ends up. Each kind maps to one finding category:
 * shell/argument -> command-injection (CWE-78 / CWE-88), code -> code-execution,
 * path -> path-traversal, url -> ssrf, sql -> sql-injection.
 */
export type FlowKind = "shell" | "argument" | "code" | "path" | "url" | "sql";

/** One hop of the trace: "`args.repo` (line 12)", "`cmd` (line 15)", "`exec(cmd)` (line 16)". */
export interface TraceStep {
  /** Source text of the value or call at this hop, short (<= 80 chars). */
  label: string;
  /** 1-based line in the flow's file. */
  line: number;
}

/**
 * A value from a tool's input (or an HTTP route's request) that reaches a dangerous call with
 * no check that makes it safe. Flows stopped by a full sanitiser are not emitted.
 */
export interface TaintFlow {
  kind: FlowKind;
  /** Normalised sink API, e.g. "child_process.exec", "fs.readFile", "requests.get", "exec.Command". */
  sink: string;
  /** The sink call. */
  span: Span;
  /** The sink call's source text, trimmed (evidence and fingerprint key). */
  snippet: string;
  /** The input the value comes from. */
  source: { name: string; line: number; kind: "tool-input" | "http-request" };
  /** Source first, sink last. */
  trace: TraceStep[];
  /** The tool whose handler the source belongs to, when known. */
  tool?: string;
  /**
   * "none": nothing checks the value. "partial": a check that can be bypassed, e.g.
   * `startsWith(root)` without a separator (`/allowed-evil` passes it); `note` says which.
   * "checked": a full check guards the sink (allow-list, containment, `--`). Not a finding: a
   * front end may emit it for shell sinks so MCPW-EXEC-001, which sees every shell call, can
   * stand down on a call the check makes safe. `note` names the check.
   */
  check: "none" | "partial" | "checked";
  note?: string;
  /** URL flows: the request carries the server's own credentials (token sent to a chosen host). */
  withCredentials?: boolean;
}
