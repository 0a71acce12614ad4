/* bw-fetcher-cache.c
 *
 * Copyright 2026 The Badge Wallet authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bw-fetcher-cache"

#include "config.h"

#include <errno.h>
#include <string.h>

#include <glib/gstdio.h>

#include "bw-fetcher-private.h"
#include "bw-util.h"

/* The documents cache: JSON documents kept in memory and on disk, served
 * while fresh (or offline) and revalidated with ETag and Last-Modified
 * once stale. */

#define MAX_META_BYTES           (64 * 1024)
#define MAX_MEMORY_CACHE         (64 * 1024 * 1024)

struct _BwCacheOrder
{
  char    *url;
  guint64  serial;
};

/* Cache entries */

static void
cache_entry_clear (BwCacheEntry *entry)
{
  g_free (entry->url);
  g_free (entry->final_url);
  g_free (entry->content_type);
  g_clear_pointer (&entry->body, g_bytes_unref);
  g_free (entry->etag);
  g_free (entry->last_modified);
}

static BwCacheEntry *
cache_entry_new (void)
{
  return g_atomic_rc_box_new0 (BwCacheEntry);
}

BwCacheEntry *
_bw_cache_entry_ref (BwCacheEntry *entry)
{
  return g_atomic_rc_box_acquire (entry);
}

void
_bw_cache_entry_unref (BwCacheEntry *entry)
{
  g_atomic_rc_box_release_full (entry, (GDestroyNotify)cache_entry_clear);
}

/* The disk writer gets its own copy, since revalidation updates the
 * times of the shared entry. */
static BwCacheEntry *
cache_entry_copy (const BwCacheEntry *entry)
{
  BwCacheEntry *copy = cache_entry_new ();

  copy->url = g_strdup (entry->url);
  copy->final_url = g_strdup (entry->final_url);
  copy->content_type = g_strdup (entry->content_type);
  copy->body = entry->body != NULL ? g_bytes_ref (entry->body) : NULL;
  copy->etag = g_strdup (entry->etag);
  copy->last_modified = g_strdup (entry->last_modified);
  copy->stored_at = entry->stored_at;
  copy->max_age = entry->max_age;
  copy->no_cache = entry->no_cache;
  copy->insecure = entry->insecure;
  return copy;
}

gboolean
_bw_cache_entry_is_fresh (const BwCacheEntry *entry)
{
  gint64 age = g_get_real_time () / G_USEC_PER_SEC - entry->stored_at;

  return !entry->no_cache && entry->max_age >= 0 && age >= 0 && age < entry->max_age;
}

BwFetchResult *
_bw_cache_entry_to_result (const char         *url,
                           const BwCacheEntry *entry,
                           gboolean            from_cache)
{
  BwFetchResult *result = g_new0 (BwFetchResult, 1);

  result->url = g_strdup (url);
  result->final_url = g_strdup (entry->final_url != NULL ? entry->final_url : url);
  result->status = SOUP_STATUS_OK;
  result->content_type = g_strdup (entry->content_type);
  result->body = g_bytes_ref (entry->body);
  result->from_cache = from_cache;
  result->insecure = entry->insecure;
  return result;
}

static gboolean
is_json_type (const char *content_type)
{
  return content_type != NULL &&
         (strcmp (content_type, "application/json") == 0 ||
          strcmp (content_type, "application/ld+json") == 0 ||
          g_str_has_suffix (content_type, "+json"));
}

/* Images are not kept: the documents cache is for JSON documents, and a
 * dropped URL counts only when it turned out to be one. */
gboolean
_bw_fetcher_kind_uses_cache (BwFetchKind kind)
{
  return kind == BW_FETCH_DOCUMENT || kind == BW_FETCH_ANY;
}

/* Disk cache: <sha256(url)>.json holds the metadata, <sha256(url)>.body
 * the bytes; the metadata names the body's checksum so that a torn pair
 * is never served. */

static char *
disk_path (const char *dir,
           const char *url,
           const char *suffix)
{
  g_autofree char *hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256, url, -1);
  g_autofree char *name = g_strconcat (hash, suffix, NULL);

  return g_build_filename (dir, name, NULL);
}

static void
disk_load_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  const char *url = task_data;
  const char *dir = g_object_get_data (G_OBJECT (task), "dir");
  g_autofree char *meta_path = disk_path (dir, url, ".json");
  g_autofree char *body_path = disk_path (dir, url, ".body");
  g_autofree char *meta = NULL;
  g_autofree char *body = NULL;
  g_autofree char *sum = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(BwCacheEntry) entry = NULL;
  gsize meta_length = 0;
  gsize body_length = 0;
  JsonObject *object;
  GStatBuf st;

  if (g_stat (meta_path, &st) != 0 || st.st_size > MAX_META_BYTES ||
      g_stat (body_path, &st) != 0 || st.st_size > BW_FETCH_MAX_IMAGE ||
      !g_file_get_contents (meta_path, &meta, &meta_length, NULL) ||
      !g_file_get_contents (body_path, &body, &body_length, NULL))
    {
      g_task_return_pointer (task, NULL, NULL);
      return;
    }

  node = bw_json_parse (meta, meta_length, NULL);
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      g_task_return_pointer (task, NULL, NULL);
      return;
    }
  object = json_node_get_object (node);
  sum = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *)body, body_length);
  if (g_strcmp0 (bw_json_object_get_string (object, "url"), url) != 0 ||
      g_strcmp0 (bw_json_object_get_string (object, "sha256"), sum) != 0)
    {
      g_task_return_pointer (task, NULL, NULL);
      return;
    }

  entry = cache_entry_new ();
  entry->url = g_strdup (url);
  entry->final_url = g_strdup (bw_json_object_get_string (object, "final-url"));
  entry->content_type = g_strdup (bw_json_object_get_string (object, "content-type"));
  entry->etag = g_strdup (bw_json_object_get_string (object, "etag"));
  entry->last_modified = g_strdup (bw_json_object_get_string (object, "last-modified"));
  entry->stored_at = json_object_get_int_member_with_default (object, "stored", 0);
  entry->max_age = json_object_get_int_member_with_default (object, "max-age", -1);
  entry->no_cache = json_object_get_boolean_member_with_default (object, "no-cache", FALSE);
  entry->insecure = json_object_get_boolean_member_with_default (object, "insecure", FALSE);
  entry->body = g_bytes_new_take (g_steal_pointer (&body), body_length);
  g_task_return_pointer (task, g_steal_pointer (&entry), (GDestroyNotify)_bw_cache_entry_unref);
}

/* Reads the disk copy of @url in a thread; it is dropped when it fails
 * the checks of disk_load_thread(). */
void
_bw_fetcher_disk_load_async (BwFetcher           *self,
                             const char          *url,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  GTask *load = g_task_new (self, NULL, callback, user_data);

  g_task_set_source_tag (load, _bw_fetcher_disk_load_async);
  g_object_set_data_full (G_OBJECT (load), "dir", g_strdup (self->cache_dir), g_free);
  g_task_set_task_data (load, g_strdup (url), g_free);
  g_task_run_in_thread (load, disk_load_thread);
  g_object_unref (load);
}

/* Returns: (transfer full) (nullable): the entry read from disk */
BwCacheEntry *
_bw_fetcher_disk_load_finish (BwFetcher    *self,
                              GAsyncResult *result)
{
  return g_task_propagate_pointer (G_TASK (result), NULL);
}

static void
disk_store_thread (GTask        *task,
                   gpointer      source_object,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  BwCacheEntry *entry = task_data;
  const char *dir = g_object_get_data (G_OBJECT (task), "dir");
  g_autofree char *meta_path = disk_path (dir, entry->url, ".json");
  g_autofree char *body_path = disk_path (dir, entry->url, ".body");
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *meta = NULL;
  g_autofree char *sum = NULL;
  g_autoptr(GError) error = NULL;
  gsize length = 0;
  const guint8 *data;

  if (entry->body == NULL)
    {
      g_unlink (meta_path);
      g_unlink (body_path);
      g_task_return_boolean (task, TRUE);
      return;
    }

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      g_debug ("Cannot create the cache directory %s: %s", dir, g_strerror (errno));
      g_task_return_boolean (task, FALSE);
      return;
    }

  data = g_bytes_get_data (entry->body, &length);
  sum = g_compute_checksum_for_data (G_CHECKSUM_SHA256, data != NULL ? data : (const guint8 *)"", length);
  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "url");
  json_builder_add_string_value (builder, entry->url);
  json_builder_set_member_name (builder, "final-url");
  json_builder_add_string_value (builder, entry->final_url);
  json_builder_set_member_name (builder, "content-type");
  json_builder_add_string_value (builder, entry->content_type);
  json_builder_set_member_name (builder, "etag");
  json_builder_add_string_value (builder, entry->etag);
  json_builder_set_member_name (builder, "last-modified");
  json_builder_add_string_value (builder, entry->last_modified);
  json_builder_set_member_name (builder, "stored");
  json_builder_add_int_value (builder, entry->stored_at);
  json_builder_set_member_name (builder, "max-age");
  json_builder_add_int_value (builder, entry->max_age);
  json_builder_set_member_name (builder, "no-cache");
  json_builder_add_boolean_value (builder, entry->no_cache);
  json_builder_set_member_name (builder, "insecure");
  json_builder_add_boolean_value (builder, entry->insecure);
  json_builder_set_member_name (builder, "sha256");
  json_builder_add_string_value (builder, sum);
  json_builder_end_object (builder);
  node = json_builder_get_root (builder);
  meta = json_to_string (node, FALSE);

  /* The cache is disposable and each entry's metadata carries the SHA-256
   * of its body, so a torn write is detected and dropped when read. Writing
   * without fsync keeps a run over many documents from waiting on the disk. */
  if (!g_file_set_contents_full (body_path, (const char *)data, length,
                                 G_FILE_SET_CONTENTS_NONE, 0600, &error) ||
      !g_file_set_contents_full (meta_path, meta, -1,
                                 G_FILE_SET_CONTENTS_NONE, 0600, &error))
    g_debug ("Cannot write the cache entry for %s: %s", entry->url, error->message);

  g_task_return_boolean (task, error == NULL);
}

static void
on_disk_stored (GObject      *source,
                GAsyncResult *res,
                gpointer      user_data)
{
  BwFetcher *self = BW_FETCHER (source);

  g_task_propagate_boolean (G_TASK (res), NULL);
  self->pending_writes--;
}

static void
disk_writer_run (gpointer data,
                 gpointer user_data)
{
  g_autoptr(GTask) task = data;

  disk_store_thread (task, g_task_get_source_object (task), g_task_get_task_data (task), NULL);
}

/* Writes (or, with no body, removes) the disk copy in the background. One
 * writer thread takes the writes in the order they were made, so a newer copy
 * of an entry is never overwritten by an older one that finished later. */
static void
disk_store (BwFetcher    *self,
            BwCacheEntry *entry)
{
  static GThreadPool *disk_writer = NULL;
  static gsize disk_writer_ready = 0;

  g_autoptr(GTask) task = NULL;

  if (self->cache_dir == NULL)
    return;
  self->pending_writes++;
  task = g_task_new (self, NULL, on_disk_stored, NULL);
  g_task_set_source_tag (task, disk_store);
  g_object_set_data_full (G_OBJECT (task), "dir", g_strdup (self->cache_dir), g_free);
  g_task_set_task_data (task, cache_entry_copy (entry), (GDestroyNotify)_bw_cache_entry_unref);

  if (g_once_init_enter (&disk_writer_ready))
    {
      disk_writer = g_thread_pool_new (disk_writer_run, NULL, 1, FALSE, NULL);
      g_once_init_leave (&disk_writer_ready, 1);
    }
  g_thread_pool_push (disk_writer, g_steal_pointer (&task), NULL);
}

static void
parse_cache_control (SoupMessageHeaders *headers,
                     gint64             *max_age,
                     gboolean           *no_cache,
                     gboolean           *no_store)
{
  const char *value = soup_message_headers_get_list (headers, "Cache-Control");
  g_auto(GStrv) parts = NULL;

  *max_age = -1;
  *no_cache = FALSE;
  *no_store = FALSE;
  if (value == NULL)
    return;

  parts = g_strsplit (value, ",", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    {
      char *part = g_strstrip (parts[i]);

      if (g_ascii_strcasecmp (part, "no-store") == 0)
        *no_store = TRUE;
      else if (g_ascii_strcasecmp (part, "no-cache") == 0)
        *no_cache = TRUE;
      else if (g_ascii_strncasecmp (part, "max-age=", 8) == 0)
        {
          guint64 seconds = 0;

          if (g_ascii_string_to_unsigned (part + 8, 10, 0, G_MAXINT32, &seconds, NULL))
            *max_age = (gint64)seconds;
        }
    }
}

void
_bw_cache_order_free (BwCacheOrder *order)
{
  g_free (order->url);
  g_free (order);
}

static void
memory_cache_remove (BwFetcher  *self,
                     const char *url)
{
  BwCacheEntry *entry = g_hash_table_lookup (self->cache, url);

  if (entry == NULL)
    return;
  self->cache_bytes -= g_bytes_get_size (entry->body);
  g_hash_table_remove (self->cache, url);
}

/* Keeps the memory cache under its byte bound by dropping the entries
 * stored longest ago; the disk copy stays for later runs. */
void
_bw_fetcher_memory_cache_insert (BwFetcher    *self,
                                 BwCacheEntry *entry)
{
  BwCacheOrder *order = g_new0 (BwCacheOrder, 1);

  memory_cache_remove (self, entry->url);
  entry->serial = ++self->cache_serial;
  g_hash_table_replace (self->cache, g_strdup (entry->url), _bw_cache_entry_ref (entry));
  self->cache_bytes += g_bytes_get_size (entry->body);
  order->url = g_strdup (entry->url);
  order->serial = entry->serial;
  g_queue_push_tail (&self->cache_order, order);

  while (self->cache_bytes > MAX_MEMORY_CACHE && !g_queue_is_empty (&self->cache_order))
    {
      BwCacheOrder *oldest = g_queue_pop_head (&self->cache_order);
      BwCacheEntry *current = g_hash_table_lookup (self->cache, oldest->url);

      if (current != NULL && current->serial == oldest->serial && current != entry)
        memory_cache_remove (self, oldest->url);
      _bw_cache_order_free (oldest);
    }
}

void
_bw_fetcher_cache_store (BwFetcher          *self,
                         BwFetchJob         *job,
                         SoupMessageHeaders *headers,
                         const char         *content_type,
                         GBytes             *body)
{
  g_autoptr(BwCacheEntry) entry = NULL;
  gint64 max_age;
  gboolean no_cache;
  gboolean no_store;

  if (!_bw_fetcher_kind_uses_cache (job->kind) || !is_json_type (content_type))
    return;

  parse_cache_control (headers, &max_age, &no_cache, &no_store);
  entry = cache_entry_new ();
  entry->url = g_strdup (job->url);
  if (no_store)
    {
      /* A body-less entry tells the disk writer to forget the URL. */
      memory_cache_remove (self, job->url);
      disk_store (self, entry);
      return;
    }

  entry->final_url = g_strdup (job->hop_url);
  entry->content_type = g_strdup (content_type);
  entry->body = g_bytes_ref (body);
  entry->etag = g_strdup (soup_message_headers_get_one (headers, "ETag"));
  entry->last_modified = g_strdup (soup_message_headers_get_one (headers, "Last-Modified"));
  entry->stored_at = g_get_real_time () / G_USEC_PER_SEC;
  entry->max_age = max_age;
  entry->no_cache = no_cache;
  entry->insecure = job->insecure;
  _bw_fetcher_memory_cache_insert (self, entry);
  disk_store (self, entry);
}

/* Asks the server to answer 304 Not Modified when the kept copy is still
 * current. */
void
_bw_cache_entry_add_conditions (BwCacheEntry       *entry,
                                SoupMessageHeaders *headers)
{
  if (entry->etag != NULL)
    soup_message_headers_replace (headers, "If-None-Match", entry->etag);
  if (entry->last_modified != NULL)
    soup_message_headers_replace (headers, "If-Modified-Since", entry->last_modified);
}

/* A 304 answer confirms the kept copy: it counts as stored now, under the
 * answer's Cache-Control when it gives one. */
void
_bw_fetcher_cache_refresh (BwFetcher          *self,
                           BwCacheEntry       *entry,
                           SoupMessageHeaders *headers)
{
  gint64 max_age;
  gboolean no_cache;
  gboolean no_store;

  parse_cache_control (headers, &max_age, &no_cache, &no_store);
  entry->stored_at = g_get_real_time () / G_USEC_PER_SEC;
  if (soup_message_headers_get_one (headers, "Cache-Control") != NULL)
    {
      entry->max_age = max_age;
      entry->no_cache = no_cache;
    }
  disk_store (self, entry);
}

/**
 * bw_fetcher_set_cache_dir:
 * @directory: (nullable): where documents are kept between runs
 *   (`$XDG_CACHE_HOME/badge-wallet/documents`), or %NULL for memory only
 */
void
bw_fetcher_set_cache_dir (BwFetcher  *self,
                          const char *directory)
{
  g_return_if_fail (BW_IS_FETCHER (self));

  g_free (self->cache_dir);
  self->cache_dir = g_strdup (directory);
}

/**
 * bw_fetcher_get_pending_writes:
 *
 * Disk cache writes run in the background; a program about to exit can
 * iterate its main context until this is 0 so that nothing is lost.
 *
 * Returns: the number of cache writes not finished yet
 */
guint
bw_fetcher_get_pending_writes (BwFetcher *self)
{
  g_return_val_if_fail (BW_IS_FETCHER (self), 0);

  return self->pending_writes;
}
