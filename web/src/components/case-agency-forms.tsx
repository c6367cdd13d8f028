/**
 * The agency's part of a case (SPEC §4 acts. 5 and 7): designate the Infonavit representative
 * (legal powers unless the convenio is ADMINISTRATIVE) and approve and distribute the case to a
 * mediator with an app licence whose kind fits the convenio type (CNV-2).
 */
import { useQuery } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { listMediators, listRepresentatives } from '../api/client';
import type { CaseDetail, Mediator, Representative } from '../api/types';
import { CONVENIO_TYPE_LABELS } from '../assignment-labels';
import { MEDIATOR_KIND_FOR, MEDIATOR_KIND_LABELS, MEDIATOR_KIND_SHORT_LABELS, needsLegalPowers } from '../case-labels';
import { formatDate, formatInteger } from '../format';
import { CaseActionForm, SelectField, useFieldProblem, type ActionFormProps } from './case-action-form';
import { Loading, QueryError } from './query-state';

export const mediatorsQueryKey = ['mediators'] as const;
export const representativesQueryKey = ['representatives'] as const;

function representativeOption(representative: Representative, convenioNeedsPowers: boolean) {
  const powers = representative.hasLegalPowers ? 'con poderes legales' : 'sin poderes legales';
  const unusable = !representative.active ? ' — inactivo' : convenioNeedsPowers && !representative.hasLegalPowers ? ' — no puede representar en este convenio' : '';
  return {
    value: String(representative.id),
    label: `${representative.fullName} — ${powers} · ${representative.delegationName}${unusable}`,
    disabled: !representative.active || (convenioNeedsPowers && !representative.hasLegalPowers),
  };
}

/** Act. 7: the Infonavit representative of the session. */
export function RepresentativeForm({ detail, onWritten, onReload }: ActionFormProps) {
  const id = useId();
  const { errorFor, fail, clear } = useFieldProblem();
  const representatives = useQuery({ queryKey: representativesQueryKey, queryFn: ({ signal }) => listRepresentatives(signal) });
  const [chosen, setChosen] = useState(detail.representativeId === null ? '' : String(detail.representativeId));
  const selectId = `${id}-representative`;
  const convenioNeedsPowers = needsLegalPowers(detail.convenioType);

  function prepare() {
    clear();
    if (chosen === '') return fail(selectId, 'Elija al representante del Infonavit.');
    return { action: 'designate_representative' as const, input: { representativeId: Number(chosen) } };
  }

  const powersHint = convenioNeedsPowers
    ? `El convenio de este caso es ${CONVENIO_TYPE_LABELS[detail.convenioType]}: el representante debe tener poderes de representación legal (act. 7). Sólo en un convenio administrativo puede no tenerlos.`
    : 'Convenio administrativo: el representante puede no tener poderes de representación legal (act. 7).';

  return (
    <CaseActionForm
      detail={detail}
      prepare={prepare}
      submitLabel="Designar al representante"
      onWritten={onWritten}
      onReload={onReload}
      testId="representative-form"
    >
      {detail.representativeName !== null && (
        <p className="field__hint" data-testid="current-representative">
          Designado ahora: {detail.representativeName} ({detail.representativeHasPowers ? 'con poderes legales' : 'sin poderes legales'}).
        </p>
      )}
      {representatives.isPending && <Loading label="Cargando representantes…" />}
      {representatives.isError && <QueryError error={representatives.error} onRetry={() => void representatives.refetch()} />}
      {representatives.isSuccess && (
        <SelectField
          id={selectId}
          label="Representante del Infonavit"
          emptyOption="Elija un representante"
          value={chosen}
          onChange={setChosen}
          options={representatives.data.map((representative) => representativeOption(representative, convenioNeedsPowers))}
          hint={powersHint}
          error={errorFor(selectId)}
        />
      )}
    </CaseActionForm>
  );
}

/** Why a mediator cannot take this case, or null. */
function mediatorProblem(mediator: Mediator, detail: CaseDetail): string | null {
  if (!mediator.active) return 'inactivo';
  if (mediator.appLicenceNumber === null) return 'sin licencia de la aplicación';
  const needed = MEDIATOR_KIND_FOR[detail.convenioType];
  if (needed !== undefined && mediator.kind !== needed) return `no corresponde a un convenio ${CONVENIO_TYPE_LABELS[detail.convenioType].replace('Convenio de Mediación ', '')}`;
  return null;
}

function mediatorOption(mediator: Mediator, detail: CaseDetail) {
  const problem = mediatorProblem(mediator, detail);
  const licence = mediator.appLicenceNumber === null ? 'sin licencia' : `licencia ${mediator.appLicenceNumber}`;
  return {
    value: String(mediator.id),
    label: `${mediator.fullName} — ${MEDIATOR_KIND_SHORT_LABELS[mediator.kind]} · ${licence}${problem === null || problem === 'sin licencia de la aplicación' ? '' : ` — ${problem}`}`,
    disabled: problem !== null,
  };
}

/** Act. 5: approve the capture and distribute it to a mediator (DL-1: same or next day). */
export function DistributeForm({ detail, onWritten, onReload }: ActionFormProps) {
  const id = useId();
  const { errorFor, fail, clear } = useFieldProblem();
  const mediators = useQuery({ queryKey: mediatorsQueryKey, queryFn: ({ signal }) => listMediators(signal) });
  const [chosen, setChosen] = useState('');
  const selectId = `${id}-mediator`;
  const distributeBy = detail.dueDates.find((due) => due.rule === 'DL-1');
  const selected = mediators.data?.find((mediator) => String(mediator.id) === chosen);

  function prepare() {
    clear();
    if (chosen === '') return fail(selectId, 'Elija al mediador.');
    return { action: 'distribute' as const, input: { mediatorId: Number(chosen) } };
  }

  const needed = MEDIATOR_KIND_FOR[detail.convenioType];
  const hint = [
    'Sólo se distribuye a mediadores con licencia de la aplicación.',
    needed === undefined ? '' : `Un ${CONVENIO_TYPE_LABELS[detail.convenioType]} requiere un mediador ${MEDIATOR_KIND_LABELS[needed].toLowerCase()} (CNV-2).`,
    distributeBy === undefined ? '' : `Distribuir a más tardar el ${formatDate(distributeBy.dueOn)} (DL-1).`,
  ]
    .filter((part) => part !== '')
    .join(' ');

  return (
    <CaseActionForm detail={detail} prepare={prepare} submitLabel="Aprobar y distribuir" onWritten={onWritten} onReload={onReload} testId="distribute-form">
      {mediators.isPending && <Loading label="Cargando mediadores…" />}
      {mediators.isError && <QueryError error={mediators.error} onRetry={() => void mediators.refetch()} />}
      {mediators.isSuccess && (
        <SelectField
          id={selectId}
          label="Mediador"
          emptyOption="Elija un mediador"
          value={chosen}
          onChange={setChosen}
          options={mediators.data.map((mediator) => mediatorOption(mediator, detail))}
          hint={hint}
          error={errorFor(selectId)}
        />
      )}
      {selected !== undefined && (
        <dl className="fields fields--compact" data-testid="selected-mediator">
          <div className="fields__item">
            <dt>Tipo de mediador</dt>
            <dd>{MEDIATOR_KIND_LABELS[selected.kind]}</dd>
          </div>
          <div className="fields__item">
            <dt>Licencia de la aplicación</dt>
            <dd>{selected.appLicenceNumber ?? 'Sin licencia'}</dd>
          </div>
          <div className="fields__item">
            <dt>Casos abiertos</dt>
            <dd>{formatInteger(selected.openCases)}</dd>
          </div>
        </dl>
      )}
      {detail.representativeId === null && (
        <p className="notice notice--warning" data-testid="no-representative-warning">
          Designe también al representante del Infonavit: el mediador no puede agendar la sesión sin él (act. 7).
        </p>
      )}
    </CaseActionForm>
  );
}
