import { join } from 'node:path';
import type { Config } from '../config.js';
import { openDatabase, type Database } from '../db/index.js';
import { lockDataDir } from '../db/lock.js';
import { migrate } from '../db/migrate.js';

export const pgliteDir = (config: Config) => join(config.dataDir, 'pglite');

/** Opens and migrates the configured database; the embedded one is locked to this process. */
export async function openConfiguredDatabase(config: Config, options: { purpose: string; worker?: boolean }): Promise<Database> {
  if (config.databaseUrl) {
    const database = await openDatabase({ databaseUrl: config.databaseUrl });
    await migrate(database.db);
    return database;
  }
  const unlock = lockDataDir(config.dataDir, options.purpose);
  try {
    const database = await openDatabase({ dataDir: pgliteDir(config), worker: options.worker ?? false });
    await migrate(database.db);
    return {
      ...database,
      close: async () => {
        await database.close();
        unlock();
      },
    };
  } catch (error) {
    unlock();
    throw error;
  }
}
