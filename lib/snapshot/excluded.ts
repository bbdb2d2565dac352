/**
 * Directories that hold dependencies, virtual environments, build output or tool caches.
 * Their content is not the repository's own code: scanning it would bury real findings
 * under third-party noise and blow the size budget. A directory with one of these names is
 * skipped wherever it appears in the tree (`packages/a/node_modules` as well as `node_modules`).
 *
 * Deliberately NOT excluded: `.github`, `.vscode`, `.cursor` (they hold MCP client configs and
 * workflows that rules inspect), `lib`, `bin`, `src`, `test`, `examples`.
 *
 * `.env` is excluded only as a DIRECTORY (a virtualenv); a `.env` FILE is kept, because it is
 * exactly where hard-coded secrets live. A plain `env/` folder is common source code
 * (`src/env/index.ts`), so it is skipped only when it is a virtualenv: any folder holding a
 * `pyvenv.cfg` is treated as one (see SnapshotBuilder).
 */
export const EXCLUDED_DIRECTORY_NAMES: ReadonlySet<string> = new Set([
  // JavaScript dependencies and caches
  "node_modules",
  "bower_components",
  "jspm_packages",
  ".yarn",
  ".pnpm-store",
  // vendored third-party code (Go, PHP, Ruby, C)
  "vendor",
  "third_party",
  "third-party",
  // build output
  "dist",
  "build",
  "out",
  "target",
  ".next",
  ".nuxt",
  ".svelte-kit",
  ".output",
  ".turbo",
  ".vercel",
  ".serverless",
  ".parcel-cache",
  ".cache",
  // version control metadata
  ".git",
  ".hg",
  ".svn",
  // Python environments and caches
  ".venv",
  "venv",
  ".env",
  "__pycache__",
  "site-packages",
  ".tox",
  ".nox",
  ".pytest_cache",
  ".mypy_cache",
  ".ruff_cache",
  ".eggs",
  // coverage reports
  "coverage",
  ".nyc_output",
  "htmlcov",
  // other toolchains
  ".gradle",
  ".terraform",
]);

/**
 * The outermost excluded folder that contains `path` (a file path: its own last segment is
 * not considered), or null. `isDirectory` makes the last segment count too.
 */
export function excludedAncestor(path: string, isDirectory = false): string | null {
  const segments = path.split("/");
  const folderCount = isDirectory ? segments.length : segments.length - 1;
  for (let i = 0; i < folderCount; i++) {
    const segment = segments[i] as string;
    if (EXCLUDED_DIRECTORY_NAMES.has(segment) || segment.endsWith(".egg-info")) {
      return segments.slice(0, i + 1).join("/");
    }
  }
  return null;
}

/** The file whose presence marks its folder as a Python virtual environment. */
export const VIRTUALENV_MARKER = "pyvenv.cfg";
