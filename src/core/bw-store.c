/* bw-store.c
 *
 * Copyright 2026 The Badge Wallet authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bw-store"
#define _GNU_SOURCE

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "bw-error.h"
#include "bw-store-private.h"
#include "bw-util.h"

#define DB_NAME         "wallet.db"
#define ORIGINALS_DIR   "originals"
#define CACHE_DIR       "documents"
#define INCOMING_DIR    ".incoming"
#define MANIFEST_NAME   "manifest.json"
#define REBUILD_SUFFIX  ".rebuild"
#define STALE_INCOMING  (24 * 3600)
#define MAX_ORIGINAL    (64 * 1024 * 1024)
#define MAX_RESOLVE     8
#define EXPIRING_DAYS   30

#define CLEAN_SUFFIX    ".clean"

/* The checks run when opening. After a session that did not end cleanly,
 * the whole database: quick_check reads every page and checks every
 * record, page link and constraint, all integrity_check does but matching
 * each index entry against its row, at half the cost. After a clean
 * session, only the table the list is built from, so opening costs the
 * same at any wallet size; a damaged documents row is still caught when
 * it is read, and the badge is then rebuilt from its original. */
#define CHECK_ALL       "PRAGMA quick_check"
#define CHECK_LISTING   "PRAGMA quick_check(badges)"

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

static const char * const stmt_sql[N_STMTS] = {
  "SELECT wallet_id FROM badges WHERE wallet_id = ?1 LIMIT 1",
  "SELECT wallet_id FROM badges WHERE assertion_id = ?1 LIMIT 1",
  "INSERT INTO badges (wallet_id, assertion_id, format, size, name, issuer_name,"
  " issued, expires, added, verdict, checked)"
  " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
  "INSERT INTO badge_data (rowid, input_name, spec, description, issuer_id, image,"
  " tags, skills, badge_json, note, report)"
  " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
  "INSERT INTO badges_search (rowid, name, description, issuer, tags, skills)"
  " VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
};

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
  BwBadge *badge;
} Row;

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
};

static void bw_store_list_model_init (GListModelInterface *iface);

static guint items_changed_signal;

G_DEFINE_FINAL_TYPE_WITH_CODE (BwStore, bw_store, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      bw_store_list_model_init))

/* ------------------------------------------------------------------------- */
/* The write seam                                                            */
/* ------------------------------------------------------------------------- */

static int fault_kind;
static int fault_countdown;
static guint fault_hits;

void
_bw_store_set_fault (BwStoreFault fault,
                     guint        after_writes)
{
  g_atomic_int_set (&fault_countdown, (int)after_writes);
  g_atomic_int_set (&fault_kind, (int)fault);
  g_atomic_int_set ((int *)&fault_hits, 0);
}

guint
_bw_store_get_fault_hits (void)
{
  return (guint)g_atomic_int_get ((int *)&fault_hits);
}

/* Returns the fault a write must fail with now, counting the write. */
static BwStoreFault
fault_check (void)
{
  BwStoreFault fault = (BwStoreFault)g_atomic_int_get (&fault_kind);

  if (fault == BW_STORE_FAULT_NONE)
    return BW_STORE_FAULT_NONE;
  if (g_atomic_int_get (&fault_countdown) > 0)
    {
      g_atomic_int_add (&fault_countdown, -1);
      return BW_STORE_FAULT_NONE;
    }
  g_atomic_int_inc ((int *)&fault_hits);
  return fault;
}

/* A shim VFS in front of the default one: reads pass straight through, and
 * writes, truncations and syncs consult the fault seam first. */
typedef struct
{
  sqlite3_file  base;
  sqlite3_file *real;
} FaultFile;

static sqlite3_vfs fault_vfs;

static int
fault_code (BwStoreFault fault,
            int          io_code)
{
  return fault == BW_STORE_FAULT_DISK_FULL ? SQLITE_FULL : io_code;
}

static int
ff_close (sqlite3_file *file)
{
  FaultFile *ff = (FaultFile *)file;
  int rc = SQLITE_OK;

  if (ff->real->pMethods != NULL)
    rc = ff->real->pMethods->xClose (ff->real);
  return rc;
}

static int
ff_read (sqlite3_file *file, void *buf, int amount, sqlite3_int64 offset)
{
  FaultFile *ff = (FaultFile *)file;
  return ff->real->pMethods->xRead (ff->real, buf, amount, offset);
}

static int
ff_write (sqlite3_file *file, const void *buf, int amount, sqlite3_int64 offset)
{
  FaultFile *ff = (FaultFile *)file;
  BwStoreFault fault = fault_check ();

  if (fault != BW_STORE_FAULT_NONE)
    return fault_code (fault, SQLITE_IOERR_WRITE);
  return ff->real->pMethods->xWrite (ff->real, buf, amount, offset);
}

static int
ff_truncate (sqlite3_file *file, sqlite3_int64 size)
{
  FaultFile *ff = (FaultFile *)file;
  BwStoreFault fault = fault_check ();

  if (fault != BW_STORE_FAULT_NONE)
    return fault_code (fault, SQLITE_IOERR_TRUNCATE);
  return ff->real->pMethods->xTruncate (ff->real, size);
}

static int
ff_sync (sqlite3_file *file, int flags)
{
  FaultFile *ff = (FaultFile *)file;
  BwStoreFault fault = fault_check ();

  if (fault != BW_STORE_FAULT_NONE)
    return fault_code (fault, SQLITE_IOERR_FSYNC);
  return ff->real->pMethods->xSync (ff->real, flags);
}

static int
ff_file_size (sqlite3_file *file, sqlite3_int64 *size)
{
  FaultFile *ff = (FaultFile *)file;
  return ff->real->pMethods->xFileSize (ff->real, size);
}

static int
ff_lock (sqlite3_file *file, int lock)
{
  FaultFile *ff = (FaultFile *)file;
  return ff->real->pMethods->xLock (ff->real, lock);
}

static int
ff_unlock (sqlite3_file *file, int lock)
{
  FaultFile *ff = (FaultFile *)file;
  return ff->real->pMethods->xUnlock (ff->real, lock);
}

static int
ff_check_reserved_lock (sqlite3_file *file, int *out)
{
  FaultFile *ff = (FaultFile *)file;
  return ff->real->pMethods->xCheckReservedLock (ff->real, out);
}

static int
ff_file_control (sqlite3_file *file, int op, void *arg)
{
  FaultFile *ff = (FaultFile *)file;
  return ff->real->pMethods->xFileControl (ff->real, op, arg);
}

static int
ff_sector_size (sqlite3_file *file)
{
  FaultFile *ff = (FaultFile *)file;
  return ff->real->pMethods->xSectorSize (ff->real);
}

static int
ff_device_characteristics (sqlite3_file *file)
{
  FaultFile *ff = (FaultFile *)file;
  return ff->real->pMethods->xDeviceCharacteristics (ff->real);
}

static int
ff_shm_map (sqlite3_file *file, int page, int page_size, int extend, void volatile **out)
{
  FaultFile *ff = (FaultFile *)file;
  return ff->real->pMethods->xShmMap (ff->real, page, page_size, extend, out);
}

static int
ff_shm_lock (sqlite3_file *file, int offset, int n, int flags)
{
  FaultFile *ff = (FaultFile *)file;
  return ff->real->pMethods->xShmLock (ff->real, offset, n, flags);
}

static void
ff_shm_barrier (sqlite3_file *file)
{
  FaultFile *ff = (FaultFile *)file;
  ff->real->pMethods->xShmBarrier (ff->real);
}

static int
ff_shm_unmap (sqlite3_file *file, int delete_flag)
{
  FaultFile *ff = (FaultFile *)file;
  return ff->real->pMethods->xShmUnmap (ff->real, delete_flag);
}

static const sqlite3_io_methods fault_io_methods = {
  2,
  ff_close,
  ff_read,
  ff_write,
  ff_truncate,
  ff_sync,
  ff_file_size,
  ff_lock,
  ff_unlock,
  ff_check_reserved_lock,
  ff_file_control,
  ff_sector_size,
  ff_device_characteristics,
  ff_shm_map,
  ff_shm_lock,
  ff_shm_barrier,
  ff_shm_unmap,
  NULL,
  NULL,
};

static int
fault_vfs_open (sqlite3_vfs  *vfs,
                const char   *name,
                sqlite3_file *file,
                int           flags,
                int          *out_flags)
{
  sqlite3_vfs *real_vfs = vfs->pAppData;
  FaultFile *ff = (FaultFile *)file;
  int rc;

  ff->real = (sqlite3_file *)&ff[1];
  rc = real_vfs->xOpen (real_vfs, name, ff->real, flags, out_flags);
  /* SQLite calls xClose even after a failed open when pMethods is set, so
   * the shim's methods are installed whenever the real file has some. */
  file->pMethods = ff->real->pMethods != NULL ? &fault_io_methods : NULL;
  return rc;
}

static int
fault_vfs_delete (sqlite3_vfs *vfs, const char *name, int sync_dir)
{
  sqlite3_vfs *real_vfs = vfs->pAppData;
  return real_vfs->xDelete (real_vfs, name, sync_dir);
}

static int
fault_vfs_access (sqlite3_vfs *vfs, const char *name, int flags, int *out)
{
  sqlite3_vfs *real_vfs = vfs->pAppData;
  return real_vfs->xAccess (real_vfs, name, flags, out);
}

static int
fault_vfs_full_pathname (sqlite3_vfs *vfs, const char *name, int n, char *out)
{
  sqlite3_vfs *real_vfs = vfs->pAppData;
  return real_vfs->xFullPathname (real_vfs, name, n, out);
}

static void *
fault_vfs_dl_open (sqlite3_vfs *vfs, const char *name)
{
  sqlite3_vfs *real_vfs = vfs->pAppData;
  return real_vfs->xDlOpen (real_vfs, name);
}

static void
fault_vfs_dl_error (sqlite3_vfs *vfs, int n, char *out)
{
  sqlite3_vfs *real_vfs = vfs->pAppData;
  real_vfs->xDlError (real_vfs, n, out);
}

static void
(*fault_vfs_dl_sym (sqlite3_vfs *vfs, void *handle, const char *symbol)) (void)
{
  sqlite3_vfs *real_vfs = vfs->pAppData;
  return real_vfs->xDlSym (real_vfs, handle, symbol);
}

static void
fault_vfs_dl_close (sqlite3_vfs *vfs, void *handle)
{
  sqlite3_vfs *real_vfs = vfs->pAppData;
  real_vfs->xDlClose (real_vfs, handle);
}

static int
fault_vfs_randomness (sqlite3_vfs *vfs, int n, char *out)
{
  sqlite3_vfs *real_vfs = vfs->pAppData;
  return real_vfs->xRandomness (real_vfs, n, out);
}

static int
fault_vfs_sleep (sqlite3_vfs *vfs, int microseconds)
{
  sqlite3_vfs *real_vfs = vfs->pAppData;
  return real_vfs->xSleep (real_vfs, microseconds);
}

static int
fault_vfs_current_time (sqlite3_vfs *vfs, double *out)
{
  sqlite3_vfs *real_vfs = vfs->pAppData;
  return real_vfs->xCurrentTime (real_vfs, out);
}

static int
fault_vfs_get_last_error (sqlite3_vfs *vfs, int n, char *out)
{
  sqlite3_vfs *real_vfs = vfs->pAppData;
  return real_vfs->xGetLastError != NULL ? real_vfs->xGetLastError (real_vfs, n, out) : 0;
}

static int
fault_vfs_current_time_int64 (sqlite3_vfs *vfs, sqlite3_int64 *out)
{
  sqlite3_vfs *real_vfs = vfs->pAppData;
  return real_vfs->xCurrentTimeInt64 (real_vfs, out);
}

static const char *
fault_vfs_name (void)
{
  static gsize registered = 0;

  if (g_once_init_enter (&registered))
    {
      sqlite3_vfs *real_vfs = sqlite3_vfs_find (NULL);

      fault_vfs.iVersion = 2;
      fault_vfs.szOsFile = (int)sizeof (FaultFile) + real_vfs->szOsFile;
      fault_vfs.mxPathname = real_vfs->mxPathname;
      fault_vfs.zName = "bw-store";
      fault_vfs.pAppData = real_vfs;
      fault_vfs.xOpen = fault_vfs_open;
      fault_vfs.xDelete = fault_vfs_delete;
      fault_vfs.xAccess = fault_vfs_access;
      fault_vfs.xFullPathname = fault_vfs_full_pathname;
      fault_vfs.xDlOpen = fault_vfs_dl_open;
      fault_vfs.xDlError = fault_vfs_dl_error;
      fault_vfs.xDlSym = fault_vfs_dl_sym;
      fault_vfs.xDlClose = fault_vfs_dl_close;
      fault_vfs.xRandomness = fault_vfs_randomness;
      fault_vfs.xSleep = fault_vfs_sleep;
      fault_vfs.xCurrentTime = fault_vfs_current_time;
      fault_vfs.xGetLastError = fault_vfs_get_last_error;
      fault_vfs.xCurrentTimeInt64 = fault_vfs_current_time_int64;
      sqlite3_vfs_register (&fault_vfs, 0);
      g_once_init_leave (&registered, 1);
    }

  return fault_vfs.zName;
}

/* ------------------------------------------------------------------------- */
/* Files                                                                     */
/* ------------------------------------------------------------------------- */

static gboolean
set_errno_error (GError     **error,
                 int          saved_errno,
                 const char  *what,
                 const char  *path)
{
  g_set_error (error, BW_ERROR, BW_ERROR_IO,
               /* Translators: the first %s is an action such as “writing”,
                * the second a file name, the third the system's reason. */
               _("Could not finish %s “%s”: %s"),
               what, path, g_strerror (saved_errno));
  return FALSE;
}

static gboolean
fsync_directory (const char  *path,
                 GError     **error)
{
  int fd = open (path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

  if (fd < 0)
    return set_errno_error (error, errno, _("opening the folder"), path);
  if (fsync (fd) != 0 && errno != EINVAL)
    {
      int saved = errno;

      close (fd);
      return set_errno_error (error, saved, _("syncing the folder"), path);
    }
  close (fd);
  return TRUE;
}

/* Writes @data to @path so that a crash at any moment leaves either the old
 * file or the whole new one: a private temporary file in @tmp_dir (or the
 * same folder), renamed over. With @sync the data and the rename are on
 * disk on return; without, the caller makes a whole batch durable at once
 * with sync_filesystem(), which costs one flush instead of two per file. */
static gboolean
write_file_durably (const char   *path,
                    const char   *tmp_dir,
                    const guint8 *data,
                    gsize         length,
                    gboolean      sync,
                    GError      **error)
{
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *tmp = g_build_filename (tmp_dir != NULL ? tmp_dir : dir, ".tmp-XXXXXX", NULL);
  gsize done = 0;
  int fd;

  fd = g_mkstemp_full (tmp, O_WRONLY | O_CLOEXEC, 0600);
  if (fd < 0)
    return set_errno_error (error, errno, _("creating a file in"), dir);

  while (done < length)
    {
      BwStoreFault fault = fault_check ();
      gssize n;

      if (fault != BW_STORE_FAULT_NONE)
        {
          errno = fault == BW_STORE_FAULT_DISK_FULL ? ENOSPC : EIO;
          n = -1;
        }
      else
        n = write (fd, data + done, MIN (length - done, (gsize)G_MAXSSIZE));

      if (n < 0)
        {
          int saved = errno;

          if (saved == EINTR)
            continue;
          close (fd);
          g_unlink (tmp);
          return set_errno_error (error, saved, _("writing"), path);
        }
      done += (gsize)n;
    }

  if (sync && fsync (fd) != 0)
    {
      int saved = errno;

      close (fd);
      g_unlink (tmp);
      return set_errno_error (error, saved, _("writing"), path);
    }
  if (close (fd) != 0)
    {
      int saved = errno;

      g_unlink (tmp);
      return set_errno_error (error, saved, _("writing"), path);
    }
  if (g_rename (tmp, path) != 0)
    {
      int saved = errno;

      g_unlink (tmp);
      return set_errno_error (error, saved, _("writing"), path);
    }

  return !sync || fsync_directory (dir, error);
}

/* Flushes everything written under @path's file system to the disk: the
 * barrier between writing a batch of originals and committing the rows
 * that point at them. */
static gboolean
sync_filesystem (const char  *path,
                 GError     **error)
{
  BwStoreFault fault = fault_check ();
  int fd;

  if (fault != BW_STORE_FAULT_NONE)
    return set_errno_error (error, fault == BW_STORE_FAULT_DISK_FULL ? ENOSPC : EIO,
                            _("saving the files in"), path);

  fd = open (path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0)
    return set_errno_error (error, errno, _("opening the folder"), path);
  if (syncfs (fd) != 0)
    {
      int saved = errno;

      close (fd);
      return set_errno_error (error, saved, _("saving the files in"), path);
    }
  close (fd);
  return TRUE;
}

static gboolean
ensure_private_dir (const char  *path,
                    GError     **error)
{
  if (g_mkdir_with_parents (path, 0700) != 0)
    return set_errno_error (error, errno, _("creating the folder"), path);
  /* The wallet is personal data: even a folder made by someone else is
   * narrowed to its owner. */
  if (g_chmod (path, 0700) != 0)
    return set_errno_error (error, errno, _("protecting the folder"), path);
  return TRUE;
}

static char *
blob_path (const char *base,
           const char *hash)
{
  char prefix[3] = { hash[0], hash[1], '\0' };

  return g_build_filename (base, prefix, hash, NULL);
}

static char *
original_path (BwStore    *self,
               const char *wallet_id)
{
  return blob_path (self->originals_dir, wallet_id);
}

static gboolean
file_has_hash (const char *path,
               const char *hash)
{
  g_autofree char *contents = NULL;
  g_autofree char *actual = NULL;
  gsize length;

  if (!g_file_get_contents (path, &contents, &length, NULL))
    return FALSE;
  actual = bw_sha256_hex (contents, length);
  return g_str_equal (actual, hash);
}

/* Stores @data under its hash in @base (originals/ab/abcdef…). Returns in
 * @created whether the file is new, so a rolled-back batch can take back
 * exactly what it wrote. */
static gboolean
store_blob (const char  *base,
            const char  *hash,
            GBytes      *data,
            gboolean     sync,
            gboolean    *created,
            GError     **error)
{
  g_autofree char *path = blob_path (base, hash);
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *incoming = g_build_filename (base, INCOMING_DIR, NULL);
  GStatBuf st;
  gsize length;
  const guint8 *bytes = g_bytes_get_data (data, &length);

  *created = FALSE;

  /* A file already under this name is kept only if it really holds this
   * content: one left half-written by a power cut is replaced. */
  if (g_stat (path, &st) == 0 && (gsize)st.st_size == length && file_has_hash (path, hash))
    return TRUE;

  if (!g_file_test (dir, G_FILE_TEST_IS_DIR))
    {
      if (g_mkdir (dir, 0700) != 0 && errno != EEXIST)
        return set_errno_error (error, errno, _("creating the folder"), dir);
      if (sync && !fsync_directory (base, error))
        return FALSE;
    }

  /* Temporary files live in one folder of their own, where what a killed
   * process leaves behind is easy to find and sweep. */
  if (!write_file_durably (path, incoming, bytes, length, sync, error))
    return FALSE;
  *created = TRUE;
  return TRUE;
}

/* ------------------------------------------------------------------------- */
/* SQLite helpers                                                            */
/* ------------------------------------------------------------------------- */

static gboolean
set_db_error (GError      **error,
              sqlite3      *db,
              int           rc,
              const char   *context)
{
  int code = BW_ERROR_IO;

  if (rc == SQLITE_FULL)
    {
      g_set_error (error, BW_ERROR, BW_ERROR_IO,
                   /* Translators: %s says what the wallet was doing. */
                   _("The disk is full: %s failed and the wallet was left as it was"),
                   context);
      return FALSE;
    }
  if (rc == SQLITE_CORRUPT || rc == SQLITE_NOTADB)
    code = BW_ERROR_MALFORMED;

  g_set_error (error, BW_ERROR, code,
               /* Translators: the first %s says what the wallet was doing,
                * the second is the database's own message. */
               _("Wallet database error while %s: %s"),
               context, db != NULL ? sqlite3_errmsg (db) : sqlite3_errstr (rc));
  return FALSE;
}

static gboolean
db_exec (sqlite3     *db,
         const char  *sql,
         const char  *context,
         GError     **error)
{
  int rc = sqlite3_exec (db, sql, NULL, NULL, NULL);

  if (rc != SQLITE_OK)
    return set_db_error (error, db, rc, context);
  return TRUE;
}

static void
db_rollback (sqlite3 *db)
{
  /* A failed write may already have rolled the transaction back. */
  if (!sqlite3_get_autocommit (db))
    sqlite3_exec (db, "ROLLBACK", NULL, NULL, NULL);
}

static sqlite3_stmt *
db_prepare (sqlite3     *db,
            const char  *sql,
            GError     **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc = sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL);

  if (rc != SQLITE_OK)
    {
      set_db_error (error, db, rc, _("reading the wallet"));
      sqlite3_finalize (stmt);
      return NULL;
    }
  return stmt;
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3_stmt, sqlite3_finalize)

/* Returns a cached statement, reset and with no bindings; borrowed. */
static sqlite3_stmt *
store_stmt (BwStore  *self,
            StmtId    id,
            GError  **error)
{
  sqlite3_stmt *stmt = self->stmts[id];

  if (stmt == NULL)
    {
      int rc = sqlite3_prepare_v3 (self->db, stmt_sql[id], -1, SQLITE_PREPARE_PERSISTENT,
                                   &self->stmts[id], NULL);

      if (rc != SQLITE_OK)
        {
          set_db_error (error, self->db, rc, _("reading the wallet"));
          return NULL;
        }
      return self->stmts[id];
    }
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
  return stmt;
}

static void
bind_text (sqlite3_stmt *stmt,
           int           index,
           const char   *text)
{
  if (text != NULL)
    sqlite3_bind_text (stmt, index, text, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null (stmt, index);
}

static void
bind_time (sqlite3_stmt *stmt,
           int           index,
           GDateTime    *time)
{
  if (time != NULL)
    sqlite3_bind_int64 (stmt, index, g_date_time_to_unix (time));
  else
    sqlite3_bind_null (stmt, index);
}

static char *
column_dup (sqlite3_stmt *stmt,
            int           column)
{
  return g_strdup ((const char *)sqlite3_column_text (stmt, column));
}

static gint64
column_time (sqlite3_stmt *stmt,
             int           column)
{
  if (sqlite3_column_type (stmt, column) == SQLITE_NULL)
    return G_MININT64;
  return sqlite3_column_int64 (stmt, column);
}

/* ------------------------------------------------------------------------- */
/* Schema and migrations                                                     */
/* ------------------------------------------------------------------------- */

/* Each entry takes the schema from version i to i + 1. Entries are only ever
 * appended: a wallet written by an older build is carried forward step by
 * step, each step in its own transaction. */
static const char * const migrations[] = {
  /* 0 → 1: the badges. Opening reads every row of `badges`, so it holds
   * only what the list shows, sorts and filters on; `badge_data` holds the
   * documents a BwBadge is rebuilt from, the user's note and the last
   * report, read one badge at a time. */
  "CREATE TABLE badges ("
  "  rowid INTEGER PRIMARY KEY,"
  "  wallet_id TEXT NOT NULL UNIQUE,"
  "  assertion_id TEXT,"
  "  format TEXT NOT NULL,"
  "  size INTEGER NOT NULL,"
  "  name TEXT,"
  "  issuer_name TEXT,"
  "  issued INTEGER,"
  "  expires INTEGER,"
  "  added INTEGER NOT NULL,"
  "  verdict TEXT,"
  "  checked INTEGER"
  ");"
  "CREATE TABLE badge_data ("
  "  rowid INTEGER PRIMARY KEY REFERENCES badges (rowid) ON DELETE CASCADE,"
  "  input_name TEXT,"
  "  spec TEXT,"
  "  description TEXT,"
  "  issuer_id TEXT,"
  "  image TEXT,"
  "  tags TEXT,"
  "  skills TEXT,"
  "  badge_json TEXT NOT NULL,"
  "  note TEXT,"
  "  report TEXT"
  ");"
  "CREATE INDEX badges_assertion_id ON badges (assertion_id);"
  "CREATE VIRTUAL TABLE badges_search USING fts5 ("
  "  name, description, issuer, tags, skills,"
  "  tokenize = 'unicode61 remove_diacritics 2'"
  ");",

  /* 1 → 2: the index of the documents cache used by offline verification. */
  "CREATE TABLE documents ("
  "  url TEXT PRIMARY KEY,"
  "  sha256 TEXT NOT NULL,"
  "  content_type TEXT,"
  "  size INTEGER NOT NULL,"
  "  fetched INTEGER NOT NULL"
  ");",
};

G_STATIC_ASSERT (G_N_ELEMENTS (migrations) == BW_STORE_SCHEMA_VERSION);

static int
db_get_user_version (sqlite3  *db,
                     GError  **error)
{
  g_autoptr(sqlite3_stmt) stmt = db_prepare (db, "PRAGMA user_version", error);
  int rc;

  if (stmt == NULL)
    return -1;
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      set_db_error (error, db, rc, _("reading the schema version"));
      return -1;
    }
  return sqlite3_column_int (stmt, 0);
}

static gboolean
db_migrate (sqlite3  *db,
            int       target,
            GError  **error)
{
  int version = db_get_user_version (db, error);

  if (version < 0)
    return FALSE;

  if (version > BW_STORE_SCHEMA_VERSION)
    {
      g_set_error (error, BW_ERROR, BW_ERROR_UNSUPPORTED,
                   _("The wallet was written by a newer Badge Wallet (schema version %d; "
                     "this version understands up to %d). Update Badge Wallet to open it."),
                   version, BW_STORE_SCHEMA_VERSION);
      return FALSE;
    }

  while (version < target)
    {
      g_autofree char *set_version = NULL;

      if (!db_exec (db, "BEGIN IMMEDIATE", _("upgrading the wallet"), error))
        return FALSE;
      /* Another process may have upgraded the wallet meanwhile. */
      version = db_get_user_version (db, error);
      if (version < 0)
        {
          db_rollback (db);
          return FALSE;
        }
      if (version >= target)
        {
          db_rollback (db);
          break;
        }
      set_version = g_strdup_printf ("PRAGMA user_version = %d", version + 1);
      if (!db_exec (db, migrations[version], _("upgrading the wallet"), error) ||
          !db_exec (db, set_version, _("upgrading the wallet"), error) ||
          !db_exec (db, "COMMIT", _("upgrading the wallet"), error))
        {
          db_rollback (db);
          return FALSE;
        }
      version++;
    }

  return TRUE;
}

static sqlite3 *
db_open (const char  *path,
         GError     **error)
{
  sqlite3 *db = NULL;
  int rc;

  rc = sqlite3_open_v2 (path, &db,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                        fault_vfs_name ());
  if (rc != SQLITE_OK)
    {
      set_db_error (error, db, rc, _("opening the wallet"));
      sqlite3_close (db);
      return NULL;
    }

  sqlite3_busy_timeout (db, 10000);
  sqlite3_extended_result_codes (db, 0);

  /* WAL keeps readers (the application) and a writer (the command line)
   * apart; FULL makes every commit durable before a result is reported. */
  if (!db_exec (db, "PRAGMA journal_mode = WAL", _("opening the wallet"), error) ||
      !db_exec (db, "PRAGMA synchronous = FULL", _("opening the wallet"), error))
    {
      sqlite3_close (db);
      return NULL;
    }

  return db;
}

gboolean
_bw_store_create_schema (const char  *path,
                         int          version,
                         GError     **error)
{
  sqlite3 *db;
  gboolean ok;

  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (version >= 0 && version <= BW_STORE_SCHEMA_VERSION, FALSE);

  db = db_open (path, error);
  if (db == NULL)
    return FALSE;
  ok = db_migrate (db, version, error);
  sqlite3_close (db);
  return ok;
}

typedef enum
{
  DB_SOUND,
  DB_DAMAGED,
  DB_UNUSABLE,
} DbState;

static gboolean
is_damage_code (int rc)
{
  return rc == SQLITE_CORRUPT || rc == SQLITE_NOTADB;
}

/* Runs the integrity check. Only damage counts as damage: a busy or
 * unreadable database is an error to report, never a reason to set the
 * file aside. */
static DbState
db_check (sqlite3     *db,
          const char  *check,
          char       **reason,
          GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  rc = sqlite3_prepare_v2 (db, check, -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      if (is_damage_code (rc))
        {
          *reason = g_strdup (sqlite3_errmsg (db));
          return DB_DAMAGED;
        }
      set_db_error (error, db, rc, _("checking the wallet"));
      return DB_UNUSABLE;
    }
  if (g_strcmp0 ((const char *)sqlite3_column_text (stmt, 0), "ok") != 0)
    {
      *reason = column_dup (stmt, 0);
      return DB_DAMAGED;
    }
  return DB_SOUND;
}

/* ------------------------------------------------------------------------- */
/* Rows                                                                      */
/* ------------------------------------------------------------------------- */

static void
row_free (gpointer data)
{
  Row *row = data;

  g_free (row->wallet_id);
  g_free (row->name);
  g_free (row->issuer);
  g_free (row->name_key);
  g_free (row->issuer_key);
  g_clear_object (&row->badge);
  g_free (row);
}

static int
verdict_from_text (const char *text)
{
  BwVerdict verdict;

  if (text == NULL || !bw_verdict_from_string (text, &verdict))
    return -1;
  return (int)verdict;
}

#define ROW_COLUMNS "rowid, wallet_id, name, issuer_name, issued, expires, added, checked, verdict"

static Row *
row_new_from_stmt (sqlite3_stmt *stmt)
{
  Row *row = g_new0 (Row, 1);

  row->rowid = sqlite3_column_int64 (stmt, 0);
  row->wallet_id = column_dup (stmt, 1);
  row->name = column_dup (stmt, 2);
  row->issuer = column_dup (stmt, 3);
  row->issued = column_time (stmt, 4);
  row->expires = column_time (stmt, 5);
  row->added = column_time (stmt, 6);
  row->checked = column_time (stmt, 7);
  row->verdict = verdict_from_text ((const char *)sqlite3_column_text (stmt, 8));
  return row;
}

static gboolean
load_rows (BwStore  *self,
           GError  **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  stmt = db_prepare (self->db, "SELECT " ROW_COLUMNS " FROM badges", error);
  if (stmt == NULL)
    return FALSE;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      Row *row = row_new_from_stmt (stmt);

      g_ptr_array_add (self->rows, row);
      g_hash_table_insert (self->by_id, row->wallet_id, row);
    }
  if (rc != SQLITE_DONE)
    return set_db_error (error, self->db, rc, _("reading the wallet"));
  return TRUE;
}

/* ------------------------------------------------------------------------- */
/* Badges: payloads, documents and their stored form                         */
/* ------------------------------------------------------------------------- */

static const char *
original_format (BwImageFormat  format,
                 BwPayloadKind  kind)
{
  if (format == BW_IMAGE_FORMAT_PNG)
    return "png";
  if (format == BW_IMAGE_FORMAT_SVG)
    return "svg";
  if (kind == BW_PAYLOAD_KIND_JSON)
    return "json";
  if (kind == BW_PAYLOAD_KIND_JWS || kind == BW_PAYLOAD_KIND_VC_JWT)
    return "jws";
  return "txt";
}

/* Reads the Open Badges payload of any original: a baked image, or a text
 * file holding badge JSON, a JWS or a hosted assertion URL. */
static BwPayload *
payload_from_bytes (GBytes         *data,
                    BwPayloadSource text_source,
                    GError        **error)
{
  gsize length;
  const char *text = g_bytes_get_data (data, &length);
  g_autofree char *trimmed = NULL;
  BwPayloadKind kind;

  if (bw_baked_sniff ((const guint8 *)text, length) != BW_IMAGE_FORMAT_NONE)
    return bw_baked_read_bytes (data, error);

  if (length == 0)
    {
      g_set_error_literal (error, BW_ERROR, BW_ERROR_NOT_A_BADGE, _("The file is empty"));
      return NULL;
    }
  if (length > BW_MAX_JSON_BYTES || !bw_utf8_validate_len (text, length))
    {
      g_set_error_literal (error, BW_ERROR, BW_ERROR_NOT_A_BADGE,
                           _("Not a PNG or SVG image, nor a text file with badge data"));
      return NULL;
    }

  trimmed = g_strstrip (g_strndup (text, length));
  kind = bw_payload_classify (trimmed);
  if (kind == BW_PAYLOAD_KIND_UNKNOWN)
    {
      g_set_error_literal (error, BW_ERROR, BW_ERROR_NOT_A_BADGE,
                           _("No Open Badges data: the text is neither badge JSON, "
                             "a signed badge (JWS) nor a badge URL"));
      return NULL;
    }
  return bw_payload_new (kind, text_source, trimmed);
}

static void
json_add_string_or_null (JsonBuilder *builder,
                         const char  *member,
                         const char  *value)
{
  json_builder_set_member_name (builder, member);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

/* The stored form of a badge: its payload and every referenced document
 * that was fetched, enough to rebuild the BwBadge with no file or network. */
static char *
badge_json_build (const BwPayload *payload,
                  JsonArray       *documents)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "payload");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "kind");
  json_builder_add_int_value (builder, payload->kind);
  json_builder_set_member_name (builder, "source");
  json_builder_add_int_value (builder, payload->source);
  json_builder_set_member_name (builder, "format");
  json_builder_add_int_value (builder, payload->format);
  json_add_string_or_null (builder, "keyword", payload->keyword);
  json_add_string_or_null (builder, "text", payload->text);
  json_add_string_or_null (builder, "svg_verify", payload->svg_verify);
  json_builder_set_member_name (builder, "ob3");
  json_builder_add_boolean_value (builder, payload->ob3);
  json_builder_set_member_name (builder, "offset");
  json_builder_add_int_value (builder, payload->offset);
  json_builder_set_member_name (builder, "warnings");
  json_builder_begin_array (builder);
  for (guint i = 0; payload->warnings != NULL && i < payload->warnings->len; i++)
    json_builder_add_string_value (builder, g_ptr_array_index (payload->warnings, i));
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "documents");
  if (documents != NULL)
    json_builder_add_value (builder, json_node_init_array (json_node_alloc (), documents));
  else
    {
      json_builder_begin_array (builder);
      json_builder_end_array (builder);
    }
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  return json_to_string (root, FALSE);
}

static void
document_add (JsonArray      *documents,
              BwDocumentKind  kind,
              const char     *url,
              JsonNode       *document)
{
  JsonObject *entry = json_object_new ();

  json_object_set_int_member (entry, "kind", kind);
  json_object_set_string_member (entry, "url", url);
  json_object_set_member (entry, "document", json_node_copy (document));
  json_array_add_object_element (documents, entry);
}

/* Resolves @badge's pending documents from a stored list of documents. */
static void
badge_resolve_documents (BwBadge   *badge,
                         JsonArray *documents)
{
  guint n = documents != NULL ? json_array_get_length (documents) : 0;

  for (guint i = 0; i < n; i++)
    {
      JsonObject *entry = json_array_get_object_element (documents, i);
      g_autoptr(GError) error = NULL;

      if (entry == NULL || !json_object_has_member (entry, "document"))
        continue;
      BwDocumentKind kind = json_object_get_int_member_with_default (entry, "kind", 0);

      if (!bw_badge_resolve (badge,
                             kind,
                             json_object_get_string_member_with_default (entry, "url", NULL),
                             json_object_get_member (entry, "document"),
                             &error))
        g_debug ("Stored document %u no longer resolves: %s", i, error->message);
    }
}

static BwBadge *
badge_from_stored_json (const char  *text,
                        GError     **error)
{
  g_autoptr(JsonNode) root = bw_json_parse (text, -1, error);
  g_autoptr(BwPayload) payload = NULL;
  JsonObject *object;
  JsonObject *p;
  JsonArray *warnings;
  BwBadge *badge;

  if (root == NULL)
    return NULL;
  object = JSON_NODE_HOLDS_OBJECT (root) ? json_node_get_object (root) : NULL;
  p = object != NULL && json_object_has_member (object, "payload")
      ? json_object_get_object_member (object, "payload") : NULL;
  if (p == NULL || bw_json_object_get_string (p, "text") == NULL)
    {
      g_set_error_literal (error, BW_ERROR, BW_ERROR_MALFORMED,
                           _("The stored badge has no payload"));
      return NULL;
    }

  payload = bw_payload_new (json_object_get_int_member_with_default (p, "kind", 0),
                            json_object_get_int_member_with_default (p, "source", 0),
                            bw_json_object_get_string (p, "text"));
  payload->format = (BwImageFormat)json_object_get_int_member_with_default (p, "format", 0);
  g_free (payload->keyword);
  payload->keyword = g_strdup (bw_json_object_get_string (p, "keyword"));
  g_free (payload->svg_verify);
  payload->svg_verify = g_strdup (bw_json_object_get_string (p, "svg_verify"));
  payload->ob3 = json_object_get_boolean_member_with_default (p, "ob3", FALSE);
  payload->offset = json_object_get_int_member_with_default (p, "offset", -1);
  warnings = json_object_has_member (p, "warnings")
             ? json_object_get_array_member (p, "warnings") : NULL;
  if (warnings != NULL && json_array_get_length (warnings) > 0)
    {
      if (payload->warnings == NULL)
        payload->warnings = g_ptr_array_new_with_free_func (g_free);
      for (guint i = 0; i < json_array_get_length (warnings); i++)
        g_ptr_array_add (payload->warnings,
                         g_strdup (json_array_get_string_element (warnings, i)));
    }

  badge = bw_badge_new_from_payload (payload, error);
  if (badge == NULL)
    return NULL;
  if (json_object_has_member (object, "documents"))
    badge_resolve_documents (badge, json_object_get_array_member (object, "documents"));
  return badge;
}

static char *
join_strv (const char * const *strv)
{
  if (strv == NULL || strv[0] == NULL)
    return NULL;
  return g_strjoinv ("\n", (char **)strv);
}

/* ------------------------------------------------------------------------- */
/* The model                                                                 */
/* ------------------------------------------------------------------------- */

/* Sorting ignores case and accents (“Émigré” sorts with “emigre”), then
 * follows the user's locale. */
static char *
collate_key (const char *text)
{
  g_autofree char *decomposed = NULL;
  g_autofree char *folded = NULL;
  GString *bare;

  if (text == NULL)
    return g_strdup ("");
  decomposed = g_utf8_normalize (text, -1, G_NORMALIZE_NFD);
  if (decomposed == NULL)
    return g_strdup ("");
  bare = g_string_sized_new (strlen (decomposed));
  for (const char *p = decomposed; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (!g_unichar_ismark (c))
        g_string_append_unichar (bare, c);
    }
  folded = g_utf8_casefold (bare->str, -1);
  g_string_free (bare, TRUE);
  return g_utf8_collate_key (folded, -1);
}

static int
compare_time_desc (gint64 a,
                   gint64 b)
{
  /* Unknown times sort last. */
  if (a == b)
    return 0;
  return a > b ? -1 : 1;
}

static int
compare_rows (gconstpointer a,
              gconstpointer b,
              gpointer      user_data)
{
  const Row *ra = *(const Row * const *)a;
  const Row *rb = *(const Row * const *)b;
  BwStoreSort sort = GPOINTER_TO_INT (user_data);
  int c = 0;

  switch (sort)
    {
    case BW_STORE_SORT_NAME:
      c = strcmp (ra->name_key, rb->name_key);
      break;
    case BW_STORE_SORT_ISSUER:
      c = strcmp (ra->issuer_key, rb->issuer_key);
      if (c == 0)
        c = strcmp (ra->name_key, rb->name_key);
      break;
    case BW_STORE_SORT_ISSUED:
      c = compare_time_desc (ra->issued, rb->issued);
      break;
    case BW_STORE_SORT_ADDED:
    default:
      break;
    }

  if (c == 0)
    c = compare_time_desc (ra->added, rb->added);
  if (c == 0)
    c = ra->rowid > rb->rowid ? -1 : (ra->rowid < rb->rowid ? 1 : 0);
  return c;
}

static gboolean
row_matches_filter (const Row     *row,
                    BwStoreFilter  filter,
                    gint64         now)
{
  switch (filter)
    {
    case BW_STORE_FILTER_VALID:
      return row->verdict == BW_VERDICT_VALID;
    case BW_STORE_FILTER_EXPIRING:
      return row->verdict == BW_VERDICT_VALID &&
             row->expires != G_MININT64 &&
             row->expires >= now &&
             row->expires <= now + EXPIRING_DAYS * (gint64)24 * 3600;
    case BW_STORE_FILTER_EXPIRED:
      return row->verdict == BW_VERDICT_EXPIRED;
    case BW_STORE_FILTER_REVOKED:
      return row->verdict == BW_VERDICT_REVOKED;
    case BW_STORE_FILTER_UNVERIFIED:
      /* Never checked, or the check could not reach the issuer. */
      return row->verdict < 0 || row->verdict == BW_VERDICT_UNREACHABLE;
    case BW_STORE_FILTER_ALL:
    default:
      return TRUE;
    }
}

/* Turns what the user typed into an FTS5 query: every word must appear,
 * each as a prefix, and nothing typed is read as query syntax. */
static char *
search_to_fts_query (const char *text)
{
  g_auto(GStrv) words = g_strsplit_set (text, " \t\n\r", -1);
  g_autoptr(GString) query = g_string_new (NULL);

  for (guint i = 0; words[i] != NULL; i++)
    {
      if (*words[i] == '\0')
        continue;
      if (query->len > 0)
        g_string_append_c (query, ' ');
      g_string_append_c (query, '"');
      for (const char *p = words[i]; *p; p++)
        {
          if (*p == '"')
            g_string_append (query, "\"\"");
          else
            g_string_append_c (query, *p);
        }
      g_string_append (query, "\"*");
    }

  if (query->len == 0)
    return NULL;
  return g_string_free (g_steal_pointer (&query), FALSE);
}

static void
update_search_hits (BwStore *self)
{
  g_autofree char *query = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GError) error = NULL;

  g_clear_pointer (&self->hits, g_hash_table_unref);
  if (self->search == NULL || (query = search_to_fts_query (self->search)) == NULL)
    return;

  self->hits = g_hash_table_new (g_direct_hash, g_direct_equal);
  stmt = db_prepare (self->db,
                     "SELECT rowid FROM badges_search WHERE badges_search MATCH ?1", &error);
  if (stmt == NULL)
    {
      g_warning ("Search failed: %s", error->message);
      return;
    }
  bind_text (stmt, 1, query);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_hash_table_add (self->hits, GSIZE_TO_POINTER ((gsize)sqlite3_column_int64 (stmt, 0)));
}

static GPtrArray *
build_visible (BwStore *self)
{
  GPtrArray *visible = g_ptr_array_sized_new (self->rows->len);
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  gboolean keys = self->sort == BW_STORE_SORT_NAME || self->sort == BW_STORE_SORT_ISSUER;

  for (guint i = 0; i < self->rows->len; i++)
    {
      Row *row = g_ptr_array_index (self->rows, i);

      if (row->pending_removal ||
          !row_matches_filter (row, self->filter, now) ||
          (self->hits != NULL &&
           !g_hash_table_contains (self->hits, GSIZE_TO_POINTER ((gsize)row->rowid))))
        continue;

      /* Collation keys are made on first use, so a wallet sorted by date
       * never pays for them. */
      if (keys && row->name_key == NULL)
        {
          row->name_key = collate_key (row->name);
          row->issuer_key = collate_key (row->issuer);
        }
      g_ptr_array_add (visible, row);
    }

  g_ptr_array_sort_with_data (visible, compare_rows, GINT_TO_POINTER (self->sort));
  return visible;
}

static void
ensure_visible (BwStore *self)
{
  if (!self->dirty)
    return;
  update_search_hits (self);
  g_clear_pointer (&self->visible, g_ptr_array_unref);
  self->visible = build_visible (self);
  self->dirty = FALSE;
}

/* Rebuilds the visible list and announces the change as one items-changed
 * covering the span between the unchanged head and tail. With nobody
 * listening (the command line, a batch import before the window binds the
 * model) the rebuild waits until the model is next read. */
static void
refresh_model (BwStore *self)
{
  g_autoptr(GPtrArray) old = NULL;
  guint prefix = 0;
  guint suffix = 0;
  guint old_n;
  guint new_n;

  if (!g_signal_has_handler_pending (self, items_changed_signal, 0, FALSE))
    {
      self->dirty = TRUE;
      return;
    }

  ensure_visible (self);
  update_search_hits (self);
  old = g_steal_pointer (&self->visible);
  self->visible = build_visible (self);

  old_n = old->len;
  new_n = self->visible->len;
  while (prefix < old_n && prefix < new_n &&
         g_ptr_array_index (old, prefix) == g_ptr_array_index (self->visible, prefix))
    prefix++;
  while (suffix < old_n - prefix && suffix < new_n - prefix &&
         g_ptr_array_index (old, old_n - 1 - suffix) ==
         g_ptr_array_index (self->visible, new_n - 1 - suffix))
    suffix++;

  if (old_n != new_n || prefix != old_n)
    g_list_model_items_changed (G_LIST_MODEL (self), prefix,
                                old_n - prefix - suffix,
                                new_n - prefix - suffix);
}

static void
row_apply_metadata (BwStore *self,
                    Row     *row,
                    BwBadge *badge)
{
  g_autoptr(GDateTime) added = g_date_time_new_from_unix_utc (row->added);
  g_autoptr(GDateTime) checked = NULL;
  g_autofree char *path = original_path (self, row->wallet_id);

  if (row->checked != G_MININT64)
    checked = g_date_time_new_from_unix_utc (row->checked);
  bw_badge_set_wallet_id (badge, row->wallet_id);
  bw_badge_set_added (badge, added);
  bw_badge_set_original_path (badge, path);
  bw_badge_set_last_verification (badge,
                                  row->verdict >= 0 ? bw_verdict_to_string (row->verdict) : NULL,
                                  checked);
}

static BwBadge *
row_get_badge (BwStore *self,
               Row     *row)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(BwBadge) badge = NULL;

  if (row->badge != NULL)
    return row->badge;

  stmt = db_prepare (self->db, "SELECT badge_json FROM badge_data WHERE rowid = ?1", &error);
  if (stmt != NULL)
    {
      sqlite3_bind_int64 (stmt, 1, row->rowid);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        badge = badge_from_stored_json ((const char *)sqlite3_column_text (stmt, 0), &error);
    }

  if (badge == NULL)
    {
      /* The stored form no longer parses (or the row went away under us):
       * the original is the truth, read it again. */
      g_autoptr(GBytes) original = NULL;
      g_autoptr(BwPayload) payload = NULL;
      g_autoptr(GError) local_error = NULL;

      original = bw_store_load_original (self, row->wallet_id, &local_error);
      if (original != NULL)
        payload = payload_from_bytes (original, BW_PAYLOAD_SOURCE_FILE, &local_error);
      if (payload != NULL)
        badge = bw_badge_new_from_payload (payload, &local_error);
      if (badge == NULL)
        {
          g_warning ("Badge %s cannot be rebuilt: %s", row->wallet_id,
                     local_error != NULL ? local_error->message : "");
          return NULL;
        }
    }

  row_apply_metadata (self, row, badge);
  row->badge = g_steal_pointer (&badge);
  return row->badge;
}

static GType
bw_store_get_item_type (GListModel *model)
{
  return BW_TYPE_BADGE;
}

static guint
bw_store_get_n_items (GListModel *model)
{
  BwStore *self = BW_STORE (model);

  ensure_visible (self);
  return self->visible->len;
}

static gpointer
bw_store_get_item (GListModel *model,
                   guint       position)
{
  BwStore *self = BW_STORE (model);
  BwBadge *badge;

  ensure_visible (self);
  if (position >= self->visible->len)
    return NULL;
  badge = row_get_badge (self, g_ptr_array_index (self->visible, position));
  return badge != NULL ? g_object_ref (badge) : NULL;
}

static void
bw_store_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = bw_store_get_item_type;
  iface->get_n_items = bw_store_get_n_items;
  iface->get_item = bw_store_get_item;
}

/* ------------------------------------------------------------------------- */
/* Network helpers: the store's API is synchronous, the fetcher's is not     */
/* ------------------------------------------------------------------------- */

static void
async_done_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static GAsyncResult *
wait_for_result (GAsyncResult **slot)
{
  g_autoptr(GMainContext) context = g_main_context_ref_thread_default ();

  while (*slot == NULL)
    g_main_context_iteration (context, TRUE);
  return *slot;
}

static BwFetchResult *
fetch_sync (BwStore       *self,
            const char    *url,
            BwFetchKind    kind,
            GCancellable  *cancellable,
            GError       **error)
{
  GAsyncResult *result = NULL;
  BwFetchResult *fetched;

  bw_fetcher_fetch_async (self->fetcher, url, kind, cancellable, async_done_cb, &result);
  fetched = bw_fetcher_fetch_finish (self->fetcher, wait_for_result (&result), error);
  g_object_unref (result);
  return fetched;
}

static BwReport *
verify_sync (BwStore       *self,
             BwBadge       *badge,
             GCancellable  *cancellable,
             GError       **error)
{
  GAsyncResult *result = NULL;
  BwReport *report;

  bw_verifier_verify_async (self->verifier, badge, cancellable, async_done_cb, &result);
  report = bw_verifier_verify_finish (self->verifier, wait_for_result (&result), error);
  g_object_unref (result);
  return report;
}

static gboolean
status_ok (guint status)
{
  return status >= 200 && status < 300;
}

/* Fetches what the badge still refers to (a hosted assertion, its badge
 * class, its issuer), best effort: a badge whose issuer is offline is still
 * the user's badge and is kept with what is known. */
static void
resolve_with_fetcher (BwStore      *self,
                      BwBadge      *badge,
                      JsonArray    *documents,
                      GCancellable *cancellable)
{
  if (self->fetcher == NULL)
    return;

  for (guint i = 0; i < MAX_RESOLVE && bw_badge_needs_fetch (badge); i++)
    {
      g_autoptr(BwFetchResult) fetched = NULL;
      g_autoptr(JsonNode) document = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *url = NULL;
      BwDocumentKind kind = BW_DOCUMENT_ASSERTION;
      const char *body;
      gsize length;

      url = bw_badge_dup_pending_url (badge, &kind);
      if (url == NULL)
        break;
      fetched = fetch_sync (self, url, BW_FETCH_DOCUMENT, cancellable, &error);
      /* A revoked hosted assertion answers 410 with a JSON body. */
      if (fetched == NULL || (!status_ok (fetched->status) && fetched->status != 410))
        break;
      body = g_bytes_get_data (fetched->body, &length);
      document = bw_json_parse (body != NULL ? body : "", (gssize)length, &error);
      if (document == NULL || !bw_badge_resolve (badge, kind, url, document, &error))
        break;
      document_add (documents, kind, url, document);
      if (!bw_store_cache_document (self, url, fetched->content_type, fetched->body, &error))
        g_debug ("Document %s not cached: %s", url, error->message);
    }
}

/* ------------------------------------------------------------------------- */
/* Import                                                                    */
/* ------------------------------------------------------------------------- */

typedef struct
{
  BwImportResult *result;
  Row            *row;          /* an added badge, shown once committed */
  char           *created_path; /* an original this batch wrote */
} Pending;

static void
pending_free (gpointer data)
{
  Pending *pending = data;

  g_clear_pointer (&pending->result, bw_import_result_free);
  g_clear_pointer (&pending->row, row_free);
  g_free (pending->created_path);
  g_free (pending);
}

typedef struct
{
  BwStore          *self;
  BwImportCallback  callback;
  gpointer          user_data;
  GCancellable     *cancellable;
  GPtrArray        *results;
  GPtrArray        *pending;
  gboolean          in_transaction;
  gint64            batch_started;
} Import;

static BwImportResult *
import_result_new (const char     *input,
                   BwImportStatus  status,
                   const char     *wallet_id,
                   const char     *message)
{
  BwImportResult *result = g_new0 (BwImportResult, 1);

  result->input = g_strdup (input);
  result->status = status;
  result->wallet_id = g_strdup (wallet_id);
  result->message = g_strdup (message);
  return result;
}

static void
import_deliver (Import         *imp,
                BwImportResult *result)
{
  if (imp->callback != NULL)
    imp->callback (imp->self, result, imp->user_data);
  g_ptr_array_add (imp->results, result);
}

static void
import_queue (Import         *imp,
              BwImportResult *result,
              Row            *row,
              char           *created_path)
{
  Pending *pending = g_new0 (Pending, 1);

  pending->result = result;
  pending->row = row;
  pending->created_path = created_path;
  g_ptr_array_add (imp->pending, pending);

  /* Nothing waits on a batch with nothing to commit. */
  if (!imp->in_transaction && row == NULL)
    {
      for (guint i = 0; i < imp->pending->len; i++)
        {
          Pending *p = g_ptr_array_index (imp->pending, i);

          import_deliver (imp, g_steal_pointer (&p->result));
        }
      g_ptr_array_set_size (imp->pending, 0);
    }
}

/* Undoes the open batch: the transaction and the originals it created.
 * Its results, and duplicates that pointed at them, become failures. */
static void
import_rollback (Import       *imp,
                 const GError *error)
{
  g_autoptr(GHashTable) lost = g_hash_table_new (g_str_hash, g_str_equal);

  db_rollback (imp->self->db);
  imp->in_transaction = FALSE;

  for (guint i = 0; i < imp->pending->len; i++)
    {
      Pending *p = g_ptr_array_index (imp->pending, i);

      if (p->created_path != NULL)
        g_unlink (p->created_path);
      if (p->result->status == BW_IMPORT_ADDED)
        g_hash_table_add (lost, p->result->wallet_id);
    }

  for (guint i = 0; i < imp->pending->len; i++)
    {
      BwImportResult *result = ((Pending *)g_ptr_array_index (imp->pending, i))->result;

      if (result->wallet_id != NULL && g_hash_table_contains (lost, result->wallet_id))
        {
          result->status = BW_IMPORT_FAILED;
          g_free (result->message);
          result->message = g_strdup (error->message);
        }
    }
  g_hash_table_remove_all (lost);

  for (guint i = 0; i < imp->pending->len; i++)
    {
      Pending *p = g_ptr_array_index (imp->pending, i);

      g_clear_pointer (&p->row, row_free);
      import_deliver (imp, g_steal_pointer (&p->result));
    }
  g_ptr_array_set_size (imp->pending, 0);
}

/* Commits the open batch, then shows its badges and reports its results:
 * a result is reported only once it would survive a crash. */
static gboolean
import_flush (Import  *imp,
              GError **error)
{
  BwStore *self = imp->self;
  gboolean added = FALSE;

  if (imp->in_transaction)
    {
      int rc;

      /* The originals reach the disk before the rows that point at them. */
      if (!sync_filesystem (self->originals_dir, error))
        {
          import_rollback (imp, *error);
          return FALSE;
        }

      rc = sqlite3_exec (self->db, "COMMIT", NULL, NULL, NULL);
      if (rc != SQLITE_OK)
        {
          set_db_error (error, self->db, rc, _("saving the imported badges"));
          import_rollback (imp, *error);
          return FALSE;
        }
      imp->in_transaction = FALSE;
    }

  for (guint i = 0; i < imp->pending->len; i++)
    {
      Pending *p = g_ptr_array_index (imp->pending, i);

      if (p->row != NULL)
        {
          Row *row = g_steal_pointer (&p->row);

          g_ptr_array_add (self->rows, row);
          g_hash_table_insert (self->by_id, row->wallet_id, row);
          added = TRUE;
        }
    }
  if (added)
    refresh_model (self);

  for (guint i = 0; i < imp->pending->len; i++)
    {
      Pending *p = g_ptr_array_index (imp->pending, i);

      import_deliver (imp, g_steal_pointer (&p->result));
    }
  g_ptr_array_set_size (imp->pending, 0);
  return TRUE;
}

static char *
lookup_existing (BwStore    *self,
                 StmtId      id,
                 const char *value)
{
  sqlite3_stmt *stmt;
  char *found = NULL;

  if (value == NULL || (stmt = store_stmt (self, id, NULL)) == NULL)
    return NULL;
  bind_text (stmt, 1, value);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    found = column_dup (stmt, 0);
  sqlite3_reset (stmt);
  return found;
}

typedef struct
{
  gint64  added;
  char   *note;
  char   *report;
  char   *verdict;
  gint64  checked;
} Metadata;

static void
metadata_clear (Metadata *meta)
{
  g_clear_pointer (&meta->note, g_free);
  g_clear_pointer (&meta->report, g_free);
  g_clear_pointer (&meta->verdict, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Metadata, metadata_clear)

static gint64
parse_time (const char *text)
{
  g_autoptr(GDateTime) time = bw_parse_datetime (text, FALSE);

  return time != NULL ? g_date_time_to_unix (time) : G_MININT64;
}

/* Reads what an export's manifest entry says about one original, when it
 * is about this original. */
static void
metadata_from_manifest (Metadata   *meta,
                        JsonObject *entry,
                        const char *wallet_id)
{
  JsonNode *report;

  if (entry == NULL || g_strcmp0 (bw_json_object_get_string (entry, "id"), wallet_id) != 0)
    return;

  if (bw_json_object_get_string (entry, "added") != NULL)
    meta->added = parse_time (bw_json_object_get_string (entry, "added"));
  meta->note = g_strdup (bw_json_object_get_string (entry, "note"));
  report = json_object_get_member (entry, "report");
  if (report != NULL && JSON_NODE_HOLDS_OBJECT (report))
    {
      meta->report = json_to_string (report, FALSE);
      meta->verdict = g_strdup (bw_json_object_get_string (entry, "verdict"));
      if (meta->verdict == NULL)
        meta->verdict = g_strdup (bw_json_object_get_string (json_node_get_object (report),
                                                             "verdict"));
      meta->checked = parse_time (bw_json_object_get_string (entry, "checked"));
    }
}

static gboolean
import_begin (Import  *imp,
              GError **error)
{
  if (imp->in_transaction)
    return TRUE;
  if (!db_exec (imp->self->db, "BEGIN IMMEDIATE", _("starting an import"), error))
    return FALSE;
  imp->in_transaction = TRUE;
  imp->batch_started = g_get_monotonic_time ();
  return TRUE;
}

static gboolean
insert_badge (BwStore         *self,
              const char      *wallet_id,
              const char      *input_name,
              GBytes          *original,
              const BwPayload *payload,
              BwBadge         *badge,
              JsonArray       *documents,
              const Metadata  *meta,
              gint64          *rowid,
              GError         **error)
{
  sqlite3_stmt *stmt;
  sqlite3_stmt *data;
  sqlite3_stmt *fts;
  g_autofree char *badge_json = badge_json_build (payload, documents);
  g_autofree char *tags = join_strv (bw_badge_get_tags (badge));
  g_autofree char *skills = join_strv (bw_badge_get_skills (badge));
  const char *issuer = bw_badge_get_issuer_name (badge);
  int rc;

  stmt = store_stmt (self, STMT_INSERT_BADGE, error);
  if (stmt == NULL)
    return FALSE;

  bind_text (stmt, 1, wallet_id);
  bind_text (stmt, 2, bw_badge_get_id (badge));
  bind_text (stmt, 3, original_format (payload->format, payload->kind));
  sqlite3_bind_int64 (stmt, 4, (sqlite3_int64)g_bytes_get_size (original));
  bind_text (stmt, 5, bw_badge_get_name (badge));
  bind_text (stmt, 6, issuer);
  bind_time (stmt, 7, bw_badge_get_issued (badge));
  bind_time (stmt, 8, bw_badge_get_expires (badge));
  sqlite3_bind_int64 (stmt, 9, meta->added);
  bind_text (stmt, 10, meta->verdict);
  if (meta->checked != G_MININT64)
    sqlite3_bind_int64 (stmt, 11, meta->checked);

  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return set_db_error (error, self->db, rc, _("adding a badge"));
  *rowid = sqlite3_last_insert_rowid (self->db);

  data = store_stmt (self, STMT_INSERT_DATA, error);
  if (data == NULL)
    return FALSE;
  sqlite3_bind_int64 (data, 1, *rowid);
  bind_text (data, 2, input_name);
  bind_text (data, 3, bw_spec_version_to_string (bw_badge_get_spec (badge)));
  bind_text (data, 4, bw_badge_get_description (badge));
  bind_text (data, 5, bw_badge_get_issuer_id (badge));
  bind_text (data, 6, bw_badge_get_image (badge));
  bind_text (data, 7, tags);
  bind_text (data, 8, skills);
  bind_text (data, 9, badge_json);
  bind_text (data, 10, meta->note);
  bind_text (data, 11, meta->report);
  rc = sqlite3_step (data);
  sqlite3_reset (data);
  if (rc != SQLITE_DONE)
    return set_db_error (error, self->db, rc, _("adding a badge"));

  fts = store_stmt (self, STMT_INSERT_SEARCH, error);
  if (fts == NULL)
    return FALSE;
  sqlite3_bind_int64 (fts, 1, *rowid);
  bind_text (fts, 2, bw_badge_get_name (badge));
  bind_text (fts, 3, bw_badge_get_description (badge));
  bind_text (fts, 4, issuer != NULL ? issuer : bw_badge_get_issuer_id (badge));
  bind_text (fts, 5, tags);
  bind_text (fts, 6, skills);
  rc = sqlite3_step (fts);
  sqlite3_reset (fts);
  if (rc != SQLITE_DONE)
    return set_db_error (error, self->db, rc, _("indexing a badge for search"));
  return TRUE;
}

/* Adds one original. Returns FALSE only when the wallet could not be
 * written (the batch is then rolled back); every other outcome, a badge or
 * not, is a queued result. */
static gboolean
import_original (Import     *imp,
                 GBytes     *original,
                 const char *input_name,
                 JsonObject *manifest_entry,
                 JsonArray  *given_documents,
                 gint64      added,
                 GError    **error)
{
  BwStore *self = imp->self;
  g_autofree char *wallet_id = NULL;
  g_autofree char *existing = NULL;
  g_autofree char *created_path = NULL;
  g_autoptr(BwPayload) payload = NULL;
  g_autoptr(BwBadge) badge = NULL;
  g_autoptr(JsonArray) documents = NULL;
  g_autoptr(GError) local_error = NULL;
  g_auto(Metadata) meta = { G_MININT64, NULL, NULL, NULL, G_MININT64 };
  gboolean created = FALSE;
  gint64 rowid = 0;
  Row *row;

  wallet_id = bw_sha256_hex (g_bytes_get_data (original, NULL), g_bytes_get_size (original));
  existing = lookup_existing (self, STMT_FIND_WALLET_ID, wallet_id);
  if (existing != NULL)
    {
      import_queue (imp, import_result_new (input_name, BW_IMPORT_ALREADY_PRESENT, existing, NULL),
                    NULL, NULL);
      return TRUE;
    }

  payload = payload_from_bytes (original, BW_PAYLOAD_SOURCE_FILE, &local_error);
  if (payload != NULL)
    badge = bw_badge_new_from_payload (payload, &local_error);
  if (badge == NULL)
    {
      import_queue (imp, import_result_new (input_name, BW_IMPORT_NOT_A_BADGE, NULL,
                                            local_error->message),
                    NULL, NULL);
      return TRUE;
    }

  documents = json_array_new ();
  if (manifest_entry != NULL &&
      g_strcmp0 (bw_json_object_get_string (manifest_entry, "id"), wallet_id) == 0 &&
      json_object_has_member (manifest_entry, "documents"))
    given_documents = json_object_get_array_member (manifest_entry, "documents");
  if (given_documents != NULL)
    {
      badge_resolve_documents (badge, given_documents);
      for (guint i = 0; i < json_array_get_length (given_documents); i++)
        json_array_add_element (documents,
                                json_node_copy (json_array_get_element (given_documents, i)));
    }
  resolve_with_fetcher (self, badge, documents, imp->cancellable);

  existing = lookup_existing (self, STMT_FIND_ASSERTION_ID, bw_badge_get_id (badge));
  if (existing != NULL)
    {
      import_queue (imp, import_result_new (input_name, BW_IMPORT_ALREADY_PRESENT, existing, NULL),
                    NULL, NULL);
      return TRUE;
    }

  meta.added = added != G_MININT64 ? added : g_get_real_time () / G_USEC_PER_SEC;
  metadata_from_manifest (&meta, manifest_entry, wallet_id);
  if (meta.report == NULL && self->verifier != NULL)
    {
      g_autoptr(BwReport) report = verify_sync (self, badge, imp->cancellable, &local_error);

      if (report != NULL)
        {
          meta.report = bw_report_to_json_string (report);
          meta.verdict = g_strdup (bw_verdict_to_string (bw_report_get_verdict (report)));
          meta.checked = bw_report_get_checked (report) != NULL
                         ? g_date_time_to_unix (bw_report_get_checked (report))
                         : g_get_real_time () / G_USEC_PER_SEC;
        }
      else
        g_debug ("Verification on import failed: %s", local_error->message);
    }

  if (!import_begin (imp, error))
    return FALSE;

  if (!store_blob (self->originals_dir, wallet_id, original, FALSE, &created, error))
    {
      import_queue (imp, import_result_new (input_name, BW_IMPORT_ADDED, wallet_id, NULL),
                    NULL, NULL);
      return FALSE;
    }
  if (created)
    created_path = original_path (self, wallet_id);

  if (!insert_badge (self, wallet_id, input_name, original, payload, badge, documents, &meta,
                     &rowid, error))
    {
      /* The original is taken back by the rollback, like the batch's others. */
      import_queue (imp, import_result_new (input_name, BW_IMPORT_ADDED, wallet_id, NULL),
                    NULL, g_steal_pointer (&created_path));
      return FALSE;
    }

  row = g_new0 (Row, 1);
  row->rowid = rowid;
  row->wallet_id = g_strdup (wallet_id);
  row->name = g_strdup (bw_badge_get_name (badge));
  row->issuer = g_strdup (bw_badge_get_issuer_name (badge));
  row->issued = bw_badge_get_issued (badge) != NULL
                ? g_date_time_to_unix (bw_badge_get_issued (badge)) : G_MININT64;
  row->expires = bw_badge_get_expires (badge) != NULL
                 ? g_date_time_to_unix (bw_badge_get_expires (badge)) : G_MININT64;
  row->added = meta.added;
  row->checked = meta.checked;
  row->verdict = verdict_from_text (meta.verdict);

  import_queue (imp, import_result_new (input_name, BW_IMPORT_ADDED, wallet_id, NULL),
                row, g_steal_pointer (&created_path));

  if (imp->pending->len >= self->batch_size ||
      g_get_monotonic_time () - imp->batch_started > G_USEC_PER_SEC / 2)
    return import_flush (imp, error);
  return TRUE;
}

static gboolean
is_url (const char *input)
{
  return g_str_has_prefix (input, "http://") || g_str_has_prefix (input, "https://");
}

static GBytes *
read_input_file (const char  *path,
                 GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *contents = NULL;
  GStatBuf st;
  gsize length;

  if (g_stat (path, &st) == 0 && st.st_size > MAX_ORIGINAL)
    {
      g_set_error (error, BW_ERROR, BW_ERROR_TOO_LARGE,
                   _("The file is %" G_GINT64_FORMAT " bytes, more than any badge can be (%d)"),
                   (gint64)st.st_size, MAX_ORIGINAL);
      return NULL;
    }
  if (!g_file_get_contents (path, &contents, &length, &local_error))
    {
      g_set_error_literal (error, BW_ERROR, BW_ERROR_IO, local_error->message);
      return NULL;
    }
  return g_bytes_new_take (g_steal_pointer (&contents), length);
}

static GBytes *
read_stdin (GError **error)
{
  g_autoptr(GByteArray) data = g_byte_array_new ();
  guint8 buffer[65536];

  for (;;)
    {
      gssize n = read (STDIN_FILENO, buffer, sizeof buffer);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          g_set_error (error, BW_ERROR, BW_ERROR_IO, _("Could not read standard input: %s"),
                       g_strerror (errno));
          return NULL;
        }
      if (n == 0)
        break;
      if (data->len + (gsize)n > MAX_ORIGINAL)
        {
          g_set_error (error, BW_ERROR, BW_ERROR_TOO_LARGE,
                       _("Standard input holds more than any badge can be (%d bytes)"),
                       MAX_ORIGINAL);
          return NULL;
        }
      g_byte_array_append (data, buffer, (guint)n);
    }

  return g_byte_array_free_to_bytes (g_steal_pointer (&data));
}

static gboolean
import_file (Import     *imp,
             const char *path,
             JsonObject *manifest_entry,
             GError    **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GBytes) data = read_input_file (path, &local_error);

  if (data == NULL)
    {
      import_queue (imp, import_result_new (path, BW_IMPORT_FAILED, NULL, local_error->message),
                    NULL, NULL);
      return TRUE;
    }
  return import_original (imp, data, path, manifest_entry, NULL, G_MININT64, error);
}

static GBytes *
decode_data_uri (const char *uri)
{
  const char *comma = strchr (uri, ',');
  g_autofree char *unescaped = NULL;
  gsize length = 0;
  guchar *decoded;

  if (comma == NULL)
    return NULL;
  if (g_strstr_len (uri, comma - uri, ";base64") != NULL)
    {
      decoded = g_base64_decode (comma + 1, &length);
      return g_bytes_new_take (decoded, length);
    }
  unescaped = g_uri_unescape_string (comma + 1, NULL);
  if (unescaped == NULL)
    return NULL;
  length = strlen (unescaped);
  return g_bytes_new_take (g_steal_pointer (&unescaped), length);
}

/* A badge fetched from the web has no image of its own: the badge image is
 * fetched and the badge baked into it, so the wallet can show it and hand
 * it out as a baked badge. */
static GBytes *
bake_fetched_badge (BwStore         *self,
                    BwBadge         *badge,
                    const BwPayload *payload,
                    GCancellable    *cancellable)
{
  g_autoptr(BwFetchResult) fetched = NULL;
  g_autoptr(GBytes) image = NULL;
  g_autoptr(GError) error = NULL;
  const char *image_url = bw_badge_get_image (badge);
  gboolean ob3 = bw_badge_get_spec (badge) == BW_SPEC_3_0;
  gboolean jws = payload->kind == BW_PAYLOAD_KIND_JWS || payload->kind == BW_PAYLOAD_KIND_VC_JWT;
  const char *text = payload->text;
  GBytes *baked = NULL;
  gsize length;
  const guint8 *data;

  if (image_url == NULL || payload->kind == BW_PAYLOAD_KIND_URL)
    return NULL;

  if (g_str_has_prefix (image_url, "data:"))
    image = decode_data_uri (image_url);
  else
    {
      fetched = fetch_sync (self, image_url, BW_FETCH_IMAGE, cancellable, &error);
      if (fetched != NULL && status_ok (fetched->status))
        image = g_bytes_ref (fetched->body);
    }
  if (image == NULL)
    return NULL;

  data = g_bytes_get_data (image, &length);
  switch (bw_baked_sniff (data, length))
    {
    case BW_IMAGE_FORMAT_PNG:
      baked = bw_baked_bake_png (image, ob3 ? "openbadgecredential" : "openbadges", text, &error);
      break;
    case BW_IMAGE_FORMAT_SVG:
      if (jws)
        baked = bw_baked_bake_svg (image, ob3, text, NULL, &error);
      else
        baked = bw_baked_bake_svg (image, ob3, ob3 ? NULL : bw_badge_get_id (badge), text, &error);
      break;
    case BW_IMAGE_FORMAT_NONE:
    default:
      break;
    }
  if (baked == NULL && error != NULL)
    g_debug ("Badge image %s not baked: %s", image_url, error->message);
  return baked;
}

static gboolean
import_url (Import     *imp,
            const char *url,
            GError    **error)
{
  BwStore *self = imp->self;
  g_autoptr(BwFetchResult) fetched = NULL;
  g_autoptr(BwPayload) payload = NULL;
  g_autoptr(BwBadge) badge = NULL;
  g_autoptr(JsonArray) documents = NULL;
  g_autoptr(GBytes) baked = NULL;
  g_autoptr(GError) local_error = NULL;
  const guint8 *data;
  gsize length;

  if (self->fetcher == NULL)
    {
      import_queue (imp, import_result_new (url, BW_IMPORT_FAILED, NULL,
                                            _("Badges cannot be fetched from the web here")),
                    NULL, NULL);
      return TRUE;
    }

  fetched = fetch_sync (self, url, BW_FETCH_ANY, imp->cancellable, &local_error);
  if (fetched == NULL)
    {
      import_queue (imp, import_result_new (url, BW_IMPORT_FAILED, NULL, local_error->message),
                    NULL, NULL);
      return TRUE;
    }
  if (!status_ok (fetched->status))
    {
      g_autofree char *message = g_strdup_printf (_("The server answered with HTTP status %u"),
                                                  fetched->status);

      import_queue (imp, import_result_new (url, BW_IMPORT_FAILED, NULL, message), NULL, NULL);
      return TRUE;
    }

  data = g_bytes_get_data (fetched->body, &length);
  if (bw_baked_sniff (data, length) != BW_IMAGE_FORMAT_NONE)
    return import_original (imp, fetched->body, url, NULL, NULL, G_MININT64, error);

  payload = payload_from_bytes (fetched->body, BW_PAYLOAD_SOURCE_URL, &local_error);
  if (payload != NULL)
    badge = bw_badge_new_from_payload (payload, &local_error);
  if (badge == NULL)
    {
      import_queue (imp, import_result_new (url, BW_IMPORT_NOT_A_BADGE, NULL, local_error->message),
                    NULL, NULL);
      return TRUE;
    }

  documents = json_array_new ();
  resolve_with_fetcher (self, badge, documents, imp->cancellable);
  baked = bake_fetched_badge (self, badge, payload, imp->cancellable);

  return import_original (imp, baked != NULL ? baked : fetched->body, url, NULL, documents,
                          G_MININT64, error);
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char * const *)a, *(const char * const *)b);
}

/* Reads an export's manifest.json into a map from file name to entry. */
static GHashTable *
read_manifest (const char *directory,
               JsonNode  **root_out)
{
  g_autofree char *path = g_build_filename (directory, MANIFEST_NAME, NULL);
  g_autofree char *contents = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  GHashTable *entries;
  JsonObject *object;
  JsonArray *badges;
  gsize length;

  if (!g_file_get_contents (path, &contents, &length, NULL))
    return NULL;
  root = bw_json_parse (contents, (gssize)length, &error);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return NULL;
  object = json_node_get_object (root);
  if (g_strcmp0 (bw_json_object_get_string (object, "format"), "badge-wallet-export") != 0 ||
      !json_object_has_member (object, "badges"))
    return NULL;
  badges = json_object_get_array_member (object, "badges");
  if (badges == NULL)
    return NULL;

  entries = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < json_array_get_length (badges); i++)
    {
      JsonObject *entry = json_array_get_object_element (badges, i);
      const char *file = entry != NULL ? bw_json_object_get_string (entry, "file") : NULL;

      if (file != NULL)
        g_hash_table_insert (entries, (gpointer)file, entry);
    }
  *root_out = g_steal_pointer (&root);
  return entries;
}

static gboolean
import_directory (Import     *imp,
                  const char *directory,
                  gboolean    top,
                  GError    **error)
{
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GHashTable) manifest = NULL;
  g_autoptr(JsonNode) manifest_root = NULL;
  g_autoptr(GError) local_error = NULL;
  const char *name;

  dir = g_dir_open (directory, 0, &local_error);
  if (dir == NULL)
    {
      import_queue (imp,
                    import_result_new (directory, BW_IMPORT_FAILED, NULL, local_error->message),
                    NULL, NULL);
      return TRUE;
    }

  /* A folder made by export carries the wallet's own data with it. */
  if (top)
    manifest = read_manifest (directory, &manifest_root);

  while ((name = g_dir_read_name (dir)) != NULL)
    {
      /* Hidden files are the system's (.DS_Store, editors' backups). */
      if (name[0] == '.')
        continue;
      if (manifest != NULL && g_str_equal (name, MANIFEST_NAME))
        continue;
      g_ptr_array_add (names, g_strdup (name));
    }
  g_ptr_array_sort (names, compare_names);

  for (guint i = 0; i < names->len; i++)
    {
      const char *entry_name = g_ptr_array_index (names, i);
      g_autofree char *path = g_build_filename (directory, entry_name, NULL);
      GStatBuf st;

      if (g_cancellable_set_error_if_cancelled (imp->cancellable, error))
        return FALSE;
      /* Symbolic links to folders are not followed, so a loop cannot
       * make an import endless. */
      if (g_lstat (path, &st) != 0)
        continue;
      if (S_ISDIR (st.st_mode))
        {
          if (!import_directory (imp, path, FALSE, error))
            return FALSE;
        }
      else if (S_ISREG (st.st_mode) || (S_ISLNK (st.st_mode) &&
                                        g_file_test (path, G_FILE_TEST_IS_REGULAR)))
        {
          JsonObject *entry = manifest != NULL ? g_hash_table_lookup (manifest, entry_name) : NULL;

          if (!import_file (imp, path, entry, error))
            return FALSE;
        }
    }

  return TRUE;
}

static gboolean
import_input (Import     *imp,
              const char *input,
              GError    **error)
{
  g_autoptr(GError) local_error = NULL;

  if (g_str_equal (input, "-"))
    {
      g_autoptr(GBytes) data = read_stdin (&local_error);

      if (data == NULL)
        {
          import_queue (imp,
                        import_result_new (input, BW_IMPORT_FAILED, NULL, local_error->message),
                        NULL, NULL);
          return TRUE;
        }
      return import_original (imp, data, input, NULL, NULL, G_MININT64, error);
    }

  if (is_url (input))
    return import_url (imp, input, error);

  if (g_file_test (input, G_FILE_TEST_IS_DIR))
    return import_directory (imp, input, TRUE, error);

  if (!g_file_test (input, G_FILE_TEST_EXISTS))
    {
      import_queue (imp, import_result_new (input, BW_IMPORT_FAILED, NULL,
                                            _("No such file or folder")),
                    NULL, NULL);
      return TRUE;
    }

  return import_file (imp, input, NULL, error);
}

/* ------------------------------------------------------------------------- */
/* Import results                                                            */
/* ------------------------------------------------------------------------- */

void
bw_import_result_free (BwImportResult *result)
{
  if (result == NULL)
    return;
  g_free (result->input);
  g_free (result->wallet_id);
  g_free (result->message);
  g_free (result);
}

/**
 * bw_import_status_to_string:
 *
 * Returns: a stable machine-readable name: `added`, `already-present`,
 *   `not-a-badge` or `failed`
 */
const char *
bw_import_status_to_string (BwImportStatus status)
{
  switch (status)
    {
    case BW_IMPORT_ADDED:
      return "added";
    case BW_IMPORT_ALREADY_PRESENT:
      return "already-present";
    case BW_IMPORT_NOT_A_BADGE:
      return "not-a-badge";
    case BW_IMPORT_FAILED:
    default:
      return "failed";
    }
}

/**
 * bw_store_import_paths_full:
 * @self: a #BwStore
 * @paths: files, folders (taken recursively), http(s) URLs, or `-` for
 *   standard input
 * @callback: (nullable): told each result, in input order, once it is durable
 * @user_data: for @callback
 * @cancellable: (nullable): stops between inputs
 * @error: set when the wallet could not be written or the import was cancelled
 *
 * Imports in batches, each one transaction. When the wallet cannot be
 * written the batch in progress is rolled back, its originals removed, its
 * results reported as failed, and the import stops with @error.
 *
 * Returns: (transfer container) (element-type BwImportResult) (nullable):
 *   one result per input file or URL
 */
GPtrArray *
bw_store_import_paths_full (BwStore             *self,
                            const char * const  *paths,
                            BwImportCallback     callback,
                            gpointer             user_data,
                            GCancellable        *cancellable,
                            GError             **error)
{
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(GPtrArray) pending = NULL;
  Import imp = { 0 };

  g_return_val_if_fail (BW_IS_STORE (self), NULL);
  g_return_val_if_fail (paths != NULL, NULL);

  results = g_ptr_array_new_with_free_func ((GDestroyNotify)bw_import_result_free);
  pending = g_ptr_array_new_with_free_func (pending_free);
  imp.self = self;
  imp.callback = callback;
  imp.user_data = user_data;
  imp.cancellable = cancellable;
  imp.results = results;
  imp.pending = pending;

  for (guint i = 0; paths[i] != NULL; i++)
    {
      if (g_cancellable_set_error_if_cancelled (cancellable, error) ||
          !import_input (&imp, paths[i], error))
        {
          import_rollback (&imp, *error);
          return NULL;
        }
    }

  if (!import_flush (&imp, error))
    return NULL;
  return g_steal_pointer (&results);
}

/**
 * bw_store_import_paths:
 *
 * bw_store_import_paths_full() without a callback.
 *
 * Returns: (transfer container) (element-type BwImportResult) (nullable): the results
 */
GPtrArray *
bw_store_import_paths (BwStore             *self,
                       const char * const  *paths,
                       GCancellable        *cancellable,
                       GError             **error)
{
  g_return_val_if_fail (BW_IS_STORE (self), NULL);

  return bw_store_import_paths_full (self, paths, NULL, NULL, cancellable, error);
}

/**
 * bw_store_add_bytes:
 * @self: a #BwStore
 * @original: the file as it was given (a baked image, JSON or a JWS)
 * @input_name: (nullable): where it came from, for the result
 * @error: set when the wallet could not be written; it is then unchanged
 *
 * Returns: (transfer full) (nullable): the result
 */
BwImportResult *
bw_store_add_bytes (BwStore     *self,
                    GBytes      *original,
                    const char  *input_name,
                    GError     **error)
{
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(GPtrArray) pending = NULL;
  Import imp = { 0 };

  g_return_val_if_fail (BW_IS_STORE (self), NULL);
  g_return_val_if_fail (original != NULL, NULL);

  results = g_ptr_array_new_with_free_func ((GDestroyNotify)bw_import_result_free);
  pending = g_ptr_array_new_with_free_func (pending_free);
  imp.self = self;
  imp.results = results;
  imp.pending = pending;

  if (!import_original (&imp, original, input_name, NULL, NULL, G_MININT64, error))
    {
      import_rollback (&imp, *error);
      return NULL;
    }
  if (!import_flush (&imp, error))
    return NULL;

  g_assert (results->len == 1);
  return g_ptr_array_steal_index (results, 0);
}

/* ------------------------------------------------------------------------- */
/* Opening and recovery                                                      */
/* ------------------------------------------------------------------------- */

static gboolean
is_wallet_id (const char *name)
{
  if (strlen (name) != 64)
    return FALSE;
  for (const char *p = name; *p; p++)
    if (!g_ascii_isxdigit (*p) || g_ascii_isupper (*p))
      return FALSE;
  return TRUE;
}

static gboolean
originals_exist (BwStore *self)
{
  g_autoptr(GDir) dir = g_dir_open (self->originals_dir, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *sub = g_build_filename (self->originals_dir, name, NULL);
      g_autoptr(GDir) subdir = g_dir_open (sub, 0, NULL);
      const char *entry;

      while (subdir != NULL && (entry = g_dir_read_name (subdir)) != NULL)
        if (is_wallet_id (entry))
          return TRUE;
    }
  return FALSE;
}

/* Rebuilds the index from the originals, the wallet's truth. What only the
 * database knew (notes, reports) is lost; the added date falls back to the
 * time the original was written. */
static gboolean
rebuild_from_originals (BwStore  *self,
                        guint    *n_badges,
                        guint    *n_damaged,
                        GError  **error)
{
  g_autoptr(GDir) dir = g_dir_open (self->originals_dir, 0, NULL);
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(GPtrArray) pending = g_ptr_array_new_with_free_func (pending_free);
  g_autoptr(BwFetcher) fetcher = g_steal_pointer (&self->fetcher);
  g_autoptr(BwVerifier) verifier = g_steal_pointer (&self->verifier);
  Import imp = { 0 };
  const char *name;
  gboolean ok = TRUE;

  results = g_ptr_array_new_with_free_func ((GDestroyNotify)bw_import_result_free);
  *n_badges = 0;
  *n_damaged = 0;
  imp.self = self;
  imp.results = results;
  imp.pending = pending;

  while (ok && dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *sub = g_build_filename (self->originals_dir, name, NULL);
      g_autoptr(GDir) subdir = g_dir_open (sub, 0, NULL);
      const char *entry;

      while (ok && subdir != NULL && (entry = g_dir_read_name (subdir)) != NULL)
        {
          g_autofree char *path = g_build_filename (sub, entry, NULL);
          g_autoptr(GBytes) data = NULL;
          g_autofree char *hash = NULL;
          GStatBuf st;

          if (!is_wallet_id (entry))
            continue;
          data = read_input_file (path, NULL);
          if (data != NULL)
            hash = bw_sha256_hex (g_bytes_get_data (data, NULL), g_bytes_get_size (data));
          if (data == NULL || g_strcmp0 (hash, entry) != 0)
            {
              (*n_damaged)++;
              continue;
            }
          /* The added date is the original's own write time. */
          ok = import_original (&imp, data, path, NULL, NULL,
                                g_stat (path, &st) == 0 ? (gint64)st.st_mtime : G_MININT64,
                                error);
        }
    }

  if (ok)
    ok = import_flush (&imp, error);
  else
    import_rollback (&imp, *error);

  self->fetcher = g_steal_pointer (&fetcher);
  self->verifier = g_steal_pointer (&verifier);
  if (!ok)
    return FALSE;

  for (guint i = 0; i < results->len; i++)
    {
      BwImportResult *result = g_ptr_array_index (results, i);

      if (result->status == BW_IMPORT_ADDED)
        (*n_badges)++;
      else if (result->status != BW_IMPORT_ALREADY_PRESENT)
        (*n_damaged)++;
    }
  return TRUE;
}

static gboolean
move_aside (const char  *db_path,
            char       **moved_to,
            GError     **error)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *stamp = g_date_time_format (now, "%Y%m%dT%H%M%SZ");
  g_autofree char *target = g_strdup_printf ("%s.broken-%s", db_path, stamp);
  static const char * const suffixes[] = { "-wal", "-shm" };

  if (g_rename (db_path, target) != 0)
    return set_errno_error (error, errno, _("moving aside the damaged database"), db_path);
  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *from = g_strconcat (db_path, suffixes[i], NULL);
      g_autofree char *to = g_strconcat (target, suffixes[i], NULL);

      if (g_file_test (from, G_FILE_TEST_EXISTS))
        g_rename (from, to);
    }
  *moved_to = g_path_get_basename (target);
  return TRUE;
}

/* Opens the database, or says why it is unusable: a damaged file (the
 * caller rebuilds) is told apart from everything else (the caller fails,
 * so a wallet from a newer version or on a read-only disk is never
 * mistaken for a broken one). */
static sqlite3 *
open_checked (const char  *db_path,
              const char  *check,
              gboolean    *damaged,
              char       **reason,
              GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  sqlite3 *db;

  *damaged = FALSE;
  db = db_open (db_path, &local_error);
  if (db == NULL)
    {
      if (g_error_matches (local_error, BW_ERROR, BW_ERROR_MALFORMED))
        {
          *damaged = TRUE;
          *reason = g_strdup (local_error->message);
          return NULL;
        }
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  switch (db_check (db, check, reason, error))
    {
    case DB_SOUND:
      return db;
    case DB_DAMAGED:
      *damaged = TRUE;
      sqlite3_close (db);
      return NULL;
    case DB_UNUSABLE:
    default:
      sqlite3_close (db);
      return NULL;
    }
}

static void
remove_db_files (const char *db_path)
{
  static const char * const suffixes[] = { "", "-wal", "-shm", "-journal" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *path = g_strconcat (db_path, suffixes[i], NULL);

      g_unlink (path);
    }
}

/* Creates an empty database with the wallet's mode, then opens it:
 * SQLite gives the WAL and shared-memory files the mode of the database. */
static sqlite3 *
create_db (const char  *db_path,
           GError     **error)
{
  int fd = open (db_path, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
  sqlite3 *db;

  if (fd < 0)
    {
      set_errno_error (error, errno, _("creating"), db_path);
      return NULL;
    }
  close (fd);
  db = db_open (db_path, error);
  if (db != NULL && !db_migrate (db, BW_STORE_SCHEMA_VERSION, error))
    g_clear_pointer (&db, sqlite3_close);
  return db;
}

static void
close_db (BwStore *self)
{
  for (guint i = 0; i < N_STMTS; i++)
    g_clear_pointer (&self->stmts[i], sqlite3_finalize);
  g_clear_pointer (&self->db, sqlite3_close);
}

/* Rebuilds the index into a side file and renames it into place only when
 * complete: an interrupted rebuild leaves no wallet.db, so the next open
 * simply rebuilds again instead of trusting a partial index. */
static gboolean
rebuild_index (BwStore     *self,
               const char  *db_path,
               guint       *n_badges,
               guint       *n_damaged,
               GError     **error)
{
  g_autofree char *side = g_strconcat (db_path, REBUILD_SUFFIX, NULL);

  remove_db_files (side);
  self->db = create_db (side, error);
  if (self->db == NULL)
    return FALSE;
  if (!rebuild_from_originals (self, n_badges, n_damaged, error))
    {
      close_db (self);
      remove_db_files (side);
      return FALSE;
    }

  /* Closing the last connection checkpoints the WAL into the file. */
  close_db (self);
  if (g_rename (side, db_path) != 0)
    return set_errno_error (error, errno, _("putting the rebuilt index in place"), db_path);
  if (!fsync_directory (self->directory, error))
    return FALSE;
  self->db = db_open (db_path, error);
  return self->db != NULL;
}

/* Prepares the folder of temporary files under @base and removes what
 * killed imports left there. Only old files go: a younger one may belong
 * to another process importing right now. */
static gboolean
prepare_incoming (const char  *base,
                  GError     **error)
{
  g_autofree char *incoming = g_build_filename (base, INCOMING_DIR, NULL);
  g_autoptr(GDir) dir = NULL;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  const char *name;

  if (!ensure_private_dir (incoming, error))
    return FALSE;
  dir = g_dir_open (incoming, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (incoming, name, NULL);
      GStatBuf st;

      if (g_str_has_prefix (name, ".tmp-") && g_lstat (path, &st) == 0 &&
          S_ISREG (st.st_mode) && now - (gint64)st.st_mtime > STALE_INCOMING)
        g_unlink (path);
    }
  return TRUE;
}

static gboolean
bw_store_open_internal (BwStore  *self,
                        GError  **error)
{
  g_autofree char *db_path = g_build_filename (self->directory, DB_NAME, NULL);
  g_autofree char *reason = NULL;
  g_autofree char *moved_to = NULL;
  gboolean existed;
  gboolean damaged = FALSE;
  gboolean rebuild;

  if (!ensure_private_dir (self->directory, error) ||
      !ensure_private_dir (self->originals_dir, error) ||
      !ensure_private_dir (self->cache_dir, error) ||
      !prepare_incoming (self->originals_dir, error) ||
      !prepare_incoming (self->cache_dir, error))
    return FALSE;

  existed = g_file_test (db_path, G_FILE_TEST_EXISTS);
  if (existed)
    {
      g_autofree char *clean = g_strconcat (db_path, CLEAN_SUFFIX, NULL);
      gboolean was_clean = g_unlink (clean) == 0;

      self->db = open_checked (db_path, was_clean ? CHECK_LISTING : CHECK_ALL,
                               &damaged, &reason, error);
      if (self->db == NULL && !damaged)
        return FALSE;
      if (damaged && !move_aside (db_path, &moved_to, error))
        return FALSE;
      if (self->db != NULL && !db_migrate (self->db, BW_STORE_SCHEMA_VERSION, error))
        return FALSE;
    }

  rebuild = damaged || (!existed && originals_exist (self));
  if (!rebuild && self->db == NULL)
    {
      self->db = create_db (db_path, error);
      if (self->db == NULL)
        return FALSE;
    }

  if (rebuild)
    {
      guint n_badges = 0;
      guint n_damaged = 0;

      if (!rebuild_index (self, db_path, &n_badges, &n_damaged, error))
        return FALSE;

      if (damaged)
        self->recovery_message =
          g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                        "The wallet index was damaged (%s). It was kept as %s "
                                        "and rebuilt from the %u badge stored in the wallet; "
                                        "notes and verification results could not be recovered.",
                                        "The wallet index was damaged (%s). It was kept as %s "
                                        "and rebuilt from the %u badges stored in the wallet; "
                                        "notes and verification results could not be recovered.",
                                        n_badges),
                           reason, moved_to, n_badges);
      else
        self->recovery_message =
          g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                        "The wallet index was missing. It was rebuilt from the %u "
                                        "badge stored in the wallet; notes and verification "
                                        "results could not be recovered.",
                                        "The wallet index was missing. It was rebuilt from the %u "
                                        "badges stored in the wallet; notes and verification "
                                        "results could not be recovered.",
                                        n_badges),
                           n_badges);
      if (n_damaged > 0)
        {
          g_autofree char *first = g_steal_pointer (&self->recovery_message);

          self->recovery_message =
            g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                          "%s %u stored file was damaged or not a badge "
                                          "and was left out.",
                                          "%s %u stored files were damaged or not badges "
                                          "and were left out.",
                                          n_damaged),
                             first, n_damaged);
        }
      /* The rows were loaded as they were added. */
      return TRUE;
    }

  return load_rows (self, error);
}

/**
 * bw_store_open:
 * @directory: the wallet folder (created with mode 0700 when missing)
 * @error: return location for an error
 *
 * Opens the wallet. A missing or damaged index is rebuilt from the stored
 * originals, and bw_store_get_recovery_message() then says so.
 *
 * Returns: (transfer full) (nullable): the store
 */
BwStore *
bw_store_open (const char  *directory,
               GError     **error)
{
  g_autoptr(BwStore) self = NULL;

  g_return_val_if_fail (directory != NULL, NULL);

  self = g_object_new (BW_TYPE_STORE, NULL);
  self->directory = g_strdup (directory);
  self->originals_dir = g_build_filename (directory, ORIGINALS_DIR, NULL);
  self->cache_dir = g_build_filename (directory, CACHE_DIR, NULL);

  if (!bw_store_open_internal (self, error))
    return NULL;

  self->opened = TRUE;
  self->dirty = TRUE;
  return g_steal_pointer (&self);
}

const char *
bw_store_get_directory (BwStore *self)
{
  g_return_val_if_fail (BW_IS_STORE (self), NULL);

  return self->directory;
}

/**
 * bw_store_get_recovery_message:
 *
 * Returns: (nullable): a sentence for the user when opening had to rebuild
 *   the wallet's index, else %NULL
 */
const char *
bw_store_get_recovery_message (BwStore *self)
{
  g_return_val_if_fail (BW_IS_STORE (self), NULL);

  return self->recovery_message;
}

/* ------------------------------------------------------------------------- */
/* Reading and updating badges                                               */
/* ------------------------------------------------------------------------- */

static Row *
find_row (BwStore     *self,
          const char  *wallet_id,
          GError     **error)
{
  Row *row = wallet_id != NULL ? g_hash_table_lookup (self->by_id, wallet_id) : NULL;

  if (row == NULL || row->pending_removal)
    {
      g_set_error (error, BW_ERROR, BW_ERROR_NOT_FOUND,
                   _("No badge with id “%s” in the wallet"), wallet_id != NULL ? wallet_id : "");
      return NULL;
    }
  return row;
}

/**
 * bw_store_lookup:
 *
 * Returns: (transfer none) (nullable): the badge, valid while it is in the wallet
 */
BwBadge *
bw_store_lookup (BwStore    *self,
                 const char *wallet_id)
{
  Row *row;

  g_return_val_if_fail (BW_IS_STORE (self), NULL);
  g_return_val_if_fail (wallet_id != NULL, NULL);

  row = find_row (self, wallet_id, NULL);
  return row != NULL ? row_get_badge (self, row) : NULL;
}

/**
 * bw_store_load_original:
 *
 * Reads an original and checks it against its hash.
 *
 * Returns: (transfer full) (nullable): the original, byte-exact
 */
GBytes *
bw_store_load_original (BwStore     *self,
                        const char  *wallet_id,
                        GError     **error)
{
  g_autofree char *path = NULL;
  g_autofree char *hash = NULL;
  g_autoptr(GBytes) data = NULL;

  g_return_val_if_fail (BW_IS_STORE (self), NULL);
  g_return_val_if_fail (wallet_id != NULL, NULL);

  if (!is_wallet_id (wallet_id))
    {
      g_set_error (error, BW_ERROR, BW_ERROR_NOT_FOUND,
                   _("“%s” is not a wallet id"), wallet_id);
      return NULL;
    }
  path = original_path (self, wallet_id);
  data = read_input_file (path, error);
  if (data == NULL)
    return NULL;
  hash = bw_sha256_hex (g_bytes_get_data (data, NULL), g_bytes_get_size (data));
  if (!g_str_equal (hash, wallet_id))
    {
      g_set_error (error, BW_ERROR, BW_ERROR_IO,
                   _("The stored original of badge %s is damaged (its content no longer "
                     "matches its hash)"), wallet_id);
      return NULL;
    }
  return g_steal_pointer (&data);
}

/* Runs one UPDATE of a badge in its own transaction. */
static gboolean
update_badge (BwStore     *self,
              const char  *sql,
              const char  *wallet_id,
              const char  *text1,
              const char  *text2,
              gint64       time,
              const char  *text3,
              const char  *context,
              GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = db_prepare (self->db, sql, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, wallet_id);
  if (sqlite3_bind_parameter_count (stmt) >= 2)
    bind_text (stmt, 2, text1);
  if (sqlite3_bind_parameter_count (stmt) >= 3)
    bind_text (stmt, 3, text2);
  if (sqlite3_bind_parameter_count (stmt) >= 4)
    {
      if (time != G_MININT64)
        sqlite3_bind_int64 (stmt, 4, time);
      else
        sqlite3_bind_null (stmt, 4);
    }
  if (sqlite3_bind_parameter_count (stmt) >= 5)
    bind_text (stmt, 5, text3);

  rc = sqlite3_step (stmt);
  if (rc != SQLITE_DONE)
    {
      db_rollback (self->db);
      return set_db_error (error, self->db, rc, context);
    }
  return TRUE;
}

/**
 * bw_store_save_report:
 *
 * Keeps @report as the badge's last verification; the filters follow it.
 */
gboolean
bw_store_save_report (BwStore     *self,
                      const char  *wallet_id,
                      BwReport    *report,
                      GError     **error)
{
  g_autofree char *json = NULL;
  GDateTime *checked;
  gint64 when;
  Row *row;

  g_return_val_if_fail (BW_IS_STORE (self), FALSE);
  g_return_val_if_fail (BW_IS_REPORT (report), FALSE);

  row = find_row (self, wallet_id, error);
  if (row == NULL)
    return FALSE;

  json = bw_report_to_json_string (report);
  checked = bw_report_get_checked (report);
  when = checked != NULL ? g_date_time_to_unix (checked) : g_get_real_time () / G_USEC_PER_SEC;
  if (!db_exec (self->db, "BEGIN IMMEDIATE", _("saving a verification result"), error))
    return FALSE;
  if (!update_badge (self,
                     "UPDATE badges SET verdict = ?3, checked = ?4 WHERE wallet_id = ?1",
                     wallet_id, NULL, bw_verdict_to_string (bw_report_get_verdict (report)),
                     when, NULL, _("saving a verification result"), error) ||
      !update_badge (self,
                     "UPDATE badge_data SET report = ?2"
                     " WHERE rowid = (SELECT rowid FROM badges WHERE wallet_id = ?1)",
                     wallet_id, json, NULL, G_MININT64, NULL,
                     _("saving a verification result"), error))
    return FALSE;
  if (!db_exec (self->db, "COMMIT", _("saving a verification result"), error))
    {
      db_rollback (self->db);
      return FALSE;
    }

  row->verdict = (int)bw_report_get_verdict (report);
  row->checked = when;
  if (row->badge != NULL)
    row_apply_metadata (self, row, row->badge);
  refresh_model (self);
  return TRUE;
}

/**
 * bw_store_load_report:
 *
 * Returns: (transfer full) (nullable): the last report kept for the badge
 */
BwReport *
bw_store_load_report (BwStore    *self,
                      const char *wallet_id)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GError) error = NULL;
  BwReport *report = NULL;

  g_return_val_if_fail (BW_IS_STORE (self), NULL);
  g_return_val_if_fail (wallet_id != NULL, NULL);

  stmt = db_prepare (self->db, "SELECT report FROM badge_data"
                     " WHERE rowid = (SELECT rowid FROM badges WHERE wallet_id = ?1)", NULL);
  if (stmt == NULL)
    return NULL;
  bind_text (stmt, 1, wallet_id);
  if (sqlite3_step (stmt) != SQLITE_ROW || sqlite3_column_type (stmt, 0) == SQLITE_NULL)
    return NULL;
  report = bw_report_new_from_json_string ((const char *)sqlite3_column_text (stmt, 0), &error);
  if (report == NULL)
    g_warning ("The report kept for %s cannot be read: %s", wallet_id, error->message);
  return report;
}

gboolean
bw_store_set_note (BwStore     *self,
                   const char  *wallet_id,
                   const char  *note,
                   GError     **error)
{
  g_return_val_if_fail (BW_IS_STORE (self), FALSE);

  if (find_row (self, wallet_id, error) == NULL)
    return FALSE;
  if (note != NULL && *note == '\0')
    note = NULL;
  return update_badge (self,
                       "UPDATE badge_data SET note = ?2"
                       " WHERE rowid = (SELECT rowid FROM badges WHERE wallet_id = ?1)",
                       wallet_id, note, NULL, G_MININT64, NULL, _("saving a note"), error);
}

/**
 * bw_store_dup_note:
 *
 * Returns: (transfer full) (nullable): the user's note on the badge
 */
char *
bw_store_dup_note (BwStore    *self,
                   const char *wallet_id)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (BW_IS_STORE (self), NULL);
  g_return_val_if_fail (wallet_id != NULL, NULL);

  stmt = db_prepare (self->db, "SELECT note FROM badge_data"
                     " WHERE rowid = (SELECT rowid FROM badges WHERE wallet_id = ?1)", NULL);
  if (stmt == NULL)
    return NULL;
  bind_text (stmt, 1, wallet_id);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return NULL;
  return column_dup (stmt, 0);
}

/* ------------------------------------------------------------------------- */
/* Removing                                                                  */
/* ------------------------------------------------------------------------- */

/* Deletes @ids in one transaction, then forgets their rows and originals.
 * An original is deleted only after the commit, so a failure never leaves
 * a row without its file. */
static gboolean
delete_rows (BwStore    *self,
             GPtrArray  *ids,
             GError    **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(sqlite3_stmt) data = NULL;
  g_autoptr(sqlite3_stmt) fts = NULL;
  int rc;

  if (ids->len == 0)
    return TRUE;
  if (!db_exec (self->db, "BEGIN IMMEDIATE", _("removing badges"), error))
    return FALSE;
  stmt = db_prepare (self->db, "DELETE FROM badges WHERE rowid = ?1", error);
  if (stmt != NULL)
    data = db_prepare (self->db, "DELETE FROM badge_data WHERE rowid = ?1", error);
  if (data != NULL)
    fts = db_prepare (self->db, "DELETE FROM badges_search WHERE rowid = ?1", error);
  if (fts == NULL)
    {
      db_rollback (self->db);
      return FALSE;
    }

  for (guint i = 0; i < ids->len; i++)
    {
      Row *row = g_hash_table_lookup (self->by_id, g_ptr_array_index (ids, i));

      sqlite3_bind_int64 (stmt, 1, row->rowid);
      sqlite3_bind_int64 (data, 1, row->rowid);
      sqlite3_bind_int64 (fts, 1, row->rowid);
      if ((rc = sqlite3_step (data)) != SQLITE_DONE ||
          (rc = sqlite3_step (stmt)) != SQLITE_DONE ||
          (rc = sqlite3_step (fts)) != SQLITE_DONE)
        {
          set_db_error (error, self->db, rc, _("removing badges"));
          db_rollback (self->db);
          return FALSE;
        }
      sqlite3_reset (stmt);
      sqlite3_reset (data);
      sqlite3_reset (fts);
    }

  rc = sqlite3_exec (self->db, "COMMIT", NULL, NULL, NULL);
  if (rc != SQLITE_OK)
    {
      set_db_error (error, self->db, rc, _("removing badges"));
      db_rollback (self->db);
      return FALSE;
    }

  for (guint i = 0; i < ids->len; i++)
    {
      const char *wallet_id = g_ptr_array_index (ids, i);
      g_autofree char *path = original_path (self, wallet_id);
      Row *row = g_hash_table_lookup (self->by_id, wallet_id);

      g_unlink (path);
      g_hash_table_remove (self->by_id, wallet_id);
      /* The row owns the id string the table was keyed on, so it goes last. */
      g_ptr_array_remove_fast (self->rows, row);
    }
  refresh_model (self);
  return TRUE;
}

/**
 * bw_store_remove:
 *
 * Removes a badge at once, with no undo.
 */
gboolean
bw_store_remove (BwStore     *self,
                 const char  *wallet_id,
                 GError     **error)
{
  g_autoptr(GPtrArray) ids = g_ptr_array_new ();
  Row *row;

  g_return_val_if_fail (BW_IS_STORE (self), FALSE);

  row = wallet_id != NULL ? g_hash_table_lookup (self->by_id, wallet_id) : NULL;
  if (row == NULL)
    {
      find_row (self, wallet_id, error);
      return FALSE;
    }
  g_ptr_array_add (ids, row->wallet_id);
  return delete_rows (self, ids, error);
}

/**
 * bw_store_remove_pending:
 *
 * Hides a badge from the model at once; it is deleted by
 * bw_store_commit_removals() (called at the latest when the store is
 * disposed) unless bw_store_undo_remove() brings it back first.
 */
void
bw_store_remove_pending (BwStore    *self,
                         const char *wallet_id)
{
  Row *row;

  g_return_if_fail (BW_IS_STORE (self));
  g_return_if_fail (wallet_id != NULL);

  row = g_hash_table_lookup (self->by_id, wallet_id);
  if (row == NULL || row->pending_removal)
    return;
  row->pending_removal = TRUE;
  refresh_model (self);
}

void
bw_store_undo_remove (BwStore    *self,
                      const char *wallet_id)
{
  Row *row;

  g_return_if_fail (BW_IS_STORE (self));
  g_return_if_fail (wallet_id != NULL);

  row = g_hash_table_lookup (self->by_id, wallet_id);
  if (row == NULL || !row->pending_removal)
    return;
  row->pending_removal = FALSE;
  refresh_model (self);
}

gboolean
bw_store_commit_removals (BwStore  *self,
                          GError  **error)
{
  g_autoptr(GPtrArray) ids = g_ptr_array_new ();

  g_return_val_if_fail (BW_IS_STORE (self), FALSE);

  for (guint i = 0; i < self->rows->len; i++)
    {
      Row *row = g_ptr_array_index (self->rows, i);

      if (row->pending_removal)
        g_ptr_array_add (ids, row->wallet_id);
    }
  return delete_rows (self, ids, error);
}

/* ------------------------------------------------------------------------- */
/* The view                                                                  */
/* ------------------------------------------------------------------------- */

void
bw_store_set_sort (BwStore     *self,
                   BwStoreSort  sort)
{
  g_return_if_fail (BW_IS_STORE (self));

  if (self->sort == sort)
    return;
  self->sort = sort;
  refresh_model (self);
}

void
bw_store_set_filter (BwStore       *self,
                     BwStoreFilter  filter)
{
  g_return_if_fail (BW_IS_STORE (self));

  if (self->filter == filter)
    return;
  self->filter = filter;
  refresh_model (self);
}

/**
 * bw_store_set_search:
 * @text: (nullable): words that must all appear (as word prefixes) in the
 *   name, description, issuer, tags or skills; %NULL or blank for none
 */
void
bw_store_set_search (BwStore    *self,
                     const char *text)
{
  g_autofree char *query = NULL;

  g_return_if_fail (BW_IS_STORE (self));

  if (text != NULL && (query = search_to_fts_query (text)) == NULL)
    text = NULL;
  if (g_strcmp0 (self->search, text) == 0)
    return;
  g_free (self->search);
  self->search = g_strdup (text);
  refresh_model (self);
}

/**
 * bw_store_get_total:
 *
 * Returns: the number of badges in the wallet, whatever the filter
 */
guint
bw_store_get_total (BwStore *self)
{
  guint total = 0;

  g_return_val_if_fail (BW_IS_STORE (self), 0);

  for (guint i = 0; i < self->rows->len; i++)
    if (!((Row *)g_ptr_array_index (self->rows, i))->pending_removal)
      total++;
  return total;
}

static void
json_add_time (JsonBuilder *builder,
               const char  *member,
               gint64       time)
{
  g_autoptr(GDateTime) datetime = NULL;
  g_autofree char *text = NULL;

  if (time != G_MININT64)
    datetime = g_date_time_new_from_unix_utc (time);
  text = bw_format_datetime (datetime);
  json_add_string_or_null (builder, member, text);
}

/**
 * bw_store_dup_summary:
 *
 * Returns: (transfer full) (nullable): an object with `id`, `name`,
 *   `issuer`, `issued`, `expires`, `added`, `verdict` and `checked`
 */
JsonNode *
bw_store_dup_summary (BwStore *self,
                      guint    position)
{
  g_autoptr(JsonBuilder) builder = NULL;
  Row *row;

  g_return_val_if_fail (BW_IS_STORE (self), NULL);

  ensure_visible (self);
  if (position >= self->visible->len)
    return NULL;
  row = g_ptr_array_index (self->visible, position);

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_add_string_or_null (builder, "id", row->wallet_id);
  json_add_string_or_null (builder, "name", row->name);
  json_add_string_or_null (builder, "issuer", row->issuer);
  json_add_time (builder, "issued", row->issued);
  json_add_time (builder, "expires", row->expires);
  json_add_time (builder, "added", row->added);
  json_add_string_or_null (builder, "verdict",
                           row->verdict >= 0 ? bw_verdict_to_string (row->verdict) : NULL);
  json_add_time (builder, "checked", row->checked);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

/**
 * bw_store_resolve_id:
 *
 * Returns: (transfer full) (nullable): the full wallet id
 */
char *
bw_store_resolve_id (BwStore     *self,
                     const char  *id_or_prefix,
                     GError     **error)
{
  const char *found = NULL;
  gsize length;

  g_return_val_if_fail (BW_IS_STORE (self), NULL);
  g_return_val_if_fail (id_or_prefix != NULL, NULL);

  if (find_row (self, id_or_prefix, NULL) != NULL)
    return g_strdup (id_or_prefix);

  length = strlen (id_or_prefix);
  for (guint i = 0; length >= 4 && i < self->rows->len; i++)
    {
      Row *row = g_ptr_array_index (self->rows, i);

      if (row->pending_removal || strncmp (row->wallet_id, id_or_prefix, length) != 0)
        continue;
      if (found != NULL)
        {
          g_set_error (error, BW_ERROR, BW_ERROR_NOT_FOUND,
                       _("“%s” matches more than one badge in the wallet; give more of the id"),
                       id_or_prefix);
          return NULL;
        }
      found = row->wallet_id;
    }

  if (found == NULL)
    {
      find_row (self, id_or_prefix, error);
      return NULL;
    }
  return g_strdup (found);
}

/* ------------------------------------------------------------------------- */
/* Export                                                                    */
/* ------------------------------------------------------------------------- */

/**
 * bw_store_export:
 * @self: a #BwStore
 * @directory: the folder to write (created when missing)
 * @error: return location for an error
 *
 * Writes every original byte-exact as `ID.png|svg|json|jws|txt` and a
 * `manifest.json` with each badge's id, added date, note, last report and
 * the documents it was resolved with. Importing the folder into an empty
 * wallet gives the same wallet.
 */
gboolean
bw_store_export (BwStore     *self,
                 const char  *directory,
                 GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *now_text = bw_format_datetime (now);
  g_autofree char *manifest = NULL;
  g_autofree char *manifest_path = NULL;
  int rc;

  g_return_val_if_fail (BW_IS_STORE (self), FALSE);
  g_return_val_if_fail (directory != NULL, FALSE);

  if (g_mkdir_with_parents (directory, 0700) != 0)
    return set_errno_error (error, errno, _("creating the folder"), directory);

  stmt = db_prepare (self->db,
                     "SELECT b.wallet_id, b.format, b.added, d.note, b.verdict, b.checked,"
                     " d.report, d.badge_json"
                     " FROM badges b JOIN badge_data d ON d.rowid = b.rowid"
                     " ORDER BY b.added, b.rowid", error);
  if (stmt == NULL)
    return FALSE;

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_add_string_or_null (builder, "format", "badge-wallet-export");
  json_builder_set_member_name (builder, "version");
  json_builder_add_int_value (builder, 1);
  json_add_string_or_null (builder, "exported", now_text);
  json_builder_set_member_name (builder, "badges");
  json_builder_begin_array (builder);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *wallet_id = (const char *)sqlite3_column_text (stmt, 0);
      const char *format = (const char *)sqlite3_column_text (stmt, 1);
      const char *report = (const char *)sqlite3_column_text (stmt, 6);
      const char *badge_json = (const char *)sqlite3_column_text (stmt, 7);
      g_autofree char *file = g_strdup_printf ("%s.%s", wallet_id, format);
      g_autofree char *path = g_build_filename (directory, file, NULL);
      g_autoptr(GBytes) original = NULL;
      g_autoptr(JsonNode) report_node = NULL;
      g_autoptr(JsonNode) badge_node = NULL;
      Row *row = g_hash_table_lookup (self->by_id, wallet_id);

      /* A removal waiting for its undo window is already gone for the user. */
      if (row != NULL && row->pending_removal)
        continue;

      original = bw_store_load_original (self, wallet_id, error);
      if (original == NULL ||
          !write_file_durably (path, NULL, g_bytes_get_data (original, NULL),
                               g_bytes_get_size (original), FALSE, error))
        return FALSE;

      json_builder_begin_object (builder);
      json_add_string_or_null (builder, "id", wallet_id);
      json_add_string_or_null (builder, "file", file);
      json_add_time (builder, "added", column_time (stmt, 2));
      json_add_string_or_null (builder, "note", (const char *)sqlite3_column_text (stmt, 3));
      json_add_string_or_null (builder, "verdict", (const char *)sqlite3_column_text (stmt, 4));
      json_add_time (builder, "checked", column_time (stmt, 5));
      json_builder_set_member_name (builder, "report");
      if (report != NULL && (report_node = bw_json_parse (report, -1, NULL)) != NULL)
        json_builder_add_value (builder, json_node_copy (report_node));
      else
        json_builder_add_null_value (builder);
      json_builder_set_member_name (builder, "documents");
      if (badge_json != NULL && (badge_node = bw_json_parse (badge_json, -1, NULL)) != NULL &&
          JSON_NODE_HOLDS_OBJECT (badge_node) &&
          json_object_has_member (json_node_get_object (badge_node), "documents"))
        {
          JsonObject *stored = json_node_get_object (badge_node);

          json_builder_add_value (builder,
                                  json_node_copy (json_object_get_member (stored, "documents")));
        }
      else
        {
          json_builder_begin_array (builder);
          json_builder_end_array (builder);
        }
      json_builder_end_object (builder);
    }
  if (rc != SQLITE_DONE)
    return set_db_error (error, self->db, rc, _("exporting the wallet"));

  json_builder_end_array (builder);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  manifest = json_to_string (root, TRUE);
  manifest_path = g_build_filename (directory, MANIFEST_NAME, NULL);
  /* The manifest goes last, once every original it lists is on disk. */
  if (!sync_filesystem (directory, error))
    return FALSE;
  return write_file_durably (manifest_path, NULL, (const guint8 *)manifest, strlen (manifest),
                             TRUE, error);
}

/* ------------------------------------------------------------------------- */
/* The documents cache                                                       */
/* ------------------------------------------------------------------------- */

/**
 * bw_store_cache_document:
 *
 * Keeps a fetched document (content-addressed under `documents/`) and
 * indexes it by URL, so verification can run offline later.
 */
gboolean
bw_store_cache_document (BwStore     *self,
                         const char  *url,
                         const char  *content_type,
                         GBytes      *body,
                         GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *hash = NULL;
  gboolean created = FALSE;
  int rc;

  g_return_val_if_fail (BW_IS_STORE (self), FALSE);
  g_return_val_if_fail (url != NULL, FALSE);
  g_return_val_if_fail (body != NULL, FALSE);

  hash = bw_sha256_hex (g_bytes_get_data (body, NULL), g_bytes_get_size (body));
  if (!store_blob (self->cache_dir, hash, body, TRUE, &created, error))
    return FALSE;

  stmt = db_prepare (self->db,
                     "INSERT OR REPLACE INTO documents (url, sha256, content_type, size, fetched)"
                     " VALUES (?1, ?2, ?3, ?4, ?5)", error);
  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, url);
  bind_text (stmt, 2, hash);
  bind_text (stmt, 3, content_type);
  sqlite3_bind_int64 (stmt, 4, (sqlite3_int64)g_bytes_get_size (body));
  sqlite3_bind_int64 (stmt, 5, g_get_real_time () / G_USEC_PER_SEC);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_DONE)
    {
      g_autofree char *path = blob_path (self->cache_dir, hash);

      if (created)
        g_unlink (path);
      return set_db_error (error, self->db, rc, _("caching a document"));
    }
  return TRUE;
}

/**
 * bw_store_lookup_document:
 * @content_type: (out) (optional) (transfer full) (nullable): its media type
 *
 * Returns: (transfer full) (nullable): the cached body of @url
 */
GBytes *
bw_store_lookup_document (BwStore     *self,
                          const char  *url,
                          char       **content_type)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GBytes) data = NULL;
  g_autofree char *path = NULL;
  g_autofree char *hash = NULL;
  const char *expected;

  g_return_val_if_fail (BW_IS_STORE (self), NULL);
  g_return_val_if_fail (url != NULL, NULL);

  stmt = db_prepare (self->db, "SELECT sha256, content_type FROM documents WHERE url = ?1", NULL);
  if (stmt == NULL)
    return NULL;
  bind_text (stmt, 1, url);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return NULL;
  expected = (const char *)sqlite3_column_text (stmt, 0);
  if (expected == NULL || !is_wallet_id (expected))
    return NULL;
  path = blob_path (self->cache_dir, expected);
  data = read_input_file (path, NULL);
  if (data == NULL)
    return NULL;
  hash = bw_sha256_hex (g_bytes_get_data (data, NULL), g_bytes_get_size (data));
  if (!g_str_equal (hash, expected))
    return NULL;
  if (content_type != NULL)
    *content_type = column_dup (stmt, 1);
  return g_steal_pointer (&data);
}

/* ------------------------------------------------------------------------- */
/* Collaborators and test seams                                              */
/* ------------------------------------------------------------------------- */

void
bw_store_set_fetcher (BwStore   *self,
                      BwFetcher *fetcher)
{
  g_return_if_fail (BW_IS_STORE (self));
  g_return_if_fail (fetcher == NULL || BW_IS_FETCHER (fetcher));

  g_set_object (&self->fetcher, fetcher);
}

/**
 * bw_store_get_fetcher:
 *
 * Returns: (transfer none) (nullable): the fetcher
 */
BwFetcher *
bw_store_get_fetcher (BwStore *self)
{
  g_return_val_if_fail (BW_IS_STORE (self), NULL);

  return self->fetcher;
}

void
bw_store_set_verifier (BwStore    *self,
                       BwVerifier *verifier)
{
  g_return_if_fail (BW_IS_STORE (self));
  g_return_if_fail (verifier == NULL || BW_IS_VERIFIER (verifier));

  g_set_object (&self->verifier, verifier);
}

sqlite3 *
_bw_store_get_db (BwStore *self)
{
  g_return_val_if_fail (BW_IS_STORE (self), NULL);

  return self->db;
}

void
_bw_store_set_batch_size (BwStore *self,
                          guint    batch_size)
{
  g_return_if_fail (BW_IS_STORE (self));
  g_return_if_fail (batch_size > 0);

  self->batch_size = batch_size;
}

/* ------------------------------------------------------------------------- */
/* GObject                                                                   */
/* ------------------------------------------------------------------------- */

static void
bw_store_dispose (GObject *object)
{
  BwStore *self = (BwStore *)object;

  /* Leaving ends every undo window: pending removals are carried out. */
  if (self->db != NULL && self->rows != NULL)
    {
      g_autoptr(GError) error = NULL;

      if (!bw_store_commit_removals (self, &error))
        g_warning ("Removals could not be saved: %s", error->message);
    }

  g_clear_object (&self->fetcher);
  g_clear_object (&self->verifier);

  G_OBJECT_CLASS (bw_store_parent_class)->dispose (object);
}

static void
bw_store_finalize (GObject *object)
{
  BwStore *self = (BwStore *)object;

  g_clear_pointer (&self->visible, g_ptr_array_unref);
  g_clear_pointer (&self->by_id, g_hash_table_unref);
  g_clear_pointer (&self->rows, g_ptr_array_unref);
  g_clear_pointer (&self->hits, g_hash_table_unref);
  close_db (self);
  if (self->opened)
    {
      g_autofree char *clean = g_build_filename (self->directory, DB_NAME CLEAN_SUFFIX, NULL);
      int fd;

      /* The session ended cleanly: the next open may check less. */
      fd = open (clean, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
      if (fd >= 0)
        close (fd);
    }
  g_free (self->search);
  g_free (self->directory);
  g_free (self->originals_dir);
  g_free (self->cache_dir);
  g_free (self->recovery_message);

  G_OBJECT_CLASS (bw_store_parent_class)->finalize (object);
}

static void
bw_store_class_init (BwStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = bw_store_dispose;
  object_class->finalize = bw_store_finalize;

  items_changed_signal = g_signal_lookup ("items-changed", G_TYPE_LIST_MODEL);
}

static void
bw_store_init (BwStore *self)
{
  self->rows = g_ptr_array_new_with_free_func (row_free);
  self->by_id = g_hash_table_new (g_str_hash, g_str_equal);
  self->visible = g_ptr_array_new ();
  self->sort = BW_STORE_SORT_ADDED;
  self->filter = BW_STORE_FILTER_ALL;
  self->batch_size = 64;
}
