import type { ReactNode } from 'react';

/**
 * A wide table in a box that scrolls sideways on a phone. The box takes the keyboard focus, so its
 * hidden columns are reachable without a pointer (axe's scrollable-region-focusable), and it is a
 * group named by the heading of its section (a group, not a region: the section is already the
 * landmark of that name, and two landmarks of one name fail axe's landmark-unique).
 */
export function TableScroll({ labelledBy, children }: { labelledBy: string; children: ReactNode }) {
  return (
    <div className="table-scroll" tabIndex={0} role="group" aria-labelledby={labelledBy}>
      {children}
    </div>
  );
}
