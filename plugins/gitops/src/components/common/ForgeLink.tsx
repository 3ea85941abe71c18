import { Link } from '@backstage/core-components';
import { configApiRef, useApi } from '@backstage/frontend-plugin-api';
import { isSafeLinkUrl } from '@internal/plugin-catalog-safe-links-common';
import { ReactNode } from 'react';

/** Whether the forge has pages to link to (`gitops.forgeWebPages`). */
export function useForgeWebPages(): boolean {
  const config = useApi(configApiRef);
  return config.getOptionalBoolean('gitops.forgeWebPages') ?? true;
}

/**
 * A link to a page of the Git forge, or `fallback` where the forge has no
 * pages or the address is not a web page (it comes from the backend, and
 * a `javascript:` link must never reach one).
 */
export function ForgeLink(props: {
  url?: string;
  children: ReactNode;
  fallback?: ReactNode;
}) {
  const forgeWebPages = useForgeWebPages();
  if (!forgeWebPages || !props.url || !isSafeLinkUrl(props.url)) {
    return <>{props.fallback ?? null}</>;
  }
  return <Link to={props.url}>{props.children}</Link>;
}
