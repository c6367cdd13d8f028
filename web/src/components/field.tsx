import type { ReactNode } from 'react';

/** One dt/dd pair of a `<dl className="fields">`; `id` becomes data-testid="field-<id>". */
export function Field({ id, label, children, wide = false }: { id: string; label: string; children: ReactNode; wide?: boolean }) {
  return (
    <div className={`fields__item${wide ? ' fields__item--wide' : ''}`} data-testid={`field-${id}`}>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}
