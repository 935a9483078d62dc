import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import fs from 'node:fs';
import path from 'node:path';
import { git, REPOSITORY_NAME } from '../git';

/** Where bare repositories go; the register action reads the same key. */
export function remoteBaseOf(config: Config): string {
  const base = config.getOptionalString('conductor.goldenPaths.git.remoteBase');
  if (!base) {
    throw new InputError(
      'conductor.goldenPaths.git.remoteBase: not configured; publish:git needs a directory for the repositories',
    );
  }
  return path.resolve(base);
}

/**
 * `publish:git`: publishes the workspace to a plain git remote, a bare
 * repository `<remoteBase>/<repository>.git`, by shelling out to git (the
 * scaffolder's git helpers speak HTTP only). An existing repository is never
 * touched; when any step fails, the repository it created is removed.
 */
export function createPublishGitAction(options: { config: Config }) {
  return createTemplateAction({
    id: 'publish:git',
    description:
      'Publishes the workspace to a new bare git repository under conductor.goldenPaths.git.remoteBase',
    schema: {
      input: {
        repository: z => z.string().max(63),
        description: z => z.string().max(300).optional(),
        defaultBranch: z => z.string().max(100).optional(),
        sourcePath: z => z.string().max(1000).optional(),
      },
      output: {
        remoteUrl: z => z.string(),
        commitHash: z => z.string(),
      },
    },
    async handler(ctx) {
      const { repository } = ctx.input;
      if (!REPOSITORY_NAME.test(repository)) {
        throw new InputError(
          `repository: "${repository}" must be a DNS label (a-z, 0-9, '-')`,
        );
      }
      const branch = ctx.input.defaultBranch ?? 'main';
      if (!/^[A-Za-z0-9._/-]+$/.test(branch) || branch.includes('..')) {
        throw new InputError(`defaultBranch: "${branch}" is not a branch name`);
      }
      const base = remoteBaseOf(options.config);
      const remote = path.join(base, `${repository}.git`);
      const source = path.resolve(
        ctx.workspacePath,
        ctx.input.sourcePath ?? '.',
      );
      if (!source.startsWith(path.resolve(ctx.workspacePath))) {
        throw new InputError('sourcePath: must stay inside the workspace');
      }

      // Task recovery re-runs a step: the checkpoint returns the first
      // publication instead of failing on the repository it created.
      const published = await ctx.checkpoint({
        key: `publish:git:${repository}`,
        fn: async () => {
          if (fs.existsSync(remote)) {
            throw new InputError(
              `repository: ${remote} already exists; choose another name`,
            );
          }
          const author = {
            GIT_AUTHOR_NAME:
              options.config.getOptionalString(
                'conductor.goldenPaths.git.authorName',
              ) ?? 'Maestro Conductor scaffolder',
            GIT_AUTHOR_EMAIL:
              options.config.getOptionalString(
                'conductor.goldenPaths.git.authorEmail',
              ) ?? 'scaffolder@conductor.invalid',
          };
          const env = {
            ...author,
            GIT_COMMITTER_NAME: author.GIT_AUTHOR_NAME,
            GIT_COMMITTER_EMAIL: author.GIT_AUTHOR_EMAIL,
          };
          const work = await ctx.createTemporaryDirectory();
          fs.mkdirSync(base, { recursive: true });
          let created = false;
          try {
            fs.cpSync(source, work, { recursive: true });
            await git(['init', '--quiet', '--initial-branch', branch], work);
            await git(['add', '--all'], work);
            const message = `Created from a golden path by ${
              ctx.user?.ref ?? 'the scaffolder'
            }${ctx.input.description ? `\n\n${ctx.input.description}` : ''}`;
            await git(['commit', '--quiet', '--message', message], work, env);
            const commitHash = await git(['rev-parse', 'HEAD'], work);
            fs.mkdirSync(remote);
            created = true;
            await git(
              ['init', '--quiet', '--bare', '--initial-branch', branch],
              remote,
            );
            await git(['push', '--quiet', remote, `${branch}:${branch}`], work);
            return { remoteUrl: `file://${remote}`, commitHash };
          } catch (e) {
            if (created) fs.rmSync(remote, { recursive: true, force: true });
            throw e;
          }
        },
      });
      ctx.logger.info(
        `Published ${published.commitHash} to ${published.remoteUrl}`,
      );
      ctx.output('remoteUrl', published.remoteUrl);
      ctx.output('commitHash', published.commitHash);
    },
  });
}
