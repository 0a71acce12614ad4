/* bw-badge-image.c
 *
 * Copyright 2026 The Badge Wallet authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bw-badge-image"

#include "config.h"

#include <errno.h>
#include <string.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <librsvg/rsvg.h>

#include "bw-badge-image.h"
#include "bw-baked.h"
#include "bw-error.h"
#include "bw-util.h"

/* Enough for the tiles the grid keeps (each holds its own texture too),
 * a details page and a dialog; each entry is at most size² × 4 bytes, and
 * the byte bound keeps a few large pictures from holding on to memory. */
#define DEFAULT_MAX_ENTRIES   256
#define MAX_CACHED_BYTES      (32 * 1024 * 1024)

typedef enum
{
  JOB_DONE,
  JOB_NEED_STORE,
  JOB_NEED_FETCH,
} JobNext;

typedef struct
{
  char       *key;
  char       *thumbnail_path;
  int         size;
  guint64     sequence;

  /* The sources, tried in this order. */
  GBytes     *bytes;
  char       *original_path;
  char       *image_uri;
  BwStore    *store;
  char       *wallet_id;
  gboolean    allow_network;
  gboolean    tried_store;
  gboolean    tried_fetch;
  gboolean    checked_disk;

  /* Written by the worker, read on the main thread once it has finished. */
  JobNext     next;
  GdkTexture *texture;
  GError     *error;
} LoadJob;

typedef struct
{
  char       *key;
  GdkTexture *texture;
  gsize       bytes;
} CacheEntry;

struct _BwBadgeImage
{
  GObject      parent_instance;

  char        *thumbnail_dir;
  guint        max_threads;
  guint        max_entries;
  GThreadPool *pool;
  BwFetcher   *fetcher;
  guint64      next_sequence;

  /* The LRU memory cache: the queue holds the most recent entry first,
   * the table maps keys to queue links. Main thread only. */
  GQueue       lru;
  GHashTable  *entries;
  gsize        cached_bytes;

  int          thumbnails_made;
  int          disk_hits;
  int          memory_hits;
  int          fetches;
  int          failures;
};

G_DEFINE_FINAL_TYPE (BwBadgeImage, bw_badge_image, G_TYPE_OBJECT)

/* Decoding happens in free functions that any loader's workers call, so
 * these two counters are per process. */
static int decodes;
static int main_thread_decodes;
static GThread *main_thread;

static BwBadgeImage *default_instance;

static void
load_job_free (LoadJob *job)
{
  g_free (job->key);
  g_free (job->thumbnail_path);
  g_clear_pointer (&job->bytes, g_bytes_unref);
  g_free (job->original_path);
  g_free (job->image_uri);
  g_clear_object (&job->store);
  g_free (job->wallet_id);
  g_clear_object (&job->texture);
  g_clear_error (&job->error);
  g_free (job);
}

static void
cache_entry_free (CacheEntry *entry)
{
  g_free (entry->key);
  g_clear_object (&entry->texture);
  g_free (entry);
}

static gboolean
is_main_thread (void)
{
  return main_thread != NULL && g_thread_self () == main_thread;
}

/* Decoding. */

static gboolean
read_png_size (GBytes  *image,
               guint32 *width,
               guint32 *height)
{
  static const guint8 signature[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };
  const guint8 *data;
  gsize length;

  data = g_bytes_get_data (image, &length);
  /* The IHDR chunk must come first: signature, length, "IHDR", width, height. */
  if (length < 24 || memcmp (data, signature, 8) != 0 || memcmp (data + 12, "IHDR", 4) != 0)
    return FALSE;

  *width = ((guint32) data[16] << 24) | ((guint32) data[17] << 16) |
           ((guint32) data[18] << 8) | (guint32) data[19];
  *height = ((guint32) data[20] << 24) | ((guint32) data[21] << 16) |
            ((guint32) data[22] << 8) | (guint32) data[23];

  return TRUE;
}

static void
fit_size (double  width,
          double  height,
          int     size,
          int    *out_width,
          int    *out_height)
{
  double scale;

  if (width <= 0 || height <= 0)
    {
      *out_width = size;
      *out_height = size;
      return;
    }

  scale = size / MAX (width, height);
  *out_width = CLAMP ((int) (width * scale + 0.5), 1, size);
  *out_height = CLAMP ((int) (height * scale + 0.5), 1, size);
}

static GdkTexture *
texture_from_surface (cairo_surface_t *surface)
{
  g_autoptr(GBytes) pixels = NULL;
  int width;
  int height;
  int stride;

  cairo_surface_flush (surface);
  width = cairo_image_surface_get_width (surface);
  height = cairo_image_surface_get_height (surface);
  stride = cairo_image_surface_get_stride (surface);
  pixels = g_bytes_new (cairo_image_surface_get_data (surface), (gsize) stride * height);

  /* GDK_MEMORY_DEFAULT is cairo's ARGB32 layout on either byte order. */
  return gdk_memory_texture_new (width, height, GDK_MEMORY_DEFAULT, pixels, stride);
}

static GdkTexture *
decode_png (GBytes  *image,
            int      size,
            GError **error)
{
  g_autoptr(GdkTexture) full = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree guchar *pixels = NULL;
  cairo_surface_t *source;
  cairo_surface_t *target;
  cairo_t *cr;
  GdkTexture *texture;
  guint32 width;
  guint32 height;
  int out_width;
  int out_height;
  gsize stride;

  if (!read_png_size (image, &width, &height))
    {
      g_set_error (error, BW_ERROR, BW_ERROR_MALFORMED,
                   _("The badge image is not a valid PNG: its header chunk is missing"));
      return NULL;
    }

  /* Checked before decoding, because the decoder allocates the whole image. */
  if (width == 0 || height == 0 ||
      (guint64) width * height > BW_BADGE_IMAGE_MAX_PIXELS)
    {
      g_set_error (error, BW_ERROR, BW_ERROR_TOO_LARGE,
                   _("The badge image is %u × %u pixels; images of more than %u pixels "
                     "are not shown"),
                   width, height, (guint) BW_BADGE_IMAGE_MAX_PIXELS);
      return NULL;
    }

  full = gdk_texture_new_from_bytes (image, &local_error);
  if (full == NULL)
    {
      g_set_error (error, BW_ERROR, BW_ERROR_MALFORMED,
                   _("The badge image could not be decoded as PNG: %s"), local_error->message);
      return NULL;
    }

  if ((int) width <= size && (int) height <= size)
    return g_steal_pointer (&full);

  /* Scaled down here, once, so the widgets only ever draw small textures. */
  stride = (gsize) width * 4;
  pixels = g_malloc (stride * height);
  gdk_texture_download (full, pixels, stride);
  g_clear_object (&full);

  fit_size (width, height, size, &out_width, &out_height);
  source = cairo_image_surface_create_for_data (pixels, CAIRO_FORMAT_ARGB32,
                                                (int) width, (int) height, (int) stride);
  target = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, out_width, out_height);
  cr = cairo_create (target);
  cairo_scale (cr, (double) out_width / width, (double) out_height / height);
  cairo_set_source_surface (cr, source, 0, 0);
  cairo_pattern_set_filter (cairo_get_source (cr), CAIRO_FILTER_GOOD);
  cairo_paint (cr);
  cairo_destroy (cr);

  texture = texture_from_surface (target);
  cairo_surface_destroy (target);
  cairo_surface_destroy (source);

  return texture;
}

static GdkTexture *
render_svg (RsvgHandle  *handle,
            int          size,
            GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  cairo_surface_t *surface;
  cairo_t *cr;
  RsvgRectangle viewport;
  GdkTexture *texture = NULL;
  double width = 0;
  double height = 0;
  int out_width;
  int out_height;

  if (!rsvg_handle_get_intrinsic_size_in_pixels (handle, &width, &height))
    {
      gboolean has_width;
      gboolean has_height;
      gboolean has_viewbox;
      RsvgLength length_width;
      RsvgLength length_height;
      RsvgRectangle viewbox;

      rsvg_handle_get_intrinsic_dimensions (handle, &has_width, &length_width,
                                            &has_height, &length_height,
                                            &has_viewbox, &viewbox);
      if (has_viewbox)
        {
          width = viewbox.width;
          height = viewbox.height;
        }
    }

  /* The surface is bounded by the requested size whatever the document
   * claims, so a hostile width or height cannot make it large. */
  fit_size (width, height, size, &out_width, &out_height);
  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, out_width, out_height);
  if (cairo_surface_status (surface) != CAIRO_STATUS_SUCCESS)
    {
      cairo_surface_destroy (surface);
      g_set_error (error, BW_ERROR, BW_ERROR_FAILED,
                   _("No memory to render the badge image at %d × %d pixels"),
                   out_width, out_height);
      return NULL;
    }

  cr = cairo_create (surface);
  viewport = (RsvgRectangle) { 0, 0, out_width, out_height };
  if (rsvg_handle_render_document (handle, cr, &viewport, &local_error))
    texture = texture_from_surface (surface);
  else
    g_set_error (error, BW_ERROR, BW_ERROR_MALFORMED,
                 _("The badge image could not be rendered as SVG: %s"), local_error->message);
  cairo_destroy (cr);
  cairo_surface_destroy (surface);

  return texture;
}

static GdkTexture *
decode_svg (GBytes  *image,
            int      size,
            GError **error)
{
  g_autoptr(GError) local_error = NULL;
  RsvgHandle *handle;
  GdkTexture *texture;
  const guint8 *data;
  gsize length;

  data = g_bytes_get_data (image, &length);

  /* The default flags keep librsvg's own limits on element counts and
   * nesting, and with no base file no external resource can be loaded. */
  handle = rsvg_handle_new_from_data (data, length, &local_error);
  if (handle == NULL)
    {
      g_set_error (error, BW_ERROR, BW_ERROR_MALFORMED,
                   _("The badge image could not be read as SVG: %s"), local_error->message);
      return NULL;
    }

  texture = render_svg (handle, size, error);
  g_object_unref (handle);

  return texture;
}

GdkTexture *
bw_badge_image_decode (GBytes  *image,
                       int      size,
                       GError **error)
{
  const guint8 *data;
  gsize length;

  g_return_val_if_fail (image != NULL, NULL);
  g_return_val_if_fail (size > 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  g_atomic_int_inc (&decodes);
  if (is_main_thread ())
    g_atomic_int_inc (&main_thread_decodes);

  size = MIN (size, BW_BADGE_IMAGE_MAX_SIZE);
  data = g_bytes_get_data (image, &length);
  if (length > BW_BADGE_IMAGE_MAX_BYTES)
    {
      g_set_error (error, BW_ERROR, BW_ERROR_TOO_LARGE,
                   _("The badge image is %lu bytes; images over %d bytes "
                     "are not shown"),
                   (gulong)length, BW_BADGE_IMAGE_MAX_BYTES);
      return NULL;
    }

  switch (bw_baked_sniff (data, length))
    {
    case BW_IMAGE_FORMAT_PNG:
      return decode_png (image, size, error);
    case BW_IMAGE_FORMAT_SVG:
      return decode_svg (image, size, error);
    case BW_IMAGE_FORMAT_NONE:
    default:
      g_set_error (error, BW_ERROR, BW_ERROR_UNSUPPORTED,
                   _("The badge image is neither PNG nor SVG"));
      return NULL;
    }
}

GBytes *
bw_badge_image_decode_data_uri (const char  *uri,
                                char       **media_type,
                                GError     **error)
{
  const char *header;
  const char *comma;
  g_autofree char *type = NULL;
  gboolean base64;
  gsize length;

  g_return_val_if_fail (uri != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (g_ascii_strncasecmp (uri, "data:", 5) != 0)
    {
      g_set_error (error, BW_ERROR, BW_ERROR_MALFORMED,
                   _("The image reference is not a data: URI"));
      return NULL;
    }

  header = uri + 5;
  comma = strchr (header, ',');
  if (comma == NULL)
    {
      g_set_error (error, BW_ERROR, BW_ERROR_MALFORMED,
                   _("The image data: URI has no comma before its data"));
      return NULL;
    }

  /* Base64 grows data by a third; anything longer cannot fit the limit. */
  length = strlen (comma + 1);
  if (length > (gsize) BW_BADGE_IMAGE_MAX_BYTES / 3 * 4 + 4)
    {
      g_set_error (error, BW_ERROR, BW_ERROR_TOO_LARGE,
                   _("The image data: URI is longer than %d bytes"), BW_BADGE_IMAGE_MAX_BYTES);
      return NULL;
    }

  base64 = comma - header >= 7 && g_ascii_strncasecmp (comma - 7, ";base64", 7) == 0;
  type = g_strndup (header, (comma - header) - (base64 ? 7 : 0));
  if (strchr (type, ';') != NULL)
    *strchr (type, ';') = '\0';

  if (media_type != NULL)
    *media_type = g_ascii_strdown (*type != '\0' ? type : "text/plain", -1);

  if (base64)
    {
      g_autofree char *text = g_uri_unescape_string (comma + 1, NULL);
      guchar *decoded;
      gsize decoded_length;

      if (text == NULL)
        {
          g_set_error (error, BW_ERROR, BW_ERROR_MALFORMED,
                       _("The image data: URI has a broken percent escape"));
          return NULL;
        }

      /* g_base64_decode() skips what is not base64, including whitespace. */
      decoded = g_base64_decode (text, &decoded_length);
      return g_bytes_new_take (decoded, decoded_length);
    }
  else
    {
      GBytes *bytes = g_uri_unescape_bytes (comma + 1, -1, NULL, error);

      if (bytes == NULL)
        g_prefix_error (error, "%s", _("The image data: URI cannot be decoded: "));

      return bytes;
    }
}

/* The memory cache. */

static void
cache_remove_link (BwBadgeImage *self,
                   GList        *link)
{
  CacheEntry *entry = link->data;

  g_hash_table_remove (self->entries, entry->key);
  g_queue_delete_link (&self->lru, link);
  self->cached_bytes -= entry->bytes;
  cache_entry_free (entry);
}

static void
cache_insert (BwBadgeImage *self,
              const char   *key,
              GdkTexture   *texture)
{
  CacheEntry *entry;
  GList *link;

  link = g_hash_table_lookup (self->entries, key);
  if (link != NULL)
    cache_remove_link (self, link);

  entry = g_new0 (CacheEntry, 1);
  entry->key = g_strdup (key);
  entry->texture = g_object_ref (texture);
  entry->bytes = (gsize) gdk_texture_get_width (texture) * gdk_texture_get_height (texture) * 4;

  g_queue_push_head (&self->lru, entry);
  g_hash_table_insert (self->entries, entry->key, self->lru.head);
  self->cached_bytes += entry->bytes;

  while (self->lru.length > 1 &&
         (self->lru.length > self->max_entries || self->cached_bytes > MAX_CACHED_BYTES))
    cache_remove_link (self, self->lru.tail);
}

static GdkTexture *
cache_lookup (BwBadgeImage *self,
              const char   *key)
{
  GList *link;

  link = g_hash_table_lookup (self->entries, key);
  if (link == NULL)
    return NULL;

  /* Most recently used first. */
  g_queue_unlink (&self->lru, link);
  g_queue_push_head_link (&self->lru, link);
  self->memory_hits++;

  return g_object_ref (((CacheEntry *) link->data)->texture);
}

static char *
dup_badge_key (BwBadge *badge,
               int      size)
{
  const char *wallet_id = bw_badge_get_wallet_id (badge);
  const char *image = bw_badge_get_image (badge);

  if (wallet_id != NULL)
    return g_strdup_printf ("w/%s/%d", wallet_id, size);

  if (image != NULL)
    {
      g_autofree char *digest = bw_sha256_hex (image, strlen (image));

      return g_strdup_printf ("i/%s/%d", digest, size);
    }

  return NULL;
}

/* The thumbnail of a wallet badge, keyed by wallet id and size. Wallet
 * ids are content hashes, but anything else is hashed into a safe name. */
static char *
dup_thumbnail_path (BwBadgeImage *self,
                    const char   *wallet_id,
                    int           size)
{
  g_autofree char *name = NULL;
  gboolean safe = *wallet_id != '\0' && strlen (wallet_id) <= 128;

  for (const char *p = wallet_id; safe && *p != '\0'; p++)
    safe = g_ascii_isalnum (*p) || *p == '-' || *p == '_';

  if (safe)
    name = g_strdup_printf ("%s-%d.png", wallet_id, size);
  else
    {
      g_autofree char *digest = bw_sha256_hex (wallet_id, strlen (wallet_id));

      name = g_strdup_printf ("%s-%d.png", digest, size);
    }

  return g_build_filename (self->thumbnail_dir, name, NULL);
}

/* The workers. */

static GBytes *
read_image_file (const char *path)
{
  g_autoptr(GMappedFile) mapped = NULL;
  const guint8 *data;
  gsize length;

  mapped = g_mapped_file_new (path, FALSE, NULL);
  if (mapped == NULL)
    return NULL;

  data = (const guint8 *) g_mapped_file_get_contents (mapped);
  length = g_mapped_file_get_length (mapped);
  if (length == 0 || length > BW_BADGE_IMAGE_MAX_BYTES ||
      bw_baked_sniff (data, length) == BW_IMAGE_FORMAT_NONE)
    return NULL;

  return g_mapped_file_get_bytes (mapped);
}

static gboolean
is_http_uri (const char *uri)
{
  return uri != NULL &&
         (g_ascii_strncasecmp (uri, "https://", 8) == 0 ||
          g_ascii_strncasecmp (uri, "http://", 7) == 0);
}

static void
save_thumbnail (BwBadgeImage *self,
                LoadJob      *job)
{
  g_autoptr(GBytes) png = NULL;
  g_autoptr(GError) error = NULL;

  if (g_mkdir_with_parents (self->thumbnail_dir, 0700) != 0)
    {
      int saved_errno = errno;

      g_debug ("Cannot create the thumbnail folder %s: %s",
               self->thumbnail_dir, g_strerror (saved_errno));
      return;
    }

  png = gdk_texture_save_to_png_bytes (job->texture);
  if (!g_file_set_contents (job->thumbnail_path,
                            g_bytes_get_data (png, NULL), g_bytes_get_size (png),
                            &error))
    {
      g_debug ("Cannot write the thumbnail %s: %s", job->thumbnail_path, error->message);
      return;
    }

  g_atomic_int_inc (&self->thumbnails_made);
}

static gboolean
load_thumbnail (BwBadgeImage *self,
                LoadJob      *job)
{
  g_autoptr(GBytes) png = NULL;
  g_autoptr(GError) error = NULL;

  job->checked_disk = TRUE;
  png = read_image_file (job->thumbnail_path);
  if (png == NULL)
    return FALSE;

  job->texture = bw_badge_image_decode (png, job->size, &error);
  if (job->texture == NULL)
    {
      /* A damaged thumbnail is made again from the original. */
      g_debug ("Dropping the thumbnail %s: %s", job->thumbnail_path, error->message);
      g_unlink (job->thumbnail_path);
      return FALSE;
    }

  g_atomic_int_inc (&self->disk_hits);
  return TRUE;
}

static void
load_job_run (BwBadgeImage *self,
              LoadJob      *job)
{
  g_autoptr(GBytes) source = NULL;

  job->next = JOB_DONE;

  if (job->thumbnail_path != NULL && !job->checked_disk && load_thumbnail (self, job))
    return;

  if (job->bytes != NULL)
    source = g_bytes_ref (job->bytes);

  if (source == NULL && job->original_path != NULL)
    source = read_image_file (job->original_path);

  if (source == NULL && job->image_uri != NULL &&
      g_ascii_strncasecmp (job->image_uri, "data:", 5) == 0)
    {
      g_autoptr(GError) error = NULL;

      source = bw_badge_image_decode_data_uri (job->image_uri, NULL, &error);
      if (source == NULL)
        {
          g_propagate_error (&job->error, g_steal_pointer (&error));
          return;
        }
    }

  if (source == NULL)
    {
      if (!job->tried_store && job->store != NULL && job->wallet_id != NULL &&
          job->original_path == NULL)
        job->next = JOB_NEED_STORE;
      else if (!job->tried_fetch && job->allow_network && is_http_uri (job->image_uri))
        job->next = JOB_NEED_FETCH;
      else
        g_set_error (&job->error, BW_ERROR, BW_ERROR_NOT_FOUND,
                     _("This badge has no image that can be shown"));
      return;
    }

  job->texture = bw_badge_image_decode (source, job->size, &job->error);
  if (job->texture != NULL && job->thumbnail_path != NULL)
    save_thumbnail (self, job);
}

static gboolean load_job_complete_cb (gpointer data);

static void
pool_run_cb (gpointer data,
             gpointer user_data)
{
  GTask *task = data;
  BwBadgeImage *self = g_task_get_source_object (task);
  LoadJob *job = g_task_get_task_data (task);
  GSource *source;

  /* A tile scrolled out of view cancels its request; skip the work. */
  if (!g_cancellable_is_cancelled (g_task_get_cancellable (task)))
    load_job_run (self, job);

  source = g_idle_source_new ();
  g_source_set_priority (source, G_PRIORITY_DEFAULT_IDLE);
  g_source_set_callback (source, load_job_complete_cb, task, g_object_unref);
  g_source_attach (source, g_task_get_context (task));
  g_source_unref (source);
}

/* The newest request runs first: when the user scrolls, the tiles now in
 * view matter more than the ones that were. */
static int
compare_jobs (gconstpointer a,
              gconstpointer b,
              gpointer      user_data)
{
  LoadJob *job_a = g_task_get_task_data ((GTask *) a);
  LoadJob *job_b = g_task_get_task_data ((GTask *) b);

  if (job_a->sequence == job_b->sequence)
    return 0;

  return job_a->sequence > job_b->sequence ? -1 : 1;
}

static void
push_job (BwBadgeImage *self,
          GTask        *task)
{
  LoadJob *job = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  job->sequence = ++self->next_sequence;
  g_clear_pointer (&job->error, g_error_free);
  g_object_ref (task);
  if (!g_thread_pool_push (self->pool, task, &error))
    {
      self->failures++;
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
    }
}

static void
fetch_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(BwFetchResult) fetched = NULL;
  g_autoptr(GError) error = NULL;
  BwBadgeImage *self = g_task_get_source_object (task);
  LoadJob *job = g_task_get_task_data (task);

  fetched = bw_fetcher_fetch_finish (BW_FETCHER (object), result, &error);
  if (fetched == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        self->failures++;
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (fetched->status < 200 || fetched->status > 299 || fetched->body == NULL)
    {
      self->failures++;
      g_task_return_new_error (task, BW_ERROR, BW_ERROR_HTTP,
                               _("The badge image at %s answered with HTTP status %u"),
                               job->image_uri, fetched->status);
      return;
    }

  job->bytes = g_bytes_ref (fetched->body);
  push_job (self, task);
}

static gboolean
load_job_complete_cb (gpointer data)
{
  GTask *task = data;
  BwBadgeImage *self = g_task_get_source_object (task);
  LoadJob *job = g_task_get_task_data (task);

  if (g_task_return_error_if_cancelled (task))
    return G_SOURCE_REMOVE;

  switch (job->next)
    {
    case JOB_NEED_STORE:
      {
        g_autoptr(GBytes) original = NULL;

        /* Only for a store that has not told the badge where its original
         * lives; reading it here is one small file read. */
        job->tried_store = TRUE;
        original = bw_store_load_original (job->store, job->wallet_id, NULL);
        if (original != NULL &&
            bw_baked_sniff (g_bytes_get_data (original, NULL),
                            g_bytes_get_size (original)) != BW_IMAGE_FORMAT_NONE)
          job->bytes = g_steal_pointer (&original);
        push_job (self, task);
      }
      break;

    case JOB_NEED_FETCH:
      /* The fetcher is only read here, on the main thread, where it is set. */
      if (self->fetcher == NULL)
        {
          self->failures++;
          g_task_return_new_error (task, BW_ERROR, BW_ERROR_NOT_FOUND,
                                   _("This badge has no image that can be shown"));
          break;
        }
      job->tried_fetch = TRUE;
      self->fetches++;
      bw_fetcher_fetch_async (self->fetcher, job->image_uri, BW_FETCH_IMAGE,
                              g_task_get_cancellable (task),
                              fetch_cb, g_object_ref (task));
      break;

    case JOB_DONE:
    default:
      if (job->texture != NULL)
        {
          cache_insert (self, job->key, job->texture);
          g_task_return_pointer (task, g_object_ref (job->texture), g_object_unref);
        }
      else
        {
          self->failures++;
          if (job->error == NULL)
            g_set_error (&job->error, BW_ERROR, BW_ERROR_FAILED,
                         _("The badge image could not be shown"));
          g_task_return_error (task, g_steal_pointer (&job->error));
        }
      break;
    }

  return G_SOURCE_REMOVE;
}

/* The object. */

static void
bw_badge_image_dispose (GObject *object)
{
  BwBadgeImage *self = (BwBadgeImage *) object;

  /* Every queued job holds a reference to its loader, so the pool is idle
   * by now; freeing it still waits for a worker that is finishing. */
  if (self->pool != NULL)
    {
      g_thread_pool_free (self->pool, FALSE, TRUE);
      self->pool = NULL;
    }

  g_clear_object (&self->fetcher);
  bw_badge_image_clear_memory (self);

  G_OBJECT_CLASS (bw_badge_image_parent_class)->dispose (object);
}

static void
bw_badge_image_finalize (GObject *object)
{
  BwBadgeImage *self = (BwBadgeImage *) object;

  g_clear_pointer (&self->entries, g_hash_table_unref);
  g_free (self->thumbnail_dir);

  G_OBJECT_CLASS (bw_badge_image_parent_class)->finalize (object);
}

static void
bw_badge_image_class_init (BwBadgeImageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = bw_badge_image_dispose;
  object_class->finalize = bw_badge_image_finalize;
}

static void
bw_badge_image_init (BwBadgeImage *self)
{
  g_queue_init (&self->lru);
  self->entries = g_hash_table_new (g_str_hash, g_str_equal);
}

BwBadgeImage *
bw_badge_image_new (const char *thumbnail_dir,
                    guint       max_threads,
                    guint       max_entries)
{
  BwBadgeImage *self;
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (thumbnail_dir != NULL, NULL);

  /* The loader is made on the main thread, which is the one thread that
   * must never decode. */
  if (main_thread == NULL)
    main_thread = g_thread_self ();

  self = g_object_new (BW_TYPE_BADGE_IMAGE, NULL);
  self->thumbnail_dir = g_strdup (thumbnail_dir);
  self->max_threads = max_threads > 0 ? max_threads
                                      : CLAMP (g_get_num_processors () - 1, 1, 4);
  self->max_entries = max_entries > 0 ? max_entries : DEFAULT_MAX_ENTRIES;
  self->pool = g_thread_pool_new (pool_run_cb, self, self->max_threads, FALSE, &error);
  if (self->pool == NULL)
    g_error ("Cannot start the image threads: %s", error->message);
  g_thread_pool_set_sort_function (self->pool, compare_jobs, NULL);

  return self;
}

BwBadgeImage *
bw_badge_image_get_default (void)
{
  if (default_instance == NULL)
    {
      g_autofree char *dir = g_build_filename (g_get_user_cache_dir (),
                                               "badge-wallet", "thumbnails", NULL);

      default_instance = bw_badge_image_new (dir, 0, 0);
    }

  return default_instance;
}

const char *
bw_badge_image_get_thumbnail_dir (BwBadgeImage *self)
{
  g_return_val_if_fail (BW_IS_BADGE_IMAGE (self), NULL);

  return self->thumbnail_dir;
}

guint
bw_badge_image_get_max_threads (BwBadgeImage *self)
{
  g_return_val_if_fail (BW_IS_BADGE_IMAGE (self), 0);

  return self->max_threads;
}

void
bw_badge_image_set_fetcher (BwBadgeImage *self,
                            BwFetcher    *fetcher)
{
  g_return_if_fail (BW_IS_BADGE_IMAGE (self));
  g_return_if_fail (fetcher == NULL || BW_IS_FETCHER (fetcher));

  g_set_object (&self->fetcher, fetcher);
}

GdkTexture *
bw_badge_image_lookup (BwBadgeImage *self,
                       BwBadge      *badge,
                       int           size)
{
  g_autofree char *key = NULL;

  g_return_val_if_fail (BW_IS_BADGE_IMAGE (self), NULL);
  g_return_val_if_fail (BW_IS_BADGE (badge), NULL);
  g_return_val_if_fail (size > 0, NULL);

  key = dup_badge_key (badge, MIN (size, BW_BADGE_IMAGE_MAX_SIZE));
  if (key == NULL)
    return NULL;

  return cache_lookup (self, key);
}

static void
start_load (BwBadgeImage *self,
            GTask        *task)
{
  LoadJob *job = g_task_get_task_data (task);
  GdkTexture *texture;

  texture = cache_lookup (self, job->key);
  if (texture != NULL)
    {
      g_task_return_pointer (task, texture, g_object_unref);
      return;
    }

  push_job (self, task);
}

void
bw_badge_image_load_async (BwBadgeImage        *self,
                           BwStore             *store,
                           BwBadge             *badge,
                           int                  size,
                           gboolean             allow_network,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  LoadJob *job;
  const char *wallet_id;

  g_return_if_fail (BW_IS_BADGE_IMAGE (self));
  g_return_if_fail (store == NULL || BW_IS_STORE (store));
  g_return_if_fail (BW_IS_BADGE (badge));
  g_return_if_fail (size > 0);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, bw_badge_image_load_async);

  size = MIN (size, BW_BADGE_IMAGE_MAX_SIZE);
  wallet_id = bw_badge_get_wallet_id (badge);

  job = g_new0 (LoadJob, 1);
  job->size = size;
  job->key = dup_badge_key (badge, size);
  job->original_path = g_strdup (bw_badge_get_original_path (badge));
  job->image_uri = g_strdup (bw_badge_get_image (badge));
  job->allow_network = allow_network;
  if (wallet_id != NULL)
    {
      job->wallet_id = g_strdup (wallet_id);
      job->thumbnail_path = dup_thumbnail_path (self, wallet_id, size);
      job->store = store != NULL ? g_object_ref (store) : NULL;
    }
  g_task_set_task_data (task, job, (GDestroyNotify) load_job_free);

  if (job->key == NULL)
    {
      self->failures++;
      g_task_return_new_error (task, BW_ERROR, BW_ERROR_NOT_FOUND,
                               _("This badge has no image that can be shown"));
      return;
    }

  start_load (self, task);
}

void
bw_badge_image_load_bytes_async (BwBadgeImage        *self,
                                 GBytes              *image,
                                 int                  size,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *digest = NULL;
  LoadJob *job;

  g_return_if_fail (BW_IS_BADGE_IMAGE (self));
  g_return_if_fail (image != NULL);
  g_return_if_fail (size > 0);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, bw_badge_image_load_bytes_async);

  size = MIN (size, BW_BADGE_IMAGE_MAX_SIZE);
  digest = bw_sha256_hex (g_bytes_get_data (image, NULL), g_bytes_get_size (image));

  job = g_new0 (LoadJob, 1);
  job->size = size;
  job->key = g_strdup_printf ("b/%s/%d", digest, size);
  job->bytes = g_bytes_ref (image);
  g_task_set_task_data (task, job, (GDestroyNotify) load_job_free);

  start_load (self, task);
}

GdkTexture *
bw_badge_image_load_finish (BwBadgeImage  *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (BW_IS_BADGE_IMAGE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
bw_badge_image_clear_memory (BwBadgeImage *self)
{
  g_return_if_fail (BW_IS_BADGE_IMAGE (self));

  while (self->lru.tail != NULL)
    cache_remove_link (self, self->lru.tail);
}

void
bw_badge_image_get_stats (BwBadgeImage      *self,
                          BwBadgeImageStats *stats)
{
  g_return_if_fail (BW_IS_BADGE_IMAGE (self));
  g_return_if_fail (stats != NULL);

  stats->decodes = (guint) g_atomic_int_get (&decodes);
  stats->main_thread_decodes = (guint) g_atomic_int_get (&main_thread_decodes);
  stats->thumbnails_made = (guint) g_atomic_int_get (&self->thumbnails_made);
  stats->disk_hits = (guint) g_atomic_int_get (&self->disk_hits);
  stats->memory_hits = (guint) self->memory_hits;
  stats->fetches = (guint) self->fetches;
  stats->failures = (guint) self->failures;
}
