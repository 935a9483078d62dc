import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { AuthenticationError, NotAllowedError } from '@backstage/errors';
import {
  authProvidersExtensionPoint,
  createProxyAuthProviderFactory,
  createProxyAuthenticator,
} from '@backstage/plugin-auth-node';

/** The request header naming the demo person to sign in as. */
export const DEMO_USER_HEADER = 'x-conductor-demo-user';

/** A person of the demo organisation one may sign in as. */
export interface DemoPerson {
  /** Catalog User name in the default namespace, e.g. `carol`. */
  user: string;
  /** What signing in as them lets you try, shown on the sign-in page. */
  title: string;
}

/** Reads `app.demoSignIn.people`, the allow-list shared with the sign-in page. */
export function readDemoPeople(config: Config): DemoPerson[] {
  return (config.getOptionalConfigArray('app.demoSignIn.people') ?? []).map(
    person => ({
      user: person.getString('user'),
      title: person.getString('title'),
    }),
  );
}

/**
 * Demo-only sign-in as one of a few people of the demo organisation, so that
 * the portal can show what needs two people: one asks for an exemption, a
 * compliance approver approves it (nobody approves their own request).
 *
 * Like the guest provider it proves nothing about who is at the keyboard, so
 * it signs in only the catalog Users listed in `app.demoSignIn.people`, and
 * only in development unless
 * `auth.providers.demo.dangerouslyAllowOutsideDevelopment` is set. Production
 * configuration configures neither and gets no such provider.
 */
export const authModuleDemoSignIn = createBackendModule({
  pluginId: 'auth',
  moduleId: 'demo-sign-in',
  register(reg) {
    reg.registerInit({
      deps: {
        providers: authProvidersExtensionPoint,
        config: coreServices.rootConfig,
        logger: coreServices.logger,
      },
      async init({ providers, config, logger }) {
        const people = readDemoPeople(config);
        if (people.length === 0) return;
        const allowed = new Set(people.map(p => p.user));
        providers.registerProvider({
          providerId: 'demo',
          factory: createProxyAuthProviderFactory({
            authenticator: createProxyAuthenticator({
              defaultProfileTransform: async (result: { user: string }) => ({
                profile: { displayName: result.user },
              }),
              initialize({ config: providerConfig }) {
                const outside =
                  providerConfig.getOptionalBoolean(
                    'dangerouslyAllowOutsideDevelopment',
                  ) ?? false;
                if (process.env.NODE_ENV !== 'development' && !outside) {
                  logger.warn(
                    'Demo sign-in is off outside development; set auth.providers.demo.dangerouslyAllowOutsideDevelopment to allow it',
                  );
                  return { enabled: false };
                }
                return { enabled: true };
              },
              async authenticate({ req }, ctx: { enabled: boolean }) {
                if (!ctx.enabled) {
                  throw new NotAllowedError(
                    'Demo sign-in is off outside development',
                  );
                }
                const user = req.header(DEMO_USER_HEADER);
                if (!user) {
                  throw new AuthenticationError(
                    `Demo sign-in needs the ${DEMO_USER_HEADER} header`,
                  );
                }
                if (!allowed.has(user)) {
                  throw new NotAllowedError(
                    `${user} is not one of the demo people (app.demoSignIn.people)`,
                  );
                }
                return { result: { user } };
              },
            }),
            signInResolver: async ({ result }, ctx) =>
              ctx.signInWithCatalogUser({
                entityRef: {
                  kind: 'User',
                  namespace: 'default',
                  name: result.user,
                },
              }),
          }),
        });
      },
    });
  },
});
