/** A quiz score as a ring, coloured by the owner's hot and warm scores. */
export function ScoreRing({ score, label, hot, warm }: { score: number | null; label: string; hot: number; warm: number }) {
  const r = 42;
  const c = 2 * Math.PI * r;
  const value = score ?? 0;
  const tone = score === null ? 'none' : value >= hot ? 'hot' : value >= warm ? 'warm' : 'cold';
  return (
    <figure className={`score-ring score-${tone}`}>
      <svg viewBox="0 0 100 100" role="img" aria-label={score === null ? `${label}: no quiz yet` : `${label}: ${value} out of 100`}>
        <circle cx="50" cy="50" r={r} className="ring-track" />
        <circle
          cx="50"
          cy="50"
          r={r}
          className="ring-value"
          strokeDasharray={`${(value / 100) * c} ${c}`}
          transform="rotate(-90 50 50)"
        />
        <text x="50" y="56" textAnchor="middle" className="ring-text">
          {score === null ? '–' : value}
        </text>
      </svg>
      <figcaption>{score === null ? 'No quiz yet' : label}</figcaption>
    </figure>
  );
}
