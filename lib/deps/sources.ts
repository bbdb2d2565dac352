import type { DeclarationSource } from "./types.js";
import { joinPath, normalizePath } from "./text.js";

/** How a declared dependency is fetched, for the supply-chain rules. */
export interface SourceInfo {
  source: DeclarationSource;
  /** git: the full commit hash the spec pins. */
  commit?: string;
  /** local: the path leaves the repository or is absolute. */
  outsideRepo?: boolean;
}

const FULL_SHA = /^[0-9a-f]{40}$/i;
const GIT_PREFIX = /^(git\+[a-z]+:|git:\/\/|github:|gitlab:|bitbucket:|gist:)/i;
/** npm's "user/repo" GitHub shorthand (a range never contains a slash). */
const GITHUB_SHORTHAND = /^[A-Za-z0-9][\w.-]*\/[\w.-]+(#.*)?$/;

/** A local path (relative to `dir`, a snapshot folder) as a SourceInfo. */
export function localPathSource(dir: string, path: string): SourceInfo {
  return localPath(dir, path);
}

function localPath(dir: string, path: string): SourceInfo {
  const p = path.trim();
  // Absolute paths, home folders and drive letters are outside by definition.
  if (p.startsWith("/") || p.startsWith("~") || /^[A-Za-z]:[\\/]/.test(p) || p.startsWith("\\")) return { source: "local", outsideRepo: true };
  return { source: "local", outsideRepo: normalizePath(joinPath(dir, p.replace(/\\/g, "/"))) === undefined };
}

function gitCommit(fragment: string | undefined): string | undefined {
  const ref = (fragment ?? "").replace(/^commit=/, "");
  return FULL_SHA.test(ref) ? ref.toLowerCase() : undefined;
}

/** What a package.json spec fetches; `dir` is the manifest's folder. */
export function npmSource(spec: string, dir: string): SourceInfo {
  const s = spec.trim();
  if (s.startsWith("npm:")) return { source: "registry" };
  if (/^(file|link|portal):/i.test(s)) return localPath(dir, s.replace(/^[a-z]+:(\/\/)?/i, ""));
  if (/^(workspace|patch):/i.test(s)) return { source: "local", outsideRepo: false };
  if (/^(\.{1,2}\/|~\/|\/)/.test(s)) return localPath(dir, s);
  // A repository URL ending in .git is cloned like the git protocols.
  if (GIT_PREFIX.test(s) || GITHUB_SHORTHAND.test(s) || (/^https?:\/\//i.test(s) && /\.git(#.*)?$/i.test(s))) {
    const hash = s.indexOf("#");
    const commit = hash < 0 ? undefined : gitCommit(s.slice(hash + 1));
    return { source: "git", ...(commit ? { commit } : {}) };
  }
  if (/^https?:\/\//i.test(s)) return { source: "tarball" };
  return { source: "registry" };
}

/**
 * A Python direct reference (requirements line, PEP 508 `name @ url`, or a path): VCS URLs are
 * git (pinned when `@<full sha>` follows the repository), other URLs are archives, the rest paths.
 */
export function pythonSource(reference: string, dir: string): SourceInfo {
  const s = reference.trim().replace(/#egg=.*$/, "");
  if (/^(git|hg|svn|bzr)\+/i.test(s)) {
    const m = /@([^@/#]+)$/.exec(s);
    const commit = m ? gitCommit(m[1]) : undefined;
    return { source: "git", ...(commit ? { commit } : {}) };
  }
  if (/^file:/i.test(s)) {
    const path = s.replace(/^file:(\/\/)?/i, "");
    return s.startsWith("file:///") || /^file:\/\/[^/]/.test(s) ? { source: "local", outsideRepo: true } : localPath(dir, path);
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(s)) return { source: "tarball" };
  return localPath(dir, s);
}

/** The project name a requirements URL line declares (`#egg=name`), or its last path segment. */
export function nameFromReference(reference: string): string {
  const egg = /[#&]egg=([A-Za-z0-9._-]+)/.exec(reference);
  if (egg) return egg[1];
  const clean = reference.replace(/[#?][^]*$/, "").replace(/@[^/@]*$/, "").replace(/(?<!\/)\/+$/, "");
  const last = clean.slice(clean.lastIndexOf("/") + 1).replace(/\.(git|zip|whl|tar\.gz|tgz)$/i, "");
  return last || reference;
}

/** Files whose presence in a server folder means it is built and deployed from the repository. */
export const DEPLOYMENT_FILES = ["Dockerfile", "Containerfile", "smithery.yaml", "smithery.yml", "Procfile", "fly.toml"] as const;

/** Deployment evidence files present in `dir` (line 1: the file itself is the evidence). */
export function deploymentFiles(files: Map<string, string>, dir: string): { path: string; line: number; what: string }[] {
  const out: { path: string; line: number; what: string }[] = [];
  for (const name of DEPLOYMENT_FILES) {
    const path = joinPath(dir, name);
    if (files.has(path)) out.push({ path, line: 1, what: name });
  }
  return out;
}
