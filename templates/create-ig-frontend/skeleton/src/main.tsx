import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { completeSignIn, createAuth } from './auth';

if (completeSignIn(window.location.hash, window.sessionStorage)) {
  window.history.replaceState(null, '', window.location.pathname);
}
const auth = createAuth({
  storage: window.sessionStorage,
  signInUrl: import.meta.env.VITE_SIGN_IN_URL,
  navigate: url => window.location.assign(url),
  returnTo: window.location.href,
});

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App
      auth={auth}
      config={{
        graphqlUrl: import.meta.env.VITE_GRAPHQL_URL,
        conductorUrl: import.meta.env.VITE_CONDUCTOR_URL,
        entityRef: import.meta.env.VITE_ENTITY_REF,
      }}
    />
  </StrictMode>,
);
