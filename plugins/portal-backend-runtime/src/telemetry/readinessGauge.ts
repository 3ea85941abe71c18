import type { Meter } from '@opentelemetry/api';

/**
 * `portal.readiness`: 1 while the readiness endpoint would answer 200, 0
 * otherwise (starting, shutting down, database unreachable), asked at
 * scrape time the way the kubelet asks.
 */
export function observeReadiness(
  meter: Meter,
  readiness: () => Promise<{ status: number }>,
): void {
  meter
    .createObservableGauge('portal.readiness', {
      description: 'Whether the backend is ready (1) or not (0)',
    })
    .addCallback(async result => {
      const { status } = await readiness();
      result.observe(status === 200 ? 1 : 0);
    });
}
