/**
 * Rows of `meta.k8s.io/v1` Tables and what each row carries as `object`, by the request's
 * `includeObject` (apiserver `transformObject`): `Metadata` (the default) a
 * PartialObjectMetadata, `Object` the whole object (kubectl asks for it with `--sort-by`, which
 * sorts on any field), `None` nothing.
 */
import type { Millis } from '../../domain/duration.js';
import type { ListKind } from '../world.js';
import { badRequest, type Status } from './status.js';
import { COLUMNS, tableCells } from './tables.js';

export type IncludeObject = 'None' | 'Metadata' | 'Object';

const CHOICES: readonly IncludeObject[] = ['None', 'Metadata', 'Object'];

/** The `includeObject` query parameter, or the 400 the API server answers for another value. */
export function includeObjectOf(query: URLSearchParams): IncludeObject | Status {
  const value = query.get('includeObject') ?? '';
  if (value === '') return 'Metadata';
  if ((CHOICES as readonly string[]).includes(value)) return value as IncludeObject;
  // metav1 validation.ValidateTableOptions, as a 400.
  return badRequest(
    `includeObject: Invalid value: "${value}": must be 'Metadata', 'Object', 'None', or empty`,
  );
}

export function tableRow(
  kind: ListKind,
  obj: Record<string, unknown>,
  at: { now: Millis; include: IncludeObject },
) {
  const cells = tableCells(kind, obj, at.now);
  if (at.include === 'None') return { cells };
  if (at.include === 'Object') return { cells, object: obj };
  return {
    cells,
    object: { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: obj.metadata },
  };
}

/**
 * One object as a Table, as for a get or a watch event; a watch sends the column definitions
 * with its first event only (`headers` false: `columnDefinitions: null`, as the API server).
 */
export function oneRowTable(
  kind: ListKind,
  obj: Record<string, unknown>,
  at: { now: Millis; include: IncludeObject; headers: boolean },
) {
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: {
      resourceVersion: (obj.metadata as { resourceVersion?: string } | undefined)?.resourceVersion ?? '',
    },
    columnDefinitions: at.headers ? COLUMNS[kind] : null,
    rows: [tableRow(kind, obj, at)],
  };
}
