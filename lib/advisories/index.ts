export { CachedAdvisorySource, type CacheOptions } from "./cache.js";
export { fetchAdvisories } from "./fetch.js";
export { GitHubAdvisorySource, nextCursor, type AdvisoryOctokit, type GitHubAdvisoryOptions } from "./github.js";
export { parseGitHubRange } from "./github-range.js";
export { advisoriesFromOsv, OsvDirectorySource, parseOsvRecord, type OsvRecord } from "./osv.js";
export { severityFromGitHub } from "./severity.js";
export type { Advisory, AdvisorySource, AffectedRange, PackageQuery } from "./types.js";
export { compareVersions, inRange, isAffected, isValidVersion, rangesFromEvents } from "./versions.js";
