import { Entity } from '@backstage/catalog-model';
import {
  SLA_ANNOTATION,
  SLO_FILE_ANNOTATION,
} from '@internal/plugin-conductor-common';

/** Whether a component declares SLOs (the "SLOs" tab's filter). */
export function isSloAvailable(entity: Entity): boolean {
  const a = entity.metadata.annotations ?? {};
  return Boolean(a[SLO_FILE_ANNOTATION] || a[SLA_ANNOTATION]);
}
