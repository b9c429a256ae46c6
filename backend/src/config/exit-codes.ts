/**
 * How our processes stop when they cannot run (sysexits.h values, listed in the README): a supervisor
 * can tell "fix a setting" from "crashed".
 */
export const EXIT_CODE = {
  /** A setting is missing or malformed (EX_CONFIG). */
  config: 78,
  /** The port a process must listen on (PORT, WORKER_PORT) is taken (EX_UNAVAILABLE). */
  portInUse: 69,
} as const;
