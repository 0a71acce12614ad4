/* bw-fetcher.c
 *
 * Copyright 2026 The Badge Wallet authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bw-fetcher"

#include "config.h"

#include <errno.h>
#include <string.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <libsoup/soup.h>

#include "bw-error.h"
#include "bw-fetcher.h"
#include "bw-util.h"

/* How a fetch runs: the URL is checked (http or https only), answered
 * from the documents cache when fresh (or when offline), or joined to a
 * fetch of the same URL already running. Otherwise a job maps the URL
 * (--map-url), checks the host against the address policy (literal
 * addresses, then every address the name resolves to, then the address
 * actually connected to), waits for a per-host slot and sends one GET
 * without automatic redirects. Each redirect is a new hop through the
 * same checks; the body is read in chunks against the cap of its kind.
 * Every outcome goes to all the callers sharing the job. */

#define DEFAULT_TIMEOUT          30
#define DEFAULT_REQUEST_TIMEOUT  15
#define DEFAULT_MAX_PER_HOST     6
#define READ_CHUNK               (64 * 1024)
#define MAX_META_BYTES           (64 * 1024)
#define MAX_MEMORY_CACHE         (64 * 1024 * 1024)

/* A document kept for revalidation and offline use. */
typedef struct
{
  char     *url;
  char     *final_url;
  char     *content_type;
  GBytes   *body;
  char     *etag;
  char     *last_modified;
  gint64    stored_at;     /* Unix seconds */
  gint64    max_age;       /* seconds, or -1 when the server gave none */
  gboolean  no_cache;
  gboolean  insecure;
  guint64   serial;        /* insertion order in the memory cache */
} CacheEntry;

typedef struct
{
  char *from;
  char *to;
} UrlMap;

typedef struct
{
  char    *url;
  guint64  serial;
} CacheOrder;

typedef struct
{
  guint   active;
  GQueue  waiting;   /* Job */
} HostSlots;

typedef struct _Job Job;

/* One caller of bw_fetcher_fetch_async(), kept as the task data. */
typedef struct
{
  GTask        *task;   /* not owned: the waiter lives as long as the task */
  Job          *job;
  char         *url;        /* as asked */
  char         *resource;   /* without the fragment: what is fetched and cached */
  BwFetchKind   kind;
  GCancellable *cancellable;
  gulong        cancel_id;
} Waiter;

/* One network fetch, shared by every caller asking for the same URL and
 * kind while it runs. */
struct _Job
{
  gint          ref_count;
  BwFetcher    *fetcher;
  char         *key;
  char         *url;
  BwFetchKind   kind;
  gsize         cap;
  GPtrArray    *waiters;   /* GTask */
  GCancellable *cancellable;
  GSource      *timeout_source;
  gboolean      done;
  gboolean      insecure;
  gboolean      via_proxy;
  CacheEntry   *stale;
  char         *policy_message;

  /* The current hop. */
  guint         redirects;
  char         *hop_url;       /* in the caller's URL space */
  char         *hop_mapped;    /* what is requested */
  char         *host_key;      /* the per-host slot held */
  char         *queued_key;    /* the per-host queue the job waits in */
  SoupSession  *session;       /* kept until the body is read */
  SoupMessage  *msg;
  GInputStream *stream;
  GByteArray   *buffer;
  GSource      *hop_source;
};

struct _BwFetcher
{
  GObject       parent_instance;

  SoupSession  *session;
  GProxyResolver *proxy_resolver;
  gboolean      allow_local;
  gboolean      offline;
  char         *cache_dir;
  guint         timeout;
  guint         request_timeout;
  guint         max_per_host;
  GPtrArray    *maps;          /* UrlMap */
  guint         request_count;
  guint64       bytes_received;
  guint         pending_writes;
  GHashTable   *cache;         /* url → CacheEntry */
  GQueue        cache_order;   /* CacheOrder, oldest first */
  gsize         cache_bytes;
  guint64       cache_serial;
  GHashTable   *jobs;          /* key → Job */
  GHashTable   *hosts;         /* host key → HostSlots */
};

G_DEFINE_FINAL_TYPE (BwFetcher, bw_fetcher, G_TYPE_OBJECT)

G_DEFINE_BOXED_TYPE (BwFetchResult, bw_fetch_result, bw_fetch_result_ref_copy, bw_fetch_result_free)

static void job_begin_hop (Job *job, const char *url);
static void job_release_slot (Job *job);
static void discard_stream (GInputStream *stream);

/* Results */

/**
 * bw_fetch_result_ref_copy:
 * @result: a result
 *
 * Returns: (transfer full): a copy sharing the body bytes
 */
BwFetchResult *
bw_fetch_result_ref_copy (const BwFetchResult *result)
{
  BwFetchResult *copy;

  g_return_val_if_fail (result != NULL, NULL);

  copy = g_new0 (BwFetchResult, 1);
  copy->url = g_strdup (result->url);
  copy->final_url = g_strdup (result->final_url);
  copy->status = result->status;
  copy->content_type = g_strdup (result->content_type);
  copy->body = result->body != NULL ? g_bytes_ref (result->body) : NULL;
  copy->from_cache = result->from_cache;
  copy->insecure = result->insecure;
  return copy;
}

void
bw_fetch_result_free (BwFetchResult *result)
{
  if (result == NULL)
    return;
  g_free (result->url);
  g_free (result->final_url);
  g_free (result->content_type);
  g_clear_pointer (&result->body, g_bytes_unref);
  g_free (result);
}

/* Cache entries */

static void
cache_entry_clear (CacheEntry *entry)
{
  g_free (entry->url);
  g_free (entry->final_url);
  g_free (entry->content_type);
  g_clear_pointer (&entry->body, g_bytes_unref);
  g_free (entry->etag);
  g_free (entry->last_modified);
}

static CacheEntry *
cache_entry_new (void)
{
  return g_atomic_rc_box_new0 (CacheEntry);
}

static CacheEntry *
cache_entry_ref (CacheEntry *entry)
{
  return g_atomic_rc_box_acquire (entry);
}

static void
cache_entry_unref (CacheEntry *entry)
{
  g_atomic_rc_box_release_full (entry, (GDestroyNotify)cache_entry_clear);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CacheEntry, cache_entry_unref)

/* The disk writer gets its own copy, since revalidation updates the
 * times of the shared entry. */
static CacheEntry *
cache_entry_copy (const CacheEntry *entry)
{
  CacheEntry *copy = cache_entry_new ();

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

static gboolean
cache_entry_is_fresh (const CacheEntry *entry)
{
  gint64 age = g_get_real_time () / G_USEC_PER_SEC - entry->stored_at;

  return !entry->no_cache && entry->max_age >= 0 && age >= 0 && age < entry->max_age;
}

static BwFetchResult *
result_from_entry (const char       *url,
                   const CacheEntry *entry,
                   gboolean          from_cache)
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

static gsize
cap_for_kind (BwFetchKind kind)
{
  return kind == BW_FETCH_DOCUMENT ? BW_FETCH_MAX_DOCUMENT : BW_FETCH_MAX_IMAGE;
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
static gboolean
kind_uses_cache (BwFetchKind kind)
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
  g_autoptr(CacheEntry) entry = NULL;
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
  g_task_return_pointer (task, g_steal_pointer (&entry), (GDestroyNotify)cache_entry_unref);
}

static void
disk_store_thread (GTask        *task,
                   gpointer      source_object,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  CacheEntry *entry = task_data;
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

/* Writes (or, with no body, removes) the disk copy in the background. */
static void
disk_store (BwFetcher  *self,
            CacheEntry *entry)
{
  g_autoptr(GTask) task = NULL;

  if (self->cache_dir == NULL)
    return;
  self->pending_writes++;
  task = g_task_new (self, NULL, on_disk_stored, NULL);
  g_task_set_source_tag (task, disk_store);
  g_object_set_data_full (G_OBJECT (task), "dir", g_strdup (self->cache_dir), g_free);
  g_task_set_task_data (task, cache_entry_copy (entry), (GDestroyNotify)cache_entry_unref);
  g_task_run_in_thread (task, disk_store_thread);
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

static void
cache_order_free (CacheOrder *order)
{
  g_free (order->url);
  g_free (order);
}

static void
memory_cache_remove (BwFetcher  *self,
                     const char *url)
{
  CacheEntry *entry = g_hash_table_lookup (self->cache, url);

  if (entry == NULL)
    return;
  self->cache_bytes -= g_bytes_get_size (entry->body);
  g_hash_table_remove (self->cache, url);
}

/* Keeps the memory cache under its byte bound by dropping the entries
 * stored longest ago; the disk copy stays for later runs. */
static void
memory_cache_insert (BwFetcher  *self,
                     CacheEntry *entry)
{
  CacheOrder *order = g_new0 (CacheOrder, 1);

  memory_cache_remove (self, entry->url);
  entry->serial = ++self->cache_serial;
  g_hash_table_replace (self->cache, g_strdup (entry->url), cache_entry_ref (entry));
  self->cache_bytes += g_bytes_get_size (entry->body);
  order->url = g_strdup (entry->url);
  order->serial = entry->serial;
  g_queue_push_tail (&self->cache_order, order);

  while (self->cache_bytes > MAX_MEMORY_CACHE && !g_queue_is_empty (&self->cache_order))
    {
      CacheOrder *oldest = g_queue_pop_head (&self->cache_order);
      CacheEntry *current = g_hash_table_lookup (self->cache, oldest->url);

      if (current != NULL && current->serial == oldest->serial && current != entry)
        memory_cache_remove (self, oldest->url);
      cache_order_free (oldest);
    }
}

/* Address policy */

static gboolean
ipv4_is_local (const guint8 *b)
{
  return b[0] == 0 ||                                    /* 0.0.0.0/8 "this network" */
         b[0] == 10 ||                                   /* 10/8 */
         b[0] == 127 ||                                  /* loopback */
         (b[0] == 100 && (b[1] & 0xc0) == 64) ||         /* 100.64/10 carrier NAT */
         (b[0] == 169 && b[1] == 254) ||                 /* link-local */
         (b[0] == 172 && (b[1] & 0xf0) == 16) ||         /* 172.16/12 */
         (b[0] == 192 && b[1] == 168) ||                 /* 192.168/16 */
         (b[0] == 192 && b[1] == 0 && b[2] == 0) ||      /* 192.0.0/24 protocol assignments */
         (b[0] == 198 && (b[1] & 0xfe) == 18) ||         /* 198.18/15 benchmarking */
         b[0] >= 224;                                    /* multicast, reserved, broadcast */
}

static gboolean
address_is_local (GInetAddress *address)
{
  const guint8 *b = g_inet_address_to_bytes (address);

  if (g_inet_address_get_family (address) == G_SOCKET_FAMILY_IPV4)
    return ipv4_is_local (b);

  if (g_inet_address_get_is_any (address) || g_inet_address_get_is_loopback (address) ||
      g_inet_address_get_is_link_local (address) || g_inet_address_get_is_site_local (address) ||
      g_inet_address_get_is_multicast (address))
    return TRUE;
  if ((b[0] & 0xfe) == 0xfc)                                  /* fc00::/7 unique local */
    return TRUE;
  /* IPv4-mapped (::ffff:a.b.c.d), IPv4-compatible (::a.b.c.d) and NAT64
   * (64:ff9b::a.b.c.d) addresses reach the IPv4 address they carry. */
  {
    static const guint8 zeros[10] = { 0 };
    static const guint8 nat64[12] = { 0, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0 };

    if (memcmp (b, zeros, 10) == 0 &&
        ((b[10] == 0xff && b[11] == 0xff) || (b[10] == 0 && b[11] == 0)))
      return ipv4_is_local (b + 12);
    if (memcmp (b, nat64, 12) == 0)
      return ipv4_is_local (b + 12);
  }
  return FALSE;
}

static gboolean
host_is_local_name (const char *host)
{
  g_autofree char *lower = g_ascii_strdown (host, -1);
  gsize length = strlen (lower);

  if (length > 0 && lower[length - 1] == '.')
    lower[--length] = '\0';
  return length == 0 ||
         strcmp (lower, "localhost") == 0 ||
         g_str_has_suffix (lower, ".localhost") ||
         strcmp (lower, "localhost.localdomain") == 0 ||
         strcmp (lower, "ip6-localhost") == 0 ||
         strcmp (lower, "ip6-loopback") == 0;
}

/* URL maps */

static void
url_map_free (UrlMap *map)
{
  g_free (map->from);
  g_free (map->to);
  g_free (map);
}

static gboolean
is_http_url (const char *url)
{
  g_autoptr(GUri) uri = g_uri_parse (url, SOUP_HTTP_URI_FLAGS, NULL);

  return uri != NULL &&
         (g_strcmp0 (g_uri_get_scheme (uri), "http") == 0 ||
          g_strcmp0 (g_uri_get_scheme (uri), "https") == 0) &&
         g_uri_get_host (uri) != NULL && *g_uri_get_host (uri) != '\0';
}

/* Rewrites @url with the longest matching prefix, from FROM to TO
 * (@reverse FALSE) or back. */
static char *
apply_maps (BwFetcher  *self,
            const char *url,
            gboolean    reverse)
{
  const UrlMap *best = NULL;
  gsize best_length = 0;

  for (guint i = 0; i < self->maps->len; i++)
    {
      const UrlMap *map = g_ptr_array_index (self->maps, i);
      const char *prefix = reverse ? map->to : map->from;
      gsize length = strlen (prefix);

      if (length > best_length && strncmp (url, prefix, length) == 0)
        {
          best = map;
          best_length = length;
        }
    }

  if (best == NULL)
    return g_strdup (url);
  return g_strconcat (reverse ? best->from : best->to, url + best_length, NULL);
}

/* Jobs */

static Job *
job_ref (Job *job)
{
  g_atomic_int_inc (&job->ref_count);
  return job;
}

static void
job_clear_hop (Job *job)
{
  if (job->hop_source != NULL)
    {
      g_source_destroy (job->hop_source);
      g_clear_pointer (&job->hop_source, g_source_unref);
    }
  if (job->msg != NULL)
    g_signal_handlers_disconnect_by_data (job->msg, job);
  g_clear_object (&job->msg);
  g_clear_object (&job->stream);
  g_clear_object (&job->session);
  g_clear_pointer (&job->buffer, g_byte_array_unref);
}

static void
job_unref (Job *job)
{
  if (!g_atomic_int_dec_and_test (&job->ref_count))
    return;

  job_clear_hop (job);
  if (job->timeout_source != NULL)
    {
      g_source_destroy (job->timeout_source);
      g_source_unref (job->timeout_source);
    }
  g_clear_object (&job->fetcher);
  g_free (job->key);
  g_free (job->url);
  g_ptr_array_unref (job->waiters);
  g_clear_object (&job->cancellable);
  g_clear_pointer (&job->stale, cache_entry_unref);
  g_free (job->policy_message);
  g_free (job->hop_url);
  g_free (job->hop_mapped);
  g_free (job->host_key);
  g_free (job->queued_key);
  g_free (job);
}

static void
waiter_free (Waiter *waiter)
{
  g_free (waiter->url);
  g_free (waiter->resource);
  g_clear_object (&waiter->cancellable);
  g_free (waiter);
}

static void
waiter_disconnect (Waiter *waiter)
{
  if (waiter->cancel_id != 0)
    g_cancellable_disconnect (waiter->cancellable, waiter->cancel_id);
  waiter->cancel_id = 0;
  waiter->job = NULL;
}

/* Ends the job: every caller still waiting gets @result (a copy each)
 * or @error. Late callbacks of the job see done and stop. */
static void
job_complete (Job           *job,
              BwFetchResult *result,
              const GError  *error)
{
  BwFetcher *self = job->fetcher;
  g_autoptr(GPtrArray) waiters = NULL;

  if (job->done)
    return;
  job->done = TRUE;
  job_ref (job);

  if (job->timeout_source != NULL)
    {
      g_source_destroy (job->timeout_source);
      g_clear_pointer (&job->timeout_source, g_source_unref);
    }
  g_cancellable_cancel (job->cancellable);
  job_release_slot (job);
  job_clear_hop (job);

  waiters = g_steal_pointer (&job->waiters);
  job->waiters = g_ptr_array_new_with_free_func (g_object_unref);
  /* The table's reference goes with the table entry. */
  if (g_hash_table_lookup (self->jobs, job->key) == job)
    {
      g_hash_table_remove (self->jobs, job->key);
      job_unref (job);
    }

  for (guint i = 0; i < waiters->len; i++)
    {
      GTask *task = g_ptr_array_index (waiters, i);
      Waiter *waiter = g_task_get_task_data (task);

      waiter_disconnect (waiter);
      if (result != NULL)
        {
          BwFetchResult *copy = bw_fetch_result_ref_copy (result);

          g_free (copy->url);
          copy->url = g_strdup (waiter->url);
          g_task_return_pointer (task, copy, (GDestroyNotify)bw_fetch_result_free);
        }
      else
        g_task_return_error (task, g_error_copy (error));
    }
  g_ptr_array_unref (g_steal_pointer (&waiters));
  job_unref (job);
}

static void
job_fail (Job        *job,
          GQuark      domain,
          int         code,
          const char *format,
          ...) G_GNUC_PRINTF (4, 5);

static void
job_fail (Job        *job,
          GQuark      domain,
          int         code,
          const char *format,
          ...)
{
  g_autoptr(GError) error = NULL;
  va_list args;

  va_start (args, format);
  error = g_error_new_valist (domain, code, format, args);
  va_end (args);
  job_complete (job, NULL, error);
}

/* Turns what libsoup or GIO reported into the documented BW_ERROR codes. */
static void
job_fail_with (Job          *job,
               const GError *error)
{
  const char *url = job->hop_url != NULL ? job->hop_url : job->url;

  if (job->done)
    return;
  if (job->policy_message != NULL)
    job_fail (job, BW_ERROR, BW_ERROR_POLICY, "%s", job->policy_message);
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    job_fail (job, BW_ERROR, BW_ERROR_TIMEOUT, _("Fetching %s timed out: %s"), url, error->message);
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    job_fail (job, G_IO_ERROR, G_IO_ERROR_CANCELLED, "%s", error->message);
  else if (error->domain == G_RESOLVER_ERROR)
    job_fail (job, BW_ERROR, BW_ERROR_NETWORK, _("Cannot find the server of %s: %s"), url, error->message);
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT))
    job_fail (job, BW_ERROR, BW_ERROR_NETWORK, _("The connection closed before all of %s arrived: %s"),
              url, error->message);
  else
    job_fail (job, BW_ERROR, BW_ERROR_NETWORK, _("Cannot fetch %s: %s"), url, error->message);
}

static void
job_refuse (Job        *job,
            const char *message)
{
  g_free (job->policy_message);
  job->policy_message = g_strdup (message);
  job_fail (job, BW_ERROR, BW_ERROR_POLICY, "%s", message);
}

static gboolean
on_job_timeout (gpointer user_data)
{
  Job *job = user_data;

  job_fail (job, BW_ERROR, BW_ERROR_TIMEOUT, _("Fetching %s took longer than %u s"),
            job->url, job->fetcher->timeout);
  return G_SOURCE_REMOVE;
}

static gboolean
on_hop_timeout (gpointer user_data)
{
  Job *job = user_data;

  job_fail (job, BW_ERROR, BW_ERROR_TIMEOUT, _("The request for %s took longer than %u s"),
            job->hop_url, job->fetcher->request_timeout);
  return G_SOURCE_REMOVE;
}

static void
cache_store (BwFetcher          *self,
             Job                *job,
             SoupMessageHeaders *headers,
             const char         *content_type,
             GBytes             *body)
{
  g_autoptr(CacheEntry) entry = NULL;
  gint64 max_age;
  gboolean no_cache;
  gboolean no_store;

  if (!kind_uses_cache (job->kind) || !is_json_type (content_type))
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
  memory_cache_insert (self, entry);
  disk_store (self, entry);
}

static void
job_deliver_body (Job *job)
{
  BwFetcher *self = job->fetcher;
  SoupMessageHeaders *headers = soup_message_get_response_headers (job->msg);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(BwFetchResult) result = g_new0 (BwFetchResult, 1);
  const char *content_type = soup_message_headers_get_content_type (headers, NULL);
  guint status = soup_message_get_status (job->msg);

  body = g_byte_array_free_to_bytes (g_steal_pointer (&job->buffer));
  result->url = g_strdup (job->url);
  result->final_url = g_strdup (job->hop_url);
  result->status = status;
  result->content_type = content_type != NULL ? g_ascii_strdown (content_type, -1) : NULL;
  result->body = g_bytes_ref (body);
  result->insecure = job->insecure;

  if (status == SOUP_STATUS_OK)
    cache_store (self, job, headers, result->content_type, body);

  job_complete (job, result, NULL);
}

static void
on_body_closed (GObject      *source,
                GAsyncResult *res,
                gpointer      user_data)
{
  Job *job = user_data;

  g_input_stream_close_finish (G_INPUT_STREAM (source), res, NULL);
  if (!job->done)
    job_deliver_body (job);
  job_unref (job);
}

static void
job_finish_body (Job *job)
{
  SoupMessageHeaders *headers = soup_message_get_response_headers (job->msg);

  /* libsoup ends the body quietly when the server hangs up early; the
   * announced length tells (unless a content coding changed the size). */
  if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH &&
      soup_message_headers_get_one (headers, "Content-Encoding") == NULL &&
      (goffset)job->buffer->len < soup_message_headers_get_content_length (headers))
    {
      job_fail (job, BW_ERROR, BW_ERROR_NETWORK,
                _("The connection closed after %u of the %lld bytes of %s"),
                job->buffer->len, (long long)soup_message_headers_get_content_length (headers), job->hop_url);
      return;
    }

  /* The connection goes back to the pool once the stream is closed; the
   * per-host slot is released only then, so that the next request of the
   * queue reuses it instead of opening another. */
  g_input_stream_close_async (job->stream, G_PRIORITY_DEFAULT, NULL, on_body_closed, job_ref (job));
}

static void
on_read (GObject      *source,
         GAsyncResult *res,
         gpointer      user_data)
{
  Job *job = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = g_input_stream_read_bytes_finish (G_INPUT_STREAM (source), res, &error);
  gsize size;

  if (job->done)
    goto out;
  if (bytes == NULL)
    {
      job_fail_with (job, error);
      goto out;
    }

  size = g_bytes_get_size (bytes);
  if (size == 0)
    {
      job_finish_body (job);
      goto out;
    }

  job->fetcher->bytes_received += size;
  g_byte_array_append (job->buffer, g_bytes_get_data (bytes, NULL), size);
  if (job->buffer->len > job->cap)
    {
      job_fail (job, BW_ERROR, BW_ERROR_TOO_LARGE,
                _("%s is larger than the %zu bytes allowed"), job->hop_url, job->cap);
      goto out;
    }

  g_input_stream_read_bytes_async (job->stream, MIN (READ_CHUNK, job->cap + 1 - job->buffer->len),
                                   G_PRIORITY_DEFAULT, job->cancellable, on_read, job_ref (job));

out:
  job_unref (job);
}

static void
on_stream_closed (GObject      *source,
                  GAsyncResult *res,
                  gpointer      user_data)
{
  g_input_stream_close_finish (G_INPUT_STREAM (source), res, NULL);
}

/* Drops a response body nobody will read, without blocking. */
static void
discard_stream (GInputStream *stream)
{
  g_input_stream_close_async (stream, G_PRIORITY_DEFAULT, NULL, on_stream_closed, NULL);
}

static gboolean
is_redirect (guint status)
{
  return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

static void
on_sent (GObject      *source,
         GAsyncResult *res,
         gpointer      user_data)
{
  Job *job = user_data;
  BwFetcher *self = job->fetcher;
  g_autoptr(GError) error = NULL;
  g_autoptr(GInputStream) stream = soup_session_send_finish (SOUP_SESSION (source), res, &error);
  SoupMessageHeaders *headers;
  guint status;

  if (job->done)
    {
      if (stream != NULL)
        discard_stream (stream);
      goto out;
    }
  if (stream == NULL)
    {
      job_fail_with (job, error);
      goto out;
    }

  status = soup_message_get_status (job->msg);
  headers = soup_message_get_response_headers (job->msg);

  if (is_redirect (status) && soup_message_headers_get_one (headers, "Location") != NULL)
    {
      const char *location = soup_message_headers_get_one (headers, "Location");
      g_autofree char *absolute = NULL;
      g_autofree char *next = NULL;

      discard_stream (stream);
      job->redirects++;
      if (job->redirects > BW_FETCH_MAX_REDIRECTS)
        {
          job_fail (job, BW_ERROR, BW_ERROR_HTTP,
                    _("%s redirects more than %d times"), job->url, BW_FETCH_MAX_REDIRECTS);
          goto out;
        }
      absolute = g_uri_resolve_relative (job->hop_mapped, location, SOUP_HTTP_URI_FLAGS, &error);
      if (absolute == NULL)
        {
          job_fail (job, BW_ERROR, BW_ERROR_HTTP,
                    _("%s redirects to an unusable location “%s”"), job->hop_url, location);
          goto out;
        }
      /* The next hop is named in the caller's URL space, so that maps
       * and the policy apply to it exactly as to the first. */
      next = apply_maps (self, absolute, TRUE);
      job_release_slot (job);
      job_clear_hop (job);
      job_begin_hop (job, next);
      goto out;
    }

  if (status == SOUP_STATUS_NOT_MODIFIED && job->stale != NULL)
    {
      g_autoptr(BwFetchResult) result = NULL;
      gint64 max_age;
      gboolean no_cache;
      gboolean no_store;

      discard_stream (stream);
      parse_cache_control (headers, &max_age, &no_cache, &no_store);
      job->stale->stored_at = g_get_real_time () / G_USEC_PER_SEC;
      if (soup_message_headers_get_one (headers, "Cache-Control") != NULL)
        {
          job->stale->max_age = max_age;
          job->stale->no_cache = no_cache;
        }
      disk_store (self, job->stale);
      result = result_from_entry (job->url, job->stale, FALSE);
      job_complete (job, result, NULL);
      goto out;
    }

  if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH &&
      soup_message_headers_get_content_length (headers) > (goffset)job->cap)
    {
      discard_stream (stream);
      job_fail (job, BW_ERROR, BW_ERROR_TOO_LARGE,
                _("%s is %lld bytes, more than the %lu allowed"),
                job->hop_url, (long long)soup_message_headers_get_content_length (headers), (gulong)job->cap);
      goto out;
    }

  job->stream = g_steal_pointer (&stream);
  job->buffer = g_byte_array_new ();
  g_input_stream_read_bytes_async (job->stream, MIN (READ_CHUNK, job->cap + 1),
                                   G_PRIORITY_DEFAULT, job->cancellable, on_read, job_ref (job));

out:
  job_unref (job);
}

static void
on_wrote_headers (SoupMessage *msg,
                  gpointer     user_data)
{
  Job *job = user_data;

  job->fetcher->request_count++;
}

/* libsoup resolves the host again when it connects, so the address
 * actually connected to is checked too: a name that answered with a
 * public address first and a local one now (DNS rebinding) is cut off
 * before a byte of the request is sent. */
static void
on_network_event (SoupMessage        *msg,
                  GSocketClientEvent  event,
                  GIOStream          *connection,
                  gpointer            user_data)
{
  Job *job = user_data;
  g_autoptr(GSocketAddress) remote = NULL;

  /* Through a proxy the connection goes to the proxy, which may well be
   * on the local network; the target was checked before. */
  if (event != G_SOCKET_CLIENT_CONNECTED || job->fetcher->allow_local || job->via_proxy ||
      !G_IS_SOCKET_CONNECTION (connection))
    return;

  remote = g_socket_connection_get_remote_address (G_SOCKET_CONNECTION (connection), NULL);
  if (remote == NULL || !G_IS_INET_SOCKET_ADDRESS (remote) ||
      address_is_local (g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (remote))))
    {
      g_autofree char *message =
        g_strdup_printf (_("%s connected to a local address; local addresses are not allowed"),
                         job->hop_url);

      g_socket_close (g_socket_connection_get_socket (G_SOCKET_CONNECTION (connection)), NULL);
      job_refuse (job, message);
    }
}

static void
job_send (Job *job)
{
  BwFetcher *self = job->fetcher;
  SoupMessageHeaders *headers;
  guint seconds;

  job->msg = soup_message_new ("GET", job->hop_mapped);
  if (job->msg == NULL)
    {
      job_fail (job, BW_ERROR, BW_ERROR_POLICY, _("%s is not a usable URL"), job->hop_mapped);
      return;
    }
  soup_message_add_flags (job->msg, SOUP_MESSAGE_NO_REDIRECT);
  headers = soup_message_get_request_headers (job->msg);
  switch (job->kind)
    {
    case BW_FETCH_DOCUMENT:
      soup_message_headers_replace (headers, "Accept", "application/ld+json, application/json");
      break;
    case BW_FETCH_IMAGE:
      soup_message_headers_replace (headers, "Accept", "image/png, image/svg+xml, image/*;q=0.8");
      break;
    case BW_FETCH_ANY:
    default:
      soup_message_headers_replace (headers, "Accept",
                                    "application/ld+json, application/json, image/png, image/svg+xml");
      break;
    }
  if (job->stale != NULL && job->redirects == 0)
    {
      if (job->stale->etag != NULL)
        soup_message_headers_replace (headers, "If-None-Match", job->stale->etag);
      if (job->stale->last_modified != NULL)
        soup_message_headers_replace (headers, "If-Modified-Since", job->stale->last_modified);
    }

  g_signal_connect (job->msg, "network-event", G_CALLBACK (on_network_event), job);
  g_signal_connect (job->msg, "wrote-headers", G_CALLBACK (on_wrote_headers), job);

  seconds = self->request_timeout;
  if (seconds > 0)
    {
      job->hop_source = g_timeout_source_new_seconds (seconds);
      g_source_set_callback (job->hop_source, on_hop_timeout, job, NULL);
      g_source_attach (job->hop_source, g_main_context_get_thread_default ());
    }

  g_set_object (&job->session, self->session);
  soup_session_send_async (job->session, job->msg, G_PRIORITY_DEFAULT, job->cancellable,
                           on_sent, job_ref (job));
}

static char *
host_key_for (const char *url)
{
  g_autoptr(GUri) uri = g_uri_parse (url, SOUP_HTTP_URI_FLAGS, NULL);

  if (uri == NULL)
    return g_strdup (url);
  return g_strdup_printf ("%s://%s:%d", g_uri_get_scheme (uri), g_uri_get_host (uri),
                          g_uri_get_port (uri));
}

/* Each host gets at most max_per_host requests at once; the rest wait
 * in order. */
static void
job_acquire_slot (Job *job)
{
  BwFetcher *self = job->fetcher;
  g_autofree char *key = host_key_for (job->hop_mapped);
  HostSlots *slots = g_hash_table_lookup (self->hosts, key);

  if (slots == NULL)
    {
      slots = g_new0 (HostSlots, 1);
      g_queue_init (&slots->waiting);
      g_hash_table_insert (self->hosts, g_strdup (key), slots);
    }

  if (slots->active < MAX (self->max_per_host, 1))
    {
      slots->active++;
      job->host_key = g_steal_pointer (&key);
      job_send (job);
      return;
    }

  g_queue_push_tail (&slots->waiting, job_ref (job));
  job->queued_key = g_steal_pointer (&key);
}

static void
job_release_slot (Job *job)
{
  BwFetcher *self = job->fetcher;
  HostSlots *slots;
  g_autofree char *key = NULL;

  if (job->queued_key != NULL)
    {
      slots = g_hash_table_lookup (self->hosts, job->queued_key);
      if (slots != NULL && g_queue_remove (&slots->waiting, job))
        job_unref (job);
      g_clear_pointer (&job->queued_key, g_free);
    }

  if (job->host_key == NULL)
    return;
  key = g_steal_pointer (&job->host_key);
  slots = g_hash_table_lookup (self->hosts, key);
  if (slots == NULL)
    return;
  if (slots->active > 0)
    slots->active--;

  while (slots->active < MAX (self->max_per_host, 1) && !g_queue_is_empty (&slots->waiting))
    {
      Job *next = g_queue_pop_head (&slots->waiting);

      g_clear_pointer (&next->queued_key, g_free);
      if (!next->done)
        {
          slots->active++;
          next->host_key = g_strdup (key);
          job_send (next);
        }
      job_unref (next);
      /* Sending can end a job at once, which releases its slot here. */
      slots = g_hash_table_lookup (self->hosts, key);
      if (slots == NULL)
        return;
    }

  if (slots->active == 0 && g_queue_is_empty (&slots->waiting))
    g_hash_table_remove (self->hosts, key);
}

static void
on_proxy_looked_up (GObject      *source,
                    GAsyncResult *res,
                    gpointer      user_data)
{
  Job *job = user_data;
  g_auto(GStrv) proxies = g_proxy_resolver_lookup_finish (G_PROXY_RESOLVER (source), res, NULL);

  if (!job->done)
    {
      job->via_proxy = proxies != NULL && proxies[0] != NULL && strcmp (proxies[0], "direct://") != 0;
      job_acquire_slot (job);
    }
  job_unref (job);
}

/* The target passed the address policy; find out whether a proxy will
 * carry the request, which changes what the connection check sees. */
static void
job_check_proxy (Job *job)
{
  GProxyResolver *resolver = job->fetcher->proxy_resolver;

  if (resolver == NULL)
    resolver = g_proxy_resolver_get_default ();
  g_proxy_resolver_lookup_async (resolver, job->hop_mapped, job->cancellable,
                                 on_proxy_looked_up, job_ref (job));
}

static void
on_resolved (GObject      *source,
             GAsyncResult *res,
             gpointer      user_data)
{
  Job *job = user_data;
  g_autoptr(GError) error = NULL;
  GList *addresses = g_resolver_lookup_by_name_finish (G_RESOLVER (source), res, &error);

  if (job->done)
    goto out;
  if (addresses == NULL)
    {
      job_fail_with (job, error);
      goto out;
    }

  for (GList *l = addresses; l != NULL; l = l->next)
    if (address_is_local (l->data))
      {
        g_autofree char *text = g_inet_address_to_string (l->data);
        g_autofree char *message =
          g_strdup_printf (_("%s resolves to the local address %s; local addresses are not allowed"),
                           job->hop_url, text);

        job_refuse (job, message);
        goto out;
      }

  job_check_proxy (job);

out:
  g_resolver_free_addresses (addresses);
  job_unref (job);
}

/* Starts a request for @url (in the caller's URL space): map it, check
 * scheme and address, then wait for a per-host slot. */
static void
job_begin_hop (Job        *job,
               const char *url)
{
  BwFetcher *self = job->fetcher;
  g_autoptr(GUri) unmapped = NULL;
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GInetAddress) address = NULL;
  const char *scheme;
  const char *host;

  g_free (job->hop_url);
  job->hop_url = g_strdup (url);
  g_free (job->hop_mapped);
  job->hop_mapped = apply_maps (self, url, FALSE);

  unmapped = g_uri_parse (url, SOUP_HTTP_URI_FLAGS, NULL);
  uri = g_uri_parse (job->hop_mapped, SOUP_HTTP_URI_FLAGS, NULL);
  scheme = uri != NULL ? g_uri_get_scheme (uri) : NULL;
  if (uri == NULL || unmapped == NULL)
    {
      job_fail (job, BW_ERROR, BW_ERROR_POLICY, _("“%s” is not a valid URL"), job->hop_mapped);
      return;
    }
  if (g_strcmp0 (scheme, "http") != 0 && g_strcmp0 (scheme, "https") != 0)
    {
      job_fail (job, BW_ERROR, BW_ERROR_POLICY,
                _("%s uses “%s”; only http and https are allowed"), job->hop_mapped, scheme);
      return;
    }
  /* Plain http is judged on the URL the badge names: a --map-url to a
   * local test server does not make an https issuer insecure. */
  if (g_strcmp0 (g_uri_get_scheme (unmapped), "http") == 0)
    job->insecure = TRUE;

  host = g_uri_get_host (uri);
  if (host == NULL || *host == '\0')
    {
      job_fail (job, BW_ERROR, BW_ERROR_POLICY, _("%s names no host"), job->hop_mapped);
      return;
    }

  if (self->allow_local)
    {
      job_acquire_slot (job);
      return;
    }

  if (host_is_local_name (host))
    {
      g_autofree char *message =
        g_strdup_printf (_("%s is on the local machine; local addresses are not allowed"),
                         job->hop_mapped);

      job_refuse (job, message);
      return;
    }

  address = g_inet_address_new_from_string (host);
  if (address == NULL && strchr (host, ':') != NULL)
    {
      job_fail (job, BW_ERROR, BW_ERROR_POLICY, _("%s has an unusable address"), job->hop_mapped);
      return;
    }
  if (address != NULL)
    {
      if (address_is_local (address))
        {
          g_autofree char *message =
            g_strdup_printf (_("%s is a local or private address; local addresses are not allowed"),
                             job->hop_mapped);

          job_refuse (job, message);
          return;
        }
      job_check_proxy (job);
      return;
    }

  {
    g_autoptr(GResolver) resolver = g_resolver_get_default ();

    g_resolver_lookup_by_name_async (resolver, host, job->cancellable, on_resolved, job_ref (job));
  }
}

/* Callers */

static gboolean
waiter_cancelled_idle (gpointer user_data)
{
  GTask *task = user_data;
  Waiter *waiter = g_task_get_task_data (task);
  Job *job = waiter->job;

  if (job == NULL)
    return G_SOURCE_REMOVE;

  waiter_disconnect (waiter);
  g_ptr_array_remove (job->waiters, task);   /* drops the job's ref */
  g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, _("The fetch was cancelled"));
  if (job->waiters->len == 0)
    job_fail (job, G_IO_ERROR, G_IO_ERROR_CANCELLED, _("The fetch was cancelled"));
  return G_SOURCE_REMOVE;
}

/* Runs in whatever thread cancelled; the work is done in an idle of the
 * task's context, never inside the cancellable's signal. */
static void
on_waiter_cancelled (GCancellable *cancellable,
                     gpointer      user_data)
{
  GTask *task = user_data;
  GSource *idle = g_idle_source_new ();

  g_source_set_callback (idle, waiter_cancelled_idle, g_object_ref (task), g_object_unref);
  g_source_attach (idle, g_task_get_context (task));
  g_source_unref (idle);
}

static void
add_waiter (Job   *job,
            GTask *task)
{
  Waiter *waiter = g_task_get_task_data (task);

  waiter->job = job;
  g_ptr_array_add (job->waiters, g_object_ref (task));
  if (waiter->cancellable != NULL)
    waiter->cancel_id = g_cancellable_connect (waiter->cancellable,
                                               G_CALLBACK (on_waiter_cancelled), task, NULL);
}

static void
continue_fetch (BwFetcher  *self,
                GTask      *task,
                CacheEntry *entry)
{
  Waiter *waiter = g_task_get_task_data (task);
  g_autofree char *key = NULL;
  Job *job;

  if (g_task_return_error_if_cancelled (task))
    return;

  if (entry != NULL && g_bytes_get_size (entry->body) > cap_for_kind (waiter->kind))
    entry = NULL;

  if (entry != NULL && (self->offline || cache_entry_is_fresh (entry)))
    {
      g_task_return_pointer (task, result_from_entry (waiter->url, entry, TRUE),
                             (GDestroyNotify)bw_fetch_result_free);
      return;
    }

  if (self->offline)
    {
      g_task_return_new_error (task, BW_ERROR, BW_ERROR_POLICY,
                               _("Offline, and %s is not in the cache"), waiter->url);
      return;
    }

  key = g_strdup_printf ("%d %s", waiter->kind, waiter->resource);
  job = g_hash_table_lookup (self->jobs, key);
  if (job != NULL)
    {
      add_waiter (job, task);
      return;
    }

  job = g_new0 (Job, 1);
  job->ref_count = 1;
  job->fetcher = g_object_ref (self);
  job->key = g_steal_pointer (&key);
  job->url = g_strdup (waiter->resource);
  job->kind = waiter->kind;
  job->cap = cap_for_kind (waiter->kind);
  job->waiters = g_ptr_array_new_with_free_func (g_object_unref);
  job->cancellable = g_cancellable_new ();
  if (entry != NULL && (entry->etag != NULL || entry->last_modified != NULL))
    job->stale = cache_entry_ref (entry);
  g_hash_table_insert (self->jobs, job->key, job);
  add_waiter (job, task);

  if (self->timeout > 0)
    {
      job->timeout_source = g_timeout_source_new_seconds (self->timeout);
      g_source_set_callback (job->timeout_source, on_job_timeout, job, NULL);
      g_source_attach (job->timeout_source, g_main_context_get_thread_default ());
    }

  job_begin_hop (job, job->url);
}

static void
on_disk_loaded (GObject      *source,
                GAsyncResult *res,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  BwFetcher *self = g_task_get_source_object (task);
  Waiter *waiter = g_task_get_task_data (task);
  g_autoptr(CacheEntry) entry = g_task_propagate_pointer (G_TASK (res), NULL);
  CacheEntry *current = g_hash_table_lookup (self->cache, waiter->resource);

  /* A fetch that finished meanwhile has the newer copy. */
  if (current != NULL)
    {
      g_clear_pointer (&entry, cache_entry_unref);
      entry = cache_entry_ref (current);
    }
  else if (entry != NULL)
    memory_cache_insert (self, entry);

  continue_fetch (self, task, entry);
}

/**
 * bw_fetcher_fetch_async:
 * @self: a fetcher
 * @url: an http or https URL
 * @kind: what is expected, which sets the Accept header and size cap
 * @cancellable: (nullable): a cancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Fetches @url under the fetcher's policy; see bw_fetcher_fetch_finish()
 * for the outcomes. Callers asking for the same URL and kind while a
 * fetch runs share it (one request).
 */
void
bw_fetcher_fetch_async (BwFetcher           *self,
                        const char          *url,
                        BwFetchKind          kind,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GUri) uri = NULL;
  Waiter *waiter;
  CacheEntry *entry;
  const char *scheme;

  g_return_if_fail (BW_IS_FETCHER (self));
  g_return_if_fail (url != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, bw_fetcher_fetch_async);
  waiter = g_new0 (Waiter, 1);
  waiter->task = task;
  waiter->url = g_strdup (url);
  /* A fragment names a part of the document (a key in an issuer
   * profile, say); the document is the same for every fragment. */
  waiter->resource = g_strndup (url, strcspn (url, "#"));
  waiter->kind = kind;
  waiter->cancellable = cancellable != NULL ? g_object_ref (cancellable) : NULL;
  g_task_set_task_data (task, waiter, (GDestroyNotify)waiter_free);

  uri = g_uri_parse (url, SOUP_HTTP_URI_FLAGS, NULL);
  if (uri == NULL)
    {
      g_task_return_new_error (task, BW_ERROR, BW_ERROR_POLICY, _("“%s” is not a valid URL"), url);
      return;
    }
  scheme = g_uri_get_scheme (uri);
  if (g_strcmp0 (scheme, "http") != 0 && g_strcmp0 (scheme, "https") != 0)
    {
      g_task_return_new_error (task, BW_ERROR, BW_ERROR_POLICY,
                               _("%s uses “%s”; only http and https are allowed"), url, scheme);
      return;
    }

  if (!kind_uses_cache (kind))
    {
      continue_fetch (self, task, NULL);
      return;
    }

  entry = g_hash_table_lookup (self->cache, waiter->resource);
  if (entry != NULL || self->cache_dir == NULL)
    {
      continue_fetch (self, task, entry);
      return;
    }

  {
    GTask *load = g_task_new (self, NULL, on_disk_loaded, g_object_ref (task));

    g_task_set_source_tag (load, on_disk_loaded);
    g_object_set_data_full (G_OBJECT (load), "dir", g_strdup (self->cache_dir), g_free);
    g_task_set_task_data (load, g_strdup (waiter->resource), g_free);
    g_task_run_in_thread (load, disk_load_thread);
    g_object_unref (load);
  }
}

/**
 * bw_fetcher_fetch_finish:
 * @self: a fetcher
 * @result: the result given to the callback
 * @error: return location for an error
 *
 * A response with any status is a result, not an error. Errors:
 * %BW_ERROR_POLICY (scheme, local address, offline and not cached),
 * %BW_ERROR_NETWORK (unreachable, refused, TLS, connection cut short),
 * %BW_ERROR_TIMEOUT (the fetch or one request took too long),
 * %BW_ERROR_TOO_LARGE (the body passed the cap of its kind),
 * %BW_ERROR_HTTP (more than %BW_FETCH_MAX_REDIRECTS redirects, or an
 * unusable redirect), %G_IO_ERROR_CANCELLED.
 *
 * Returns: (transfer full): the result, or %NULL with @error set
 */
BwFetchResult *
bw_fetcher_fetch_finish (BwFetcher     *self,
                         GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (BW_IS_FETCHER (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Settings */

BwFetcher *
bw_fetcher_new (void)
{
  return g_object_new (BW_TYPE_FETCHER, NULL);
}

static SoupSession *
new_session (BwFetcher *self)
{
  /* libsoup's own per-host limit (2 by default) would hide ours. */
  SoupSession *session = soup_session_new_with_options ("user-agent", "BadgeWallet/" PACKAGE_VERSION " ",
                                                        "max-conns", 64,
                                                        "max-conns-per-host", 32,
                                                        "timeout", self->request_timeout,
                                                        NULL);

  if (self->proxy_resolver != NULL)
    soup_session_set_proxy_resolver (session, self->proxy_resolver);
  return session;
}

/**
 * bw_fetcher_set_allow_local:
 *
 * Allows loopback, private and link-local addresses (for local test
 * issuers); refused by default.
 */
void
bw_fetcher_set_allow_local (BwFetcher *self,
                            gboolean   allow_local)
{
  g_return_if_fail (BW_IS_FETCHER (self));

  /* Idle connections made while local addresses were allowed are not
   * checked again when reused, so they go with the old session; fetches
   * still running on it finish there. */
  if (self->allow_local && !allow_local)
    {
      g_object_unref (self->session);
      self->session = new_session (self);
    }
  self->allow_local = !!allow_local;
}

/**
 * bw_fetcher_set_offline:
 *
 * Offline, fetches are answered only from the cache (even when stale) and
 * fail with %BW_ERROR_POLICY otherwise.
 */
void
bw_fetcher_set_offline (BwFetcher *self,
                        gboolean   offline)
{
  g_return_if_fail (BW_IS_FETCHER (self));

  self->offline = !!offline;
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
 * bw_fetcher_set_timeout:
 * @seconds: the bound on one whole fetch, redirects and waiting
 *   included; 0 for none
 */
void
bw_fetcher_set_timeout (BwFetcher *self,
                        guint      seconds)
{
  g_return_if_fail (BW_IS_FETCHER (self));

  self->timeout = seconds;
}

/**
 * bw_fetcher_set_request_timeout:
 * @seconds: the bound on each HTTP request (one hop), and on silence
 *   on the connection; 0 for none
 */
void
bw_fetcher_set_request_timeout (BwFetcher *self,
                                guint      seconds)
{
  g_return_if_fail (BW_IS_FETCHER (self));

  self->request_timeout = seconds;
  soup_session_set_timeout (self->session, seconds);
}

void
bw_fetcher_set_max_per_host (BwFetcher *self,
                             guint      max_per_host)
{
  g_return_if_fail (BW_IS_FETCHER (self));

  self->max_per_host = MAX (max_per_host, 1);
}

/**
 * bw_fetcher_set_proxy_resolver:
 * @resolver: (nullable): the proxy resolver, or %NULL for the system's
 */
void
bw_fetcher_set_proxy_resolver (BwFetcher      *self,
                               GProxyResolver *resolver)
{
  g_return_if_fail (BW_IS_FETCHER (self));

  /* libsoup takes NULL to mean no proxy at all; here it means the
   * system's settings. */
  g_set_object (&self->proxy_resolver, resolver);
  soup_session_set_proxy_resolver (self->session,
                                   resolver != NULL ? resolver : g_proxy_resolver_get_default ());
}

/**
 * bw_fetcher_add_url_map:
 * @mapping: `FROM=TO`, two http(s) URL prefixes
 * @error: return location for an error
 *
 * Every URL starting with FROM is requested from TO plus the rest. The
 * address policy applies to TO like to any URL.
 *
 * Returns: %TRUE, or %FALSE with %BW_ERROR_MALFORMED
 */
gboolean
bw_fetcher_add_url_map (BwFetcher   *self,
                        const char  *mapping,
                        GError     **error)
{
  const char *separator;
  UrlMap *map;

  g_return_val_if_fail (BW_IS_FETCHER (self), FALSE);
  g_return_val_if_fail (mapping != NULL, FALSE);

  /* FROM may itself hold "=" (in a query), so prefer the "=" that starts
   * the TO URL. */
  separator = strstr (mapping, "=http://");
  if (separator == NULL)
    separator = strstr (mapping, "=https://");
  if (separator == NULL)
    separator = strchr (mapping, '=');
  if (separator == NULL)
    {
      g_set_error (error, BW_ERROR, BW_ERROR_MALFORMED,
                   _("URL map “%s” is not of the form FROM=TO"), mapping);
      return FALSE;
    }

  map = g_new0 (UrlMap, 1);
  map->from = g_strndup (mapping, separator - mapping);
  map->to = g_strdup (separator + 1);
  if (!is_http_url (map->from) || !is_http_url (map->to))
    {
      g_set_error (error, BW_ERROR, BW_ERROR_MALFORMED,
                   _("URL map “%s” needs an http or https URL on both sides of “=”"), mapping);
      url_map_free (map);
      return FALSE;
    }

  g_ptr_array_add (self->maps, map);
  return TRUE;
}

/**
 * bw_fetcher_map_url:
 *
 * Returns: (transfer full): @url rewritten by the longest matching map,
 *   or a copy of @url
 */
char *
bw_fetcher_map_url (BwFetcher  *self,
                    const char *url)
{
  g_return_val_if_fail (BW_IS_FETCHER (self), NULL);
  g_return_val_if_fail (url != NULL, NULL);

  return apply_maps (self, url, FALSE);
}

/**
 * bw_fetcher_get_request_count:
 *
 * Returns: how many HTTP requests went out (each redirect hop and each
 *   revalidation counts; answers from the cache do not)
 */
guint
bw_fetcher_get_request_count (BwFetcher *self)
{
  g_return_val_if_fail (BW_IS_FETCHER (self), 0);

  return self->request_count;
}

/**
 * bw_fetcher_get_bytes_received:
 *
 * Returns: the body bytes read from the network so far
 */
guint64
bw_fetcher_get_bytes_received (BwFetcher *self)
{
  g_return_val_if_fail (BW_IS_FETCHER (self), 0);

  return self->bytes_received;
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

/**
 * bw_fetcher_is_local_address:
 * @address: an IPv4 or IPv6 address in text form
 *
 * Tells whether @address is one the policy refuses without allow-local:
 * loopback, private (RFC 1918, fc00::/7), link-local, carrier NAT,
 * unspecified, multicast or reserved, including IPv4 addresses wrapped in
 * IPv6 (mapped, compatible, NAT64).
 *
 * Returns: %TRUE for such an address, and for text that is no address
 */
gboolean
bw_fetcher_is_local_address (const char *address)
{
  g_autoptr(GInetAddress) inet = NULL;

  g_return_val_if_fail (address != NULL, TRUE);

  inet = g_inet_address_new_from_string (address);
  return inet == NULL || address_is_local (inet);
}

static void
host_slots_free (HostSlots *slots)
{
  g_queue_clear_full (&slots->waiting, (GDestroyNotify)job_unref);
  g_free (slots);
}

static void
bw_fetcher_dispose (GObject *object)
{
  BwFetcher *self = BW_FETCHER (object);

  if (self->session != NULL)
    soup_session_abort (self->session);
  g_clear_object (&self->session);
  g_clear_object (&self->proxy_resolver);

  G_OBJECT_CLASS (bw_fetcher_parent_class)->dispose (object);
}

static void
bw_fetcher_finalize (GObject *object)
{
  BwFetcher *self = BW_FETCHER (object);

  g_free (self->cache_dir);
  g_ptr_array_unref (self->maps);
  g_hash_table_unref (self->cache);
  g_queue_clear_full (&self->cache_order, (GDestroyNotify)cache_order_free);
  g_hash_table_unref (self->jobs);
  g_hash_table_unref (self->hosts);

  G_OBJECT_CLASS (bw_fetcher_parent_class)->finalize (object);
}

static void
bw_fetcher_class_init (BwFetcherClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = bw_fetcher_dispose;
  object_class->finalize = bw_fetcher_finalize;
}

static void
bw_fetcher_init (BwFetcher *self)
{
  /* libsoup's own per-host limit (2 by default) would hide ours. */
  self->timeout = DEFAULT_TIMEOUT;
  self->request_timeout = DEFAULT_REQUEST_TIMEOUT;
  self->session = new_session (self);
  self->max_per_host = DEFAULT_MAX_PER_HOST;
  self->maps = g_ptr_array_new_with_free_func ((GDestroyNotify)url_map_free);
  self->cache = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify)cache_entry_unref);
  self->jobs = g_hash_table_new (g_str_hash, g_str_equal);
  self->hosts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify)host_slots_free);
}
