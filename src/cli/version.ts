/** @module cli/version The tool's version, printed by --version and written into SARIF and JSON outputs. */
export const VERSION = "0.1.0";
