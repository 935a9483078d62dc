import { CatalogService } from '@backstage/plugin-catalog-node';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { InputError } from '@backstage/errors';
import {
  GOLDEN_PATHS,
  GoldenPathError,
  renderGoldenPath,
} from '@internal/create-ig';

/**
 * `conductor:golden-path:render`: the same renderer as the create-ig-*
 * commands, into the task's workspace. The owner must be a group of the
 * catalog, as the initiator sees it.
 */
export function createRenderAction(options: { catalog: CatalogService }) {
  return createTemplateAction({
    id: 'conductor:golden-path:render',
    description:
      'Renders a golden-path template (create-ig-service, create-ig-worker, create-ig-frontend) into the workspace, refusing bad parameters with the reason',
    supportsDryRun: true,
    schema: {
      input: {
        template: z => z.enum(GOLDEN_PATHS),
        values: z =>
          z.object({
            name: z.string().max(63),
            description: z.string().max(300).optional(),
            owner: z.string().max(255),
            system: z.string().max(63),
            slaRead: z.number().int().optional(),
            slaWrite: z.number().int().optional(),
          }),
      },
      output: {
        entityRef: z => z.string(),
        files: z => z.number(),
      },
    },
    async handler(ctx) {
      const credentials = await ctx.getInitiatorCredentials();
      try {
        const { values, files } = await renderGoldenPath({
          template: ctx.input.template,
          input: ctx.input.values,
          groupExists: async ref =>
            Boolean(await options.catalog.getEntityByRef(ref, { credentials })),
          targetDir: ctx.workspacePath,
        });
        ctx.logger.info(
          `Rendered ${ctx.input.template} for ${values.name}: ${files.length} files`,
        );
        ctx.output('entityRef', `component:default/${values.name}`);
        ctx.output('files', files.length);
      } catch (e) {
        if (e instanceof GoldenPathError) throw new InputError(e.message);
        throw e;
      }
    },
  });
}
