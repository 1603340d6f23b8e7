/**
 * A new sheet from the sheet in force and the fields being set (both in their JSON form). Fields
 * left out keep their value; the price maps `nodes` and `storageClasses` merge entry by entry, as
 * in a JSON merge patch (RFC 7396): `{"nodes": {"m5.large": {"hour": "0.1"}}}` changes that
 * instance type's price and keeps the others (replacing the whole map dropped their prices without
 * a word, and their nodes fell back to resource prices); `null` removes an entry
 * (`{"nodes": {"c5.large": null}}`) or a node's `spotHour`. Anything else is left for the schema to
 * judge.
 */
type Json = Record<string, unknown>;

const MAPS = ['nodes', 'storageClasses'] as const;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

function mergeEntries(current: unknown, given: Json, depth: number): Json {
  const out: Json = isObject(current) ? { ...current } : {};
  for (const [k, v] of Object.entries(given)) {
    if (v === null) delete out[k];
    // A node's price is an object of its own: its fields merge too (a new spotHour keeps the hour).
    else if (depth === 0 && isObject(v) && isObject(out[k])) out[k] = mergeEntries(out[k], v, 1);
    else out[k] = v;
  }
  return out;
}

export function mergeSheetJson(current: Json, given: Json): Json {
  const out: Json = { ...current, ...given };
  for (const m of MAPS) if (isObject(given[m])) out[m] = mergeEntries(current[m], given[m], 0);
  return out;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * A sheet set for a later time, once a change from an earlier time is made (all in JSON form, as
 * `priceSheetToJson` writes them): each field the change names that the later sheet had kept as
 * it was before the change (its value the one the change replaced) takes the change's value, so
 * that a change holds from its time on, not only until a sheet set earlier for a later time. A
 * value of the later sheet's own stays. The price maps go entry by entry.
 */
export function carryChange(later: Json, change: { before: Json; after: Json; given: Json }): Json {
  const { before, after, given } = change;
  const out: Json = { ...later };
  for (const k of Object.keys(given)) {
    if (k === 'effectiveFrom') continue;
    if ((MAPS as readonly string[]).includes(k) && isObject(given[k])) {
      const entries: Json = isObject(later[k]) ? { ...later[k] } : {};
      const was = isObject(before[k]) ? before[k] : {};
      const is = isObject(after[k]) ? after[k] : {};
      for (const e of Object.keys(given[k])) {
        if (!same(entries[e], was[e])) continue;
        if (is[e] === undefined) delete entries[e];
        else entries[e] = is[e];
      }
      out[k] = entries;
    } else if (same(later[k], before[k])) out[k] = after[k];
  }
  return out;
}
