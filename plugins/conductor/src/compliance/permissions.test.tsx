// In its own file: the permission hook caches answers per module, so a
// policy that differs from the other tests' must not share their cache.
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { mockApis } from '@backstage/test-utils';
import { screen, within } from '@testing-library/react';
import { EntityComplianceResponse } from '@internal/plugin-conductor-common';
import { ordersApiRef as ref, renderForEntity } from '../__testUtils__';
import { complianceApiRef } from './api';
import { ComplianceContent } from './ComplianceContent';

const compliance: EntityComplianceResponse = {
  entityRef: ref,
  runId: 3,
  score: 0.5,
  previousScore: null,
  results: [
    {
      controlId: 'SOC2-CC1.4',
      entityRef: ref,
      status: 'fail',
      severity: 'high',
      message: 'no evidence for sbom.coverage',
      values: {},
      previousStatus: null,
      since: '2026-11-20T00:00:00Z',
    },
  ],
  factChanges: [],
  history: [],
  exemptions: [
    {
      id: 9,
      entityRef: ref,
      controlId: 'SEC-MFA-01',
      reason: 'hardware keys arrive next week',
      approver: '',
      status: 'requested',
      createdBy: 'user:default/alice',
      createdAt: '2026-11-20T00:00:00Z',
      expiresAt: '2099-01-01T00:00:00Z',
    },
  ],
};

describe('the Compliance tab for someone who may only ask', () => {
  it('offers the request and hides run, approve and revoke', async () => {
    const asked: string[] = [];
    await renderForEntity(<ComplianceContent />, {
      apis: [
        [
          complianceApiRef,
          {
            getCompliance: async () => compliance,
            listControls: async () => ({ controls: [], errors: [] }),
          },
        ],
        [
          permissionApiRef,
          mockApis.permission({
            authorize: request => {
              asked.push(request.permission.name);
              return request.permission.name === 'conductor.exemption.request'
                ? AuthorizeResult.ALLOW
                : AuthorizeResult.DENY;
            },
          }),
        ],
      ],
    });
    // The allowed button appears once the policy has answered...
    const controls = screen.getByRole('table', { name: 'controls' });
    expect(
      await within(controls).findByRole('button', {
        name: 'Request exemption',
      }),
    ).toBeInTheDocument();
    // ...and the others were asked about and stay hidden.
    expect(asked).toEqual(
      expect.arrayContaining([
        'conductor.compliance.run',
        'conductor.exemption.approve',
        'conductor.exemption.revoke',
      ]),
    );
    expect(
      screen.queryByRole('button', { name: 'Run compliance now' }),
    ).toBeNull();
    expect(screen.queryByRole('button', { name: 'Approve' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Revoke' })).toBeNull();
  });
});
