import { useCallback, useEffect, useState } from 'react';
import type { Auth } from './auth';
import { authorizedFetch } from './auth';
import { createGraphQLClient } from './graphql/client';
import { loadErrorBudget } from './slo/errorBudget';
import { ErrorBudgetWidget } from './slo/ErrorBudgetWidget';

const TITLE = '${{ values.name }}';

export interface AppConfig {
  graphqlUrl: string;
  conductorUrl: string;
  entityRef: string;
}

export function App(props: { auth: Auth; config: AppConfig }) {
  const { auth, config } = props;
  const [health, setHealth] = useState<string>('…');
  useEffect(() => {
    const execute = createGraphQLClient(
      config.graphqlUrl,
      authorizedFetch(auth),
    );
    execute<{ health: { status: string } }>('Health').then(
      d => setHealth(d.health.status),
      (e: Error) => setHealth(`unavailable (${e.message})`),
    );
  }, [auth, config.graphqlUrl]);
  const load = useCallback(
    () =>
      loadErrorBudget(
        config.conductorUrl,
        config.entityRef,
        authorizedFetch(auth),
      ),
    [auth, config.conductorUrl, config.entityRef],
  );
  return (
    <main>
      <h1>{TITLE}</h1>
      <p>API: {health}</p>
      <h2>Error budget</h2>
      <ErrorBudgetWidget load={load} />
    </main>
  );
}
