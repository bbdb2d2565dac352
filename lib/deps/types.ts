/** Dependencies as resolved from manifests and lockfiles. */

export type Ecosystem = "npm" | "PyPI" | "Go";

export interface Dependency {
  ecosystem: Ecosystem;
  name: string;
  /** The resolved version (lockfile) or the exact declared pin; undefined when only a range is known. */
  version?: string;
  /** What the manifest declared, e.g. "^1.2.0", "==2.0.1". */
  declared?: string;
  /** "lockfile" when read from a lockfile, "manifest-pin" when an exact pin in a manifest. */
  resolvedFrom?: "lockfile" | "manifest-pin";
  /** True for dependencies the manifest names directly. */
  direct: boolean;
  /** Where the evidence is: the lockfile or manifest line. */
  path: string;
  line: number;
  /** Chain from a direct dependency to this one, when known (e.g. ["express", "body-parser"]). */
  via?: string[];
  /** True when the lockfile marks it as installed for development only. */
  dev?: boolean;
  /** Folder of the MCP server whose manifests led to this dependency ("." for the root). */
  server?: string;
}

export interface DependencyFacts {
  dependencies: Dependency[];
  /** Declared ranges that could not be resolved (no lockfile), reported as such rather than guessed. */
  unresolved: Dependency[];
  problems: { path: string; message: string }[];
}
