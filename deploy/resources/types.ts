// The one shape every managed resource type has. The planner and applier only ever talk to this interface.
import type { ManagementClient } from 'auth0';
import type { DesiredState } from '../config/load.js';

export type ResourceType =
  | 'resourceServers'
  | 'clients'
  | 'clientGrants'
  | 'databases'
  | 'users'
  | 'actions'
  | 'triggers'
  | 'guardianFactors'
  | 'guardianPolicies'
  | 'tenant';

export type Body = Record<string, unknown>;

/** A value only known once another resource exists: the ID the tenant gave it. */
export interface IdReference {
  $ref: ResourceType;
  key: string;
}

export function ref(type: ResourceType, key: string): IdReference {
  return { $ref: type, key };
}

export function isReference(value: unknown): value is IdReference {
  return typeof value === 'object' && value !== null && '$ref' in value && 'key' in value;
}

/** IDs by type and key: from the read, then from creates as the apply goes. */
export class IdRegistry {
  private readonly ids = new Map<ResourceType, Map<string, string>>();
  set(type: ResourceType, key: string, id: string): void {
    let byKey = this.ids.get(type);
    if (!byKey) this.ids.set(type, (byKey = new Map()));
    byKey.set(key, id);
  }
  get(type: ResourceType, key: string): string | undefined {
    return this.ids.get(type)?.get(key);
  }
  keyOf(type: ResourceType, id: string): string | undefined {
    for (const [key, value] of this.ids.get(type) ?? []) if (value === id) return key;
    return undefined;
  }
}

export interface DesiredItem {
  key: string;
  /** The desired fields in the API's shape; values may be IdReferences. Only these fields are compared. */
  body: Body;
  /** Fields sent on create only (passwords): never compared, never shown. */
  createOnly?: Body;
}

export interface LiveItem {
  key: string;
  id: string;
  /** The live resource normalised into the same shape as DesiredItem.body. */
  body: Body;
  /** Carries this repository's ownership marker (deletes are only ever planned for owned resources). */
  owned: boolean;
  /** Never touched, whatever the config says (the deploy client, its grants, system resources). */
  protected?: boolean;
  /** The raw API object, for updates that must merge (connection options). */
  raw?: unknown;
}

/**
 * A field the tenant refused, which the deploy left out as configured (`verificationKey` on a tenant that does not
 * support it). Data, not a message: the run excludes it from verification and writes no checkpoint.
 */
export interface Refusal {
  type: ResourceType;
  key: string;
  /** Top-level fields the tenant refused. */
  fields: string[];
  /** Shown as a warning. */
  message: string;
}

export interface ResourceContext {
  mgmt: ManagementClient;
  /** The client the deploy authenticates as: never updated or deleted. */
  deployClientId: string;
  registry: IdRegistry;
  /** What has been read so far, by type (types are read in dependency order). */
  live: Map<ResourceType, LiveItem[]>;
  desired: DesiredState;
  warn(message: string): void;
  /** Records a refusal (and warns with its message). */
  refuse(refusal: Refusal): void;
  progress(message: string): void;
}

export interface ResourceModule {
  type: ResourceType;
  /** Types whose IDs this type refers to: applied before it, deleted after it (the apply order is derived from this). */
  dependsOn: ResourceType[];
  /** Types whose live items read() consults (not only their IDs): read before it, and read along when only it is planned. */
  readsLiveOf?: ResourceType[];
  /** True when the desired state has this type's section at all; an unmanaged type is neither read nor planned. */
  isManaged(state: DesiredState): boolean;
  /** Arrays compared as sets (order carries no meaning for the API). */
  setFields?: string[];
  /** Fields shown masked in every plan output. */
  sensitiveFields?: string[];
  desired(
    state: DesiredState,
    resolve: (reference: IdReference) => string | undefined,
  ): DesiredItem[];
  read(context: ResourceContext): Promise<LiveItem[]>;
  create?(context: ResourceContext, item: DesiredItem): Promise<string>;
  /** `changed` holds only the changed top-level fields, references resolved. */
  update(context: ResourceContext, live: LiveItem, changed: Body, item: DesiredItem): Promise<void>;
  delete?(context: ResourceContext, live: LiveItem): Promise<void>;
}

/** The ownership marker this repository writes on what it creates (client_metadata, connection metadata, app_metadata, action code). */
export const managedByKey = 'managed_by';
export const managedByValue = 'tenant-as-code';
