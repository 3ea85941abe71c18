import { isKnownKind, schemaCheck } from '../models';
import { ObjectRule } from './types';

/**
 * Only kinds the validator knows may be written, and each must pass its
 * schema.
 */
export const schemaRule: ObjectRule = (object, report) => {
  const { apiVersion, kind } = object;
  if (!isKnownKind(apiVersion, kind)) {
    report(
      'unknown-kind',
      `unknown kind ${kind} of apiVersion ${apiVersion}: the portal may only write the kinds it can validate`,
    );
    return;
  }
  const errors = schemaCheck(apiVersion, kind)(object.object);
  if (errors) {
    report(
      'schema',
      `does not match the ${apiVersion} ${kind} schema: ${errors}`,
    );
  }
};
