import type { Node } from "web-tree-sitter";
import type { ConstnessAnalyzer } from "./constness.js";

/** What a language detector found, before it is turned into a ShellCall. */
export interface ShellCallDraft {
  call: Node;
  api: string;
  shell: boolean;
  /** The expression(s) that make up the command the shell runs. */
  command: Node[];
}

const POSIX_SHELLS = new Set(["sh", "bash", "zsh", "dash", "ksh", "ash", "mksh", "busybox"]);
const CMD = new Set(["cmd", "cmd.exe"]);
const POWERSHELL = new Set(["powershell", "powershell.exe", "pwsh", "pwsh.exe"]);

/** Program basename, lower-cased for the Windows names: "/bin/bash" -> "bash". */
function basename(program: string): string {
  const base = program.split(/[\\/]/).pop() ?? program;
  return CMD.has(base.toLowerCase()) || POWERSHELL.has(base.toLowerCase()) ? base.toLowerCase() : base;
}

/** True when `program` is a shell interpreter we know the command-string flag of. */
export function isShellProgram(program: string): boolean {
  const base = basename(program);
  return POSIX_SHELLS.has(base) || CMD.has(base) || POWERSHELL.has(base);
}

function isScriptFlag(program: string, flag: string): boolean {
  const base = basename(program);
  if (CMD.has(base)) return /^\/[ck]$/i.test(flag);
  if (POWERSHELL.has(base)) return /^-(c|command)$/i.test(flag);
  // -c, and combined short options such as -lc, -ec, -euc.
  return /^-[a-zA-Z]*c[a-zA-Z]*$/.test(flag);
}

/**
 * For `sh -c SCRIPT` style argument lists, the SCRIPT expression. Options before the flag must
 * be constant (otherwise we cannot tell where the script is); undefined when there is none.
 */
export function shellScript(program: string, argv: Node[], analyzer: ConstnessAnalyzer): Node | undefined {
  if (!isShellProgram(program)) return undefined;
  if (basename(program) === "busybox") {
    // busybox sh -c SCRIPT
    if (argv.length === 0 || analyzer.stringValue(argv[0]) !== "sh") return undefined;
    return shellScript("sh", argv.slice(1), analyzer);
  }
  for (let i = 0; i < argv.length; i++) {
    const value = analyzer.stringValue(argv[i]);
    if (value === undefined) return undefined;
    if (isScriptFlag(program, value)) return argv[i + 1];
    if (!value.startsWith("-") && !value.startsWith("/")) return undefined; // a script file, not -c
  }
  return undefined;
}
