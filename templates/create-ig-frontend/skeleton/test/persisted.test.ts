import { createHash } from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import { createGraphQLClient, persistedId } from '../src/graphql/client';
import manifest from '../src/graphql/persisted-query-manifest.json';
import { OPERATIONS, type OperationName } from '../src/graphql/operations';

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

function reply(body: object) {
  return new Response(JSON.stringify(body), {
    headers: { 'content-type': 'application/json' },
  });
}

describe('persisted queries', () => {
  it('the manifest lists every operation with the sha256 of its current body (else: npm run persist)', () => {
    expect(manifest.operations.map(o => o.name).sort()).toEqual(
      Object.keys(OPERATIONS).sort(),
    );
    for (const op of manifest.operations) {
      expect(op.body).toBe(OPERATIONS[op.name as OperationName]);
      expect(op.id).toBe(sha256(op.body));
    }
  });

  it('sends the id only, and the body once when the server does not know the id', async () => {
    const fetch = vi
      .fn()
      .mockResolvedValueOnce(
        reply({
          errors: [
            {
              message: 'PersistedQueryNotFound',
              extensions: { code: 'PERSISTED_QUERY_NOT_FOUND' },
            },
          ],
        }),
      )
      .mockResolvedValueOnce(reply({ data: { health: { status: 'ok' } } }));
    const execute = createGraphQLClient('http://api/graphql', fetch);
    await expect(execute('Health')).resolves.toEqual({
      health: { status: 'ok' },
    });
    const first = JSON.parse(fetch.mock.calls[0][1].body);
    expect(first.query).toBeUndefined();
    expect(first.extensions.persistedQuery.sha256Hash).toBe(
      persistedId('Health'),
    );
    expect(JSON.parse(fetch.mock.calls[1][1].body).query).toBe(
      OPERATIONS.Health,
    );
  });

  it('surfaces GraphQL errors', async () => {
    const fetch = vi
      .fn()
      .mockResolvedValue(
        reply({ errors: [{ message: 'name: must be 1 to 200 characters' }] }),
      );
    await expect(
      createGraphQLClient('http://api', fetch)('CreateItem', { name: '' }),
    ).rejects.toThrow('name: must be 1 to 200 characters');
  });
});
