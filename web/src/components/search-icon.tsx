// The header's search link icon (its own module: the header is in every page's first bundle).
export function SearchIcon() {
  return (
    <svg viewBox="0 0 24 24" width="18" height="18" aria-hidden="true" focusable="false">
      <circle cx="10" cy="10" r="6" fill="none" stroke="currentColor" strokeWidth="2.4" />
      <path d="m15 15 6 6" stroke="currentColor" strokeWidth="2.4" />
    </svg>
  );
}
