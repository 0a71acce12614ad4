/* bench-badge-image.c
 *
 * Copyright 2026 The Badge Wallet authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Prints how long a wallet's thumbnails take to load cold (decoded from
 * the originals and written to disk), from the disk cache and from the
 * memory cache, and how long the main loop went without running while
 * they loaded: the figure that says whether scrolling could stutter.
 */

#define G_LOG_DOMAIN "bench-badge-image"

#include "config.h"

#include "bw-badge-image.h"
#include "widgets-fixtures.h"

#define N_BADGES   400
#define THUMB_SIZE 128

typedef struct
{
  guint   pending;
  guint   failures;
  gint64  last_tick;
  gint64  max_gap;
} Run;

static void
load_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  Run *run = user_data;
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GError) error = NULL;

  texture = bw_badge_image_load_finish (BW_BADGE_IMAGE (object), result, &error);
  if (texture == NULL)
    run->failures++;
  run->pending--;
}

static gboolean
tick_cb (gpointer user_data)
{
  Run *run = user_data;
  gint64 now = g_get_monotonic_time ();

  run->max_gap = MAX (run->max_gap, now - run->last_tick);
  run->last_tick = now;
  return G_SOURCE_CONTINUE;
}

static double
load_all (BwBadgeImage *loader,
          BwStore      *store,
          const char   *label)
{
  GListModel *model = G_LIST_MODEL (store);
  Run run = { 0 };
  gint64 start = g_get_monotonic_time ();
  gint64 enqueued;
  double seconds;
  guint tick;
  BwBadgeImageStats stats;

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(BwBadge) badge = g_list_model_get_item (model, i);

      run.pending++;
      bw_badge_image_load_async (loader, store, badge, THUMB_SIZE, FALSE, NULL, load_cb, &run);
    }
  enqueued = g_get_monotonic_time ();

  /* A 60 Hz "frame" source: how late it runs is how long a frame of the
   * window would have waited while the images were made. */
  run.last_tick = enqueued;
  tick = g_timeout_add (16, tick_cb, &run);
  while (run.pending > 0)
    g_main_context_iteration (NULL, TRUE);

  seconds = (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
  g_source_remove (tick);
  bw_badge_image_get_stats (loader, &stats);

  g_print ("%-7s %4u images  %7.3f s  %7.3f ms/image  requests made in %5.1f ms  "
           "max main-loop gap %5.1f ms  failures %u\n",
           label, g_list_model_get_n_items (model), seconds,
           1000.0 * seconds / MAX (1, g_list_model_get_n_items (model)),
           (enqueued - start) / 1000.0, run.max_gap / 1000.0, run.failures);
  g_print ("        decodes %u  main-thread decodes %u  thumbnails made %u  "
           "disk hits %u  memory hits %u\n",
           stats.decodes, stats.main_thread_decodes, stats.thumbnails_made,
           stats.disk_hits, stats.memory_hits);

  return seconds;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(WfWorld) world = NULL;
  g_autofree char *thumbs = NULL;
  g_autoptr(BwBadgeImage) cold = NULL;
  g_autoptr(BwBadgeImage) warm = NULL;
  gint64 start;

  g_test_init (&argc, &argv, NULL);

  world = wf_world_new ();
  start = g_get_monotonic_time ();
  for (guint i = 0; i < N_BADGES; i++)
    {
      WfBadgeSpec spec = { NULL, NULL, NULL, 0, i % 4 == 3, WF_STATE_VALID };
      g_autofree char *name = g_strdup_printf ("Badge %u", i);
      g_autofree char *file = g_strdup_printf ("badge-%u.%s", i, spec.svg ? "svg" : "png");
      g_autoptr(GBytes) baked = NULL;

      spec.name = name;
      spec.colour = g_str_hash (name) & 0xffffff;
      baked = wf_world_make_badge (world, &spec);
      wf_world_add (world, baked, file, FALSE);
    }
  g_print ("wallet of %u badges (3 PNG : 1 SVG, 256 px) built in %.1f s\n",
           N_BADGES, (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC);

  thumbs = g_build_filename (world->dir, "thumbnails", NULL);
  cold = bw_badge_image_new (thumbs, 0, 0);
  g_print ("loader threads: %u, thumbnail size %d px\n",
           bw_badge_image_get_max_threads (cold), THUMB_SIZE);

  load_all (cold, world->store, "cold");
  load_all (cold, world->store, "memory");
  warm = bw_badge_image_new (thumbs, 0, 0);
  load_all (warm, world->store, "disk");

  return 0;
}
