import {
  Agent,
  Dispatcher,
  buildConnector,
  getGlobalDispatcher,
  setGlobalDispatcher,
} from 'undici';
import { ReadingPolicy } from './readingPolicy';
import { currentReadingCall, perPolicy } from './readingScope';

/**
 * A connection pool whose every connection goes to an address the policy
 * allowed for that host and port, resolved once and connected to as is.
 */
const guardedAgent = perPolicy((policy: ReadingPolicy) => {
  const connect = buildConnector({});
  return new Agent({
    connect(options, callback) {
      const port = options.port || (options.protocol === 'https:' ? 443 : 80);
      const call = currentReadingCall();
      policy.resolve(options.hostname, port).then(
        address => connect({ ...options, hostname: address }, callback),
        (error: Error) => {
          call?.refusals.push(error);
          callback(error, null);
        },
      );
    },
  });
});

/**
 * The global dispatcher of `fetch` (which the Gitea, GitLab and fetch
 * readers use): requests made while reading URLs go through the guarded
 * pool of the call's policy, everything else through the dispatcher that
 * was global before. Separate pools mean a connection opened for other
 * work (the backend calling itself on 127.0.0.1, say) is never reused for
 * reading.
 */
class ReadingDispatcher extends Dispatcher {
  constructor(private readonly outside: Dispatcher) {
    super();
  }

  dispatch(
    options: Dispatcher.DispatchOptions,
    handler: Dispatcher.DispatchHandler,
  ): boolean {
    const call = currentReadingCall();
    const target = call ? guardedAgent(call.policy) : this.outside;
    return target.dispatch(options, handler);
  }

  close(): Promise<void> {
    return this.outside.close();
  }

  destroy(): Promise<void> {
    return this.outside.destroy(null);
  }
}

/** Makes `fetch` route URL reading through guarded pools (idempotent). */
export function guardFetch(): void {
  const current = getGlobalDispatcher();
  if (!(current instanceof ReadingDispatcher)) {
    setGlobalDispatcher(new ReadingDispatcher(current));
  }
}
