/* bw-badge-image.h
 *
 * Copyright 2026 The Badge Wallet authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "bw-fetcher.h"
#include "bw-store.h"

G_BEGIN_DECLS

/* The largest image side rendered, in device pixels. */
#define BW_BADGE_IMAGE_MAX_SIZE    1024
/* The largest encoded image read, PNG or SVG. */
#define BW_BADGE_IMAGE_MAX_BYTES   (10 * 1024 * 1024)
/* The largest PNG decoded, in pixels (its full-size buffer is 4 bytes each). */
#define BW_BADGE_IMAGE_MAX_PIXELS  (4096 * 4096)

/**
 * BwBadgeImageStats:
 * @decodes: images decoded (PNG, SVG or cached thumbnail), by any loader
 * @main_thread_decodes: of those, decoded on the main thread (should be 0)
 * @thumbnails_made: thumbnails written to the disk cache
 * @disk_hits: thumbnails read back from the disk cache
 * @memory_hits: requests served from the memory cache
 * @fetches: images fetched over the network
 * @failures: requests that ended with an error other than cancellation
 */
typedef struct
{
  guint decodes;
  guint main_thread_decodes;
  guint thumbnails_made;
  guint disk_hits;
  guint memory_hits;
  guint fetches;
  guint failures;
} BwBadgeImageStats;

#define BW_TYPE_BADGE_IMAGE (bw_badge_image_get_type ())

/* Renders badge images off the main thread, in a small bounded thread pool,
 * with an LRU memory cache and PNG thumbnails on disk. */
G_DECLARE_FINAL_TYPE (BwBadgeImage, bw_badge_image, BW, BADGE_IMAGE, GObject)

BwBadgeImage *bw_badge_image_get_default       (void);
BwBadgeImage *bw_badge_image_new               (const char         *thumbnail_dir,
                                                guint               max_threads,
                                                guint               max_entries);
const char   *bw_badge_image_get_thumbnail_dir (BwBadgeImage       *self);
guint         bw_badge_image_get_max_threads   (BwBadgeImage       *self);
void          bw_badge_image_set_fetcher       (BwBadgeImage       *self,
                                                BwFetcher          *fetcher);

/* Memory cache only: never blocks, returns NULL on a miss. */
GdkTexture   *bw_badge_image_lookup            (BwBadgeImage       *self,
                                                BwBadge            *badge,
                                                int                 size);
/* From the wallet original, else the badge's image (a data: URI, or an
 * http(s) URL fetched only when @allow_network and a fetcher is set). */
void          bw_badge_image_load_async        (BwBadgeImage       *self,
                                                BwStore            *store,
                                                BwBadge            *badge,
                                                int                 size,
                                                gboolean            allow_network,
                                                GCancellable       *cancellable,
                                                GAsyncReadyCallback callback,
                                                gpointer            user_data);
/* From an image in hand, e.g. a dropped baked badge. */
void          bw_badge_image_load_bytes_async  (BwBadgeImage       *self,
                                                GBytes             *image,
                                                int                 size,
                                                GCancellable       *cancellable,
                                                GAsyncReadyCallback callback,
                                                gpointer            user_data);
GdkTexture   *bw_badge_image_load_finish       (BwBadgeImage       *self,
                                                GAsyncResult       *result,
                                                GError            **error);

void          bw_badge_image_clear_memory      (BwBadgeImage       *self);
void          bw_badge_image_get_stats         (BwBadgeImage       *self,
                                                BwBadgeImageStats  *stats);

/* Thread-safe and blocking: for workers, tests and benchmarks. */
GdkTexture   *bw_badge_image_decode            (GBytes             *image,
                                                int                 size,
                                                GError            **error);
GBytes       *bw_badge_image_decode_data_uri   (const char         *uri,
                                                char              **media_type,
                                                GError            **error);

G_END_DECLS
