import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it, vi } from 'vitest';
import { App } from '../src/App';

describe('App', () => {
  it('renders the page with the API status and the error budget while loading', () => {
    const auth = { token: () => 'tok', signIn: vi.fn(), signOut: vi.fn() };
    const html = renderToStaticMarkup(
      <App
        auth={auth}
        config={{
          graphqlUrl: 'http://api/',
          conductorUrl: 'http://c',
          entityRef: 'component:default/x',
        }}
      />,
    );
    expect(html).toContain('<h2>Error budget</h2>');
    expect(html).toContain('Loading error budget');
    expect(html).toContain('API: …');
  });
});
