import { EXIT_CODE } from '../../config/exit-codes';

/** True when a listen failed because another process holds the port. */
export function isPortInUse(err: unknown): boolean {
  return (err as NodeJS.ErrnoException | null)?.code === 'EADDRINUSE';
}

/** One line on stderr naming the setting to change, instead of a stack trace; then EXIT_CODE.portInUse. */
export function exitPortInUse(setting: 'PORT' | 'WORKER_PORT', host: string, port: number): never {
  process.stderr.write(`provenant: ${setting}=${port} is already in use on ${host}; stop the other process or set ${setting} to a free port\n`);
  process.exit(EXIT_CODE.portInUse);
}
