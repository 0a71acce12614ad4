/* bw-batch.c
 *
 * Copyright 2026 The Badge Wallet authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bw-batch"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "bw-batch.h"

/* The largest file read for import; the store refuses larger ones anyway,
 * and this keeps a stray disk image in a folder from being read at all. */
#define MAX_IMPORT_BYTES   (64 * 1024 * 1024)
/* Bounds on a folder walk, so a link farm or a huge tree cannot run away. */
#define MAX_SCAN_DEPTH     16
#define MAX_SCAN_FILES     200000
#define DEFAULT_MAX_JOBS   4

typedef enum
{
  ITEM_SCAN,
  ITEM_IMPORT,
  ITEM_VERIFY,
} ItemKind;

typedef struct
{
  ItemKind  kind;
  char     *path;
  BwBadge  *badge;
} Item;

struct _BwBatch
{
  GObject       parent_instance;

  BwStore      *store;
  BwVerifier   *verifier;
  gboolean      verify_on_import;
  guint         max_jobs;

  GQueue        queue;
  GQueue        adds;
  gboolean      adding;
  guint         in_flight;
  GCancellable *cancellable;
  gboolean      running;

  guint         scans_pending;
  guint         import_total;
  guint         import_done;
  guint         verify_total;
  guint         verify_done;
  guint         added;
  guint         verified;
  GPtrArray    *failures;
  char         *status;
};

G_DEFINE_FINAL_TYPE (BwBatch, bw_batch, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_RUNNING,
  PROP_TOTAL,
  PROP_DONE,
  PROP_FRACTION,
  PROP_STATUS,
  N_PROPS
};

enum {
  FINISHED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void pump (BwBatch *self);

void
bw_batch_failure_free (BwBatchFailure *failure)
{
  if (failure == NULL)
    return;
  g_free (failure->input);
  g_free (failure->message);
  g_free (failure);
}

static void
item_free (Item *item)
{
  g_free (item->path);
  g_clear_object (&item->badge);
  g_free (item);
}

static void
add_failure (BwBatch    *self,
             const char *input,
             const char *message)
{
  BwBatchFailure *failure = g_new0 (BwBatchFailure, 1);

  failure->input = g_strdup (input);
  failure->message = g_strdup (message);
  g_ptr_array_add (self->failures, failure);
}

static char *
display_name_for_path (const char *path)
{
  return g_filename_display_basename (path);
}

static char *
display_name_for_badge (BwBadge *badge)
{
  const char *name = bw_badge_get_name (badge);

  if (name != NULL && *name != '\0')
    return g_strdup (name);
  if (bw_badge_get_wallet_id (badge) != NULL)
    return g_strdup (bw_badge_get_wallet_id (badge));
  return g_strdup (_("Unnamed badge"));
}

static void
update_status (BwBatch *self)
{
  g_autofree char *status = NULL;

  if (!self->running)
    status = g_strdup ("");
  else if (g_cancellable_is_cancelled (self->cancellable))
    status = g_strdup (_("Cancelling…"));
  else if (self->import_done < self->import_total)
    /* Translators: the progress of an import, e.g. "Importing badges: 3 of 120". */
    status = g_strdup_printf (_("Importing badges: %u of %u"),
                              MIN (self->import_done + 1, self->import_total),
                              self->import_total);
  else if (self->scans_pending > 0)
    status = g_strdup (_("Looking for badges…"));
  else if (self->verify_done < self->verify_total)
    /* Translators: the progress of verification, e.g. "Verifying badges: 3 of 120". */
    status = g_strdup_printf (_("Verifying badges: %u of %u"),
                              MIN (self->verify_done + 1, self->verify_total),
                              self->verify_total);
  else
    status = g_strdup (_("Finishing…"));

  if (g_strcmp0 (status, self->status) != 0)
    {
      g_free (self->status);
      self->status = g_steal_pointer (&status);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS]);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TOTAL]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DONE]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FRACTION]);
}

static void
set_running (BwBatch  *self,
             gboolean  running)
{
  if (self->running == running)
    return;

  self->running = running;
  if (running)
    {
      /* A new run starts from zero; the failures of the last one stay
       * readable until then. */
      g_clear_object (&self->cancellable);
      self->cancellable = g_cancellable_new ();
      self->import_total = self->import_done = 0;
      self->verify_total = self->verify_done = 0;
      self->added = self->verified = 0;
      g_ptr_array_set_size (self->failures, 0);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
  update_status (self);
}

static void
push (BwBatch    *self,
      ItemKind    kind,
      const char *path,
      BwBadge    *badge)
{
  Item *item = g_new0 (Item, 1);

  set_running (self, TRUE);

  item->kind = kind;
  item->path = g_strdup (path);
  item->badge = badge != NULL ? g_object_ref (badge) : NULL;
  g_queue_push_tail (&self->queue, item);

  switch (kind)
    {
    case ITEM_SCAN:
      self->scans_pending++;
      break;
    case ITEM_IMPORT:
      self->import_total++;
      break;
    case ITEM_VERIFY:
      self->verify_total++;
      break;
    default:
      g_assert_not_reached ();
    }
}

static void
finish_one (BwBatch *self)
{
  g_assert (self->in_flight > 0);

  self->in_flight--;
  pump (self);
}

static gboolean
is_candidate_name (const char *name)
{
  static const char * const suffixes[] = {
    ".png", ".svg", ".json", ".jsonld", ".jwt", ".jws",
  };
  g_autofree char *folded = g_ascii_strdown (name, -1);

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    if (g_str_has_suffix (folded, suffixes[i]))
      return TRUE;
  return FALSE;
}

/* Walks a folder in a worker thread, collecting the files that may hold a
 * badge. It never follows symbolic links and skips hidden entries. */
static void
scan_folder (GFile        *folder,
             guint         depth,
             GPtrArray    *found,
             GCancellable *cancellable)
{
  g_autoptr(GFileEnumerator) enumerator = NULL;

  if (depth > MAX_SCAN_DEPTH || found->len >= MAX_SCAN_FILES)
    return;

  enumerator = g_file_enumerate_children (folder,
                                          G_FILE_ATTRIBUTE_STANDARD_NAME ","
                                          G_FILE_ATTRIBUTE_STANDARD_TYPE ","
                                          G_FILE_ATTRIBUTE_STANDARD_IS_HIDDEN,
                                          G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS,
                                          cancellable, NULL);
  if (enumerator == NULL)
    return;

  for (;;)
    {
      GFileInfo *info = NULL;
      GFile *child = NULL;
      const char *name;

      if (!g_file_enumerator_iterate (enumerator, &info, &child, cancellable, NULL) ||
          info == NULL)
        break;

      name = g_file_info_get_name (info);
      if (g_file_info_get_is_hidden (info) || name == NULL || name[0] == '.')
        continue;

      switch (g_file_info_get_file_type (info))
        {
        case G_FILE_TYPE_DIRECTORY:
          scan_folder (child, depth + 1, found, cancellable);
          break;
        case G_FILE_TYPE_REGULAR:
          if (is_candidate_name (name) && found->len < MAX_SCAN_FILES)
            g_ptr_array_add (found, g_file_get_path (child));
          break;
        default:
          break;
        }
    }
}

static int
compare_paths (gconstpointer a,
               gconstpointer b)
{
  return g_strcmp0 (*(const char * const *)a, *(const char * const *)b);
}

static void
scan_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  const char *path = task_data;
  g_autoptr(GFile) folder = g_file_new_for_path (path);
  g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func (g_free);

  scan_folder (folder, 0, found, cancellable);
  /* The walk is in file system order; a sorted list imports in an order
   * the user can follow. */
  g_ptr_array_sort (found, compare_paths);
  g_task_return_pointer (task, g_steal_pointer (&found), (GDestroyNotify)g_ptr_array_unref);
}

static void
scan_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(BwBatch) self = user_data;
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(GError) error = NULL;

  found = g_task_propagate_pointer (G_TASK (result), &error);
  self->scans_pending--;

  if (found != NULL && !g_cancellable_is_cancelled (self->cancellable))
    for (guint i = 0; i < found->len; i++)
      push (self, ITEM_IMPORT, g_ptr_array_index (found, i), NULL);

  finish_one (self);
}

static void
start_scan (BwBatch *self,
            Item    *item)
{
  g_autoptr(GTask) task = g_task_new (NULL, self->cancellable, scan_done_cb, g_object_ref (self));

  g_task_set_source_tag (task, start_scan);
  g_task_set_task_data (task, g_strdup (item->path), g_free);
  g_task_run_in_thread (task, scan_thread);
}

static void
read_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  const char *path = task_data;
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(GError) error = NULL;
  char *contents = NULL;
  gsize length = 0;

  info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_SIZE, G_FILE_QUERY_INFO_NONE,
                            cancellable, &error);
  if (info == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (g_file_info_get_size (info) > MAX_IMPORT_BYTES)
    {
      g_task_return_new_error (task, BW_ERROR, BW_ERROR_TOO_LARGE,
                               _("The file is larger than %u MiB, too large for a badge"),
                               MAX_IMPORT_BYTES / (1024 * 1024));
      return;
    }
  if (!g_file_load_contents (file, cancellable, &contents, &length, NULL, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_return_pointer (task, g_bytes_new_take (contents, length), (GDestroyNotify)g_bytes_unref);
}

/* Adds one file's bytes to the wallet and records the outcome. */
static void
import_bytes (BwBatch    *self,
              const char *path,
              GBytes     *bytes)
{
  g_autofree char *name = display_name_for_path (path);
  g_autoptr(BwImportResult) import = NULL;
  g_autoptr(GError) error = NULL;

  import = bw_store_add_bytes (self->store, bytes, path, &error);
  if (import == NULL)
    {
      add_failure (self, name, error->message);
      return;
    }

  switch (import->status)
    {
    case BW_IMPORT_ADDED:
      self->added++;
      if (self->verify_on_import && self->verifier != NULL &&
          import->wallet_id != NULL &&
          !g_cancellable_is_cancelled (self->cancellable))
        {
          BwBadge *badge = bw_store_lookup (self->store, import->wallet_id);

          if (badge != NULL)
            push (self, ITEM_VERIFY, NULL, badge);
        }
      break;
    case BW_IMPORT_ALREADY_PRESENT:
      break;
    case BW_IMPORT_NOT_A_BADGE:
      add_failure (self, name, import->message != NULL ? import->message
                                                         : _("The file holds no Open Badges data"));
      break;
    case BW_IMPORT_FAILED:
    default:
      add_failure (self, name, import->message != NULL ? import->message
                                                         : _("The badge could not be added"));
      break;
    }
}

typedef struct
{
  char   *path;
  GBytes *bytes;
} PendingAdd;

static void
pending_add_free (PendingAdd *pending)
{
  g_free (pending->path);
  g_clear_pointer (&pending->bytes, g_bytes_unref);
  g_free (pending);
}

/* Adding a hosted badge makes the store fetch its documents, iterating the
 * main context while it waits; another read finishing meanwhile must not
 * enter the store a second time, so adds are queued and run one by one. */
static void
queue_add (BwBatch    *self,
           const char *path,
           GBytes     *bytes)
{
  PendingAdd *pending = g_new0 (PendingAdd, 1);

  pending->path = g_strdup (path);
  pending->bytes = bytes != NULL ? g_bytes_ref (bytes) : NULL;
  g_queue_push_tail (&self->adds, pending);

  if (self->adding)
    return;

  g_object_ref (self);
  self->adding = TRUE;
  while (!g_queue_is_empty (&self->adds))
    {
      pending = g_queue_pop_head (&self->adds);
      self->import_done++;
      if (pending->bytes != NULL && !g_cancellable_is_cancelled (self->cancellable))
        import_bytes (self, pending->path, pending->bytes);
      pending_add_free (pending);
      finish_one (self);
    }
  self->adding = FALSE;
  g_object_unref (self);
}

static void
import_read_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(BwBatch) self = user_data;
  const char *path = g_task_get_task_data (G_TASK (result));
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;

  bytes = g_task_propagate_pointer (G_TASK (result), &error);
  if (bytes == NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_autofree char *name = display_name_for_path (path);

      add_failure (self, name, error->message);
    }
  queue_add (self, path, bytes);
}

typedef struct
{
  BwBatch *self;
  char    *url;
} FetchData;

static void
import_fetch_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  FetchData *data = user_data;
  g_autoptr(BwBatch) self = data->self;
  g_autofree char *url = data->url;
  g_autoptr(BwFetchResult) fetched = NULL;
  g_autoptr(GError) error = NULL;

  g_free (data);

  fetched = bw_fetcher_fetch_finish (BW_FETCHER (object), result, &error);
  if (fetched == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        add_failure (self, url, error->message);
      queue_add (self, url, NULL);
    }
  else if (fetched->status < 200 || fetched->status >= 300)
    {
      g_autofree char *message = NULL;

      /* Translators: %u is an HTTP status code such as 404. */
      message = g_strdup_printf (_("The server answered with status %u"), fetched->status);
      add_failure (self, url, message);
      queue_add (self, url, NULL);
    }
  else
    queue_add (self, url, fetched->body);
}

static void
start_import (BwBatch *self,
              Item    *item)
{
  g_autoptr(GTask) task = NULL;

  if (g_str_has_prefix (item->path, "https://") || g_str_has_prefix (item->path, "http://"))
    {
      FetchData *data = g_new0 (FetchData, 1);
      BwFetcher *fetcher = self->verifier != NULL ? bw_verifier_get_fetcher (self->verifier)
                                                  : NULL;

      if (fetcher == NULL)
        {
          add_failure (self, item->path, _("Badges cannot be fetched from the web here"));
          queue_add (self, item->path, NULL);
          g_free (data);
          return;
        }
      data->self = g_object_ref (self);
      data->url = g_strdup (item->path);
      bw_fetcher_fetch_async (fetcher, item->path, BW_FETCH_ANY, self->cancellable,
                              import_fetch_cb, data);
      return;
    }

  task = g_task_new (NULL, self->cancellable, import_read_cb, g_object_ref (self));
  g_task_set_source_tag (task, start_import);
  g_task_set_task_data (task, g_strdup (item->path), g_free);
  g_task_run_in_thread (task, read_thread);
}

typedef struct
{
  BwBatch *self;
  BwBadge *badge;
} VerifyData;

static void
verify_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  VerifyData *data = user_data;
  g_autoptr(BwBatch) self = data->self;
  g_autoptr(BwBadge) badge = data->badge;
  g_autoptr(BwReport) report = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = display_name_for_badge (badge);

  g_free (data);

  report = bw_verifier_verify_finish (BW_VERIFIER (object), result, &error);
  self->verify_done++;

  if (report == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        add_failure (self, name, error->message);
    }
  else
    {
      const char *wallet_id = bw_badge_get_wallet_id (badge);

      self->verified++;
      if (wallet_id != NULL &&
          !bw_store_save_report (self->store, wallet_id, report, &error))
        add_failure (self, name, error->message);
    }

  finish_one (self);
}

static void
start_verify (BwBatch *self,
              Item    *item)
{
  VerifyData *data = g_new0 (VerifyData, 1);

  data->self = g_object_ref (self);
  data->badge = g_object_ref (item->badge);
  bw_verifier_verify_async (self->verifier, item->badge, self->cancellable,
                            verify_done_cb, data);
}

static void
pump (BwBatch *self)
{
  while (self->in_flight < self->max_jobs && !g_queue_is_empty (&self->queue))
    {
      Item *item = g_queue_pop_head (&self->queue);

      self->in_flight++;
      switch (item->kind)
        {
        case ITEM_SCAN:
          start_scan (self, item);
          break;
        case ITEM_IMPORT:
          start_import (self, item);
          break;
        case ITEM_VERIFY:
          start_verify (self, item);
          break;
        default:
          g_assert_not_reached ();
        }
      item_free (item);
    }

  if (self->running && self->in_flight == 0 && g_queue_is_empty (&self->queue))
    {
      g_object_ref (self);
      set_running (self, FALSE);
      g_signal_emit (self, signals[FINISHED], 0,
                     g_cancellable_is_cancelled (self->cancellable));
      g_object_unref (self);
    }
  else
    update_status (self);
}

static void
bw_batch_dispose (GObject *object)
{
  BwBatch *self = (BwBatch *)object;

  g_cancellable_cancel (self->cancellable);
  g_queue_clear_full (&self->queue, (GDestroyNotify)item_free);
  g_queue_clear_full (&self->adds, (GDestroyNotify)pending_add_free);
  g_clear_object (&self->store);
  g_clear_object (&self->verifier);

  G_OBJECT_CLASS (bw_batch_parent_class)->dispose (object);
}

static void
bw_batch_finalize (GObject *object)
{
  BwBatch *self = (BwBatch *)object;

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->failures, g_ptr_array_unref);
  g_clear_pointer (&self->status, g_free);

  G_OBJECT_CLASS (bw_batch_parent_class)->finalize (object);
}

static void
bw_batch_get_property (GObject    *object,
                       guint       prop_id,
                       GValue     *value,
                       GParamSpec *pspec)
{
  BwBatch *self = BW_BATCH (object);

  switch (prop_id)
    {
    case PROP_RUNNING:
      g_value_set_boolean (value, self->running);
      break;
    case PROP_TOTAL:
      g_value_set_uint (value, bw_batch_get_total (self));
      break;
    case PROP_DONE:
      g_value_set_uint (value, bw_batch_get_done (self));
      break;
    case PROP_FRACTION:
      g_value_set_double (value, bw_batch_get_fraction (self));
      break;
    case PROP_STATUS:
      g_value_set_string (value, bw_batch_get_status (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bw_batch_class_init (BwBatchClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = bw_batch_dispose;
  object_class->finalize = bw_batch_finalize;
  object_class->get_property = bw_batch_get_property;

  properties[PROP_RUNNING] =
    g_param_spec_boolean ("running", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TOTAL] =
    g_param_spec_uint ("total", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DONE] =
    g_param_spec_uint ("done", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_FRACTION] =
    g_param_spec_double ("fraction", NULL, NULL, 0.0, 1.0, 0.0,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STATUS] =
    g_param_spec_string ("status", NULL, NULL, "",
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * BwBatch::finished:
   * @cancelled: whether the run was cancelled
   *
   * The queue ran dry. The counters and failures describe the run until
   * the next one starts.
   */
  signals[FINISHED] =
    g_signal_new ("finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_BOOLEAN);
}

static void
bw_batch_init (BwBatch *self)
{
  g_queue_init (&self->queue);
  g_queue_init (&self->adds);
  self->max_jobs = DEFAULT_MAX_JOBS;
  self->verify_on_import = TRUE;
  self->failures = g_ptr_array_new_with_free_func ((GDestroyNotify)bw_batch_failure_free);
  self->cancellable = g_cancellable_new ();
  self->status = g_strdup ("");
}

/**
 * bw_batch_new:
 * @store: the wallet the work is about
 * @verifier: (nullable): the verifier; without one nothing is verified
 *
 * Returns: (transfer full): a new, idle batch
 */
BwBatch *
bw_batch_new (BwStore    *store,
              BwVerifier *verifier)
{
  BwBatch *self;

  g_return_val_if_fail (BW_IS_STORE (store), NULL);
  g_return_val_if_fail (verifier == NULL || BW_IS_VERIFIER (verifier), NULL);

  self = g_object_new (BW_TYPE_BATCH, NULL);
  self->store = g_object_ref (store);
  self->verifier = verifier != NULL ? g_object_ref (verifier) : NULL;
  return self;
}

void
bw_batch_set_verify_on_import (BwBatch  *self,
                               gboolean  verify_on_import)
{
  g_return_if_fail (BW_IS_BATCH (self));

  self->verify_on_import = !!verify_on_import;
}

void
bw_batch_set_max_jobs (BwBatch *self,
                       guint    max_jobs)
{
  g_return_if_fail (BW_IS_BATCH (self));
  g_return_if_fail (max_jobs > 0);

  self->max_jobs = max_jobs;
  pump (self);
}

/**
 * bw_batch_import_paths:
 * @self: a batch
 * @paths: files and folders; folders are searched for badge files
 *
 * Queues the import of @paths. Each file is added to the wallet, and
 * verified afterwards when verification on import is on.
 */
void
bw_batch_import_paths (BwBatch            *self,
                       const char * const *paths)
{
  g_return_if_fail (BW_IS_BATCH (self));
  g_return_if_fail (paths != NULL);

  for (guint i = 0; paths[i] != NULL; i++)
    {
      if (g_file_test (paths[i], G_FILE_TEST_IS_DIR))
        push (self, ITEM_SCAN, paths[i], NULL);
      else
        push (self, ITEM_IMPORT, paths[i], NULL);
    }
  pump (self);
}

/**
 * bw_batch_verify:
 * @self: a batch
 * @badges: (element-type BwBadge): wallet badges to verify
 *
 * Queues the verification of @badges; each report is saved to the wallet.
 */
void
bw_batch_verify (BwBatch   *self,
                 GPtrArray *badges)
{
  g_return_if_fail (BW_IS_BATCH (self));
  g_return_if_fail (badges != NULL);

  if (self->verifier == NULL)
    return;

  for (guint i = 0; i < badges->len; i++)
    push (self, ITEM_VERIFY, NULL, g_ptr_array_index (badges, i));
  pump (self);
}

/**
 * bw_batch_cancel:
 * @self: a batch
 *
 * Drops what is queued and cancels what runs; "finished" follows once the
 * running operations have returned.
 */
void
bw_batch_cancel (BwBatch *self)
{
  g_return_if_fail (BW_IS_BATCH (self));

  if (!self->running)
    return;

  g_cancellable_cancel (self->cancellable);
  while (!g_queue_is_empty (&self->queue))
    {
      Item *item = g_queue_pop_head (&self->queue);

      switch (item->kind)
        {
        case ITEM_SCAN:
          self->scans_pending--;
          break;
        case ITEM_IMPORT:
          self->import_total--;
          break;
        case ITEM_VERIFY:
          self->verify_total--;
          break;
        default:
          g_assert_not_reached ();
        }
      item_free (item);
    }
  pump (self);
}

gboolean
bw_batch_get_running (BwBatch *self)
{
  g_return_val_if_fail (BW_IS_BATCH (self), FALSE);

  return self->running;
}

guint
bw_batch_get_total (BwBatch *self)
{
  g_return_val_if_fail (BW_IS_BATCH (self), 0);

  return self->import_total + self->verify_total;
}

guint
bw_batch_get_done (BwBatch *self)
{
  g_return_val_if_fail (BW_IS_BATCH (self), 0);

  return self->import_done + self->verify_done;
}

double
bw_batch_get_fraction (BwBatch *self)
{
  guint total;

  g_return_val_if_fail (BW_IS_BATCH (self), 0.0);

  total = bw_batch_get_total (self);
  if (total == 0)
    return 0.0;
  return CLAMP ((double)bw_batch_get_done (self) / (double)total, 0.0, 1.0);
}

const char *
bw_batch_get_status (BwBatch *self)
{
  g_return_val_if_fail (BW_IS_BATCH (self), NULL);

  return self->status;
}

guint
bw_batch_get_added (BwBatch *self)
{
  g_return_val_if_fail (BW_IS_BATCH (self), 0);

  return self->added;
}

guint
bw_batch_get_verified (BwBatch *self)
{
  g_return_val_if_fail (BW_IS_BATCH (self), 0);

  return self->verified;
}

/**
 * bw_batch_get_failures:
 * @self: a batch
 *
 * Returns: (transfer none) (element-type BwBatchFailure): the failures of
 *   the current or last run
 */
GPtrArray *
bw_batch_get_failures (BwBatch *self)
{
  g_return_val_if_fail (BW_IS_BATCH (self), NULL);

  return self->failures;
}
