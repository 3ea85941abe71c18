import {
  LoggerService,
  UrlReaderService,
  UrlReaderServiceReadTreeOptions,
  UrlReaderServiceReadUrlOptions,
  UrlReaderServiceSearchOptions,
} from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import { guardNodeHttp } from './nodeHttpGuard';
import { ReadingPolicy } from './readingPolicy';
import { ReadingCall, runAsReading } from './readingScope';
import { guardFetch } from './undiciGuard';

/**
 * Runs every call of the wrapped URL reader as URL reading, so its requests
 * go through the guarded pools, and reports a refused connection as what
 * it is: the readers themselves only see a failed fetch. The guards are
 * installed before each call, so one that other code replaced (with a new
 * global dispatcher, say) is put back.
 */
export class GuardedUrlReader implements UrlReaderService {
  constructor(
    private readonly reader: UrlReaderService,
    private readonly policy: ReadingPolicy,
    private readonly logger: LoggerService,
  ) {}

  readUrl(url: string, options?: UrlReaderServiceReadUrlOptions) {
    return this.guard(url, () => this.reader.readUrl(url, options));
  }

  readTree(url: string, options?: UrlReaderServiceReadTreeOptions) {
    return this.guard(url, () => this.reader.readTree(url, options));
  }

  search(url: string, options?: UrlReaderServiceSearchOptions) {
    return this.guard(url, () => this.reader.search(url, options));
  }

  private async guard<T>(url: string, read: () => Promise<T>): Promise<T> {
    guardFetch();
    guardNodeHttp();
    const call: ReadingCall = { policy: this.policy, refusals: [] };
    try {
      return await runAsReading(call, read);
    } catch (error) {
      const [refusal] = call.refusals;
      if (!refusal) {
        throw error;
      }
      this.logger.warn(`Reading ${url} was refused: ${refusal.message}`);
      throw new NotAllowedError(
        `Reading ${url} was refused: ${refusal.message}`,
        error,
      );
    }
  }
}
