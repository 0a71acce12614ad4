/* test-store-cli.c
 *
 * Copyright 2026 The Badge Wallet authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-store-cli"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <signal.h>
#include <sqlite3.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bw-util.h"
#include "store-fixtures.h"

#define N_CRASH_BADGES 300
#define N_CRASHES      20

typedef struct
{
  char *tmp;
  char *data_home;
  char *wallet;
  char *inputs;
} Fixture;

static const char *
badge_wallet (void)
{
  const char *path = g_getenv ("BW_BADGE_WALLET");

  if (path == NULL || !g_file_test (path, G_FILE_TEST_IS_EXECUTABLE))
    return NULL;
  return path;
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  f->tmp = fixture_tmpdir ();
  f->data_home = g_build_filename (f->tmp, "data", NULL);
  f->wallet = g_build_filename (f->data_home, "badge-wallet", NULL);
  f->inputs = g_build_filename (f->tmp, "inputs", NULL);
  g_assert_cmpint (g_mkdir (f->inputs, 0700), ==, 0);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  fixture_rm_rf (f->tmp);
  g_free (f->tmp);
  g_free (f->data_home);
  g_free (f->wallet);
  g_free (f->inputs);
}

static GSubprocess *
spawn_full (Fixture             *f,
            GSubprocessFlags     flags,
            const char          *stdout_path,
            const char * const  *args)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (flags);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  GSubprocess *process;

  g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", f->data_home, TRUE);
  g_subprocess_launcher_setenv (launcher, "LC_ALL", "C", TRUE);
  if (stdout_path != NULL)
    g_subprocess_launcher_set_stdout_file_path (launcher, stdout_path);
  g_ptr_array_add (argv, (gpointer)badge_wallet ());
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer)args[i]);
  g_ptr_array_add (argv, NULL);

  process = g_subprocess_launcher_spawnv (launcher, (const char * const *)argv->pdata, &error);
  g_assert_no_error (error);
  return process;
}

static GSubprocess *
spawn (Fixture             *f,
       GSubprocessFlags     flags,
       const char * const  *args)
{
  return spawn_full (f, flags, NULL, args);
}

/* An empty GBytes may have no data pointer at all. */
static char *
bytes_to_string (GBytes *bytes)
{
  gsize length = g_bytes_get_size (bytes);

  return length > 0 ? g_strndup (g_bytes_get_data (bytes, NULL), length) : g_strdup ("");
}

/* Runs the CLI to completion and returns its exit status. */
static int
run (Fixture             *f,
     const char * const  *args,
     GBytes              *input,
     char               **out,
     char               **err)
{
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GBytes) stdout_bytes = NULL;
  g_autoptr(GBytes) stderr_bytes = NULL;
  g_autoptr(GError) error = NULL;

  process = spawn (f, (input != NULL ? G_SUBPROCESS_FLAGS_STDIN_PIPE : 0) |
                      G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE, args);
  g_subprocess_communicate (process, input, NULL, &stdout_bytes, &stderr_bytes, &error);
  g_assert_no_error (error);
  if (out != NULL)
    *out = bytes_to_string (stdout_bytes);
  if (err != NULL)
    *err = bytes_to_string (stderr_bytes);
  g_assert_true (g_subprocess_get_if_exited (process));
  return g_subprocess_get_exit_status (process);
}

static JsonObject *
parse_line (const char *line)
{
  g_autoptr(GError) error = NULL;
  JsonNode *node = bw_json_parse (line, -1, &error);
  JsonObject *object;

  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
  object = json_object_ref (json_node_get_object (node));
  json_node_unref (node);
  return object;
}

/* The ids `list --json` prints, checked field by field. */
static GHashTable *
list_ids (Fixture *f)
{
  const char *args[] = { "list", "--json", NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_auto(GStrv) lines = NULL;
  GHashTable *ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  static const char * const members[] = { "id", "name", "issuer", "issued", "expires",
                                          "added", "verdict", "checked" };

  g_assert_cmpint (run (f, args, NULL, &out, &err), ==, 0);
  lines = g_strsplit (out, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autoptr(JsonObject) object = NULL;

      if (*lines[i] == '\0')
        continue;
      object = parse_line (lines[i]);
      for (guint m = 0; m < G_N_ELEMENTS (members); m++)
        g_assert_true (json_object_has_member (object, members[m]));
      g_hash_table_add (ids, g_strdup (json_object_get_string_member (object, "id")));
    }
  return ids;
}

static void
assert_original_sound (Fixture    *f,
                       const char *wallet_id)
{
  char prefix[3] = { wallet_id[0], wallet_id[1], '\0' };
  g_autofree char *path = g_build_filename (f->wallet, "originals", prefix, wallet_id, NULL);
  g_autofree char *contents = NULL;
  g_autofree char *hash = NULL;
  gsize length;

  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  hash = bw_sha256_hex (contents, length);
  g_assert_cmpstr (hash, ==, wallet_id);
}

static void
assert_db_sound (Fixture *f)
{
  g_autofree char *path = g_build_filename (f->wallet, "wallet.db", NULL);
  sqlite3_stmt *stmt = NULL;
  sqlite3 *db = NULL;

  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    return;
  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "PRAGMA integrity_check", -1, &stmt, NULL),
                   ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpstr ((const char *)sqlite3_column_text (stmt, 0), ==, "ok");
  sqlite3_finalize (stmt);
  sqlite3_close (db);
}

static gboolean
skip_without_cli (void)
{
  if (badge_wallet () == NULL)
    {
      g_test_skip ("BW_BADGE_WALLET is not set to a built badge-wallet");
      return TRUE;
    }
  return FALSE;
}

static void
test_import_list_export_remove (Fixture       *f,
                                gconstpointer  data)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *plain_path = g_build_filename (f->inputs, "plain.png", NULL);
  g_autofree char *exported = g_build_filename (f->tmp, "exported", NULL);
  g_autoptr(GBytes) plain = fixture_plain_png ();
  g_autoptr(GHashTable) ids = NULL;
  g_auto(GStrv) lines = NULL;
  g_autofree char *first_id = NULL;
  guint added = 0;

  if (skip_without_cli ())
    return;

  fixture_write_badges (f->inputs, 0, 6, 256);
  g_assert_true (g_file_set_contents (plain_path, g_bytes_get_data (plain, NULL),
                                      (gssize)g_bytes_get_size (plain), NULL));

  /* A folder with one file that is no badge: per-file results, exit 1. */
  {
    const char *args[] = { "import", "--json", f->inputs, NULL };

    g_assert_cmpint (run (f, args, NULL, &out, &err), ==, 1);
  }
  lines = g_strsplit (out, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autoptr(JsonObject) object = NULL;
      const char *status;

      if (*lines[i] == '\0')
        continue;
      object = parse_line (lines[i]);
      status = json_object_get_string_member (object, "status");
      if (g_str_equal (status, "added"))
        {
          added++;
          if (first_id == NULL)
            first_id = g_strdup (json_object_get_string_member (object, "id"));
        }
      else
        {
          g_assert_cmpstr (status, ==, "not-a-badge");
          g_assert_cmpstr (json_object_get_string_member (object, "input"), ==, plain_path);
          g_assert_false (json_object_get_null_member (object, "message"));
        }
    }
  g_assert_cmpuint (added, ==, 6);
  g_assert_cmpuint (g_strv_length (lines), ==, 8);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* The wallet folder and database are private. */
  {
    GStatBuf st;
    g_autofree char *db = g_build_filename (f->wallet, "wallet.db", NULL);

    g_assert_cmpint (g_stat (f->wallet, &st), ==, 0);
    g_assert_cmpuint (st.st_mode & 0777, ==, 0700);
    g_assert_cmpint (g_stat (db, &st), ==, 0);
    g_assert_cmpuint (st.st_mode & 0777, ==, 0600);
  }

  /* Again, human output: everything already there. */
  {
    g_autofree char *badge_path = g_build_filename (f->inputs, "badge-000000.png", NULL);
    const char *args[] = { "import", badge_path, NULL };

    g_assert_cmpint (run (f, args, NULL, &out, &err), ==, 0);
    g_assert_true (g_str_has_prefix (out, "already in the wallet: "));
    g_clear_pointer (&out, g_free);
    g_clear_pointer (&err, g_free);
  }

  ids = list_ids (f);
  g_assert_cmpuint (g_hash_table_size (ids), ==, 6);

  /* The human table has a header and one row per badge. */
  {
    const char *args[] = { "list", NULL };
    g_auto(GStrv) rows = NULL;

    g_assert_cmpint (run (f, args, NULL, &out, &err), ==, 0);
    rows = g_strsplit (out, "\n", -1);
    g_assert_cmpuint (g_strv_length (rows), ==, 1 + 6 + 1);
    g_assert_nonnull (strstr (out, "Badge 000003"));
    g_clear_pointer (&out, g_free);
    g_clear_pointer (&err, g_free);
  }

  /* Export, then an import of the export into an empty wallet. */
  {
    const char *args[] = { "export", exported, NULL };
    g_autofree char *manifest = g_build_filename (exported, "manifest.json", NULL);

    g_assert_cmpint (run (f, args, NULL, &out, &err), ==, 0);
    g_assert_true (g_file_test (manifest, G_FILE_TEST_IS_REGULAR));
    g_clear_pointer (&out, g_free);
    g_clear_pointer (&err, g_free);
  }

  /* Remove: a known id by prefix, and an unknown one (exit 1, clear message). */
  {
    g_autofree char *prefix = g_strndup (first_id, 12);
    const char *args[] = { "remove", prefix, "ffffffffffffffff", NULL };

    g_assert_cmpint (run (f, args, NULL, &out, &err), ==, 1);
    g_assert_nonnull (strstr (out, first_id));
    g_assert_nonnull (strstr (err, "ffffffffffffffff"));
    g_clear_pointer (&out, g_free);
    g_clear_pointer (&err, g_free);
  }
  g_clear_pointer (&ids, g_hash_table_unref);
  ids = list_ids (f);
  g_assert_cmpuint (g_hash_table_size (ids), ==, 5);
  g_assert_false (g_hash_table_contains (ids, first_id));

  /* Restoring the backup brings the removed badge back. */
  {
    const char *args[] = { "import", exported, NULL };

    g_assert_cmpint (run (f, args, NULL, &out, &err), ==, 0);
    g_clear_pointer (&out, g_free);
    g_clear_pointer (&err, g_free);
  }
  g_clear_pointer (&ids, g_hash_table_unref);
  ids = list_ids (f);
  g_assert_cmpuint (g_hash_table_size (ids), ==, 6);
  g_assert_true (g_hash_table_contains (ids, first_id));
}

static void
test_stdin (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GBytes) badge = fixture_badge (3, FIXTURE_SVG, 0);
  g_autofree char *expected = bw_sha256_hex (g_bytes_get_data (badge, NULL),
                                             g_bytes_get_size (badge));
  g_autofree char *out = NULL;
  g_autoptr(GHashTable) ids = NULL;
  const char *args[] = { "import", "-", NULL };

  if (skip_without_cli ())
    return;

  g_assert_cmpint (run (f, args, badge, &out, NULL), ==, 0);
  g_assert_nonnull (strstr (out, expected));
  ids = list_ids (f);
  g_assert_true (g_hash_table_contains (ids, expected));
  assert_original_sound (f, expected);
}

static void
test_usage (Fixture       *f,
            gconstpointer  data)
{
  struct { const char *args[4]; int status; } cases[] = {
    { { "import", NULL }, 2 },
    { { "import", "--no-such-option", "x", NULL }, 2 },
    { { "import", "--credly", "someone", NULL }, 2 },
    { { "import", "--backpack", "http://127.0.0.1:9/", NULL }, 2 },
    { { "list", "extra", NULL }, 2 },
    { { "export", NULL }, 2 },
    { { "export", "a", "b", NULL }, 2 },
    { { "remove", NULL }, 2 },
    { { "import", "/nonexistent/badge.png", NULL }, 1 },
  };

  if (skip_without_cli ())
    return;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *out = NULL;
      g_autofree char *err = NULL;

      g_assert_cmpint (run (f, cases[i].args, NULL, &out, &err), ==, cases[i].status);
      /* Usage errors explain themselves on stderr; a failed input is a
       * result line like any other. */
      if (cases[i].status == 2)
        g_assert_cmpstr (err, !=, "");
      else
        g_assert_true (g_str_has_prefix (out, "failed: /nonexistent/badge.png: "));
    }
}

static void
test_refusals (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *fifo = g_build_filename (f->inputs, "pipe", NULL);
  g_autofree char *dangling = g_build_filename (f->inputs, "gone.png", NULL);
  g_autofree char *mine = g_build_filename (f->tmp, "mine", NULL);
  g_autofree char *letter = g_build_filename (mine, "letter.txt", NULL);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *expected = NULL;

  if (skip_without_cli ())
    return;

  /* Special files in a folder are reported, and the pipe never blocks. */
  fixture_write_badges (f->inputs, 0, 1, 64);
  g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);
  g_assert_cmpint (symlink ("nowhere.png", dangling), ==, 0);
  {
    const char *args[] = { "import", f->inputs, NULL };

    g_assert_cmpint (run (f, args, NULL, &out, &err), ==, 1);
  }
  expected = g_strdup_printf ("not a badge: %s: Not a regular file: it is a named pipe", fifo);
  g_assert_nonnull (strstr (out, expected));
  g_clear_pointer (&expected, g_free);
  expected = g_strdup_printf ("failed: %s: Broken link", dangling);
  g_assert_nonnull (strstr (out, expected));
  g_assert_nonnull (strstr (out, "added: "));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* Ids: empty is a usage error, short ones say how long they must be. */
  {
    const char *args[] = { "remove", "", NULL };

    g_assert_cmpint (run (f, args, NULL, &out, &err), ==, 2);
    g_assert_nonnull (strstr (err, "empty id"));
    g_clear_pointer (&out, g_free);
    g_clear_pointer (&err, g_free);
  }
  for (guint length = 1; length < 4; length++)
    {
      g_autoptr(GHashTable) ids = list_ids (f);
      GHashTableIter iter;
      gpointer id;
      g_autofree char *prefix = NULL;
      const char *args[] = { "remove", NULL, NULL };

      g_hash_table_iter_init (&iter, ids);
      g_assert_true (g_hash_table_iter_next (&iter, &id, NULL));
      prefix = g_strndup (id, length);
      args[1] = prefix;
      g_assert_cmpint (run (f, args, NULL, &out, &err), ==, 1);
      g_assert_nonnull (strstr (err, "give at least 4 characters of the id"));
      g_clear_pointer (&out, g_free);
      g_clear_pointer (&err, g_free);
    }
  {
    const char *args[] = { "remove", "--help", NULL };

    g_assert_cmpint (run (f, args, NULL, &out, &err), ==, 0);
    g_assert_nonnull (strstr (out, "first 4 or more characters"));
    g_clear_pointer (&out, g_free);
    g_clear_pointer (&err, g_free);
  }

  /* Export refuses a folder of the user's own files and leaves it be. */
  g_assert_cmpint (g_mkdir (mine, 0700), ==, 0);
  g_assert_true (g_file_set_contents (letter, "Dear…", -1, NULL));
  {
    const char *args[] = { "export", mine, NULL };
    g_autofree char *kept = NULL;

    g_assert_cmpint (run (f, args, NULL, &out, &err), ==, 1);
    g_assert_nonnull (strstr (err, "export: The folder"));
    g_assert_nonnull (strstr (err, "not empty"));
    g_assert_true (g_file_get_contents (letter, &kept, NULL, NULL));
    g_assert_cmpstr (kept, ==, "Dear…");
    g_clear_pointer (&out, g_free);
    g_clear_pointer (&err, g_free);
  }
}

static void
test_recovery_message (Fixture       *f,
                       gconstpointer  data)
{
  g_autofree char *db = g_build_filename (f->wallet, "wallet.db", NULL);
  g_autofree char *wal = g_build_filename (f->wallet, "wallet.db-wal", NULL);
  g_autofree char *shm = g_build_filename (f->wallet, "wallet.db-shm", NULL);
  g_autofree char *err = NULL;
  g_autoptr(GHashTable) ids = NULL;
  const char *import_args[] = { "import", f->inputs, NULL };
  const char *list_args[] = { "list", NULL };

  if (skip_without_cli ())
    return;

  fixture_write_badges (f->inputs, 0, 4, 64);
  g_assert_cmpint (run (f, import_args, NULL, NULL, NULL), ==, 0);
  g_unlink (db);
  g_unlink (wal);
  g_unlink (shm);

  /* The CLI tells the user the index was rebuilt. */
  g_assert_cmpint (run (f, list_args, NULL, NULL, &err), ==, 0);
  g_assert_nonnull (strstr (err, "rebuilt"));
  ids = list_ids (f);
  g_assert_cmpuint (g_hash_table_size (ids), ==, 4);
}

static void
child_exited_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  gboolean *exited = user_data;

  g_subprocess_wait_finish (G_SUBPROCESS (object), result, NULL);
  *exited = TRUE;
}

static gboolean
kill_due_cb (gpointer user_data)
{
  gboolean *due = user_data;

  *due = TRUE;
  return G_SOURCE_REMOVE;
}

/* Kills `import` of 300 badges at random moments. After each kill the
 * database is sound, every badge listed has its original with the right
 * hash, and every badge the CLI had reported as added is still there. */
static void
test_crash (Fixture       *f,
            gconstpointer  data)
{
  g_autofree char *folder = g_build_filename (f->inputs, "many", NULL);
  g_autofree char *output = g_build_filename (f->tmp, "import-output.txt", NULL);

  if (skip_without_cli ())
    return;

  fixture_write_badges (folder, 0, N_CRASH_BADGES, 4096);

  for (guint round = 0; round < N_CRASHES; round++)
    {
      const char *args[] = { "import", "--json", folder, NULL };
      g_autoptr(GSubprocess) process = NULL;
      g_autoptr(GDataInputStream) lines = NULL;
      g_autoptr(GPtrArray) reported = g_ptr_array_new_with_free_func (g_free);
      g_autoptr(GHashTable) listed = NULL;
      g_autoptr(GError) error = NULL;
      /* Odd rounds die after a number of reported results, even rounds
       * after a random time, so kills land both right after a commit and
       * in the middle of writing. */
      guint kill_after_lines = round % 2 == 1
                               ? (guint)g_test_rand_int_range (0, N_CRASH_BADGES)
                               : G_MAXUINT;
      gint64 kill_at = g_get_monotonic_time () + g_test_rand_int_range (0, 1200) * 1000;
      char *line;

      /* Half the rounds start from an empty wallet, half continue one. */
      if (round % 4 < 2)
        fixture_rm_rf (f->data_home);

      if (kill_after_lines != G_MAXUINT)
        {
          process = spawn (f, G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_SILENCE,
                           args);
          lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (process));
          while (reported->len < kill_after_lines &&
                 (line = g_data_input_stream_read_line (lines, NULL, NULL, &error)) != NULL)
            g_ptr_array_add (reported, line);
          g_subprocess_send_signal (process, SIGKILL);
          g_subprocess_wait (process, NULL, &error);
          g_assert_no_error (error);
          /* What was printed before the kill counts as reported. */
          while ((line = g_data_input_stream_read_line (lines, NULL, NULL, NULL)) != NULL)
            g_ptr_array_add (reported, line);
        }
      else
        {
          g_autofree char *contents = NULL;
          g_auto(GStrv) split = NULL;
          gboolean exited = FALSE;
          gboolean due = FALSE;
          guint timeout;

          /* Output goes to a file, so the child never waits on a pipe. */
          process = spawn_full (f, G_SUBPROCESS_FLAGS_STDERR_SILENCE, output, args);
          g_subprocess_wait_async (process, NULL, child_exited_cb, &exited);
          timeout = g_timeout_add ((guint)MAX (0, (kill_at - g_get_monotonic_time ()) / 1000),
                                   kill_due_cb, &due);
          while (!exited && !due)
            g_main_context_iteration (NULL, TRUE);
          if (!due)
            g_source_remove (timeout);
          g_subprocess_send_signal (process, SIGKILL);
          while (!exited)
            g_main_context_iteration (NULL, TRUE);

          /* A child killed before it started has no output file. */
          if (!g_file_get_contents (output, &contents, NULL, NULL))
            contents = g_strdup ("");
          g_unlink (output);
          split = g_strsplit (contents, "\n", -1);
          for (guint i = 0; split[i] != NULL; i++)
            if (*split[i] != '\0')
              g_ptr_array_add (reported, g_strdup (split[i]));
        }

      assert_db_sound (f);
      listed = list_ids (f);
      {
        GHashTableIter iter;
        gpointer id;

        g_hash_table_iter_init (&iter, listed);
        while (g_hash_table_iter_next (&iter, &id, NULL))
          assert_original_sound (f, id);
      }
      for (guint i = 0; i < reported->len; i++)
        {
          g_autoptr(JsonObject) object = parse_line (g_ptr_array_index (reported, i));
          const char *status = json_object_get_string_member (object, "status");

          g_assert_true (g_str_equal (status, "added") || g_str_equal (status, "already-present"));
          g_assert_true (g_hash_table_contains (listed,
                                                json_object_get_string_member (object, "id")));
        }
      g_test_message ("round %u: %u results reported, %u badges listed", round, reported->len,
                      g_hash_table_size (listed));
    }

  /* Finally an import that runs to the end leaves all 300. */
  {
    const char *args[] = { "import", folder, NULL };
    g_autoptr(GHashTable) listed = NULL;

    g_assert_cmpint (run (f, args, NULL, NULL, NULL), ==, 0);
    listed = list_ids (f);
    g_assert_cmpuint (g_hash_table_size (listed), ==, N_CRASH_BADGES);
  }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, fn) g_test_add (path, Fixture, NULL, fixture_setup, fn, fixture_teardown)
  ADD ("/store-cli/import-list-export-remove", test_import_list_export_remove);
  ADD ("/store-cli/stdin", test_stdin);
  ADD ("/store-cli/usage", test_usage);
  ADD ("/store-cli/refusals", test_refusals);
  ADD ("/store-cli/recovery-message", test_recovery_message);
  ADD ("/store-cli/crash", test_crash);
#undef ADD

  return g_test_run ();
}
