import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import request from 'supertest';
import {
  permissionsThatSay,
  routerTestApp,
} from '../__testUtils__/routerTestApp';
import { RemediationService } from './RemediationService';
import { createRemediationRouter } from './router';

function setup(allow = true) {
  const remediation = {
    run: jest.fn(async () => []),
    log: jest.fn(async () => ({
      changeRequests: [{ id: 4, entityRef: 'component:default/a' }],
      events: [],
    })),
    stats: jest.fn(async () => ({ teams: [], weeks: [] })),
    merge: jest.fn(async () => ({ id: 4, state: 'merged' })),
    close: jest.fn(async () => ({ id: 4, state: 'closed' })),
  };
  const app = routerTestApp(
    createRemediationRouter({
      httpAuth: mockServices.httpAuth(),
      permissions: permissionsThatSay(allow),
      remediation: remediation as unknown as RemediationService,
      components: async () => ['component:default/a', 'component:default/b'],
    }),
  );
  return { app, remediation };
}

const alice = {
  Authorization: mockCredentials.user.header('user:default/alice'),
};

describe('remediation router', () => {
  it('runs the bot on the asked entities and controls', async () => {
    const { app, remediation } = setup(true);
    await request(app)
      .post('/runs')
      .set(alice)
      .send({ entityRefs: ['component:a'], controls: ['OWN-CODEOWNERS-01'] })
      .expect(200, { results: [] });
    expect(remediation.run).toHaveBeenCalledWith({
      entityRefs: ['component:default/a'],
      controls: ['OWN-CODEOWNERS-01'],
    });
  });

  it('runs on every component the caller may fix when none is named', async () => {
    const { app, remediation } = setup(true);
    await request(app).post('/runs').set(alice).send({}).expect(200);
    expect(remediation.run).toHaveBeenCalledWith({
      entityRefs: ['component:default/a', 'component:default/b'],
    });
  });

  it('refuses a run, the log and a merge without the permissions', async () => {
    const { app, remediation } = setup(false);
    await request(app)
      .post('/runs')
      .set(alice)
      .send({ entityRefs: ['component:default/a'] })
      .expect(403);
    await request(app).get('/log').set(alice).expect(403);
    await request(app).post('/change-requests/4/merge').set(alice).expect(403);
    expect(remediation.run).not.toHaveBeenCalled();
    expect(remediation.merge).not.toHaveBeenCalled();
  });

  it('names the field of a bad request', async () => {
    const { app } = setup(true);
    const res = await request(app)
      .post('/runs')
      .set(alice)
      .send({ entityRefs: ['not a ref'], dryRun: 'yes' })
      .expect(400);
    expect(res.body.error.message).toMatch(
      /entityRefs\.0: .*; dryRun: Expected boolean/,
    );
  });

  it('merges and closes with the caller recorded', async () => {
    const { app, remediation } = setup(true);
    await request(app).post('/change-requests/4/merge').set(alice).expect(200);
    expect(remediation.merge).toHaveBeenCalledWith(4, 'user:default/alice');
    await request(app).post('/change-requests/4/close').set(alice).expect(200);
    expect(remediation.close).toHaveBeenCalledWith(4, 'user:default/alice');
  });
});
