import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      'Publish what the template wrote as a change request of the team',
    example: yaml.stringify({
      steps: [
        {
          id: 'publish',
          action: 'gitops:change:publish',
          name: 'Open the change request',
          input: {
            sourcePath: 'gitops',
            team: 'group:default/team-payments',
            branchName: 'portal/deploy-service/team-payments/payments-api',
            title: 'Deploy service payments-api for team-payments',
            description: 'Requested in the developer portal.',
          },
        },
      ],
    }),
  },
];
