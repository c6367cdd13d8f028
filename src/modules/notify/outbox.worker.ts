/**
 * The server's delivery worker: every `intervalMs` it delivers what is due, draining the queue in
 * batches, and never runs two batches at once. `stop()` waits for the batch in progress.
 * Several servers may each run one: claims skip each other's locked rows.
 */
import type { Clock } from '../../clock.js';
import type { OutboxConfig } from '../../config.js';
import type { Executor } from '../../db/index.js';
import { adaptersFromConfig, describeAdapters, type OutboxAdapters } from './outbox.adapters.js';
import { redactError } from './outbox.rules.js';
import { deliverDueMessages, DEFAULT_DELIVERY_LIMIT, type DeliveryReport, type OutboxLog } from './outbox.service.js';

export interface OutboxWorkerOptions {
  db: Executor;
  clock: Clock;
  adapters: OutboxAdapters;
  intervalMs: number;
  /** Messages per batch; the worker runs batches until the queue has nothing due. */
  limit?: number | undefined;
  maxAttempts?: number | undefined;
  retryBaseMs?: number | undefined;
  log?: OutboxLog | undefined;
  /** Called after every batch (tests). */
  onBatch?: ((report: DeliveryReport) => void) | undefined;
}

export interface OutboxWorker {
  stop(): Promise<void>;
}

/** The worker options the environment sets (adapters, attempts, backoff, interval). */
export function outboxWorkerSettings(config: OutboxConfig): Pick<OutboxWorkerOptions, 'adapters' | 'intervalMs' | 'maxAttempts' | 'retryBaseMs'> {
  return { adapters: adaptersFromConfig(config), intervalMs: config.intervalMs, maxAttempts: config.maxAttempts, retryBaseMs: config.retryBaseMs };
}

export function startOutboxWorker(options: OutboxWorkerOptions): OutboxWorker {
  const limit = options.limit ?? DEFAULT_DELIVERY_LIMIT;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;

  const runOnce = async () => {
    try {
      for (;;) {
        const report = await deliverDueMessages(options.db, {
          now: options.clock.now(),
          adapters: options.adapters,
          limit,
          maxAttempts: options.maxAttempts,
          retryBaseMs: options.retryBaseMs,
          log: options.log,
        });
        options.onBatch?.(report);
        if (report.attempted > 0) options.log?.info({ ...report }, 'outbox delivery');
        if (stopped || report.attempted < limit) break;
      }
    } catch (error) {
      options.log?.error({ error: redactError(error) }, 'outbox delivery batch failed');
    }
  };

  const schedule = (delayMs: number) => {
    if (stopped) return;
    timer = setTimeout(() => {
      running = runOnce().finally(() => {
        running = undefined;
        schedule(options.intervalMs);
      });
    }, delayMs);
    timer.unref();
  };

  options.log?.info({ adapters: describeAdapters(options.adapters), intervalMs: options.intervalMs }, 'outbox worker started');
  schedule(0);

  return {
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
