export { gitopsApiRef } from './GitopsApi';
export type {
  ChangeRequestQuery,
  ChangeRequestScope,
  GitopsApi,
} from './GitopsApi';
export { GitopsClient } from './GitopsClient';
export { argoCdStatusApiRef } from './ArgoCdStatusApi';
export type { ArgoCdEntityStatus, ArgoCdStatusApi } from './ArgoCdStatusApi';
export { ArgoCdStatusClient } from './ArgoCdStatusClient';
