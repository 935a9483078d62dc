import { Link } from '@backstage/core-components';
import {
  EntityDisplayName,
  EntityRefLink,
  useEntityRefLink,
} from '@backstage/plugin-catalog-react';
import { ReactNode } from 'react';

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
