/**
 * Letters from other scripts that look like Latin ones, for names that impersonate another
 * (`reаd_file` with a Cyrillic `а`). Not the full Unicode confusables table: the letters that
 * pass for lower- and upper-case ASCII in common fonts, plus what NFKC folds (fullwidth and
 * mathematical letters).
 */

const LOOKALIKES: Record<string, string> = {
  // Cyrillic
  "а": "a", "в": "b", "е": "e", "ё": "e", "о": "o", "р": "p", "с": "c", "у": "y", "х": "x", "і": "i", "ї": "i",
  "ј": "j", "ѕ": "s", "ԁ": "d", "ԛ": "q", "ԝ": "w", "һ": "h", "ӏ": "l", "ь": "b", "к": "k", "п": "n", "г": "r", "т": "t",
  "А": "A", "В": "B", "Е": "E", "К": "K", "М": "M", "Н": "H", "О": "O", "Р": "P", "С": "C", "Т": "T", "Х": "X",
  "І": "I", "Ј": "J", "Ѕ": "S", "У": "Y", "Ԛ": "Q", "Ԝ": "W",
  // Greek
  "α": "a", "ο": "o", "ν": "v", "ρ": "p", "ι": "i", "κ": "k", "υ": "u", "χ": "x", "ε": "e", "τ": "t",
  "Α": "A", "Β": "B", "Ε": "E", "Ζ": "Z", "Η": "H", "Ι": "I", "Κ": "K", "Μ": "M", "Ν": "N", "Ο": "O", "Ρ": "P",
  "Τ": "T", "Υ": "Y", "Χ": "X",
  // Armenian, Latin extensions
  "օ": "o", "ս": "u", "հ": "h", "ո": "n", "ı": "i", "ɑ": "a", "ɡ": "g", "ℓ": "l", "ǀ": "l",
};

export interface Confusion {
  /** The name as ASCII, e.g. "read_file". */
  skeleton: string;
  /** Non-Latin scripts whose letters appear, e.g. ["Cyrillic"]. */
  scripts: string[];
  /** Letters that pass for Latin ones, with their code points. */
  lookalikes: { char: string; codePoint: number; looksLike: string }[];
  /** Latin letters next to letters of another script in the same name. */
  mixed: boolean;
}

const SCRIPTS: [string, RegExp][] = [
  ["Cyrillic", /\p{Script=Cyrillic}/u],
  ["Greek", /\p{Script=Greek}/u],
  ["Armenian", /\p{Script=Armenian}/u],
  ["Cherokee", /\p{Script=Cherokee}/u],
];

function asciiOf(ch: string): string | undefined {
  if (/^[\x00-\x7f]$/.test(ch)) return undefined;
  const direct = LOOKALIKES[ch];
  if (direct) return direct;
  const folded = ch.normalize("NFKC");
  return /^[A-Za-z0-9_]$/.test(folded) ? folded : undefined;
}

/**
 * How a name passes for ASCII, or undefined when it is plain ASCII or honestly written in
 * another script (a Cyrillic word with letters that have no Latin twin is not a disguise).
 */
export function confusionOf(name: string): Confusion | undefined {
  if (/^[\x00-\x7f]*$/.test(name)) return undefined;
  const chars = Array.from(name);
  const letters = chars.filter((c) => /\p{L}|\p{N}/u.test(c));
  const latin = letters.some((c) => /[A-Za-z]/.test(c));
  const lookalikes = chars
    .map((char) => ({ char, codePoint: char.codePointAt(0)!, looksLike: asciiOf(char) }))
    .filter((l): l is { char: string; codePoint: number; looksLike: string } => l.looksLike !== undefined);
  const scripts = SCRIPTS.filter(([, re]) => letters.some((c) => re.test(c))).map(([s]) => s);
  const foreign = letters.filter((c) => !/[\x00-\x7f]/.test(c));
  const allDisguised = foreign.length > 0 && foreign.every((c) => asciiOf(c) !== undefined);
  const mixed = latin && scripts.length > 0;
  if (lookalikes.length === 0 && !mixed) return undefined;
  // An all-Cyrillic (or Greek) name that is not made only of lookalikes is a real word.
  if (!latin && !allDisguised) return undefined;
  const skeleton = chars.map((c) => asciiOf(c) ?? c).join("");
  return { skeleton, scripts, lookalikes, mixed };
}
