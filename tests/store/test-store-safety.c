/* test-store-safety.c
 *
 * Copyright 2026 The Badge Wallet authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-store-safety"

#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bw-error.h"
#include "bw-store-private.h"
#include "bw-util.h"
#include "store-fixtures.h"

/* Exports that leave nothing stale and refuse what is not theirs, folders
 * with special files in them, short id prefixes, and the bounded cache of
 * built badges. */

typedef struct
{
  char *tmp;
  char *wallet;
  char *inputs;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  f->tmp = fixture_tmpdir ();
  f->wallet = g_build_filename (f->tmp, "wallet", NULL);
  f->inputs = g_build_filename (f->tmp, "inputs", NULL);
  g_assert_cmpint (g_mkdir (f->inputs, 0700), ==, 0);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  _bw_store_set_fault (BW_STORE_FAULT_NONE, 0);
  fixture_rm_rf (f->tmp);
  g_free (f->tmp);
  g_free (f->wallet);
  g_free (f->inputs);
}

static BwStore *
open_store (const char *dir)
{
  g_autoptr(GError) error = NULL;
  BwStore *store = bw_store_open (dir, &error);

  g_assert_no_error (error);
  g_assert_nonnull (store);
  return store;
}

/* Imports @n fixture badges and returns their wallet ids in import order. */
static GPtrArray *
import_badges (Fixture *f,
               BwStore *store,
               guint    first,
               guint    n)
{
  g_autofree char *folder = g_strdup_printf ("%s/set-%u", f->tmp, first);
  const char *paths[] = { folder, NULL };
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *ids = g_ptr_array_new_with_free_func (g_free);

  g_assert_cmpint (g_mkdir (folder, 0700), ==, 0);
  fixture_write_badges (folder, first, n, 64);
  results = bw_store_import_paths (store, paths, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (results->len, ==, n);
  for (guint i = 0; i < results->len; i++)
    {
      BwImportResult *result = g_ptr_array_index (results, i);

      g_assert_cmpint (result->status, ==, BW_IMPORT_ADDED);
      g_ptr_array_add (ids, g_strdup (result->wallet_id));
    }
  return ids;
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char * const *)a, *(const char * const *)b);
}

/* The names in @directory, sorted, as one string. */
static char *
list_folder (const char *directory)
{
  g_autoptr(GDir) dir = g_dir_open (directory, 0, NULL);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_names);
  g_ptr_array_add (names, NULL);
  return g_strjoinv (" ", (char **)names->pdata);
}

/* The ids, one per original, an export folder holds. */
static GHashTable *
exported_ids (const char *directory)
{
  g_autoptr(GDir) dir = g_dir_open (directory, 0, NULL);
  GHashTable *ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  const char *name;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      const char *dot = strchr (name, '.');

      if (g_str_equal (name, "manifest.json"))
        continue;
      g_assert_nonnull (dot);
      g_hash_table_add (ids, g_strndup (name, (gsize)(dot - name)));
    }
  return ids;
}

static char *
read_text (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *contents = NULL;

  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);
  return contents;
}

/* ------------------------------------------------------------------------- */
/* Export                                                                    */
/* ------------------------------------------------------------------------- */

static void
test_export_replaces_earlier (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr(BwStore) store = open_store (f->wallet);
  g_autoptr(BwStore) copy = NULL;
  g_autoptr(GPtrArray) ids = import_badges (f, store, 0, 4);
  g_autoptr(GHashTable) exported = NULL;
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = g_build_filename (f->tmp, "out", NULL);
  g_autofree char *listing = NULL;
  g_autofree char *copy_dir = g_build_filename (f->tmp, "copy", NULL);
  const char *paths[] = { out, NULL };

  g_assert_true (bw_store_export (store, out, &error));
  g_assert_no_error (error);
  exported = exported_ids (out);
  g_assert_cmpuint (g_hash_table_size (exported), ==, 4);
  g_clear_pointer (&exported, g_hash_table_unref);

  /* The wallet changes: one badge leaves, two arrive. */
  g_assert_true (bw_store_remove (store, g_ptr_array_index (ids, 1), &error));
  g_assert_no_error (error);
  g_ptr_array_unref (import_badges (f, store, 10, 2));

  g_assert_true (bw_store_export (store, out, &error));
  g_assert_no_error (error);
  exported = exported_ids (out);
  g_assert_cmpuint (g_hash_table_size (exported), ==, 5);
  g_assert_false (g_hash_table_contains (exported, g_ptr_array_index (ids, 1)));
  g_assert_true (g_hash_table_contains (exported, g_ptr_array_index (ids, 0)));

  /* Nothing is left beside it: the staging folder took the old export away. */
  listing = list_folder (f->tmp);
  g_assert_cmpstr (listing, ==, "inputs out set-0 set-10 wallet");

  /* Importing it into an empty wallet gives the same wallet. */
  copy = open_store (copy_dir);
  results = bw_store_import_paths (copy, paths, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (results->len, ==, 5);
  g_assert_cmpuint (bw_store_get_total (copy), ==, bw_store_get_total (store));
  for (guint i = 0; i < results->len; i++)
    {
      BwImportResult *result = g_ptr_array_index (results, i);

      g_assert_cmpint (result->status, ==, BW_IMPORT_ADDED);
      g_assert_nonnull (bw_store_lookup (store, result->wallet_id));
    }
}

static void
test_export_refuses_foreign (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(BwStore) store = open_store (f->wallet);
  g_autoptr(GPtrArray) ids = import_badges (f, store, 0, 2);
  g_autofree char *mine = g_build_filename (f->tmp, "documents", NULL);
  g_autofree char *letter = g_build_filename (mine, "letter.txt", NULL);
  g_autofree char *out = g_build_filename (f->tmp, "out", NULL);
  g_autofree char *extra = g_build_filename (out, "cv.pdf", NULL);
  g_autofree char *file = g_build_filename (f->tmp, "plain-file", NULL);
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autoptr(GError) error = NULL;

  /* A folder of the user's own files. */
  g_assert_cmpint (g_mkdir (mine, 0700), ==, 0);
  g_assert_true (g_file_set_contents (letter, "Dear…", -1, NULL));
  g_assert_false (bw_store_export (store, mine, &error));
  g_assert_error (error, BW_ERROR, BW_ERROR_IO);
  g_assert_nonnull (strstr (error->message, "not empty"));
  g_assert_nonnull (strstr (error->message, mine));
  g_clear_error (&error);
  after = list_folder (mine);
  g_assert_cmpstr (after, ==, "letter.txt");
  g_clear_pointer (&after, g_free);

  /* An earlier export the user added a file to is not deleted either. */
  g_assert_true (bw_store_export (store, out, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_set_contents (extra, "%PDF", -1, NULL));
  before = list_folder (out);
  g_assert_false (bw_store_export (store, out, &error));
  g_assert_error (error, BW_ERROR, BW_ERROR_IO);
  g_assert_nonnull (strstr (error->message, "cv.pdf"));
  g_clear_error (&error);
  after = list_folder (out);
  g_assert_cmpstr (after, ==, before);
  g_clear_pointer (&after, g_free);

  /* A file where the folder should be. */
  g_assert_true (g_file_set_contents (file, "x", -1, NULL));
  g_assert_false (bw_store_export (store, file, &error));
  g_assert_error (error, BW_ERROR, BW_ERROR_IO);
  g_clear_error (&error);

  /* Nothing was staged and left behind by the refusals. */
  after = list_folder (f->tmp);
  g_assert_cmpstr (after, ==, "documents inputs out plain-file set-0 wallet");
}

static void
test_export_failure_keeps_earlier (Fixture       *f,
                                   gconstpointer  data)
{
  g_autoptr(BwStore) store = open_store (f->wallet);
  g_autoptr(GPtrArray) ids = import_badges (f, store, 0, 3);
  g_autofree char *out = g_build_filename (f->tmp, "out", NULL);
  g_autofree char *manifest_path = g_build_filename (out, "manifest.json", NULL);
  g_autofree char *manifest = NULL;
  g_autofree char *manifest_after = NULL;
  g_autofree char *before = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (bw_store_export (store, out, &error));
  g_assert_no_error (error);
  before = list_folder (out);
  manifest = read_text (manifest_path);
  g_assert_true (bw_store_remove (store, g_ptr_array_index (ids, 0), &error));
  g_assert_no_error (error);

  /* Fail at every write in turn: the earlier export survives each. */
  for (guint after_writes = 0; after_writes < 4; after_writes++)
    {
      g_autofree char *listing = NULL;
      g_autofree char *siblings = NULL;

      _bw_store_set_fault (BW_STORE_FAULT_DISK_FULL, after_writes);
      g_assert_false (bw_store_export (store, out, &error));
      g_assert_error (error, BW_ERROR, BW_ERROR_IO);
      g_clear_error (&error);
      _bw_store_set_fault (BW_STORE_FAULT_NONE, 0);

      listing = list_folder (out);
      g_assert_cmpstr (listing, ==, before);
      manifest_after = read_text (manifest_path);
      g_assert_cmpstr (manifest_after, ==, manifest);
      g_clear_pointer (&manifest_after, g_free);
      siblings = list_folder (f->tmp);
      g_assert_cmpstr (siblings, ==, "inputs out set-0 wallet");
    }

  /* Once writes work again the export is exact. */
  g_assert_true (bw_store_export (store, out, &error));
  g_assert_no_error (error);
  {
    g_autoptr(GHashTable) exported = exported_ids (out);

    g_assert_cmpuint (g_hash_table_size (exported), ==, 2);
    g_assert_false (g_hash_table_contains (exported, g_ptr_array_index (ids, 0)));
  }
}

static void
test_export_new_and_empty (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(BwStore) store = open_store (f->wallet);
  g_autoptr(GPtrArray) ids = import_badges (f, store, 0, 2);
  g_autofree char *empty = g_build_filename (f->tmp, "empty", NULL);
  g_autofree char *nested = g_build_filename (f->tmp, "a", "b", "c", NULL);
  g_autofree char *link = g_build_filename (f->tmp, "link", NULL);
  g_autoptr(GError) error = NULL;
  GStatBuf st;

  g_assert_cmpint (g_mkdir (empty, 0755), ==, 0);
  g_assert_true (bw_store_export (store, empty, &error));
  g_assert_no_error (error);
  {
    g_autoptr(GHashTable) exported = exported_ids (empty);

    g_assert_cmpuint (g_hash_table_size (exported), ==, 2);
  }

  g_assert_true (bw_store_export (store, nested, &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_stat (nested, &st), ==, 0);
  g_assert_true (S_ISDIR (st.st_mode));
  g_assert_cmpuint (st.st_mode & 0777, ==, 0700);

  /* Over a link to an earlier export, the link stays and its folder is
   * replaced. */
  g_assert_cmpint (symlink (nested, link), ==, 0);
  g_assert_true (bw_store_remove (store, g_ptr_array_index (ids, 0), &error));
  g_assert_no_error (error);
  g_assert_true (bw_store_export (store, link, &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_lstat (link, &st), ==, 0);
  g_assert_true (S_ISLNK (st.st_mode));
  {
    g_autoptr(GHashTable) exported = exported_ids (nested);

    g_assert_cmpuint (g_hash_table_size (exported), ==, 1);
  }

  /* A trailing separator names the same folder, replaced beside itself. */
  {
    g_autofree char *slashed = g_strconcat (nested, G_DIR_SEPARATOR_S, NULL);
    g_autofree char *parent = g_path_get_dirname (nested);
    g_autofree char *listing = NULL;
    g_autoptr(GHashTable) exported = NULL;

    g_ptr_array_unref (import_badges (f, store, 20, 1));
    g_assert_true (bw_store_export (store, slashed, &error));
    g_assert_no_error (error);
    exported = exported_ids (nested);
    g_assert_cmpuint (g_hash_table_size (exported), ==, 2);
    listing = list_folder (parent);
    g_assert_cmpstr (listing, ==, "c");
  }
}

/* ------------------------------------------------------------------------- */
/* Special files in an imported folder                                       */
/* ------------------------------------------------------------------------- */

static void
test_import_special_files (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(BwStore) store = open_store (f->wallet);
  g_autofree char *fifo = g_build_filename (f->inputs, "a-pipe", NULL);
  g_autofree char *dangling = g_build_filename (f->inputs, "b-dangling.png", NULL);
  g_autofree char *folder_link = g_build_filename (f->inputs, "c-folder-link", NULL);
  g_autofree char *fifo_link = g_build_filename (f->inputs, "d-pipe-link", NULL);
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(GError) error = NULL;
  const char *paths[] = { f->inputs, NULL };
  guint added = 0;

  fixture_write_badges (f->inputs, 0, 1, 64);
  g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);
  g_assert_cmpint (symlink ("no-such-target.png", dangling), ==, 0);
  g_assert_cmpint (symlink (f->tmp, folder_link), ==, 0);
  g_assert_cmpint (symlink (fifo, fifo_link), ==, 0);

  /* Nobody ever writes to the pipe: an import that opened it for a
   * blocking read would never return. */
  results = bw_store_import_paths (store, paths, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (results->len, ==, 5);
  for (guint i = 0; i < results->len; i++)
    {
      BwImportResult *result = g_ptr_array_index (results, i);

      if (g_str_equal (result->input, fifo) || g_str_equal (result->input, fifo_link))
        {
          g_assert_cmpint (result->status, ==, BW_IMPORT_NOT_A_BADGE);
          g_assert_nonnull (strstr (result->message, "Not a regular file"));
          g_assert_nonnull (strstr (result->message, "named pipe"));
        }
      else if (g_str_equal (result->input, dangling))
        {
          g_assert_cmpint (result->status, ==, BW_IMPORT_FAILED);
          g_assert_nonnull (strstr (result->message, "Broken link"));
          g_assert_nonnull (strstr (result->message, "no-such-target.png"));
        }
      else if (g_str_equal (result->input, folder_link))
        {
          g_assert_cmpint (result->status, ==, BW_IMPORT_NOT_A_BADGE);
          g_assert_nonnull (strstr (result->message, "folder"));
        }
      else
        {
          g_assert_cmpint (result->status, ==, BW_IMPORT_ADDED);
          added++;
        }
    }
  g_assert_cmpuint (added, ==, 1);

  /* A dangling link named directly says so too. */
  {
    const char *direct[] = { dangling, NULL };
    g_autoptr(GPtrArray) more = bw_store_import_paths (store, direct, NULL, &error);
    BwImportResult *result;

    g_assert_no_error (error);
    g_assert_cmpuint (more->len, ==, 1);
    result = g_ptr_array_index (more, 0);
    g_assert_cmpint (result->status, ==, BW_IMPORT_FAILED);
    g_assert_nonnull (strstr (result->message, "Broken link"));
  }
}

/* ------------------------------------------------------------------------- */
/* Id prefixes                                                               */
/* ------------------------------------------------------------------------- */

static void
test_resolve_prefix (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(BwStore) store = open_store (f->wallet);
  g_autoptr(GPtrArray) ids = import_badges (f, store, 0, 1);
  const char *id = g_ptr_array_index (ids, 0);
  g_autoptr(GError) error = NULL;

  /* With a single badge every beginning is unambiguous, and still one of
   * fewer than four characters is refused with the reason. */
  for (gsize length = 0; length < BW_STORE_MIN_ID_PREFIX; length++)
    {
      g_autofree char *prefix = g_strndup (id, length);
      g_autofree char *resolved = bw_store_resolve_id (store, prefix, &error);

      g_assert_null (resolved);
      g_assert_error (error, BW_ERROR, BW_ERROR_NOT_FOUND);
      g_assert_nonnull (strstr (error->message, "at least 4 characters"));
      g_clear_error (&error);
    }

  for (gsize length = BW_STORE_MIN_ID_PREFIX; length <= strlen (id); length += 15)
    {
      g_autofree char *prefix = g_strndup (id, length);
      g_autofree char *upper = g_ascii_strup (prefix, -1);
      g_autofree char *resolved = bw_store_resolve_id (store, prefix, &error);
      g_autofree char *resolved_upper = bw_store_resolve_id (store, upper, &error);

      g_assert_no_error (error);
      g_assert_cmpstr (resolved, ==, id);
      g_assert_cmpstr (resolved_upper, ==, id);
    }

  {
    g_autofree char *resolved = bw_store_resolve_id (store, "zzzz", &error);

    g_assert_null (resolved);
    g_assert_error (error, BW_ERROR, BW_ERROR_NOT_FOUND);
    g_assert_nonnull (strstr (error->message, "No badge with id"));
  }
}

/* ------------------------------------------------------------------------- */
/* The cache of built badges                                                 */
/* ------------------------------------------------------------------------- */

#define N_CACHE_BADGES 40
#define CACHE_SIZE     8

static guint
count_alive (gpointer *weak,
             guint     n)
{
  guint alive = 0;

  for (guint i = 0; i < n; i++)
    if (weak[i] != NULL)
      alive++;
  return alive;
}

static void
test_cache_bounded_and_shared (Fixture       *f,
                               gconstpointer  data)
{
  g_autoptr(BwStore) store = open_store (f->wallet);
  g_autoptr(GPtrArray) ids = import_badges (f, store, 0, N_CACHE_BADGES);
  GListModel *model = G_LIST_MODEL (store);
  gpointer weak[N_CACHE_BADGES] = { NULL };
  g_autoptr(BwBadge) held = NULL;
  g_autoptr(BwReport) report = NULL;
  g_autoptr(GError) error = NULL;
  BwBadge *again;
  guint n;

  _bw_store_set_cache_size (store, CACHE_SIZE);
  n = g_list_model_get_n_items (model);
  g_assert_cmpuint (n, ==, N_CACHE_BADGES);

  /* A details page holds the first badge for the whole walk. */
  held = g_list_model_get_item (model, 0);
  g_assert_nonnull (held);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(BwBadge) badge = g_list_model_get_item (model, i);

      g_assert_nonnull (badge);
      weak[i] = badge;
      g_object_add_weak_pointer (G_OBJECT (badge), &weak[i]);
      if (i == 0)
        g_assert_true (badge == held);
    }

  /* Walking every row keeps only the cache and what is held alive. */
  g_assert_cmpuint (count_alive (weak, n), <=, CACHE_SIZE + 1);
  g_assert_cmpuint (count_alive (weak, n), >=, CACHE_SIZE);
  g_assert_nonnull (weak[0]);
  g_assert_null (weak[1]);
  g_assert_nonnull (weak[n - 1]);

  /* The held badge, long out of the cache, is still the row's object for
   * the model and for a lookup, and an update in place reaches it. */
  again = g_list_model_get_item (model, 0);
  g_assert_true (again == held);
  g_object_unref (again);
  g_assert_true (bw_store_lookup (store, bw_badge_get_wallet_id (held)) == held);
  g_assert_null (bw_badge_get_last_verdict (held));

  for (guint i = 1; i < n; i++)
    {
      g_autoptr(BwBadge) badge = g_list_model_get_item (model, i);

      if (weak[i] == NULL)
        {
          weak[i] = badge;
          g_object_add_weak_pointer (G_OBJECT (badge), &weak[i]);
        }
    }
  report = bw_report_new ();
  bw_report_set_verdict (report, BW_VERDICT_REVOKED);
  g_assert_true (bw_store_save_report (store, bw_badge_get_wallet_id (held), report, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (bw_badge_get_last_verdict (held), ==, "revoked");

  /* Once let go and pushed out of the cache it is freed, and the row
   * builds a new badge with what the wallet now knows. */
  g_clear_object (&held);
  for (guint i = 1; i < n; i++)
    g_object_unref (g_list_model_get_item (model, i));
  g_assert_null (weak[0]);
  held = g_list_model_get_item (model, 0);
  g_assert_cmpstr (bw_badge_get_last_verdict (held), ==, "revoked");

  for (guint i = 0; i < n; i++)
    if (weak[i] != NULL)
      g_object_remove_weak_pointer (G_OBJECT (weak[i]), &weak[i]);
}

static void
test_cache_survives_removal (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(BwStore) store = open_store (f->wallet);
  g_autoptr(GPtrArray) ids = import_badges (f, store, 0, 3);
  g_autoptr(BwBadge) held = NULL;
  g_autoptr(GError) error = NULL;
  gpointer weak = NULL;

  _bw_store_set_cache_size (store, 1);
  held = g_object_ref (bw_store_lookup (store, g_ptr_array_index (ids, 0)));
  g_assert_nonnull (bw_store_lookup (store, g_ptr_array_index (ids, 1)));
  weak = held;
  g_object_add_weak_pointer (G_OBJECT (held), &weak);

  /* The holder keeps its badge after the row is gone. */
  g_assert_true (bw_store_remove (store, g_ptr_array_index (ids, 0), &error));
  g_assert_no_error (error);
  g_assert_null (bw_store_lookup (store, g_ptr_array_index (ids, 0)));
  g_assert_cmpstr (bw_badge_get_wallet_id (held), ==, g_ptr_array_index (ids, 0));
  g_clear_object (&held);
  g_assert_null (weak);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, fn) g_test_add (path, Fixture, NULL, fixture_setup, fn, fixture_teardown)
  ADD ("/store-safety/export/replaces-earlier", test_export_replaces_earlier);
  ADD ("/store-safety/export/refuses-foreign", test_export_refuses_foreign);
  ADD ("/store-safety/export/failure-keeps-earlier", test_export_failure_keeps_earlier);
  ADD ("/store-safety/export/new-and-empty", test_export_new_and_empty);
  ADD ("/store-safety/import/special-files", test_import_special_files);
  ADD ("/store-safety/resolve-prefix", test_resolve_prefix);
  ADD ("/store-safety/cache/bounded-and-shared", test_cache_bounded_and_shared);
  ADD ("/store-safety/cache/survives-removal", test_cache_survives_removal);
#undef ADD

  return g_test_run ();
}
