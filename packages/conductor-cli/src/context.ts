import { Command } from 'commander';
import { ClientOptions, ConductorRequestError, callConductor } from './client';

/** Exit codes CI scripts can rely on. */
export const EXIT = { OK: 0, FAILED: 1, ERROR: 2 } as const;

/** Where a command prints. */
export interface Io {
  out: (line: string) => void;
  err: (line: string) => void;
}

/**
 * What every capability's commands are given: where to print, how to set the
 * exit code, and a client for the backend with the global flags applied.
 */
export interface CliContext {
  io: Io;
  /** Sets the process exit code (0 ok, 1 a gate or check failed, 2 error). */
  setExitCode(code: number): void;
  /** The global options: --url, --token, --json. */
  global(): ClientOptions & { json?: boolean };
  /** Calls `/api/conductor<path>` with the global options. */
  call<T>(
    method: 'GET' | 'POST' | 'DELETE',
    path: string,
    body?: unknown,
  ): Promise<T>;
}

/** Builds the context for one run of the program. */
export function createCliContext(
  program: Command,
  io: Io,
  setExitCode: (code: number) => void,
): CliContext {
  const global = () => program.opts() as ClientOptions & { json?: boolean };
  return {
    io,
    setExitCode,
    global,
    call: (method, path, body) => callConductor(global(), method, path, body),
  };
}

/** `kind:namespace/name` as the URL path `kind/namespace/name`. */
export function entityPath(ref: string): string {
  const m = /^([^:]+):(?:([^/]+)\/)?(.+)$/.exec(ref);
  if (!m)
    throw new ConductorRequestError(
      0,
      `--entity ${ref}: write it as kind:namespace/name, e.g. component:default/orders-api`,
    );
  return [m[1], m[2] ?? 'default', m[3]].map(encodeURIComponent).join('/');
}
