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

/** Where a declared dependency is fetched from. */
export type DeclarationSource = "registry" | "git" | "tarball" | "local";

/** One dependency exactly as a manifest declares it, whatever its source (for supply-chain rules). */
export interface Declaration {
  ecosystem: Ecosystem;
  name: string;
  /** The spec as written: "^1.2.0", "github:user/repo", "git+https://...@abc", "file:../lib". */
  spec: string;
  source: DeclarationSource;
  /** git: the full 40-hex commit the spec pins, when it pins one. */
  commit?: string;
  /** local: true when the path leaves the repository (or is absolute). */
  outsideRepo?: boolean;
  path: string;
  line: number;
  dev?: boolean;
  server?: string;
}

/** One package manifest of a server (package.json, pyproject.toml, requirements, Pipfile, go.mod). */
export interface ProjectFacts {
  ecosystem: Ecosystem;
  /** The manifest that declares the server's dependencies. */
  manifest: string;
  server: string;
  /** The lockfile that pins them, when there is one (or "fully pinned requirements" files). */
  lockfile?: string;
  /** Signs the folder is deployed as an application, e.g. "Dockerfile", "smithery.yaml", "scripts.start". */
  deployedBy: { path: string; line: number; what: string }[];
  /** Registry dependencies the manifest declares (0: nothing a lockfile would pin). */
  registryDependencies: number;
}

export interface DependencyFacts {
  dependencies: Dependency[];
  /** Declared ranges that could not be resolved (no lockfile), reported as such rather than guessed. */
  unresolved: Dependency[];
  problems: { path: string; message: string }[];
  /** Every manifest declaration, registry or not (absent in facts built by hand). */
  declarations?: Declaration[];
  /** One entry per server manifest read (absent in facts built by hand). */
  projects?: ProjectFacts[];
}
