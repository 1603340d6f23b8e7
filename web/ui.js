// Building blocks of the page: formatting and tables. Every number keeps its exact value.

export const $ = (id) => document.getElementById(id);

export const two = (x) =>
  x === null || x === undefined
    ? '–'
    : x.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
export const percent = (x) => (x === null || x === undefined ? '–' : `${Math.round(x * 100)} %`);
export const day = (iso) => iso.slice(0, 10);
export const when = (iso) => iso.replace('T', ' ').replace(/(:\d\d)(\.\d+)?Z$/, '$1 UTC');

export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'class') node.className = v;
    else node.setAttribute(k, v);
  }
  for (const c of children) node.append(c);
  return node;
}

/**
 * A table of `rows` with `columns` ({key, label, format?, num?}); headers sort by their column.
 * Each cell carries data-field and, for numbers, data-value: the API's exact number.
 */
export function renderTable(table, columns, rows, opts = {}) {
  let sortKey = opts.sortKey;
  let descending = true;
  const draw = () => {
    const sorted =
      sortKey === undefined
        ? rows
        : [...rows].sort((a, b) => compare(a[sortKey], b[sortKey]) * (descending ? -1 : 1));
    // Each header is a button, so a column sorts from the keyboard too; aria-sort says the order.
    const head = el(
      'tr',
      {},
      ...columns.map((c) =>
        el(
          'th',
          {
            'data-sort': c.key,
            class: c.num ? 'num' : '',
            scope: 'col',
            ...(c.key === sortKey ? { 'aria-sort': descending ? 'descending' : 'ascending' } : {}),
          },
          el('button', { type: 'button', class: 'sort' }, c.label),
        ),
      ),
    );
    const body = sorted.map((r) =>
      el(
        'tr',
        { class: opts.special?.(r) ? 'special' : '' },
        ...columns.map((c) => {
          const v = r[c.key];
          const attrs = { 'data-field': c.key, class: c.num ? 'num' : '' };
          if (typeof v === 'number') attrs['data-value'] = String(v);
          return el('td', attrs, c.format ? c.format(v, r) : v === null || v === undefined ? '–' : String(v));
        }),
      ),
    );
    table.replaceChildren(
      el('thead', {}, head),
      el(
        'tbody',
        {},
        ...(body.length > 0
          ? body
          : [
              el(
                'tr',
                {},
                el(
                  'td',
                  { colspan: String(columns.length), class: 'empty' },
                  opts.empty ?? 'nothing in this range',
                ),
              ),
            ]),
      ),
    );
    for (const th of table.querySelectorAll('th[data-sort]')) {
      th.addEventListener('click', () => {
        descending = sortKey === th.dataset.sort ? !descending : true;
        sortKey = th.dataset.sort;
        draw();
        // The table was drawn anew: the focus goes back to the header just used.
        table.querySelector(`th[data-sort="${sortKey}"] button`)?.focus();
      });
    }
  };
  draw();
}

function compare(a, b) {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a ?? '').localeCompare(String(b ?? ''));
}
