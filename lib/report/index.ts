export { renderIssueBody, DEFAULT_MAX_CHARS } from "./markdown.js";
export type { ReportContext } from "./markdown.js";
export { renderJson } from "./json.js";
export { renderSarif, SARIF_FINGERPRINT, SARIF_SCHEMA, SECURITY_SEVERITY, sarifLevel } from "./sarif.js";
export type { SarifContext, SarifLevel } from "./sarif.js";
export {
  REPORT_MARKER,
  buildState,
  changesSince,
  comparableBody,
  hasMarker,
  normaliseFingerprints,
  parseReportState,
  renderState,
  stateCovers,
} from "./state.js";
export type { ReportState, StateChanges } from "./state.js";
export { permalink, commitUrl, shortSha } from "./links.js";
