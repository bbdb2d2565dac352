import type { RemoteExec } from "./supply-chain-shell.js";

/** Facts about how a server is built and installed; rules in lib/rules/supply-chain.ts and permissions.ts read them. */

/** A package-index or registry setting, wherever it was written. */
export interface IndexSetting {
  path: string;
  line: number;
  ecosystem: "PyPI" | "npm";
  /**
   * pip's names for PyPI ("index-url", "extra-index-url", "trusted-host", "find-links",
   * "allow-insecure-host", "index", "index-strategy"); "registry", "strict-ssl",
   * "unsafe-http-whitelist" for npm/yarn.
   */
  option: string;
  value: string;
  /** Where it came from, e.g. "requirements.txt", "pip.conf", "pyproject.toml [tool.uv]", "Dockerfile RUN", ".npmrc". */
  source: string;
  /** The line as written (clipped), for evidence. */
  snippet: string;
}

/** A download run by an interpreter in some shell text. */
export interface RemoteExecSite extends RemoteExec {
  path: string;
  line: number;
  endLine: number;
  /** "Dockerfile RUN", "package.json script \"postinstall\"", "shell script". */
  where: string;
  /** For package.json scripts: the script name. */
  script?: string;
}

export interface InstallHook {
  path: string;
  line: number;
  /** "preinstall" | "install" | "postinstall". */
  name: string;
  command: string;
  /** Package name from package.json, when given. */
  packageName?: string;
}

/** A file that could not be read; the scan goes on without it. */
export interface SupplyChainProblem {
  path: string;
  line: number;
  column: number;
  message: string;
}
