/**
 * The scheduler (ARCHITECTURE.md "jobs"): the daily sweep of SPEC §5 runs once a day at 00:10
 * America/Mexico_City, at start when the day's sweep has not run, and once across servers
 * (PostgreSQL advisory lock). Time comes from an injected clock.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mexicoCityDate, type Clock } from '../clock.js';
import type { Database } from '../db/index.js';
import { lockSweeps } from '../modules/mediation/sweep.service.js';
import { openTestDatabase } from '../../test/database.js';
import { DAILY_SWEEP_JOB, mexicoCityTime, runDailyJob, startScheduler, type JobOutcome } from './scheduler.js';

let database: Database;

beforeAll(async () => {
  database = await openTestDatabase();
});

afterAll(async () => {
  await database?.close();
});

/** A clock the test moves by hand. */
function movableClock(at: string): Clock & { set(at: string): void } {
  let instant = new Date(at);
  return {
    now: () => new Date(instant.getTime()),
    today: () => mexicoCityDate(instant),
    set: (next) => {
      instant = new Date(next);
    },
  };
}

async function sweepsOn(day: string): Promise<number> {
  const row = await database.db.selectFrom('case_sweeps').select(sql<number>`count(*)::int`.as('n')).where('swept_on', '=', day).executeTakeFirstOrThrow();
  return row.n;
}

describe('scheduler: the daily sweep (SPEC §5)', () => {
  it('reads the time of day in America/Mexico_City (UTC−6, no daylight saving since 2022)', () => {
    expect(mexicoCityTime(new Date('2026-11-23T06:10:00Z'))).toBe('00:10');
    expect(mexicoCityTime(new Date('2026-11-24T05:59:00Z'))).toBe('23:59');
    expect(mexicoCityTime(new Date('2026-07-01T18:00:00Z'))).toBe('12:00');
  });

  it('runs at 00:10 Mexico City time, once a day; a missed hour runs at the next tick', async () => {
    const clock = movableClock('2026-11-23T06:05:00Z'); // 00:05 on 23/11
    const status = async () => (await runDailyJob(database.db, clock, DAILY_SWEEP_JOB)).status;
    expect(await status()).toBe('not_yet');
    expect(await sweepsOn('2026-11-23')).toBe(0);
    clock.set('2026-11-23T06:10:00Z');
    expect(await status()).toBe('ran');
    clock.set('2026-11-23T20:00:00Z');
    expect(await status()).toBe('already_ran');
    expect(await sweepsOn('2026-11-23')).toBe(1);
    clock.set('2026-11-24T06:09:00Z'); // 00:09 on 24/11
    expect(await status()).toBe('not_yet');
    clock.set('2026-11-24T15:30:00Z'); // the server was down at 00:10: it runs when it comes back
    expect(await status()).toBe('ran');
    expect(await sweepsOn('2026-11-24')).toBe(1);
  });

  it('several servers ticking at once run the day’s sweep once', async () => {
    const clock = movableClock('2026-11-25T06:30:00Z');
    const outcomes = await Promise.all([1, 2, 3].map(() => runDailyJob(database.db, clock, DAILY_SWEEP_JOB)));
    expect(outcomes.filter((o) => o.status === 'ran')).toHaveLength(1);
    for (const outcome of outcomes.filter((o) => o.status !== 'ran')) expect(['busy', 'already_ran']).toContain(outcome.status);
    expect(await sweepsOn('2026-11-25')).toBe(1);
  });

  it.runIf(process.env.TEST_DATABASE_URL)('a sweep in progress elsewhere holds the advisory lock: the scheduler skips, then finds the day done', async () => {
    const clock = movableClock('2026-11-26T06:30:00Z');
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let locked!: () => void;
    const lockTaken = new Promise<void>((resolve) => (locked = resolve));
    const other = database.db.transaction().execute(async (trx) => {
      await lockSweeps(trx);
      locked();
      await held;
    });
    await lockTaken;
    expect((await runDailyJob(database.db, clock, DAILY_SWEEP_JOB)).status).toBe('busy');
    release();
    await other;
    expect((await runDailyJob(database.db, clock, DAILY_SWEEP_JOB)).status).toBe('ran');
    expect((await runDailyJob(database.db, clock, DAILY_SWEEP_JOB)).status).toBe('already_ran');
  });

  it('started after the hour, it runs the day’s sweep at once; stop() waits for it and ticks no more', async () => {
    const clock = movableClock('2026-11-27T14:00:00Z');
    const ticks: JobOutcome[][] = [];
    let firstTick!: () => void;
    const ticked = new Promise<void>((resolve) => (firstTick = resolve));
    const scheduler = startScheduler({
      db: database.db,
      clock,
      intervalMs: 20,
      onTick: (outcomes) => {
        ticks.push(outcomes);
        firstTick();
      },
    });
    await ticked;
    await new Promise((resolve) => setTimeout(resolve, 100));
    await scheduler.stop();
    const count = ticks.length;
    expect(ticks[0]).toEqual([expect.objectContaining({ job: 'case_sweep', status: 'ran' })]);
    expect(ticks.slice(1).every((outcomes) => outcomes[0]!.status === 'already_ran')).toBe(true);
    expect(await sweepsOn('2026-11-27')).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(ticks.length).toBe(count);
  });

  it('a failing job is reported and retried at the next tick, without stopping the scheduler', async () => {
    const clock = movableClock('2026-11-28T14:00:00Z');
    let attempts = 0;
    const flaky = {
      ...DAILY_SWEEP_JOB,
      run: async (...args: Parameters<typeof DAILY_SWEEP_JOB.run>) => {
        attempts += 1;
        if (attempts === 1) throw new Error('conexión perdida');
        return DAILY_SWEEP_JOB.run(...args);
      },
    };
    const errors: object[] = [];
    const ticks: JobOutcome[][] = [];
    let ran!: () => void;
    const done = new Promise<void>((resolve) => (ran = resolve));
    const scheduler = startScheduler({
      db: database.db,
      clock,
      jobs: [flaky],
      intervalMs: 20,
      log: { info: () => undefined, error: (details) => errors.push(details) },
      onTick: (outcomes) => {
        ticks.push(outcomes);
        if (outcomes.some((o) => o.status === 'ran')) ran();
      },
    });
    await done;
    await scheduler.stop();
    expect(ticks[0]).toEqual([{ job: 'case_sweep', status: 'failed', error: 'conexión perdida' }]);
    expect(ticks[1]).toEqual([expect.objectContaining({ job: 'case_sweep', status: 'ran' })]);
    expect(errors).toEqual([expect.objectContaining({ job: 'case_sweep', error: 'conexión perdida' })]);
    expect(await sweepsOn('2026-11-28')).toBe(1);
  });
});
