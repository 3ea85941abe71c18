import { spawn } from 'node:child_process';
import path from 'node:path';
import { repoRoot, scratchDir, writeConfig } from '../support/paths';
import { answers, waitFor } from '../support/ports';
import {
  startArgoCdStandIn,
  startKubernetesStandIn,
} from '../support/standIns';

/**
 * Brings the portal up with the README's start command on its embedded
 * defaults, plus one overlay that points the Kubernetes and Argo CD views at
 * the loopback stand-ins (no real cluster or Argo CD can run here).
 */
export default async function globalSetup() {
  const dir = scratchDir('browser');
  const kubernetes = await startKubernetesStandIn();
  const argocd = await startArgoCdStandIn();
  const overlay = writeConfig(dir, 'app-config.stand-ins.json', {
    kubernetes: {
      clusterLocatorMethods: [
        {
          type: 'config',
          clusters: [
            {
              name: 'stand-in-cluster',
              url: kubernetes.url,
              authProvider: 'serviceAccount',
              serviceAccountToken: 'stand-in-token',
              skipMetricsLookup: true,
            },
          ],
        },
      ],
    },
    proxy: {
      endpoints: { '/argocd/api': { target: `${argocd.url}/api/v1` } },
    },
  });

  const portal = spawn(
    path.join(repoRoot, 'scripts/start'),
    ['--config', path.join(repoRoot, 'app-config.yaml'), '--config', overlay],
    { cwd: repoRoot, detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  portal.stdout!.on('data', chunk => (output += chunk));
  portal.stderr!.on('data', chunk => (output += chunk));
  let exitCode: number | null | undefined;
  portal.once('exit', code => (exitCode = code));

  await waitFor(
    'the portal on :3000 and :7007',
    async () => {
      if (exitCode !== undefined) {
        throw new Error(`start command exited with ${exitCode}:\n${output}`);
      }
      return (
        (await answers(
          'http://localhost:7007/.backstage/health/v1/readiness',
        )) && (await answers('http://localhost:3000/'))
      );
    },
    { attempts: 600, intervalMs: 1000 },
  );

  return async () => {
    // The start command runs the backend and the dev server as children.
    if (portal.pid && exitCode === undefined) {
      process.kill(-portal.pid, 'SIGTERM');
      await waitFor('the portal to stop', async () => exitCode !== undefined, {
        attempts: 60,
        intervalMs: 500,
      }).catch(() => process.kill(-portal.pid!, 'SIGKILL'));
    }
    const writes = [...kubernetes.requests, ...argocd.requests].filter(
      r => r.method !== 'GET',
    );
    await kubernetes.close();
    await argocd.close();
    if (writes.length > 0) {
      throw new Error(
        `The portal sent non-GET requests to the platform stand-ins: ${JSON.stringify(
          writes,
        )}`,
      );
    }
  };
}
