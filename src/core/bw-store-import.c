/* bw-store-import.c
 *
 * Copyright 2026 The Badge Wallet authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bw-store"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bw-error.h"
#include "bw-store-private.h"
#include "bw-util.h"

#define MANIFEST_NAME   "manifest.json"
#define MAX_ORIGINAL    (64 * 1024 * 1024)
#define MAX_RESOLVE     8

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
      _bw_store_document_add (documents, kind, url, document);
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
  g_clear_pointer (&pending->row, _bw_store_row_free);
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

  _bw_store_db_rollback (imp->self->db);
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

      g_clear_pointer (&p->row, _bw_store_row_free);
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
      if (!_bw_store_sync_filesystem (self->originals_dir, error))
        {
          import_rollback (imp, *error);
          return FALSE;
        }

      rc = sqlite3_exec (self->db, "COMMIT", NULL, NULL, NULL);
      if (rc != SQLITE_OK)
        {
          _bw_store_set_db_error (error, self->db, rc, _("saving the imported badges"));
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
    _bw_store_refresh_model (self);

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

  if (value == NULL || (stmt = _bw_store_get_stmt (self, id, NULL)) == NULL)
    return NULL;
  _bw_store_bind_text (stmt, 1, value);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    found = _bw_store_column_dup (stmt, 0);
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
  if (!_bw_store_db_exec (imp->self->db, "BEGIN IMMEDIATE", _("starting an import"), error))
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
  g_autofree char *badge_json = _bw_store_badge_json_build (payload, documents);
  g_autofree char *tags = _bw_store_join_strv (bw_badge_get_tags (badge));
  g_autofree char *skills = _bw_store_join_strv (bw_badge_get_skills (badge));
  const char *issuer = bw_badge_get_issuer_name (badge);
  int rc;

  stmt = _bw_store_get_stmt (self, STMT_INSERT_BADGE, error);
  if (stmt == NULL)
    return FALSE;

  _bw_store_bind_text (stmt, 1, wallet_id);
  _bw_store_bind_text (stmt, 2, bw_badge_get_id (badge));
  _bw_store_bind_text (stmt, 3, _bw_store_original_format (payload->format, payload->kind));
  sqlite3_bind_int64 (stmt, 4, (sqlite3_int64)g_bytes_get_size (original));
  _bw_store_bind_text (stmt, 5, bw_badge_get_name (badge));
  _bw_store_bind_text (stmt, 6, issuer);
  _bw_store_bind_time (stmt, 7, bw_badge_get_issued (badge));
  _bw_store_bind_time (stmt, 8, bw_badge_get_expires (badge));
  sqlite3_bind_int64 (stmt, 9, meta->added);
  _bw_store_bind_text (stmt, 10, meta->verdict);
  if (meta->checked != G_MININT64)
    sqlite3_bind_int64 (stmt, 11, meta->checked);

  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return _bw_store_set_db_error (error, self->db, rc, _("adding a badge"));
  *rowid = sqlite3_last_insert_rowid (self->db);

  data = _bw_store_get_stmt (self, STMT_INSERT_DATA, error);
  if (data == NULL)
    return FALSE;
  sqlite3_bind_int64 (data, 1, *rowid);
  _bw_store_bind_text (data, 2, input_name);
  _bw_store_bind_text (data, 3, bw_spec_version_to_string (bw_badge_get_spec (badge)));
  _bw_store_bind_text (data, 4, bw_badge_get_description (badge));
  _bw_store_bind_text (data, 5, bw_badge_get_issuer_id (badge));
  _bw_store_bind_text (data, 6, bw_badge_get_image (badge));
  _bw_store_bind_text (data, 7, tags);
  _bw_store_bind_text (data, 8, skills);
  _bw_store_bind_text (data, 9, badge_json);
  _bw_store_bind_text (data, 10, meta->note);
  _bw_store_bind_text (data, 11, meta->report);
  rc = sqlite3_step (data);
  sqlite3_reset (data);
  if (rc != SQLITE_DONE)
    return _bw_store_set_db_error (error, self->db, rc, _("adding a badge"));

  fts = _bw_store_get_stmt (self, STMT_INSERT_SEARCH, error);
  if (fts == NULL)
    return FALSE;
  sqlite3_bind_int64 (fts, 1, *rowid);
  _bw_store_bind_text (fts, 2, bw_badge_get_name (badge));
  _bw_store_bind_text (fts, 3, bw_badge_get_description (badge));
  _bw_store_bind_text (fts, 4, issuer != NULL ? issuer : bw_badge_get_issuer_id (badge));
  _bw_store_bind_text (fts, 5, tags);
  _bw_store_bind_text (fts, 6, skills);
  rc = sqlite3_step (fts);
  sqlite3_reset (fts);
  if (rc != SQLITE_DONE)
    return _bw_store_set_db_error (error, self->db, rc, _("indexing a badge for search"));
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

  payload = _bw_store_payload_from_bytes (original, BW_PAYLOAD_SOURCE_FILE, &local_error);
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
      _bw_store_resolve_documents (badge, given_documents);
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

  if (!_bw_store_write_blob (self->originals_dir, wallet_id, original, FALSE, &created, error))
    {
      import_queue (imp, import_result_new (input_name, BW_IMPORT_ADDED, wallet_id, NULL),
                    NULL, NULL);
      return FALSE;
    }
  if (created)
    created_path = _bw_store_original_path (self, wallet_id);

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
  row->verdict = _bw_store_verdict_from_text (meta.verdict);

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

/* Reads everything @fd gives, up to what any badge can be. */
static GBytes *
read_fd_capped (int          fd,
                const char  *what,
                GError     **error)
{
  g_autoptr(GByteArray) data = g_byte_array_new ();
  guint8 buffer[65536];

  for (;;)
    {
      gssize n = read (fd, buffer, sizeof buffer);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          int saved = errno;

          /* Translators: the first %s is a file name or “standard input”. */
          g_set_error (error, BW_ERROR, BW_ERROR_IO, _("Could not read %s: %s"),
                       what, g_strerror (saved));
          return NULL;
        }
      if (n == 0)
        break;
      if (data->len + (gsize)n > MAX_ORIGINAL)
        {
          g_set_error (error, BW_ERROR, BW_ERROR_TOO_LARGE,
                       _("Too much data in %s: more than any badge can be (%d bytes)"),
                       what, MAX_ORIGINAL);
          return NULL;
        }
      g_byte_array_append (data, buffer, (guint)n);
    }

  return g_byte_array_free_to_bytes (g_steal_pointer (&data));
}

/* What kind of file @mode is, for a message saying why it was not read. */
static const char *
file_kind_name (mode_t mode)
{
  if (S_ISFIFO (mode))
    return _("a named pipe (FIFO)");
  if (S_ISSOCK (mode))
    return _("a socket");
  if (S_ISCHR (mode) || S_ISBLK (mode))
    return _("a device");
  if (S_ISDIR (mode))
    return _("a folder");
  return _("a special file");
}

/* Reads a regular file whole. The file is opened without blocking and
 * checked once open, so a named pipe or device put in its place is refused
 * instead of waiting forever for a writer. */
GBytes *
_bw_store_read_file (const char  *path,
                     GError     **error)
{
  struct stat st;
  GBytes *data;
  int fd;

  fd = open (path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
  if (fd < 0)
    {
      int saved = errno;

      g_set_error (error, BW_ERROR, BW_ERROR_IO, _("Could not open “%s”: %s"),
                   path, g_strerror (saved));
      return NULL;
    }
  if (fstat (fd, &st) != 0)
    {
      int saved = errno;

      close (fd);
      g_set_error (error, BW_ERROR, BW_ERROR_IO, _("Could not read “%s”: %s"),
                   path, g_strerror (saved));
      return NULL;
    }
  if (!S_ISREG (st.st_mode))
    {
      close (fd);
      g_set_error (error, BW_ERROR, BW_ERROR_NOT_A_BADGE,
                   /* Translators: %s is a kind of file such as “a named pipe (FIFO)”. */
                   _("Not a regular file: it is %s"), file_kind_name (st.st_mode));
      return NULL;
    }
  if (st.st_size > MAX_ORIGINAL)
    {
      close (fd);
      g_set_error (error, BW_ERROR, BW_ERROR_TOO_LARGE,
                   _("The file is %lld bytes, more than any badge can be (%d)"),
                   (long long)st.st_size, MAX_ORIGINAL);
      return NULL;
    }

  data = read_fd_capped (fd, path, error);
  close (fd);
  return data;
}

static GBytes *
read_stdin (GError **error)
{
  return read_fd_capped (STDIN_FILENO, _("standard input"), error);
}

/* Reads an input named on the command line that is not a regular file,
 * such as the pipe of a shell's process substitution: the user asked for
 * it by name, so waiting for its writer is what they expect. */
static GBytes *
read_named_stream (const char  *path,
                   GError     **error)
{
  GBytes *data;
  int fd = open (path, O_RDONLY | O_NOCTTY | O_CLOEXEC);

  if (fd < 0)
    {
      int saved = errno;

      g_set_error (error, BW_ERROR, BW_ERROR_IO, _("Could not open “%s”: %s"),
                   path, g_strerror (saved));
      return NULL;
    }
  data = read_fd_capped (fd, path, error);
  close (fd);
  return data;
}

/* Queues the result of a file that could not be read: a file that is no
 * regular file holds no badge, anything else failed. */
static void
import_queue_unreadable (Import       *imp,
                         const char   *path,
                         const GError *error)
{
  BwImportStatus status = g_error_matches (error, BW_ERROR, BW_ERROR_NOT_A_BADGE)
                          ? BW_IMPORT_NOT_A_BADGE : BW_IMPORT_FAILED;

  import_queue (imp, import_result_new (path, status, NULL, error->message), NULL, NULL);
}

static gboolean
import_file (Import     *imp,
             const char *path,
             JsonObject *manifest_entry,
             GError    **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GBytes) data = _bw_store_read_file (path, &local_error);

  if (data == NULL)
    {
      import_queue_unreadable (imp, path, local_error);
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

  payload = _bw_store_payload_from_bytes (fetched->body, BW_PAYLOAD_SOURCE_URL, &local_error);
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
  g_autoptr(GBytes) contents = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  GHashTable *entries;
  JsonObject *object;
  JsonArray *badges;
  gsize length;
  const char *text;

  if ((contents = _bw_store_read_file (path, NULL)) == NULL)
    return NULL;
  text = g_bytes_get_data (contents, &length);
  root = bw_json_parse (length > 0 ? text : "", (gssize)length, &error);
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
      if (g_lstat (path, &st) != 0)
        {
          int saved = errno;
          g_autofree char *message = g_strdup_printf (_("Could not read it: %s"),
                                                      g_strerror (saved));

          import_queue (imp, import_result_new (path, BW_IMPORT_FAILED, NULL, message),
                        NULL, NULL);
          continue;
        }
      if (S_ISDIR (st.st_mode))
        {
          if (!import_directory (imp, path, FALSE, error))
            return FALSE;
          continue;
        }
      if (S_ISLNK (st.st_mode))
        {
          GStatBuf target;

          if (g_stat (path, &target) != 0)
            {
              int saved = errno;
              g_autofree char *points_to = g_file_read_link (path, NULL);
              g_autofree char *message = NULL;

              message = g_strdup_printf (_("Broken link: its target “%s” cannot be reached (%s)"),
                                         points_to != NULL ? points_to : "",
                                         g_strerror (saved));
              import_queue (imp, import_result_new (path, BW_IMPORT_FAILED, NULL, message),
                            NULL, NULL);
              continue;
            }
          /* Links to folders are not followed, so a loop cannot make an
           * import endless; the user learns why the folder was left out. */
          if (S_ISDIR (target.st_mode))
            {
              import_queue (imp, import_result_new (path, BW_IMPORT_NOT_A_BADGE, NULL,
                                                    _("A link to a folder: links to folders "
                                                      "are not followed")),
                            NULL, NULL);
              continue;
            }
        }

      /* Anything else, a named pipe included, is opened without blocking
       * and refused with its kind when it is no regular file. */
      if (!import_file (imp, path,
                        manifest != NULL ? g_hash_table_lookup (manifest, entry_name) : NULL,
                        error))
        return FALSE;
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
                                            g_file_test (input, G_FILE_TEST_IS_SYMLINK)
                                            ? _("Broken link: its target does not exist")
                                            : _("No such file or folder")),
                    NULL, NULL);
      return TRUE;
    }

  if (!g_file_test (input, G_FILE_TEST_IS_REGULAR))
    {
      g_autoptr(GBytes) data = read_named_stream (input, &local_error);

      if (data == NULL)
        {
          import_queue_unreadable (imp, input, local_error);
          return TRUE;
        }
      return import_original (imp, data, input, NULL, NULL, G_MININT64, error);
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
/* Rebuilding the index from the originals                                   */
/* ------------------------------------------------------------------------- */

/* Rebuilds the index from the originals, the wallet's truth. What only the
 * database knew (notes, reports) is lost; the added date falls back to the
 * time the original was written. */
gboolean
_bw_store_rebuild_from_originals (BwStore  *self,
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

          if (!_bw_store_is_wallet_id (entry))
            continue;
          data = _bw_store_read_file (path, NULL);
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

/* ------------------------------------------------------------------------- */
/* Export                                                                    */
/* ------------------------------------------------------------------------- */

/* The names an export writes: `manifest.json`, each original as
 * `ID.png|svg|json|jws|txt`, and the hidden temporary file of a write that
 * was cut short. */
static gboolean
is_export_file_name (const char *name)
{
  static const char * const formats[] = { "png", "svg", "json", "jws", "txt" };
  const char *dot = strchr (name, '.');
  g_autofree char *id = NULL;

  if (g_str_equal (name, MANIFEST_NAME) || g_str_has_prefix (name, ".tmp-"))
    return TRUE;
  if (dot == NULL)
    return FALSE;
  id = g_strndup (name, (gsize)(dot - name));
  if (!_bw_store_is_wallet_id (id))
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
    if (g_str_equal (dot + 1, formats[i]))
      return TRUE;
  return FALSE;
}

typedef enum
{
  EXPORT_INTO_NEW,
  EXPORT_INTO_EMPTY,
  EXPORT_OVER_EXPORT,
} ExportTarget;

/* Says where an export to @directory goes, or why it must not: a folder
 * holding anything but an earlier export (and only what export writes) is
 * the user's, and export never deletes what it did not write. */
static gboolean
classify_export_target (const char    *directory,
                        ExportTarget  *target,
                        GError       **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GHashTable) manifest = NULL;
  g_autoptr(JsonNode) manifest_root = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;
  GStatBuf st;

  if (g_stat (directory, &st) != 0)
    {
      if (errno != ENOENT)
        return _bw_store_set_errno_error (error, errno, _("opening the folder"), directory);
      *target = EXPORT_INTO_NEW;
      return TRUE;
    }
  if (!S_ISDIR (st.st_mode))
    {
      g_set_error (error, BW_ERROR, BW_ERROR_IO,
                   _("“%s” is not a folder: export writes a folder of files"), directory);
      return FALSE;
    }

  dir = g_dir_open (directory, 0, &local_error);
  if (dir == NULL)
    {
      g_set_error (error, BW_ERROR, BW_ERROR_IO, _("Could not open the folder “%s”: %s"),
                   directory, local_error->message);
      return FALSE;
    }
  while ((name = g_dir_read_name (dir)) != NULL)
    g_ptr_array_add (names, g_strdup (name));
  if (names->len == 0)
    {
      *target = EXPORT_INTO_EMPTY;
      return TRUE;
    }

  manifest = read_manifest (directory, &manifest_root);
  if (manifest == NULL)
    {
      g_set_error (error, BW_ERROR, BW_ERROR_IO,
                   _("The folder “%s” is not empty and holds no Badge Wallet export: export "
                     "into a new or empty folder, or over an earlier export"), directory);
      return FALSE;
    }
  g_ptr_array_sort (names, compare_names);
  for (guint i = 0; i < names->len; i++)
    {
      const char *entry = g_ptr_array_index (names, i);
      g_autofree char *path = g_build_filename (directory, entry, NULL);

      if (!is_export_file_name (entry) || g_lstat (path, &st) != 0 || !S_ISREG (st.st_mode))
        {
          g_set_error (error, BW_ERROR, BW_ERROR_IO,
                       _("The folder “%s” holds an earlier Badge Wallet export, but also “%s”, "
                         "which export did not write: move it away or choose another folder"),
                       directory, entry);
          return FALSE;
        }
    }
  *target = EXPORT_OVER_EXPORT;
  return TRUE;
}

/* Deletes the files of a flat folder written by export, then the folder. */
static void
remove_export_folder (const char *directory)
{
  g_autoptr(GDir) dir = g_dir_open (directory, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (directory, name, NULL);

      if (g_unlink (path) != 0)
        g_warning ("Could not delete %s: %s", path, g_strerror (errno));
    }
  if (g_rmdir (directory) != 0)
    g_warning ("Could not delete the folder %s: %s", directory, g_strerror (errno));
}

/* Writes the export's files into @directory, an existing empty folder,
 * naming each one it writes in @written. */
static gboolean
export_files (BwStore     *self,
              const char  *directory,
              GPtrArray   *written,
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

  stmt = _bw_store_db_prepare (self->db,
                               "SELECT b.wallet_id, b.format, b.added, d.note, b.verdict,"
                               " b.checked, d.report, d.badge_json"
                               " FROM badges b JOIN badge_data d ON d.rowid = b.rowid"
                               " ORDER BY b.added, b.rowid", error);
  if (stmt == NULL)
    return FALSE;

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  bw_json_builder_add_string (builder, "format", "badge-wallet-export");
  json_builder_set_member_name (builder, "version");
  json_builder_add_int_value (builder, 1);
  bw_json_builder_add_string (builder, "exported", now_text);
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
          !_bw_store_write_file_durably (path, NULL, g_bytes_get_data (original, NULL),
                                         g_bytes_get_size (original), FALSE, error))
        return FALSE;
      g_ptr_array_add (written, g_strdup (path));

      json_builder_begin_object (builder);
      bw_json_builder_add_string (builder, "id", wallet_id);
      bw_json_builder_add_string (builder, "file", file);
      _bw_store_json_add_time (builder, "added", _bw_store_column_time (stmt, 2));
      bw_json_builder_add_string (builder, "note",
                                  (const char *)sqlite3_column_text (stmt, 3));
      bw_json_builder_add_string (builder, "verdict",
                                  (const char *)sqlite3_column_text (stmt, 4));
      _bw_store_json_add_time (builder, "checked", _bw_store_column_time (stmt, 5));
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
    return _bw_store_set_db_error (error, self->db, rc, _("exporting the wallet"));

  json_builder_end_array (builder);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  manifest = json_to_string (root, TRUE);
  manifest_path = g_build_filename (directory, MANIFEST_NAME, NULL);
  /* The manifest goes last, once every original it lists is on disk. */
  if (!_bw_store_sync_filesystem (directory, error) ||
      !_bw_store_write_file_durably (manifest_path, NULL, (const guint8 *)manifest,
                                     strlen (manifest), TRUE, error))
    return FALSE;
  g_ptr_array_add (written, g_strdup (manifest_path));
  return TRUE;
}

/**
 * bw_store_export:
 * @self: a #BwStore
 * @directory: the folder to write: a new or empty one, or an earlier export
 * @error: return location for an error
 *
 * Writes every original byte-exact as `ID.png|svg|json|jws|txt` and a
 * `manifest.json` with each badge's id, added date, note, last report and
 * the documents it was resolved with. Importing the folder into an empty
 * wallet gives the same wallet.
 *
 * The folder then holds exactly that. An earlier export there is replaced
 * whole: the new one is written into a hidden folder beside it and swapped
 * in, so a failure midway leaves the earlier export as it was. A folder
 * holding anything else is refused.
 */
gboolean
bw_store_export (BwStore     *self,
                 const char  *directory,
                 GError     **error)
{
  g_autoptr(GPtrArray) written = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *target = NULL;
  g_autofree char *parent = NULL;
  g_autofree char *base = NULL;
  g_autofree char *staging = NULL;
  ExportTarget kind;
  GStatBuf st;

  g_return_val_if_fail (BW_IS_STORE (self), FALSE);
  g_return_val_if_fail (directory != NULL, FALSE);

  /* A link to a folder is written through: the swap replaces the folder it
   * points at, not the link. */
  target = g_lstat (directory, &st) == 0 && S_ISLNK (st.st_mode)
           ? realpath (directory, NULL) : NULL;
  /* “out/” and “./out” name the folder “out” in “.”, whose sibling the
   * staging folder must be. */
  if (target == NULL)
    target = g_canonicalize_filename (directory, NULL);
  if (!classify_export_target (target, &kind, error))
    return FALSE;

  if (kind == EXPORT_INTO_EMPTY)
    {
      if (export_files (self, target, written, error))
        return TRUE;
      /* The folder was empty: it is left so. */
      for (guint i = 0; i < written->len; i++)
        g_unlink (g_ptr_array_index (written, i));
      return FALSE;
    }

  parent = g_path_get_dirname (target);
  base = g_path_get_basename (target);
  if (g_mkdir_with_parents (parent, 0700) != 0)
    return _bw_store_set_errno_error (error, errno, _("creating the folder"), parent);
  /* Hidden, so importing the parent folder meanwhile does not see it. */
  staging = g_strdup_printf ("%s%c.%s.export-XXXXXX", parent, G_DIR_SEPARATOR, base);
  if (g_mkdtemp_full (staging, 0700) == NULL)
    return _bw_store_set_errno_error (error, errno, _("creating a folder in"), parent);

  if (!export_files (self, staging, written, error))
    {
      remove_export_folder (staging);
      return FALSE;
    }

  if (kind == EXPORT_INTO_NEW)
    {
      if (g_rename (staging, target) != 0)
        {
          int saved = errno;

          remove_export_folder (staging);
          return _bw_store_set_errno_error (error, saved, _("creating the folder"), target);
        }
    }
  else
    {
      if (!_bw_store_exchange_directories (staging, target, error))
        {
          remove_export_folder (staging);
          return FALSE;
        }
      /* The staging folder now holds the earlier export. */
      remove_export_folder (staging);
    }

  return _bw_store_fsync_directory (parent, error);
}
