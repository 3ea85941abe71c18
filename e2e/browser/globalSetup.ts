import { spawn } from 'node:child_process';
import path from 'node:path';
import {
  keycloakProviderConfig,
  keycloakRedirectUri,
  startOidcIssuer,
  startArgoCdStandIn,
  startKubernetesStandIn,
} from '@internal/stand-ins';
import {
  repoRoot,
  scratchDir,
  writeConfig,
  answers,
  portInUse,
  waitFor,
  stopTree,
} from '@internal/test-harness';

/**
 * Brings the portal up with the README's start command on its embedded
 * defaults, plus one overlay that points the Kubernetes and Argo CD views at
 * the loopback stand-ins (no real cluster or Argo CD can run here).
 */
export default async function globalSetup() {
  for (const port of [3000, 7007]) {
    if (await portInUse(port)) {
      throw new Error(
        `Port ${port} is already in use; the browser tests start the portal on 3000 and 7007`,
      );
    }
  }
  const dir = scratchDir('browser');
  const kubernetes = await startKubernetesStandIn();
  const argocd = await startArgoCdStandIn({ token: 'stand-in-argocd-token' });
  // The walkthrough sets what Argo CD reports for the services it deploys.
  process.env.ARGOCD_STAND_IN_URL = argocd.url;
  // Stands in for the Keycloak realm that app-config.production.yaml signs in with.
  const keycloak = await startOidcIssuer({
    redirectUris: [keycloakRedirectUri('http://localhost:7007')],
  });
  const overlay = writeConfig(dir, 'app-config.stand-ins.json', {
    app: { signInProviders: ['guest', 'keycloak'] },
    auth: {
      // The OIDC strategy keeps its PKCE verifier in the session.
      session: { secret: 'browser-e2e-session-secret' },
      providers: { keycloak: keycloakProviderConfig(keycloak) },
    },
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
    // Change requests and Argo CD followed every two seconds, so the
    // walkthrough sees merges and deployments without waiting.
    gitops: { changeRequests: { pollInterval: { seconds: 2 } } },
    // The argocd backend plugin reads the stand-in with this token; the
    // guest user (platform-team) is a platform admin and sees every app.
    argocd: {
      statusCacheTtl: { seconds: 1 },
      appLocatorMethods: [
        {
          type: 'config',
          instances: [
            {
              name: 'stand-in',
              url: argocd.url,
              token: 'stand-in-argocd-token',
            },
          ],
        },
      ],
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
      // The dev server outlives a backend that failed to start.
      if (output.includes('Start-up refused')) {
        await stopTree(portal.pid!);
        throw new Error(`the backend did not start:\n${output.slice(-4000)}`);
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
      await stopTree(portal.pid);
    }
    const writes = [...kubernetes.requests, ...argocd.requests].filter(
      r => r.method !== 'GET',
    );
    await kubernetes.close();
    await argocd.close();
    await keycloak.close();
    if (writes.length > 0) {
      throw new Error(
        `The portal sent non-GET requests to the platform stand-ins: ${JSON.stringify(
          writes,
        )}`,
      );
    }
  };
}
