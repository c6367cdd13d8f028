/**
 * The in-process scheduler (ARCHITECTURE.md, "jobs"): daily jobs run by the server itself, once a
 * day across any number of server instances.
 *
 * Every `intervalMs` (a minute by default) it asks the injected clock what day and time it is in
 * America/Mexico_City; a job whose time of day has come and whose run of the day is not recorded
 * yet is run in one transaction that first takes the job's PostgreSQL advisory lock without
 * waiting. Another instance holding the lock skips the job; the next tick then finds the day's run
 * recorded. A server started after the hour (or down at the hour) runs the day's job at its first
 * tick. Every job also runs from the CLI (`cobranza sweep`).
 */
import type { Clock, IsoDate } from '../clock.js';
import { TIME_ZONE } from '../clock.js';
import type { Db, Executor } from '../db/index.js';
import { SYSTEM_ACTOR } from '../modules/audit/audit.service.js';
import { hasSweptOn, sweepCases, tryLockSweeps, type SweepSummary } from '../modules/mediation/sweep.service.js';

export interface DailyJob<R = unknown> {
  name: string;
  /** Time of day in America/Mexico_City, 'HH:MM'. */
  at: string;
  /** Takes the job's advisory lock for the transaction if it is free. */
  tryLock(trx: Executor): Promise<boolean>;
  /** Whether the run of `today` is recorded (read under the lock). */
  hasRun(trx: Executor, today: IsoDate): Promise<boolean>;
  run(trx: Executor, today: IsoDate, now: Date): Promise<R>;
  /** What to log about a run. */
  describe?(result: R): object;
}

/** SPEC §5: the daily sweep (automatic closures DL-5, DL-8, acts. 10 and 19; SLA breaches). */
export const DAILY_SWEEP_JOB: DailyJob<SweepSummary> = {
  name: 'case_sweep',
  at: '00:10',
  tryLock: tryLockSweeps,
  hasRun: hasSweptOn,
  run: (trx, today, now) => sweepCases(trx, { today, now, actor: SYSTEM_ACTOR }),
  describe: (summary) => ({ sweepId: summary.sweepId, sweptOn: summary.sweptOn, closed: summary.closed, flagged: summary.flagged }),
};

export type JobOutcome =
  | { job: string; status: 'not_yet' | 'already_ran' | 'busy' }
  | { job: string; status: 'ran'; result: unknown }
  | { job: string; status: 'failed'; error: string };

export interface SchedulerLog {
  info(details: object, message: string): void;
  error(details: object, message: string): void;
}

export interface SchedulerOptions {
  db: Db;
  clock: Clock;
  jobs?: readonly DailyJob<any>[];
  /** How often the clock is read (default 60 s). */
  intervalMs?: number;
  log?: SchedulerLog | undefined;
  /** Called after every tick (tests). */
  onTick?: ((outcomes: JobOutcome[]) => void) | undefined;
}

export interface Scheduler {
  /** Runs the due jobs now (what every tick does). */
  tick(): Promise<JobOutcome[]>;
  /** Stops ticking and waits for a job in progress. */
  stop(): Promise<void>;
}

const timeFormatter = new Intl.DateTimeFormat('en-GB', { timeZone: TIME_ZONE, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });

/** 'HH:MM' of an instant in America/Mexico_City. */
export function mexicoCityTime(instant: Date): string {
  return timeFormatter.format(instant);
}

const TIME_OF_DAY = /^([01]\d|2[0-3]):[0-5]\d$/;

/** Runs one job if its time has come and the day's run is not recorded, under its lock. */
export async function runDailyJob<R>(db: Db, clock: Clock, job: DailyJob<R>): Promise<JobOutcome> {
  const today = clock.today();
  if (mexicoCityTime(clock.now()) < job.at) return { job: job.name, status: 'not_yet' };
  return db.transaction().execute(async (trx): Promise<JobOutcome> => {
    if (!(await job.tryLock(trx))) return { job: job.name, status: 'busy' };
    if (await job.hasRun(trx, today)) return { job: job.name, status: 'already_ran' };
    const result = await job.run(trx, today, clock.now());
    return { job: job.name, status: 'ran', result };
  });
}

export function startScheduler(options: SchedulerOptions): Scheduler {
  const jobs = options.jobs ?? [DAILY_SWEEP_JOB];
  for (const job of jobs) {
    if (!TIME_OF_DAY.test(job.at)) throw new Error(`Job ${job.name}: time of day must be HH:MM, not ${job.at}`);
  }
  const intervalMs = options.intervalMs ?? 60_000;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<JobOutcome[]> | undefined;

  const tickOnce = async (): Promise<JobOutcome[]> => {
    const outcomes: JobOutcome[] = [];
    for (const job of jobs) {
      try {
        const outcome = await runDailyJob(options.db, options.clock, job);
        if (outcome.status === 'ran') options.log?.info({ job: job.name, ...(job.describe?.(outcome.result) ?? {}) }, 'daily job ran');
        outcomes.push(outcome);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        options.log?.error({ job: job.name, error: message }, 'daily job failed; it is retried at the next tick');
        outcomes.push({ job: job.name, status: 'failed', error: message });
      }
    }
    options.onTick?.(outcomes);
    return outcomes;
  };

  /** One tick at a time: a tick asked for while one runs waits for it and runs after. */
  const tick = (): Promise<JobOutcome[]> => {
    const previous = running ?? Promise.resolve([]);
    const next = previous.then(tickOnce, tickOnce);
    running = next;
    const clear = () => {
      if (running === next) running = undefined;
    };
    next.then(clear, clear);
    return next;
  };

  const schedule = (delayMs: number) => {
    if (stopped) return;
    timer = setTimeout(() => {
      tick().then(
        () => schedule(intervalMs),
        () => schedule(intervalMs),
      );
    }, delayMs);
    timer.unref();
  };

  options.log?.info({ jobs: jobs.map((job) => `${job.name}@${job.at}`), intervalMs }, 'scheduler started');
  schedule(0);

  return {
    tick,
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running?.catch(() => undefined);
    },
  };
}
