import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import request from 'supertest';
import {
  permissionsThatSay,
  routerTestApp,
} from '../__testUtils__/routerTestApp';
import { ComplianceService } from './ComplianceService';
import { createComplianceRouter } from './router';

function setup(allow = true) {
  const compliance = {
    listControls: jest.fn(() => ({ controls: [], errors: [] })),
    run: jest.fn(async () => ({ runId: 1 })),
    evaluate: jest.fn(async () => ({ dryRun: true })),
    changes: jest.fn(async () => ({ runId: null })),
    teams: jest.fn(async () => ({ runId: null, teams: [] })),
    forEntity: jest.fn(async () => ({ entityRef: 'component:default/a' })),
    requestExemption: jest.fn(async () => ({ id: 7 })),
    getExemption: jest.fn(async () => ({
      id: 7,
      entityRef: 'component:default/a',
    })),
    approveExemption: jest.fn(async () => ({ id: 7, status: 'active' })),
    revokeExemption: jest.fn(async () => undefined),
    loadControls: jest.fn(async () => 3),
  };
  const app = routerTestApp(
    createComplianceRouter({
      httpAuth: mockServices.httpAuth(),
      permissions: permissionsThatSay(allow),
      compliance: compliance as unknown as ComplianceService,
    }),
  );
  return { app, compliance };
}

const alice = {
  Authorization: mockCredentials.user.header('user:default/alice'),
};

describe('compliance router', () => {
  it('reads an entity only with the read permission', async () => {
    const allowed = setup(true);
    await request(allowed.app)
      .get('/component/default/a')
      .set(alice)
      .expect(200);
    expect(allowed.compliance.forEntity).toHaveBeenCalledWith(
      'component:default/a',
    );
    const denied = setup(false);
    await request(denied.app)
      .get('/component/default/a')
      .set(alice)
      .expect(403);
    await request(denied.app)
      .post('/evaluate')
      .set(alice)
      .send({ entityRef: 'component:default/a' })
      .expect(403);
    expect(denied.compliance.forEntity).not.toHaveBeenCalled();
    expect(denied.compliance.evaluate).not.toHaveBeenCalled();
  });

  it('passes an exemption request to the service as the signed-in user, after checking the body', async () => {
    const { app, compliance } = setup();
    const body = {
      entityRef: 'component:default/a',
      controlId: 'SEC-MFA-01',
      reason: 'vendor fix due next sprint',
      expiresAt: '2099-01-01T00:00:00Z',
    };
    await request(app).post('/exemptions').set(alice).send(body).expect(201);
    expect(compliance.requestExemption).toHaveBeenCalledWith(
      body,
      'user:default/alice',
    );

    const bad = await request(app)
      .post('/exemptions')
      .set(alice)
      .send({ ...body, reason: 'short' })
      .expect(400);
    expect(bad.body.error.message).toMatch(/reason: must say why/);
    expect(compliance.requestExemption).toHaveBeenCalledTimes(1);
  });

  it('refuses a bad run id and a bad exemption id with 400', async () => {
    const { app, compliance } = setup();
    await request(app).get('/changes?runId=abc').set(alice).expect(400);
    await request(app).delete('/exemptions/x').set(alice).expect(400);
    expect(compliance.changes).not.toHaveBeenCalled();
    expect(compliance.revokeExemption).not.toHaveBeenCalled();
  });

  it('asks the permission policy before requesting, approving, revoking, running or reloading', async () => {
    const { app, compliance } = setup(false);
    await request(app)
      .post('/exemptions')
      .set(alice)
      .send({
        entityRef: 'component:default/a',
        controlId: 'SEC-MFA-01',
        reason: 'vendor fix due next sprint',
        expiresAt: '2099-01-01T00:00:00Z',
      })
      .expect(403);
    await request(app).post('/exemptions/7/approve').set(alice).expect(403);
    await request(app).delete('/exemptions/7').set(alice).expect(403);
    await request(app).post('/runs').set(alice).expect(403);
    await request(app).post('/controls/reload').set(alice).expect(403);
    expect(compliance.requestExemption).not.toHaveBeenCalled();
    expect(compliance.approveExemption).not.toHaveBeenCalled();
    expect(compliance.revokeExemption).not.toHaveBeenCalled();
    expect(compliance.run).not.toHaveBeenCalled();
    expect(compliance.loadControls).not.toHaveBeenCalled();
  });

  it('approves as the signed-in user, and refuses an id that is not a number', async () => {
    const { app, compliance } = setup(true);
    await request(app).post('/exemptions/7/approve').set(alice).expect(200);
    expect(compliance.approveExemption).toHaveBeenCalledWith(
      7,
      'user:default/alice',
    );
    await request(app).post('/exemptions/abc/approve').set(alice).expect(400);
  });
});
