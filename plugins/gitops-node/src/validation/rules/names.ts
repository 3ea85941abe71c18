import { dnsLabelProblem, dnsNameProblem } from '../names';
import { ObjectRule } from './types';

/**
 * Names are DNS-1123 subdomains of at most 63 characters, namespaces
 * DNS-1123 labels.
 */
export const namesRule: ObjectRule = (object, report) => {
  const { metadata, name } = object;
  const nameProblem = dnsNameProblem(metadata.name);
  if (nameProblem) {
    const shown = name === undefined ? '' : `"${String(metadata.name)}" `;
    report('dns-name', `metadata.name ${shown}${nameProblem}`);
  }
  if (metadata.namespace !== undefined) {
    const namespaceProblem = dnsLabelProblem(metadata.namespace);
    if (namespaceProblem) {
      report(
        'dns-name',
        `metadata.namespace "${String(
          metadata.namespace,
        )}" ${namespaceProblem}`,
      );
    }
  }
};
