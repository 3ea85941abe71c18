import { isClusterScoped } from '../models';
import { isObject } from '../parse';
import { ObjectRule } from './types';

/**
 * The labels every namespaced object must carry: its application's name
 * and the team that owns it (the portal's own label; Argo CD, quotas and
 * the portal's Kubernetes views select on it).
 *
 * @public
 */
export const REQUIRED_LABELS = [
  'app.kubernetes.io/name',
  'portal.platform/team',
];

/** Namespaced objects carry the {@link REQUIRED_LABELS}. */
export const labelsRule: ObjectRule = (object, report) => {
  if (isClusterScoped(object.apiVersion, object.kind)) return;
  const labels = isObject(object.metadata.labels) ? object.metadata.labels : {};
  for (const label of REQUIRED_LABELS) {
    if (typeof labels[label] !== 'string' || labels[label] === '') {
      report('required-label', `metadata.labels must set ${label}`);
    }
  }
};
