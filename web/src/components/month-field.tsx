import type { ChangeEvent } from 'react';

/**
 * A month 'YYYY-MM'. type="month" gives a month picker where the browser has one; elsewhere it is
 * a text box, hence the pattern and the hint.
 */
export function MonthField({
  id,
  label,
  value,
  onChange,
  name,
  hint = 'Formato AAAA-MM, por ejemplo 2026-03.',
  required = false,
}: {
  id: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
  name?: string;
  hint?: string;
  /** Marked "(obligatorio)" like the other required fields, and required for the browser. */
  required?: boolean;
}) {
  const hintId = `${id}-hint`;
  return (
    <div className="field">
      <label htmlFor={id}>
        {label} {required && <span className="field__required">(obligatorio)</span>}
      </label>
      <input
        id={id}
        name={name}
        type="month"
        pattern="\d{4}-\d{2}"
        placeholder="AAAA-MM"
        aria-describedby={hintId}
        required={required}
        value={value}
        onChange={(event: ChangeEvent<HTMLInputElement>) => onChange(event.target.value)}
      />
      <span id={hintId} className="field__hint">
        {hint}
      </span>
    </div>
  );
}
