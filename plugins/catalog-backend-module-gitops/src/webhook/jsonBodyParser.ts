import { InputError } from '@backstage/errors';
import { HttpBodyParser } from '@backstage/plugin-events-node';

/**
 * The events backend's `application/json` parser, except that a body that
 * is not JSON is a 400 (the stock parser's JSON error surfaces as a 500).
 * It parses before any validator runs, so this answers for every webhook
 * topic alike and tells an unsigned caller nothing.
 */
export const jsonBodyParser: HttpBodyParser = async (request, mediaType) => {
  const body: unknown = request.body;
  if (!Buffer.isBuffer(body)) {
    throw new InputError('The webhook request has no body');
  }
  const encoding = mediaType.parameters.charset ?? 'utf-8';
  if (!Buffer.isEncoding(encoding)) {
    throw new InputError(`Unsupported charset "${encoding}"`);
  }
  try {
    return {
      bodyParsed: JSON.parse(body.toString(encoding)),
      bodyBuffer: body,
      encoding,
    };
  } catch {
    throw new InputError('The webhook request body is not valid JSON');
  }
};
