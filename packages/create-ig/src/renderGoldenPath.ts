import { GoldenPath } from './goldenPaths';
import { sloGateFiles } from './sloGates';
import {
  ProjectFile,
  renderFiles,
  skeletonFiles,
  writeProject,
} from './render';
import {
  formatProblems,
  GoldenPathInput,
  GoldenPathValues,
  GroupLookup,
  ValueProblem,
  validateValues,
} from './values';

/** Why a golden path was not rendered. */
export class GoldenPathError extends Error {
  constructor(message: string, readonly problems: ValueProblem[] = []) {
    super(message);
    this.name = 'GoldenPathError';
  }
}

/**
 * Validates the input (the owner against the catalog when a lookup is
 * given), renders the template and, when `targetDir` is given, writes it.
 * Throws {@link GoldenPathError} naming every refused field; nothing is
 * written then.
 */
export async function renderGoldenPath(options: {
  template: GoldenPath;
  input: GoldenPathInput;
  groupExists?: GroupLookup;
  targetDir?: string;
}): Promise<{ values: GoldenPathValues; files: ProjectFile[] }> {
  const checked = validateValues(options.template, options.input);
  if (!checked.ok) {
    throw new GoldenPathError(
      formatProblems(checked.problems),
      checked.problems,
    );
  }
  const { values } = checked;
  if (options.groupExists && !(await options.groupExists(values.ownerRef))) {
    const problems = [
      {
        field: 'owner',
        message: `${values.ownerRef} is not a group in the catalog`,
      },
    ];
    throw new GoldenPathError(formatProblems(problems), problems);
  }
  const rendered = renderFiles(skeletonFiles(options.template), values);
  if (!rendered.ok) {
    throw new GoldenPathError(
      `template ${options.template} does not render: ${rendered.errors.join(
        '; ',
      )}`,
    );
  }
  const gates = sloGateFiles(rendered.files, values.name);
  if (!gates.ok) {
    throw new GoldenPathError(
      `template ${
        options.template
      }: SLO file does not read: ${gates.errors.join('; ')}`,
    );
  }
  const files = [...rendered.files, ...gates.files];
  if (options.targetDir) writeProject(options.targetDir, files);
  return { values, files };
}
