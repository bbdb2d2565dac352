import type { FlowInput } from "./index.js";
import type { TaintFlow } from "./types.js";

/** Taint front end for this language; see lib/taint/types.ts for what a flow is. */
export function pythonFlows(_input: FlowInput): TaintFlow[] {
  return [];
}
