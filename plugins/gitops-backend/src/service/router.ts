import express from 'express';
import Router from 'express-promise-router';
import { ChangeRequestReads } from './reads';

/**
 * The change-request API, `/api/gitops`: reads for signed-in users, and
 * the record route the scaffolder calls.
 */
export function createRouter(options: {
  reads: ChangeRequestReads;
  recordRoute: express.RequestHandler;
}): express.Router {
  const { reads } = options;
  const router = Router();
  router.use(express.json({ limit: '1mb' }));
  router.get('/change-requests', async (req, res) => {
    res.json(await reads.list(req));
  });
  router.get('/change-requests/:id', async (req, res) => {
    res.json(await reads.get(req));
  });
  router.get('/change-requests/:id/files', async (req, res) => {
    res.json(await reads.files(req));
  });
  router.get('/entity-summary', async (req, res) => {
    res.json(await reads.entitySummary(req));
  });
  router.post('/change-requests', options.recordRoute);
  return router;
}
