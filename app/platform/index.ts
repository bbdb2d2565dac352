export { BotIdentity } from "./bot.js";
export { fitBody, GITHUB_BODY_LIMIT } from "./body.js";
export { describeError, statusOf } from "./errors.js";
export { IssuePlatform, ISSUE_TITLE, KnownIssues, type FoundIssues, type IssuePlatformOptions } from "./issues.js";
export { ensureLabels } from "./labels.js";
export { downloadSnapshot, resolveDefaultHead, TarballTooLargeError, type DefaultHead } from "./repository.js";
export type { Logger, Octokit, RepoRef } from "./types.js";
