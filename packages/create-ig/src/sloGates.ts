import {
  formatSloFileError,
  parseSloFile,
  renderSloRules,
} from '@internal/plugin-conductor-common';
import { ProjectFile } from './render';

export const ALERT_RULES_FILE = 'monitoring/alerts.yaml';

/**
 * Where a project keeps its SLO file. The same relative path is used under
 * `conductor.slo.definitionsDir` when the portal registers it, so the
 * `conductor.io/slo-file` annotation is true in both places.
 */
export function sloFilePath(name: string): string {
  return `slo/${name}.yaml`;
}

/**
 * The SLO gates of a rendered project: its SLO file must read cleanly with
 * the SLO boards' own parser, and the burn-rate alert rules the boards would
 * generate from it are written next to it (`monitoring/alerts.yaml`, where
 * the repository collector looks for alert rules). Pure.
 */
export function sloGateFiles(
  files: ProjectFile[],
  name: string,
): { ok: true; files: ProjectFile[] } | { ok: false; errors: string[] } {
  const sloFile = sloFilePath(name);
  const slo = files.find(f => f.path === sloFile);
  if (!slo) return { ok: true, files: [] };
  const parsed = parseSloFile(sloFile, slo.content);
  if (parsed.errors.length) {
    return { ok: false, errors: parsed.errors.map(formatSloFileError) };
  }
  if (parsed.slos.length === 0) {
    return { ok: false, errors: [`${sloFile}: declares no SLO`] };
  }
  const header = `# Burn-rate alerts and recording rules for ${sloFile}, written when the\n# project was created (the rules the Conductor SLO boards generate; the\n# component's SLO tab shows the current ones after a change).\n`;
  return {
    ok: true,
    files: [
      { path: ALERT_RULES_FILE, content: header + renderSloRules(parsed.slos) },
    ],
  };
}
