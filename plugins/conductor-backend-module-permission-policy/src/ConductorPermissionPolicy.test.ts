import { ConfigReader } from '@backstage/config';
import {
  AuthorizeResult,
  createPermission,
  type ConditionalPolicyDecision,
  type Permission,
  type PolicyDecision,
} from '@backstage/plugin-permission-common';
import type { PolicyQueryUser } from '@backstage/plugin-permission-node';
import { mockCredentials } from '@backstage/backend-test-utils';
import {
  conductorComplianceRunPermission,
  conductorControlsReloadPermission,
  conductorEvidenceCollectPermission,
  conductorEvidenceCreatePermission,
  conductorEvidenceReadPermission,
  conductorExemptionApprovePermission,
  conductorExemptionRequestPermission,
  conductorExemptionRevokePermission,
  conductorOverrideApprovePermission,
  conductorOverrideRequestPermission,
  conductorOverrideRevokePermission,
  conductorPermissions,
  conductorPromotionOverridePermission,
} from '@internal/plugin-conductor-common';
import { ConductorPermissionPolicy } from './ConductorPermissionPolicy';
import { readConductorRoles } from './config';

const roles = (extra: Record<string, unknown> = {}) =>
  readConductorRoles(
    new ConfigReader({
      conductor: {
        permissions: {
          adminGroups: ['conductor-admins'],
          approverGroups: ['group:default/compliance-approvers'],
          ...extra,
        },
      },
    }),
  );

/** A signed-in user as the catalog's sign-in resolves them. */
function user(name: string, groups: string[]): PolicyQueryUser {
  const userEntityRef = `user:default/${name}`;
  return {
    credentials: mockCredentials.user(userEntityRef),
    info: {
      userEntityRef,
      ownershipEntityRefs: [
        userEntityRef,
        ...groups.map(g => `group:default/${g}`),
      ],
    },
  };
}

const admin = user('dave', ['identity', 'conductor-admins']);
const approver = user('carol', ['identity', 'compliance-approvers']);
const teamMember = user('alice', ['payments']);
const loner = user('nobody', []);

const policy = new ConductorPermissionPolicy(roles());
const decide = (permission: Permission, who?: PolicyQueryUser) =>
  policy.handle({ permission }, who);
const results = async (permissions: Permission[], who?: PolicyQueryUser) =>
  Object.fromEntries(
    await Promise.all(
      permissions.map(async p => [p.name, (await decide(p, who)).result]),
    ),
  );

/** The ownership condition the catalog evaluates, with the claims it names. */
function expectOwnedBy(decision: PolicyDecision, claims: string[]) {
  expect(decision).toEqual<ConditionalPolicyDecision>({
    result: AuthorizeResult.CONDITIONAL,
    pluginId: 'catalog',
    resourceType: 'catalog-entity',
    conditions: {
      rule: 'IS_ENTITY_OWNER',
      resourceType: 'catalog-entity',
      params: { claims },
    },
  });
}

const ADMIN_ONLY = [
  conductorEvidenceCollectPermission,
  conductorComplianceRunPermission,
  conductorControlsReloadPermission,
  conductorEvidenceCreatePermission,
];

describe('ConductorPermissionPolicy', () => {
  it('lets an admin do everything conductor', async () => {
    const decided = await results(conductorPermissions, admin);
    expect(Object.values(decided)).toHaveLength(conductorPermissions.length);
    for (const result of Object.values(decided)) {
      expect(result).toBe(AuthorizeResult.ALLOW);
    }
  });

  it('lets an approver approve and revoke, but not run jobs or ask', async () => {
    expect(
      await results(
        [
          conductorExemptionApprovePermission,
          conductorOverrideApprovePermission,
          conductorExemptionRevokePermission,
          conductorOverrideRevokePermission,
          conductorEvidenceReadPermission,
          ...ADMIN_ONLY,
        ],
        approver,
      ),
    ).toEqual({
      'conductor.exemption.approve': AuthorizeResult.ALLOW,
      'conductor.promotion.override.approve': AuthorizeResult.ALLOW,
      'conductor.exemption.revoke': AuthorizeResult.ALLOW,
      'conductor.promotion.override.revoke': AuthorizeResult.ALLOW,
      'conductor.evidence.read': AuthorizeResult.ALLOW,
      'conductor.evidence.collect': AuthorizeResult.DENY,
      'conductor.compliance.run': AuthorizeResult.DENY,
      'conductor.compliance.controls.reload': AuthorizeResult.DENY,
      'conductor.evidence.create': AuthorizeResult.DENY,
    });
    // An approver asks for exemptions only for what their own team owns.
    expectOwnedBy(await decide(conductorExemptionRequestPermission, approver), [
      'user:default/carol',
      'group:default/identity',
      'group:default/compliance-approvers',
    ]);
  });

  it('lets a team member read, ask and revoke for what their team owns, and never approve', async () => {
    const claims = ['user:default/alice', 'group:default/payments'];
    expectOwnedBy(
      await decide(conductorExemptionRequestPermission, teamMember),
      claims,
    );
    expectOwnedBy(
      await decide(conductorExemptionRevokePermission, teamMember),
      claims,
    );
    expectOwnedBy(
      await decide(conductorOverrideRevokePermission, teamMember),
      claims,
    );
    expect(
      await results(
        [
          conductorEvidenceReadPermission,
          conductorOverrideRequestPermission,
          conductorExemptionApprovePermission,
          conductorOverrideApprovePermission,
          ...ADMIN_ONLY,
        ],
        teamMember,
      ),
    ).toEqual({
      // open reads by default
      'conductor.evidence.read': AuthorizeResult.ALLOW,
      // no entity in the permission: any team member may ask
      'conductor.promotion.override.request': AuthorizeResult.ALLOW,
      'conductor.exemption.approve': AuthorizeResult.DENY,
      'conductor.promotion.override.approve': AuthorizeResult.DENY,
      'conductor.evidence.collect': AuthorizeResult.DENY,
      'conductor.compliance.run': AuthorizeResult.DENY,
      'conductor.compliance.controls.reload': AuthorizeResult.DENY,
      'conductor.evidence.create': AuthorizeResult.DENY,
    });
  });

  it('keeps the former override permission name working as the request', async () => {
    expect(conductorPromotionOverridePermission).toBe(
      conductorOverrideRequestPermission,
    );
    expect(
      (await decide(conductorPromotionOverridePermission, loner)).result,
    ).toBe(AuthorizeResult.DENY);
  });

  it('refuses a user who belongs to no team anything but reads', async () => {
    const decided = await results(conductorPermissions, loner);
    expect(decided['conductor.evidence.read']).toBe(AuthorizeResult.ALLOW);
    expect(decided['conductor.promotion.override.request']).toBe(
      AuthorizeResult.DENY,
    );
    expect(decided['conductor.exemption.approve']).toBe(AuthorizeResult.DENY);
    // Resource permissions stay conditional on owning the entity, which a
    // user with no group only does for entities owned by them by name.
    expectOwnedBy(await decide(conductorExemptionRequestPermission, loner), [
      'user:default/nobody',
    ]);
  });

  it('limits reads to the owning team when reads are closed', async () => {
    const closed = new ConductorPermissionPolicy(roles({ openReads: false }));
    expectOwnedBy(
      await closed.handle(
        { permission: conductorEvidenceReadPermission },
        teamMember,
      ),
      ['user:default/alice', 'group:default/payments'],
    );
    expect(
      (
        await closed.handle(
          { permission: conductorEvidenceReadPermission },
          admin,
        )
      ).result,
    ).toBe(AuthorizeResult.ALLOW);
  });

  it('denies every conductor permission without a signed-in user', async () => {
    const decided = await results(conductorPermissions, undefined);
    for (const result of Object.values(decided)) {
      expect(result).toBe(AuthorizeResult.DENY);
    }
  });

  it('allows the scaffolder to signed-in users only, and leaves other plugins as they were', async () => {
    const taskCreate = createPermission({
      name: 'scaffolder.task.create',
      attributes: { action: 'create' },
    });
    const dryRun = createPermission({
      name: 'scaffolder.template.dry-run',
      attributes: {},
    });
    const catalogRead = createPermission({
      name: 'catalog.entity.read',
      attributes: { action: 'read' },
      resourceType: 'catalog-entity',
    });
    const catalogDelete = createPermission({
      name: 'catalog.entity.delete',
      attributes: { action: 'delete' },
      resourceType: 'catalog-entity',
    });
    expect(
      await results([taskCreate, dryRun, catalogRead, catalogDelete], loner),
    ).toEqual({
      'scaffolder.task.create': AuthorizeResult.ALLOW,
      'scaffolder.template.dry-run': AuthorizeResult.ALLOW,
      'catalog.entity.read': AuthorizeResult.ALLOW,
      'catalog.entity.delete': AuthorizeResult.ALLOW,
    });
    expect((await decide(taskCreate, undefined)).result).toBe(
      AuthorizeResult.DENY,
    );
    expect((await decide(catalogRead, undefined)).result).toBe(
      AuthorizeResult.ALLOW,
    );
  });

  it('gives a permission a capability adds the role its name and action say', async () => {
    const rebuild = createPermission({
      name: 'conductor.lineage.rebuild',
      attributes: { action: 'update' },
    });
    const sloRead = createPermission({
      name: 'conductor.slo.read',
      attributes: { action: 'read' },
      resourceType: 'catalog-entity',
    });
    const remediationApprove = createPermission({
      name: 'conductor.remediation.approve',
      attributes: { action: 'update' },
      resourceType: 'catalog-entity',
    });
    expect(
      await results([rebuild, sloRead, remediationApprove], teamMember),
    ).toEqual({
      'conductor.lineage.rebuild': AuthorizeResult.DENY,
      'conductor.slo.read': AuthorizeResult.ALLOW,
      'conductor.remediation.approve': AuthorizeResult.DENY,
    });
    expect((await decide(remediationApprove, approver)).result).toBe(
      AuthorizeResult.ALLOW,
    );
    expect((await decide(rebuild, admin)).result).toBe(AuthorizeResult.ALLOW);
  });

  it('matches group refs whatever their case', async () => {
    const shouty = user('zed', ['Conductor-Admins']);
    expect(
      (await decide(conductorComplianceRunPermission, shouty)).result,
    ).toBe(AuthorizeResult.ALLOW);
  });

  it('gives nobody admin or approver when the config names no groups', async () => {
    const empty = new ConductorPermissionPolicy(
      readConductorRoles(new ConfigReader({})),
    );
    expect(
      (
        await empty.handle(
          { permission: conductorComplianceRunPermission },
          admin,
        )
      ).result,
    ).toBe(AuthorizeResult.DENY);
    expect(
      (
        await empty.handle(
          { permission: conductorOverrideApprovePermission },
          approver,
        )
      ).result,
    ).toBe(AuthorizeResult.DENY);
    expect(
      (
        await empty.handle(
          { permission: conductorEvidenceReadPermission },
          admin,
        )
      ).result,
    ).toBe(AuthorizeResult.ALLOW);
  });
});

describe('readConductorRoles', () => {
  it('reads short and full group refs as full refs', () => {
    const read = roles();
    expect([...read.adminGroups]).toEqual(['group:default/conductor-admins']);
    expect([...read.approverGroups]).toEqual([
      'group:default/compliance-approvers',
    ]);
    expect(read.openReads).toBe(true);
  });

  it('names the key and the entry of a ref that is not a group', () => {
    expect(() =>
      roles({ approverGroups: ['payments', 'user:default/alice'] }),
    ).toThrow(
      "conductor.permissions.approverGroups[1]: 'user:default/alice' must name a Group, not a user",
    );
    expect(() => roles({ adminGroups: ['group:'] })).toThrow(
      /conductor\.permissions\.adminGroups\[0\]: 'group:' is not an entity ref/,
    );
  });

  it('refuses a value of the wrong type, naming the key', () => {
    expect(() => roles({ openReads: 'sometimes' })).toThrow(
      /conductor\.permissions\.openReads/,
    );
    expect(() => roles({ adminGroups: 'conductor-admins' })).toThrow(
      /conductor\.permissions\.adminGroups/,
    );
  });
});
