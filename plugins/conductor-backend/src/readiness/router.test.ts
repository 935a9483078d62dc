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
    createOverride: jest.fn(async () => ({ id: 3 })),
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
      expect.anything(),
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
      approver: 'user:default/carol',
      expiresInHours: 4,
    };
    const allowed = setup(true);
    await request(allowed.promotions)
      .post('/overrides')
      .set(alice)
      .send(body)
      .expect(201);
    expect(allowed.readiness.createOverride).toHaveBeenCalledWith(
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
    expect(denied.readiness.createOverride).not.toHaveBeenCalled();
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
});
