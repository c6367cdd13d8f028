/** An exclusion rule ID ("EXC-3") as a badge; the wording goes next to it. */
export function RuleBadge({ rule }: { rule: string }) {
  return (
    <span className="rule-badge" data-testid="rule-badge">
      {rule}
    </span>
  );
}
