/**
 * Migrates a template database once per test run: a PGlite dump (default) or, with
 * TEST_DATABASE_URL, a PostgreSQL template database that each test file clones.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { openDatabase } from '../src/db/index.js';
import { migrate } from '../src/db/migrate.js';

declare module 'vitest' {
  export interface ProvidedContext {
    pgliteTemplate: string;
    serverTemplate: string;
  }
}

/** One template per run, so two runs on the same server (two checkouts, a developer and CI) never drop each other's. */
export const TEMPLATE_DATABASE = `cobranza_test_template_${process.pid}`;

export default async function setup(project: TestProject) {
  const serverUrl = process.env.TEST_DATABASE_URL;
  if (serverUrl) {
    const admin = new pg.Client({ connectionString: serverUrl });
    await admin.connect();
    await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '${TEMPLATE_DATABASE}'`);
    await admin.query(`DROP DATABASE IF EXISTS ${TEMPLATE_DATABASE}`);
    await admin.query(`CREATE DATABASE ${TEMPLATE_DATABASE}`);
    await admin.end();
    const url = new URL(serverUrl);
    url.pathname = `/${TEMPLATE_DATABASE}`;
    const database = await openDatabase({ databaseUrl: url.toString(), maxConnections: 1 });
    await migrate(database.db);
    await database.close();
    project.provide('serverTemplate', TEMPLATE_DATABASE);
    project.provide('pgliteTemplate', '');
    return async () => {
      const cleanup = new pg.Client({ connectionString: serverUrl });
      await cleanup.connect();
      await cleanup.query(`DROP DATABASE IF EXISTS ${TEMPLATE_DATABASE}`);
      await cleanup.end();
    };
  }
  const directory = mkdtempSync(join(tmpdir(), 'cobranza-test-'));
  const database = await openDatabase({});
  await migrate(database.db);
  const dump = await database.embedded!.dump();
  await database.close();
  const file = join(directory, 'template.tar');
  writeFileSync(file, dump);
  project.provide('pgliteTemplate', file);
  project.provide('serverTemplate', '');
  return () => rmSync(directory, { recursive: true, force: true });
}
