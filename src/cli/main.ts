#!/usr/bin/env node
/**
 * The `cobranza` command: serve, db migrate, demo, import, audit verify, token.
 * Every command takes `--date YYYY-MM-DD` to run as of that day (injected clock).
 */
import { Command, InvalidArgumentError } from 'commander';
import { createReadStream, createWriteStream, statSync } from 'node:fs';
import { basename } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { clockAtDate, formatDateEs, isIsoDate, MONTH_PATTERN, type Clock } from '../clock.js';
import { config, type Config } from '../config.js';
import type { Database } from '../db/index.js';
import { AppError } from '../errors.js';

// Each command loads the modules it uses when it runs (`await import(…)`), so that `--help`, a
// report or a sweep does not load the HTTP server, the imports, the demo or the other engine's
// driver: loading the whole application takes ~150 MB of memory before the first row is read.
// AppError stays a static import: a lazily loaded module gets the same class (one module instance),
// so the error handling at the end of this file recognises its errors.

const program = new Command();
program
  .name('cobranza')
  .description('Cobranza social y mediación — línea de comandos')
  .option('--date <YYYY-MM-DD>', 'ejecutar con esta fecha como «hoy» (America/Mexico_City)', (value) => {
    if (!isIsoDate(value)) throw new InvalidArgumentError('use una fecha AAAA-MM-DD válida');
    return value;
  });

function clock(): Clock {
  return clockAtDate(program.opts<{ date?: string }>().date ?? config().today);
}

const positiveInt = (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('use un entero ≥ 0');
  return n;
};

const monthOption = (value: string) => {
  if (!MONTH_PATTERN.test(value)) throw new InvalidArgumentError('use AAAA-MM');
  return value;
};
const dateOption = (value: string) => {
  if (!isIsoDate(value)) throw new InvalidArgumentError('use una fecha AAAA-MM-DD válida');
  return value;
};

/** Opens and migrates the configured database (./database.js), loading only its engine's driver. */
async function openConfiguredDatabase(cfg: Config, options: { purpose: string; worker?: boolean }): Promise<Database> {
  const database = await import('./database.js');
  return database.openConfiguredDatabase(cfg, options);
}

program
  .command('serve')
  .description('inicia el servidor (API y aplicación web); con una base vacía carga la demo')
  .option('--port <n>', 'puerto', positiveInt)
  .action(async (options: { port?: number }) => {
    const { isDatabaseEmpty, seedDemo } = await import('../modules/portfolio/demo.service.js');
    const { seedDefaultPolicies } = await import('../modules/policy/policy.service.js');
    const { progressBar } = await import('./progress.js');
    const { buildServer } = await import('../http/server.js');
    const { outboxWorkerSettings, startOutboxWorker } = await import('../modules/notify/outbox.worker.js');
    const { startScheduler } = await import('../jobs/scheduler.js');
    const demoData = await import('../modules/portfolio/demo-data.js');
    const cfg = config();
    const database = await openConfiguredDatabase(cfg, { purpose: 'serve', worker: true });
    const appClock = clock();
    if (await isDatabaseEmpty(database.db)) {
      const started = performance.now();
      process.stderr.write(`Base de datos vacía: cargando la demostración (${cfg.demoCredits} créditos)…\n`);
      const bar = progressBar('Demo', cfg.demoCredits);
      const summary = await database.db.transaction().execute((trx) =>
        seedDemo(trx, { credits: cfg.demoCredits, seed: cfg.demoSeed, today: appClock.today(), now: appClock.now(), onProgress: bar.update }),
      );
      bar.stop();
      process.stderr.write(`Demo lista en ${Math.round((performance.now() - started) / 100) / 10} s: ${summary.credits} créditos, ${summary.agencies} agencias, ${summary.users} usuarios.\n`);
    } else {
      // a policy added by a later version starts at its documented default (ASG-2: a new version)
      await database.db.transaction().execute((trx) => seedDefaultPolicies(trx, appClock.now(), `${Number(appClock.today().slice(0, 4)) - 1}-01-01`));
    }
    const app = await buildServer(
      { db: database.db, clock: appClock, sessionHours: cfg.sessionHours, cookieSecure: cfg.cookieSecure },
      { logLevel: cfg.logLevel, engine: database.engine },
    );
    const port = options.port ?? cfg.port;
    await app.listen({ port, host: cfg.host });
    printLogins(port, demoData);
    const outboxWorker = startOutboxWorker({ db: database.db, clock: appClock, ...outboxWorkerSettings(cfg.outbox), log: app.log });
    const scheduler = startScheduler({ db: database.db, clock: appClock, log: app.log }); // SPEC §5: the daily sweep
    const shutdown = async () => {
      await app.close();
      await scheduler.stop();
      await outboxWorker.stop();
      await database.close();
      process.exit(0);
    };
    process.once('SIGINT', shutdown);
    process.once('SIGTERM', shutdown);
  });

function printLogins(port: number, { DEMO_LOGINS, DEMO_PASSWORD }: typeof import('../modules/portfolio/demo-data.js')) {
  const lines = [
    '',
    `Cobranza Social en http://localhost:${port}  (API: /api, documentación: /docs)`,
    `Usuarios de demostración — contraseña para todos: ${DEMO_PASSWORD}`,
    ...DEMO_LOGINS.map((login) => `  ${login.username.padEnd(28)} ${login.description}`),
    '',
  ];
  process.stdout.write(lines.join('\n') + '\n');
}

const db = program.command('db').description('base de datos');
db.command('migrate')
  .description('aplica las migraciones pendientes')
  .action(async () => {
    const database = await openConfiguredDatabase(config(), { purpose: 'db migrate' });
    await database.close();
    process.stdout.write('Migraciones aplicadas.\n');
  });

program
  .command('demo')
  .description('carga una cartera sintética determinista (o la escribe como CSV con --csv)')
  .option('--credits <n>', 'número de créditos', positiveInt, 20000)
  .option('--seed <n>', 'semilla', positiveInt, 2026)
  .option('--csv <file>', 'escribir el archivo de créditos en lugar de cargarlo')
  .action(async (options: { credits: number; seed: number; csv?: string }) => {
    const { creditCsvStream, isDatabaseEmpty, seedDemo } = await import('../modules/portfolio/demo.service.js');
    const { progressBar } = await import('./progress.js');
    const today = clock().today();
    if (options.csv) {
      await pipeline(creditCsvStream({ seed: options.seed, count: options.credits, asOf: today }), createWriteStream(options.csv));
      process.stdout.write(`Escrito ${options.csv}: ${options.credits} créditos (semilla ${options.seed}).\n`);
      return;
    }
    const database = await openConfiguredDatabase(config(), { purpose: 'demo' });
    try {
      if (!(await isDatabaseEmpty(database.db))) {
        throw new AppError('CONFLICT', { userMessage: 'La base de datos ya tiene datos; la demostración se carga sólo en una base vacía.' });
      }
      const bar = progressBar('Demo', options.credits);
      const summary = await database.db.transaction().execute((trx) =>
        seedDemo(trx, { credits: options.credits, seed: options.seed, today, now: clock().now(), onProgress: bar.update }),
      );
      bar.stop();
      process.stdout.write(`Demo cargada: ${JSON.stringify(summary)}\n`);
    } finally {
      await database.close();
    }
  });

const importCommand = program.command('import').description('cargas masivas');
importCommand
  .command('credits <file>')
  .description('carga o actualiza créditos desde un CSV (si una fila es inválida no se escribe nada)')
  .action(async (file: string) => {
    const { SYSTEM_ACTOR } = await import('../modules/audit/audit.service.js');
    const { importCredits } = await import('../modules/portfolio/credits.import.js');
    const { progressBar } = await import('./progress.js');
    const size = statSync(file).size;
    const database = await openConfiguredDatabase(config(), { purpose: 'import credits' });
    const bar = progressBar('Importando', size, 'bytes');
    try {
      const result = await database.db.transaction().execute((trx) =>
        importCredits(trx, SYSTEM_ACTOR, {
          fileName: basename(file),
          input: createReadStream(file, { highWaterMark: 1 << 20 }),
          now: clock().now(),
          onProgress: (_rows, bytes) => bar.update(bytes),
        }),
      );
      bar.update(size);
      bar.stop();
      process.stdout.write(
        `Importación ${result.importRunId}: ${result.rowsTotal} filas — ${result.inserted} nuevas, ${result.updated} actualizadas, ${result.unchanged} sin cambios.\n`,
      );
    } catch (error) {
      bar.stop();
      throw error;
    } finally {
      await database.close();
    }
  });

importCommand
  .command('payments <file>')
  .description('carga pagos (ventanilla, nómina, transferencia) desde un CSV y los aplica a los créditos (PAY-1; si una fila es inválida no se escribe nada; --date fija «hoy»)')
  .action(async (file: string) => {
    const { SYSTEM_ACTOR } = await import('../modules/audit/audit.service.js');
    const { importPayments } = await import('../modules/payments/payments.import.js');
    const { formatPesos } = await import('../money.js');
    const { progressBar } = await import('./progress.js');
    let size: number;
    try {
      size = statSync(file).size;
    } catch {
      throw new AppError('NOT_FOUND', { userMessage: `No se puede leer el archivo ${file}.` });
    }
    const database = await openConfiguredDatabase(config(), { purpose: 'import payments' });
    const bar = progressBar('Importando pagos', size, 'bytes');
    try {
      const result = await database.db.transaction().execute((trx) =>
        importPayments(trx, SYSTEM_ACTOR, {
          fileName: basename(file),
          input: createReadStream(file, { highWaterMark: 1 << 20 }),
          today: clock().today(),
          now: clock().now(),
          onProgress: (_rows, bytes) => bar.update(bytes),
        }),
      );
      bar.update(size);
      bar.stop();
      process.stdout.write(
        [
          `Carga de pagos ${result.importRunId}: ${result.rowsTotal} filas — ${result.inserted} pagos nuevos, ${result.alreadyLoaded} ya cargados.`,
          `Importe total de los pagos nuevos: ${formatPesos(result.totalCents)}; créditos actualizados: ${result.creditsUpdated}; convenios con primer pago (CNV-5): ${result.firstPaymentsDetected}.`,
        ].join('\n') + '\n',
      );
    } catch (error) {
      bar.stop();
      throw error;
    } finally {
      await database.close();
    }
  });

program
  .command('assign')
  .description('etiquetado mensual y asignación a agencias (ASG-1..6); --dry-run no escribe nada')
  .requiredOption('--month <YYYY-MM>', 'mes de la asignación', monthOption)
  .option('--dry-run', 'calcular todo y mostrar la diferencia con el mes anterior sin guardar')
  .action(async (options: { month: string; dryRun?: boolean }) => {
    const { runAssignment, simulateAssignment } = await import('../modules/assignment/assignment.service.js');
    const { SYSTEM_ACTOR } = await import('../modules/audit/audit.service.js');
    const { formatRunSummary } = await import('./format-run.js');
    const database = await openConfiguredDatabase(config(), { purpose: 'assign' });
    try {
      const input = { month: options.month, today: clock().today(), now: clock().now() };
      const started = performance.now();
      const summary = options.dryRun
        ? await simulateAssignment(database.db, SYSTEM_ACTOR, input)
        : await database.db.transaction().execute((trx) => runAssignment(trx, SYSTEM_ACTOR, input));
      process.stdout.write(formatRunSummary(summary, performance.now() - started));
    } finally {
      await database.close();
    }
  });

program
  .command('sweep')
  .description('barrido diario de casos (SPEC §5): cierres automáticos DL-5 y DL-8, retiro de etiquetas (act. 10 y 19), incumplimientos DL-1, DL-2, DL-4 y DL-6')
  .action(async () => {
    const { SYSTEM_ACTOR } = await import('../modules/audit/audit.service.js');
    const { describeSweep, sweepCases } = await import('../modules/mediation/sweep.service.js');
    const database = await openConfiguredDatabase(config(), { purpose: 'sweep' });
    try {
      const started = performance.now();
      const summary = await sweepCases(database.db, { today: clock().today(), now: clock().now(), actor: SYSTEM_ACTOR });
      process.stdout.write(describeSweep(summary, performance.now() - started));
    } finally {
      await database.close();
    }
  });

program
  .command('reconcile')
  .description('conciliación de convenios: términos firmados vs. aplicados al crédito vs. pagos recibidos (CNV-4, CNV-5); sale con 1 si hay diferencias')
  .option('--delegation <id>', 'sólo una delegación', positiveInt)
  .option('--out <file.csv>', 'escribe las diferencias en un CSV')
  .action(async (options: { delegation?: number; out?: string }) => {
    const { describeReconciliation, reconcileConvenios, reconciliationCsv } = await import('../modules/convenios/reconciliation.js');
    const database = await openConfiguredDatabase(config(), { purpose: 'reconcile' });
    try {
      const report = await reconcileConvenios(database.db, { delegationId: options.delegation });
      process.stdout.write(describeReconciliation(report));
      if (options.out) {
        await pipeline(Readable.from(reconciliationCsv(report.mismatches)), createWriteStream(options.out));
        process.stdout.write(`Diferencias escritas en ${options.out}\n`);
      }
      if (report.mismatches.length > 0) process.exitCode = 1;
    } finally {
      await database.close();
    }
  });

program
  .command('explain <credit>')
  .description('¿fue etiquetado el crédito en el mes? si no, todas las reglas que lo excluyeron')
  .requiredOption('--month <YYYY-MM>', 'mes')
  .action(async (credit: string, options: { month: string }) => {
    const { explainCredit } = await import('../modules/assignment/assignment.service.js');
    const database = await openConfiguredDatabase(config(), { purpose: 'explain' });
    try {
      const explanation = await explainCredit(database.db, { creditNumber: credit, month: options.month });
      const lines = [`Crédito ${credit}, ${options.month}: ${explanation.message}`];
      for (const reason of explanation.reasons) lines.push(`  ${reason.rule.padEnd(7)} ${reason.wording}`);
      if (explanation.policyVersion !== null) lines.push(`  (criterios de exclusión, versión ${explanation.policyVersion})`);
      process.stdout.write(lines.join('\n') + '\n');
    } finally {
      await database.close();
    }
  });

const outbox = program.command('outbox').description('notificaciones: correo, SMS y WhatsApp');
outbox
  .command('deliver')
  .description('entrega una vez los mensajes pendientes que ya vencieron y muestra el resultado')
  .option('--limit <n>', 'máximo de mensajes en esta ejecución', positiveInt, 1000)
  .action(async (options: { limit: number }) => {
    const { adaptersFromConfig, describeAdapters } = await import('../modules/notify/outbox.adapters.js');
    const { countOutboxMessages, deliverDueMessages } = await import('../modules/notify/outbox.service.js');
    const cfg = config();
    const adapters = adaptersFromConfig(cfg.outbox);
    const database = await openConfiguredDatabase(cfg, { purpose: 'outbox deliver' });
    try {
      const report = await deliverDueMessages(database.db, {
        now: clock().now(),
        adapters,
        limit: options.limit,
        maxAttempts: cfg.outbox.maxAttempts,
        retryBaseMs: cfg.outbox.retryBaseMs,
      });
      const queue = await countOutboxMessages(database.db);
      process.stdout.write(
        [
          `Adaptadores: ${describeAdapters(adapters)}.`,
          `Mensajes procesados: ${report.attempted} — ${report.sent} enviados, ${report.retrying} con reintento programado, ${report.failed} fallidos.`,
          `En la bandeja: ${queue.pending} pendientes, ${queue.sent} enviados, ${queue.failed} fallidos.`,
        ].join('\n') + '\n',
      );
    } finally {
      await database.close();
    }
  });

const audit = program.command('audit').description('bitácora de auditoría');
audit
  .command('verify')
  .description('verifica la cadena de eventos (SEC-3) y nombra el primer eslabón roto')
  .action(async () => {
    const { verifyAuditTrail } = await import('../modules/audit/audit.service.js');
    const database = await openConfiguredDatabase(config(), { purpose: 'audit verify' });
    try {
      const result = await verifyAuditTrail(database.db);
      if (result.ok) process.stdout.write(`Cadena íntegra: ${result.checked} eventos verificados.\n`);
      else {
        process.stdout.write(`Cadena ROTA en el evento ${result.brokenAt}: ${result.reason} (${result.checked} eventos válidos antes).\n`);
        process.exitCode = 1;
      }
    } finally {
      await database.close();
    }
  });

const report = program.command('report').description('reportes mensuales en Excel, reproducibles con corte a una fecha (REP-1, REP-2)');

/** Writes one monthly report with a progress bar on stderr and its summary line on stdout. */
async function writeMonthlyReport(
  name: 'REP-1' | 'REP-2',
  purpose: string,
  write: (db: Database['db'], progress: { onStart: (total: number) => void; onProgress: (rows: number) => void }) => Promise<{ rows: number; label: string }>,
  out: string,
): Promise<void> {
  const { progressBar } = await import('./progress.js');
  // PGlite in a worker thread, as the server runs it: the engine executes and parses the next page
  // while this thread writes the workbook (REP-1 of 100,000 credits: 5.3–6.7 s → 4.5–5.2 s)
  const database = await openConfiguredDatabase(config(), { purpose, worker: true });
  let bar: ReturnType<typeof progressBar> | undefined;
  try {
    const started = performance.now();
    const { rows, label } = await write(database.db, { onStart: (total) => (bar = progressBar(name, total)), onProgress: (n) => bar?.update(n) });
    bar?.stop();
    process.stdout.write(`${label}: ${rows.toLocaleString('es-MX')} filas en ${Math.round((performance.now() - started) / 100) / 10} s → ${out}\n`);
  } catch (error) {
    bar?.stop();
    throw error;
  } finally {
    await database.close();
  }
}

report
  .command('agency')
  .description('REP-1: reporte mensual de la agencia (act. 32), una fila por crédito asignado en el mes, con corte a una fecha')
  .requiredOption('--agency <id|código>', 'agencia: id o código (p. ej. AS01)')
  .requiredOption('--month <YYYY-MM>', 'mes de la asignación, ya concluido', monthOption)
  .option('--as-of <YYYY-MM-DD>', 'fecha de corte (por omisión, el último día del mes; no futura)', dateOption)
  .requiredOption('--out <archivo.xlsx>', 'archivo Excel a escribir')
  .action(async (options: { agency: string; month: string; asOf?: string; out: string }) => {
    const { planAgencyReport, writeAgencyReportFile } = await import('../modules/reports/rep1.export.js');
    await writeMonthlyReport(
      'REP-1',
      'report agency',
      async (db, progress) => {
        const plan = await planAgencyReport(db, undefined, { agency: options.agency, month: options.month, asOf: options.asOf, today: clock().today() });
        const rows = await writeAgencyReportFile(db, plan, { path: options.out, now: clock().now(), ...progress });
        return { rows, label: `REP-1 ${plan.agency.code} ${plan.month} con corte al ${formatDateEs(plan.asOf)}` };
      },
      options.out,
    );
  });

report
  .command('region')
  .description('REP-2: reporte mensual de la delegación (act. 34), convenios firmados en el mes, con corte a una fecha')
  .requiredOption('--delegation <id|código>', 'delegación: id o código (p. ej. JAL)')
  .requiredOption('--month <YYYY-MM>', 'mes de firma, ya concluido', monthOption)
  .option('--as-of <YYYY-MM-DD>', 'fecha de corte (por omisión, el último día del mes; no futura)', dateOption)
  .requiredOption('--out <archivo.xlsx>', 'archivo Excel a escribir')
  .action(async (options: { delegation: string; month: string; asOf?: string; out: string }) => {
    const { planRegionReport, writeRegionReportFile } = await import('../modules/reports/rep2.export.js');
    await writeMonthlyReport(
      'REP-2',
      'report region',
      async (db, progress) => {
        const plan = await planRegionReport(db, undefined, { delegation: options.delegation, month: options.month, asOf: options.asOf, today: clock().today() });
        const rows = await writeRegionReportFile(db, plan, { path: options.out, now: clock().now(), ...progress });
        return { rows, label: `REP-2 ${plan.delegation.code} ${plan.month} con corte al ${formatDateEs(plan.asOf)}` };
      },
      options.out,
    );
  });

program.parseAsync(process.argv).catch((error: unknown) => {
  if (error instanceof AppError) {
    process.stderr.write(`Error: ${error.userMessage}\n`);
    const details = error.details as { errors?: Array<{ line: number; column?: string; message: string }> } | undefined;
    for (const problem of details?.errors ?? []) {
      process.stderr.write(`  línea ${problem.line}${problem.column ? ` [${problem.column}]` : ''}: ${problem.message}\n`);
    }
  } else {
    process.stderr.write(`Error: ${error instanceof Error ? error.message : String(error)}\n`);
  }
  process.exit(error instanceof AppError && error.status < 500 ? 2 : 1);
});
