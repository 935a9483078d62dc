import manifest from './persisted-query-manifest.json';
import type { OperationName } from './operations';
import { OPERATIONS } from './operations';

type Fetch = (input: string, init?: RequestInit) => Promise<Response>;

export interface GraphQLResult<T> {
  data?: T;
  errors?: { message: string; extensions?: { code?: string } }[];
}

const ids = new Map(manifest.operations.map(op => [op.name, op.id]));

/** The persisted id (sha256 of the body) of an operation. */
export function persistedId(name: OperationName): string {
  const id = ids.get(name);
  if (!id)
    throw new Error(
      `${name}: not in the persisted query manifest; run npm run persist`,
    );
  return id;
}

/**
 * Sends operations by id only (Apollo's persisted query protocol). A server
 * that does not know the id yet (PERSISTED_QUERY_NOT_FOUND) gets the body
 * once, as automatic persisted queries allow.
 */
export function createGraphQLClient(url: string, fetchImpl: Fetch) {
  const post = (body: object) =>
    fetchImpl(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'apollo-require-preflight': 'true',
      },
      body: JSON.stringify(body),
    }).then(res => res.json() as Promise<GraphQLResult<unknown>>);

  return async function execute<T>(
    name: OperationName,
    variables: Record<string, unknown> = {},
  ): Promise<T> {
    const extensions = {
      persistedQuery: { version: 1, sha256Hash: persistedId(name) },
    };
    let result = await post({ operationName: name, variables, extensions });
    if (
      result.errors?.some(
        e => e.extensions?.code === 'PERSISTED_QUERY_NOT_FOUND',
      )
    ) {
      result = await post({
        operationName: name,
        variables,
        extensions,
        query: OPERATIONS[name],
      });
    }
    if (result.errors?.length)
      throw new Error(result.errors.map(e => e.message).join('; '));
    return result.data as T;
  };
}
