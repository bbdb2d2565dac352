import type { PromptDefinition, ResourceDefinition, ServerInstructions } from "./types.js";

/** What the surface front ends find in one file, besides tools. */
export interface SurfaceFacts {
  prompts: PromptDefinition[];
  resources: ResourceDefinition[];
  instructions: ServerInstructions[];
}
