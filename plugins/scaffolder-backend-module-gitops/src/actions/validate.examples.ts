import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description: 'Validate what the template wrote into its worktree',
    example: yaml.stringify({
      steps: [
        {
          id: 'validate',
          action: 'gitops:manifests:validate',
          name: 'Validate the manifests',
          input: { path: 'gitops' },
        },
      ],
    }),
  },
  {
    description: 'Team onboarding: cluster-scoped objects are allowed',
    example: yaml.stringify({
      steps: [
        {
          id: 'validate',
          action: 'gitops:manifests:validate',
          name: 'Validate the manifests',
          input: { path: 'gitops', allowClusterScoped: true },
        },
      ],
    }),
  },
];
