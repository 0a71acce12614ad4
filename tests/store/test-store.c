/* test-store.c
 *
 * Copyright 2026 The Badge Wallet authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-store"

#include <glib/gstdio.h>
#include <libsoup/soup.h>
#include <sqlite3.h>
#include <string.h>

#include "bw-error.h"
#include "bw-store-private.h"
#include "bw-util.h"
#include "store-fixtures.h"

/* ------------------------------------------------------------------------- */
/* Helpers                                                                   */
/* ------------------------------------------------------------------------- */

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

static char *
write_input (Fixture    *f,
             const char *name,
             GBytes     *data)
{
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (f->inputs, name, NULL);

  g_file_set_contents (path, g_bytes_get_data (data, NULL), (gssize)g_bytes_get_size (data),
                       &error);
  g_assert_no_error (error);
  return path;
}

static BwImportResult *
add (BwStore *store,
     GBytes  *data)
{
  g_autoptr(GError) error = NULL;
  BwImportResult *result = bw_store_add_bytes (store, data, "test", &error);

  g_assert_no_error (error);
  g_assert_nonnull (result);
  return result;
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char * const *)a, *(const char * const *)b);
}

/* The wallet's ids, sorted, as one string: a whole wallet compares in one
 * assertion with a readable difference. */
static char *
wallet_ids (BwStore *store)
{
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  guint n;

  bw_store_set_search (store, NULL);
  bw_store_set_filter (store, BW_STORE_FILTER_ALL);
  n = g_list_model_get_n_items (G_LIST_MODEL (store));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(JsonNode) summary = bw_store_dup_summary (store, i);
      JsonObject *object = json_node_get_object (summary);

      g_ptr_array_add (ids, g_strdup (json_object_get_string_member (object, "id")));
    }
  g_ptr_array_sort (ids, compare_strings);
  g_ptr_array_add (ids, NULL);
  return g_strjoinv (",", (char **)ids->pdata);
}

static int
sql_int (sqlite3    *db,
         const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  int value;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);
  return value;
}

static char *
sql_text (sqlite3    *db,
          const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  char *value;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = g_strdup ((const char *)sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  return value;
}

/* Checks the database file on its own connection, as another process would. */
static void
assert_db_sound (const char *wallet)
{
  g_autofree char *path = g_build_filename (wallet, "wallet.db", NULL);
  g_autofree char *check = NULL;
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  check = sql_text (db, "PRAGMA integrity_check");
  g_assert_cmpstr (check, ==, "ok");
  sqlite3_close (db);
}

static guint
count_files (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;
  guint n = 0;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        n += count_files (child);
      else
        n++;
    }
  return n;
}

static guint
count_originals (const char *wallet)
{
  g_autofree char *originals = g_build_filename (wallet, "originals", NULL);

  return count_files (originals);
}

static guint
file_mode (const char *path)
{
  GStatBuf st;

  g_assert_cmpint (g_stat (path, &st), ==, 0);
  return st.st_mode & 0777;
}

/* Keeps a copy of the model up to date from items-changed alone; if the
 * signals are wrong in any way, the copy and the model part. */
typedef struct
{
  GListModel *model;
  GPtrArray  *items;
  guint       signals;
} Mirror;

static void
mirror_changed_cb (GListModel *model,
                   guint       position,
                   guint       removed,
                   guint       added,
                   Mirror     *mirror)
{
  g_assert_cmpuint (position + removed, <=, mirror->items->len);
  g_ptr_array_remove_range (mirror->items, position, removed);
  for (guint i = 0; i < added; i++)
    g_ptr_array_insert (mirror->items, (int)(position + i),
                        g_list_model_get_item (model, position + i));
  mirror->signals++;
}

static void
mirror_init (Mirror     *mirror,
             GListModel *model)
{
  guint n = g_list_model_get_n_items (model);

  mirror->model = model;
  mirror->items = g_ptr_array_new_with_free_func (g_object_unref);
  mirror->signals = 0;
  for (guint i = 0; i < n; i++)
    g_ptr_array_add (mirror->items, g_list_model_get_item (model, i));
  g_signal_connect (model, "items-changed", G_CALLBACK (mirror_changed_cb), mirror);
}

static void
mirror_check (Mirror *mirror)
{
  guint n = g_list_model_get_n_items (mirror->model);

  g_assert_cmpuint (mirror->items->len, ==, n);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(BwBadge) badge = g_list_model_get_item (mirror->model, i);

      g_assert_true (badge == g_ptr_array_index (mirror->items, i));
    }
}

static void
mirror_clear (Mirror *mirror)
{
  g_signal_handlers_disconnect_by_func (mirror->model, mirror_changed_cb, mirror);
  g_clear_pointer (&mirror->items, g_ptr_array_unref);
}

static GBytes *
badge_named (guint       index,
             const char *name,
             const char *issuer,
             const char *issued,
             const char *expires,
             const char *tag)
{
  g_autofree char *json = fixture_assertion_json (index, name, issuer, issued, expires, tag);

  return fixture_bake_png (json, 256);
}

/* ------------------------------------------------------------------------- */
/* Opening                                                                   */
/* ------------------------------------------------------------------------- */

static void
test_open_empty (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(BwStore) store = open_store (f->wallet);
  g_autofree char *db_path = g_build_filename (f->wallet, "wallet.db", NULL);
  g_autofree char *mode = NULL;
  sqlite3 *db = _bw_store_get_db (store);

  g_assert_cmpuint (file_mode (f->wallet), ==, 0700);
  g_assert_cmpuint (file_mode (db_path), ==, 0600);
  g_assert_cmpint (sql_int (db, "PRAGMA user_version"), ==, BW_STORE_SCHEMA_VERSION);
  mode = sql_text (db, "PRAGMA journal_mode");
  g_assert_cmpstr (mode, ==, "wal");
  g_assert_null (bw_store_get_recovery_message (store));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 0);
  g_assert_cmpuint (bw_store_get_total (store), ==, 0);
  g_assert_true (g_list_model_get_item_type (G_LIST_MODEL (store)) == BW_TYPE_BADGE);
  g_assert_cmpstr (bw_store_get_directory (store), ==, f->wallet);
}

/* ------------------------------------------------------------------------- */
/* Import                                                                    */
/* ------------------------------------------------------------------------- */

static void
test_import_formats (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(BwStore) store = open_store (f->wallet);
  FixtureFormat formats[] = { FIXTURE_PNG, FIXTURE_SVG, FIXTURE_JSON };

  for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
    {
      g_autoptr(GBytes) original = fixture_badge (i, formats[i], 2048);
      g_autoptr(BwImportResult) result = add (store, original);
      g_autofree char *expected_id = bw_sha256_hex (g_bytes_get_data (original, NULL),
                                                    g_bytes_get_size (original));
      g_autofree char *path = NULL;
      g_autofree char *expected_name = g_strdup_printf ("Badge %06u", i);
      g_autoptr(GBytes) stored = NULL;
      g_autoptr(GError) error = NULL;
      char prefix[3] = { expected_id[0], expected_id[1], '\0' };
      BwBadge *badge;

      g_assert_cmpint (result->status, ==, BW_IMPORT_ADDED);
      g_assert_cmpstr (result->wallet_id, ==, expected_id);

      /* Kept byte-exact under its hash, private to the user. */
      path = g_build_filename (f->wallet, "originals", prefix, expected_id, NULL);
      g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
      g_assert_cmpuint (file_mode (path), ==, 0600);
      stored = bw_store_load_original (store, expected_id, &error);
      g_assert_no_error (error);
      g_assert_true (g_bytes_equal (stored, original));

      badge = bw_store_lookup (store, expected_id);
      g_assert_nonnull (badge);
      g_assert_cmpstr (bw_badge_get_name (badge), ==, expected_name);
      g_assert_cmpstr (bw_badge_get_wallet_id (badge), ==, expected_id);
      g_assert_cmpstr (bw_badge_get_original_path (badge), ==, path);
      g_assert_nonnull (bw_badge_get_added (badge));
    }

  g_assert_cmpuint (bw_store_get_total (store), ==, 3);
  g_assert_cmpuint (count_originals (f->wallet), ==, 3);
  assert_db_sound (f->wallet);
}

static void
test_import_duplicates (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(BwStore) store = open_store (f->wallet);
  g_autoptr(GBytes) png = fixture_badge (7, FIXTURE_PNG, 512);
  g_autoptr(GBytes) json = fixture_badge (7, FIXTURE_JSON, 0);
  g_autoptr(BwImportResult) first = add (store, png);
  g_autoptr(BwImportResult) same_file = add (store, png);
  g_autoptr(BwImportResult) same_assertion = add (store, json);

  g_assert_cmpint (first->status, ==, BW_IMPORT_ADDED);
  /* The same file again. */
  g_assert_cmpint (same_file->status, ==, BW_IMPORT_ALREADY_PRESENT);
  g_assert_cmpstr (same_file->wallet_id, ==, first->wallet_id);
  /* Another file carrying the same assertion id. */
  g_assert_cmpint (same_assertion->status, ==, BW_IMPORT_ALREADY_PRESENT);
  g_assert_cmpstr (same_assertion->wallet_id, ==, first->wallet_id);

  g_assert_cmpuint (bw_store_get_total (store), ==, 1);
  g_assert_cmpuint (count_originals (f->wallet), ==, 1);
}

static void
test_import_not_a_badge (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(BwStore) store = open_store (f->wallet);
  g_autoptr(GBytes) plain = fixture_plain_png ();
  g_autoptr(GBytes) text = g_bytes_new_static ("hello, world\n", 13);
  g_autoptr(GBytes) broken = g_bytes_new_static ("{ \"type\": \"Assertion\", ", 23);
  g_autoptr(GBytes) empty = g_bytes_new_static ("", 0);
  GBytes *inputs[] = { plain, text, broken, empty };

  for (guint i = 0; i < G_N_ELEMENTS (inputs); i++)
    {
      g_autoptr(BwImportResult) result = add (store, inputs[i]);

      g_assert_cmpint (result->status, ==, BW_IMPORT_NOT_A_BADGE);
      g_assert_null (result->wallet_id);
      g_assert_nonnull (result->message);
      g_assert_cmpstr (result->message, !=, "");
    }
  g_assert_cmpuint (bw_store_get_total (store), ==, 0);
  g_assert_cmpuint (count_originals (f->wallet), ==, 0);
}

typedef struct
{
  GPtrArray *seen;
  BwStore   *store;
} CallbackLog;

static void
log_result_cb (BwStore              *store,
               const BwImportResult *result,
               gpointer              user_data)
{
  CallbackLog *log = user_data;

  /* A result is reported only when durable, so an added badge is already
   * in the store (and the model) when its result arrives. */
  if (result->status == BW_IMPORT_ADDED)
    g_assert_nonnull (bw_store_lookup (store, result->wallet_id));
  g_ptr_array_add (log->seen, g_strdup (result->input));
}

static void
test_import_folder (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(BwStore) store = open_store (f->wallet);
  g_autofree char *sub = g_build_filename (f->inputs, "nested", "deeper", NULL);
  g_autofree char *hidden = g_build_filename (f->inputs, ".hidden.png", NULL);
  g_autofree char *missing = g_build_filename (f->tmp, "no-such-file.png", NULL);
  g_autoptr(GBytes) plain = fixture_plain_png ();
  g_autofree char *plain_path = write_input (f, "zz-plain.png", plain);
  g_autoptr(GBytes) hidden_badge = fixture_badge (999, FIXTURE_PNG, 64);
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(GError) error = NULL;
  CallbackLog log = { g_ptr_array_new_with_free_func (g_free), NULL };
  const char *paths[] = { f->inputs, missing, NULL };
  guint added = 0;
  guint not_badge = 0;
  guint failed = 0;

  fixture_write_badges (f->inputs, 0, 5, 128);
  fixture_write_badges (sub, 5, 4, 128);
  g_file_set_contents (hidden, g_bytes_get_data (hidden_badge, NULL),
                       (gssize)g_bytes_get_size (hidden_badge), &error);
  g_assert_no_error (error);

  _bw_store_set_batch_size (store, 3);
  results = bw_store_import_paths_full (store, paths, log_result_cb, &log, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (results);

  /* One result per file, in order, hidden files left alone. */
  g_assert_cmpuint (results->len, ==, 5 + 4 + 1 + 1);
  g_assert_cmpuint (log.seen->len, ==, results->len);
  for (guint i = 0; i < results->len; i++)
    {
      BwImportResult *result = g_ptr_array_index (results, i);

      g_assert_cmpstr (result->input, ==, g_ptr_array_index (log.seen, i));
      if (result->status == BW_IMPORT_ADDED)
        added++;
      else if (result->status == BW_IMPORT_NOT_A_BADGE)
        {
          g_assert_cmpstr (result->input, ==, plain_path);
          not_badge++;
        }
      else if (result->status == BW_IMPORT_FAILED)
        {
          g_assert_cmpstr (result->input, ==, missing);
          failed++;
        }
    }
  g_assert_cmpuint (added, ==, 9);
  g_assert_cmpuint (not_badge, ==, 1);
  g_assert_cmpuint (failed, ==, 1);
  g_assert_cmpuint (bw_store_get_total (store), ==, 9);
  g_ptr_array_unref (log.seen);
}


/* ------------------------------------------------------------------------- */
/* Import from URLs, against a loopback issuer                               */
/* ------------------------------------------------------------------------- */

#define OB2_CONTEXT "https://w3id.org/openbadges/v2"

typedef struct
{
  char   *base;
  GBytes *image;
  GBytes *baked;
} Issuer;

static void
issuer_handler_cb (SoupServer        *server,
                   SoupServerMessage *msg,
                   const char        *path,
                   GHashTable        *query,
                   gpointer           user_data)
{
  Issuer *issuer = user_data;
  g_autofree char *body = NULL;
  const char *type = "application/json";
  GBytes *bytes = NULL;

  if (g_str_equal (path, "/assertions/1"))
    body = g_strdup_printf ("{ \"@context\": \"" OB2_CONTEXT "\", \"type\": \"Assertion\","
                            " \"id\": \"%s/assertions/1\","
                            " \"recipient\": { \"type\": \"email\", \"hashed\": false,"
                            " \"identity\": \"a@example.org\" },"
                            " \"badge\": \"%s/badges/1\","
                            " \"verification\": { \"type\": \"HostedBadge\" },"
                            " \"issuedOn\": \"2024-03-12T00:00:00Z\" }",
                            issuer->base, issuer->base);
  else if (g_str_equal (path, "/badges/1"))
    body = g_strdup_printf ("{ \"@context\": \"" OB2_CONTEXT "\", \"type\": \"BadgeClass\","
                            " \"id\": \"%s/badges/1\", \"name\": \"Loopback Expert\","
                            " \"description\": \"Served from 127.0.0.1.\","
                            " \"image\": \"%s/images/1.png\","
                            " \"criteria\": { \"narrative\": \"Listen.\" },"
                            " \"issuer\": \"%s/issuer\" }",
                            issuer->base, issuer->base, issuer->base);
  else if (g_str_equal (path, "/issuer"))
    body = g_strdup_printf ("{ \"@context\": \"" OB2_CONTEXT "\", \"type\": \"Profile\","
                            " \"id\": \"%s/issuer\", \"name\": \"Loopback Academy\","
                            " \"url\": \"%s/\", \"email\": \"badges@example.org\" }",
                            issuer->base, issuer->base);
  else if (g_str_equal (path, "/images/1.png"))
    {
      type = "image/png";
      bytes = issuer->image;
    }
  else if (g_str_equal (path, "/baked.png"))
    {
      type = "image/png";
      bytes = issuer->baked;
    }
  else
    {
      soup_server_message_set_status (msg, 404, NULL);
      return;
    }

  soup_server_message_set_status (msg, 200, NULL);
  if (bytes != NULL)
    soup_server_message_set_response (msg, type, SOUP_MEMORY_COPY,
                                      g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  else
    soup_server_message_set_response (msg, type, SOUP_MEMORY_COPY, body, strlen (body));
}

static void
test_import_urls (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(SoupServer) server = soup_server_new (NULL, NULL);
  g_autoptr(BwFetcher) fetcher = bw_fetcher_new ();
  g_autoptr(BwVerifier) verifier = NULL;
  g_autoptr(BwStore) store = open_store (f->wallet);
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) original = NULL;
  g_autoptr(BwPayload) payload = NULL;
  g_autoptr(GBytes) cached = NULL;
  g_autofree char *assertion_url = NULL;
  g_autofree char *baked_url = NULL;
  g_autofree char *missing_url = NULL;
  g_autofree char *class_url = NULL;
  Issuer issuer = { 0 };
  GSList *uris;
  BwImportResult *result;
  BwBadge *badge;

  soup_server_add_handler (server, NULL, issuer_handler_cb, &issuer, NULL);
  soup_server_listen_local (server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (server);
  issuer.base = g_strdup_printf ("http://127.0.0.1:%d", g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify)g_uri_unref);
  issuer.image = fixture_plain_png ();
  issuer.baked = fixture_badge (42, FIXTURE_PNG, 128);

  bw_fetcher_set_allow_local (fetcher, TRUE);
  bw_store_set_fetcher (store, fetcher);
  g_assert_true (bw_store_get_fetcher (store) == fetcher);
  /* Verify on import: each badge added comes with its report. */
  verifier = bw_verifier_new (fetcher);
  bw_store_set_verifier (store, verifier);

  assertion_url = g_strdup_printf ("%s/assertions/1", issuer.base);
  baked_url = g_strdup_printf ("%s/baked.png", issuer.base);
  missing_url = g_strdup_printf ("%s/nothing-here", issuer.base);
  {
    const char *paths[] = { assertion_url, baked_url, missing_url, NULL };

    results = bw_store_import_paths (store, paths, NULL, &error);
  }
  g_assert_no_error (error);
  g_assert_cmpuint (results->len, ==, 3);

  /* A hosted assertion URL: fetched with its badge class and issuer, and
   * baked into the badge image so it can be shown and shared. */
  result = g_ptr_array_index (results, 0);
  g_assert_cmpint (result->status, ==, BW_IMPORT_ADDED);
  original = bw_store_load_original (store, result->wallet_id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (bw_baked_sniff (g_bytes_get_data (original, NULL), g_bytes_get_size (original)),
                   ==, BW_IMAGE_FORMAT_PNG);
  payload = bw_baked_read_bytes (original, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (payload->text, assertion_url));
  badge = bw_store_lookup (store, result->wallet_id);
  g_assert_cmpstr (bw_badge_get_name (badge), ==, "Loopback Expert");
  g_assert_cmpstr (bw_badge_get_issuer_name (badge), ==, "Loopback Academy");
  class_url = g_strdup_printf ("%s/badges/1", issuer.base);
  cached = bw_store_lookup_document (store, class_url, NULL);
  g_assert_nonnull (cached);
  {
    g_autoptr(BwReport) report = bw_store_load_report (store, result->wallet_id);

    g_assert_nonnull (report);
    g_assert_nonnull (bw_badge_get_last_checked (badge));
    g_assert_cmpstr (bw_badge_get_last_verdict (badge), ==,
                     bw_verdict_to_string (bw_report_get_verdict (report)));
  }

  /* A baked image URL is kept byte-exact. */
  result = g_ptr_array_index (results, 1);
  g_assert_cmpint (result->status, ==, BW_IMPORT_ADDED);
  g_clear_pointer (&original, g_bytes_unref);
  original = bw_store_load_original (store, result->wallet_id, &error);
  g_assert_true (g_bytes_equal (original, issuer.baked));

  result = g_ptr_array_index (results, 2);
  g_assert_cmpint (result->status, ==, BW_IMPORT_FAILED);
  g_assert_nonnull (strstr (result->message, "404"));

  /* Badge names survive a reopen with no network. */
  g_clear_object (&store);
  store = open_store (f->wallet);
  badge = bw_store_lookup (store, ((BwImportResult *)g_ptr_array_index (results, 0))->wallet_id);
  g_assert_cmpstr (bw_badge_get_name (badge), ==, "Loopback Expert");

  soup_server_disconnect (server);
  g_free (issuer.base);
  g_bytes_unref (issuer.image);
  g_bytes_unref (issuer.baked);
}

static void
verify_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static void
items_changed_cb (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  gpointer    user_data)
{
  GArray *changes = user_data;
  guint change[3] = { position, removed, added };

  g_array_append_vals (changes, change, 3);
}

static void
count_notify_cb (GObject    *object,
                 GParamSpec *pspec,
                 gpointer    user_data)
{
  (*(guint *)user_data)++;
}

/* A badge imported while its issuer could not be reached (here: with no
 * fetcher) keeps only its assertion URL and shows no name. Once verified,
 * the report's badge carries the assertion, badge class and issuer, and
 * saving the report keeps them: the model's badge, the listing, the search
 * index and a reopened wallet all show the name. */
static void
test_report_resolves_badge (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(SoupServer) server = soup_server_new (NULL, NULL);
  g_autoptr(BwFetcher) fetcher = bw_fetcher_new ();
  g_autoptr(BwVerifier) verifier = NULL;
  g_autoptr(BwStore) store = open_store (f->wallet);
  g_autoptr(BwBadge) held = NULL;
  g_autoptr(BwReport) report = NULL;
  g_autoptr(BwReport) bare = bw_report_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(GBytes) url_bytes = NULL;
  g_autoptr(GArray) changes = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) summary = NULL;
  g_autofree char *assertion_url = NULL;
  g_autofree char *path = NULL;
  g_autofree char *wallet_id = NULL;
  Issuer issuer = { 0 };
  guint name_notifies = 0;
  GSList *uris;
  BwBadge *badge;

  soup_server_add_handler (server, NULL, issuer_handler_cb, &issuer, NULL);
  soup_server_listen_local (server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (server);
  issuer.base = g_strdup_printf ("http://127.0.0.1:%d", g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify)g_uri_unref);
  issuer.image = fixture_plain_png ();
  issuer.baked = fixture_plain_png ();

  /* The payload is the assertion URL alone; its badge class and issuer
   * are known only by URL too. */
  assertion_url = g_strdup_printf ("%s/assertions/1", issuer.base);
  url_bytes = g_bytes_new (assertion_url, strlen (assertion_url));
  path = write_input (f, "hosted.txt", url_bytes);
  {
    const char *paths[] = { path, NULL };

    results = bw_store_import_paths (store, paths, NULL, &error);
  }
  g_assert_no_error (error);
  g_assert_cmpuint (results->len, ==, 1);
  g_assert_cmpint (((BwImportResult *)g_ptr_array_index (results, 0))->status, ==,
                   BW_IMPORT_ADDED);
  wallet_id = g_strdup (((BwImportResult *)g_ptr_array_index (results, 0))->wallet_id);
  held = g_object_ref (bw_store_lookup (store, wallet_id));
  g_assert_null (bw_badge_get_name (held));
  g_assert_true (bw_badge_needs_fetch (held));

  /* A report with no badge changes nothing but the verdict. */
  bw_report_set_verdict (bare, BW_VERDICT_UNREACHABLE);
  g_assert_true (bw_store_save_report (store, wallet_id, bare, &error));
  g_assert_no_error (error);
  g_assert_null (bw_badge_get_name (bw_store_lookup (store, wallet_id)));

  g_signal_connect (store, "items-changed", G_CALLBACK (items_changed_cb), changes);
  g_signal_connect (held, "notify::name", G_CALLBACK (count_notify_cb), &name_notifies);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 1);

  bw_fetcher_set_allow_local (fetcher, TRUE);
  verifier = bw_verifier_new (fetcher);
  bw_verifier_verify_async (verifier, held, NULL, verify_done_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  report = bw_verifier_verify_finish (verifier, result, &error);
  g_assert_no_error (error);
  g_assert_nonnull (bw_report_get_badge (report));
  g_assert_cmpstr (bw_badge_get_name (bw_report_get_badge (report)), ==, "Loopback Expert");
  /* Verifying works on the verifier's own badge: the wallet's is unchanged. */
  g_assert_null (bw_badge_get_name (held));

  g_assert_true (bw_store_save_report (store, wallet_id, report, &error));
  g_assert_no_error (error);

  /* The row was announced as changed, and the model's badge, the same
   * object as before, took the documents. */
  g_assert_cmpuint (changes->len, >=, 3);
  g_assert_cmpuint (g_array_index (changes, guint, 0), ==, 0);
  g_assert_cmpuint (g_array_index (changes, guint, 1), ==, 1);
  g_assert_cmpuint (g_array_index (changes, guint, 2), ==, 1);
  badge = bw_store_lookup (store, wallet_id);
  g_assert_true (badge == held);
  g_assert_cmpuint (name_notifies, ==, 1);
  g_assert_cmpstr (bw_badge_get_name (badge), ==, "Loopback Expert");
  g_assert_cmpstr (bw_badge_get_issuer_name (badge), ==, "Loopback Academy");
  g_assert_false (bw_badge_needs_fetch (badge));
  g_assert_cmpstr (bw_badge_get_last_verdict (badge), ==,
                   bw_verdict_to_string (bw_report_get_verdict (report)));
  summary = bw_store_dup_summary (store, 0);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (summary), "name"), ==,
                   "Loopback Expert");
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (summary), "issuer"), ==,
                   "Loopback Academy");
  bw_store_set_search (store, "loopback expert");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 1);
  bw_store_set_search (store, "academy");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 1);
  bw_store_set_search (store, NULL);

  /* Saving the same report again has nothing left to take. */
  g_array_set_size (changes, 0);
  g_assert_true (bw_store_save_report (store, wallet_id, report, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (changes->len, ==, 0);
  g_assert_cmpuint (name_notifies, ==, 1);
  g_signal_handlers_disconnect_by_func (store, items_changed_cb, changes);
  g_signal_handlers_disconnect_by_func (held, count_notify_cb, &name_notifies);

  /* The server goes away: the reopened wallet knows the name offline. */
  soup_server_disconnect (server);
  g_clear_object (&held);
  g_clear_object (&store);
  g_clear_pointer (&summary, json_node_unref);
  store = open_store (f->wallet);
  badge = bw_store_lookup (store, wallet_id);
  g_assert_nonnull (badge);
  g_assert_cmpstr (bw_badge_get_name (badge), ==, "Loopback Expert");
  g_assert_cmpstr (bw_badge_get_issuer_name (badge), ==, "Loopback Academy");
  g_assert_cmpstr (bw_badge_get_description (badge), ==, "Served from 127.0.0.1.");
  g_assert_false (bw_badge_needs_fetch (badge));
  summary = bw_store_dup_summary (store, 0);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (summary), "name"), ==,
                   "Loopback Expert");
  bw_store_set_sort (store, BW_STORE_SORT_NAME);
  bw_store_set_search (store, "expert");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 1);

  g_free (issuer.base);
  g_bytes_unref (issuer.image);
  g_bytes_unref (issuer.baked);
}

/* ------------------------------------------------------------------------- */
/* The model                                                                 */
/* ------------------------------------------------------------------------- */

static const char *
name_at (BwStore *store,
         guint    position)
{
  g_autoptr(BwBadge) badge = g_list_model_get_item (G_LIST_MODEL (store), position);

  return bw_badge_get_name (badge);
}

static void
save_verdict (BwStore    *store,
              const char *wallet_id,
              BwVerdict   verdict)
{
  g_autoptr(BwReport) report = bw_report_new ();
  g_autoptr(GError) error = NULL;

  bw_report_set_verdict (report, verdict);
  g_assert_true (bw_store_save_report (store, wallet_id, report, &error));
  g_assert_no_error (error);
}

static void
test_model (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(BwStore) store = open_store (f->wallet);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) soon = g_date_time_add_days (now, 10);
  g_autoptr(GDateTime) later = g_date_time_add_days (now, 300);
  g_autofree char *soon_text = bw_format_datetime (soon);
  g_autofree char *later_text = bw_format_datetime (later);
  g_autoptr(BwImportResult) a = NULL;
  g_autoptr(BwImportResult) b = NULL;
  g_autoptr(BwImportResult) c = NULL;
  g_autoptr(BwImportResult) d = NULL;
  g_autoptr(GBytes) ga = badge_named (1, "Zebra Handling", "Beta Org", "2021-01-01T00:00:00Z",
                                      soon_text, "animals");
  g_autoptr(GBytes) gb = badge_named (2, "apple picking", "alpha org", "2023-01-01T00:00:00Z",
                                      later_text, "fruit");
  g_autoptr(GBytes) gc = badge_named (3, "Mango Tasting", "Gamma Org", "2022-01-01T00:00:00Z",
                                      NULL, "fruit");
  g_autoptr(GBytes) gd = badge_named (4, "Émigré Studies", "Beta Org", "2020-01-01T00:00:00Z",
                                      NULL, "history");
  Mirror mirror;

  mirror_init (&mirror, G_LIST_MODEL (store));
  a = add (store, ga);
  mirror_check (&mirror);
  b = add (store, gb);
  c = add (store, gc);
  d = add (store, gd);
  mirror_check (&mirror);
  g_assert_cmpuint (mirror.signals, ==, 4);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 4);

  /* Added: newest first. */
  g_assert_cmpstr (name_at (store, 0), ==, "Émigré Studies");
  g_assert_cmpstr (name_at (store, 3), ==, "Zebra Handling");

  bw_store_set_sort (store, BW_STORE_SORT_NAME);
  mirror_check (&mirror);
  g_assert_cmpstr (name_at (store, 0), ==, "apple picking");
  g_assert_cmpstr (name_at (store, 1), ==, "Émigré Studies");
  g_assert_cmpstr (name_at (store, 2), ==, "Mango Tasting");
  g_assert_cmpstr (name_at (store, 3), ==, "Zebra Handling");

  bw_store_set_sort (store, BW_STORE_SORT_ISSUER);
  mirror_check (&mirror);
  g_assert_cmpstr (name_at (store, 0), ==, "apple picking");
  g_assert_cmpstr (name_at (store, 1), ==, "Émigré Studies");
  g_assert_cmpstr (name_at (store, 2), ==, "Zebra Handling");
  g_assert_cmpstr (name_at (store, 3), ==, "Mango Tasting");

  bw_store_set_sort (store, BW_STORE_SORT_ISSUED);
  mirror_check (&mirror);
  g_assert_cmpstr (name_at (store, 0), ==, "apple picking");
  g_assert_cmpstr (name_at (store, 3), ==, "Émigré Studies");

  /* Filters follow the last report's verdict. */
  save_verdict (store, a->wallet_id, BW_VERDICT_VALID);
  save_verdict (store, b->wallet_id, BW_VERDICT_VALID);
  save_verdict (store, c->wallet_id, BW_VERDICT_REVOKED);
  mirror_check (&mirror);

  bw_store_set_filter (store, BW_STORE_FILTER_VALID);
  mirror_check (&mirror);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 2);
  bw_store_set_filter (store, BW_STORE_FILTER_EXPIRING);
  mirror_check (&mirror);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 1);
  g_assert_cmpstr (name_at (store, 0), ==, "Zebra Handling");
  bw_store_set_filter (store, BW_STORE_FILTER_REVOKED);
  mirror_check (&mirror);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 1);
  g_assert_cmpstr (name_at (store, 0), ==, "Mango Tasting");
  bw_store_set_filter (store, BW_STORE_FILTER_UNVERIFIED);
  mirror_check (&mirror);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 1);
  g_assert_cmpstr (name_at (store, 0), ==, "Émigré Studies");
  bw_store_set_filter (store, BW_STORE_FILTER_EXPIRED);
  mirror_check (&mirror);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 0);
  save_verdict (store, d->wallet_id, BW_VERDICT_EXPIRED);
  mirror_check (&mirror);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 1);
  bw_store_set_filter (store, BW_STORE_FILTER_ALL);
  mirror_check (&mirror);

  /* Full-text search over name, description, issuer and tags, by word
   * prefix, ignoring case and accents; query syntax is not interpreted. */
  bw_store_set_sort (store, BW_STORE_SORT_NAME);
  bw_store_set_search (store, "fruit");
  mirror_check (&mirror);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 2);
  bw_store_set_search (store, "fruit mang");
  mirror_check (&mirror);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 1);
  g_assert_cmpstr (name_at (store, 0), ==, "Mango Tasting");
  bw_store_set_search (store, "emigre");
  mirror_check (&mirror);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 1);
  bw_store_set_search (store, "BETA");
  mirror_check (&mirror);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 2);
  bw_store_set_search (store, "\"unbalanced AND OR NEAR(");
  mirror_check (&mirror);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 0);

  /* A badge added during a search shows only if it matches. */
  bw_store_set_search (store, "fruit");
  {
    g_autoptr(GBytes) ge = badge_named (5, "Banana Bending", "Delta", "2019-01-01T00:00:00Z",
                                        NULL, "fruit");
    g_autoptr(GBytes) gf = badge_named (6, "Kite Flying", "Delta", "2019-01-01T00:00:00Z",
                                        NULL, "sky");
    g_autoptr(BwImportResult) e = add (store, ge);
    g_autoptr(BwImportResult) ff = add (store, gf);

    mirror_check (&mirror);
    g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 3);
    g_assert_cmpstr (name_at (store, 1), ==, "Banana Bending");
  }
  bw_store_set_search (store, "   ");
  mirror_check (&mirror);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 6);

  /* Removal with an undo window. */
  bw_store_remove_pending (store, a->wallet_id);
  mirror_check (&mirror);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 5);
  g_assert_cmpuint (bw_store_get_total (store), ==, 5);
  g_assert_null (bw_store_lookup (store, a->wallet_id));
  bw_store_undo_remove (store, a->wallet_id);
  mirror_check (&mirror);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 6);
  bw_store_remove_pending (store, a->wallet_id);
  bw_store_remove_pending (store, b->wallet_id);
  mirror_check (&mirror);
  {
    g_autoptr(GError) error = NULL;

    g_assert_true (bw_store_commit_removals (store, &error));
    g_assert_no_error (error);
  }
  mirror_check (&mirror);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 4);
  g_assert_cmpuint (count_originals (f->wallet), ==, 4);
  {
    g_autoptr(GError) error = NULL;

    g_assert_false (bw_store_remove (store, a->wallet_id, &error));
    g_assert_error (error, BW_ERROR, BW_ERROR_NOT_FOUND);
  }

  mirror_clear (&mirror);
}

static void
test_remove_on_dispose (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GBytes) one = fixture_badge (1, FIXTURE_PNG, 64);
  g_autoptr(GBytes) two = fixture_badge (2, FIXTURE_SVG, 64);
  g_autoptr(BwImportResult) r1 = NULL;
  g_autoptr(BwImportResult) r2 = NULL;
  g_autofree char *prefix = NULL;
  g_autofree char *resolved = NULL;
  g_autoptr(GError) error = NULL;
  BwStore *store = open_store (f->wallet);

  r1 = add (store, one);
  r2 = add (store, two);

  /* Ids resolve from an unambiguous beginning. */
  prefix = g_strndup (r1->wallet_id, 10);
  resolved = bw_store_resolve_id (store, prefix, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (resolved, ==, r1->wallet_id);
  g_assert_null (bw_store_resolve_id (store, "0123456789abcdef", &error));
  g_assert_error (error, BW_ERROR, BW_ERROR_NOT_FOUND);

  /* Leaving ends the undo window: the pending removal is carried out. */
  bw_store_remove_pending (store, r1->wallet_id);
  g_object_unref (store);

  store = open_store (f->wallet);
  g_assert_cmpuint (bw_store_get_total (store), ==, 1);
  g_assert_null (bw_store_lookup (store, r1->wallet_id));
  g_assert_nonnull (bw_store_lookup (store, r2->wallet_id));
  g_assert_cmpuint (count_originals (f->wallet), ==, 1);
  g_object_unref (store);
}

/* ------------------------------------------------------------------------- */
/* Persistence, export and backup                                            */
/* ------------------------------------------------------------------------- */

static void
test_persistence (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GBytes) one = fixture_badge (1, FIXTURE_PNG, 64);
  g_autoptr(BwImportResult) r1 = NULL;
  g_autoptr(BwReport) loaded = NULL;
  g_autofree char *note = NULL;
  g_autoptr(GError) error = NULL;
  BwStore *store = open_store (f->wallet);
  BwBadge *badge;

  r1 = add (store, one);
  save_verdict (store, r1->wallet_id, BW_VERDICT_REVOKED);
  g_assert_true (bw_store_set_note (store, r1->wallet_id, "from the 2024 conference", &error));
  g_assert_no_error (error);
  g_object_unref (store);

  store = open_store (f->wallet);
  badge = bw_store_lookup (store, r1->wallet_id);
  g_assert_nonnull (badge);
  g_assert_cmpstr (bw_badge_get_name (badge), ==, "Badge 000001");
  g_assert_cmpstr (bw_badge_get_last_verdict (badge), ==, "revoked");
  g_assert_nonnull (bw_badge_get_last_checked (badge));
  loaded = bw_store_load_report (store, r1->wallet_id);
  g_assert_nonnull (loaded);
  g_assert_cmpint (bw_report_get_verdict (loaded), ==, BW_VERDICT_REVOKED);
  note = bw_store_dup_note (store, r1->wallet_id);
  g_assert_cmpstr (note, ==, "from the 2024 conference");
  g_object_unref (store);
}

static char *
describe_wallet (BwStore *store)
{
  g_autoptr(GString) out = g_string_new (NULL);
  g_autofree char *ids = wallet_ids (store);
  g_auto(GStrv) list = g_strsplit (ids, ",", -1);

  for (guint i = 0; list[i] != NULL && *list[i] != '\0'; i++)
    {
      BwBadge *badge = bw_store_lookup (store, list[i]);
      g_autoptr(BwReport) report = bw_store_load_report (store, list[i]);
      g_autofree char *note = bw_store_dup_note (store, list[i]);
      g_autofree char *added = bw_format_datetime (bw_badge_get_added (badge));
      g_autofree char *checked = bw_format_datetime (bw_badge_get_last_checked (badge));
      const char *verdict = bw_badge_get_last_verdict (badge);

      g_string_append_printf (out, "%s added=%s note=%s verdict=%s checked=%s report=%s name=%s\n",
                              list[i], added, note ? note : "-",
                              verdict != NULL ? verdict : "-",
                              checked ? checked : "-",
                              report ? bw_verdict_to_string (bw_report_get_verdict (report)) : "-",
                              bw_badge_get_name (badge));
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static void
test_export_roundtrip (Fixture       *f,
                       gconstpointer  data)
{
  g_autofree char *exported = g_build_filename (f->tmp, "exported", NULL);
  g_autofree char *second = g_build_filename (f->tmp, "second", NULL);
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *manifest = g_build_filename (exported, "manifest.json", NULL);
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(GError) error = NULL;
  const char *paths[] = { exported, NULL };
  BwStore *store = open_store (f->wallet);

  for (guint i = 0; i < 6; i++)
    {
      g_autoptr(GBytes) badge = fixture_badge (i, (FixtureFormat)(i % 3), 300);
      g_autoptr(BwImportResult) result = add (store, badge);

      if (i % 2 == 0)
        save_verdict (store, result->wallet_id, i == 0 ? BW_VERDICT_VALID : BW_VERDICT_EXPIRED);
      if (i == 1)
        g_assert_true (bw_store_set_note (store, result->wallet_id, "a note", NULL));
    }
  /* A removal still in its undo window is not exported. */
  {
    g_autoptr(GBytes) gone = fixture_badge (50, FIXTURE_PNG, 64);
    g_autoptr(BwImportResult) result = add (store, gone);

    bw_store_remove_pending (store, result->wallet_id);
    g_assert_true (bw_store_export (store, exported, &error));
    g_assert_no_error (error);
    bw_store_undo_remove (store, result->wallet_id);
    g_assert_true (bw_store_remove (store, result->wallet_id, &error));
  }
  before = describe_wallet (store);
  g_object_unref (store);

  g_assert_true (g_file_test (manifest, G_FILE_TEST_IS_REGULAR));
  g_assert_cmpuint (count_files (exported), ==, 7);

  /* Added dates must come from the manifest, not from the clock. */
  g_usleep (1100 * 1000);

  store = open_store (second);
  results = bw_store_import_paths (store, paths, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (results->len, ==, 6);
  for (guint i = 0; i < results->len; i++)
    {
      BwImportResult *result = g_ptr_array_index (results, i);

      g_assert_cmpint (result->status, ==, BW_IMPORT_ADDED);
    }
  after = describe_wallet (store);
  g_assert_cmpstr (after, ==, before);
  g_object_unref (store);
}

/* ------------------------------------------------------------------------- */
/* Recovery and migrations                                                   */
/* ------------------------------------------------------------------------- */

static char *
fill_wallet (Fixture *f,
             guint    n)
{
  g_autofree char *ids = NULL;
  BwStore *store = open_store (f->wallet);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GBytes) badge = fixture_badge (i, (FixtureFormat)(i % 3), 200);
      g_autoptr(BwImportResult) result = add (store, badge);

      g_assert_cmpint (result->status, ==, BW_IMPORT_ADDED);
    }
  ids = wallet_ids (store);
  g_object_unref (store);
  return g_steal_pointer (&ids);
}

static void
remove_db_files (const char *wallet)
{
  static const char * const names[] = { "wallet.db", "wallet.db-wal", "wallet.db-shm" };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *path = g_build_filename (wallet, names[i], NULL);

      g_unlink (path);
    }
}

static void
test_recovery_missing (Fixture       *f,
                       gconstpointer  data)
{
  g_autofree char *ids = fill_wallet (f, 7);
  g_autofree char *recovered = NULL;
  g_autoptr(BwStore) store = NULL;

  remove_db_files (f->wallet);

  /* A rebuild that cannot finish leaves no index behind, so the next
   * open rebuilds again rather than trusting a partial one. */
  {
    g_autofree char *db_path = g_build_filename (f->wallet, "wallet.db", NULL);
    g_autoptr(GError) error = NULL;

    _bw_store_set_fault (BW_STORE_FAULT_IO, 12);
    store = bw_store_open (f->wallet, &error);
    _bw_store_set_fault (BW_STORE_FAULT_NONE, 0);
    g_assert_null (store);
    g_assert_error (error, BW_ERROR, BW_ERROR_IO);
    g_assert_false (g_file_test (db_path, G_FILE_TEST_EXISTS));
  }

  store = open_store (f->wallet);
  g_assert_nonnull (bw_store_get_recovery_message (store));
  g_assert_nonnull (strstr (bw_store_get_recovery_message (store), "7"));
  recovered = wallet_ids (store);
  g_assert_cmpstr (recovered, ==, ids);
  assert_db_sound (f->wallet);
  g_clear_object (&store);

  /* Once rebuilt, the wallet opens normally again. */
  store = open_store (f->wallet);
  g_assert_null (bw_store_get_recovery_message (store));
}

static guint
count_broken (const char *wallet)
{
  g_autoptr(GDir) dir = g_dir_open (wallet, 0, NULL);
  const char *name;
  guint n = 0;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_prefix (name, "wallet.db.broken-") && !g_str_has_suffix (name, "-wal") &&
        !g_str_has_suffix (name, "-shm"))
      n++;
  return n;
}

static void
corrupt_file (const char *path,
              gsize       offset,
              gsize       length)
{
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  gsize size;

  g_file_get_contents (path, &contents, &size, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (size, >, offset);
  for (gsize i = offset; i < MIN (size, offset + length); i++)
    contents[i] = (char)(0xa5 ^ (i * 7));
  g_file_set_contents (path, contents, (gssize)size, &error);
  g_assert_no_error (error);
}

static void
test_recovery_corrupt (Fixture       *f,
                       gconstpointer  data)
{
  /* Enough badges for the database to span many pages. */
  g_autofree char *ids = fill_wallet (f, 40);
  g_autofree char *db_path = g_build_filename (f->wallet, "wallet.db", NULL);
  g_autofree char *clean_path = g_build_filename (f->wallet, "wallet.db.clean", NULL);
  g_autofree char *recovered = NULL;
  g_autoptr(BwStore) store = NULL;
  g_autoptr(GError) error = NULL;
  struct { gsize offset; gsize length; } damage[] = {
    { 0, 100 },      /* the header: not a database any more */
    { 4096, 8192 },  /* pages in the middle */
  };

  for (guint i = 0; i < G_N_ELEMENTS (damage); i++)
    {
      g_clear_object (&store);
      g_clear_pointer (&recovered, g_free);
      corrupt_file (db_path, damage[i].offset, damage[i].length);
      /* As after a session that did not end cleanly: the whole database
       * is checked. */
      g_assert_cmpint (g_unlink (clean_path), ==, 0);

      store = open_store (f->wallet);
      g_assert_nonnull (bw_store_get_recovery_message (store));
      g_assert_nonnull (strstr (bw_store_get_recovery_message (store), "wallet.db.broken-"));
      g_assert_cmpuint (count_broken (f->wallet), ==, i + 1);
      recovered = wallet_ids (store);
      g_assert_cmpstr (recovered, ==, ids);
      assert_db_sound (f->wallet);
      /* Distinct names for each broken copy. */
      g_usleep (1100 * 1000);
    }

  /* A damaged original is left out and the message says so. */
  g_clear_object (&store);
  {
    g_autofree char *originals = g_build_filename (f->wallet, "originals", NULL);
    g_autoptr(GDir) dir = g_dir_open (originals, 0, NULL);
    g_autofree char *sub = g_build_filename (originals, g_dir_read_name (dir), NULL);
    g_autoptr(GDir) subdir = g_dir_open (sub, 0, NULL);
    g_autofree char *victim = g_build_filename (sub, g_dir_read_name (subdir), NULL);

    corrupt_file (victim, 0, 8);
  }
  remove_db_files (f->wallet);
  store = open_store (f->wallet);
  g_assert_cmpuint (bw_store_get_total (store), ==, 39);
  g_assert_nonnull (strstr (bw_store_get_recovery_message (store), "left out"));
}

static void
test_migrations (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *db_path = g_build_filename (f->wallet, "wallet.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(BwStore) store = NULL;
  sqlite3 *db;

  /* A wallet left at schema version 1 with a badge in it is carried
   * forward, keeping the badge. */
  g_assert_cmpint (g_mkdir_with_parents (f->wallet, 0700), ==, 0);
  g_assert_true (_bw_store_create_schema (db_path, 1, &error));
  g_assert_no_error (error);
  g_assert_cmpint (sqlite3_open (db_path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sql_int (db, "PRAGMA user_version"), ==, 1);
  g_assert_cmpint (sqlite3_exec (db,
                                 "INSERT INTO badges (rowid, wallet_id, format, size, name, added)"
                                 " VALUES (1, '"
                                 "0000000000000000000000000000000000000000000000000000000000000000"
                                 "', 'json', 2, 'Old', 1600000000);"
                                 "INSERT INTO badge_data (rowid, badge_json) VALUES (1, '{}');",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  store = open_store (f->wallet);
  db = _bw_store_get_db (store);
  g_assert_cmpint (sql_int (db, "PRAGMA user_version"), ==, BW_STORE_SCHEMA_VERSION);
  g_assert_cmpint (sql_int (db, "SELECT count(*) FROM documents"), ==, 0);
  g_assert_cmpuint (bw_store_get_total (store), ==, 1);
  g_clear_object (&store);

  /* A wallet from a newer version is refused, never taken for damage. */
  g_assert_cmpint (sqlite3_open (db_path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "PRAGMA user_version = 99", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
  store = bw_store_open (f->wallet, &error);
  g_assert_null (store);
  g_assert_error (error, BW_ERROR, BW_ERROR_UNSUPPORTED);
  g_assert_cmpuint (count_broken (f->wallet), ==, 0);
  g_assert_true (g_file_test (db_path, G_FILE_TEST_EXISTS));
}

/* ------------------------------------------------------------------------- */
/* Failing writes                                                            */
/* ------------------------------------------------------------------------- */

static void
test_faults_import (Fixture       *f,
                    gconstpointer  data)
{
  BwStoreFault faults[] = { BW_STORE_FAULT_DISK_FULL, BW_STORE_FAULT_IO };
  guint countdowns[] = { 0, 1, 2, 3, 5, 8, 13, 21, 40 };
  g_autofree char *batch = g_build_filename (f->inputs, "batch", NULL);
  g_autofree char *before = fill_wallet (f, 4);
  guint before_files = count_originals (f->wallet);
  const char *paths[] = { batch, NULL };
  guint hits_total = 0;

  fixture_write_badges (batch, 100, 6, 512);

  for (guint i = 0; i < G_N_ELEMENTS (faults); i++)
    for (guint j = 0; j < G_N_ELEMENTS (countdowns); j++)
      {
        if (j == 0 && i > 0)
          {
            /* The previous kind of fault ended with a successful import:
             * start again from the same four badges. */
            g_autofree char *again = NULL;

            fixture_rm_rf (f->wallet);
            again = fill_wallet (f, 4);
            g_assert_cmpstr (again, ==, before);
          }

        g_autoptr(BwStore) store = open_store (f->wallet);
        g_autoptr(GPtrArray) results = NULL;
        g_autoptr(GError) error = NULL;
        g_autofree char *after = NULL;

        /* One batch for all six, so a failure anywhere must undo all. */
        _bw_store_set_batch_size (store, 100);
        _bw_store_set_fault (faults[i], countdowns[j]);
        results = bw_store_import_paths (store, paths, NULL, &error);
        _bw_store_set_fault (BW_STORE_FAULT_NONE, 0);

        if (results != NULL)
          {
            /* The fault came after the last write: nothing failed, and this
             * is the last countdown worth trying. */
            g_assert_no_error (error);
            g_assert_cmpuint (j, >, 0);
            break;
          }
        hits_total++;
        g_assert_error (error, BW_ERROR, BW_ERROR_IO);
        if (faults[i] == BW_STORE_FAULT_DISK_FULL)
          g_assert_true (strstr (error->message, "full") != NULL ||
                         strstr (error->message, "space") != NULL);

        /* Unchanged in memory, on disk and after reopening. */
        after = wallet_ids (store);
        g_assert_cmpstr (after, ==, before);
        g_clear_object (&store);
        g_assert_cmpuint (count_originals (f->wallet), ==, before_files);
        assert_db_sound (f->wallet);
        store = open_store (f->wallet);
        g_clear_pointer (&after, g_free);
        after = wallet_ids (store);
        g_assert_cmpstr (after, ==, before);
        g_assert_null (bw_store_get_recovery_message (store));
      }
  g_assert_cmpuint (hits_total, >=, 8);

  /* With the disk back, the same import goes through. */
  {
    g_autoptr(BwStore) store = open_store (f->wallet);
    g_autoptr(GPtrArray) results = NULL;
    g_autoptr(GError) error = NULL;

    results = bw_store_import_paths (store, paths, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (bw_store_get_total (store), ==, 10);
    g_assert_cmpuint (count_originals (f->wallet), ==, 10);
  }
}

static void
test_faults_updates (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GBytes) one = fixture_badge (1, FIXTURE_PNG, 64);
  g_autoptr(BwImportResult) r1 = NULL;
  g_autoptr(BwReport) report = bw_report_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *note = NULL;
  g_autofree char *exported = g_build_filename (f->tmp, "exported", NULL);
  BwStore *store = open_store (f->wallet);
  BwBadge *badge;

  r1 = add (store, one);
  g_assert_true (bw_store_set_note (store, r1->wallet_id, "kept", NULL));

  _bw_store_set_fault (BW_STORE_FAULT_DISK_FULL, 0);
  bw_report_set_verdict (report, BW_VERDICT_VALID);
  g_assert_false (bw_store_save_report (store, r1->wallet_id, report, &error));
  g_assert_error (error, BW_ERROR, BW_ERROR_IO);
  g_clear_error (&error);
  g_assert_false (bw_store_set_note (store, r1->wallet_id, "lost", &error));
  g_assert_error (error, BW_ERROR, BW_ERROR_IO);
  g_clear_error (&error);
  g_assert_false (bw_store_remove (store, r1->wallet_id, &error));
  g_assert_error (error, BW_ERROR, BW_ERROR_IO);
  g_clear_error (&error);
  g_assert_false (bw_store_export (store, exported, &error));
  g_assert_error (error, BW_ERROR, BW_ERROR_IO);
  g_clear_error (&error);
  _bw_store_set_fault (BW_STORE_FAULT_NONE, 0);

  badge = bw_store_lookup (store, r1->wallet_id);
  g_assert_nonnull (badge);
  g_assert_null (bw_badge_get_last_verdict (badge));
  g_assert_cmpuint (bw_store_get_total (store), ==, 1);
  g_object_unref (store);

  store = open_store (f->wallet);
  note = bw_store_dup_note (store, r1->wallet_id);
  g_assert_cmpstr (note, ==, "kept");
  g_assert_null (bw_store_load_report (store, r1->wallet_id));
  g_assert_cmpuint (count_originals (f->wallet), ==, 1);
  g_object_unref (store);
}

/* ------------------------------------------------------------------------- */
/* The documents cache                                                       */
/* ------------------------------------------------------------------------- */

static void
test_documents_cache (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(BwStore) store = open_store (f->wallet);
  g_autoptr(GBytes) body = g_bytes_new_static ("{\"type\":\"Profile\"}", 18);
  g_autoptr(GBytes) newer = g_bytes_new_static ("{\"type\":\"Profile\",\"name\":\"X\"}", 29);
  g_autoptr(GBytes) found = NULL;
  g_autofree char *type = NULL;
  g_autoptr(GError) error = NULL;
  const char *url = "http://127.0.0.1:9/issuer";

  g_assert_null (bw_store_lookup_document (store, url, NULL));
  g_assert_true (bw_store_cache_document (store, url, "application/json", body, &error));
  g_assert_no_error (error);
  found = bw_store_lookup_document (store, url, &type);
  g_assert_true (g_bytes_equal (found, body));
  g_assert_cmpstr (type, ==, "application/json");
  g_clear_pointer (&found, g_bytes_unref);

  g_assert_true (bw_store_cache_document (store, url, NULL, newer, &error));
  found = bw_store_lookup_document (store, url, NULL);
  g_assert_true (g_bytes_equal (found, newer));
}

/* ------------------------------------------------------------------------- */
/* Conformance fixtures of peer projects                                     */
/* ------------------------------------------------------------------------- */

static void
test_conformance (Fixture       *f,
                  gconstpointer  data)
{
  const char *root = g_getenv ("BW_CONFORMANCE_DIR");
  g_autofree char *bakery = NULL;
  g_autoptr(BwStore) store = NULL;
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(GError) error = NULL;
  const char *paths[2] = { NULL, NULL };
  guint added = 0;

  if (root == NULL || !g_file_test (root, G_FILE_TEST_IS_DIR))
    {
      g_test_skip ("BW_CONFORMANCE_DIR is not set or absent");
      return;
    }
  bakery = g_build_filename (root, "openbadges-bakery-python", NULL);
  if (!g_file_test (bakery, G_FILE_TEST_IS_DIR))
    {
      g_test_skip ("no openbadges-bakery-python fixtures");
      return;
    }

  /* Every file of a peer's tree gets a result and the import finishes:
   * whatever is in there, the wallet stays sound. */
  store = open_store (f->wallet);
  paths[0] = bakery;
  results = bw_store_import_paths (store, paths, NULL, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < results->len; i++)
    {
      BwImportResult *result = g_ptr_array_index (results, i);

      if (result->status == BW_IMPORT_ADDED)
        {
          g_autoptr(GBytes) original = bw_store_load_original (store, result->wallet_id, &error);

          g_assert_no_error (error);
          added++;
        }
      else if (result->status != BW_IMPORT_ALREADY_PRESENT)
        g_assert_nonnull (result->message);
    }
  g_assert_cmpuint (added, >, 0);
  g_assert_cmpuint (bw_store_get_total (store), ==, added);
  assert_db_sound (f->wallet);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, fn) g_test_add (path, Fixture, NULL, fixture_setup, fn, fixture_teardown)
  ADD ("/store/open/empty", test_open_empty);
  ADD ("/store/import/formats", test_import_formats);
  ADD ("/store/import/duplicates", test_import_duplicates);
  ADD ("/store/import/not-a-badge", test_import_not_a_badge);
  ADD ("/store/import/folder", test_import_folder);
  ADD ("/store/import/urls", test_import_urls);
  ADD ("/store/report/resolves-badge", test_report_resolves_badge);
  ADD ("/store/model", test_model);
  ADD ("/store/remove/on-dispose", test_remove_on_dispose);
  ADD ("/store/persistence", test_persistence);
  ADD ("/store/export/roundtrip", test_export_roundtrip);
  ADD ("/store/recovery/missing", test_recovery_missing);
  ADD ("/store/recovery/corrupt", test_recovery_corrupt);
  ADD ("/store/migrations", test_migrations);
  ADD ("/store/faults/import", test_faults_import);
  ADD ("/store/faults/updates", test_faults_updates);
  ADD ("/store/documents-cache", test_documents_cache);
  ADD ("/store/conformance", test_conformance);
#undef ADD

  return g_test_run ();
}
