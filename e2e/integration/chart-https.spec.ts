import { expect, test } from '@playwright/test';
import { execFile, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { parseDocument } from 'yaml';
import { ConfigReader } from '@backstage/config';
import { loadConfig } from '@backstage/config-loader';
import { HostDiscovery } from '@backstage/backend-defaults/discovery';
import {
  createHttpServer,
  readHttpServerOptions,
} from '@backstage/backend-defaults/rootHttpRouter';
import { freePort } from '@internal/test-harness';
import {
  chartDir,
  chartScratchDir,
  deployment,
  envByName,
  FULLNAME,
  NAMESPACE,
  type Obj,
  one,
  ofKind,
  portalContainer,
  render,
  templateRaw,
  validateObject,
  valuesFile,
} from '../support/chart';

/**
 * Route termination reencrypt and passthrough: the backend serves HTTPS
 * itself. Besides the rendered objects, the pod is played out on loopback:
 * its volumes are laid out in a scratch folder as the kubelet would mount
 * them, the init container's command writes the CA bundle, Backstage's own
 * config loader, HTTP server and discovery read the chart's app-config, and
 * a Node process trusting that bundle (NODE_EXTRA_CA_CERTS) calls the
 * backend by the address discovery gives the plugins.
 */

const SERVICE_HOST = `${FULLNAME}.${NAMESPACE}.svc`;
const SA_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

const passthroughValues = {
  route: {
    host: 'portal.apps.example.com',
    tls: { termination: 'passthrough' },
  },
  backstage: {
    https: { certificateSource: 'secret', existingSecret: 'portal-tls' },
  },
};

/** Runs openssl in `dir`; arguments as one space-separated string. */
function openssl(dir: string, args: string) {
  execFileSync('openssl', args.split(' '), {
    cwd: dir,
    stdio: 'pipe',
    timeout: 30_000,
  });
}

/** A CA, and a certificate it signs for the Service's cluster DNS name. */
function certificates(dir: string) {
  fs.mkdirSync(dir, { recursive: true });
  const key = '-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes';
  for (const ca of ['service-ca', 'cluster-ca']) {
    openssl(
      dir,
      `req -x509 ${key} -keyout ${ca}.key -out ${ca}.crt -subj /CN=${ca} -days 1`,
    );
  }
  openssl(
    dir,
    `req ${key} -keyout tls.key -out tls.csr -subj /CN=${SERVICE_HOST}`,
  );
  fs.writeFileSync(
    path.join(dir, 'san.ext'),
    `subjectAltName=DNS:${SERVICE_HOST}\n`,
  );
  openssl(
    dir,
    'x509 -req -in tls.csr -CA service-ca.crt -CAkey service-ca.key -CAcreateserial -out tls.crt -days 1 -extfile san.ext',
  );
  const read = (f: string) => fs.readFileSync(path.join(dir, f), 'utf8');
  return {
    ca: read('service-ca.crt'),
    clusterCa: read('cluster-ca.crt'),
    cert: read('tls.crt'),
    key: read('tls.key'),
  };
}

type Pems = ReturnType<typeof certificates>;

/**
 * Lays out the pod's volumes under `root` as the kubelet would, from the
 * Secret and ConfigMaps the cluster would hold, and returns where a path of
 * a container lands on this machine.
 */
function mountPod(pod: Obj, root: string, pems: Pems) {
  const sources: Record<string, Record<string, string>> = {
    'secret/portal-tls': {
      'tls.crt': pems.cert,
      'tls.key': pems.key,
      'ca.crt': pems.ca,
    },
    [`secret/${FULLNAME}-tls`]: { 'tls.crt': pems.cert, 'tls.key': pems.key },
    'configMap/openshift-service-ca.crt': { 'service-ca.crt': pems.ca },
    [`configMap/${FULLNAME}-app-config`]: {},
  };
  for (const volume of pod.volumes) {
    const dir = path.join(root, volume.name);
    fs.mkdirSync(dir, { recursive: true });
    const source = volume.secret
      ? sources[`secret/${volume.secret.secretName}`]
      : volume.configMap && sources[`configMap/${volume.configMap.name}`];
    for (const item of volume.secret?.items ?? volume.configMap?.items ?? []) {
      expect(
        source?.[item.key],
        `${volume.name}: key ${item.key}`,
      ).toBeDefined();
      fs.writeFileSync(path.join(dir, item.path), source![item.key]);
    }
  }
  // The ServiceAccount's token volume, with the cluster's CA.
  fs.mkdirSync(path.join(root, 'sa'), { recursive: true });
  fs.writeFileSync(path.join(root, 'sa', 'ca.crt'), pems.clusterCa);
  return (container: Obj, podPath: string): string => {
    if (podPath.startsWith(`${SA_DIR}/`)) {
      return path.join(root, 'sa', podPath.slice(SA_DIR.length));
    }
    const mount = container.volumeMounts.find((m: Obj) =>
      podPath.startsWith(`${m.mountPath}/`),
    );
    expect(mount, `${container.name} mounts ${podPath}`).toBeTruthy();
    return path.join(root, mount.name, podPath.slice(mount.mountPath.length));
  };
}

/**
 * An HTTPS GET from a fresh Node process, as a plugin's call would be: its
 * status, or its TLS error code. Asynchronous, since the server answering it
 * runs in this process.
 */
async function getFrom(
  port: number,
  servername: string,
  extraCa: string,
): Promise<string> {
  const script = `require('node:https').get({ host: '127.0.0.1', port: ${port},
    servername: ${JSON.stringify(servername)}, path: '/ping' },
    r => console.log(r.statusCode)).on('error', e => console.log(e.code))`;
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['-e', script],
    {
      env: { PATH: process.env.PATH, NODE_EXTRA_CA_CERTS: extraCa },
      timeout: 30_000,
    },
  );
  return stdout.trim();
}

const logger = {
  info() {},
  warn() {},
  error() {},
  debug() {},
  child() {
    return logger;
  },
} as unknown as Parameters<typeof createHttpServer>[2]['logger'];

test('a reencrypt Route to the service-serving certificate (ci/extensions-values.yaml)', async () => {
  const objects = await render([
    path.join(chartDir, 'ci', 'extensions-values.yaml'),
  ]);
  const service = one(objects, 'Service');
  expect(service.metadata.annotations).toEqual({
    'service.beta.openshift.io/serving-cert-secret-name': `${FULLNAME}-tls`,
  });
  const route = one(objects, 'Route');
  await validateObject(route);
  // The router trusts OpenShift's service CA itself.
  expect(route.spec.tls).toEqual({
    termination: 'reencrypt',
    insecureEdgeTerminationPolicy: 'Redirect',
  });
  const c = portalContainer(objects);
  for (const probe of ['startupProbe', 'readinessProbe', 'livenessProbe']) {
    expect(c[probe].httpGet.scheme, probe).toBe('HTTPS');
  }
  const pod = deployment(objects).spec.template.spec;
  expect(pod.volumes).toContainEqual({
    name: 'backend-ca',
    configMap: {
      name: 'openshift-service-ca.crt',
      items: [{ key: 'service-ca.crt', path: 'ca.crt' }],
    },
  });
});

test("a passthrough Route: Backstage serves the Secret's certificate, and its plugins reach it by a name it holds", async () => {
  const objects = await render([valuesFile(passthroughValues)]);
  for (const o of objects) await validateObject(o);
  const route = one(objects, 'Route');
  expect(route.spec.tls.termination).toBe('passthrough');
  expect(one(objects, 'Service').metadata.annotations).toBeUndefined();

  const pod = deployment(objects).spec.template.spec;
  const backstage = portalContainer(objects);
  const [init] = pod.initContainers;
  const root = path.join(chartScratchDir(), 'passthrough-pod');
  const pems = certificates(path.join(root, 'pki'));
  const onHost = mountPod(pod, path.join(root, 'volumes'), pems);

  // The init container's command, on this machine's paths.
  const [shell, flag, script, name, ...files] = init.command;
  const bundlePod = envByName(backstage).get('NODE_EXTRA_CA_CERTS')!.value;
  execFileSync(shell, [
    flag,
    script.replace(bundlePod, onHost(init, bundlePod)),
    name,
    ...files.map((f: string) => onHost(init, f)),
  ]);
  const bundle = onHost(backstage, bundlePod);
  expect(fs.readFileSync(bundle, 'utf8')).toBe(pems.clusterCa + pems.ca);

  // Backstage reads the chart's app-config as the pod would.
  const configMap = ofKind(objects, 'ConfigMap').find(
    m => m.metadata.name === `${FULLNAME}-app-config`,
  )!;
  const chartConfig = parseDocument(
    configMap.data['app-config.chart.yaml'],
  ).toJS();
  for (const part of ['cert', 'key']) {
    const file = chartConfig.backend.https.certificate[part];
    file.$file = onHost(backstage, file.$file);
  }
  const configFile = path.join(root, 'app-config.chart.yaml');
  fs.writeFileSync(configFile, JSON.stringify(chartConfig));
  const { appConfigs } = await loadConfig({
    configRoot: root,
    configTargets: [{ path: configFile }],
  });
  const port = await freePort();
  const config = ConfigReader.fromConfigs([
    {
      context: 'pod',
      data: {
        backend: {
          baseUrl: 'https://portal.apps.example.com',
          listen: { host: '127.0.0.1', port },
        },
      },
    },
    ...appConfigs,
  ]);
  const server = await createHttpServer(
    (_req, res) => res.end('pong'),
    readHttpServerOptions(config.getConfig('backend')),
    { logger },
  );
  await server.start();
  try {
    const internal = new URL(
      await HostDiscovery.fromConfig(config).getBaseUrl('catalog'),
    );
    expect(internal.href).toBe(`https://${SERVICE_HOST}:7007/api/catalog`);
    expect(await getFrom(port, internal.hostname, bundle)).toBe('200');
    // What the chart's CA bundle and discovery address are for: without
    // them, a plugin's call to another fails.
    expect(
      await getFrom(
        port,
        internal.hostname,
        onHost(backstage, `${SA_DIR}/ca.crt`),
      ),
    ).toBe('UNABLE_TO_VERIFY_LEAF_SIGNATURE');
    expect(await getFrom(port, 'localhost', bundle)).toBe(
      'ERR_TLS_CERT_ALTNAME_INVALID',
    );
  } finally {
    await server.stop();
  }
});

test('the private key reaches the backend container only', async () => {
  const objects = await render([valuesFile(passthroughValues)]);
  const pods = [
    deployment(objects).spec.template.spec,
    one(objects, 'Pod').spec,
  ];
  for (const pod of pods) {
    const keyVolumes = pod.volumes
      .filter((v: Obj) => v.secret?.secretName === 'portal-tls')
      .filter((v: Obj) =>
        (v.secret.items ?? [{ key: 'tls.key' }]).some(
          (i: Obj) => i.key === 'tls.key',
        ),
      )
      .map((v: Obj) => v.name);
    const containers = [...(pod.initContainers ?? []), ...pod.containers];
    const mounting = containers
      .filter(c =>
        (c.volumeMounts ?? []).some((m: Obj) => keyVolumes.includes(m.name)),
      )
      .map(c => c.name);
    expect(mounting).toEqual(pod === pods[0] ? ['backstage'] : []);
  }
  // The helm test pod checks the certificate against the Secret's CA.
  const test = one(objects, 'Pod').spec.containers[0];
  expect(test.command).toEqual(expect.arrayContaining(['--cacert']));
  expect(test.command.at(-1)).toBe(
    `https://${SERVICE_HOST}:7007/.backstage/health/v1/readiness`,
  );
});

/** TLS values that cannot work; the chart refuses to render them. */
const REFUSED: { name: string; values: object; named: RegExp }[] = [
  {
    name: 'a path on a passthrough Route',
    values: { route: { path: '/portal', tls: { termination: 'passthrough' } } },
    named: /route\.path/,
  },
  {
    name: 'a router certificate on a passthrough Route',
    values: {
      route: {
        tls: { termination: 'passthrough', externalCertificateSecret: 'x' },
      },
    },
    named: /externalCertificateSecret/,
  },
  {
    name: 'plain HTTP allowed next to passthrough',
    values: {
      route: {
        tls: {
          termination: 'passthrough',
          insecureEdgeTerminationPolicy: 'Allow',
        },
      },
    },
    named: /insecureEdgeTerminationPolicy/,
  },
  {
    name: 'a certificate Secret without a name',
    values: {
      route: { tls: { termination: 'passthrough' } },
      backstage: { https: { certificateSource: 'secret' } },
    },
    named: /backstage\.https\.existingSecret/,
  },
  {
    name: "reencrypt to a Secret's certificate without its CA",
    values: {
      route: { tls: { termination: 'reencrypt' } },
      backstage: {
        https: { certificateSource: 'secret', existingSecret: 'portal-tls' },
      },
    },
    named: /route\.tls\.destinationCACertificate/,
  },
  {
    name: 'a destination CA next to the service CA',
    values: {
      route: {
        tls: {
          termination: 'reencrypt',
          destinationCACertificate: '-----BEGIN CERTIFICATE-----\nx',
        },
      },
    },
    named: /route\.tls\.destinationCACertificate/,
  },
  {
    name: 'NODE_EXTRA_CA_CERTS from a Secret next to the CA bundle',
    values: {
      route: { tls: { termination: 'reencrypt' } },
      backstage: {
        secretEnv: { NODE_EXTRA_CA_CERTS: { existingSecret: 's', key: 'k' } },
      },
    },
    named: /NODE_EXTRA_CA_CERTS/,
  },
  {
    name: 'a backend certificate behind an edge Route',
    values: { backstage: { https: { existingSecret: 'portal-tls' } } },
    named: /termination reencrypt or passthrough only/,
  },
  {
    name: 'an unknown termination',
    values: { route: { tls: { termination: 'reencrypted' } } },
    named: /termination/,
  },
];

for (const bad of REFUSED) {
  test(`refuses ${bad.name}`, async () => {
    const rendered = await templateRaw([valuesFile(bad.values)]);
    expect(rendered.code).not.toBe(0);
    expect(rendered.stderr).toMatch(bad.named);
  });
}
