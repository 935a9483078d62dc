import { LoggerService, UrlReaderService } from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import {
  SLA_ANNOTATION,
  SLO_FILE_ANNOTATION,
  SLO_FILE_LIMITS,
  SloDefinition,
  SloFileError,
  SloFileInvalidError,
  parseSloFile,
  slosFromSla,
} from '@internal/plugin-conductor-common';
import fs from 'node:fs/promises';
import path from 'node:path';

/** A component's SLOs as read from its annotations. */
export interface ComponentSlos {
  entityRef: string;
  entity: Entity;
  owner?: string;
  sloFile?: string;
  slos: SloDefinition[];
  errors: SloFileError[];
}

/** Whether a component declares SLOs (a file or an SLA annotation). */
export function hasSlos(entity: Entity): boolean {
  const a = entity.metadata.annotations ?? {};
  return Boolean(a[SLO_FILE_ANNOTATION] || a[SLA_ANNOTATION]);
}

/**
 * Reads the SLO files named by components' annotations, from the local
 * definitions directory or through the URL reader, and keeps each parsed
 * file for a short time. A file that cannot be read or parsed gives errors
 * for that component only.
 */
export class SloDefinitions {
  private readonly files = new Map<
    string,
    {
      expires: number;
      value: Promise<{ slos: SloDefinition[]; errors: SloFileError[] }>;
    }
  >();

  constructor(
    private readonly options: {
      definitionsDir?: string;
      urlReader?: UrlReaderService;
      defaultWindowDays: 28 | 30;
      sla: { metric?: string; serviceLabel?: string; operationLabel?: string };
      cacheTtlMs: number;
      logger: LoggerService;
    },
  ) {}

  async forComponent(entity: Entity, owner?: string): Promise<ComponentSlos> {
    const entityRef = stringifyEntityRef(entity);
    const annotations = entity.metadata.annotations ?? {};
    const file = annotations[SLO_FILE_ANNOTATION];
    const out: ComponentSlos = {
      entityRef,
      entity,
      owner,
      sloFile: file,
      slos: [],
      errors: [],
    };
    if (file) {
      const parsed = await this.readFile(file);
      out.slos.push(...parsed.slos);
      out.errors.push(...parsed.errors);
    }
    const sla = annotations[SLA_ANNOTATION];
    if (sla) {
      try {
        out.slos.push(
          ...slosFromSla({
            service: entity.metadata.name,
            sla,
            ...this.options.sla,
            windowDays: this.options.defaultWindowDays,
            origin: `${entityRef} annotation ${SLA_ANNOTATION}`,
          }),
        );
      } catch (e) {
        if (!(e instanceof SloFileInvalidError)) throw e;
        out.errors.push(...e.errors);
      }
    }
    return out;
  }

  private readFile(
    file: string,
  ): Promise<{ slos: SloDefinition[]; errors: SloFileError[] }> {
    const now = Date.now();
    const hit = this.files.get(file);
    if (hit && hit.expires > now) return hit.value;
    const value = this.load(file);
    this.files.set(file, { expires: now + this.options.cacheTtlMs, value });
    return value;
  }

  private async load(
    file: string,
  ): Promise<{ slos: SloDefinition[]; errors: SloFileError[] }> {
    const fail = (message: string) => ({
      slos: [],
      errors: [{ file, line: 1, field: '(file)', message }],
    });
    let text: string;
    try {
      if (/^https?:\/\//.test(file)) {
        if (!this.options.urlReader) return fail('no URL reader');
        const res = await this.options.urlReader.readUrl(file);
        const buffer = await res.buffer();
        if (buffer.length > SLO_FILE_LIMITS.maxBytes)
          return fail(`larger than ${SLO_FILE_LIMITS.maxBytes} bytes`);
        text = buffer.toString('utf8');
      } else {
        const dir = this.options.definitionsDir;
        if (!dir)
          return fail(
            'a relative SLO file needs conductor.slo.definitionsDir in the config',
          );
        const full = path.resolve(dir, file);
        if (!full.startsWith(path.resolve(dir) + path.sep))
          return fail(`outside conductor.slo.definitionsDir (${dir})`);
        const stat = await fs.stat(full);
        if (stat.size > SLO_FILE_LIMITS.maxBytes)
          return fail(`larger than ${SLO_FILE_LIMITS.maxBytes} bytes`);
        text = await fs.readFile(full, 'utf8');
      }
    } catch (e) {
      return fail(`cannot read: ${(e as Error).message}`);
    }
    return parseSloFile(file, text, {
      defaultWindowDays: this.options.defaultWindowDays,
    });
  }
}
