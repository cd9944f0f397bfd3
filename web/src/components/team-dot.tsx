/** The club colour as a small dot next to its name (decorative). */
export function TeamDot({ color }: { color?: string }) {
  return <span className="team-dot" style={{ background: color ?? '#888' }} aria-hidden="true" />;
}
