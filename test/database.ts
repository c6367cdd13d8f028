/**
 * A fresh, migrated database for one test file: a PGlite loaded from the run's template dump,
 * or a PostgreSQL database cloned from the template (TEST_DATABASE_URL). No mocks.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import pg from 'pg';
import { inject } from 'vitest';
import { openDatabase, type Database } from '../src/db/index.js';

export async function openTestDatabase(): Promise<Database> {
  const serverTemplate = inject('serverTemplate');
  const serverUrl = process.env.TEST_DATABASE_URL;
  if (serverTemplate && serverUrl) {
    const name = `cobranza_test_${randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: serverUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name} TEMPLATE ${serverTemplate}`);
    await admin.end();
    const url = new URL(serverUrl);
    url.pathname = `/${name}`;
    const database = await openDatabase({ databaseUrl: url.toString(), maxConnections: 4 });
    return {
      ...database,
      close: async () => {
        await database.close();
        const cleanup = new pg.Client({ connectionString: serverUrl });
        await cleanup.connect();
        // pg's pool.end() resolves before its clients' sockets are closed: wait for their backends
        // to go, or FORCE would kill them and the ending clients would throw "terminating
        // connection due to administrator command" as an uncaught error.
        for (let attempt = 0; attempt < 100; attempt++) {
          const left = await cleanup.query<{ n: number }>('SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1', [name]);
          if (left.rows[0]!.n === 0) break;
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
        await cleanup.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await cleanup.end();
      },
    };
  }
  const template = inject('pgliteTemplate');
  return openDatabase({ loadFrom: new Uint8Array(readFileSync(template)) });
}
