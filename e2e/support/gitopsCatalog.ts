import crypto from 'node:crypto';

/**
 * What the GitOps catalog specs write to the GitOps repository and post to
 * the plain-Git push webhook (`POST /api/events/http/gitops`).
 */

/** deploy-service's catalog-info.yaml and its base and overlays. */
export function serviceFiles(
  team: string,
  name: string,
  description = `The ${name}`,
): Record<string, string> {
  const folder = `services/${team}/${name}`;
  return {
    [`${folder}/catalog-info.yaml`]: [
      'apiVersion: backstage.io/v1alpha1',
      'kind: Component',
      'metadata:',
      `  name: ${name}`,
      `  description: ${JSON.stringify(description)}`,
      'spec:',
      '  type: service',
      '  lifecycle: production',
      `  owner: group:default/${team}`,
      '',
    ].join('\n'),
    [`${folder}/base/kustomization.yaml`]: 'resources: []\n',
    [`${folder}/overlays/dev/kustomization.yaml`]: 'resources: [../../base]\n',
    [`${folder}/overlays/prod/kustomization.yaml`]: 'resources: [../../base]\n',
  };
}

/** `X-Hub-Signature-256` of a body: HMAC-SHA256 with the webhook secret. */
export function sign(body: string, secret: string): string {
  return `sha256=${crypto
    .createHmac('sha256', secret)
    .update(body)
    .digest('hex')}`;
}

/** A push event as Gitea posts it, for a commit of a branch. */
export function pushPayload(
  repoUrl: string,
  commit: string,
  ref = 'refs/heads/main',
): string {
  return JSON.stringify({
    ref,
    after: commit,
    repository: { clone_url: repoUrl },
  });
}
