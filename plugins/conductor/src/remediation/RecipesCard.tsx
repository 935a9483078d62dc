import { InfoCard, Link } from '@backstage/core-components';
import { REMEDIATION_RECIPES } from '@internal/plugin-conductor-common';
import Typography from '@mui/material/Typography';
import { DataTable } from '../shared';

/** The anchor of a recipe on the Auto-PRs page. */
export const recipeAnchor = (id: string) => `recipe-${id}`;
/** The Auto-PRs sub-page (plugins/conductor/src/alpha/pages.tsx). */
const AUTO_PRS_PAGE = '/conductor/auto-prs';

/**
 * What a failing control's `remediation` says to do, as a link to the
 * recipe the bot applies (on the Auto-PRs page); a remediation no recipe
 * implements yet is named, and says so.
 */
export function RemediationLink(props: { remediation: string }) {
  const recipe = REMEDIATION_RECIPES[props.remediation];
  if (!recipe) {
    return (
      <Typography
        variant="body2"
        title="No automatic fix for this remediation yet"
      >
        {props.remediation} (by hand)
      </Typography>
    );
  }
  return (
    <Link to={`${AUTO_PRS_PAGE}#${recipeAnchor(recipe.id)}`}>
      {recipe.title}
    </Link>
  );
}

/** The recipes the remediation bot applies, each with its parameters. */
export function RecipesCard() {
  const recipes = Object.values(REMEDIATION_RECIPES);
  return (
    <InfoCard
      title="Recipes"
      subheader="what the bot changes for each fixable control (a control names its recipe in its remediation)"
    >
      <DataTable
        label="recipes"
        columns={[
          'Recipe',
          { title: 'What it does', wrap: true },
          { title: 'Parameters', wrap: true },
        ]}
        rows={recipes.map(r => ({
          key: r.id,
          cells: [
            <span id={recipeAnchor(r.id)}>
              <code>{r.id}</code>
            </span>,
            r.title,
            r.parameters.length === 0
              ? 'none'
              : r.parameters
                  .map(
                    p =>
                      `${p.name}: ${p.description}${
                        p.default ? ` (default ${p.default})` : ''
                      }`,
                  )
                  .join('; '),
          ],
        }))}
      />
    </InfoCard>
  );
}
