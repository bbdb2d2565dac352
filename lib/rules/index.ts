import type { RawFinding } from "../model.js";
import { annotations } from "./annotations.js";
import { commandInjection } from "./command-injection.js";
import { dependencySupplyChain } from "./dependency-supply-chain.js";
import { exfiltration } from "./exfiltration.js";
import { manifests } from "./manifests.js";
import { permissions } from "./permissions.js";
import { secrets } from "./secrets.js";
import { shadowing } from "./shadowing.js";
import { supplyChain } from "./supply-chain.js";
import { dataFlow } from "./taint.js";
import { toolPoisoning } from "./tool-poisoning.js";
import { transport } from "./transport.js";
import type { RuleContext, RuleFamily } from "./types.js";
import { unpinnedLaunch } from "./unpinned-launch.js";
import { vulnerableDependency } from "./vulnerable-dependency.js";

/** Every rule family, in the order they run (the order does not change the output: it is sorted). */
export const RULE_FAMILIES: readonly RuleFamily[] = [
  toolPoisoning,
  shadowing,
  exfiltration,
  commandInjection,
  dataFlow,
  secrets,
  unpinnedLaunch,
  supplyChain,
  permissions,
  vulnerableDependency,
  dependencySupplyChain,
  transport,
  manifests,
  annotations,
];

export interface RuleRun {
  findings: RawFinding[];
  /** A family that threw: its findings are missing, and the report says so. */
  failures: { family: string; message: string }[];
}

/** Run every family; one family's bug must not cost the others' findings. */
export function runRules(ctx: RuleContext, families: readonly RuleFamily[] = RULE_FAMILIES): RuleRun {
  const findings: RawFinding[] = [];
  const failures: RuleRun["failures"] = [];
  for (const family of families) {
    try {
      findings.push(...family.run(ctx));
    } catch (err) {
      failures.push({ family: family.id, message: err instanceof Error ? err.message : String(err) });
    }
  }
  return { findings, failures };
}
