/**
 * The HTTP server: the JSON API under /api (OpenAPI at /docs), /health, and the browser app.
 */
import cookie from '@fastify/cookie';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyServerOptions } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { assignmentRoutes } from '../modules/assignment/assignment.routes.js';
import { proposalRoutes } from '../modules/assignment/proposals.routes.js';
import { caseRoutes } from '../modules/mediation/cases.routes.js';
import { convenioRoutes } from '../modules/convenios/convenios.routes.js';
import { documentRoutes } from '../modules/documents/documents.routes.js';
import { reportRoutes } from '../modules/reports/reports.routes.js';
import { caseFileRoutes } from '../modules/casefiles/casefiles.routes.js';
import { indicatorRoutes } from '../modules/reports/indicators.routes.js';
import { sweepRoutes } from '../modules/mediation/sweep.routes.js';
import { auditRoutes } from '../modules/audit/audit.routes.js';
import { policyRoutes } from '../modules/policy/policy.routes.js';
import { identityRoutes } from '../modules/identity/identity.routes.js';
import { outboxRoutes } from '../modules/notify/outbox.routes.js';
import { paymentRoutes } from '../modules/payments/payments.routes.js';
import { creditRoutes } from '../modules/portfolio/credits.routes.js';
import { importRoutes } from '../modules/portfolio/imports.routes.js';
import { solutionRoutes } from '../modules/solutions/solutions.routes.js';
import { registerAuth } from './auth.js';
import type { App, AppContext } from './context.js';
import { errorHandler } from './errors.js';

export const WEB_DIST = fileURLToPath(new URL('../../web/dist/', import.meta.url));

export interface ServerOptions {
  logLevel?: string;
  /** The built browser app; served when it exists. */
  webDist?: string;
  /** 'embedded' or 'server', reported by /health. */
  engine?: string;
}

/** Request logs carry method, path and status only: query strings can hold names (SEC-4). */
const loggerOptions = (level: string): FastifyServerOptions['logger'] => ({
  level,
  redact: ['req.headers.authorization', 'req.headers.cookie'],
  serializers: {
    req: (request: { method: string; url: string; id: string }) => ({ id: request.id, method: request.method, path: request.url.split('?')[0] }),
    res: (reply: { statusCode: number }) => ({ statusCode: reply.statusCode }),
  },
});

export async function buildServer(context: AppContext, options: ServerOptions = {}): Promise<App> {
  const app = Fastify({
    logger: options.logLevel === 'silent' || !options.logLevel ? false : loggerOptions(options.logLevel),
    bodyLimit: 5 * 1024 * 1024,
    trustProxy: false,
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(errorHandler);

  await app.register(cookie);
  await app.register(rateLimit, { global: false });
  await app.register(swagger, {
    openapi: {
      info: {
        title: 'Cobranza Social — API',
        description:
          'API de la plataforma de cobranza social y mediación. Autenticación: cookie de sesión (navegador, con encabezado x-csrf-token en cambios) o token Bearer (programas). Cada usuario ve sólo su alcance (SEC-2).',
        version: '0.1.0',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });

  registerAuth(app, context);

  app.get('/health', { schema: { hide: true } }, async () => ({ status: 'ok', engine: options.engine ?? 'unknown', time: context.clock.now().toISOString() }));

  identityRoutes(app, context);
  creditRoutes(app, context);
  solutionRoutes(app, context);
  auditRoutes(app, context);
  importRoutes(app, context);
  paymentRoutes(app, context);
  assignmentRoutes(app, context);
  policyRoutes(app, context);
  proposalRoutes(app, context);
  outboxRoutes(app, context);
  caseRoutes(app, context);
  sweepRoutes(app, context);
  convenioRoutes(app, context);
  documentRoutes(app, context);
  reportRoutes(app, context);
  caseFileRoutes(app, context);
  indicatorRoutes(app, context);

  const webDist = options.webDist ?? WEB_DIST;
  const hasWeb = existsSync(`${webDist}index.html`);
  if (hasWeb) {
    await app.register(fastifyStatic, { root: webDist, prefix: '/', wildcard: false, index: ['index.html'] });
  }
  app.setNotFoundHandler((request, reply) => {
    if (request.url.startsWith('/api/') || request.method !== 'GET' || !hasWeb) {
      return reply.status(404).send({ code: 'NOT_FOUND', message: 'Recurso no encontrado.' });
    }
    return reply.type('text/html').sendFile('index.html');
  });
  return app;
}
