/**
 * The embedded database's page cache (PostgreSQL `shared_buffers`), which lives in the portal's own
 * memory: PostgreSQL's default of 128 MB cost ~130 MB there (see docs/ARCHITECTURE.md, memory).
 * In its own module so reading the configuration does not load PGlite.
 */
export const DEFAULT_PGLITE_SHARED_BUFFERS_MB = 16;
