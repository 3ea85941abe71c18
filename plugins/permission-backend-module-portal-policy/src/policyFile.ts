import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { RootConfigService } from '@backstage/backend-plugin-api';
import { makeValidator } from '@backstage/catalog-model';
import { CustomErrorBase } from '@backstage/errors';
import {
  LineCounter,
  Node,
  YAMLMap,
  isMap,
  isScalar,
  isSeq,
  parseDocument,
} from 'yaml';
import { ROLE_NAMES, RoleName } from './roles';

/**
 * One entry of the policy file: members of any of the groups get the role.
 */
export interface RoleBinding {
  role: RoleName;
  /** Group entity refs as written in the file. */
  groups: string[];
}

/** The policy file as loaded. */
export interface PolicyFile {
  /** Absolute path, for messages. */
  path: string;
  /** SHA-256 of the file's content, hex: compare with `sha256sum`. */
  sha256: string;
  bindings: RoleBinding[];
}

/** The content of the policy file as read, before it is parsed. */
export interface PolicySource {
  path: string;
  text: string;
  sha256: string;
}

/**
 * A policy file that is not valid, with the file and line at fault (line
 * is undefined when no line is: the file cannot be read at all).
 */
export class PolicyFileError extends CustomErrorBase {
  name = 'PolicyFileError' as const;

  constructor(
    readonly file: string,
    readonly line: number | undefined,
    message: string,
    cause?: unknown,
  ) {
    super(message, cause);
  }
}

export const POLICY_FILE_KEY = 'permission.portalPolicy.policyFile';
const GROUP_REF = /^group:([^:/]+)\/([^:/]+)$/;
const validator = makeValidator();

/**
 * The absolute path of the file named by `permission.portalPolicy.policyFile`.
 * A relative path is resolved against the working directory, like the
 * catalog's file locations, so each app-config names it from where that
 * setup starts the backend.
 */
export function policyFilePath(config: RootConfigService): string {
  return resolve(config.getString(POLICY_FILE_KEY));
}

/**
 * Reads the policy file's content and its hash. The path is opened anew on
 * every call, so a symbolic link that now points elsewhere (a ConfigMap
 * volume after an update) is followed to the new content.
 */
export async function readPolicySource(path: string): Promise<PolicySource> {
  let content: Buffer;
  try {
    content = await readFile(path);
  } catch (error) {
    throw new PolicyFileError(
      path,
      undefined,
      `Cannot read the permission policy file ${path} (set in ${POLICY_FILE_KEY})`,
      error,
    );
  }
  // Of the bytes, as `sha256sum` computes it.
  const sha256 = createHash('sha256').update(content).digest('hex');
  return { path, text: content.toString('utf8'), sha256 };
}

/** Reads and parses the policy file the config names; throws on any problem. */
export async function loadPolicyFile(
  config: RootConfigService,
): Promise<PolicyFile> {
  const { path, text, sha256 } = await readPolicySource(policyFilePath(config));
  return { path, sha256, bindings: parsePolicyFile(text, path) };
}

/**
 * Parses and validates policy file content. Anything unexpected throws a
 * PolicyFileError naming the file and line: a policy that is silently half
 * applied is worse than a backend that does not start, or than keeping the
 * bindings loaded before.
 */
export function parsePolicyFile(source: string, file: string): RoleBinding[] {
  const lineCounter = new LineCounter();
  const doc = parseDocument(source, { lineCounter, prettyErrors: false });
  const fail: Fail = (offset, reason) => {
    const { line } = lineCounter.linePos(offset ?? 0);
    throw new PolicyFileError(
      file,
      line,
      `Permission policy file ${file}, line ${line}: ${reason}`,
    );
  };

  const [syntaxError] = doc.errors;
  if (syntaxError) {
    fail(syntaxError.pos[0], `YAML syntax error: ${syntaxError.message}`);
  }

  const root = doc.contents;
  if (!isMap(root)) {
    return fail(root?.range?.[0], 'expected a mapping with a "bindings" list');
  }
  const { bindings } = fieldsOf(root, ['bindings'], fail);
  if (!isSeq(bindings)) {
    return fail(bindings.range?.[0], '"bindings" must be a list');
  }

  return bindings.items.map(item => {
    if (!isMap(item)) {
      return fail(
        (item as Node | null)?.range?.[0],
        'each binding must be a mapping with "role" and "groups"',
      );
    }
    const fields = fieldsOf(item, ['role', 'groups'], fail);
    return {
      role: roleOf(fields.role, fail),
      groups: groupsOf(fields.groups, fail),
    };
  });
}

type Fail = (offset: number | undefined, reason: string) => never;

function fieldsOf<K extends string>(
  map: YAMLMap,
  keys: readonly K[],
  fail: Fail,
): Record<K, Node> {
  const found = new Map<string, Node>();
  for (const pair of map.items) {
    const key = pair.key as Node | null;
    const name = isScalar(key) ? String(key.value) : String(key);
    if (!(keys as readonly string[]).includes(name)) {
      fail(
        key?.range?.[0] ?? map.range?.[0],
        `unknown key ${JSON.stringify(name)}, expected ${keys
          .map(k => `"${k}"`)
          .join(' and ')}`,
      );
    }
    // `key:` with nothing after it has no value node; point at the key.
    found.set(name, (pair.value as Node | null) ?? key ?? map);
  }
  for (const key of keys) {
    if (!found.has(key)) {
      fail(map.range?.[0], `missing field "${key}"`);
    }
  }
  return Object.fromEntries(found) as Record<K, Node>;
}

function roleOf(node: Node, fail: Fail): RoleName {
  const value = isScalar(node) ? node.value : undefined;
  const role = ROLE_NAMES.find(name => name === value);
  if (!role) {
    return fail(
      node.range?.[0],
      `unknown role ${JSON.stringify(
        value ?? String(node),
      )}, expected one of ${ROLE_NAMES.join(', ')}`,
    );
  }
  return role;
}

function groupsOf(node: Node, fail: Fail): string[] {
  if (!isSeq(node) || node.items.length === 0) {
    return fail(node.range?.[0], '"groups" must be a non-empty list');
  }
  return node.items.map(item => {
    const value = isScalar(item) ? item.value : undefined;
    const match = typeof value === 'string' ? GROUP_REF.exec(value) : null;
    if (
      !match ||
      !validator.isValidNamespace(match[1]) ||
      !validator.isValidEntityName(match[2])
    ) {
      return fail(
        (item as Node | null)?.range?.[0],
        `${JSON.stringify(
          value ?? String(item),
        )} is not a group reference of the form group:<namespace>/<name>`,
      );
    }
    return match[0];
  });
}
