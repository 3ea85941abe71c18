import {
  AuditorService,
  LoggerService,
  RootConfigService,
} from '@backstage/backend-plugin-api';
import { readDurationFromConfig } from '@backstage/config';
import { InputError, stringifyError, toError } from '@backstage/errors';
import { durationToMilliseconds } from '@backstage/types';
import {
  PolicyFile,
  PolicyFileError,
  RoleBinding,
  parsePolicyFile,
  readPolicySource,
} from './policyFile';

export const RELOAD_INTERVAL_KEY = 'permission.portalPolicy.reloadInterval';
/** Polling a small file's hash costs nothing; a few seconds feel immediate. */
export const DEFAULT_RELOAD_INTERVAL_MS = 5_000;
const MIN_RELOAD_INTERVAL_MS = 1_000;

/**
 * How often the policy file is read again, from
 * `permission.portalPolicy.reloadInterval` (a duration such as `5s` or
 * `{ seconds: 5 }`), at least one second.
 */
export function readReloadInterval(config: RootConfigService): number {
  if (!config.has(RELOAD_INTERVAL_KEY)) {
    return DEFAULT_RELOAD_INTERVAL_MS;
  }
  const ms = durationToMilliseconds(
    readDurationFromConfig(config, { key: RELOAD_INTERVAL_KEY }),
  );
  if (!(ms >= MIN_RELOAD_INTERVAL_MS)) {
    throw new InputError(
      `${RELOAD_INTERVAL_KEY} must be at least 1 second, got ${ms} ms`,
    );
  }
  return ms;
}

/** Why the policy file, as it is now, is not in force. */
export interface PolicyFileProblem {
  /** When it was first seen, ISO 8601. */
  at: string;
  file: string;
  /** The line at fault, or null when the file could not be read at all. */
  line: number | null;
  message: string;
}

/** What the status route answers. */
export interface PolicyStatus {
  /** Absolute path of the policy file. */
  file: string;
  /** When the bindings in force were read from the file, ISO 8601. */
  loadedAt: string;
  /** SHA-256 of the file content the bindings in force come from. */
  sha256: string;
  /** How many bindings are in force. */
  bindings: number;
  /** When the file was last read, ISO 8601. */
  checkedAt: string;
  reloadIntervalMs: number;
  /** Null when the file as it is now is what is in force. */
  lastError: PolicyFileProblem | null;
}

/** Options of {@link PolicyFileReloader}. */
export interface PolicyFileReloaderOptions {
  /** The file as loaded at start-up. */
  initial: PolicyFile;
  intervalMs: number;
  /** Puts new bindings in force. */
  apply(bindings: RoleBinding[]): void;
  logger: LoggerService;
  auditor: AuditorService;
  /** The clock, for tests. */
  now?: () => Date;
}

/**
 * Reads the policy file again every few seconds and puts a changed, valid
 * file in force. It compares the content's hash rather than watching the
 * file: a ConfigMap volume changes by swapping a symbolic link in the
 * folder, which `fs.watch` on the file misses on some systems. A file that
 * is malformed, unreadable or gone leaves the bindings in force as they
 * are; the problem is logged and audited once and kept for the status
 * route until the file is good again.
 */
export class PolicyFileReloader {
  readonly #options: PolicyFileReloaderOptions;
  readonly #now: () => Date;
  #loaded: { sha256: string; at: Date; bindings: number };
  #checkedAt: Date;
  /** `key` tells a new problem from one already reported. */
  #problem: (PolicyFileProblem & { key: string }) | undefined;
  #timer: NodeJS.Timeout | undefined;
  #stopped = false;

  constructor(options: PolicyFileReloaderOptions) {
    this.#options = options;
    this.#now = options.now ?? (() => new Date());
    const at = this.#now();
    const { sha256, bindings } = options.initial;
    this.#loaded = { sha256, at, bindings: bindings.length };
    this.#checkedAt = at;
  }

  get file(): string {
    return this.#options.initial.path;
  }

  /** Reads the file once and applies it if it changed and is valid. */
  async check(): Promise<void> {
    this.#checkedAt = this.#now();
    let source;
    try {
      source = await readPolicySource(this.file);
    } catch (error) {
      await this.#reject(error, stringifyError(error));
      return;
    }
    if (source.sha256 === this.#loaded.sha256) {
      if (this.#problem) {
        this.#options.logger.info(
          `Permission policy file ${this.file} is back to the bindings in force (sha256 ${source.sha256})`,
        );
        this.#problem = undefined;
      }
      return;
    }
    if (this.#problem?.key === source.sha256) {
      return;
    }
    let bindings: RoleBinding[];
    try {
      bindings = parsePolicyFile(source.text, this.file);
    } catch (error) {
      await this.#reject(error, source.sha256, source.sha256);
      return;
    }
    await this.#apply(bindings, source.sha256);
  }

  /** Checks every `intervalMs` until {@link PolicyFileReloader.stop}. */
  start(): void {
    if (this.#stopped) {
      return;
    }
    this.#timer = setTimeout(() => {
      this.check()
        .catch(error =>
          this.#options.logger.error(
            `Checking the permission policy file ${this.file} failed`,
            toError(error),
          ),
        )
        .finally(() => this.start());
    }, this.#options.intervalMs);
    // Never what keeps the process alive.
    this.#timer.unref();
  }

  stop(): void {
    this.#stopped = true;
    clearTimeout(this.#timer);
  }

  status(): PolicyStatus {
    const problem = this.#problem;
    return {
      file: this.file,
      loadedAt: this.#loaded.at.toISOString(),
      sha256: this.#loaded.sha256,
      bindings: this.#loaded.bindings,
      checkedAt: this.#checkedAt.toISOString(),
      reloadIntervalMs: this.#options.intervalMs,
      lastError: problem
        ? {
            at: problem.at,
            file: problem.file,
            line: problem.line,
            message: problem.message,
          }
        : null,
    };
  }

  async #apply(bindings: RoleBinding[], sha256: string): Promise<void> {
    const event = await this.#auditEvent(sha256);
    const previous = this.#loaded.sha256;
    this.#options.apply(bindings);
    this.#loaded = { sha256, at: this.#checkedAt, bindings: bindings.length };
    this.#problem = undefined;
    this.#options.logger.info(
      `Permission policy reloaded ${bindings.length} role bindings from ${this.file} (sha256 ${sha256}, was ${previous})`,
    );
    await event.success({
      meta: { previousSha256: previous, bindings: bindings.length },
    });
  }

  /** `sha256` is that of the rejected content, when it could be read. */
  async #reject(error: unknown, key: string, sha256?: string): Promise<void> {
    if (this.#problem?.key === key) {
      return;
    }
    const err = toError(error);
    const line = err instanceof PolicyFileError ? err.line : undefined;
    this.#problem = {
      key,
      at: this.#checkedAt.toISOString(),
      file: this.file,
      line: line ?? null,
      message: err.message,
    };
    this.#options.logger.error(
      `${
        err.message
      }; keeping the bindings loaded at ${this.#loaded.at.toISOString()} (sha256 ${
        this.#loaded.sha256
      })`,
    );
    const event = await this.#auditEvent(sha256 ?? null);
    await event.fail({ error: err, meta: { line: line ?? null } });
  }

  /** Who holds which role is changing, or failed to: worth an audit record. */
  #auditEvent(sha256: string | null) {
    return this.#options.auditor.createEvent({
      eventId: 'policy-file-reload',
      severityLevel: 'high',
      meta: { file: this.file, sha256 },
    });
  }
}
