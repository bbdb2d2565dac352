import { parseGitHubRange } from "../../lib/advisories/github-range.js";
import { isAffected } from "../../lib/advisories/versions.js";

describe("parseGitHubRange", () => {
  test.each([
    [">= 1.0.0, < 1.2.3", [{ introduced: "1.0.0", fixed: "1.2.3" }]],
    ["< 0.1.16", [{ introduced: "0", fixed: "0.1.16" }]],
    ["<= 0.6.2", [{ introduced: "0", lastAffected: "0.6.2" }]],
    [">= 2.0.0", [{ introduced: "2.0.0" }]],
    ["= 1.2.3", [{ introduced: "1.2.3", lastAffected: "1.2.3" }]],
    [">= 0.0.5, < 0.1.16", [{ introduced: "0.0.5", fixed: "0.1.16" }]],
    [">= 5.0.0-alpha.1, < 5.0.0-beta.3", [{ introduced: "5.0.0-alpha.1", fixed: "5.0.0-beta.3" }]],
    [">=1.0,<2.0", [{ introduced: "1.0", fixed: "2.0" }]],
    ["< 1.0.0 || >= 2.0.0, < 2.1.0", [{ introduced: "0", fixed: "1.0.0" }, { introduced: "2.0.0", fixed: "2.1.0" }]],
  ])("%s", (input, expected) => {
    expect(parseGitHubRange(input)).toEqual(expected);
  });

  test.each(["", "   ", "~> 1.0", ">= 1.0, >= 2.0", "< 1, <= 2", "= 1.0, < 2.0", ">="])("unreadable %p gives no range", (input) => {
    expect(parseGitHubRange(input)).toEqual([]);
  });

  test("an exact `= x` range affects only x", () => {
    const ranges = parseGitHubRange("= 1.2.3");
    expect(isAffected("npm", "1.2.3", ranges)).toBe(true);
    expect(isAffected("npm", "1.2.2", ranges)).toBe(false);
    expect(isAffected("npm", "1.2.4", ranges)).toBe(false);
  });
});
