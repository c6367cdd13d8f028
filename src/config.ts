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
  /** Notifications (src/modules/notify): a channel without a provider uses the local adapter. */
  SMTP_URL: z.string().url().optional(),
  SMTP_FROM: z.string().min(3).default('Cobranza Social <no-responder@cobranza-social.invalid>'),
  SMS_PROVIDER_URL: z.string().url().optional(),
  SMS_PROVIDER_TOKEN: z.string().min(1).optional(),
  WHATSAPP_PROVIDER_URL: z.string().url().optional(),
  WHATSAPP_PROVIDER_TOKEN: z.string().min(1).optional(),
  OUTBOX_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(8),
  OUTBOX_RETRY_BASE_SECONDS: z.coerce.number().int().min(1).max(86_400).default(60),
  OUTBOX_INTERVAL_MS: z.coerce.number().int().min(100).max(3_600_000).default(10_000),
  /** Where borrowers answer the service-quality survey (SRV-1, act. 21); the case id is appended. */
  SURVEY_URL: z.string().url().default('https://encuestas.cobranza-social.invalid/mediacion'),
  /** The complaint channel told with the survey invitation (CMP-1). */
  COMPLAINTS_URL: z.string().url().default('https://quejas.cobranza-social.invalid/'),
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
  outbox: OutboxConfig;
  surveyUrl: string;
  complaintsUrl: string;
};

/** Delivery of the notification outbox (src/modules/notify/README.md). */
export interface OutboxConfig {
  smtpUrl: string | undefined;
  smtpFrom: string;
  smsProviderUrl: string | undefined;
  smsProviderToken: string | undefined;
  whatsappProviderUrl: string | undefined;
  whatsappProviderToken: string | undefined;
  /** Attempts before a message is marked failed. */
  maxAttempts: number;
  /** First retry delay; doubled at each failed attempt. */
  retryBaseMs: number;
  /** How often the server's worker looks for due messages. */
  intervalMs: number;
}

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
    outbox: {
      smtpUrl: env.SMTP_URL,
      smtpFrom: env.SMTP_FROM,
      smsProviderUrl: env.SMS_PROVIDER_URL,
      smsProviderToken: env.SMS_PROVIDER_TOKEN,
      whatsappProviderUrl: env.WHATSAPP_PROVIDER_URL,
      whatsappProviderToken: env.WHATSAPP_PROVIDER_TOKEN,
      maxAttempts: env.OUTBOX_MAX_ATTEMPTS,
      retryBaseMs: env.OUTBOX_RETRY_BASE_SECONDS * 1000,
      intervalMs: env.OUTBOX_INTERVAL_MS,
    },
    surveyUrl: env.SURVEY_URL,
    complaintsUrl: env.COMPLAINTS_URL,
  };
}

let loaded: Config | undefined;

/** The process configuration, parsed from the environment on first use. */
export function config(): Config {
  loaded ??= parseConfig(process.env);
  return loaded;
}
