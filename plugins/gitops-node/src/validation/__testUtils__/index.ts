// Test support of the validation rules; not exported from the package.
import { parse } from 'yaml';
import { ObjectRule } from '../rules/types';
import { ManifestRule, ValidateManifestsOptions } from '../types';

export const OPTIONS: ValidateManifestsOptions = {
  allowClusterScoped: false,
  platformNamespaces: ['platform-monitoring'],
  argocdNamespace: 'openshift-gitops',
  allowedImageRegistries: [
    'quay.io/acme',
    'image-registry.openshift-image-registry.svc:5000',
  ],
};

/** Runs one object rule on a YAML object; returns what it reports. */
export function runObjectRule(
  rule: ObjectRule,
  yaml: string,
  options: Partial<ValidateManifestsOptions> = {},
  path = 'teams/payments/dev/object.yaml',
): Array<{ rule: ManifestRule; message: string }> {
  const object = parse(yaml);
  const metadata = object.metadata ?? {};
  const found: Array<{ rule: ManifestRule; message: string }> = [];
  rule(
    {
      path,
      apiVersion: object.apiVersion,
      kind: object.kind,
      name: typeof metadata.name === 'string' ? metadata.name : undefined,
      metadata,
      object,
      options: { ...OPTIONS, ...options },
    },
    (r, message) => found.push({ rule: r, message }),
  );
  return found;
}

/** A Deployment of `image`, valid in every other respect. */
export function deployment(image: string, name = 'api'): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  labels: { app.kubernetes.io/name: ${name}, portal.platform/team: payments }
spec:
  selector: { matchLabels: { app.kubernetes.io/name: ${name} } }
  template:
    metadata: { labels: { app.kubernetes.io/name: ${name} } }
    spec:
      containers:
        - name: ${name}
          image: ${image}
          resources:
            requests: { cpu: 100m, memory: 128Mi }
            limits: { cpu: 500m, memory: 256Mi }
`;
}
