import {
  Content,
  Header,
  InfoCard,
  Page,
  ProxiedSignInPage,
  SignInPage,
} from '@backstage/core-components';
import { IdentityApi, configApiRef, useApi } from '@backstage/core-plugin-api';
import { SignInPageProps } from '@backstage/plugin-app-react';
import Button from '@material-ui/core/Button';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import { useState } from 'react';

/** Who this browser signed in as, so that a reload signs in the same person. */
const CHOICE_KEY = 'conductor-demo-sign-in';
/** The header the backend's `demo` auth provider reads. */
const DEMO_USER_HEADER = 'x-conductor-demo-user';

type Choice = { provider: 'guest' } | { provider: 'demo'; user: string };

function readChoice(): Choice | undefined {
  try {
    const choice = JSON.parse(localStorage.getItem(CHOICE_KEY) ?? 'null');
    if (choice?.provider === 'guest') return { provider: 'guest' };
    if (choice?.provider === 'demo' && typeof choice.user === 'string') {
      return { provider: 'demo', user: choice.user };
    }
  } catch {
    // an unreadable choice is no choice
  }
  return undefined;
}

/** Signing out forgets the choice, so the next visit asks again. */
function forgettingOnSignOut(identity: IdentityApi): IdentityApi {
  return {
    getProfileInfo: () => identity.getProfileInfo(),
    getBackstageIdentity: () => identity.getBackstageIdentity(),
    getCredentials: () => identity.getCredentials(),
    signOut: async () => {
      localStorage.removeItem(CHOICE_KEY);
      await identity.signOut();
    },
  };
}

/**
 * The demo portal's sign-in page: guest (a member of payments) or one of the
 * demo people in `app.demoSignIn.people`, so that what needs two people can
 * be tried, e.g. an approver approving the exemption guest asked for. With
 * no demo people configured it is Backstage's guest sign-in page.
 */
export function DemoSignInPage(props: SignInPageProps) {
  const config = useApi(configApiRef);
  const people = (
    config.getOptionalConfigArray('app.demoSignIn.people') ?? []
  ).map(person => ({
    user: person.getString('user'),
    title: person.getString('title'),
  }));
  const [choice, setChoice] = useState(readChoice);

  if (people.length === 0) {
    return <SignInPage {...props} providers={['guest']} />;
  }

  const choose = (next: Choice | undefined) => {
    if (next) localStorage.setItem(CHOICE_KEY, JSON.stringify(next));
    else localStorage.removeItem(CHOICE_KEY);
    setChoice(next);
  };

  if (
    choice &&
    (choice.provider === 'guest' || people.some(p => p.user === choice.user))
  ) {
    return (
      <ProxiedSignInPage
        onSignInSuccess={identity =>
          props.onSignInSuccess(forgettingOnSignOut(identity))
        }
        provider={choice.provider}
        headers={
          choice.provider === 'demo'
            ? { [DEMO_USER_HEADER]: choice.user }
            : undefined
        }
        ErrorComponent={({ error }) => (
          <Page themeId="home">
            <Header title="Maestro Conductor" />
            <Content>
              <Typography paragraph>
                Could not sign in: {error?.message ?? 'unknown error'}
              </Typography>
              <Button variant="outlined" onClick={() => choose(undefined)}>
                Back to sign-in
              </Button>
            </Content>
          </Page>
        )}
      />
    );
  }

  return (
    <Page themeId="home">
      <Header title="Maestro Conductor" subtitle="Demo portal" />
      <Content>
        <Grid container spacing={3}>
          <Grid item xs={12} sm={6} md={4}>
            <InfoCard
              title="Guest"
              variant="fullHeight"
              actions={
                <Button
                  color="primary"
                  variant="outlined"
                  onClick={() => choose({ provider: 'guest' })}
                >
                  Enter
                </Button>
              }
            >
              <Typography>
                A member of the payments team: sees its services, asks for
                exemptions and overrides.
              </Typography>
            </InfoCard>
          </Grid>
          {people.map(person => (
            <Grid item xs={12} sm={6} md={4} key={person.user}>
              <InfoCard
                title={person.title}
                variant="fullHeight"
                actions={
                  <Button
                    color="primary"
                    variant="outlined"
                    onClick={() =>
                      choose({ provider: 'demo', user: person.user })
                    }
                  >
                    Sign in as {person.user}
                  </Button>
                }
              >
                <Typography>
                  Demo person <code>user:default/{person.user}</code>, to try
                  what needs a second person.
                </Typography>
              </InfoCard>
            </Grid>
          ))}
        </Grid>
      </Content>
    </Page>
  );
}
