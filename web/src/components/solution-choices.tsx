/**
 * The solutions a field agent may offer and the DR hands over as drafts: those the catalogue makes
 * available to the credit today, with their terms (act. 2, act. 13, SPEC §8). The same computation
 * as the credit page, the session's drafts and the convenio; the server refuses any other.
 */
import { useQuery } from '@tanstack/react-query';
import { getCreditSolutions } from '../api/client';
import type { SolutionId, SolutionOffer } from '../api/types';
import { solutionLabel } from '../case-labels';
import { formatCents, formatDate } from '../format';
import type { Choice } from './case-action-form';

/** Offered only with its figures: an available solution whose terms cannot be computed is not offered. */
export function isOfferable(offer: SolutionOffer): boolean {
  return offer.available && offer.terms !== undefined;
}

function whyNot(offer: SolutionOffer): string {
  if (offer.available) return offer.termsUnavailableReason ?? 'Sin términos calculables.';
  const failed = offer.conditions.filter((condition) => !condition.passed).map((condition) => condition.description);
  return `No disponible: ${failed.join('; ')}.`;
}

function termsHint(offer: SolutionOffer): string {
  const terms = offer.terms!;
  return `Mensualidad ${formatCents(terms.totalMonthlyPaymentCents)} con seguros; primer pago ${formatCents(terms.firstPaymentCents)} a más tardar el ${formatDate(terms.firstPaymentDueOn)}.`;
}

export function useSolutionChoices(creditNumber: string) {
  const catalogue = useQuery({
    queryKey: ['credit-solutions', creditNumber],
    queryFn: ({ signal }) => getCreditSolutions(creditNumber, signal),
  });
  const offers = catalogue.data?.solutions ?? [];
  const choices: Choice<SolutionId>[] = offers.map((offer) => ({
    value: offer.solution,
    label: solutionLabel(offer.solution),
    hint: isOfferable(offer) ? termsHint(offer) : whyNot(offer),
    disabled: !isOfferable(offer),
  }));
  const offerable = offers.filter(isOfferable).map((offer) => offer.solution);
  return { catalogue, choices, offerable };
}
