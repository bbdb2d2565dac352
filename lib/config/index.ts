export type { ConfigError, IgnoreEntry, WardenConfig } from "./types.js";
export { CONFIG_PATH, DEFAULT_CONFIG, MAX_CONFIG_BYTES, defaultConfig, parseConfig, parseConfigText } from "./parse.js";
export type { ParsedConfig } from "./parse.js";
export { findIgnore, isExcluded, matchesGlob } from "./ignore.js";
export { configJsonSchema, configSchema } from "./schema.js";
