import {
  ChangeRequestRecorder,
  GitopsService,
} from '@internal/plugin-gitops-node';

/**
 * What every gitops action is created with.
 *
 * @public
 */
export interface GitopsActionOptions {
  /** The GitOps repository of this backend. */
  gitops: GitopsService;
  /**
   * Records published change requests with the portal's GitOps backend;
   * without one (a check tool), the change request's own address is the
   * output.
   */
  recorder?: ChangeRequestRecorder;
}
