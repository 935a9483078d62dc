import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import { z } from 'zod';

/**
 * One Conductor answer as an action for agents, in our own shape. The
 * actions registry is alpha and its schema shape is about to change; only
 * `registerConductorAction` knows it.
 */
export interface ConductorAction<
  I extends z.AnyZodObject,
  O extends z.AnyZodObject,
> {
  name: string;
  title: string;
  description: string;
  input: I;
  output: O;
  /** Reads only: no decision recorded, nothing changed. */
  readOnly: boolean;
  /** Runs with the caller's credentials, so the routes' permission checks apply. */
  run(
    input: z.infer<I>,
    credentials: BackstageCredentials,
  ): Promise<z.infer<O>>;
}

/** Registers an action with the registry's current (alpha) shape. */
export function registerConductorAction<
  I extends z.AnyZodObject,
  O extends z.AnyZodObject,
>(registry: ActionsRegistryService, action: ConductorAction<I, O>): void {
  registry.register({
    name: action.name,
    title: action.title,
    description: action.description,
    schema: {
      input: () => action.input,
      output: () => action.output,
    },
    attributes: {
      readOnly: action.readOnly,
      destructive: false,
      idempotent: action.readOnly,
    },
    action: async ({
      input,
      credentials,
    }: {
      input: z.infer<I>;
      credentials: BackstageCredentials;
    }) => ({
      output: await action.run(input, credentials),
    }),
    // The alpha options type changes between releases; this adapter is the one place that knows it.
  } as any);
}
