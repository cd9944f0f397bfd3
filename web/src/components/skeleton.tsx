export function SkeletonLines({ lines = 3 }: { lines?: number }) {
  return (
    <div className="skeleton-block" aria-hidden="true">
      {Array.from({ length: lines }, (_, i) => (
        <div key={i} className="skeleton line" style={{ width: `${90 - ((i * 17) % 40)}%` }} />
      ))}
    </div>
  );
}

export function CardSkeleton({ count = 3 }: { count?: number }) {
  return (
    <div className="card-grid" aria-hidden="true">
      {Array.from({ length: count }, (_, i) => (
        <div key={i} className="card skeleton-card">
          <div className="skeleton line" style={{ width: '60%' }} />
          <div className="skeleton line" style={{ width: '85%' }} />
          <div className="skeleton line" style={{ width: '40%' }} />
        </div>
      ))}
    </div>
  );
}

/** Shown while a page's code or data loads. */
export function PageSkeleton() {
  return (
    <div className="page" role="status" aria-live="polite">
      <span className="visually-hidden">Loading…</span>
      <div className="skeleton title" aria-hidden="true" />
      <SkeletonLines lines={4} />
      <CardSkeleton />
    </div>
  );
}
