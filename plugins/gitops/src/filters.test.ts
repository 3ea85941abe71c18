import { Entity } from '@backstage/catalog-model';
import { hasGitopsCard } from './filters';

function entity(kind: string, spec: object, folder?: string): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind,
    metadata: {
      name: 'x',
      annotations: folder ? { 'gitops.portal/folder': folder } : {},
    },
    spec,
  };
}

describe('hasGitopsCard', () => {
  it('takes Components and Resources with a GitOps folder, and teams', () => {
    expect(
      hasGitopsCard(entity('Component', { type: 'service' }, 'services/t/x')),
    ).toBe(true);
    expect(
      hasGitopsCard(
        entity('Resource', { type: 'database' }, 'databases/t/dev/x'),
      ),
    ).toBe(true);
    expect(hasGitopsCard(entity('Group', { type: 'team' }))).toBe(true);
  });

  it('leaves out the rest', () => {
    expect(hasGitopsCard(entity('Component', { type: 'service' }))).toBe(false);
    expect(hasGitopsCard(entity('Group', { type: 'department' }))).toBe(false);
    expect(
      hasGitopsCard(entity('API', { type: 'openapi' }, 'services/t/x')),
    ).toBe(false);
  });
});
