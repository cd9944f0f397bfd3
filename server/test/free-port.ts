// A free TCP port on 127.0.0.1 (asked of the kernel, then released) for a process about to listen:
// the fault tests' servers, the end-to-end journeys' server, the bench's nginx and instances.
import { createServer } from 'node:net';

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.unref();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}
