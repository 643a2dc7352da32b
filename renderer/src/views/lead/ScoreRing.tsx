/** A quiz score as a ring: red-hot from 80, warm from 50. */
export function ScoreRing({ score, label }: { score: number | null; label: string }) {
  const r = 42;
  const c = 2 * Math.PI * r;
  const value = score ?? 0;
  const tone = score === null ? 'none' : value >= 80 ? 'hot' : value >= 50 ? 'warm' : 'cold';
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
