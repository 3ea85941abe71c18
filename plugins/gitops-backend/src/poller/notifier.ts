import { NotificationService } from '@backstage/plugin-notifications-node';
import { changeRequestPagePath } from '@internal/plugin-gitops-common';
import { StoredChangeRequest } from '../store/ChangeRequestStore';

/** What happened to a change request that its requester hears about. */
export type ChangeRequestEvent = 'merged' | 'closed' | 'healthy' | 'degraded';

const MESSAGES: Record<
  ChangeRequestEvent,
  {
    title: (r: StoredChangeRequest) => string;
    severity: 'normal' | 'high';
    description: string;
  }
> = {
  merged: {
    title: r => `Merged: ${r.title}`,
    severity: 'normal',
    description: 'Your change request was merged; Argo CD will apply it.',
  },
  closed: {
    title: r => `Closed without merging: ${r.title}`,
    severity: 'normal',
    description: 'Your change request was closed without being merged.',
  },
  healthy: {
    title: r => `Deployed: ${r.title}`,
    severity: 'normal',
    description:
      'Argo CD reports the applications of your change Synced and Healthy.',
  },
  degraded: {
    title: r => `Degraded after your change: ${r.title}`,
    severity: 'high',
    description: 'Argo CD reports an application of your change Degraded.',
  },
};

/** The topic of the portal's change-request notifications. */
export const NOTIFICATION_TOPIC = 'gitops-change-request';

/** Tells the requester of a change request what happened to it. */
export class ChangeRequestNotifier {
  constructor(private readonly notifications: NotificationService) {}

  async notify(request: StoredChangeRequest, event: ChangeRequestEvent) {
    const message = MESSAGES[event];
    await this.notifications.send({
      recipients: { type: 'entity', entityRef: request.requester },
      payload: {
        title: message.title(request),
        description: message.description,
        link: changeRequestPagePath(request.id),
        severity: message.severity,
        topic: NOTIFICATION_TOPIC,
        scope: `${request.id}:${event}`,
      },
    });
  }
}
