/* bw-store-private.h
 *
 * Copyright 2026 The Badge Wallet authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <sqlite3.h>

#include "bw-store.h"

G_BEGIN_DECLS

/* The schema version this build writes. */
#define BW_STORE_SCHEMA_VERSION 2

/**
 * BwStoreFault:
 * @BW_STORE_FAULT_NONE: writes behave normally
 * @BW_STORE_FAULT_DISK_FULL: writes fail as if the disk were full (ENOSPC, SQLITE_FULL)
 * @BW_STORE_FAULT_IO: writes fail with an I/O error (EIO, SQLITE_IOERR)
 *
 * Every write of the store, to an original file or to the database, goes
 * through one seam so tests can make it fail and check that the wallet is
 * left as it was.
 */
typedef enum
{
  BW_STORE_FAULT_NONE,
  BW_STORE_FAULT_DISK_FULL,
  BW_STORE_FAULT_IO,
} BwStoreFault;

/* Arms the fault for the whole process: the first @after_writes writes still
 * succeed, every later one fails until the fault is set back to NONE. */
void      _bw_store_set_fault            (BwStoreFault  fault,
                                          guint         after_writes);
/* How many writes the armed fault has refused so far. */
guint     _bw_store_get_fault_hits       (void);

/* Creates a wallet database at @path holding only the schema up to
 * @version, so migrations can be tested from any older version. */
gboolean  _bw_store_create_schema        (const char   *path,
                                          int           version,
                                          GError      **error);
/* The open database handle, for tests that inspect the tables. */
sqlite3  *_bw_store_get_db               (BwStore      *self);
/* Keeps at most this many built badges nobody else holds (default
 * BW_STORE_CACHE_SIZE); at least one. */
void      _bw_store_set_cache_size       (BwStore      *self,
                                          guint         cache_size);
/* Commits the import batch after this many inputs (default 64). */
void      _bw_store_set_batch_size       (BwStore      *self,
                                          guint         batch_size);

/* The files of a wallet folder that the store's pieces share. */
#define BW_STORE_DB_NAME      "wallet.db"
#define BW_STORE_CLEAN_SUFFIX ".clean"

/* Statements run once per imported badge, prepared once per store. */
typedef enum
{
  STMT_FIND_WALLET_ID,
  STMT_FIND_ASSERTION_ID,
  STMT_INSERT_BADGE,
  STMT_INSERT_DATA,
  STMT_INSERT_SEARCH,
  N_STMTS
} StmtId;

/* A badge of the wallet as the list needs it: what sorting, filtering and a
 * listing read, kept in memory so opening never touches the originals. The
 * full BwBadge is rebuilt on demand from the stored documents. */
typedef struct
{
  gint64   rowid;
  char    *wallet_id;
  char    *name;
  char    *issuer;
  char    *name_key;
  char    *issuer_key;
  gint64   issued;    /* Unix seconds, G_MININT64 when unknown */
  gint64   expires;
  gint64   added;
  gint64   checked;
  int      verdict;   /* a BwVerdict, or -1 when never verified */
  guint    pending_removal : 1;
  /* The badge built for the row: a strong reference while it is in the
   * store's cache of recently used badges, and a weak one for as long as
   * anyone else holds it, so the row always hands out the same object. */
  BwBadge *cached;
  GList   *cache_link;
  GWeakRef live;
} Row;

/* How many built badges the store keeps when nobody else holds them. */
#define BW_STORE_CACHE_SIZE 256

struct _BwStore
{
  GObject       parent_instance;

  char         *directory;
  char         *originals_dir;
  char         *cache_dir;
  char         *recovery_message;
  sqlite3      *db;
  sqlite3_stmt *stmts[N_STMTS];

  GPtrArray    *rows;       /* (element-type Row) every row, owned */
  GHashTable   *by_id;      /* wallet id → Row */
  GPtrArray    *visible;    /* the model: borrowed Rows, sorted and filtered */
  GHashTable   *hits;       /* rowids matching the search, or NULL */
  char         *search;

  gboolean      opened;
  gboolean      dirty;
  BwStoreSort   sort;
  BwStoreFilter filter;
  guint         batch_size;

  BwFetcher    *fetcher;
  BwVerifier   *verifier;

  GQueue        cache;      /* (element-type Row) most recently used first */
  guint         cache_size;
};

G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3_stmt, sqlite3_finalize)

/* bw-store-db.c: files and the write seam. */
gboolean      _bw_store_set_errno_error         (GError             **error,
                                                 int                  saved_errno,
                                                 const char          *what,
                                                 const char          *path);
gboolean      _bw_store_write_file_durably      (const char          *path,
                                                 const char          *tmp_dir,
                                                 const guint8        *data,
                                                 gsize                length,
                                                 gboolean             sync,
                                                 GError             **error);
gboolean      _bw_store_sync_filesystem         (const char          *path,
                                                 GError             **error);
gboolean      _bw_store_fsync_directory         (const char          *path,
                                                 GError             **error);
gboolean      _bw_store_exchange_directories    (const char          *staging,
                                                 const char          *target,
                                                 GError             **error);
char         *_bw_store_blob_path               (const char          *base,
                                                 const char          *hash);
char         *_bw_store_original_path           (BwStore             *self,
                                                 const char          *wallet_id);
gboolean      _bw_store_write_blob              (const char          *base,
                                                 const char          *hash,
                                                 GBytes              *data,
                                                 gboolean             sync,
                                                 gboolean            *created,
                                                 GError             **error);
gboolean      _bw_store_is_wallet_id            (const char          *name);

/* bw-store-db.c: SQLite. */
gboolean      _bw_store_set_db_error            (GError             **error,
                                                 sqlite3             *db,
                                                 int                  rc,
                                                 const char          *context);
gboolean      _bw_store_db_exec                 (sqlite3             *db,
                                                 const char          *sql,
                                                 const char          *context,
                                                 GError             **error);
void          _bw_store_db_rollback             (sqlite3             *db);
sqlite3_stmt *_bw_store_db_prepare              (sqlite3             *db,
                                                 const char          *sql,
                                                 GError             **error);
sqlite3_stmt *_bw_store_get_stmt                (BwStore             *self,
                                                 StmtId               id,
                                                 GError             **error);
void          _bw_store_bind_text               (sqlite3_stmt        *stmt,
                                                 int                  index,
                                                 const char          *text);
void          _bw_store_bind_time               (sqlite3_stmt        *stmt,
                                                 int                  index,
                                                 GDateTime           *time);
char         *_bw_store_column_dup              (sqlite3_stmt        *stmt,
                                                 int                  column);
gint64        _bw_store_column_time             (sqlite3_stmt        *stmt,
                                                 int                  column);
void          _bw_store_row_free                (gpointer             data);
int           _bw_store_verdict_from_text       (const char          *text);
void          _bw_store_close_db                (BwStore             *self);

/* bw-store-import.c */
GBytes       *_bw_store_read_file               (const char          *path,
                                                 GError             **error);
gboolean      _bw_store_rebuild_from_originals  (BwStore             *self,
                                                 guint               *n_badges,
                                                 guint               *n_damaged,
                                                 GError             **error);

/* bw-store.c: the stored form of a badge, and the model. */
const char   *_bw_store_original_format         (BwImageFormat        format,
                                                 BwPayloadKind        kind);
BwPayload    *_bw_store_payload_from_bytes      (GBytes              *data,
                                                 BwPayloadSource      text_source,
                                                 GError             **error);
void          _bw_store_json_add_time           (JsonBuilder         *builder,
                                                 const char          *member,
                                                 gint64               time);
char         *_bw_store_badge_json_build        (const BwPayload     *payload,
                                                 JsonArray           *documents);
void          _bw_store_document_add            (JsonArray           *documents,
                                                 BwDocumentKind       kind,
                                                 const char          *url,
                                                 JsonNode            *document);
void          _bw_store_resolve_documents       (BwBadge             *badge,
                                                 JsonArray           *documents);
char         *_bw_store_join_strv               (const char * const  *strv);
void          _bw_store_refresh_model           (BwStore             *self);

G_END_DECLS
