import {
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import express from 'express';
import Router from 'express-promise-router';
import { requirePolicyAdmin } from './adminGate';
import { PolicyStatus } from './policyReloader';

/** Options of {@link createStatusRouter}. */
export interface StatusRouterOptions {
  /** The reloader's current status. */
  status(): PolicyStatus;
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
}

/**
 * `GET /portal-policy/status` tells platform admins which policy file is in
 * force on the backend instance that answers: its path, when its bindings
 * were loaded, their hash, and why a newer file was not applied (with the
 * line at fault). Others get 403.
 */
export function createStatusRouter(
  options: StatusRouterOptions,
): express.Router {
  const router = Router();
  router.get('/portal-policy/status', async (req, res) => {
    await requirePolicyAdmin(req, options, 'read the policy status');
    res.json(options.status());
  });
  return router;
}
