import { z } from 'zod';

/**
 * The environment, parsed once at start-up. Nothing else reads `process.env`.
 */
const ZEnvironment = z.object({
  DATABASE_URL: z.string().url().optional(),
  DATA_DIR: z.string().default('./data'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DEMO_CREDITS: z.coerce.number().int().min(0).default(20000),
  DEMO_SEED: z.coerce.number().int().default(2026),
  /** Fixed "today" (YYYY-MM-DD) for demos and tests; the system clock otherwise. */
  TODAY: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional(),
  COOKIE_SECURE: z.enum(['true', 'false']).default('false').transform((value) => value === 'true'),
  SESSION_HOURS: z.coerce.number().int().min(1).max(24 * 30).default(12),
  NODE_ENV: z.string().default('development'),
});

export type Config = {
  databaseUrl: string | undefined;
  dataDir: string;
  port: number;
  host: string;
  logLevel: z.infer<typeof ZEnvironment>['LOG_LEVEL'];
  demoCredits: number;
  demoSeed: number;
  today: string | undefined;
  cookieSecure: boolean;
  sessionHours: number;
  production: boolean;
};

export function parseConfig(environment: Record<string, string | undefined>): Config {
  const parsed = ZEnvironment.safeParse(environment);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ');
    throw new Error(`Invalid environment: ${problems}`);
  }
  const env = parsed.data;
  return {
    databaseUrl: env.DATABASE_URL,
    dataDir: env.DATA_DIR,
    port: env.PORT,
    host: env.HOST,
    logLevel: env.LOG_LEVEL,
    demoCredits: env.DEMO_CREDITS,
    demoSeed: env.DEMO_SEED,
    today: env.TODAY,
    cookieSecure: env.COOKIE_SECURE,
    sessionHours: env.SESSION_HOURS,
    production: env.NODE_ENV === 'production',
  };
}

let loaded: Config | undefined;

/** The process configuration, parsed from the environment on first use. */
export function config(): Config {
  loaded ??= parseConfig(process.env);
  return loaded;
}
