/* eslint-disable no-script-url -- script URLs are what these tests feed in */
import { Entity } from '@backstage/catalog-model';
import { isSafeLinkUrl, linkScheme, withoutUnsafeLinks } from './safeLinks';

describe('isSafeLinkUrl', () => {
  it.each([
    'https://grafana.example.com/d/payments',
    'http://intranet.example.com',
    'mailto:team-payments@example.com',
    '/docs/default/component/payments',
    'HTTPS://EXAMPLE.COM',
  ])('offers %s', url => {
    expect(isSafeLinkUrl(url)).toBe(true);
  });

  it.each([
    'javascript:alert(document.cookie)',
    'JavaScript:alert(1)',
    ' \u0001javascript:alert(1)',
    'java\tscr\nipt:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    'vbscript:msgbox(1)',
    'file:///etc/passwd',
    'slack://channel?team=T1',
    'http://[::1',
    42,
    undefined,
  ])('refuses %p', url => {
    expect(isSafeLinkUrl(url)).toBe(false);
  });

  it('names the scheme a browser would follow', () => {
    expect(linkScheme(' java\tscript:alert(1)')).toBe('javascript:');
    expect(linkScheme('http://[::1')).toBeUndefined();
  });
});

describe('withoutUnsafeLinks', () => {
  const entity: Entity = {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: 'payments',
      links: [
        { url: 'https://grafana.example.com', title: 'Dashboard' },
        { url: 'javascript:alert(1)', title: 'Runbook' },
        { url: 'mailto:team-payments@example.com', title: 'Mail' },
      ],
    },
  };

  it('keeps the safe links in their order and reports the rest', () => {
    const { entity: safe, removed } = withoutUnsafeLinks(entity);
    expect(safe.metadata.links!.map(l => l.title)).toEqual([
      'Dashboard',
      'Mail',
    ]);
    expect(removed).toEqual([{ url: 'javascript:alert(1)', title: 'Runbook' }]);
    expect(entity.metadata.links).toHaveLength(3);
  });

  it('hands back an entity without unsafe links, or without links, as it is', () => {
    const plain: Entity = { ...entity, metadata: { name: 'plain' } };
    expect(withoutUnsafeLinks(plain).entity).toBe(plain);
    const { entity: safe } = withoutUnsafeLinks(entity);
    expect(withoutUnsafeLinks(safe).entity).toBe(safe);
  });
});
