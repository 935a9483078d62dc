/** Where the CLI finds the backend and the token: flags first, then env. */
export interface ClientOptions {
  url?: string;
  token?: string;
}

/** An answer from the backend that was not a success, with its message. */
export class ConductorRequestError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

export function resolveClientOptions(opts: ClientOptions, env = process.env) {
  const url = opts.url ?? env.CONDUCTOR_URL;
  const token = opts.token ?? env.CONDUCTOR_TOKEN;
  if (!url)
    throw new ConductorRequestError(
      0,
      'No backend URL: pass --url or set CONDUCTOR_URL',
    );
  if (!token)
    throw new ConductorRequestError(
      0,
      'No token: pass --token or set CONDUCTOR_TOKEN',
    );
  return { url: url.replace(/\/+$/, ''), token };
}

/** Calls `/api/conductor<path>` and returns the JSON body, or throws its error. */
export async function callConductor<T>(
  opts: ClientOptions,
  method: 'GET' | 'POST' | 'DELETE',
  path: string,
  body?: unknown,
): Promise<T> {
  const { url, token } = resolveClientOptions(opts);
  let response: Response;
  try {
    response = await fetch(`${url}/api/conductor${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (e) {
    const cause =
      (e as { cause?: Error }).cause?.message ?? (e as Error).message;
    throw new ConductorRequestError(0, `Cannot reach ${url}: ${cause}`);
  }
  const text = await response.text();
  let json: any;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  if (!response.ok) {
    const message = json?.error?.message ?? (text || response.statusText);
    throw new ConductorRequestError(
      response.status,
      `${response.status} ${message}`,
    );
  }
  return json as T;
}
