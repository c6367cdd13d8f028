import { z } from 'zod';
import { inTransaction, userOf, type App, type AppContext } from '../../http/context.js';
import { ZError } from '../identity/identity.schemas.js';
import { ZCreditNumber } from '../portfolio/credits.schemas.js';
import { ZCreditSolutions } from './solutions.schemas.js';
import { getCreditSolutions } from './solutions.service.js';

export function solutionRoutes(app: App, context: AppContext): void {
  app.get('/api/credits/:number/solutions', {
    config: { access: 'authenticated' },
    schema: {
      tags: ['Soluciones'],
      summary:
        'Catálogo de soluciones de un crédito (SOL-1 a SOL-5): disponibilidad con sus motivos y, si está disponible, las condiciones exactas (404 si no existe o está fuera del alcance)',
      params: z.object({ number: ZCreditNumber }),
      response: { 200: ZCreditSolutions, 401: ZError, 404: ZError },
    },
    handler: async (request) => {
      const user = userOf(request);
      return inTransaction(context, (trx) =>
        getCreditSolutions(trx, user, request.params.number, context.clock.today(), { now: context.clock.now() }),
      );
    },
  });
}
