/* bench-window.c
 *
 * Copyright 2026 The Badge Wallet authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Prints, for an empty wallet and one of 10,000 badges: the time from
 * launch to the first frame of the library, the memory in use, and, after
 * scrolling the library from top to bottom, how many images were decoded
 * on the main thread. Each wallet is measured in a child process of its
 * own, so each launch is a real cold start of the application.
 */

#define G_LOG_DOMAIN "bench-window"

#include "config.h"

#include <glib/gstdio.h>
#include <stdio.h>

#include "bw-application.h"
#include "bw-badge-image.h"
#include "bw-badge-tile.h"
#include "bw-window.h"
#include "ui-test-util.h"

#define DEFAULT_BADGES   10000
#define DISTINCT_IMAGES  64

/* The child -------------------------------------------------------------- */

static gint64 start_time;
static gint64 first_frame_time;
static guint first_frame_tiles;

static guint count_tiles (GtkWidget *root);

static gboolean
first_frame_cb (GtkWidget     *widget,
                GdkFrameClock *clock,
                gpointer       user_data)
{
  if (first_frame_time == 0)
    {
      first_frame_time = g_get_monotonic_time ();
      first_frame_tiles = count_tiles (widget);
    }
  return G_SOURCE_REMOVE;
}

static void
window_map_cb (GtkWidget *widget,
               gpointer   user_data)
{
  gtk_widget_add_tick_callback (widget, first_frame_cb, NULL, NULL);
}

static gboolean
first_frame_drawn (gpointer user_data)
{
  return first_frame_time != 0;
}

static void
window_added_cb (GtkApplication *app,
                 GtkWindow      *window,
                 gpointer        user_data)
{
  g_signal_connect (window, "map", G_CALLBACK (window_map_cb), NULL);
}

static guint64
read_status_kib (const char *field)
{
  g_autofree char *status = NULL;
  g_auto(GStrv) lines = NULL;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return 0;
  lines = g_strsplit (status, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (g_str_has_prefix (lines[i], field))
      return g_ascii_strtoull (lines[i] + strlen (field) + 1, NULL, 10);
  return 0;
}

/* Every tile the grid has built, shown or kept beyond the visible rows. */
static guint
count_tiles (GtkWidget *root)
{
  guint n = BW_IS_BADGE_TILE (root) ? 1 : 0;

  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    n += count_tiles (child);
  return n;
}

/* The library's grid; the list views inside drop-down popovers are skipped
 * by looking only at mapped widgets. */
static GtkWidget *
find_scrollable (GtkWidget *root)
{
  if (!gtk_widget_get_mapped (root))
    return NULL;
  if (GTK_IS_GRID_VIEW (root) || GTK_IS_LIST_VIEW (root))
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_scrollable (child);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static int
run_child (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autoptr(BwApplication) app = NULL;
  g_autoptr(GError) error = NULL;
  BwBadgeImageStats stats = { 0 };
  GtkWindow *window;
  GtkWidget *view;
  guint steps = 0;
  double launch_ms;

  /* No start-up re-check: it would fetch from the network and is not what
   * this measures. */
  g_settings_set_uint (settings, "reverify-after-days", 0);

  start_time = g_get_monotonic_time ();
  app = bw_application_new ();
  g_signal_connect (app, "window-added", G_CALLBACK (window_added_cb), NULL);
  if (!g_application_register (G_APPLICATION (app), NULL, &error))
    g_error ("%s", error->message);
  /* Start-up opens the wallet; the rest is building and showing the window. */
  printf ("startup_ms %.1f\n", (g_get_monotonic_time () - start_time) / 1000.0);
  g_application_activate (G_APPLICATION (app));
  printf ("activate_ms %.1f\n", (g_get_monotonic_time () - start_time) / 1000.0);
  if (!ui_test_wait_until (first_frame_drawn, NULL, 120000))
    g_error ("The window drew no frame in two minutes");
  launch_ms = (first_frame_time - start_time) / 1000.0;

  window = gtk_application_get_active_window (GTK_APPLICATION (app));

  /* BW_BENCH_LAUNCH_ONLY stops at the first frame, so that a profile of
   * the child ("perf record bench-window --child") holds the launch and
   * little else. */
  if (g_getenv ("BW_BENCH_LAUNCH_ONLY") != NULL)
    {
      printf ("launch_ms %.1f\n", launch_ms);
      printf ("tiles %u\n", first_frame_tiles);
      fflush (stdout);
      gtk_window_destroy (window);
      return 0;
    }

  ui_test_wait_frames (GTK_WIDGET (window), 3);

  printf ("badges %u\n", bw_store_get_total (bw_application_get_store (BW_APPLICATION (app))));
  printf ("launch_ms %.1f\n", launch_ms);
  printf ("tiles %u\n", first_frame_tiles);
  printf ("rss_kib %" G_GUINT64_FORMAT "\n", read_status_kib ("VmRSS:"));

  /* What the store's badges cost once all are built, as scrolling to the
   * bottom builds them: measured first, apart from the UI's share. */
  {
    GListModel *model = G_LIST_MODEL (bw_application_get_store (BW_APPLICATION (app)));
    guint64 before = read_status_kib ("VmRSS:");

    for (guint i = 0; i < g_list_model_get_n_items (model); i++)
      g_object_unref (g_list_model_get_item (model, i));
    printf ("store_badges_kib %" G_GUINT64_FORMAT "\n", read_status_kib ("VmRSS:") - before);
  }

  /* Scrolls page by page to the bottom, a frame at a time. */
  view = find_scrollable (GTK_WIDGET (window));
  if (view != NULL)
    {
      GtkAdjustment *adjustment = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (view));
      gint64 scroll_start = g_get_monotonic_time ();

      while (gtk_adjustment_get_value (adjustment) + gtk_adjustment_get_page_size (adjustment) <
             gtk_adjustment_get_upper (adjustment) - 1)
        {
          gtk_adjustment_set_value (adjustment,
                                    gtk_adjustment_get_value (adjustment) +
                                    gtk_adjustment_get_page_size (adjustment));
          ui_test_wait_frames (GTK_WIDGET (window), 1);
          steps++;
        }
      printf ("scroll_pages %u\n", steps);
      printf ("scroll_ms %.1f\n", (g_get_monotonic_time () - scroll_start) / 1000.0);
    }

  bw_badge_image_get_stats (bw_badge_image_get_default (), &stats);
  printf ("decodes %u\n", stats.decodes);
  printf ("main_thread_decodes %u\n", stats.main_thread_decodes);
  printf ("thumbnails_made %u\n", stats.thumbnails_made);
  printf ("peak_rss_kib %" G_GUINT64_FORMAT "\n", read_status_kib ("VmHWM:"));
  fflush (stdout);

  gtk_window_destroy (window);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  return 0;
}

/* The parent -------------------------------------------------------------- */

typedef struct
{
  double  startup_ms;
  double  activate_ms;
  double  launch_ms;
  guint64 rss_kib;
  guint64 peak_rss_kib;
  guint64 store_badges_kib;
  guint   badges;
  guint   tiles;
  guint   scroll_pages;
  double  scroll_ms;
  guint   decodes;
  guint   main_thread_decodes;
  guint   thumbnails_made;
} Figures;

static void
run_measurement (const char *self_path,
                 const char *home,
                 Figures    *figures)
{
  g_autofree char *data = g_build_filename (home, "data", NULL);
  g_autofree char *cache = g_build_filename (home, "cache", NULL);
  g_autofree char *config = g_build_filename (home, "config", NULL);
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_autoptr(GSubprocess) child = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_auto(GStrv) lines = NULL;

  g_assert_no_errno (g_mkdir_with_parents (data, 0700));
  g_assert_no_errno (g_mkdir_with_parents (cache, 0700));
  g_assert_no_errno (g_mkdir_with_parents (config, 0700));
  g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", data, TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_CACHE_HOME", cache, TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_CONFIG_HOME", config, TRUE);
  child = g_subprocess_launcher_spawn (launcher, &error, self_path, "--child", NULL);
  if (child == NULL || !g_subprocess_communicate_utf8 (child, NULL, NULL, &out, NULL, &error))
    g_error ("%s", error->message);
  if (!g_subprocess_get_if_exited (child) || g_subprocess_get_exit_status (child) != 0)
    g_error ("The measured application failed");

  lines = g_strsplit (out, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto(GStrv) kv = g_strsplit (lines[i], " ", 2);

      if (kv[0] == NULL || kv[1] == NULL)
        continue;
      if (g_str_equal (kv[0], "startup_ms"))
        figures->startup_ms = g_ascii_strtod (kv[1], NULL);
      else if (g_str_equal (kv[0], "activate_ms"))
        figures->activate_ms = g_ascii_strtod (kv[1], NULL);
      else if (g_str_equal (kv[0], "launch_ms"))
        figures->launch_ms = g_ascii_strtod (kv[1], NULL);
      else if (g_str_equal (kv[0], "rss_kib"))
        figures->rss_kib = g_ascii_strtoull (kv[1], NULL, 10);
      else if (g_str_equal (kv[0], "peak_rss_kib"))
        figures->peak_rss_kib = g_ascii_strtoull (kv[1], NULL, 10);
      else if (g_str_equal (kv[0], "badges"))
        figures->badges = (guint)g_ascii_strtoull (kv[1], NULL, 10);
      else if (g_str_equal (kv[0], "store_badges_kib"))
        figures->store_badges_kib = g_ascii_strtoull (kv[1], NULL, 10);
      else if (g_str_equal (kv[0], "tiles"))
        figures->tiles = (guint)g_ascii_strtoull (kv[1], NULL, 10);
      else if (g_str_equal (kv[0], "scroll_pages"))
        figures->scroll_pages = (guint)g_ascii_strtoull (kv[1], NULL, 10);
      else if (g_str_equal (kv[0], "scroll_ms"))
        figures->scroll_ms = g_ascii_strtod (kv[1], NULL);
      else if (g_str_equal (kv[0], "decodes"))
        figures->decodes = (guint)g_ascii_strtoull (kv[1], NULL, 10);
      else if (g_str_equal (kv[0], "main_thread_decodes"))
        figures->main_thread_decodes = (guint)g_ascii_strtoull (kv[1], NULL, 10);
      else if (g_str_equal (kv[0], "thumbnails_made"))
        figures->thumbnails_made = (guint)g_ascii_strtoull (kv[1], NULL, 10);
    }
}

/* Writes @n baked badges below @folder: each an OB 2.0 assertion with its
 * badge class and issuer embedded, so the wallet needs no network. */
static void
write_badges (const char *folder,
              guint       n)
{
  g_autoptr(GPtrArray) images = g_ptr_array_new_with_free_func ((GDestroyNotify)g_bytes_unref);

  g_assert_no_errno (g_mkdir_with_parents (folder, 0700));
  for (guint i = 0; i < DISTINCT_IMAGES; i++)
    {
      char initials[8];

      g_snprintf (initials, sizeof initials, "%c%c", 'A' + i % 26, 'A' + (i / 26) % 26);
      g_ptr_array_add (images, ui_test_draw_badge_png (128, (double)i / DISTINCT_IMAGES, initials));
    }

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *json = NULL;
      g_autofree char *file = g_strdup_printf ("badge-%05u.png", i);
      g_autofree char *path = g_build_filename (folder, file, NULL);
      g_autoptr(GBytes) baked = NULL;
      g_autoptr(GError) error = NULL;

      json = g_strdup_printf ("{\"@context\": \"https://w3id.org/openbadges/v2\", "
                              "\"type\": \"Assertion\", \"id\": \"urn:uuid:00000000-0000-4000-8000-%012u\", "
                              "\"recipient\": {\"type\": \"email\", \"hashed\": false, \"identity\": \"ada@example.org\"}, "
                              "\"badge\": {\"type\": \"BadgeClass\", \"id\": \"urn:uuid:10000000-0000-4000-8000-%012u\", "
                              "\"name\": \"Skill %u\", \"description\": \"Badge number %u.\", "
                              "\"image\": \"urn:uuid:20000000-0000-4000-8000-%012u\", "
                              "\"criteria\": {\"narrative\": \"Do it.\"}, "
                              "\"issuer\": {\"type\": \"Profile\", \"id\": \"urn:uuid:30000000-0000-4000-8000-%012u\", "
                              "\"name\": \"Issuer %u\", \"url\": \"https://example.org/\"}}, "
                              "\"verification\": {\"type\": \"HostedBadge\"}, "
                              "\"issuedOn\": \"2025-01-01T00:00:00Z\"}",
                              i, i, i, i, i, i % 50, i % 50);
      baked = bw_baked_bake_png (g_ptr_array_index (images, i % DISTINCT_IMAGES),
                                 "openbadges", json, &error);
      if (baked == NULL)
        g_error ("%s", error->message);
      if (!g_file_set_contents (path, g_bytes_get_data (baked, NULL), g_bytes_get_size (baked), &error))
        g_error ("%s", error->message);
    }
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

static void
print_figures (const char    *label,
               const Figures *figures)
{
  printf ("%-12s %6u badges  launch→first frame %8.1f ms  RSS %7.1f MiB  peak %7.1f MiB\n",
          label, figures->badges, figures->launch_ms,
          figures->rss_kib / 1024.0, figures->peak_rss_kib / 1024.0);
  printf ("%-12s of which start-up (wallet opened) %.1f ms, window built %.1f ms; tiles built %u\n",
          "", figures->startup_ms, figures->activate_ms, figures->tiles);
  printf ("%-12s the store's badges, all built: %.1f MiB\n", "", figures->store_badges_kib / 1024.0);
  printf ("%-12s scrolled %u pages in %.1f ms; images decoded %u, on the main thread %u, thumbnails made %u\n",
          "", figures->scroll_pages, figures->scroll_ms, figures->decodes,
          figures->main_thread_decodes, figures->thumbnails_made);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *tmpdir = NULL;
  g_autofree char *empty_home = NULL;
  g_autofree char *full_home = NULL;
  g_autofree char *folder = NULL;
  g_autofree char *self_path = NULL;
  const char *count_env = g_getenv ("BW_BENCH_BADGES");
  guint n_badges = count_env != NULL ? (guint)g_ascii_strtoull (count_env, NULL, 10) : DEFAULT_BADGES;
  Figures empty = { 0 };
  Figures full = { 0 };
  double ratio;
  gint64 t0;

  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  g_setenv ("GSK_RENDERER", "cairo", FALSE);
  g_setenv ("ADW_DISABLE_PORTAL", "1", TRUE);

  if (argc == 2 && g_str_equal (argv[1], "--child"))
    {
      gtk_init ();
      g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);
      return run_child ();
    }

  self_path = g_canonicalize_filename (argv[0], NULL);
  tmpdir = g_dir_make_tmp ("bw-bench-window-XXXXXX", &error);
  g_assert_no_error (error);
  empty_home = g_build_filename (tmpdir, "empty", NULL);
  full_home = g_build_filename (tmpdir, "full", NULL);
  folder = g_build_filename (tmpdir, "badges", NULL);

  /* The large wallet is built through the store, as an import would. */
  t0 = g_get_monotonic_time ();
  write_badges (folder, n_badges);
  printf ("wrote %u baked badges in %.1f s\n", n_badges, (g_get_monotonic_time () - t0) / 1e6);
  {
    g_autofree char *wallet = g_build_filename (full_home, "data", "badge-wallet", NULL);
    const char *paths[] = { folder, NULL };
    g_autoptr(BwStore) store = bw_store_open (wallet, &error);
    g_autoptr(GPtrArray) results = NULL;

    g_assert_no_error (error);
    t0 = g_get_monotonic_time ();
    results = bw_store_import_paths (store, paths, NULL, &error);
    g_assert_no_error (error);
    printf ("imported them into a wallet in %.1f s; the wallet holds %u\n",
            (g_get_monotonic_time () - t0) / 1e6, bw_store_get_total (store));
  }
  remove_tree (folder);

  run_measurement (self_path, empty_home, &empty);
  run_measurement (self_path, full_home, &full);

  print_figures ("empty", &empty);
  print_figures ("full", &full);
  ratio = empty.launch_ms > 0 ? full.launch_ms / empty.launch_ms : 0;
  printf ("launch ratio full/empty: %.2f× (goal ≤ 1.2×: %s)\n", ratio, ratio <= 1.2 ? "met" : "NOT met");
  printf ("memory with %u badges: %.1f MiB peak (goal < 250 MiB: %s)\n", full.badges,
          full.peak_rss_kib / 1024.0, full.peak_rss_kib < 250 * 1024 ? "met" : "NOT met");
  printf ("images decoded on the main thread while scrolling: %u (goal 0: %s)\n",
          full.main_thread_decodes, full.main_thread_decodes == 0 ? "met" : "NOT met");

  /* BW_BENCH_KEEP leaves the wallets behind, to profile a launch with
   * "bench-window --child" and XDG_DATA_HOME pointing at one of them. */
  if (g_getenv ("BW_BENCH_KEEP") != NULL)
    printf ("wallets kept in %s\n", tmpdir);
  else
    remove_tree (tmpdir);
  return 0;
}
