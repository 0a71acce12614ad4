/* test-cli-share.c
 *
 * Copyright 2026 The Badge Wallet authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-cli-share"

#include "config.h"

#include <json-glib/json-glib.h>
#include <string.h>

#include "bw-baked.h"
#include "bw-store.h"
#include "bw-util.h"

#include "share-fixtures.h"

static const char * const link_keys[] = {
  "public-url", "linkedin-profile", "linkedin-post", "facebook", "x", "embed",
};

typedef struct
{
  char *dir;       /* a private folder, also the XDG_DATA_HOME of the runs */
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("test-cli-share-XXXXXX", &error);
  g_assert_no_error (error);
}

static gboolean
remove_tree (GFile   *file,
             GError **error)
{
  g_autoptr(GFileEnumerator) children = NULL;

  children = g_file_enumerate_children (file, G_FILE_ATTRIBUTE_STANDARD_NAME,
                                        G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, NULL, NULL);
  if (children != NULL)
    {
      GFile *child;

      while (g_file_enumerator_iterate (children, NULL, &child, NULL, NULL) && child != NULL)
        if (!remove_tree (child, error))
          return FALSE;
    }

  return g_file_delete (file, NULL, error);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GFile) dir = g_file_new_for_path (fixture->dir);
  g_autoptr(GError) error = NULL;

  remove_tree (dir, &error);
  g_assert_no_error (error);
  g_free (fixture->dir);
}

static char *
write_file (Fixture    *fixture,
            const char *name,
            GBytes     *contents)
{
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (fixture->dir, name, NULL);

  g_file_set_contents (path, g_bytes_get_data (contents, NULL), g_bytes_get_size (contents),
                       &error);
  g_assert_no_error (error);
  return path;
}

static GBytes *
baked_png (const char *text)
{
  g_autoptr(GError) error = NULL;
  gsize length;
  guchar *pixel = g_base64_decode (PIXEL_PNG_BASE64, &length);
  g_autoptr(GBytes) png = g_bytes_new_take (pixel, length);
  GBytes *baked = bw_baked_bake_png (png, "openbadges", text, &error);

  g_assert_no_error (error);
  return baked;
}

static char *
make_jws (const char *payload)
{
  static const char header[] = "{\"alg\":\"RS256\"}";
  g_autofree char *h = bw_base64url_encode ((const guint8 *)header, strlen (header));
  g_autofree char *p = bw_base64url_encode ((const guint8 *)payload, strlen (payload));

  return g_strconcat (h, ".", p, ".c2lnbmF0dXJl", NULL);
}

/* Runs badge-wallet with @args and returns its exit status; the output
 * goes to @out and @err. */
static int
run (Fixture             *fixture,
     const char * const  *args,
     char               **out,
     char               **err)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  const char *program = g_getenv ("BW_BADGE_WALLET");

  g_assert_nonnull (program);
  g_ptr_array_add (argv, (char *)program);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (char *)args[i]);
  g_ptr_array_add (argv, NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", fixture->dir, TRUE);
  g_subprocess_launcher_setenv (launcher, "LC_ALL", "C.UTF-8", TRUE);
  g_subprocess_launcher_unsetenv (launcher, "LANGUAGE");

  process = g_subprocess_launcher_spawnv (launcher, (const char * const *)argv->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, out, err, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  return g_subprocess_get_exit_status (process);
}

static JsonObject *
run_json (Fixture    *fixture,
          const char *input,
          JsonNode  **root_out)
{
  const char *args[] = { "share", "--json", input, NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  JsonNode *root;
  int status;

  status = run (fixture, args, &out, &err);
  g_test_message ("stderr: %s", err);
  g_assert_cmpint (status, ==, 0);

  /* One object, on one line. */
  g_assert_true (g_str_has_suffix (out, "\n"));
  g_assert_true (strchr (out, '\n') == out + strlen (out) - 1);

  root = json_from_string (out, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (root));
  *root_out = root;
  return json_node_get_object (root);
}

static void
assert_member_string (JsonObject *object,
                      const char *member,
                      const char *expected)
{
  JsonNode *node = json_object_get_member (object, member);

  g_test_message ("member %s", member);
  g_assert_nonnull (node);
  g_assert_true (JSON_NODE_HOLDS_VALUE (node));
  g_assert_cmpstr (json_node_get_string (node), ==, expected);
}

static void
assert_member_null (JsonObject *object,
                    const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  g_test_message ("member %s", member);
  g_assert_nonnull (node);
  g_assert_true (JSON_NODE_HOLDS_NULL (node));
}

static void
test_hosted (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(GBytes) png = baked_png (HOSTED_ASSERTION);
  g_autofree char *path = write_file (fixture, "hosted.png", png);
  g_autoptr(JsonNode) root = NULL;
  JsonObject *object = run_json (fixture, path, &root);
  JsonArray *jobs;

  assert_member_string (object, "input", path);
  assert_member_string (object, "public-url", HOSTED_PUBLIC_URL);
  assert_member_string (object, "linkedin-profile", HOSTED_LINKEDIN_PROFILE);
  assert_member_string (object, "linkedin-post", HOSTED_LINKEDIN_POST);
  assert_member_string (object, "facebook", HOSTED_FACEBOOK);
  assert_member_string (object, "x", HOSTED_X);
  assert_member_string (object, "email", HOSTED_EMAIL);
  assert_member_string (object, "embed", HOSTED_EMBED);
  g_assert_cmpuint (json_object_get_size (json_object_get_object_member (object, "reasons")), ==, 0);

  jobs = json_object_get_array_member (object, "linkedin-jobs");
  g_assert_cmpuint (json_array_get_length (jobs), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (jobs, 0), "url"),
                   ==,
                   "https://www.linkedin.com/jobs/search/?keywords="
                   "Ing%C3%A9nieur%20%C2%AB%20S%C3%A9curit%C3%A9%20%C2%BB%20%26%20R%C3%A9seaux"
                   "%20%231%20%2B%20100%25");
}

static void
assert_no_public_url (JsonObject *object,
                      const char *reason)
{
  JsonObject *reasons = json_object_get_object_member (object, "reasons");

  for (guint i = 0; i < G_N_ELEMENTS (link_keys); i++)
    {
      assert_member_null (object, link_keys[i]);
      assert_member_string (reasons, link_keys[i], reason);
    }
  g_assert_cmpuint (json_object_get_size (reasons), ==, G_N_ELEMENTS (link_keys));
  g_assert_false (json_object_has_member (reasons, "email"));
}

static void
test_signed (Fixture       *fixture,
             gconstpointer  data)
{
  g_autofree char *jws = make_jws (SIGNED_ASSERTION);
  g_autoptr(GBytes) bytes = g_bytes_new (jws, strlen (jws));
  g_autofree char *path = write_file (fixture, "signed.jws", bytes);
  g_autoptr(JsonNode) root = NULL;
  JsonObject *object = run_json (fixture, path, &root);

  assert_no_public_url (object, SIGNED_REASON);
  assert_member_string (object, "email",
                        "mailto:?subject=My%20%E2%80%9CSigned%20%F0%9F%94%8F%20Badge%E2%80%9D%20badge"
                        "%20from%20Example%20Issuer&body=Hello%2C%0D%0A%0D%0AI%20earned%20the%20"
                        "%E2%80%9CSigned%20%F0%9F%94%8F%20Badge%E2%80%9D%20badge%20from%20Example"
                        "%20Issuer.%0D%0A%0D%0AThe%20badge%20image%20holds%20a%20signed%20copy%20of"
                        "%20the%20badge%2C%20which%20any%20Open%20Badges%20verifier%20can%20check."
                        "%0D%0A");
}

static void
test_ob3 (Fixture       *fixture,
          gconstpointer  data)
{
  g_autoptr(GBytes) bytes = g_bytes_new_static (OB3_CREDENTIAL, strlen (OB3_CREDENTIAL));
  g_autofree char *path = write_file (fixture, "credential.json", bytes);
  g_autoptr(JsonNode) root = NULL;
  JsonObject *object = run_json (fixture, path, &root);

  assert_no_public_url (object, OB3_REASON);
}

/* A badge that expires, read from the wallet by its id. */
static void
test_wallet_expiring (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GBytes) png = baked_png (HOSTED_ASSERTION);
  g_autofree char *wallet = g_build_filename (fixture->dir, "badge-wallet", NULL);
  g_autoptr(BwImportResult) result = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *object;

  {
    g_autoptr(BwStore) store = bw_store_open (wallet, &error);

    g_assert_no_error (error);
    result = bw_store_add_bytes (store, png, "hosted.png", &error);
    g_assert_no_error (error);
    g_assert_cmpint (result->status, ==, BW_IMPORT_ADDED);
    g_assert_nonnull (result->wallet_id);
  }

  object = run_json (fixture, result->wallet_id, &root);
  assert_member_string (object, "input", result->wallet_id);
  assert_member_string (object, "linkedin-profile", HOSTED_LINKEDIN_PROFILE);
  g_assert_nonnull (strstr (HOSTED_LINKEDIN_PROFILE, "&expirationYear=2026&expirationMonth=7&"));
  assert_member_string (object, "public-url", HOSTED_PUBLIC_URL);
}

static void
test_human (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(GBytes) png = baked_png (HOSTED_ASSERTION);
  g_autofree char *path = write_file (fixture, "hosted.png", png);
  const char *args[] = { "share", path, NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  g_assert_cmpint (run (fixture, args, &out, &err), ==, 0);
  g_assert_true (g_str_has_prefix (out, "Ingénieur « Sécurité » & Réseaux #1 + 100%\n\n"
                                        "Public link\n  " HOSTED_PUBLIC_URL "\n\n"
                                        "Add to LinkedIn profile\n  " HOSTED_LINKEDIN_PROFILE "\n\n"));
}

static void
test_errors (Fixture       *fixture,
             gconstpointer  data)
{
  g_autofree char *missing = g_build_filename (fixture->dir, "missing.png", NULL);
  g_autofree char *text_path = NULL;
  g_autoptr(GBytes) text = g_bytes_new_static ("not a badge\n", 12);
  static const char unknown_id[] =
    "0000000000000000000000000000000000000000000000000000000000000000";
  const struct
  {
    const char *args[5];
    int status;
    const char *stderr_contains;
  } cases[] = {
    { { "share", NULL }, 2, "no badge id or file given" },
    { { "share", "--json", NULL }, 2, "no badge id or file given" },
    { { "share", "--bogus", "x", NULL }, 2, "--bogus" },
    { { "share", "a", "b", NULL }, 2, "not several" },
    { { "share", "--json", missing, NULL }, 1, "missing.png" },
    { { "share", "--json", unknown_id, NULL }, 1, unknown_id },
  };

  text_path = write_file (fixture, "text.txt", text);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *out = NULL;
      g_autofree char *err = NULL;

      g_test_message ("case %u", i);
      g_assert_cmpint (run (fixture, cases[i].args, &out, &err), ==, cases[i].status);
      g_assert_cmpstr (out, ==, "");
      g_assert_nonnull (strstr (err, cases[i].stderr_contains));
    }

  {
    const char *args[] = { "share", "--json", text_path, NULL };
    g_autofree char *out = NULL;
    g_autofree char *err = NULL;

    g_assert_cmpint (run (fixture, args, &out, &err), ==, 1);
    g_assert_cmpstr (out, ==, "");
    g_assert_true (g_str_has_prefix (err, "badge-wallet: "));
  }
}

static void
test_help (Fixture       *fixture,
           gconstpointer  data)
{
  const char *args[] = { "share", "--help", NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  g_assert_cmpint (run (fixture, args, &out, &err), ==, 0);
  g_assert_nonnull (strstr (out, "“reasons”"));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/cli-share/hosted", test_hosted);
  ADD ("/cli-share/signed", test_signed);
  ADD ("/cli-share/ob3", test_ob3);
  ADD ("/cli-share/wallet-expiring", test_wallet_expiring);
  ADD ("/cli-share/human", test_human);
  ADD ("/cli-share/errors", test_errors);
  ADD ("/cli-share/help", test_help);

#undef ADD

  return g_test_run ();
}
