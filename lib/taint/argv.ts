/**
 * What argument injection needs to know about programs, shared by every language: which programs
 * have options that can do harm, and which options take the next argument as their value.
 */

/** Programs whose options can do harm: a value that becomes an option can read/write files or run commands. */
export const OPTION_PROGRAMS = new Set([
  "git", "tar", "find", "curl", "wget", "ssh", "scp", "sftp", "kubectl", "rsync", "docker", "podman", "npm", "npx", "yarn",
  "pnpm", "pip", "pip3", "helm", "gh", "zip", "unzip", "7z", "psql", "mysql", "aws", "gcloud", "az", "terraform", "ffmpeg",
  "convert", "sed", "awk", "xargs", "grep", "rg", "hg", "svn", "make", "systemctl", "openssl", "mvn", "gradle", "cargo", "go",
]);

/**
 * Options that take the next argument as their value (`git -C dir`, `kubectl -n ns`), per program:
 * that value is read as the option's value, so it cannot become an option itself. Short options
 * mean different things to different programs (`wget -O file`, but `curl -O` takes none), so they
 * are only trusted for the programs listed; long options below are taken to mean the same anywhere.
 */
const SHORT_VALUE_OPTIONS: Record<string, string> = {
  git: "-C -c -m -b -B -n -o -F -u",
  kubectl: "-n -f -o -l -c",
  helm: "-n -f -o",
  tar: "-C -f -T -X",
  curl: "-o -H -d -X -u -F -e -A -m -T -b -c -x -w -K",
  wget: "-O -P -t -T -U -o -a -e",
  docker: "-e -v -p -w -u -f -t -l -m -c",
  podman: "-e -v -p -w -u -f -t -l -m -c",
  ssh: "-p -i -l -o -F -J -L -R -D -E -b -c -m -W",
  scp: "-P -i -o -F -J -l -c",
  sftp: "-P -i -o -F -J -l -b",
  rsync: "-e -f -T",
  gh: "-R -b -t -l -a -B -H -m",
  grep: "-e -f -m -A -B -C",
  rg: "-e -f -m -A -B -C -g -t",
  npm: "-w",
};

const LONG_VALUE_OPTIONS = new Set([
  "--namespace", "--output", "--file", "--filename", "--depth", "--branch", "--message", "--context", "--format", "--author",
  "--since", "--until", "--max-count", "--origin", "--user", "--header", "--data", "--request", "--directory", "--name",
  "--tag", "--selector", "--kubeconfig", "--config", "--target", "--region", "--profile", "--project", "--registry",
  "--workdir", "--git-dir", "--work-tree", "--container", "--values", "--set", "--repo", "--body", "--title", "--label",
  "--env", "--volume", "--publish", "--network", "--entrypoint", "--platform", "--prefix", "--workspace", "--exclude",
  "--include", "--glob", "--type",
]);

/** Find's primaries all take a value (`-name x`, `-path x`, `-newer f`). */
const FIND_VALUE_PRIMARIES = new Set(["-name", "-iname", "-path", "-ipath", "-type", "-maxdepth", "-mindepth", "-newer", "-size", "-mtime", "-user", "-group", "-perm", "-regex"]);

const SHORT = new Map(Object.entries(SHORT_VALUE_OPTIONS).map(([program, list]) => [program, new Set(list.split(" "))]));

/** Does `option`, given to `program`, take the next argument as its value? */
export function takesValue(program: string, option: string): boolean {
  if (LONG_VALUE_OPTIONS.has(option)) return true;
  if (program === "find") return FIND_VALUE_PRIMARIES.has(option);
  return SHORT.get(program)?.has(option) ?? false;
}
