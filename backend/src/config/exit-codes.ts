/**
 * How our processes stop when they cannot run (sysexits.h values, listed in the README): a supervisor
 * can tell "fix a setting" from "crashed", and `npm start` restarts only the latter.
 */
export const EXIT_CODE = {
  /** A setting is missing or malformed, or production lacks a key (EX_CONFIG). */
  config: 78,
  /** The port a process must listen on (PORT, WORKER_PORT) is taken (EX_UNAVAILABLE). */
  portInUse: 69,
  /** `npm start` gave up on a child that kept crashing (EX_SOFTWARE). */
  crashLoop: 70,
} as const;

/** Exit codes that a restart cannot fix: the launcher passes them on instead of restarting. */
export const SETTING_EXIT_CODES: readonly number[] = [EXIT_CODE.config, EXIT_CODE.portInUse];
