/**
 * Currency codes a new price sheet may name. Accounts add up debits of every cluster of a tenant in
 * one currency, so a mistyped code (`EUD`, `XYZ`) would open a currency nobody bills in; it is
 * refused when a sheet is set, naming the code and what was probably meant.
 *
 * The known codes are the runtime's ISO 4217 list (ICU, via `Intl`). Stored sheets are not checked
 * against it: a code an older runtime does not know yet must never stop an interval from being
 * priced.
 */
const known = new Set(Intl.supportedValuesOf('currency'));

/** The problem with `value` as the currency of a sheet being set, or undefined when there is none. */
export function currencyProblem(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined; // the schema reports a non-string
  const upper = value.trim().toUpperCase();
  if (value === upper && known.has(value)) return undefined;
  if (known.has(upper)) return `"${value}" is not written as ISO 4217 writes it: use ${upper}`;
  if (!/^[A-Z]{3}$/.test(upper)) return undefined; // the schema reports a code that is not three letters
  return `"${value}" is not an ISO 4217 currency code (e.g. USD, EUR, GBP, JPY)`;
}
