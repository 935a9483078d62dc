import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import { normalizeEntityRef } from '@internal/plugin-conductor-common';
import { z } from 'zod';

/** An entity ref in a body, normalised (`component:default/orders-api`). */
export const ENTITY_REF = z.string().transform((ref, ctx) => {
  const parsed = normalizeEntityRef(ref);
  if (typeof parsed !== 'string') {
    ctx.addIssue({ code: z.ZodIssueCode.custom, message: parsed.error });
    return z.NEVER;
  }
  return parsed;
});

/** A deployment environment name such as `production`. */
export const ENVIRONMENT = z
  .string()
  .regex(
    /^[a-z0-9][a-z0-9-]{0,63}$/,
    'must be an environment name such as production',
  );

/** Parses a body or query with a zod schema, or throws an InputError naming the field. */
export function parseBody<T>(schema: z.ZodType<T, any, any>, body: unknown): T {
  const result = schema.safeParse(body);
  if (!result.success) {
    throw new InputError(
      result.error.issues
        .map(i => `${i.path.join('.') || 'body'}: ${i.message}`)
        .join('; '),
    );
  }
  return result.data;
}

/** The entity ref of `/:kind/:namespace/:name` route parameters. */
export function entityRefFromParams(params: Record<string, string>): string {
  return stringifyEntityRef({
    kind: params.kind,
    namespace: params.namespace,
    name: params.name,
  });
}

/** `ci:<subject>` for a CI token, so every fact says which pipeline sent it. */
export function sourceOf(credentials: BackstageCredentials): string {
  const principal = credentials.principal as {
    type: string;
    subject?: string;
    userEntityRef?: string;
  };
  if (principal.type === 'service') {
    return `ci:${(principal.subject ?? 'unknown').replace(/^external:/, '')}`;
  }
  return `user:${principal.userEntityRef ?? 'unknown'}`;
}
