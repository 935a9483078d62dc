import { Link } from '@backstage/core-components';
import {
  EntityDisplayName,
  EntityRefLink,
  useEntityRefLink,
} from '@backstage/plugin-catalog-react';
import { ReactNode } from 'react';

const ENTITY_REF = /^[^:/\s]+:[^:/\s]+\/[^:/\s]+$/;

/**
 * An entity as a link. Without `tab` it is Backstage's `EntityRefLink` (the
 * entity's page, its name, the full ref on hover); with `tab` it leads to
 * that tab of the entity page, e.g. a team's "conductor" tab or a
 * component's "compliance" tab. `children` replace the entity's name.
 */
export function EntityLink(props: {
  entityRef: string;
  tab?: string;
  children?: ReactNode;
}) {
  const linkTo = useEntityRefLink();
  // Who asked or approved can be a service (e.g. CI), not an entity: named, not linked.
  if (!ENTITY_REF.test(props.entityRef)) {
    return <>{props.children ?? props.entityRef}</>;
  }
  if (!props.tab) {
    return (
      <EntityRefLink entityRef={props.entityRef} hideIcon>
        {props.children}
      </EntityRefLink>
    );
  }
  return (
    <Link
      to={`${linkTo(props.entityRef)}/${props.tab}`}
      title={props.entityRef}
    >
      {props.children ?? (
        <EntityDisplayName
          entityRef={props.entityRef}
          hideIcon
          disableTooltip
        />
      )}
    </Link>
  );
}
