import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      'Check out the folders a new service needs, refusing if the service exists',
    example: yaml.stringify({
      steps: [
        {
          id: 'fetch',
          action: 'gitops:repo:fetch',
          name: 'Fetch the GitOps repository',
          input: {
            targetPath: 'gitops',
            team: 'group:default/team-payments',
            mustExist: ['teams/team-payments'],
            mustNotExist: ['services/team-payments/ledger'],
          },
        },
      ],
    }),
  },
  {
    description:
      'Check out one overlay of an existing service, and a folder the template writes',
    example: yaml.stringify({
      steps: [
        {
          id: 'fetch',
          action: 'gitops:repo:fetch',
          name: 'Fetch the GitOps repository',
          input: {
            targetPath: 'gitops',
            mustExist: [
              'services/team-payments/existing/overlays/prod/kustomization.yaml',
            ],
            paths: ['services/team-payments/existing/overlays/prod'],
          },
        },
      ],
    }),
  },
];
