import type { ReactNode } from 'react';

/**
 * A wide table in a box that scrolls sideways on a phone. The box takes the keyboard focus, so its
 * hidden columns are reachable without a pointer (axe's scrollable-region-focusable), and it is a
 * region named by the heading of the section it belongs to.
 */
export function TableScroll({ labelledBy, children }: { labelledBy: string; children: ReactNode }) {
  return (
    <div className="table-scroll" tabIndex={0} role="region" aria-labelledby={labelledBy}>
      {children}
    </div>
  );
}
