import { PermanentError } from './consumer.ts';

/** What producers send. Extend `type` with your own kinds of work. */
export interface Task {
  type: string;
  payload: Record<string, unknown>;
}

/** Checks a message body; a malformed one can never succeed, so it is not retried. */
export function parseTask(body: unknown): Task {
  const task = body as Partial<Task> | null;
  if (!task || typeof task.type !== 'string' || task.type.length === 0) {
    throw new PermanentError('type: required, a non-empty string');
  }
  if (typeof task.payload !== 'object' || task.payload === null) {
    throw new PermanentError('payload: required, an object');
  }
  return task as Task;
}

/** The work itself. Throw to retry; throw PermanentError to dead-letter at once. */
export async function handleTask(body: unknown): Promise<void> {
  const task = parseTask(body);
  if (task.type === 'fail') throw new Error(`task ${task.type} failed`);
}
