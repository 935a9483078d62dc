import { createFrontendPlugin } from '@backstage/frontend-plugin-api';
import VerifiedUserIcon from '@mui/icons-material/VerifiedUser';
import { complianceRouteRef, readinessRouteRef, rootRouteRef } from '../routes';
import { conductorApis } from './apis';
import { conductorEntityContent } from './entityContent';
import { conductorPages } from './pages';

/**
 * Maestro Conductor for the new frontend system: one API per capability,
 * the entity tabs and cards, and one Conductor page with a sub-page per
 * capability. A capability adds its extensions to the lists in `apis.tsx`,
 * `entityContent.tsx` and `pages.tsx`, not here.
 *
 * @alpha
 */
export const conductorPlugin = createFrontendPlugin({
  pluginId: 'conductor',
  title: 'Conductor',
  icon: <VerifiedUserIcon fontSize="inherit" />,
  routes: {
    root: rootRouteRef,
    compliance: complianceRouteRef,
    readiness: readinessRouteRef,
  },
  extensions: [...conductorApis, ...conductorEntityContent, ...conductorPages],
});
