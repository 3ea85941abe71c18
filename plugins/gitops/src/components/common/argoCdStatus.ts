import { ENVIRONMENTS } from '@internal/plugin-gitops-common';
import type { ApplicationStatus } from '@internal/plugin-argocd-common';

/** One line of the status: an environment, or an application without one. */
export interface EnvironmentRow {
  label: string;
  applications: ApplicationStatus[];
}

/**
 * The applications by environment, in promotion order (dev, test, prod,
 * each listed even without an application), then any application of no
 * known environment under its own name.
 */
export function environmentRows(
  applications: ApplicationStatus[],
): EnvironmentRow[] {
  const known: readonly string[] = ENVIRONMENTS;
  const rows: EnvironmentRow[] = ENVIRONMENTS.map(env => ({
    label: env,
    applications: applications.filter(a => a.environment === env),
  }));
  for (const app of applications) {
    if (!app.environment || !known.includes(app.environment)) {
      rows.push({ label: app.environment ?? app.name, applications: [app] });
    }
  }
  return rows;
}

/** How a status reads at a glance. */
export type Tone = 'ok' | 'warning' | 'error' | 'pending' | 'unknown';

const HEALTH: Record<string, Tone> = {
  Healthy: 'ok',
  Progressing: 'pending',
  Degraded: 'error',
  Suspended: 'warning',
  Missing: 'warning',
};

const SYNC: Record<string, Tone> = {
  Synced: 'ok',
  OutOfSync: 'warning',
};

export const healthTone = (status: string): Tone => HEALTH[status] ?? 'unknown';
export const syncTone = (status: string): Tone => SYNC[status] ?? 'unknown';
