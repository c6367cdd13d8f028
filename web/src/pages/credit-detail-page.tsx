import { useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { Link, useParams } from 'react-router';
import { getCredit, isApiError } from '../api/client';
import type { Address, CreditDetail, Denomination, Regime } from '../api/types';
import { CreditCasesSection } from '../components/case-credit-cases';
import { CreditConveniosSection, CreditPaymentsSection, CreditSolutionsSection } from '../components/convenio-credit-sections';
import { Field } from '../components/field';
import { MonthlyTaggingSection } from '../components/monthly-tagging';
import { Loading, QueryError } from '../components/query-state';
import { useDocumentTitle } from '../components/use-document-title';
import {
  formatBasisPoints,
  formatCents,
  formatDate,
  formatDecimalText,
  formatInteger,
  formatYesNo,
} from '../format';
import { useCurrentUser } from '../session';

const CREDIT_NUMBER = /^\d{10}$/;

const REGIME_LABELS: Record<Regime, string> = {
  ROA: 'ROA (descuento por nómina del patrón)',
  REA: 'REA (pago directo del acreditado)',
};

const DENOMINATION_LABELS: Record<Denomination, string> = {
  VSM: 'VSM (veces el salario mínimo)',
  MXN: 'Pesos (MXN)',
};

const NOT_RECORDED = 'No registrado';

/** One dt/dd pair; `id` becomes data-testid="field-<id>" on the pair. */
function DetailSection({ id, title, children }: { id: string; title: string; children: ReactNode }) {
  const headingId = `section-${id}`;
  return (
    <section className="section card" aria-labelledby={headingId} data-testid={`section-${id}`}>
      <h2 id={headingId}>{title}</h2>
      <dl className="fields">{children}</dl>
    </section>
  );
}

function formatAddress(address: Address): string {
  return `${address.street}, Col. ${address.settlement}, ${address.municipality}, C.P. ${address.postalCode}`;
}

function Phone({ number }: { number: string | null }) {
  if (number === null || number.trim() === '') return <>{NOT_RECORDED}</>;
  return <a href={`tel:${number.replace(/[^\d+]/g, '')}`}>{number}</a>;
}

function Email({ address }: { address: string | null }) {
  if (address === null || address.trim() === '') return <>{NOT_RECORDED}</>;
  return <a href={`mailto:${address}`}>{address}</a>;
}

function months(count: number): string {
  return `${formatInteger(count)} ${count === 1 ? 'mes' : 'meses'}`;
}

function BorrowerSection({ credit }: { credit: CreditDetail }) {
  const { borrower } = credit;
  return (
    <DetailSection id="borrower" title="Acreditado">
      <Field id="borrower-name" label="Nombre">
        {borrower.name}
      </Field>
      <Field id="nss" label="NSS">
        {borrower.nss}
      </Field>
      <Field id="curp" label="CURP">
        {borrower.curp}
      </Field>
      <Field id="rfc" label="RFC">
        {borrower.rfc}
      </Field>
      <Field id="birth-date" label="Fecha de nacimiento">
        {formatDate(borrower.birthDate)}
      </Field>
      <Field id="address" label="Domicilio">
        {formatAddress(borrower.address)}
      </Field>
      <Field id="phone-landline" label="Teléfono fijo">
        <Phone number={borrower.phoneLandline} />
      </Field>
      <Field id="phone-mobile" label="Teléfono celular">
        <Phone number={borrower.phoneMobile} />
      </Field>
      <Field id="email" label="Correo electrónico">
        <Email address={borrower.email} />
      </Field>
    </DetailSection>
  );
}

function CreditSection({ credit }: { credit: CreditDetail }) {
  const isVsm = credit.denomination === 'VSM';
  return (
    <DetailSection id="credit" title="Crédito">
      <Field id="delegation" label="Delegación">
        {credit.delegation.name}
      </Field>
      <Field id="segment" label="Segmento">
        {credit.segmentLabel}
      </Field>
      <Field id="denomination" label="Denominación">
        {DENOMINATION_LABELS[credit.denomination]}
      </Field>
      <Field id="regime" label="Régimen">
        {REGIME_LABELS[credit.regime]}
      </Field>
      <Field id="original-amount" label="Monto original">
        {formatCents(credit.originalAmountCents)}
      </Field>
      {isVsm && credit.originalAmountVsm !== null && (
        <Field id="original-amount-vsm" label="Monto original en VSM">
          {formatDecimalText(credit.originalAmountVsm)} VSM
        </Field>
      )}
      <Field id="balance" label="Saldo">
        {formatCents(credit.balanceCents)}
      </Field>
      {isVsm && credit.balanceVsm !== null && (
        <Field id="balance-vsm" label="Saldo en VSM">
          {formatDecimalText(credit.balanceVsm)} VSM
        </Field>
      )}
      <Field id="monthly-payment" label="Mensualidad">
        {formatCents(credit.monthlyPaymentCents)}
      </Field>
      <Field id="payment-factor" label="Factor de pago">
        {formatDecimalText(credit.paymentFactor)}
      </Field>
      <Field id="insurance-fees" label="Seguros y cuotas de administración">
        {formatCents(credit.insuranceFeesCents)}
      </Field>
      <Field id="interest-rate" label="Tasa de interés">
        {formatBasisPoints(credit.interestRateBp)}
      </Field>
      <Field id="term" label="Plazo">
        {months(credit.termMonths)}
      </Field>
      <Field id="payments-made" label="Pagos realizados">
        {formatInteger(credit.paymentsMade)}
      </Field>
      <Field id="months-in-arrears" label="Omisos">
        {months(credit.monthsInArrears)}
      </Field>
      <Field id="origination-date" label="Fecha de otorgamiento">
        {formatDate(credit.originationDate)}
      </Field>
      <Field id="in-social-collections" label="En cobranza social">
        {formatYesNo(credit.inSocialCollections)}
      </Field>
    </DetailSection>
  );
}

/** The facts the exclusion rules read (SPEC §3, EXC-1..10 and ENT-B). */
function ExclusionFactsSection({ credit }: { credit: CreditDetail }) {
  const facts = credit.exclusionFacts;
  return (
    <DetailSection id="exclusion-facts" title="Hechos para exclusión">
      <Field id="broken-convenios" label="Convenios de mediación incumplidos">
        {formatInteger(facts.brokenConvenios)}
      </Field>
      <Field id="housing-status" label="Situación de la vivienda">
        {facts.housingStatusLabel}
      </Field>
      <Field id="active-restructure" label="Reestructura activa">
        {formatYesNo(facts.activeRestructure)}
      </Field>
      <Field id="outsourced" label="Crédito tercerizado">
        {formatYesNo(facts.outsourced)}
      </Field>
      <Field id="trust-pool" label="En pool de fideicomiso">
        {formatYesNo(facts.trustPool)}
      </Field>
      <Field id="billing-active" label="Factura en el sistema de facturación">
        {formatYesNo(facts.billingActive)}
      </Field>
      <Field id="active-extension" label="Prórroga activa">
        {formatYesNo(facts.activeExtension)}
      </Field>
      <Field id="legal-stage" label="Etapa procesal">
        {facts.legalStageLabel}
      </Field>
      <Field id="accompaniment" label="Cuenta de acompañamiento">
        {formatYesNo(facts.accompaniment)}
      </Field>
      <Field id="legal-stage-frozen" label="Etapa procesal congelada">
        {formatYesNo(facts.legalStageFrozen)}
      </Field>
    </DetailSection>
  );
}

function BackLink() {
  const user = useCurrentUser();
  if (user.role === 'borrower') {
    return (
      <Link to="/" className="back-link">
        Volver al inicio
      </Link>
    );
  }
  return (
    <Link to="/creditos" className="back-link">
      Volver a la cartera
    </Link>
  );
}

const NOT_FOUND_TITLE = 'Crédito no encontrado';

function CreditNotFound() {
  useDocumentTitle(NOT_FOUND_TITLE);
  return (
    <>
      <h1>{NOT_FOUND_TITLE}</h1>
      <p className="notice" data-testid="credit-not-found">
        No existe un crédito con ese número dentro de su alcance. Revise el número (10 dígitos) e intente de nuevo.
      </p>
      <p>
        <BackLink />
      </p>
    </>
  );
}

function CreditDetailView({ creditNumber }: { creditNumber: string }) {
  const user = useCurrentUser();
  const credit = useQuery({
    queryKey: ['credit', creditNumber],
    queryFn: ({ signal }) => getCredit(creditNumber, signal),
  });
  const notFound = credit.isError && isApiError(credit.error) && credit.error.status === 404;
  const title = `Crédito ${creditNumber}`;
  // Same title as CreditNotFound sets: parent effects run after the child's and must agree.
  useDocumentTitle(notFound ? NOT_FOUND_TITLE : title);

  if (credit.isPending) return <Loading label="Cargando crédito…" />;
  if (credit.isError) {
    if (notFound) return <CreditNotFound />;
    return (
      <>
        <h1>{title}</h1>
        <QueryError error={credit.error} onRetry={() => void credit.refetch()} />
        <p>
          <BackLink />
        </p>
      </>
    );
  }

  const detail = credit.data;
  return (
    <>
      <p>
        <BackLink />
      </p>
      <h1>
        Crédito <span data-testid="credit-number">{detail.creditNumber}</span>
      </h1>
      <p className="lead" data-testid="credit-borrower-name">
        {detail.borrower.name}
      </p>
      {detail.exclusionFacts.activeRestructure && (
        <p className="notice notice--success" data-testid="credit-restructure-banner">
          Reestructura activa: el crédito tiene aplicados los términos de un convenio de mediación (CNV-4).
        </p>
      )}
      <div className="detail-grid">
        <BorrowerSection credit={detail} />
        <CreditSection credit={detail} />
        <ExclusionFactsSection credit={detail} />
        {/* The tagging explanation is the operation's, not the borrower's (SPEC §3). */}
        {user.role !== 'borrower' && <MonthlyTaggingSection creditNumber={detail.creditNumber} />}
        {/* The credit's mediation cases (rounds, ENT-C), each linked to its case page. */}
        {user.role !== 'borrower' && <CreditCasesSection creditNumber={detail.creditNumber} />}
        {/* CNV-4: the restructure a convenio applied, and the credit's convenios. */}
        <CreditConveniosSection credit={detail} />
        {/* SPEC §8: the borrower too sees why each solution is or is not available. */}
        <CreditSolutionsSection creditNumber={detail.creditNumber} />
        {/* PAY-1. */}
        <CreditPaymentsSection creditNumber={detail.creditNumber} />
      </div>
    </>
  );
}

export function CreditDetailPage() {
  const { creditNumber = '' } = useParams();
  // A credit number is 10 digits; anything else cannot exist, so it is not asked of the server.
  if (!CREDIT_NUMBER.test(creditNumber)) return <CreditNotFound />;
  // key: a new credit starts from a clean view (no previous credit's data flashing).
  return <CreditDetailView key={creditNumber} creditNumber={creditNumber} />;
}
