import { HttpAuthService } from '@backstage/backend-plugin-api';
import { normalizeEntityRef } from '@internal/plugin-conductor-common';
import express from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
import { parseBody } from '../shared/http';
import { DashboardsService } from './DashboardsService';

/** A team as `payments` or `group:default/payments`, normalised to the group ref. */
export const TEAM = z
  .string()
  .max(255, 'must be at most 255 characters')
  .transform((team, ctx) => {
    const ref = normalizeEntityRef(
      team.includes(':') ? team : `group:default/${team}`,
    );
    if (typeof ref !== 'string') {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: ref.error });
      return z.NEVER;
    }
    if (!ref.startsWith('group:')) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        message: `${team} is not a group; write it as group:default/<name>`,
      });
      return z.NEVER;
    }
    return ref;
  });

const QUERY = z.object({ team: TEAM.optional() }).strict();

/** `/dashboards`: read-only; what each caller sees is filtered by their permissions. */
export function createDashboardsRouter(deps: {
  httpAuth: HttpAuthService;
  dashboards: DashboardsService;
}): express.Router {
  const { httpAuth, dashboards } = deps;
  const router = Router();

  router.get('/', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const { team } = parseBody(QUERY, req.query);
    res.json(await dashboards.dashboards(credentials, team ?? null));
  });

  return router;
}
