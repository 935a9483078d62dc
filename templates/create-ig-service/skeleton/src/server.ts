import { ApolloServer } from '@apollo/server';
import type { ApolloServerPlugin } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import {
  context,
  propagation,
  SpanStatusCode,
  trace,
} from '@opentelemetry/api';
import { GraphQLError } from 'graphql';
import { readFileSync } from 'node:fs';
import { InputError, type ItemStore } from './items.ts';
import { SERVICE_NAME } from './sla.ts';
import type { Telemetry } from './telemetry.ts';

const typeDefs = readFileSync(
  new URL('./schema.graphql', import.meta.url),
  'utf8',
);

interface Context {
  items: ItemStore;
}

const resolvers = {
  Query: {
    health: () => ({ status: 'ok', service: SERVICE_NAME }),
    item: (_: unknown, args: { id: string }, ctx: Context) =>
      ctx.items.get(args.id),
  },
  Mutation: {
    createItem: async (_: unknown, args: { name: string }, ctx: Context) => {
      try {
        return await ctx.items.create(args.name);
      } catch (e) {
        if (e instanceof InputError) {
          throw new GraphQLError(e.message, {
            extensions: { code: 'BAD_USER_INPUT' },
          });
        }
        throw e;
      }
    },
  },
};

/**
 * One span and one histogram sample per operation; `operation_type` (query =
 * read, mutation = write) and `outcome` are the labels the SLO file reads.
 */
export function telemetryPlugin(
  telemetry: Telemetry,
): ApolloServerPlugin<Context> {
  const tracer = trace.getTracer(SERVICE_NAME);
  return {
    async requestDidStart({ request }) {
      const started = performance.now();
      const parent = propagation.extract(
        context.active(),
        Object.fromEntries(request.http?.headers ?? []),
      );
      const span = tracer.startSpan('graphql.request', {}, parent);
      return {
        async willSendResponse({ operation, operationName, errors }) {
          const operationType = operation?.operation ?? 'unknown';
          const outcome = errors?.length ? 'error' : 'ok';
          span.updateName(
            `graphql.${operationType} ${operationName ?? ''}`.trim(),
          );
          span.setAttribute('graphql.operation.type', operationType);
          if (operationName)
            span.setAttribute('graphql.operation.name', operationName);
          if (errors?.length) {
            span.setStatus({
              code: SpanStatusCode.ERROR,
              message: errors[0].message,
            });
          }
          span.end();
          const labels = { operation_type: operationType, outcome };
          telemetry.requestDuration.record(
            (performance.now() - started) / 1000,
            labels,
          );
          telemetry.requests.add(1, labels);
        },
      };
    },
  };
}

export interface RunningServer {
  url: string;
  stop(): Promise<void>;
}

export async function startServer(options: {
  port: number;
  items: ItemStore;
  telemetry: Telemetry;
}): Promise<RunningServer> {
  const server = new ApolloServer<Context>({
    typeDefs,
    resolvers,
    plugins: [telemetryPlugin(options.telemetry)],
  });
  const { url } = await startStandaloneServer(server, {
    listen: { port: options.port },
    context: async () => ({ items: options.items }),
  });
  return { url, stop: () => server.stop() };
}
