/* bench-badge-tile.c
 *
 * Copyright 2026 The Badge Wallet authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Prints what a library tile costs: building one, binding it to a badge
 * the first time and again when the grid recycles it, and the frames that
 * follow, in a grid laid out as the library lays it out. The figures are
 * the main-thread time the first frame of a full wallet spends on tiles.
 */

#define G_LOG_DOMAIN "bench-badge-tile"

#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>

#include "bw-badge-tile.h"
#include "widgets-fixtures.h"

#define N_BADGES      96
#define REBIND_ROUNDS 20
#define N_STANDALONE  500

typedef struct
{
  BwStore *store;
  guint    setups;
  guint    binds;
  gint64   setup_us;
  gint64   bind_us;
  guint    frames;
} Bench;

static void
setup_cb (GtkSignalListItemFactory *factory,
          GtkListItem              *item,
          Bench                    *bench)
{
  gint64 start = g_get_monotonic_time ();

  gtk_list_item_set_child (item, bw_badge_tile_new ());
  bench->setup_us += g_get_monotonic_time () - start;
  bench->setups++;
}

static void
bind_cb (GtkSignalListItemFactory *factory,
         GtkListItem              *item,
         Bench                    *bench)
{
  gint64 start = g_get_monotonic_time ();

  bw_badge_tile_set_badge (BW_BADGE_TILE (gtk_list_item_get_child (item)), bench->store,
                           BW_BADGE (gtk_list_item_get_item (item)));
  bench->bind_us += g_get_monotonic_time () - start;
  bench->binds++;
}

static void
unbind_cb (GtkSignalListItemFactory *factory,
           GtkListItem              *item,
           Bench                    *bench)
{
  bw_badge_tile_set_badge (BW_BADGE_TILE (gtk_list_item_get_child (item)), NULL, NULL);
}

static void
after_paint_cb (GdkFrameClock *clock,
                Bench         *bench)
{
  bench->frames++;
}

/* Iterates until @bench has seen @frames more painted frames. */
static void
wait_painted (GtkWidget *widget,
              Bench     *bench,
              guint      frames)
{
  guint wanted = bench->frames + frames;

  while (bench->frames < wanted)
    {
      gtk_widget_queue_draw (widget);
      g_main_context_iteration (NULL, TRUE);
    }
}

static void
collect_tiles (GtkWidget *widget,
               GPtrArray *tiles)
{
  if (BW_IS_BADGE_TILE (widget))
    g_ptr_array_add (tiles, widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_tiles (child, tiles);
}

/* An Open Badges 2.0 assertion with its class and issuer embedded, so the
 * store has a name, an issuer and an image for it without the network. */
static GBytes *
make_badge (guint i)
{
  g_autoptr(GBytes) png = wf_make_png (((i * 2654435761u) & 0xffffff) | 0x404040, 128);
  g_autofree char *json = NULL;
  g_autoptr(GError) error = NULL;
  GBytes *baked;

  json = g_strdup_printf ("{\"@context\": \"https://w3id.org/openbadges/v2\", "
                          "\"type\": \"Assertion\", \"id\": \"urn:uuid:00000000-0000-4000-8000-%012u\", "
                          "\"recipient\": {\"type\": \"email\", \"hashed\": false, \"identity\": \"ada@example.org\"}, "
                          "\"badge\": {\"type\": \"BadgeClass\", \"id\": \"urn:uuid:10000000-0000-4000-8000-%012u\", "
                          "\"name\": \"Skill Number %u of the Bench\", \"description\": \"Badge %u.\", "
                          "\"image\": \"urn:uuid:20000000-0000-4000-8000-%012u\", "
                          "\"criteria\": {\"narrative\": \"Do it.\"}, "
                          "\"issuer\": {\"type\": \"Profile\", \"id\": \"urn:uuid:30000000-0000-4000-8000-%012u\", "
                          "\"name\": \"Issuer %u\", \"url\": \"https://example.org/\"}}, "
                          "\"verification\": {\"type\": \"HostedBadge\"}, "
                          "\"issuedOn\": \"2025-01-01T00:00:00Z\"}",
                          i, i, i, i, i, i % 7, i % 7);
  baked = bw_baked_bake_png (png, "openbadges", json, &error);
  g_assert_no_error (error);
  return baked;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autoptr(GtkListItemFactory) factory = NULL;
  g_autoptr(GPtrArray) tiles = g_ptr_array_new ();
  g_autoptr(GPtrArray) standalone = g_ptr_array_new_with_free_func (g_object_unref);
  GtkNoSelection *selection;
  GtkWidget *window;
  GtkWidget *scrolled;
  GtkWidget *grid;
  GdkFrameClock *clock;
  Bench bench = { 0 };
  gint64 start;
  gint64 first_frame_us;
  gint64 rebind_us;
  gint64 relayout_us;

  g_setenv ("GSK_RENDERER", "cairo", FALSE);
  gtk_init ();
  adw_init ();
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);

  dir = g_dir_make_tmp ("bw-bench-tile-XXXXXX", &error);
  g_assert_no_error (error);
  bench.store = bw_store_open (dir, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < N_BADGES; i++)
    {
      g_autoptr(GBytes) baked = make_badge (i);
      g_autofree char *name = g_strdup_printf ("badge-%u.png", i);
      g_autoptr(BwImportResult) result = bw_store_add_bytes (bench.store, baked, name, &error);

      g_assert_no_error (error);
    }

  /* The grid as the library has it: a cell per badge, six columns. */
  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (factory, "setup", G_CALLBACK (setup_cb), &bench);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_cb), &bench);
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_cb), &bench);
  grid = gtk_grid_view_new (NULL, g_object_ref (factory));
  gtk_grid_view_set_max_columns (GTK_GRID_VIEW (grid), 6);
  gtk_widget_add_css_class (grid, "badge-grid");
  scrolled = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), grid);
  window = adw_window_new ();
  adw_window_set_content (ADW_WINDOW (window), scrolled);
  gtk_window_set_default_size (GTK_WINDOW (window), 960, 720);
  gtk_window_present (GTK_WINDOW (window));
  clock = gtk_widget_get_frame_clock (window);
  g_signal_connect (clock, "after-paint", G_CALLBACK (after_paint_cb), &bench);
  wait_painted (window, &bench, 3);

  /* The first frame with tiles: built, bound, laid out and drawn. */
  start = g_get_monotonic_time ();
  selection = gtk_no_selection_new (g_object_ref (G_LIST_MODEL (bench.store)));
  gtk_grid_view_set_model (GTK_GRID_VIEW (grid), GTK_SELECTION_MODEL (selection));
  g_object_unref (selection);
  wait_painted (window, &bench, 1);
  first_frame_us = g_get_monotonic_time () - start;

  g_print ("grid: %u tiles built, %.1f µs each; %u first binds, %.1f µs each\n",
           bench.setups, (double) bench.setup_us / MAX (1, bench.setups),
           bench.binds, (double) bench.bind_us / MAX (1, bench.binds));
  g_print ("grid: model set to first frame painted %.2f ms\n", first_frame_us / 1000.0);

  /* Recycling: every tile shows another badge, as when scrolling. */
  collect_tiles (grid, tiles);
  start = g_get_monotonic_time ();
  for (guint round = 1; round <= REBIND_ROUNDS; round++)
    for (guint i = 0; i < tiles->len; i++)
      {
        g_autoptr(BwBadge) badge = g_list_model_get_item (G_LIST_MODEL (bench.store),
                                                          (i + round * 7) % N_BADGES);

        bw_badge_tile_set_badge (tiles->pdata[i], bench.store, badge);
      }
  rebind_us = g_get_monotonic_time () - start;
  start = g_get_monotonic_time ();
  wait_painted (window, &bench, 1);
  relayout_us = g_get_monotonic_time () - start;
  g_print ("grid: %u rebinds, %.1f µs each; the frame after them %.2f ms\n",
           tiles->len * REBIND_ROUNDS,
           (double) rebind_us / MAX (1, tiles->len * REBIND_ROUNDS), relayout_us / 1000.0);

  /* Building alone, outside any window. */
  start = g_get_monotonic_time ();
  for (guint i = 0; i < N_STANDALONE; i++)
    g_ptr_array_add (standalone, g_object_ref_sink (bw_badge_tile_new ()));
  g_print ("alone: %u tiles built, %.1f µs each\n", N_STANDALONE,
           (double) (g_get_monotonic_time () - start) / N_STANDALONE);
  g_clear_pointer (&standalone, g_ptr_array_unref);

  gtk_window_destroy (GTK_WINDOW (window));
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_clear_object (&bench.store);
  wf_rm_rf (dir);
  return 0;
}
