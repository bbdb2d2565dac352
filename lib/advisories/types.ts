import type { Ecosystem } from "../deps/types.js";
import type { Severity } from "../model.js";

/** One affected range, in OSV event form (the exact semantics are OSV's). */
export interface AffectedRange {
  introduced?: string;
  fixed?: string;
  lastAffected?: string;
}

export interface Advisory {
  /** GHSA id. */
  id: string;
  /** CVE ids and others. */
  aliases: string[];
  summary: string;
  severity: Severity;
  ecosystem: Ecosystem;
  /** Package name as the ecosystem spells it. */
  package: string;
  /** Version is affected if it falls in ANY of these ranges. */
  ranges: AffectedRange[];
  withdrawn: boolean;
  url?: string;
  /** CWE ids the advisory names, e.g. ["CWE-78"], when known. */
  cwe?: string[];
}

export interface PackageQuery {
  name: string;
  version: string;
}

/** Where advisories come from: GitHub REST in the App, OSV files offline. */
export interface AdvisorySource {
  /** Advisories that may affect the given packages (the matcher decides exactly). */
  lookup(ecosystem: Ecosystem, packages: PackageQuery[]): Promise<Advisory[]>;
}
