import { LoggerService } from '@backstage/backend-plugin-api';
import { ArgoCdApplication } from './applicationShape';
import { ArgoCdInstanceConfig } from './config';
import { ArgoCdUnavailableError } from './errors';
import { ArgoCdRequestMetrics } from './requestMetrics';

/** What Argo CD's revision metadata endpoint answers. */
export interface RevisionMetadata {
  author?: string;
  date?: string;
  message?: string;
  tags?: string[];
}

/** How to list applications: by name, by label selector, or both. */
export interface ApplicationQuery {
  name?: string;
  selector?: string;
}

/**
 * Reads one Argo CD API server (REST API v1) with that instance's bearer
 * token. It only ever sends GET requests, follows no redirects (the token
 * goes to the configured address and nowhere else) and gives up after the
 * configured timeout.
 */
export class ArgoCdClient {
  readonly #instance: ArgoCdInstanceConfig;
  readonly #timeoutMs: number;
  readonly #logger: LoggerService;
  readonly #metrics?: ArgoCdRequestMetrics;

  constructor(
    instance: ArgoCdInstanceConfig,
    timeoutMs: number,
    logger: LoggerService,
    metrics?: ArgoCdRequestMetrics,
  ) {
    this.#instance = instance;
    this.#timeoutMs = timeoutMs;
    this.#logger = logger;
    this.#metrics = metrics;
  }

  get name(): string {
    return this.#instance.name;
  }

  get frontendUrl(): string {
    return this.#instance.frontendUrl;
  }

  /**
   * The application, or undefined where Argo CD has none the portal's token
   * may see (Argo CD answers 403 rather than 404 for those).
   */
  async getApplication(name: string): Promise<ArgoCdApplication | undefined> {
    return (await this.#get(`/applications/${encodeURIComponent(name)}`, {
      absentOk: true,
    })) as ArgoCdApplication | undefined;
  }

  async listApplications(
    query: ApplicationQuery,
  ): Promise<ArgoCdApplication[]> {
    const params = new URLSearchParams();
    if (query.name) {
      params.set('name', query.name);
    }
    if (query.selector) {
      params.set('selector', query.selector);
    }
    const body = (await this.#get(`/applications?${params}`)) as {
      items?: unknown;
    };
    // Argo CD answers `items: null` for an empty list.
    return Array.isArray(body?.items) ? body.items : [];
  }

  /** Commit metadata of a revision of the application's source, if Argo CD knows it. */
  async getRevisionMetadata(
    app: string,
    revision: string,
  ): Promise<RevisionMetadata | undefined> {
    return (await this.#get(
      `/applications/${encodeURIComponent(app)}/revisions/${encodeURIComponent(
        revision,
      )}/metadata`,
      { absentOk: true },
    )) as RevisionMetadata | undefined;
  }

  #get(path: string, options: { absentOk?: boolean } = {}): Promise<unknown> {
    const request = () => this.#request(path, options);
    return this.#metrics ? this.#metrics.observe(request) : request();
  }

  async #request(
    path: string,
    options: { absentOk?: boolean },
  ): Promise<unknown> {
    const { name, url, token } = this.#instance;
    let status: number;
    let text: string;
    try {
      const res = await fetch(`${url}/api/v1${path}`, {
        method: 'GET',
        headers: {
          authorization: `Bearer ${token}`,
          accept: 'application/json',
        },
        redirect: 'error',
        signal: AbortSignal.timeout(this.#timeoutMs),
      });
      status = res.status;
      text = await res.text();
    } catch (error) {
      throw this.#unavailable(error);
    }
    if (options.absentOk && (status === 404 || status === 403)) {
      return undefined;
    }
    if (status === 401) {
      throw this.#fail(`Argo CD instance "${name}" refused the portal's token`);
    }
    if (status < 200 || status >= 300) {
      throw this.#fail(`Argo CD instance "${name}" answered ${status}`, text);
    }
    try {
      return JSON.parse(text);
    } catch {
      throw this.#fail(`Argo CD instance "${name}" did not answer with JSON`);
    }
  }

  #unavailable(error: unknown): ArgoCdUnavailableError {
    const { name } = this.#instance;
    const timedOut = (error as Error)?.name === 'TimeoutError';
    const message = timedOut
      ? `Argo CD instance "${name}" did not answer within ${
          this.#timeoutMs / 1000
        } seconds`
      : `Argo CD instance "${name}" could not be reached`;
    this.#logger.warn(message, error as Error);
    return new ArgoCdUnavailableError(message, timedOut ? 504 : 502);
  }

  #fail(message: string, detail?: string): ArgoCdUnavailableError {
    this.#logger.warn(detail ? `${message}: ${detail.slice(0, 500)}` : message);
    return new ArgoCdUnavailableError(message);
  }
}
