import { AuditorService } from '@backstage/backend-plugin-api';
import { mockServices } from '@backstage/backend-test-utils';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { RoleBinding, loadPolicyFile } from './policyFile';
import {
  DEFAULT_RELOAD_INTERVAL_MS,
  PolicyFileReloader,
  readReloadInterval,
} from './policyReloader';

const VIEWERS = 'bindings:\n  - role: viewer\n    groups: [group:default/a]\n';
const ADMINS =
  'bindings:\n  - role: platform-admin\n    groups: [group:default/a]\n';
/** Line 4 names a role that does not exist. */
const UNKNOWN_ROLE = [
  'bindings:',
  '  - role: viewer',
  '    groups: [group:default/a]',
  '  - role: superuser',
  '    groups: [group:default/b]',
  '',
].join('\n');

const sha256 = (text: string) =>
  createHash('sha256').update(text).digest('hex');

/** What the reloader audits, in order. */
function recordingAuditor(events: Array<Record<string, unknown>>) {
  const auditor: AuditorService = {
    async createEvent(options) {
      return {
        success: async params => {
          events.push({ ...options.meta, ...params?.meta, ok: true });
        },
        fail: async params => {
          events.push({
            ...options.meta,
            ...params.meta,
            ok: false,
            error: params.error.message,
          });
        },
      };
    },
  };
  return auditor;
}

/** A clock that moves one second per reading. */
function steppingClock() {
  let t = Date.parse('2026-05-04T08:00:00.000Z');
  return () => new Date((t += 1000));
}

async function setUp(file: string) {
  const applied: RoleBinding[][] = [];
  const audited: Array<Record<string, unknown>> = [];
  const logger = mockServices.logger.mock();
  const initial = await loadPolicyFile(
    mockServices.rootConfig({
      data: { permission: { portalPolicy: { policyFile: file } } },
    }),
  );
  const reloader = new PolicyFileReloader({
    initial,
    intervalMs: 20,
    apply: bindings => applied.push(bindings),
    logger,
    auditor: recordingAuditor(audited),
    now: steppingClock(),
  });
  return { reloader, applied, audited, logger };
}

describe('PolicyFileReloader', () => {
  let dir: string;
  let file: string;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'policy-reload-'));
    file = path.join(dir, 'permission-policy.yaml');
    fs.writeFileSync(file, VIEWERS);
  });

  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('starts with the file loaded at start-up and no error', async () => {
    const { reloader, applied } = await setUp(file);
    await reloader.check();
    expect(applied).toEqual([]);
    expect(reloader.status()).toEqual({
      file,
      loadedAt: '2026-05-04T08:00:01.000Z',
      sha256: sha256(VIEWERS),
      bindings: 1,
      checkedAt: '2026-05-04T08:00:02.000Z',
      reloadIntervalMs: 20,
      lastError: null,
    });
  });

  it('applies a valid change, and records when and what', async () => {
    const { reloader, applied, audited, logger } = await setUp(file);
    fs.writeFileSync(file, ADMINS);
    await reloader.check();
    expect(applied).toEqual([
      [{ role: 'platform-admin', groups: ['group:default/a'] }],
    ]);
    expect(reloader.status()).toMatchObject({
      loadedAt: '2026-05-04T08:00:02.000Z',
      sha256: sha256(ADMINS),
      lastError: null,
    });
    expect(logger.info).toHaveBeenCalledWith(
      `Permission policy reloaded 1 role bindings from ${file} (sha256 ${sha256(
        ADMINS,
      )}, was ${sha256(VIEWERS)})`,
    );
    expect(audited).toEqual([
      {
        file,
        sha256: sha256(ADMINS),
        previousSha256: sha256(VIEWERS),
        bindings: 1,
        ok: true,
      },
    ]);
    // Unchanged since: nothing applied twice.
    await reloader.check();
    expect(applied).toHaveLength(1);
  });

  it('keeps a malformed change out, naming file and line, and reports it once', async () => {
    const { reloader, applied, audited, logger } = await setUp(file);
    fs.writeFileSync(file, UNKNOWN_ROLE);
    await reloader.check();
    await reloader.check();
    await reloader.check();

    expect(applied).toEqual([]);
    const message = `Permission policy file ${file}, line 4: unknown role "superuser", expected one of viewer, developer, template-author, platform-admin`;
    expect(reloader.status()).toEqual({
      file,
      loadedAt: '2026-05-04T08:00:01.000Z',
      sha256: sha256(VIEWERS),
      bindings: 1,
      checkedAt: '2026-05-04T08:00:04.000Z',
      reloadIntervalMs: 20,
      lastError: { at: '2026-05-04T08:00:02.000Z', file, line: 4, message },
    });
    expect(logger.error).toHaveBeenCalledTimes(1);
    expect(logger.error).toHaveBeenCalledWith(
      `${message}; keeping the bindings loaded at 2026-05-04T08:00:01.000Z (sha256 ${sha256(
        VIEWERS,
      )})`,
    );
    expect(audited).toEqual([
      {
        file,
        sha256: sha256(UNKNOWN_ROLE),
        line: 4,
        ok: false,
        error: message,
      },
    ]);

    // Fixed: applied, and the error is gone.
    fs.writeFileSync(file, ADMINS);
    await reloader.check();
    expect(applied).toHaveLength(1);
    expect(reloader.status()).toMatchObject({
      sha256: sha256(ADMINS),
      lastError: null,
    });
  });

  it('reports a second, different mistake after the first', async () => {
    const { reloader, logger } = await setUp(file);
    fs.writeFileSync(file, UNKNOWN_ROLE);
    await reloader.check();
    fs.writeFileSync(file, 'bindings:\n  - role: viewer\n    groups: []\n');
    await reloader.check();
    expect(logger.error).toHaveBeenCalledTimes(2);
    expect(reloader.status().lastError).toMatchObject({
      line: 3,
      message: expect.stringContaining('"groups" must be a non-empty list'),
    });
  });

  it('clears the error when the file is reverted to what is in force', async () => {
    const { reloader, applied, logger } = await setUp(file);
    fs.writeFileSync(file, UNKNOWN_ROLE);
    await reloader.check();
    fs.writeFileSync(file, VIEWERS);
    await reloader.check();
    expect(applied).toEqual([]);
    expect(reloader.status().lastError).toBeNull();
    expect(logger.info).toHaveBeenCalledWith(
      `Permission policy file ${file} is back to the bindings in force (sha256 ${sha256(
        VIEWERS,
      )})`,
    );
  });

  it('keeps the bindings when the file is removed, and applies it when it is back', async () => {
    const { reloader, applied, logger } = await setUp(file);
    fs.rmSync(file);
    await reloader.check();
    await reloader.check();
    expect(applied).toEqual([]);
    expect(reloader.status()).toMatchObject({
      sha256: sha256(VIEWERS),
      lastError: {
        file,
        line: null,
        message: expect.stringContaining(
          `Cannot read the permission policy file ${file} (set in permission.portalPolicy.policyFile); caused by Error: ENOENT`,
        ),
      },
    });
    expect(logger.error).toHaveBeenCalledTimes(1);

    fs.writeFileSync(file, ADMINS);
    await reloader.check();
    expect(applied).toHaveLength(1);
    expect(reloader.status().lastError).toBeNull();
  });

  it('follows a ConfigMap volume update: the ..data symbolic link swapped to a new folder', async () => {
    // How the kubelet lays out and updates a ConfigMap volume: the file is
    // a link into ..data, itself a link to a timestamped folder; an update
    // writes a new folder and renames a new link over ..data.
    const volume = path.join(dir, 'volume');
    const writeVersion = (name: string, content: string) => {
      fs.mkdirSync(path.join(volume, name), { recursive: true });
      fs.writeFileSync(
        path.join(volume, name, 'permission-policy.yaml'),
        content,
      );
    };
    writeVersion('..2026_05_04_08_00_00.1', VIEWERS);
    fs.symlinkSync('..2026_05_04_08_00_00.1', path.join(volume, '..data'));
    const mounted = path.join(volume, 'permission-policy.yaml');
    fs.symlinkSync('..data/permission-policy.yaml', mounted);

    const { reloader, applied } = await setUp(mounted);
    writeVersion('..2026_05_04_08_05_00.2', ADMINS);
    fs.symlinkSync('..2026_05_04_08_05_00.2', path.join(volume, '..data_tmp'));
    fs.renameSync(path.join(volume, '..data_tmp'), path.join(volume, '..data'));
    fs.rmSync(path.join(volume, '..2026_05_04_08_00_00.1'), {
      recursive: true,
    });

    await reloader.check();
    expect(applied).toEqual([
      [{ role: 'platform-admin', groups: ['group:default/a'] }],
    ]);
    expect(reloader.status()).toMatchObject({
      file: mounted,
      sha256: sha256(ADMINS),
      lastError: null,
    });
  });

  it('checks on its own every interval until stopped', async () => {
    const { reloader, applied } = await setUp(file);
    reloader.start();
    try {
      fs.writeFileSync(file, ADMINS);
      for (let i = 0; i < 100 && applied.length === 0; i++) {
        await new Promise(r => setTimeout(r, 20));
      }
      expect(applied).toHaveLength(1);
    } finally {
      reloader.stop();
    }
    fs.writeFileSync(file, VIEWERS);
    await new Promise(r => setTimeout(r, 200));
    expect(applied).toHaveLength(1);
  });
});

describe('readReloadInterval', () => {
  const read = (reloadInterval?: unknown) =>
    readReloadInterval(
      mockServices.rootConfig({
        data: {
          permission: {
            portalPolicy: {
              policyFile: 'x',
              ...(reloadInterval !== undefined && { reloadInterval }),
            },
          },
        },
      }),
    );

  it('defaults to five seconds', () => {
    expect(read()).toBe(DEFAULT_RELOAD_INTERVAL_MS);
    expect(DEFAULT_RELOAD_INTERVAL_MS).toBe(5000);
  });

  it.each([
    ['2s', 2000],
    [{ seconds: 30 }, 30000],
    ['PT1M', 60000],
  ])('reads %j', (value, ms) => {
    expect(read(value)).toBe(ms);
  });

  it.each(['500ms', { seconds: 0 }])('refuses %j, under a second', value => {
    expect(() => read(value)).toThrow(
      'permission.portalPolicy.reloadInterval must be at least 1 second',
    );
  });

  it('refuses what is not a duration', () => {
    expect(() => read('often')).toThrow(
      "Invalid duration 'often' in config at 'permission.portalPolicy.reloadInterval'",
    );
  });
});
