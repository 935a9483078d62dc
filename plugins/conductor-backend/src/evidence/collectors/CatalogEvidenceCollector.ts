import {
  Entity,
  RELATION_DEPENDS_ON,
  RELATION_OWNED_BY,
  RELATION_PROVIDES_API,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import {
  CollectedFact,
  EvidenceCollector,
  EvidenceCollectorContext,
} from '@internal/plugin-conductor-node';

/** Annotations that name an on-call rotation, most specific first. */
const ONCALL_ANNOTATIONS = [
  'conductor.io/oncall',
  'pagerduty.com/service-id',
  'opsgenie.com/team',
];

/** Reads a resource's retention class from its `retention:<class>` tag. */
export function retentionOf(resource: Entity): string | null {
  const tag = (resource.metadata.tags ?? []).find(t =>
    t.startsWith('retention:'),
  );
  return tag ? tag.slice('retention:'.length) : null;
}

function targets(entity: Entity, type: string): string[] {
  return (entity.relations ?? [])
    .filter(r => r.type === type)
    .map(r => r.targetRef)
    .sort();
}

/**
 * Evidence that the catalog itself holds: ownership, lifecycle, runbook link,
 * on-call, provided APIs and the retention tags of the resources a component
 * depends on.
 */
export class CatalogEvidenceCollector implements EvidenceCollector {
  readonly id = 'catalog';

  async collect(context: EvidenceCollectorContext): Promise<CollectedFact[]> {
    const facts: CollectedFact[] = [];
    for (const entity of context.entities) {
      if (entity.kind !== 'Component' && entity.kind !== 'API') continue;
      const entityRef = stringifyEntityRef(entity);
      const push = (name: string, value: unknown) =>
        facts.push({ entityRef, name, value });

      const owner = targets(entity, RELATION_OWNED_BY)[0];
      if (owner) {
        push('catalog.owner', owner);
        push(
          'catalog.owner_is_group',
          parseEntityRef(owner).kind === 'group' && !!context.getEntity(owner),
        );
      }
      const lifecycle = entity.spec?.lifecycle;
      if (typeof lifecycle === 'string' && lifecycle)
        push('catalog.lifecycle', lifecycle);

      const runbook = (entity.metadata.links ?? []).find(
        l => l.type === 'runbook' || /runbook/i.test(l.title ?? ''),
      );
      if (runbook) push('runbook.url', runbook.url);

      const annotations = entity.metadata.annotations ?? {};
      const oncall = ONCALL_ANNOTATIONS.map(a => annotations[a]).find(Boolean);
      if (oncall) push('catalog.oncall', oncall);

      if (entity.kind === 'Component') {
        push('catalog.provides_apis', targets(entity, RELATION_PROVIDES_API));
        const resources = targets(entity, RELATION_DEPENDS_ON).filter(
          r => parseEntityRef(r).kind === 'resource',
        );
        if (resources.length > 0) {
          const retention: Record<string, string | null> = {};
          for (const ref of resources) {
            const resource = context.getEntity(ref);
            retention[ref] = resource ? retentionOf(resource) : null;
          }
          push('resources.retention', retention);
        }
      }
    }
    return facts;
  }
}
