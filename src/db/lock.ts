/**
 * PGlite is one process's database: two processes writing the same directory would corrupt it.
 * A lock file with the owner's pid guards the data directory.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function lockDataDir(dataDir: string, purpose: string): () => void {
  mkdirSync(dataDir, { recursive: true });
  const file = join(dataDir, 'cobranza.lock');
  if (existsSync(file)) {
    const [pidText, owner] = readFileSync(file, 'utf8').split('\n');
    const pid = Number(pidText);
    if (pid && pid !== process.pid && alive(pid)) {
      throw new Error(
        `La base de datos embebida en ${dataDir} está en uso por otro proceso (pid ${pid}, ${owner ?? 'desconocido'}). ` +
          'Detenga ese proceso, use la API del servidor, o configure DATABASE_URL para un servidor PostgreSQL.',
      );
    }
  }
  writeFileSync(file, `${process.pid}\n${purpose}\n`);
  return () => {
    try {
      if (readFileSync(file, 'utf8').startsWith(`${process.pid}\n`)) rmSync(file);
    } catch {
      /* already gone */
    }
  };
}
