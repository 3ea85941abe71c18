import { Meter, metrics } from '@opentelemetry/api';

/**
 * The meter of the portal's root-level instruments (database pools,
 * readiness), which belong to no plugin and so have no metrics service of
 * their own. Asked for when they are created, after the SDK has started.
 */
export function runtimeMeter(): Meter {
  return metrics.getMeter('portal-backend-runtime');
}
