export { detectServers, serverForPath } from "./servers.js";
export { GO_SERVER_MODULES, NODE_SERVER_PACKAGES, PYTHON_SERVER_PACKAGES, normalisePythonName } from "./known-packages.js";
export type { McpServer, ServerLanguage } from "./types.js";
