import {
  componentEntityV1alpha1Validator,
  DefaultNamespaceEntityPolicy,
  Entity,
  EntityPolicies,
  FieldFormatEntityPolicy,
  KindValidator,
  NoForeignRootFieldsEntityPolicy,
  parseEntityRef,
  resourceEntityV1alpha1Validator,
  SchemaValidEntityPolicy,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { CustomErrorBase } from '@backstage/errors';
import { JsonObject } from '@backstage/types';
import { GitopsFolder } from '@internal/plugin-gitops-common';
import { GitopsConfig } from '@internal/plugin-gitops-node';
import { parseAllDocuments } from 'yaml';
import { derivedAnnotations, ownAnnotations } from './annotations';
import {
  describeRule,
  folderNameProblem,
  folderRule,
  FolderRule,
} from './folderRules';

/** A catalog-info.yaml of the layout at one commit. */
export interface CatalogFile {
  /** Its path in the repository. */
  path: string;
  folder: GitopsFolder;
  /** The environments whose folders exist beside it, in promotion order. */
  environments: string[];
  content: string;
}

/** The entities of a file, or why there are none. */
export type MappingResult =
  | { ok: true; entities: Entity[] }
  | { ok: false; error: string };

/** Larger files are refused unread: a catalog-info.yaml is a few lines. */
export const MAX_CATALOG_FILE_LENGTH = 256 * 1024;

const POLICY = EntityPolicies.allOf([
  new DefaultNamespaceEntityPolicy(),
  new NoForeignRootFieldsEntityPolicy(),
  new FieldFormatEntityPolicy(),
  new SchemaValidEntityPolicy(),
]);

const KIND_VALIDATORS: Record<FolderRule['kind'], KindValidator> = {
  Component: componentEntityV1alpha1Validator,
  Resource: resourceEntityV1alpha1Validator,
};

/** Why a file cannot be used, shown to people as is. */
export class CatalogFileError extends CustomErrorBase {
  name = 'CatalogFileError' as const;
}

function isMapping(value: unknown): value is Record<string, unknown> {
  return !!value && typeof value === 'object' && !Array.isArray(value);
}

/** The owner a file may name, as a full ref, or undefined for any other. */
function ownerRef(owner: unknown): string | undefined {
  if (typeof owner !== 'string') return undefined;
  try {
    return stringifyEntityRef(
      parseEntityRef(owner, {
        defaultKind: 'group',
        defaultNamespace: 'default',
      }),
    ).toLocaleLowerCase('en-US');
  } catch {
    return undefined;
  }
}

/** The kind, namespace and name of a document, checked against the rule. */
function checkIdentity(
  doc: Record<string, unknown>,
  metadata: Record<string, unknown>,
  folder: GitopsFolder,
  rule: FolderRule,
): string {
  const kind = String(doc.kind ?? '');
  if (/^(user|group)$/i.test(kind)) {
    throw new CatalogFileError(
      `kind ${kind} is refused: users, groups and group membership come from Keycloak, never from the GitOps repository`,
    );
  }
  if (kind !== rule.kind) {
    throw new CatalogFileError(
      `${describeRule(folder, rule)}, not kind "${kind}"`,
    );
  }
  if (metadata.namespace !== undefined && metadata.namespace !== 'default') {
    throw new CatalogFileError(
      `metadata.namespace must be "default", not "${metadata.namespace}"`,
    );
  }
  const name = String(metadata.name ?? '');
  if (!rule.names.has(name)) {
    throw new CatalogFileError(`${describeRule(folder, rule)}, not "${name}"`);
  }
  return name;
}

/** `spec` with the owner and type the path gives. */
function checkSpec(
  spec: JsonObject,
  folder: GitopsFolder,
  rule: FolderRule,
): JsonObject {
  const owner = `group:default/${folder.team}`;
  if (spec.owner !== undefined && ownerRef(spec.owner) !== owner) {
    throw new CatalogFileError(
      `spec.owner "${String(spec.owner)}" is refused: entities under ${
        folder.folder
      }/ belong to ${owner}`,
    );
  }
  if (rule.type && spec.type !== undefined && spec.type !== rule.type) {
    throw new CatalogFileError(
      `spec.type "${String(spec.type)}" is refused: ${
        rule.kind
      } entities under ${folder.folder}/ are of type "${rule.type}"`,
    );
  }
  return { ...spec, owner, ...(rule.type ? { type: rule.type } : {}) };
}

/** One YAML document as the entity the catalog gets. */
async function mapDocument(
  doc: unknown,
  file: CatalogFile,
  rule: FolderRule,
  gitops: GitopsConfig,
): Promise<Entity> {
  if (!isMapping(doc)) {
    throw new CatalogFileError(
      'each YAML document must be one entity (a mapping)',
    );
  }
  const metadata = isMapping(doc.metadata) ? doc.metadata : {};
  const name = checkIdentity(doc, metadata, file.folder, rule);
  const spec = checkSpec(
    isMapping(doc.spec) ? (doc.spec as JsonObject) : {},
    file.folder,
    rule,
  );
  const { uid, etag, generation, annotations, ...kept } = metadata;
  const entity: Entity = {
    apiVersion: String(doc.apiVersion ?? ''),
    kind: rule.kind,
    metadata: {
      ...kept,
      name,
      namespace: 'default',
      annotations: {
        ...ownAnnotations(annotations),
        ...derivedAnnotations(
          {
            folder: file.folder,
            file: file.path,
            environments: rule.names.get(name)!,
          },
          gitops,
        ),
      },
    },
    spec,
  };
  try {
    const checked = (await POLICY.enforce(entity)) ?? entity;
    if (!(await KIND_VALIDATORS[rule.kind].check(checked))) {
      throw new Error(`apiVersion "${entity.apiVersion}" is not supported`);
    }
    return checked;
  } catch (error) {
    throw new CatalogFileError(`${name}: ${(error as Error).message}`);
  }
}

/** The YAML documents of a file, or the first syntax error. */
function parseDocuments(content: string): unknown[] {
  if (content.length > MAX_CATALOG_FILE_LENGTH) {
    throw new CatalogFileError(
      `the file is larger than ${MAX_CATALOG_FILE_LENGTH} characters`,
    );
  }
  const values: unknown[] = [];
  for (const doc of parseAllDocuments(content)) {
    const [error] = doc.errors;
    if (error) {
      // The first line has the place; the rest quotes the file.
      const [where] = error.message.split('\n');
      throw new CatalogFileError(`YAML error: ${where.replace(/:$/, '')}`);
    }
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: 100 });
    } catch (aliasError) {
      // An alias bomb, say: the parser stops before it costs anything.
      throw new CatalogFileError(
        `YAML error: ${(aliasError as Error).message}`,
      );
    }
    if (value !== null && value !== undefined) values.push(value);
  }
  return values;
}

/**
 * The entities of a catalog-info.yaml, or why it cannot be used: a YAML
 * error, an entity the catalog would refuse, or anything the path does not
 * allow (kind, name, namespace, owner, type).
 */
export async function mapCatalogFile(
  file: CatalogFile,
  gitops: GitopsConfig,
): Promise<MappingResult> {
  try {
    const problem = folderNameProblem(file.folder);
    if (problem)
      throw new CatalogFileError(`not a folder of the layout: ${problem}`);
    const rule = folderRule(file.folder, file.environments);
    const docs = parseDocuments(file.content);
    if (!docs.length)
      throw new CatalogFileError('the file describes no entity');
    const entities: Entity[] = [];
    for (const doc of docs) {
      const entity = await mapDocument(doc, file, rule, gitops);
      if (entities.some(e => e.metadata.name === entity.metadata.name)) {
        throw new CatalogFileError(
          `${entity.metadata.name} is described twice`,
        );
      }
      entities.push(entity);
    }
    return { ok: true, entities };
  } catch (error) {
    if (error instanceof CatalogFileError) {
      return { ok: false, error: error.message };
    }
    throw error;
  }
}
