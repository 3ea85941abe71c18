import { createBackend } from '@backstage/backend-defaults';
import { HostDiscovery } from '@backstage/backend-defaults/discovery';
import { rootHttpRouterServiceFactory } from '@backstage/backend-defaults/rootHttpRouter';
import {
  coreServices,
  createBackendModule,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { ConfigReader } from '@backstage/config';
import { JsonObject } from '@backstage/types';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import scaffolderEntityModel from '@backstage/plugin-catalog-backend-module-scaffolder-entity-model';
import scaffolderPlugin from '@backstage/plugin-scaffolder-backend';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { gitopsServiceRef } from '@internal/plugin-gitops-node';
import { createGitopsActions } from '@internal/plugin-scaffolder-backend-module-gitops';
import crypto from 'node:crypto';
import fs from 'node:fs';
import { Server } from 'node:http';
import { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';

/** A running backend of the check tool, on a loopback port. */
export interface CheckBackend {
  /** `http://127.0.0.1:<port>` */
  baseUrl: string;
  /** The static external-access token the tool calls its backend with. */
  token: string;
  stop(): Promise<void>;
}

export interface CheckBackendOptions {
  /** App-config of the backend (the GitOps repository settings). */
  config: JsonObject;
  /** `template.yaml` files the catalog reads, as `file` locations. */
  templateFiles: string[];
  /** Log level of the backend; default `warn`. */
  logLevel?: string;
}

/**
 * The GitOps actions without a change-request recorder: the tool runs no
 * GitOps backend plugin, so a published change's own address (the forge's
 * compare page) is the task's output.
 */
const gitopsActionsWithoutRecorder = createBackendModule({
  pluginId: 'scaffolder',
  moduleId: 'gitops-check',
  register(reg) {
    reg.registerInit({
      deps: {
        scaffolder: scaffolderActionsExtensionPoint,
        gitops: gitopsServiceRef,
      },
      async init({ scaffolder, gitops }) {
        scaffolder.addActions(...createGitopsActions({ gitops }));
      },
    });
  },
});

/**
 * The root HTTP router listens on a port the system picks (no race with
 * other processes for a "free" port); discovery reads that port once the
 * router has started, which is before any plugin is initialised.
 */
function loopbackListener() {
  let server: Server | undefined;
  const router = rootHttpRouterServiceFactory({
    configure(context) {
      server = context.server;
      context.applyDefaults();
    },
  });
  const port = () => {
    const address = server?.address() as AddressInfo | null | undefined;
    if (!address) throw new Error('the check backend is not listening');
    return address.port;
  };
  const baseUrl = () => `http://127.0.0.1:${port()}`;
  const discovery = createServiceFactory({
    service: coreServices.discovery,
    deps: { rootHttpRouter: coreServices.rootHttpRouter },
    // Internal calls go to backend.listen, links to backend.baseUrl.
    factory: () =>
      HostDiscovery.fromConfig(
        new ConfigReader({
          backend: {
            baseUrl: baseUrl(),
            listen: { host: '127.0.0.1', port: port() },
          },
        }),
      ),
  });
  return { router, discovery, baseUrl };
}

/** What the tool's backend runs on, whatever the caller's config says. */
function backendConfig(
  options: CheckBackendOptions,
  token: string,
  mirrorDirectory: string,
): ConfigReader {
  const own: JsonObject = {
    backend: {
      listen: { host: '127.0.0.1', port: 0 },
      database: { client: 'better-sqlite3', connection: ':memory:' },
      auth: {
        externalAccess: [
          { type: 'static', options: { token, subject: 'gitops-check' } },
        ],
      },
      logger: { level: options.logLevel ?? 'warn' },
    },
    // The portal's policy is tested with the portal; this backend only
    // ever answers its own calls on loopback.
    permission: { enabled: false },
    catalog: {
      rules: [{ allow: ['Template'] }],
      locations: options.templateFiles.map(file => ({
        type: 'file',
        target: path.resolve(file),
      })),
    },
    gitops: { mirrorDirectory },
  };
  return ConfigReader.fromConfigs([
    { context: 'gitops-check caller', data: options.config },
    { context: 'gitops-check', data: own },
  ]);
}

/**
 * Starts the real scaffolder and catalog with the portal's GitOps actions
 * on a real backend (`createBackend` of `@backstage/backend-defaults`):
 * in-memory SQLite, permissions off, a static token for the tool's own
 * calls, a loopback port, and a GitOps mirror in a temporary folder of its
 * own.
 */
export async function startCheckBackend(
  options: CheckBackendOptions,
): Promise<CheckBackend> {
  const token = crypto.randomBytes(24).toString('base64url');
  const mirrorDirectory = fs.mkdtempSync(
    path.join(os.tmpdir(), 'gitops-check-mirror-'),
  );
  const listener = loopbackListener();
  const config = backendConfig(options, token, mirrorDirectory);
  const backend = createBackend();
  backend.add(
    createServiceFactory({
      service: coreServices.rootConfig,
      deps: {},
      factory: () => config,
    }),
  );
  backend.add(listener.router);
  backend.add(listener.discovery);
  backend.add(catalogPlugin);
  backend.add(scaffolderEntityModel);
  backend.add(scaffolderPlugin);
  backend.add(gitopsActionsWithoutRecorder);
  const stop = async () => {
    await backend.stop();
    fs.rmSync(mirrorDirectory, { recursive: true, force: true });
  };
  try {
    await backend.start();
  } catch (error) {
    await stop().catch(() => {});
    throw error;
  }
  return { baseUrl: listener.baseUrl(), token, stop };
}
