/** The help of every command's `--database` option: where the ledger is when it is left out. */
export const DATABASE_HELP =
  'PostgreSQL URL or data directory (default: $DATABASE_URL, else $KUBETALLY_DATA_DIR or ./.kubetally)';
