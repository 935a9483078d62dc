import { LoggerService } from '@backstage/backend-plugin-api';
import {
  NotificationSendOptions,
  NotificationService,
} from '@backstage/plugin-notifications-node';

/**
 * Sends Backstage notifications in the background, one at a time with a
 * pause between sends, so that alerts never delay or fail the request that
 * raised them: a burst of blocked releases costs the gate nothing but a
 * queue entry. Alerts are de-duplicated by key (a newer alert replaces a
 * queued one) and a key can be throttled to one send per interval.
 */
export class AlertSender {
  private readonly queue = new Map<string, NotificationSendOptions>();
  private readonly lastSent = new Map<string, number>();
  private running?: Promise<void>;

  constructor(
    private readonly notifications: NotificationService | undefined,
    private readonly logger: LoggerService,
    private readonly options: { pauseMs?: number; maxQueued?: number } = {},
  ) {}

  /**
   * Queues an alert. With `throttleMs`, a key sent less than that long ago
   * is dropped. Returns at once.
   */
  enqueue(key: string, alert: NotificationSendOptions, throttleMs = 0): void {
    if (!this.notifications) return;
    if (Date.now() - (this.lastSent.get(key) ?? -Infinity) < throttleMs) return;
    this.queue.delete(key);
    if (this.queue.size >= (this.options.maxQueued ?? 1000)) {
      const [oldest] = this.queue.keys();
      this.queue.delete(oldest);
      this.logger.warn(`Alert queue full: dropped the alert ${oldest}`);
    }
    this.queue.set(key, alert);
    this.running ??= this.run().finally(() => {
      this.running = undefined;
    });
  }

  private async run() {
    const pauseMs = this.options.pauseMs ?? 50;
    for (;;) {
      const next = this.queue.entries().next();
      if (next.done) return;
      const [key, alert] = next.value;
      this.queue.delete(key);
      if (this.lastSent.size > 10_000) this.lastSent.clear();
      this.lastSent.set(key, Date.now());
      try {
        await this.notifications!.send(alert);
      } catch (e) {
        this.logger.warn(
          `Could not send the alert ${key}: ${(e as Error).message}`,
        );
      }
      await new Promise(resolve => setTimeout(resolve, pauseMs));
    }
  }
}
