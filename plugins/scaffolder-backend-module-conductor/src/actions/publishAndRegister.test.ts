import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { renderGoldenPath } from '@internal/create-ig';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createPublishGitAction } from './publishGit';
import { createRegisterAction } from './register';

function context(
  workspacePath: string,
  input: object,
  outputs: Record<string, unknown>,
) {
  return {
    input,
    workspacePath,
    logger: mockServices.logger.mock(),
    output: (k: string, v: unknown) => {
      outputs[k] = v;
    },
    checkpoint: async ({ fn }: { fn: () => Promise<unknown> }) => fn(),
    createTemporaryDirectory: async () =>
      fs.mkdtempSync(path.join(os.tmpdir(), 'golden-tmp-')),
    getInitiatorCredentials: async () => ({
      $$type: '@backstage/BackstageCredentials',
      principal: {},
    }),
    task: { id: 't' },
    user: { ref: 'user:default/jane' },
  } as any;
}

describe('publish:git and conductor:golden-path:register', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'golden-publish-'));
  const remoteBase = path.join(root, 'remotes');
  const definitionsDir = path.join(root, 'slo-definitions');
  const config = new ConfigReader({
    conductor: {
      goldenPaths: { git: { remoteBase }, catalogWaitSeconds: 1 },
      slo: { definitionsDir },
    },
  });
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  async function workspace(name: string) {
    const dir = fs.mkdtempSync(path.join(root, 'ws-'));
    await renderGoldenPath({
      template: 'create-ig-service',
      input: { name, owner: 'payments', system: 'checkout' },
      targetDir: dir,
    });
    return dir;
  }

  it('publishes the workspace to a new bare repository with plain git', async () => {
    const outputs: Record<string, unknown> = {};
    const ws = await workspace('orders-api');
    await createPublishGitAction({ config }).handler(
      context(ws, { repository: 'orders-api', description: 'Orders' }, outputs),
    );
    const remote = path.join(remoteBase, 'orders-api.git');
    expect(outputs.remoteUrl).toBe(`file://${remote}`);
    const clone = path.join(root, 'clone');
    execFileSync('git', ['clone', '--quiet', remote, clone]);
    expect(
      fs.readFileSync(path.join(clone, 'catalog-info.yaml'), 'utf8'),
    ).toContain('name: orders-api');
    expect(
      execFileSync('git', ['log', '--format=%H %an%n%B'], {
        cwd: clone,
        encoding: 'utf8',
      }),
    ).toContain(
      `${outputs.commitHash} Maestro Conductor scaffolder\nCreated from a golden path by user:default/jane`,
    );
    expect(fs.existsSync(path.join(ws, '.git'))).toBe(false);
  });

  it('never touches an existing repository and creates nothing when a step fails', async () => {
    const ws = await workspace('orders-api');
    await expect(
      createPublishGitAction({ config }).handler(
        context(ws, { repository: 'orders-api' }, {}),
      ),
    ).rejects.toThrow(/orders-api.git already exists; choose another name/);
    const empty = fs.mkdtempSync(path.join(root, 'empty-'));
    await expect(
      createPublishGitAction({ config }).handler(
        context(empty, { repository: 'nothing-here' }, {}),
      ),
    ).rejects.toThrow(/git commit failed/);
    expect(fs.readdirSync(remoteBase).sort()).toEqual(['orders-api.git']);
    await expect(
      createPublishGitAction({ config }).handler(
        context(ws, { repository: '../escape' }, {}),
      ),
    ).rejects.toThrow(/repository: "..\/escape" must be a DNS label/);
  });

  it('when the component never reaches the catalog, removes the location, SLO file, checkout and repository', async () => {
    const ws = await workspace('billing-api');
    const outputs: Record<string, unknown> = {};
    await createPublishGitAction({ config }).handler(
      context(ws, { repository: 'billing-api' }, outputs),
    );
    const removed: string[] = [];
    const catalog = {
      addLocation: jest.fn(async (location: { target: string }) => {
        expect(fs.existsSync(location.target)).toBe(true);
        expect(
          fs.existsSync(path.join(definitionsDir, 'slo/billing-api.yaml')),
        ).toBe(true);
        return {
          location: { id: 'loc-1', type: 'file', target: location.target },
          entities: [],
        };
      }),
      getEntityByRef: jest.fn(async () => undefined),
      removeLocationById: jest.fn(async (id: string) => {
        removed.push(id);
      }),
    };
    const action = createRegisterAction({
      config,
      catalog: catalog as any,
      auth: mockServices.auth(),
      discovery: mockServices.discovery(),
      logger: mockServices.logger.mock(),
    });
    await expect(
      action.handler(
        context(
          ws,
          {
            template: 'create-ig-service',
            name: 'billing-api',
            remoteUrl: outputs.remoteUrl,
          },
          {},
        ),
      ),
    ).rejects.toThrow(
      'component:default/billing-api did not appear in the catalog within 1 s',
    );
    expect(removed).toEqual(['loc-1']);
    expect(
      fs.existsSync(path.join(definitionsDir, 'slo/billing-api.yaml')),
    ).toBe(false);
    expect(fs.existsSync(path.join(remoteBase, '.catalog/billing-api'))).toBe(
      false,
    );
    expect(fs.existsSync(path.join(remoteBase, 'billing-api.git'))).toBe(false);
  });

  it('refuses a remote that publish:git did not create', async () => {
    const action = createRegisterAction({
      config,
      catalog: {} as any,
      auth: mockServices.auth(),
      discovery: mockServices.discovery(),
      logger: mockServices.logger.mock(),
    });
    await expect(
      action.handler(
        context(
          root,
          {
            template: 'create-ig-service',
            name: 'orders-api',
            remoteUrl: 'file:///etc',
          },
          {},
        ),
      ),
    ).rejects.toThrow(
      /remoteUrl: file:\/\/\/etc is not the repository publish:git created for orders-api/,
    );
    expect(fs.existsSync(path.join(remoteBase, 'orders-api.git'))).toBe(true);
  });
});
