import { isClusterScoped } from '../models';
import { ObjectRule } from './types';

/** Cluster-scoped kinds are for team onboarding only. */
export const clusterScopedRule: ObjectRule = (object, report) => {
  if (
    isClusterScoped(object.apiVersion, object.kind) &&
    !object.options.allowClusterScoped
  ) {
    report(
      'cluster-scoped',
      `${object.kind} is cluster-scoped; only team onboarding may write cluster-scoped objects`,
    );
  }
};
