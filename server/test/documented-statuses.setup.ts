// Vitest setup (vitest.config.ts): a test fails when an app it drove answered a status, or an
// error code, that the route's operation in the OpenAPI document does not list.
import { afterEach } from 'vitest';
import { takeUndocumented } from './documented-statuses.ts';

afterEach(() => {
  const found = takeUndocumented();
  if (found.length > 0) {
    throw new Error(
      `Undocumented answers (declare the code in the route's schema.errors, or its status in ` +
        `schema.response; see server/src/platform/http/openapi.ts):\n  ${[...new Set(found)].join('\n  ')}`,
    );
  }
});
