import { screen, within } from '@testing-library/react';
import { renderWithApis } from '../__testUtils__';
import { RecipesCard, RemediationLink } from './RecipesCard';

describe('recipes', () => {
  it('lists every recipe with an anchor a Fix link can point at', async () => {
    await renderWithApis(<RecipesCard />, []);
    const rows = within(screen.getByRole('table', { name: 'recipes' }))
      .getAllByRole('row')
      .slice(1);
    const codeowners = rows.find(r => r.textContent?.includes('codeowners'))!;
    expect(codeowners.querySelector('#recipe-codeowners')).not.toBeNull();
    expect(codeowners).toHaveTextContent('owner:');
  });

  it('links a remediation to its recipe and names one without a recipe', async () => {
    await renderWithApis(
      <>
        <RemediationLink remediation="codeowners" />
        <RemediationLink remediation="sbom-generate" />
      </>,
      [],
    );
    expect(screen.getByRole('link')).toHaveAttribute(
      'href',
      '/conductor/auto-prs#recipe-codeowners',
    );
    expect(screen.getByText('sbom-generate (by hand)')).toBeInTheDocument();
  });
});
