import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState, type ReactNode } from 'react';
import { applyCaseAction } from '../api/client';
import type { CaseAction, CaseActionInputs, CaseDetail } from '../api/types';
import { ActionForm } from './action-form';

export const casesQueryKey = ['cases'] as const;
export const visitsQueryKey = ['visits'] as const;

export function caseQueryKey(id: number) {
  return ['case', id] as const;
}

/** One action with its input, as a form prepares it. */
export type PreparedAction = { [A in CaseAction]: { action: A; input: CaseActionInputs[A] } }[CaseAction];

/** A field to correct: its element id (it takes the focus) and the Spanish message. */
export interface FieldProblem {
  field: string;
  message: string;
}

/** What the case page does after a write: show what was recorded. */
export type OnCaseWritten = (detail: CaseDetail, action: CaseAction) => void;

/**
 * The frame of every action form of the case: a write of the case (POST
 * /api/cases/:id/actions/:action) with its `Idempotency-Key`, "Recargar el caso" when the case
 * changed meanwhile. The reply, the case after the action, replaces the cached case; the work lists
 * are refreshed.
 */
export function CaseActionForm({
  detail,
  prepare,
  submitLabel,
  onWritten,
  onReload,
  children,
  testId,
}: {
  detail: CaseDetail;
  /** The action and its input, or null when a field needs correcting (the form has shown it). */
  prepare: () => PreparedAction | null;
  submitLabel: string;
  onWritten: OnCaseWritten;
  onReload: () => void;
  children: ReactNode;
  testId?: string;
}) {
  const queryClient = useQueryClient();
  const caseId = detail.id;
  return (
    <ActionForm
      version={detail.version}
      send={(prepared: PreparedAction, version, key) => applyCaseAction(caseId, prepared.action, { version, input: prepared.input } as never, key)}
      onSuccess={(written: CaseDetail, prepared) => {
        queryClient.setQueryData(caseQueryKey(caseId), written);
        onWritten(written, prepared.action);
        return Promise.all([
          queryClient.invalidateQueries({ queryKey: casesQueryKey }),
          queryClient.invalidateQueries({ queryKey: visitsQueryKey }),
          queryClient.invalidateQueries({ queryKey: ['credit-cases', written.creditNumber] }),
        ]);
      }}
      prepare={prepare}
      submitLabel={submitLabel}
      onReload={onReload}
      reloadLabel="Recargar el caso"
      errorTestId="case-action-error"
      testId={testId}
    >
      {children}
    </ActionForm>
  );
}

// --- fields ---------------------------------------------------------------------------------------

export function FieldError({ id, message }: { id: string; message: string | undefined }) {
  if (message === undefined) return null;
  return (
    <p id={id} className="field__error" data-testid="field-error">
      {message}
    </p>
  );
}

/** Focuses a field (or the first control of a group) named by a problem. */
export function focusProblem(problem: FieldProblem): void {
  const element = document.getElementById(problem.field) ?? document.getElementById(`${problem.field}-0`);
  element?.focus();
}

export function describedBy(...ids: (string | false | undefined)[]): string | undefined {
  const list = ids.filter((id): id is string => typeof id === 'string' && id !== '');
  return list.length === 0 ? undefined : list.join(' ');
}

export interface Choice<T extends string> {
  value: T;
  label: ReactNode;
  hint?: ReactNode;
  disabled?: boolean;
}

/** The frame of a group of choices: legend, hint, the choices, the error. */
function ChoiceFieldset({
  id,
  legend,
  hint,
  error,
  required,
  children,
}: {
  id: string;
  legend: ReactNode;
  hint?: ReactNode;
  error?: string | undefined;
  required: boolean;
  children: ReactNode;
}) {
  const errorId = `${id}-error`;
  const hintId = `${id}-hint`;
  return (
    <fieldset className="choice-group" id={`${id}-group`} aria-describedby={describedBy(error !== undefined && errorId, hint !== undefined && hintId)}>
      <legend>
        {legend} {required && <span className="field__required">(obligatorio)</span>}
      </legend>
      {hint !== undefined && (
        <p id={hintId} className="field__hint choice-group__hint">
          {hint}
        </p>
      )}
      {children}
      <FieldError id={errorId} message={error} />
    </fieldset>
  );
}

/** One radio button or checkbox of a group, with its label and hint. */
function ChoiceInput<T extends string>({
  inputId,
  type,
  name,
  choice,
  checked,
  invalid,
  onChange,
}: {
  inputId: string;
  type: 'radio' | 'checkbox';
  name?: string;
  choice: Choice<T>;
  checked: boolean;
  invalid: boolean;
  onChange: (checked: boolean) => void;
}) {
  return (
    <div className="choice">
      <input
        id={inputId}
        type={type}
        name={name}
        value={choice.value}
        checked={checked}
        disabled={choice.disabled}
        aria-invalid={invalid}
        onChange={(event) => onChange(event.target.checked)}
        aria-describedby={choice.hint === undefined ? undefined : `${inputId}-hint`}
      />
      <div className="choice__text">
        <label htmlFor={inputId}>{choice.label}</label>
        {choice.hint !== undefined && (
          <span id={`${inputId}-hint`} className="field__hint">
            {choice.hint}
          </span>
        )}
      </div>
    </div>
  );
}

/** Radio buttons in a fieldset; the first takes the focus as `${id}-0` when the group is wrong. */
export function RadioGroup<T extends string>({
  id,
  legend,
  choices,
  value,
  onChange,
  error,
  hint,
  required = true,
}: {
  id: string;
  legend: ReactNode;
  choices: readonly Choice<T>[];
  value: T | '';
  onChange: (value: T) => void;
  error?: string | undefined;
  hint?: ReactNode;
  required?: boolean;
}) {
  return (
    <ChoiceFieldset id={id} legend={legend} hint={hint} error={error} required={required}>
      {choices.map((choice, index) => (
        <ChoiceInput
          key={choice.value}
          inputId={`${id}-${index}`}
          type="radio"
          name={id}
          choice={choice}
          checked={value === choice.value}
          invalid={error !== undefined}
          onChange={() => onChange(choice.value)}
        />
      ))}
    </ChoiceFieldset>
  );
}

/** Checkboxes in a fieldset (several values). */
export function CheckboxGroup<T extends string>({
  id,
  legend,
  choices,
  values,
  onChange,
  error,
  hint,
  required = false,
}: {
  id: string;
  legend: ReactNode;
  choices: readonly Choice<T>[];
  values: readonly T[];
  onChange: (values: T[]) => void;
  error?: string | undefined;
  hint?: ReactNode;
  required?: boolean;
}) {
  function toggle(value: T, checked: boolean) {
    const next = choices.map((choice) => choice.value).filter((item) => (item === value ? checked : values.includes(item)));
    onChange(next);
  }
  return (
    <ChoiceFieldset id={id} legend={legend} hint={hint} error={error} required={required}>
      {choices.map((choice, index) => (
        <ChoiceInput
          key={choice.value}
          inputId={`${id}-${index}`}
          type="checkbox"
          choice={choice}
          checked={values.includes(choice.value)}
          invalid={error !== undefined}
          onChange={(checked) => toggle(choice.value, checked)}
        />
      ))}
    </ChoiceFieldset>
  );
}

/** One checkbox with its label (a statement the user confirms). */
export function CheckboxField({
  id,
  label,
  checked,
  onChange,
  hint,
  error,
  required = false,
}: {
  id: string;
  label: ReactNode;
  checked: boolean;
  onChange: (checked: boolean) => void;
  hint?: ReactNode;
  error?: string | undefined;
  required?: boolean;
}) {
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  return (
    <div className="choice choice--single">
      <input
        id={id}
        type="checkbox"
        checked={checked}
        onChange={(event) => onChange(event.target.checked)}
        aria-required={required || undefined}
        aria-invalid={error !== undefined}
        aria-describedby={describedBy(error !== undefined && errorId, hint !== undefined && hintId)}
      />
      <div className="choice__text">
        <label htmlFor={id}>
          {label} {required && <span className="field__required">(obligatorio)</span>}
        </label>
        {hint !== undefined && (
          <span id={hintId} className="field__hint">
            {hint}
          </span>
        )}
        <FieldError id={errorId} message={error} />
      </div>
    </div>
  );
}

/** A labelled input (text, tel, email, date, time, number). */
export function InputField({
  id,
  label,
  value,
  onChange,
  type = 'text',
  hint,
  error,
  required = false,
  disabled = false,
  inputMode,
  autoComplete = 'off',
  min,
  max,
  maxLength,
}: {
  id: string;
  label: ReactNode;
  value: string;
  onChange: (value: string) => void;
  type?: 'text' | 'tel' | 'email' | 'date' | 'time' | 'number';
  hint?: ReactNode;
  error?: string | undefined;
  required?: boolean;
  disabled?: boolean;
  inputMode?: 'text' | 'tel' | 'email' | 'numeric';
  autoComplete?: string;
  min?: string | number;
  max?: string | number;
  maxLength?: number;
}) {
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  return (
    <div className="field">
      <label htmlFor={id}>
        {label} {required && <span className="field__required">(obligatorio)</span>}
      </label>
      <input
        id={id}
        type={type}
        value={value}
        disabled={disabled}
        inputMode={inputMode}
        autoComplete={autoComplete}
        spellCheck={false}
        min={min}
        max={max}
        maxLength={maxLength}
        aria-required={required || undefined}
        aria-invalid={error !== undefined}
        aria-describedby={describedBy(error !== undefined && errorId, hint !== undefined && hintId)}
        onChange={(event) => onChange(event.target.value)}
      />
      {hint !== undefined && (
        <span id={hintId} className="field__hint">
          {hint}
        </span>
      )}
      <FieldError id={errorId} message={error} />
    </div>
  );
}

/** A labelled select; `options` may be disabled with the reason in their text. */
export function SelectField({
  id,
  label,
  value,
  onChange,
  options,
  emptyOption,
  hint,
  error,
  required = true,
}: {
  id: string;
  label: ReactNode;
  value: string;
  onChange: (value: string) => void;
  options: readonly { value: string; label: string; disabled?: boolean }[];
  /** The text of the first, empty option ("Elija …"). */
  emptyOption: string;
  hint?: ReactNode;
  error?: string | undefined;
  required?: boolean;
}) {
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  return (
    <div className="field">
      <label htmlFor={id}>
        {label} {required && <span className="field__required">(obligatorio)</span>}
      </label>
      <select
        id={id}
        value={value}
        aria-required={required || undefined}
        aria-invalid={error !== undefined}
        aria-describedby={describedBy(error !== undefined && errorId, hint !== undefined && hintId)}
        onChange={(event) => onChange(event.target.value)}
      >
        <option value="">{emptyOption}</option>
        {options.map((option) => (
          <option key={option.value} value={option.value} disabled={option.disabled}>
            {option.label}
          </option>
        ))}
      </select>
      {hint !== undefined && (
        <span id={hintId} className="field__hint">
          {hint}
        </span>
      )}
      <FieldError id={errorId} message={error} />
    </div>
  );
}

/**
 * The field a form asks to correct: its message goes under it and it takes the focus (after the
 * render, so the message is read with it).
 */
export function useFieldProblem() {
  const [problem, setProblem] = useState<FieldProblem | null>(null);
  useEffect(() => {
    if (problem !== null) focusProblem(problem);
  }, [problem]);
  return {
    errorFor: (field: string): string | undefined => (problem?.field === field ? problem.message : undefined),
    fail: (field: string, message: string): null => {
      setProblem({ field, message });
      return null;
    },
    clear: () => setProblem(null),
  };
}

/** What every action form receives from the case page. */
export interface ActionFormProps {
  detail: CaseDetail;
  onWritten: OnCaseWritten;
  onReload: () => void;
}
