import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description: 'Promote payments-api to 1.4.2 in prod',
    example: yaml.stringify({
      steps: [
        {
          id: 'set-image',
          action: 'gitops:kustomize:set-image',
          name: 'Set the image tag',
          input: {
            path: 'gitops/services/team-payments/payments-api/overlays/prod',
            image: 'payments-api',
            newTag: '1.4.2',
          },
        },
      ],
    }),
  },
];
