import {
  Agent,
  Dispatcher,
  buildConnector,
  getGlobalDispatcher,
  setGlobalDispatcher,
} from 'undici';
import { guardedLookup, refuseAddress } from './guardedLookup';
import { ReadingPolicy } from './readingPolicy';
import { currentReadingCall, perPolicy } from './readingScope';

/**
 * A connection pool whose every connection goes to addresses the policy
 * allowed for that host and port (one connector per port, each with its
 * guarded lookup, so TLS sessions are still reused).
 */
const guardedAgent = perPolicy((policy: ReadingPolicy) => {
  const connectors = new Map<string, buildConnector.connector>();
  return new Agent({
    connect(options, callback) {
      const port =
        options.port || (options.protocol === 'https:' ? '443' : '80');
      const refusal = refuseAddress(policy, options.hostname, port);
      if (refusal) {
        callback(refusal, null);
        return;
      }
      if (!connectors.has(port)) {
        connectors.set(
          port,
          buildConnector({ lookup: guardedLookup(policy, port) }),
        );
      }
      connectors.get(port)!(options, callback);
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
