import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import request from 'supertest';
import {
  permissionsThatSay,
  routerTestApp,
} from '../__testUtils__/routerTestApp';
import { EvidenceService } from './EvidenceService';
import { createEvidenceRouter } from './router';

function setup(allow = true) {
  const evidence = {
    push: jest.fn(async () => ({
      entityRef: 'component:default/a',
      stored: [],
    })),
    latest: jest.fn(async () => []),
    history: jest.fn(async () => []),
    collect: jest.fn(async () => ({
      entities: 1,
      facts: 2,
      rejected: 0,
      failedCollectors: [],
    })),
  };
  const app = routerTestApp(
    createEvidenceRouter({
      httpAuth: mockServices.httpAuth(),
      permissions: permissionsThatSay(allow),
      evidence: evidence as unknown as EvidenceService,
    }),
  );
  return { app, evidence };
}

const ci = { Authorization: mockCredentials.service.header() };
const alice = {
  Authorization: mockCredentials.user.header('user:default/alice'),
};

describe('evidence router', () => {
  it('hands a CI push to the service with the pipeline as its source', async () => {
    const { app, evidence } = setup();
    const body = { entityRef: 'component:default/a', facts: [] };
    await request(app).post('/').set(ci).send(body).expect(201);
    expect(evidence.push).toHaveBeenCalledWith(
      body,
      expect.stringMatching(/^ci:/),
    );
  });

  it('refuses a push from a person: scores must not rest on what anyone types', async () => {
    const { app, evidence } = setup();
    await request(app).post('/').set(alice).send({}).expect(403);
    expect(evidence.push).not.toHaveBeenCalled();
  });

  it('reads latest facts and history only with the read permission', async () => {
    const allowed = setup(true);
    await request(allowed.app)
      .get('/component/default/a')
      .set(alice)
      .expect(200);
    expect(allowed.evidence.latest).toHaveBeenCalledWith('component:default/a');
    await request(allowed.app)
      .get('/component/default/a/history/test.coverage?limit=5')
      .set(alice)
      .expect(200);
    expect(allowed.evidence.history).toHaveBeenCalledWith(
      'component:default/a',
      'test.coverage',
      { limit: 5 },
    );

    const denied = setup(false);
    await request(denied.app)
      .get('/component/default/a')
      .set(alice)
      .expect(403);
    await request(denied.app)
      .get('/component/default/a/history/test.coverage')
      .set(alice)
      .expect(403);
    expect(denied.evidence.latest).not.toHaveBeenCalled();
    expect(denied.evidence.history).not.toHaveBeenCalled();
  });

  it('answers a bad fact name or limit with 400 before asking the service', async () => {
    const { app, evidence } = setup();
    await request(app)
      .get('/component/default/a/history/Not%20A%20Fact')
      .set(alice)
      .expect(400);
    await request(app)
      .get('/component/default/a/history/test.coverage?limit=0')
      .set(alice)
      .expect(400);
    expect(evidence.history).not.toHaveBeenCalled();
  });

  it('starts a collection only for an admin or CI', async () => {
    const denied = setup(false);
    await request(denied.app).post('/collect').set(alice).expect(403);
    expect(denied.evidence.collect).not.toHaveBeenCalled();
    const allowed = setup(true);
    await request(allowed.app).post('/collect').set(alice).expect(200);
    expect(allowed.evidence.collect).toHaveBeenCalled();
  });
});
