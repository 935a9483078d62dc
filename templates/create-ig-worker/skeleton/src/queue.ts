/** A message as the worker sees it. */
export interface Message<T = unknown> {
  id: string;
  body: T;
  /** Attempts already made (0 on first delivery). */
  attempts: number;
  enqueuedAt: number;
}

/** A dead-lettered message and why it was given up on. */
export interface DeadLetter<T = unknown> {
  message: Message<T>;
  reason: string;
  deadLetteredAt: number;
}

/**
 * Where messages come from. Put your broker (SQS, Kafka, PostgreSQL SKIP
 * LOCKED, ...) behind this interface; the consumer's retry and dead-letter
 * rules stay the same.
 */
export interface MessageSource<T = unknown> {
  /** Up to `max` messages ready now. */
  receive(max: number): Promise<Message<T>[]>;
  /** Done with it: never deliver again. */
  ack(message: Message<T>): Promise<void>;
  /** Deliver again after `delayMs`, with `attempts` incremented. */
  retry(message: Message<T>, delayMs: number): Promise<void>;
  /** Give up: keep it, with the reason, for a person to look at. */
  deadLetter(message: Message<T>, reason: string): Promise<void>;
  /** Messages waiting (for the queue depth gauge). */
  depth(): Promise<number>;
}

export const MAX_QUEUE_LENGTH = 100_000;

/** In-process queue: local runs, tests and the k6 soak. */
export class InMemoryQueue<T = unknown> implements MessageSource<T> {
  private ready: Message<T>[] = [];
  private delayed: { at: number; message: Message<T> }[] = [];
  readonly deadLetters: DeadLetter<T>[] = [];
  private next = 1;

  private readonly now: () => number;

  constructor(now: () => number = Date.now) {
    this.now = now;
  }

  enqueue(body: T): Message<T> {
    if (this.ready.length + this.delayed.length >= MAX_QUEUE_LENGTH) {
      throw new RangeError(`queue full: ${MAX_QUEUE_LENGTH} messages waiting`);
    }
    const message = {
      id: String(this.next++),
      body,
      attempts: 0,
      enqueuedAt: this.now(),
    };
    this.ready.push(message);
    return message;
  }

  async receive(max: number) {
    const now = this.now();
    const due = this.delayed.filter(d => d.at <= now);
    this.delayed = this.delayed.filter(d => d.at > now);
    this.ready.push(...due.map(d => d.message));
    return this.ready.splice(0, max);
  }

  async ack() {}

  async retry(message: Message<T>, delayMs: number) {
    this.delayed.push({
      at: this.now() + delayMs,
      message: { ...message, attempts: message.attempts + 1 },
    });
  }

  async deadLetter(message: Message<T>, reason: string) {
    this.deadLetters.push({ message, reason, deadLetteredAt: this.now() });
  }

  async depth() {
    return this.ready.length + this.delayed.length;
  }
}
