import { Obj } from '../parse';
import { ManifestRule, ValidateManifestsOptions } from '../types';

/** Records one problem of the object or file a rule looks at. */
export type Report = (rule: ManifestRule, message: string) => void;

/** A cluster object (not a kustomization, not a catalog entity). */
export interface ObjectContext {
  path: string;
  apiVersion: string;
  kind: string;
  /** `metadata.name` when it is a string. */
  name?: string;
  /** `metadata`, or an empty mapping when it is missing. */
  metadata: Obj;
  object: Obj;
  options: ValidateManifestsOptions;
}

/** A rule on one cluster object. */
export type ObjectRule = (object: ObjectContext, report: Report) => void;

/** A kustomization document. */
export interface KustomizationContext {
  path: string;
  /** The folder of the kustomization, relative to the repository. */
  dir: string;
  fields: Obj;
  options: ValidateManifestsOptions;
  /** A list field's entries; reports (once per call) when it is not a list. */
  list(field: string): unknown[];
}

/** A rule on one kustomization. */
export type KustomizationRule = (
  kustomization: KustomizationContext,
  report: Report,
) => void;
