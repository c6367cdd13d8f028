import type { Scope } from './api/types';

/**
 * What follows "Alcance: " on the home page: "nacional", "Delegación Regional Jalisco",
 * "Agencia de Soluciones Norte", "su crédito 1234567890"… The server's label names the delegation,
 * agency or person; the national and borrower scopes are worded here.
 */
export function describeScope(scope: Scope): string {
  switch (scope.kind) {
    case 'national':
      return 'nacional';
    case 'credit':
      return scope.creditNumber ? `su crédito ${scope.creditNumber}` : scope.label;
    case 'delegation':
    case 'agency':
    case 'field_agent':
    case 'mediator':
    case 'representative':
      return scope.label;
  }
}

/** One sentence on what the portfolio search shows to someone with this scope. */
export function describePortfolioSearch(scope: Scope): string {
  switch (scope.kind) {
    case 'national':
      return 'Consulte cualquier crédito de la cartera nacional por número de crédito o por nombre del acreditado.';
    case 'delegation':
      return 'Consulte los créditos de su delegación regional por número de crédito o por nombre del acreditado.';
    case 'agency':
      return 'Consulte las cuentas asignadas a su agencia por número de crédito o por nombre del acreditado.';
    case 'field_agent':
      return 'Consulte las cuentas que tiene asignadas para visita por número de crédito o por nombre del acreditado.';
    case 'mediator':
      return 'Consulte los créditos de los casos que le fueron distribuidos por número de crédito o por nombre del acreditado.';
    case 'representative':
    case 'credit':
      return 'Consulte los créditos a su alcance por número de crédito o por nombre del acreditado.';
  }
}
