/* bw-store-db.c
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
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "bw-error.h"
#include "bw-store-private.h"
#include "bw-util.h"

#define ORIGINALS_DIR   "originals"
#define CACHE_DIR       "documents"
#define INCOMING_DIR    ".incoming"
#define REBUILD_SUFFIX  ".rebuild"
#define STALE_INCOMING  (24 * 3600)

/* The checks run when opening. After a session that did not end cleanly,
 * the whole database: quick_check reads every page and checks every
 * record, page link and constraint, all integrity_check does but matching
 * each index entry against its row, at half the cost. After a clean
 * session, only the table the list is built from, so opening costs the
 * same at any wallet size; a damaged documents row is still caught when
 * it is read, and the badge is then rebuilt from its original. */
#define CHECK_ALL       "PRAGMA quick_check"
#define CHECK_LISTING   "PRAGMA quick_check(badges)"

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

gboolean
_bw_store_set_errno_error (GError     **error,
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

gboolean
_bw_store_fsync_directory (const char  *path,
                           GError     **error)
{
  int fd = open (path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

  if (fd < 0)
    return _bw_store_set_errno_error (error, errno, _("opening the folder"), path);
  if (fsync (fd) != 0 && errno != EINVAL)
    {
      int saved = errno;

      close (fd);
      return _bw_store_set_errno_error (error, saved, _("syncing the folder"), path);
    }
  close (fd);
  return TRUE;
}

/* Writes @data to @path so that a crash at any moment leaves either the old
 * file or the whole new one: a private temporary file in @tmp_dir (or the
 * same folder), renamed over. With @sync the data and the rename are on
 * disk on return; without, the caller makes a whole batch durable at once
 * with _bw_store_sync_filesystem(), which costs one flush instead of two per file. */
gboolean
_bw_store_write_file_durably (const char   *path,
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
    return _bw_store_set_errno_error (error, errno, _("creating a file in"), dir);

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
          return _bw_store_set_errno_error (error, saved, _("writing"), path);
        }
      done += (gsize)n;
    }

  if (sync && fsync (fd) != 0)
    {
      int saved = errno;

      close (fd);
      g_unlink (tmp);
      return _bw_store_set_errno_error (error, saved, _("writing"), path);
    }
  if (close (fd) != 0)
    {
      int saved = errno;

      g_unlink (tmp);
      return _bw_store_set_errno_error (error, saved, _("writing"), path);
    }
  if (g_rename (tmp, path) != 0)
    {
      int saved = errno;

      g_unlink (tmp);
      return _bw_store_set_errno_error (error, saved, _("writing"), path);
    }

  return !sync || _bw_store_fsync_directory (dir, error);
}

/* Puts the folder @staging in the place of the folder @target and @target's
 * old content at @staging, so that at every moment @target is either the
 * old folder or the new one. Where the file system cannot swap two names
 * at once, the old folder is first moved aside and put back if the new one
 * cannot take its place. */
gboolean
_bw_store_exchange_directories (const char  *staging,
                                const char  *target,
                                GError     **error)
{
  g_autofree char *parent = NULL;
  g_autofree char *aside = NULL;
  int saved;

  if (renameat2 (AT_FDCWD, staging, AT_FDCWD, target, RENAME_EXCHANGE) == 0)
    return TRUE;
  if (errno != EINVAL && errno != ENOSYS)
    return _bw_store_set_errno_error (error, errno, _("replacing the folder"), target);

  parent = g_path_get_dirname (target);
  aside = g_build_filename (parent, ".old-XXXXXX", NULL);
  if (g_mkdtemp_full (aside, 0700) == NULL)
    return _bw_store_set_errno_error (error, errno, _("creating a folder in"), parent);
  /* A folder renamed onto an empty one replaces it. */
  if (g_rename (target, aside) != 0)
    {
      saved = errno;
      g_rmdir (aside);
      return _bw_store_set_errno_error (error, saved, _("replacing the folder"), target);
    }
  if (g_rename (staging, target) != 0)
    {
      saved = errno;
      if (g_rename (aside, target) != 0)
        g_warning ("The earlier folder %s was left at %s: %s", target, aside, g_strerror (errno));
      return _bw_store_set_errno_error (error, saved, _("replacing the folder"), target);
    }
  if (g_rename (aside, staging) != 0)
    g_warning ("The earlier folder was left at %s: %s", aside, g_strerror (errno));
  return TRUE;
}

/* Flushes everything written under @path's file system to the disk: the
 * barrier between writing a batch of originals and committing the rows
 * that point at them. */
gboolean
_bw_store_sync_filesystem (const char  *path,
                           GError     **error)
{
  BwStoreFault fault = fault_check ();
  int fd;

  if (fault != BW_STORE_FAULT_NONE)
    return _bw_store_set_errno_error (error, fault == BW_STORE_FAULT_DISK_FULL ? ENOSPC : EIO,
                                      _("saving the files in"), path);

  fd = open (path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0)
    return _bw_store_set_errno_error (error, errno, _("opening the folder"), path);
  if (syncfs (fd) != 0)
    {
      int saved = errno;

      close (fd);
      return _bw_store_set_errno_error (error, saved, _("saving the files in"), path);
    }
  close (fd);
  return TRUE;
}

static gboolean
ensure_private_dir (const char  *path,
                    GError     **error)
{
  if (g_mkdir_with_parents (path, 0700) != 0)
    return _bw_store_set_errno_error (error, errno, _("creating the folder"), path);
  /* The wallet is personal data: even a folder made by someone else is
   * narrowed to its owner. */
  if (g_chmod (path, 0700) != 0)
    return _bw_store_set_errno_error (error, errno, _("protecting the folder"), path);
  return TRUE;
}

char *
_bw_store_blob_path (const char *base,
                     const char *hash)
{
  char prefix[3] = { hash[0], hash[1], '\0' };

  return g_build_filename (base, prefix, hash, NULL);
}

char *
_bw_store_original_path (BwStore    *self,
                         const char *wallet_id)
{
  return _bw_store_blob_path (self->originals_dir, wallet_id);
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
gboolean
_bw_store_write_blob (const char  *base,
                      const char  *hash,
                      GBytes      *data,
                      gboolean     sync,
                      gboolean    *created,
                      GError     **error)
{
  g_autofree char *path = _bw_store_blob_path (base, hash);
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
        return _bw_store_set_errno_error (error, errno, _("creating the folder"), dir);
      if (sync && !_bw_store_fsync_directory (base, error))
        return FALSE;
    }

  /* Temporary files live in one folder of their own, where what a killed
   * process leaves behind is easy to find and sweep. */
  if (!_bw_store_write_file_durably (path, incoming, bytes, length, sync, error))
    return FALSE;
  *created = TRUE;
  return TRUE;
}

/* ------------------------------------------------------------------------- */
/* SQLite helpers                                                            */
/* ------------------------------------------------------------------------- */

gboolean
_bw_store_set_db_error (GError      **error,
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

gboolean
_bw_store_db_exec (sqlite3     *db,
                   const char  *sql,
                   const char  *context,
                   GError     **error)
{
  int rc = sqlite3_exec (db, sql, NULL, NULL, NULL);

  if (rc != SQLITE_OK)
    return _bw_store_set_db_error (error, db, rc, context);
  return TRUE;
}

void
_bw_store_db_rollback (sqlite3 *db)
{
  /* A failed write may already have rolled the transaction back. */
  if (!sqlite3_get_autocommit (db))
    sqlite3_exec (db, "ROLLBACK", NULL, NULL, NULL);
}

sqlite3_stmt *
_bw_store_db_prepare (sqlite3     *db,
                      const char  *sql,
                      GError     **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc = sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL);

  if (rc != SQLITE_OK)
    {
      _bw_store_set_db_error (error, db, rc, _("reading the wallet"));
      sqlite3_finalize (stmt);
      return NULL;
    }
  return stmt;
}

/* Returns a cached statement, reset and with no bindings; borrowed. */
sqlite3_stmt *
_bw_store_get_stmt (BwStore  *self,
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
          _bw_store_set_db_error (error, self->db, rc, _("reading the wallet"));
          return NULL;
        }
      return self->stmts[id];
    }
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
  return stmt;
}

void
_bw_store_bind_text (sqlite3_stmt *stmt,
                     int           index,
                     const char   *text)
{
  if (text != NULL)
    sqlite3_bind_text (stmt, index, text, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null (stmt, index);
}

void
_bw_store_bind_time (sqlite3_stmt *stmt,
                     int           index,
                     GDateTime    *time)
{
  if (time != NULL)
    sqlite3_bind_int64 (stmt, index, g_date_time_to_unix (time));
  else
    sqlite3_bind_null (stmt, index);
}

char *
_bw_store_column_dup (sqlite3_stmt *stmt,
                      int           column)
{
  return g_strdup ((const char *)sqlite3_column_text (stmt, column));
}

gint64
_bw_store_column_time (sqlite3_stmt *stmt,
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
  g_autoptr(sqlite3_stmt) stmt = _bw_store_db_prepare (db, "PRAGMA user_version", error);
  int rc;

  if (stmt == NULL)
    return -1;
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      _bw_store_set_db_error (error, db, rc, _("reading the schema version"));
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

      if (!_bw_store_db_exec (db, "BEGIN IMMEDIATE", _("upgrading the wallet"), error))
        return FALSE;
      /* Another process may have upgraded the wallet meanwhile. */
      version = db_get_user_version (db, error);
      if (version < 0)
        {
          _bw_store_db_rollback (db);
          return FALSE;
        }
      if (version >= target)
        {
          _bw_store_db_rollback (db);
          break;
        }
      set_version = g_strdup_printf ("PRAGMA user_version = %d", version + 1);
      if (!_bw_store_db_exec (db, migrations[version], _("upgrading the wallet"), error) ||
          !_bw_store_db_exec (db, set_version, _("upgrading the wallet"), error) ||
          !_bw_store_db_exec (db, "COMMIT", _("upgrading the wallet"), error))
        {
          _bw_store_db_rollback (db);
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
      _bw_store_set_db_error (error, db, rc, _("opening the wallet"));
      sqlite3_close (db);
      return NULL;
    }

  sqlite3_busy_timeout (db, 10000);
  sqlite3_extended_result_codes (db, 0);

  /* WAL keeps readers (the application) and a writer (the command line)
   * apart; FULL makes every commit durable before a result is reported. */
  if (!_bw_store_db_exec (db, "PRAGMA journal_mode = WAL", _("opening the wallet"), error) ||
      !_bw_store_db_exec (db, "PRAGMA synchronous = FULL", _("opening the wallet"), error))
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
      _bw_store_set_db_error (error, db, rc, _("checking the wallet"));
      return DB_UNUSABLE;
    }
  if (g_strcmp0 ((const char *)sqlite3_column_text (stmt, 0), "ok") != 0)
    {
      *reason = _bw_store_column_dup (stmt, 0);
      return DB_DAMAGED;
    }
  return DB_SOUND;
}

/* ------------------------------------------------------------------------- */
/* Rows                                                                      */
/* ------------------------------------------------------------------------- */

void
_bw_store_row_free (gpointer data)
{
  Row *row = data;

  g_free (row->wallet_id);
  g_free (row->name);
  g_free (row->issuer);
  g_free (row->name_key);
  g_free (row->issuer_key);
  /* A row in the store's cache is taken out of it before it is freed. */
  g_assert (row->cache_link == NULL);
  g_clear_object (&row->cached);
  g_weak_ref_clear (&row->live);
  g_free (row);
}

int
_bw_store_verdict_from_text (const char *text)
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
  row->wallet_id = _bw_store_column_dup (stmt, 1);
  row->name = _bw_store_column_dup (stmt, 2);
  row->issuer = _bw_store_column_dup (stmt, 3);
  row->issued = _bw_store_column_time (stmt, 4);
  row->expires = _bw_store_column_time (stmt, 5);
  row->added = _bw_store_column_time (stmt, 6);
  row->checked = _bw_store_column_time (stmt, 7);
  row->verdict = _bw_store_verdict_from_text ((const char *)sqlite3_column_text (stmt, 8));
  return row;
}

static gboolean
load_rows (BwStore  *self,
           GError  **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  stmt = _bw_store_db_prepare (self->db, "SELECT " ROW_COLUMNS " FROM badges", error);
  if (stmt == NULL)
    return FALSE;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      Row *row = row_new_from_stmt (stmt);

      g_ptr_array_add (self->rows, row);
      g_hash_table_insert (self->by_id, row->wallet_id, row);
    }
  if (rc != SQLITE_DONE)
    return _bw_store_set_db_error (error, self->db, rc, _("reading the wallet"));
  return TRUE;
}

/* ------------------------------------------------------------------------- */
/* Opening and recovery                                                      */
/* ------------------------------------------------------------------------- */

gboolean
_bw_store_is_wallet_id (const char *name)
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
        if (_bw_store_is_wallet_id (entry))
          return TRUE;
    }
  return FALSE;
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
    return _bw_store_set_errno_error (error, errno, _("moving aside the damaged database"),
                                      db_path);
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
      _bw_store_set_errno_error (error, errno, _("creating"), db_path);
      return NULL;
    }
  close (fd);
  db = db_open (db_path, error);
  if (db != NULL && !db_migrate (db, BW_STORE_SCHEMA_VERSION, error))
    g_clear_pointer (&db, sqlite3_close);
  return db;
}

void
_bw_store_close_db (BwStore *self)
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
  if (!_bw_store_rebuild_from_originals (self, n_badges, n_damaged, error))
    {
      _bw_store_close_db (self);
      remove_db_files (side);
      return FALSE;
    }

  /* Closing the last connection checkpoints the WAL into the file. */
  _bw_store_close_db (self);
  if (g_rename (side, db_path) != 0)
    return _bw_store_set_errno_error (error, errno, _("putting the rebuilt index in place"),
                                      db_path);
  if (!_bw_store_fsync_directory (self->directory, error))
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
  g_autofree char *db_path = g_build_filename (self->directory, BW_STORE_DB_NAME, NULL);
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
      g_autofree char *clean = g_strconcat (db_path, BW_STORE_CLEAN_SUFFIX, NULL);
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
