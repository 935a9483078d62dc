import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import request from 'supertest';
import {
  permissionsThatSay,
  routerTestApp,
} from '../__testUtils__/routerTestApp';
import { ReadinessService } from './ReadinessService';
import { createPromotionsRouter, createReadinessRouter } from './router';

function setup(allow = true) {
  const readiness = {
    check: jest.fn(async () => ({ allowed: false })),
    requestOverride: jest.fn(async () => ({ id: 3 })),
    approveOverride: jest.fn(async () => ({ id: 3, status: 'active' })),
    getOverride: jest.fn(async () => ({
      id: 3,
      entityRef: 'component:default/a',
    })),
    revokeOverride: jest.fn(async () => undefined),
    teams: jest.fn(async () => ({ teams: [] })),
    forEntity: jest.fn(async () => ({ score: 0.5 })),
  };
  const deps = {
    httpAuth: mockServices.httpAuth(),
    permissions: permissionsThatSay(allow),
    readiness: readiness as unknown as ReadinessService,
  };
  return {
    promotions: routerTestApp(createPromotionsRouter(deps)),
    scores: routerTestApp(createReadinessRouter(deps)),
    readiness,
  };
}

const ci = { Authorization: mockCredentials.service.header() };
const alice = {
  Authorization: mockCredentials.user.header('user:default/alice'),
};

describe('promotions and readiness routers', () => {
  it('asks the gate for CI only, with a normalised entity ref', async () => {
    const { promotions, readiness } = setup();
    await request(promotions)
      .post('/check')
      .set(ci)
      .send({ entityRef: 'Component:default/A', environment: 'production' })
      .expect(200);
    expect(readiness.check).toHaveBeenCalledWith(
      { entityRef: 'component:default/a', environment: 'production' },
      expect.stringMatching(/^ci:/),
    );
    await request(promotions)
      .post('/check')
      .set(alice)
      .send({ entityRef: 'component:default/a', environment: 'production' })
      .expect(403);
    await request(promotions)
      .post('/check')
      .set(ci)
      .send({ entityRef: 'component:default/a', environment: 'Prod Env' })
      .expect(400);
    expect(readiness.check).toHaveBeenCalledTimes(1);
  });

  it('creates an override only for a person holding the permission', async () => {
    const body = {
      entityRef: 'component:default/a',
      environment: 'production',
      reason: 'hotfix for the outage INC-42',
      expiresInHours: 4,
    };
    const allowed = setup(true);
    await request(allowed.promotions)
      .post('/overrides')
      .set(alice)
      .send(body)
      .expect(201);
    expect(allowed.readiness.requestOverride).toHaveBeenCalledWith(
      body,
      'user:default/alice',
    );
    const denied = setup(false);
    await request(denied.promotions)
      .post('/overrides')
      .set(alice)
      .send(body)
      .expect(403);
    await request(denied.promotions)
      .post('/overrides')
      .set(ci)
      .send(body)
      .expect(403);
    expect(denied.readiness.requestOverride).not.toHaveBeenCalled();
  });

  it('reads an entity score only with the read permission', async () => {
    const allowed = setup(true);
    await request(allowed.scores)
      .get('/component/default/a')
      .set(alice)
      .expect(200);
    expect(allowed.readiness.forEntity).toHaveBeenCalledWith(
      'component:default/a',
    );
    const denied = setup(false);
    await request(denied.scores)
      .get('/component/default/a')
      .set(alice)
      .expect(403);
    expect(denied.readiness.forEntity).not.toHaveBeenCalled();
  });

  it('approves and revokes overrides only with the permission', async () => {
    const denied = setup(false);
    await request(denied.promotions)
      .post('/overrides/3/approve')
      .set(alice)
      .expect(403);
    await request(denied.promotions)
      .delete('/overrides/3')
      .set(alice)
      .expect(403);
    expect(denied.readiness.approveOverride).not.toHaveBeenCalled();
    expect(denied.readiness.revokeOverride).not.toHaveBeenCalled();
    const allowed = setup(true);
    await request(allowed.promotions)
      .post('/overrides/3/approve')
      .set(alice)
      .expect(200);
    expect(allowed.readiness.approveOverride).toHaveBeenCalledWith(
      3,
      'user:default/alice',
    );
    await request(allowed.promotions)
      .delete('/overrides/3')
      .set(alice)
      .expect(204);
    expect(allowed.readiness.revokeOverride).toHaveBeenCalledWith(
      3,
      'user:default/alice',
      true,
    );
  });
});
