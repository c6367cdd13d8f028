import type { ReactNode } from 'react';
import { ACTOR_ROLE_LABELS } from '../case-labels';
import { formatDate } from '../format';

/** One event of a history: what, when and by whom, the change of state, and what it carries. */
export function TimelineEvent({
  testId,
  action,
  label,
  activity,
  onDate,
  actorName,
  actorRole,
  change,
  details,
  children,
}: {
  testId: string;
  action: string;
  label: string;
  activity: string;
  onDate: string;
  actorName: string | null;
  actorRole: string;
  /** The change of state, or null when the event kept it. */
  change: ReactNode;
  details: string | null;
  /** What goes last (the explanation, the rule). */
  children?: ReactNode;
}) {
  const role = ACTOR_ROLE_LABELS[actorRole] ?? actorRole;
  return (
    <li className="timeline__item" data-testid={testId} data-action={action}>
      <p className="timeline__title">
        <span className="timeline__label">{label}</span> <span className="timeline__activity">({activity})</span>
      </p>
      <p className="timeline__meta">
        <time dateTime={onDate}>{formatDate(onDate)}</time> · {actorName === null ? role : `${actorName}, ${role}`}
      </p>
      {change !== null && <p className="timeline__meta">{change}</p>}
      {details !== null && <p className="timeline__data">{details}</p>}
      {children}
    </li>
  );
}

/** The status change an event made, as the history reads it: «B» for the first, "De «A» a «B»" after, nothing when it kept it. */
export function statusChange<S extends string>(from: S | null, to: S, labels: Readonly<Record<S, string>>): string | null {
  if (from === to) return null;
  return from === null ? `«${labels[to]}»` : `De «${labels[from]}» a «${labels[to]}»`;
}
