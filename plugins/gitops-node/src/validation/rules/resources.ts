import { isObject } from '../parse';
import {
  containersOf,
  podSpecOf,
  RESOURCE_CONTAINER_FIELDS,
} from '../workloads';
import { ObjectRule } from './types';

const SECTIONS = ['requests', 'limits'];
const RESOURCES = ['cpu', 'memory'];

/** The `requests.cpu`-style settings a container leaves unset. */
function missingResources(container: unknown): string[] {
  const resources = isObject(container) ? container.resources : undefined;
  return SECTIONS.flatMap(section =>
    RESOURCES.filter(resource => {
      const value =
        isObject(resources) && isObject(resources[section])
          ? resources[section][resource]
          : undefined;
      return value === undefined || value === null || value === '';
    }).map(resource => `${section}.${resource}`),
  );
}

/** Every container and init container sets CPU and memory requests and limits. */
export const resourcesRule: ObjectRule = (object, report) => {
  const podSpec = podSpecOf(object.kind, object.object);
  for (const container of containersOf(podSpec, RESOURCE_CONTAINER_FIELDS)) {
    const missing = missingResources(container);
    if (missing.length > 0) {
      const name = isObject(container) ? container.name : undefined;
      report(
        'resources',
        `container "${String(name)}" must set resources ${missing.join(', ')}`,
      );
    }
  }
};
