/* bench-store.c
 *
 * Copyright 2026 The Badge Wallet authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bench-store"

#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "bw-store-private.h"
#include "store-fixtures.h"

/* Prints the wallet's figures at 1,000, 10,000 and 100,000 badges: import
 * of a folder of baked images, opening and building the list model, a text
 * search, `list --json` and peak memory; then, in a fresh process each, the
 * peak memory of opening the wallet and walking every item of the model,
 * as scrolling a library to the bottom does, with the store's bounded cache
 * of built badges and with an unbounded one (every badge kept, as the store
 * once did). BW_BENCH_SIZES (comma-separated) picks other sizes;
 * BW_BENCH_SKIP_LARGE=1 leaves out 100,000. */

static double
seconds_since (gint64 start)
{
  return (double)(g_get_monotonic_time () - start) / G_USEC_PER_SEC;
}

/* CPU time (user + system) of this process, or of its finished children:
 * on a shared, busy machine it tells the cost apart from the waiting. */
static double
cpu_seconds (int who)
{
  struct rusage usage;

  getrusage (who, &usage);
  return usage.ru_utime.tv_sec + usage.ru_stime.tv_sec +
         (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

static long
peak_rss_kib (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return usage.ru_maxrss;
}

static long
current_rss_kib (void)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return -1;
  line = strstr (status, "VmRSS:");
  return line != NULL ? strtol (line + 6, NULL, 10) : -1;
}

/* A folder of baked PNGs, as a wallet of exported Credly badges is. */
static void
write_pngs (const char *folder,
            guint       n,
            gsize       image_bytes)
{
  g_assert_cmpint (g_mkdir_with_parents (folder, 0700), ==, 0);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GBytes) png = fixture_badge (i, FIXTURE_PNG, image_bytes);
      g_autofree char *name = g_strdup_printf ("badge-%06u.png", i);
      g_autofree char *path = g_build_filename (folder, name, NULL);
      g_autoptr(GError) error = NULL;

      g_file_set_contents (path, g_bytes_get_data (png, NULL), (gssize)g_bytes_get_size (png),
                           &error);
      g_assert_no_error (error);
    }
}

/* The walk, run in a process of its own so its peak memory is its own:
 * `bench-store --walk WALLET CACHE-SIZE`, 0 for an unbounded cache. */
static int
walk_main (const char *wallet,
           const char *cache_size_text)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BwStore) store = NULL;
  guint cache_size = (guint)g_ascii_strtoull (cache_size_text, NULL, 10);
  long rss_open;
  gint64 start;
  guint n;

  store = bw_store_open (wallet, &error);
  g_assert_no_error (error);
  if (cache_size == 0)
    _bw_store_set_cache_size (store, G_MAXUINT);
  else
    _bw_store_set_cache_size (store, cache_size);
  n = g_list_model_get_n_items (G_LIST_MODEL (store));
  rss_open = current_rss_kib ();

  start = g_get_monotonic_time ();
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (G_LIST_MODEL (store), i);

      g_assert_nonnull (item);
    }
  printf ("%7u badges: walk every item, cache %-9s %7.2f s | RSS open %7ld KiB,"
          " after walk %7ld KiB | peak RSS %7ld KiB\n",
          n, cache_size == 0 ? "unbounded" : cache_size_text, seconds_since (start),
          rss_open, current_rss_kib (), MAX (peak_rss_kib (), current_rss_kib ()));
  fflush (stdout);
  return 0;
}

static void
bench_walk (const char *self_path,
            const char *wallet,
            guint       cache_size)
{
  g_autofree char *size_text = g_strdup_printf ("%u", cache_size);
  const char *argv[] = { self_path, "--walk", wallet, size_text, NULL };
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;

  process = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_NONE, &error);
  g_assert_no_error (error);
  g_subprocess_wait_check (process, NULL, &error);
  g_assert_no_error (error);
}

static void
bench_size (guint        n,
            const char  *self_path,
            const char  *badge_wallet)
{
  g_autofree char *tmp = fixture_tmpdir ();
  g_autofree char *folder = g_build_filename (tmp, "badges", NULL);
  g_autofree char *wallet = g_build_filename (tmp, "data", "badge-wallet", NULL);
  g_autofree char *data_home = g_build_filename (tmp, "data", NULL);
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(GError) error = NULL;
  const char *paths[] = { folder, NULL };
  /* Realistic badge images up to 10,000; small ones beyond. */
  gsize image_bytes = n <= 10000 ? 24 * 1024 : 1024;
  BwStore *store;
  double import_s;
  double open_s;
  double search_s;
  double list_s = -1;
  double list_cpu = -1;
  double import_cpu;
  double open_cpu;
  double cpu;
  long rss_before;
  long rss_open;
  guint hits;
  gint64 start;

  write_pngs (folder, n, image_bytes);
  /* The badges to import were just written: put them on disk first, so the
   * import's own flushes do not pay for writing its input too. */
  sync ();

  start = g_get_monotonic_time ();
  cpu = cpu_seconds (RUSAGE_SELF);
  store = bw_store_open (wallet, &error);
  g_assert_no_error (error);
  results = bw_store_import_paths (store, paths, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (bw_store_get_total (store), ==, n);
  import_s = seconds_since (start);
  import_cpu = cpu_seconds (RUSAGE_SELF) - cpu;
  g_object_unref (store);

  /* Opening: the store and a model whose every row is known (the UI then
   * builds only the badges it shows). */
  rss_before = current_rss_kib ();
  start = g_get_monotonic_time ();
  cpu = cpu_seconds (RUSAGE_SELF);
  store = bw_store_open (wallet, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, n);
  {
    g_autoptr(GObject) first = g_list_model_get_item (G_LIST_MODEL (store), 0);
    g_autoptr(GObject) last = g_list_model_get_item (G_LIST_MODEL (store), n - 1);

    g_assert_nonnull (first);
    g_assert_nonnull (last);
  }
  open_s = seconds_since (start);
  open_cpu = cpu_seconds (RUSAGE_SELF) - cpu;
  rss_open = current_rss_kib () - rss_before;

  start = g_get_monotonic_time ();
  bw_store_set_search (store, "security badge");
  hits = g_list_model_get_n_items (G_LIST_MODEL (store));
  search_s = seconds_since (start);
  g_assert_cmpuint (hits, ==, n / 4 + (n % 4 > 1 ? 1 : 0));
  bw_store_set_search (store, NULL);
  g_object_unref (store);

  if (badge_wallet != NULL)
    {
      const char *argv[] = { badge_wallet, "list", "--json", NULL };
      g_autoptr(GSubprocessLauncher) launcher =
        g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE);
      g_autoptr(GSubprocess) process = NULL;

      g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", data_home, TRUE);
      start = g_get_monotonic_time ();
      cpu = cpu_seconds (RUSAGE_CHILDREN);
      process = g_subprocess_launcher_spawnv (launcher, argv, &error);
      g_assert_no_error (error);
      g_subprocess_wait_check (process, NULL, &error);
      g_assert_no_error (error);
      list_s = seconds_since (start);
      list_cpu = cpu_seconds (RUSAGE_CHILDREN) - cpu;
    }

  printf ("%7u badges: import %7.2f s (cpu %6.2f s, %5.0f/s) | open+model %7.1f ms (cpu %6.1f ms)"
          " | search %6.2f ms (%u hits) | list --json %6.3f s (cpu %6.3f s)"
          " | model memory %6ld KiB | peak RSS %7ld KiB\n",
          n, import_s, import_cpu, n / import_s, open_s * 1000, open_cpu * 1000,
          search_s * 1000, hits, list_s, list_cpu, rss_open, peak_rss_kib ());
  fflush (stdout);

  if (n <= 10000)
    {
      bench_walk (self_path, wallet, BW_STORE_CACHE_SIZE);
      bench_walk (self_path, wallet, 0);
    }

  fixture_rm_rf (tmp);
}

int
main (int    argc,
      char **argv)
{
  const char *sizes_env = g_getenv ("BW_BENCH_SIZES");
  const char *badge_wallet = g_getenv ("BW_BADGE_WALLET");
  g_auto(GStrv) sizes = g_strsplit (sizes_env != NULL ? sizes_env : "1000,10000,100000", ",", -1);

  if (argc == 4 && g_str_equal (argv[1], "--walk"))
    return walk_main (argv[2], argv[3]);

  g_test_init (&argc, &argv, NULL);
  if (badge_wallet != NULL && !g_file_test (badge_wallet, G_FILE_TEST_IS_EXECUTABLE))
    badge_wallet = NULL;

  for (guint i = 0; sizes[i] != NULL; i++)
    {
      guint n = (guint)g_ascii_strtoull (sizes[i], NULL, 10);

      if (n == 0)
        continue;
      if (n > 10000 && g_strcmp0 (g_getenv ("BW_BENCH_SKIP_LARGE"), "1") == 0)
        {
          printf ("%7u badges: skipped (BW_BENCH_SKIP_LARGE=1)\n", n);
          continue;
        }
      bench_size (n, argv[0], badge_wallet);
    }
  return 0;
}
