/**
 * Writes docs/rules.md from the rule definitions.
 *
 *   npm run rules-doc            # rewrite docs/rules.md
 *   npm run rules-doc -- --check # exit 1 when docs/rules.md is out of date
 */
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { renderRulesDoc } from "../lib/docs/rules-doc.js";

const target = fileURLToPath(new URL("../../docs/rules.md", import.meta.url));
const text = renderRulesDoc();
if (process.argv.includes("--check")) {
  let current = "";
  try {
    current = readFileSync(target, "utf8");
  } catch {
    // missing counts as out of date
  }
  if (current !== text) {
    console.error("docs/rules.md is out of date: run `npm run rules-doc`.");
    process.exit(1);
  }
  console.log("docs/rules.md is up to date.");
} else {
  writeFileSync(target, text);
  console.log(`wrote ${target}`);
}
