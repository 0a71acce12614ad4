/* test-cli-verify.c
 *
 * Copyright 2026 The Badge Wallet authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-cli-verify"

#include "config.h"

#include <string.h>
#include <glib/gstdio.h>

#include "bw-baked.h"
#include "bw-test-issuer.h"
#include "bw-util.h"
#include "verify-fixtures.h"

typedef struct
{
  BwTestIssuer *issuer;
  char         *tmpdir;
  char         *issuer_url;
  char         *class_url;
  char         *image_url;
} Fixture;

static void
fixture_set_up (Fixture       *fx,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  if (g_getenv ("BW_BADGE_WALLET") == NULL)
    {
      g_test_skip ("BW_BADGE_WALLET is not set");
      return;
    }
  fx->issuer = bw_test_issuer_new (&error);
  g_assert_no_error (error);
  fx->tmpdir = g_dir_make_tmp ("bw-cli-verify-XXXXXX", &error);
  g_assert_no_error (error);
  fx->image_url = vf_publish_image (fx->issuer, 0, "/badges/robotics.png");
  fx->issuer_url = vf_publish_issuer (fx->issuer, 0, "/issuer.json", NULL);
  fx->class_url = vf_publish_badge_class (fx->issuer, 0, "/badges/robotics.json",
                                          fx->issuer_url, fx->image_url);
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir != NULL)
    {
      while ((name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
            remove_tree (child);
          else
            g_unlink (child);
        }
    }
  g_rmdir (path);
}

static void
fixture_tear_down (Fixture       *fx,
                   gconstpointer  data)
{
  g_clear_pointer (&fx->issuer, bw_test_issuer_free);
  if (fx->tmpdir != NULL)
    remove_tree (fx->tmpdir);
  g_free (fx->tmpdir);
  g_free (fx->issuer_url);
  g_free (fx->class_url);
  g_free (fx->image_url);
}

/* Runs the CLI with @args (NULL-terminated, after "verify") and returns its
 * exit status, standard output and standard error. */
static int
run_verify (Fixture     *fx,
            const char  *stdin_text,
            char       **out,
            char       **err,
            ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *cache = g_build_filename (fx->tmpdir, "cache", NULL);
  g_autofree char *data_home = g_build_filename (fx->tmpdir, "data", NULL);
  const char *arg;
  va_list args;

  g_ptr_array_add (argv, (char *)g_getenv ("BW_BADGE_WALLET"));
  g_ptr_array_add (argv, (char *)"verify");
  va_start (args, err);
  while ((arg = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (argv, (char *)arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                        G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_setenv (launcher, "XDG_CACHE_HOME", cache, TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", data_home, TRUE);
  g_subprocess_launcher_setenv (launcher, "LC_ALL", "C.UTF-8", TRUE);
  g_subprocess_launcher_unsetenv (launcher, "LANGUAGE");
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *)argv->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, stdin_text != NULL ? stdin_text : "", NULL, out, err, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  return g_subprocess_get_exit_status (process);
}

static GPtrArray *
parse_lines (const char *out)
{
  GPtrArray *objects = g_ptr_array_new_with_free_func ((GDestroyNotify)json_node_unref);
  g_auto(GStrv) lines = g_strsplit (out, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autoptr(GError) error = NULL;
      JsonNode *node;

      if (lines[i][0] == '\0')
        continue;
      node = bw_json_parse (lines[i], -1, &error);
      g_assert_no_error (error);
      g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
      g_ptr_array_add (objects, node);
    }
  return objects;
}

static JsonObject *
line_object (GPtrArray *lines,
             guint      i)
{
  g_assert_cmpuint (i, <, lines->len);
  return json_node_get_object (g_ptr_array_index (lines, i));
}

static char *
write_file (Fixture    *fx,
            const char *name,
            GBytes     *bytes)
{
  char *path = g_build_filename (fx->tmpdir, name, NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, g_bytes_get_data (bytes, NULL), (gssize)g_bytes_get_size (bytes), &error);
  g_assert_no_error (error);
  return path;
}

/* A hosted badge baked into a PNG file, at @path on @origin. */
static char *
make_badge_file (Fixture    *fx,
                 guint       origin,
                 const char *path,
                 const char *name,
                 const char *extra)
{
  g_autofree char *url = g_strconcat (bw_test_issuer_get_url (fx->issuer, origin), path, NULL);
  g_autofree char *json = vf_assertion_json (url, fx->class_url, NULL, NULL, extra);
  g_autoptr(GBytes) png = vf_make_png ();
  g_autoptr(GBytes) baked = NULL;
  g_autoptr(GError) error = NULL;

  bw_test_issuer_add_json (fx->issuer, origin, path, json);
  baked = bw_baked_bake_png (png, "openbadges", url, &error);
  g_assert_no_error (error);
  return write_file (fx, name, baked);
}

static const char *
check_status (JsonObject *object,
              const char *id)
{
  JsonArray *checks = json_object_get_array_member (object, "checks");

  for (guint i = 0; i < json_array_get_length (checks); i++)
    {
      JsonObject *check = json_array_get_object_element (checks, i);

      if (g_strcmp0 (json_object_get_string_member (check, "id"), id) == 0)
        return json_object_get_string_member (check, "status");
    }
  return NULL;
}

static void
test_valid_json (Fixture       *fx,
                 gconstpointer  data)
{
  g_autofree char *file = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GPtrArray) lines = NULL;
  JsonObject *object, *badge, *recipient;
  JsonArray *checks;
  int status;

  if (fx->issuer == NULL)
    return;
  file = make_badge_file (fx, 0, "/assertions/1.json", "candidate.png", NULL);
  status = run_verify (fx, NULL, &out, &err, "--json", "--allow-local",
                       "--email", VF_EMAIL, file, NULL);
  g_assert_cmpint (status, ==, 0);
  lines = parse_lines (out);
  g_assert_cmpuint (lines->len, ==, 1);
  object = line_object (lines, 0);
  g_assert_cmpstr (json_object_get_string_member (object, "input"), ==, file);
  g_assert_cmpstr (json_object_get_string_member (object, "verdict"), ==, "valid");
  g_assert_cmpstr (json_object_get_string_member (object, "spec"), ==, "2.0");
  g_assert_cmpstr (json_object_get_string_member (object, "verification"), ==, "hosted");
  badge = json_object_get_object_member (object, "badge");
  g_assert_nonnull (badge);
  g_assert_cmpstr (json_object_get_string_member (badge, "name"), ==, "Robotics");
  g_assert_cmpstr (json_object_get_string_member (badge, "issued"), ==, "2024-03-12T00:00:00Z");
  g_assert_true (json_node_is_null (json_object_get_member (badge, "expires")));
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (badge, "issuer"), "name"),
                   ==, "Example Issuer");
  recipient = json_object_get_object_member (object, "recipient");
  g_assert_cmpstr (json_object_get_string_member (recipient, "type"), ==, "email");
  g_assert_true (json_object_get_boolean_member (recipient, "hashed"));
  g_assert_cmpstr (json_object_get_string_member (recipient, "match"), ==, "match");
  checks = json_object_get_array_member (object, "checks");
  g_assert_cmpuint (json_array_get_length (checks), >, 5);
  for (guint i = 0; i < json_array_get_length (checks); i++)
    {
      JsonObject *check = json_array_get_object_element (checks, i);
      const char *id = json_object_get_string_member (check, "id");

      for (const char *p = id; *p != '\0'; p++)
        g_assert_true (g_ascii_islower (*p) || *p == '-');
      g_assert_nonnull (json_object_get_string_member (check, "message"));
    }
  g_assert_cmpstr (check_status (object, "payload"), ==, "pass");
  g_assert_cmpstr (check_status (object, "recipient"), ==, "pass");
}

static void
test_human (Fixture       *fx,
            gconstpointer  data)
{
  g_autofree char *file = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status;

  if (fx->issuer == NULL)
    return;
  file = make_badge_file (fx, 0, "/assertions/h.json", "candidate.png", NULL);
  status = run_verify (fx, NULL, &out, &err, "--allow-local", "--email", VF_EMAIL, file, NULL);
  g_assert_cmpint (status, ==, 0);
  g_assert_nonnull (strstr (out, "Valid — issued by Example Issuer to the e-mail you entered, 12 March 2024"));
  g_assert_nonnull (strstr (out, "recipient"));
  /* The verdict comes before the checks. */
  g_assert_true (strstr (out, "Valid —") < strstr (out, "payload"));
}

static void
test_exit_codes (Fixture       *fx,
                 gconstpointer  data)
{
  g_autofree char *valid = NULL;
  g_autofree char *expired = NULL;
  g_autofree char *revoked = NULL;
  g_autofree char *unreachable = NULL;
  g_autofree char *revoked_url = NULL;
  g_autoptr(GBytes) png = NULL;
  g_autoptr(GBytes) baked = NULL;
  g_autoptr(GError) error = NULL;
  BwTestIssuer *gone;
  struct {
    const char *label;
    const char *inputs[4];
    const char *email;
    int status;
  } cases[] = {
    { "valid", { NULL }, NULL, 0 },
    { "valid, mismatched e-mail", { NULL }, "somebody@example.org", 1 },
    { "expired", { NULL }, NULL, 1 },
    { "revoked", { NULL }, NULL, 1 },
    { "unreachable", { NULL }, NULL, 3 },
    { "valid and unreachable", { NULL }, NULL, 3 },
    { "unreachable and expired", { NULL }, NULL, 1 },
  };

  if (fx->issuer == NULL)
    return;
  valid = make_badge_file (fx, 0, "/assertions/v.json", "valid.png", NULL);
  expired = make_badge_file (fx, 0, "/assertions/e.json", "expired.png",
                             ", \"expires\": \"2025-01-01T00:00:00Z\"");
  revoked_url = g_strconcat (bw_test_issuer_get_url (fx->issuer, 0), "/assertions/r.json", NULL);
  bw_test_issuer_add_revoked (fx->issuer, 0, "/assertions/r.json", NULL);
  png = vf_make_png ();
  baked = bw_baked_bake_png (png, "openbadges", revoked_url, &error);
  g_assert_no_error (error);
  revoked = write_file (fx, "revoked.png", baked);

  gone = bw_test_issuer_new (&error);
  g_assert_no_error (error);
  {
    g_autofree char *url = g_strconcat (bw_test_issuer_get_url (gone, 0), "/a.json", NULL);
    g_autoptr(GBytes) baked_gone = bw_baked_bake_png (png, "openbadges", url, &error);

    g_assert_no_error (error);
    unreachable = write_file (fx, "unreachable.png", baked_gone);
  }
  bw_test_issuer_free (gone);

  cases[0].inputs[0] = valid;
  cases[1].inputs[0] = valid;
  cases[2].inputs[0] = expired;
  cases[3].inputs[0] = revoked;
  cases[4].inputs[0] = unreachable;
  cases[5].inputs[0] = valid;
  cases[5].inputs[1] = unreachable;
  cases[6].inputs[0] = unreachable;
  cases[6].inputs[1] = expired;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *out = NULL;
      g_autofree char *err = NULL;
      g_autoptr(GPtrArray) lines = NULL;
      const char *email = cases[i].email != NULL ? cases[i].email : VF_EMAIL;
      int status;

      g_test_message ("%s", cases[i].label);
      status = run_verify (fx, NULL, &out, &err, "--json", "--allow-local", "--timeout", "10",
                           "--email", email,
                           cases[i].inputs[0], cases[i].inputs[1], NULL);
      g_assert_cmpint (status, ==, cases[i].status);
      lines = parse_lines (out);
      g_assert_cmpuint (lines->len, ==, cases[i].inputs[1] != NULL ? 2 : 1);
    }
}

static void
test_input_order (Fixture       *fx,
                  gconstpointer  data)
{
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) lines = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) argv = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *cache = NULL;
  const guint n = 12;

  if (fx->issuer == NULL)
    return;
  /* Every fourth input fails fast while the others take the full path, so
   * results complete out of order and must still be printed in order. */
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *path = g_strdup_printf ("/assertions/order-%u.json", i);
      g_autofree char *name = g_strdup_printf ("order-%u.png", i);

      g_ptr_array_add (files, make_badge_file (fx, 0, path, name, NULL));
      if (i % 4 == 0)
        bw_test_issuer_set_fault (fx->issuer, 0, path, BW_TEST_FAULT_ERROR_500);
    }

  g_strv_builder_add_many (builder, g_getenv ("BW_BADGE_WALLET"), "verify", "--json",
                           "--allow-local", "--jobs", "4", NULL);
  for (guint i = 0; i < n; i++)
    g_strv_builder_add (builder, g_ptr_array_index (files, i));
  argv = g_strv_builder_end (builder);

  cache = g_build_filename (fx->tmpdir, "cache", NULL);
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_setenv (launcher, "XDG_CACHE_HOME", cache, TRUE);
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *)argv, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &out, &err, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 3);

  lines = parse_lines (out);
  g_assert_cmpuint (lines->len, ==, n);
  for (guint i = 0; i < n; i++)
    {
      JsonObject *object = line_object (lines, i);

      g_assert_cmpstr (json_object_get_string_member (object, "input"), ==, g_ptr_array_index (files, i));
      g_assert_cmpstr (json_object_get_string_member (object, "verdict"), ==,
                       i % 4 == 0 ? "unreachable" : "valid");
    }
}

static void
test_not_a_badge (Fixture       *fx,
                  gconstpointer  data)
{
  g_autoptr(GBytes) png = NULL;
  g_autoptr(GBytes) broken = g_bytes_new_static ("{\"broken\": ", 11);
  g_autofree char *plain = NULL;
  g_autofree char *json = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GPtrArray) lines = NULL;
  int status;

  if (fx->issuer == NULL)
    return;
  png = vf_make_png ();
  plain = write_file (fx, "plain.png", png);
  json = write_file (fx, "broken.json", broken);
  status = run_verify (fx, NULL, &out, &err, "--json", plain, json, NULL);
  g_assert_cmpint (status, ==, 1);
  lines = parse_lines (out);
  g_assert_cmpuint (lines->len, ==, 2);
  for (guint i = 0; i < 2; i++)
    {
      JsonObject *object = line_object (lines, i);

      g_assert_cmpstr (json_object_get_string_member (object, "verdict"), ==, "invalid");
      g_assert_true (json_node_is_null (json_object_get_member (object, "spec")));
      g_assert_cmpstr (check_status (object, "payload"), ==, "fail");
    }
  g_assert_cmpuint (bw_test_issuer_get_request_count (fx->issuer, NULL), ==, 0);
}

static void
test_stdin (Fixture       *fx,
            gconstpointer  data)
{
  g_autofree char *url = NULL;
  g_autofree char *json = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GPtrArray) lines = NULL;
  int status;

  if (fx->issuer == NULL)
    return;
  url = g_strconcat (bw_test_issuer_get_url (fx->issuer, 0), "/assertions/stdin.json", NULL);
  json = vf_assertion_json (url, fx->class_url, NULL, NULL, NULL);
  bw_test_issuer_add_json (fx->issuer, 0, "/assertions/stdin.json", json);
  status = run_verify (fx, json, &out, &err, "--json", "--allow-local", "-", NULL);
  g_assert_cmpint (status, ==, 0);
  lines = parse_lines (out);
  g_assert_cmpuint (lines->len, ==, 1);
  g_assert_cmpstr (json_object_get_string_member (line_object (lines, 0), "input"), ==, "-");
  g_assert_cmpstr (json_object_get_string_member (line_object (lines, 0), "verdict"), ==, "valid");
}

static void
test_local_refused (Fixture       *fx,
                    gconstpointer  data)
{
  g_autofree char *file = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GPtrArray) lines = NULL;
  int status;

  if (fx->issuer == NULL)
    return;
  file = make_badge_file (fx, 0, "/assertions/local.json", "local.png", NULL);
  status = run_verify (fx, NULL, &out, &err, "--json", file, NULL);
  g_assert_cmpint (status, ==, 3);
  lines = parse_lines (out);
  g_assert_cmpstr (json_object_get_string_member (line_object (lines, 0), "verdict"), ==, "unreachable");
  g_assert_cmpuint (bw_test_issuer_get_request_count (fx->issuer, NULL), ==, 0);

  /* Offline, with nothing cached, nothing is contacted either. */
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  status = run_verify (fx, NULL, &out, &err, "--json", "--offline", "--allow-local", file, NULL);
  g_assert_cmpint (status, ==, 3);
  g_assert_cmpuint (bw_test_issuer_get_request_count (fx->issuer, NULL), ==, 0);
}

static void
test_offline_cached (Fixture       *fx,
                     gconstpointer  data)
{
  g_autofree char *file = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GPtrArray) lines = NULL;
  guint requests;
  int status;

  if (fx->issuer == NULL)
    return;
  file = make_badge_file (fx, 0, "/assertions/cached.json", "cached.png", NULL);
  status = run_verify (fx, NULL, &out, &err, "--json", "--allow-local", file, NULL);
  g_assert_cmpint (status, ==, 0);
  requests = bw_test_issuer_get_request_count (fx->issuer, NULL);
  g_assert_cmpuint (requests, >, 0);

  /* Offline, the cached documents are used, but they cannot show the
   * badge is still valid today. */
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  status = run_verify (fx, NULL, &out, &err, "--json", "--offline", "--allow-local", file, NULL);
  g_assert_cmpint (status, ==, 3);
  lines = parse_lines (out);
  g_assert_cmpstr (json_object_get_string_member (line_object (lines, 0), "verdict"), ==, "unreachable");
  g_assert_cmpstr (check_status (line_object (lines, 0), "offline"), ==, "skip");
  g_assert_cmpstr (check_status (line_object (lines, 0), "assertion"), ==, "pass");
  g_assert_cmpuint (bw_test_issuer_get_request_count (fx->issuer, NULL), ==, requests);
}

static void
test_map_url (Fixture       *fx,
              gconstpointer  data)
{
  const char *base = NULL;
  g_autofree char *map = NULL;
  g_autofree char *class_json = NULL;
  g_autofree char *issuer_json = NULL;
  g_autofree char *json = NULL;
  g_autofree char *file = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GPtrArray) lines = NULL;
  int status;

  if (fx->issuer == NULL)
    return;
  base = bw_test_issuer_get_url (fx->issuer, 0);
  /* Documents that name a public host, served from loopback. */
  issuer_json = g_strdup ("{\"@context\": \"https://w3id.org/openbadges/v2\", \"type\": \"Profile\", "
                          "\"id\": \"https://issuer.example/issuer.json\", \"name\": \"Mapped Issuer\", "
                          "\"url\": \"https://issuer.example\", \"email\": \"b@issuer.example\"}");
  class_json = g_strdup ("{\"@context\": \"https://w3id.org/openbadges/v2\", \"type\": \"BadgeClass\", "
                         "\"id\": \"https://issuer.example/badge.json\", \"name\": \"Mapped\", "
                         "\"description\": \"d\", \"image\": \"https://issuer.example/badge.png\", "
                         "\"criteria\": {\"narrative\": \"n\"}, \"issuer\": \"https://issuer.example/issuer.json\"}");
  json = vf_assertion_json ("https://issuer.example/assertion.json", "https://issuer.example/badge.json",
                            NULL, NULL, NULL);
  bw_test_issuer_add_json (fx->issuer, 0, "/mapped/issuer.json", issuer_json);
  bw_test_issuer_add_json (fx->issuer, 0, "/mapped/badge.json", class_json);
  bw_test_issuer_add_json (fx->issuer, 0, "/mapped/assertion.json", json);
  g_free (vf_publish_image (fx->issuer, 0, "/mapped/badge.png"));
  bytes = g_bytes_new (json, strlen (json));
  file = write_file (fx, "mapped.json", bytes);
  map = g_strdup_printf ("https://issuer.example/=%s/mapped/", base);

  status = run_verify (fx, NULL, &out, &err, "--json", "--allow-local", "--map-url", map, file, NULL);
  g_assert_cmpint (status, ==, 0);
  lines = parse_lines (out);
  g_assert_cmpstr (json_object_get_string_member (line_object (lines, 0), "verdict"), ==, "valid");
  g_assert_cmpuint (bw_test_issuer_get_request_count (fx->issuer, "/mapped/assertion.json"), ==, 1);
}

static void
test_identity (Fixture       *fx,
               gconstpointer  data)
{
  g_autofree char *file = NULL;
  struct {
    const char *identity;
    const char *match;
    int status;
  } cases[] = {
    { "email:" VF_EMAIL, "match", 0 },
    { "email:somebody@example.org", "mismatch", 1 },
    { "url:https://example.org/people/nobody", "unknown", 0 },
  };

  if (fx->issuer == NULL)
    return;
  file = make_badge_file (fx, 0, "/assertions/identity.json", "identity.png", NULL);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *out = NULL;
      g_autofree char *err = NULL;
      g_autoptr(GPtrArray) lines = NULL;
      JsonObject *recipient;
      int status;

      g_test_message ("--identity %s", cases[i].identity);
      status = run_verify (fx, NULL, &out, &err, "--json", "--allow-local",
                           "--identity", cases[i].identity, file, NULL);
      g_assert_cmpint (status, ==, cases[i].status);
      lines = parse_lines (out);
      recipient = json_object_get_object_member (line_object (lines, 0), "recipient");
      g_assert_cmpstr (json_object_get_string_member (recipient, "match"), ==, cases[i].match);
    }
}

static void
test_usage (Fixture       *fx,
            gconstpointer  data)
{
  struct {
    const char *args[4];
  } cases[] = {
    { { NULL } },
    { { "--no-such-option", "x.png", NULL } },
    { { "--jobs", "0", "x.png", NULL } },
    { { "--timeout", "-1", "x.png", NULL } },
    { { "--identity", "nonsense", "x.png", NULL } },
    { { "--map-url", "nonsense", "x.png", NULL } },
    { { "--email", "not-an-address", "x.png", NULL } },
  };

  if (fx->issuer == NULL)
    return;
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *out = NULL;
      g_autofree char *err = NULL;
      int status;

      g_test_message ("usage case %u", i);
      status = run_verify (fx, NULL, &out, &err, cases[i].args[0], cases[i].args[1],
                           cases[i].args[2], cases[i].args[3], NULL);
      g_assert_cmpint (status, ==, 2);
      g_assert_cmpstr (out, ==, "");
      g_assert_cmpstr (err, !=, "");
    }
}

static void
test_help (Fixture       *fx,
           gconstpointer  data)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status;

  if (fx->issuer == NULL)
    return;
  status = run_verify (fx, NULL, &out, &err, "--help", NULL);
  g_assert_cmpint (status, ==, 0);
  for (guint i = 0; i < 8; i++)
    {
      const char *options[] = { "--email", "--identity", "--json", "--offline", "--allow-local",
                                "--map-url", "--timeout", "--jobs" };

      g_assert_nonnull (strstr (out, options[i]));
    }
}

/* A minimal well-formed OB 3.0 credential with an embedded proof, with
 * the given context, subject type and validity members. */
static char *
credential_json (const char *context,
                 const char *subject_type,
                 const char *dates)
{
  return g_strdup_printf (
    "{\"@context\":%s,"
    "\"id\":\"https://issuer.example/credentials/1\","
    "\"type\":[\"VerifiableCredential\",\"OpenBadgeCredential\"],"
    "\"issuer\":{\"id\":\"https://issuer.example/\",\"type\":[\"Profile\"],\"name\":\"Ex\"},"
    "%s,\"name\":\"Teamwork\","
    "\"credentialSubject\":{\"id\":\"did:example:1\",\"type\":[\"%s\"],"
    "\"identifier\":[{\"type\":\"IdentityObject\",\"hashed\":false,"
    "\"identityHash\":\"a@example.org\",\"identityType\":\"emailAddress\"}],"
    "\"achievement\":{\"id\":\"https://issuer.example/a/1\",\"type\":[\"Achievement\"],"
    "\"name\":\"Teamwork\",\"description\":\"Works in teams.\","
    "\"criteria\":{\"narrative\":\"Nominated by peers.\"}}},"
    "\"proof\":{\"type\":\"DataIntegrityProof\",\"cryptosuite\":\"eddsa-rdfc-2022\","
    "\"verificationMethod\":\"https://issuer.example/#z6Mk\",\"proofPurpose\":\"assertionMethod\","
    "\"proofValue\":\"z1\"}}",
    context, dates, subject_type);
}

static void
test_ob3_shape (Fixture       *fx,
                gconstpointer  data)
{
  const char *ok_context = "[\"https://www.w3.org/ns/credentials/v2\","
                           "\"https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json\"]";
  const char *ob_only = "[\"https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json\"]";
  const char *past = "\"validFrom\":\"2010-01-01T00:00:00Z\"";
  struct {
    const char *context;
    const char *subject_type;
    const char *dates;
    const char *verdict;
    const char *failing;
  } cases[] = {
    { ok_context, "AchievementSubject", past, "unreachable", NULL },
    { ob_only, "AchievementSubject", past, "invalid", "context" },
    { ok_context, "InvalidAchievementSubject", past, "invalid", "structure" },
    { ok_context, "AchievementSubject", "\"validFrom\":\"2100-01-01T00:00:00Z\"", "invalid",
      "issued-date" },
    { ok_context, "AchievementSubject",
      "\"validFrom\":\"2010-01-01T00:00:00Z\",\"validUntil\":\"2011-01-01T00:00:00Z\"", "expired",
      "expiry" },
    { ok_context, "AchievementSubject", "\"issuanceDate\":\"2010-01-01T00:00:00Z\"", "invalid",
      "structure" },
  };

  if (fx->issuer == NULL)
    return;
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *json = credential_json (cases[i].context, cases[i].subject_type,
                                               cases[i].dates);
      g_autoptr(GBytes) bytes = g_bytes_new (json, strlen (json));
      g_autofree char *name = g_strdup_printf ("credential-%u.json", i);
      g_autofree char *path = write_file (fx, name, bytes);
      g_autofree char *out = NULL;
      g_autofree char *err = NULL;
      g_autoptr(GPtrArray) lines = NULL;
      JsonObject *object;
      int status;

      g_test_message ("OB 3.0 shape case %u", i);
      status = run_verify (fx, NULL, &out, &err, "--json", "--offline", path, NULL);
      lines = parse_lines (out);
      object = line_object (lines, 0);
      g_assert_cmpstr (json_object_get_string_member (object, "verdict"), ==, cases[i].verdict);
      g_assert_cmpint (status, ==, g_str_equal (cases[i].verdict, "unreachable") ? 3 : 1);
      if (cases[i].failing != NULL)
        g_assert_cmpstr (check_status (object, cases[i].failing), ==, "fail");
      else
        {
          g_assert_cmpstr (check_status (object, "context"), ==, "pass");
          g_assert_cmpstr (check_status (object, "type"), ==, "pass");
          g_assert_cmpstr (check_status (object, "structure"), ==, "pass");
          g_assert_cmpstr (check_status (object, "proof"), ==, "skip");
        }
    }
}

static void
test_stdin_too_large (Fixture       *fx,
                      gconstpointer  data)
{
  /* One byte over the limit of standard input. */
  gsize size = 32 * 1024 * 1024 + 1;
  g_autofree char *big = g_malloc (size + 1);
  g_autofree char *json = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GPtrArray) lines = NULL;
  JsonObject *object;
  int status;

  if (fx->issuer == NULL)
    return;
  memset (big, ' ', size);
  big[size] = '\0';
  bytes = g_bytes_new_static ("{\"a\":1}", 7);
  json = write_file (fx, "other.json", bytes);
  status = run_verify (fx, big, &out, &err, "--json", "--offline", json, "-", NULL);
  g_assert_cmpint (status, ==, 1);
  lines = parse_lines (out);
  g_assert_cmpuint (lines->len, ==, 2);
  g_assert_cmpstr (json_object_get_string_member (line_object (lines, 0), "input"), ==, json);
  object = line_object (lines, 1);
  g_assert_cmpstr (json_object_get_string_member (object, "input"), ==, "-");
  g_assert_cmpstr (json_object_get_string_member (object, "verdict"), ==, "invalid");
  g_assert_cmpstr (check_status (object, "payload"), ==, "fail");
  g_assert_nonnull (strstr (out, "too large"));
}

static void
test_invalid_utf8_name (Fixture       *fx,
                        gconstpointer  data)
{
  g_autoptr(GBytes) bytes = g_bytes_new_static ("{\"a\":1}", 7);
  g_autofree char *path = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GPtrArray) lines = NULL;
  const char *input;

  if (fx->issuer == NULL)
    return;
  path = write_file (fx, "bad\xff\xfe.json", bytes);
  run_verify (fx, NULL, &out, &err, "--json", "--offline", path, NULL);
  g_assert_true (g_utf8_validate (out, -1, NULL));
  lines = parse_lines (out);
  input = json_object_get_string_member (line_object (lines, 0), "input");
  g_assert_true (g_str_has_suffix (input, "bad\xef\xbf\xbd\xef\xbf\xbd.json"));
}

static const char *
check_message (JsonObject *object,
               const char *id)
{
  JsonArray *checks = json_object_get_array_member (object, "checks");

  for (guint i = 0; i < json_array_get_length (checks); i++)
    {
      JsonObject *check = json_array_get_object_element (checks, i);

      if (g_strcmp0 (json_object_get_string_member (check, "id"), id) == 0)
        return json_object_get_string_member (check, "message");
    }
  return NULL;
}

static void
test_not_a_badge_messages (Fixture       *fx,
                           gconstpointer  data)
{
  g_autoptr(GString) deep_object = g_string_new (NULL);
  g_autoptr(GString) deep_array = g_string_new (NULL);
  g_autofree char *folder = NULL;
  g_autofree char *html_url = NULL;
  struct {
    const char *name;
    const char *text;
    const char *expected;
  } cases[] = {
    { "object.json", "{\"a\":1}", "is JSON, but not an Open Badges assertion or credential" },
    { "list.json", "[1,2]", "is JSON, but not an Open Badges assertion or credential" },
    { "deep-object.json", NULL, "nested deeper than" },
    { "deep-array.json", NULL, "nested deeper than" },
  };

  if (fx->issuer == NULL)
    return;
  for (guint i = 0; i < 200; i++)
    {
      g_string_append (deep_object, "{\"a\":");
      g_string_append_c (deep_array, '[');
    }
  g_string_append_c (deep_object, '1');
  g_string_append_c (deep_array, '1');
  for (guint i = 0; i < 200; i++)
    {
      g_string_append_c (deep_object, '}');
      g_string_append_c (deep_array, ']');
    }
  cases[2].text = deep_object->str;
  cases[3].text = deep_array->str;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (cases[i].text, strlen (cases[i].text));
      g_autofree char *path = write_file (fx, cases[i].name, bytes);
      g_autofree char *out = NULL;
      g_autofree char *err = NULL;
      g_autoptr(GPtrArray) lines = NULL;
      const char *message;

      g_test_message ("not-a-badge case %s", cases[i].name);
      g_assert_cmpint (run_verify (fx, NULL, &out, &err, "--json", "--offline", path, NULL), ==, 1);
      lines = parse_lines (out);
      message = check_message (line_object (lines, 0), "payload");
      g_assert_nonnull (strstr (message, cases[i].expected));
      g_assert_null (strstr (message, "holds Open Badges data"));
      g_assert_null (strstr (message, "not a PNG"));
    }

  /* A folder. */
  folder = g_build_filename (fx->tmpdir, "a-folder", NULL);
  g_assert_cmpint (g_mkdir (folder, 0700), ==, 0);
  {
    g_autofree char *out = NULL;
    g_autofree char *err = NULL;
    g_autoptr(GPtrArray) lines = NULL;

    g_assert_cmpint (run_verify (fx, NULL, &out, &err, "--json", "--offline", folder, NULL), ==, 1);
    lines = parse_lines (out);
    g_assert_nonnull (strstr (check_message (line_object (lines, 0), "payload"), "is a folder"));
  }

  /* A URL answering with a web page. */
  {
    g_autoptr(GBytes) page = g_bytes_new_static ("<!DOCTYPE html><html><body>Hi</body></html>", 43);
    g_autofree char *out = NULL;
    g_autofree char *err = NULL;
    g_autoptr(GPtrArray) lines = NULL;

    bw_test_issuer_add (fx->issuer, 0, "/page", "text/html", page);
    html_url = g_strconcat (bw_test_issuer_get_url (fx->issuer, 0), "/page", NULL);
    g_assert_cmpint (run_verify (fx, NULL, &out, &err, "--json", "--allow-local", html_url, NULL),
                     ==, 1);
    lines = parse_lines (out);
    g_assert_nonnull (strstr (check_message (line_object (lines, 0), "assertion"), "web page"));
  }
}

static void
test_help_usage_line (Fixture       *fx,
                      gconstpointer  data)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  if (fx->issuer == NULL)
    return;
  g_assert_cmpint (run_verify (fx, NULL, &out, &err, "--help", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "verify [OPTION…] INPUT…\n"));
  g_assert_null (strstr (out, "INPUT… INPUT…"));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/cli-verify/valid-json", test_valid_json);
  ADD ("/cli-verify/human", test_human);
  ADD ("/cli-verify/exit-codes", test_exit_codes);
  ADD ("/cli-verify/input-order", test_input_order);
  ADD ("/cli-verify/not-a-badge", test_not_a_badge);
  ADD ("/cli-verify/stdin", test_stdin);
  ADD ("/cli-verify/local-refused", test_local_refused);
  ADD ("/cli-verify/map-url", test_map_url);
  ADD ("/cli-verify/offline-cached", test_offline_cached);
  ADD ("/cli-verify/identity", test_identity);
  ADD ("/cli-verify/usage", test_usage);
  ADD ("/cli-verify/help", test_help);
  ADD ("/cli-verify/ob3-shape", test_ob3_shape);
  ADD ("/cli-verify/stdin-too-large", test_stdin_too_large);
  ADD ("/cli-verify/invalid-utf8-name", test_invalid_utf8_name);
  ADD ("/cli-verify/not-a-badge-messages", test_not_a_badge_messages);
  ADD ("/cli-verify/help-usage-line", test_help_usage_line);

  return g_test_run ();
}
