import { BackstageCredentials } from '@backstage/backend-plugin-api';
import {
  KubernetesValidatorFunctions,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import {
  normalizeEntityRef,
  reasonProblem,
} from '@internal/plugin-conductor-common';
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

/** A reason a person gives: at least 10 visible characters, at most 2000. */
export const REASON = z.string().superRefine((reason, ctx) => {
  const problem = reasonProblem(reason);
  if (problem) ctx.addIssue({ code: z.ZodIssueCode.custom, message: problem });
});

/** A numeric id in a route, e.g. `/exemptions/:id`. */
export const ID_PARAM = z.coerce
  .number({ message: 'must be a number' })
  .int('must be a whole number')
  .positive('must be a positive number')
  .max(Number.MAX_SAFE_INTEGER);

/** A body or an action's input naming one entity, `{ entityRef }` (other fields ignored). */
export const ENTITY_INPUT = z.object({ entityRef: ENTITY_REF });

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

/**
 * The entity ref of `/:kind/:namespace/:name` route parameters, each checked
 * as the catalog checks them (so `component:default/../..` is a 400).
 */
export function entityRefFromParams(params: Record<string, string>): string {
  const { kind, namespace, name } = params;
  if (!/^[a-zA-Z][a-zA-Z0-9]{0,62}$/.test(kind ?? '')) {
    throw new InputError(`kind: "${kind}" is not an entity kind`);
  }
  if (!KubernetesValidatorFunctions.isValidNamespace(namespace)) {
    throw new InputError(`namespace: "${namespace}" is not a namespace`);
  }
  if (!KubernetesValidatorFunctions.isValidObjectName(name)) {
    throw new InputError(`name: "${name}" is not an entity name`);
  }
  return stringifyEntityRef({ kind, namespace, name });
}

/** An error with an HTTP status of its own (413, 415), mapped by the error middleware. */
export class HttpStatusError extends InputError {
  constructor(readonly statusCode: number, message: string) {
    super(message);
  }
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
