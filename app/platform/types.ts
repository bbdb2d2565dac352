import type { Logger, ProbotOctokit } from "probot";

/** The authenticated client every GitHub call goes through (an installation's octokit). */
export type Octokit = InstanceType<typeof ProbotOctokit>;

export type { Logger };

export interface RepoRef {
  owner: string;
  repo: string;
}
