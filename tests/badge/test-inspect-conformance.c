/* test-inspect-conformance.c
 *
 * Copyright 2026 The Badge Wallet authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-inspect-conformance"

#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <locale.h>
#include <string.h>

/* Runs `badge-wallet inspect --json` over the conformance fixtures that the
 * folder's README describes, and checks each file's payload and badge, or
 * its error, against what the README (and the wallet rules of
 * open-badges.md §1) say it holds. */

typedef struct
{
  const char *path;
  const char *kind;          /* payload kind, or NULL when an error is expected */
  const char *source;
  const char *spec;
  const char *verification;
  const char *member;        /* a member of "badge" to check ... */
  const char *value;         /* ... and its value */
  const char *error;         /* a part of the expected error */
} Expectation;

#define BETH "https://example.org/beths-robotics-badge.json"

static const Expectation expectations[] = {
  /* Baked-image fixtures. */
  { "1edtech-dc-public-validator/ob20/simple-badge.png",
    "json", "iTXt", "2.0", "hosted", "id", BETH, NULL },
  { "1edtech-dc-public-validator/ob30/simple-json.png",
    "json", "iTXt", "3.0", "proof", "name", "Teamwork", NULL },
  { "1edtech-dc-public-validator/ob30/simple-jwt.png",
    "vc-jwt", "iTXt", "3.0", "proof", "name", "Teamwork", NULL },
  { "1edtech-dc-public-validator/ob30/simple-jwt_v1.png",
    "vc-jwt", "iTXt", "3.0", "proof", "name", "Teamwork", NULL },
  { "1edtech-dc-public-validator/ob30/simple-json.svg",
    "json", "svg:credential", "3.0", "proof", "name", "Teamwork", NULL },
  { "1edtech-dc-public-validator/ob30/simple-jwt.svg",
    "vc-jwt", "svg:credential", "3.0", "proof", "name", "Teamwork", NULL },
  { "1edtech-dc-public-validator/ob30/simple-jwt_v1.svg",
    "vc-jwt", "svg:credential", "3.0", "proof", "name", "Teamwork", NULL },
  { "openbadges-bakery-python/baked_heart.png",
    "json", "iTXt", "1.0", "hosted", "id", "http://example.org/badgeinstance1", NULL },
  { "openbadges-bakery-python/baked_example.svg",
    "json", "svg:assertion", NULL, "hosted", "pendingUrl", "https://example.org/assertion.json", NULL },
  { "openbadges-bakery-python/public_domain_heart.png",
    NULL, NULL, NULL, NULL, NULL, NULL, "no Open Badges data" },
  { "openbadges-bakery-python/unbaked_example.svg",
    NULL, NULL, NULL, NULL, NULL, NULL, "no Open Badges data" },
  { "openbadges-bakery-python/generated/heart-baked-jws.png",
    "jws", "iTXt", "2.0", "signed", "id", BETH, NULL },
  { "openbadges-bakery-python/generated/heart-baked-ob20-json.png",
    "json", "iTXt", "2.0", "hosted", "id", BETH, NULL },
  { "openbadges-bakery-python/generated/heart-rebaked-json-then-jws.png",
    "jws", "iTXt", "2.0", "signed", "id", BETH, NULL },
  { "openbadges-bakery-python/generated/svg-baked-ob20-json.svg",
    "json", "svg:assertion", "2.0", "hosted", "id", BETH, NULL },
  { "openbadges-bakery-python/generated/svg-baked-jws.svg",
    "jws", "svg:assertion", "2.0", "signed", "id", BETH, NULL },
  { "mozilla-openbadges-bakery/unbaked.png",
    NULL, NULL, NULL, NULL, NULL, NULL, "no Open Badges data" },
  { "mozilla-openbadges-bakery/unbaked.svg",
    NULL, NULL, NULL, NULL, NULL, NULL, "no Open Badges data" },
  { "mozilla-openbadges-bakery/baked.svg",
    "json", "svg:assertion", NULL, "hosted", "pendingUrl", "http://example.org", NULL },
  { "mozilla-openbadges-bakery/no-json.svg",
    "url", "svg:assertion", NULL, "hosted", "pendingUrl", "http://example.org", NULL },
  { "mozilla-openbadges-bakery/bad-json.svg",
    "url", "svg:assertion", NULL, "hosted", "pendingUrl", "http://example.org", NULL },
  { "mozilla-openbadges-bakery/generated/baked-url.svg",
    "url", "svg:assertion", NULL, "hosted", "pendingUrl", BETH, NULL },
  { "mozilla-openbadges-bakery/generated/baked-signature.svg",
    "jws", "svg:assertion", "2.0", "signed", "id", BETH, NULL },
  { "mozilla-openbadges-bakery/generated/baked-assertion-and-url.svg",
    "json", "svg:assertion", "2.0", "hosted", "id", BETH, NULL },
  { "1edtech-dc-public-validator/ob20/assets/robotics-badge.png",
    NULL, NULL, NULL, NULL, NULL, NULL, "no Open Badges data" },
  { "1edtech-dc-public-validator/ob20/assets/beths-robot-badge.png",
    NULL, NULL, NULL, NULL, NULL, NULL, "no Open Badges data" },
  { "1edtech-openbadges-validator-core/public_domain_heart.png",
    NULL, NULL, NULL, NULL, NULL, NULL, "no Open Badges data" },

  /* Synthesized edge cases. */
  { "synthesized/png-legacy-text-url.png",
    "url", "tEXt", NULL, "hosted", "pendingUrl", BETH, NULL },
  { "synthesized/png-itxt-url.png", "url", "iTXt", NULL, "hosted", "pendingUrl", BETH, NULL },
  { "synthesized/png-itxt-ob2-json-before-iend.png",
    "json", "iTXt", "2.0", "hosted", "id", BETH, NULL },
  { "synthesized/png-itxt-jws.png", "jws", "iTXt", "2.0", "signed", "id", BETH, NULL },
  { "synthesized/png-itxt-compressed.png", "json", "iTXt", "2.0", "hosted", "id", BETH, NULL },
  { "synthesized/png-itxt-lang-and-translated-keyword.png",
    "json", "iTXt", "2.0", "hosted", "id", BETH, NULL },
  { "synthesized/png-itxt-duplicate.png", "json", "iTXt", "2.0", "hosted", "id", BETH, NULL },
  { "synthesized/png-text-then-itxt.png", "json", "iTXt", "2.0", "hosted", NULL, NULL, NULL },
  { "synthesized/png-itxt-bad-crc.png", NULL, NULL, NULL, NULL, NULL, NULL, "bad CRC" },
  { "synthesized/png-ob3-and-ob2-keywords.png",
    "json", "iTXt", "3.0", "proof", "name", "Teamwork", NULL },
  { "synthesized/png-keyword-case-mismatch.png",
    NULL, NULL, NULL, NULL, NULL, NULL, "no Open Badges data" },
  { "synthesized/svg-ob2-other-prefix.svg",
    "json", "svg:assertion", "2.0", "hosted", NULL, NULL, NULL },
  { "synthesized/svg-ob2-wrong-namespace.svg",
    NULL, NULL, NULL, NULL, NULL, NULL, "no Open Badges data" },
  { "synthesized/svg-ob2-signed-selfclosing.svg",
    "jws", "svg:assertion", "2.0", "signed", NULL, NULL, NULL },
  { "synthesized/svg-ob2-json-not-first-child.svg",
    "json", "svg:assertion", "2.0", "hosted", NULL, NULL, NULL },
  { "synthesized/svg-ob2-two-assertions.svg",
    "json", "svg:assertion", "2.0", "hosted", NULL, NULL, NULL },
  { "synthesized/svg-ob3-json-cdata.svg",
    "json", "svg:credential", "3.0", "proof", "name", "Teamwork", NULL },

  /* OB 2.0 documents of the 1EdTech validator: assertions parse (their
   * verdicts are the verifier's); the other classes are no badge. */
  { "1edtech-dc-public-validator/ob20/basic-assertion.json",
    "json", "file", "2.0", "hosted", "id", BETH, NULL },
  { "1edtech-dc-public-validator/ob20/basic-assertion-expired.json",
    "json", "file", "2.0", "hosted", "expires", "2022-11-15T23:59:59Z", NULL },
  { "1edtech-dc-public-validator/ob20/basic-assertion-in-future.json",
    "json", "file", "2.0", "hosted", NULL, NULL, NULL },
  { "1edtech-dc-public-validator/ob20/basic-assertion-expired-before-issued.json",
    "json", "file", "2.0", "hosted", NULL, NULL, NULL },
  { "1edtech-dc-public-validator/ob20/basic-assertion-invalid-context.json",
    "json", "file", "2.0", "hosted", NULL, NULL, NULL },
  { "1edtech-dc-public-validator/ob20/basic-assertion-invalid-type.json",
    "json", "file", "2.0", "hosted", NULL, NULL, NULL },
  { "1edtech-dc-public-validator/ob20/basic-assertion-no-public-key.json",
    "json", "file", "2.0", "hosted", NULL, NULL, NULL },
  { "1edtech-dc-public-validator/ob20/basic-assertion-with-language.json",
    "json", "file", "2.0", "hosted", NULL, NULL, NULL },
  { "1edtech-dc-public-validator/ob20/basic-assertion-with-allowed-origins.json",
    "json", "file", "2.0", "hosted", NULL, NULL, NULL },
  { "1edtech-dc-public-validator/ob20/assertion-with-data-image.json",
    "json", "file", "2.0", "hosted", NULL, NULL, NULL },
  { "1edtech-dc-public-validator/ob20/assertion-with-endorsements.json",
    "json", "file", "2.0", "hosted", "name", "Awesome Robotics Badge", NULL },
  { "1edtech-dc-public-validator/ob20/assertion-with-extension-node-basic.json",
    "json", "file", "2.0", "hosted", NULL, NULL, NULL },
  { "1edtech-dc-public-validator/ob20/warning-with-redirection.json",
    "json", "file", "2.0", "hosted", NULL, NULL, NULL },
  { "1edtech-dc-public-validator/ob20/warning-issuer-non-http.json",
    "json", "file", "2.0", "hosted", NULL, NULL, NULL },
  { "1edtech-dc-public-validator/ob20/simple.jwt",
    "jws", "file", "2.0", "signed", "id", BETH, NULL },
  { "1edtech-dc-public-validator/ob20/simple-not-revoked.jwt",
    "jws", "file", "2.0", "signed", NULL, NULL, NULL },
  { "1edtech-dc-public-validator/ob20/simple-revoked.jwt",
    "jws", "file", "2.0", "signed", "id", "https://example.org/beths-robotics-badge-revoked.json", NULL },
  { "1edtech-dc-public-validator/ob20/issuer-compact-iri-validation.json",
    NULL, NULL, NULL, NULL, NULL, NULL, "not Assertion" },
  { "1edtech-dc-public-validator/ob20/badge-class-with-language.json",
    NULL, NULL, NULL, NULL, NULL, NULL, "not Assertion" },
  { "1edtech-dc-public-validator/ob20/redirected-validation-subject.json",
    NULL, NULL, NULL, NULL, NULL, NULL, "not valid JSON" },
  { "1edtech-dc-public-validator/ob20/assets/key1.json",
    NULL, NULL, NULL, NULL, NULL, NULL, "not Assertion" },

  /* OB 3.0 documents of the 1EdTech validator. */
  { "1edtech-dc-public-validator/ob30/simple.json",
    "json", "file", "3.0", "proof", "name", "Teamwork", NULL },
  { "1edtech-dc-public-validator/ob30/simple.1ob",
    "json", "file", "3.0", "proof", "name", "Teamwork", NULL },
  { "1edtech-dc-public-validator/ob30/simple_v1.json",
    "json", "file", "3.0", "proof", NULL, NULL, NULL },
  { "1edtech-dc-public-validator/ob30/simple-did-key-method.json",
    "json", "file", "3.0", "proof", NULL, NULL, NULL },
  { "1edtech-dc-public-validator/ob30/simple-eddsa-2022.json",
    "json", "file", "3.0", "proof", NULL, NULL, NULL },
  { "1edtech-dc-public-validator/ob30/simple-context-alias.json",
    "json", "file", "3.0", "proof", NULL, NULL, NULL },
  { "1edtech-dc-public-validator/ob30/simple-context-version.json",
    "json", "file", "3.0", "proof", NULL, NULL, NULL },
  { "1edtech-dc-public-validator/ob30/simple-multiple-proofs.json",
    "json", "file", "3.0", "proof", NULL, NULL, NULL },
  { "1edtech-dc-public-validator/ob30/simple-err-expired.json",
    "json", "file", "3.0", "proof", "expires", "2010-01-01T00:00:00Z", NULL },
  { "1edtech-dc-public-validator/ob30/simple-err-proof-value.json",
    "json", "file", "3.0", "proof", NULL, NULL, NULL },
  { "1edtech-dc-public-validator/ob30/simple-noproof.json",
    "json", "file", "3.0", "none", NULL, NULL, NULL },
  { "1edtech-dc-public-validator/ob30/simple.jwt",
    "vc-jwt", "file", "3.0", "proof", "id", "http://example.edu/credentials/3732", NULL },
  { "1edtech-dc-public-validator/ob30/velocity.jwt",
    "vc-jwt", "file", "3.0", "proof", NULL, NULL, NULL },
  { "1edtech-dc-public-validator/ob30/complete.json",
    "json", "file", "3.0", "proof", NULL, NULL, NULL },
  { "1edtech-dc-public-validator/ob30/sd/derivedcredential.json",
    "json", "file", "3.0", "proof", NULL, NULL, NULL },
  { "1edtech-dc-public-validator/ob30/simple-err-issuer.json",
    NULL, NULL, NULL, NULL, NULL, NULL, "'issuer' is missing" },
  { "1edtech-dc-public-validator/ob30/simple-err-type.json",
    NULL, NULL, NULL, NULL, NULL, NULL, "neither OpenBadgeCredential nor AchievementCredential" },
  { "1edtech-dc-public-validator/ob30/endorsement-valid.json",
    NULL, NULL, NULL, NULL, NULL, NULL, "EndorsementCredential, not a badge" },

  /* OB 0.5-2.0 objects of the Python validator. */
  { "1edtech-openbadges-validator-core/components/0-5-assertion.json",
    "json", "file", "0.5", "hosted", "name", "Basic McBadge", NULL },
  { "1edtech-openbadges-validator-core/components/1-0-assertion-with-errors.json",
    "json", "file", "0.5", "hosted", NULL, NULL, NULL },
  { "1edtech-openbadges-validator-core/components/1-0-basic-assertion.json",
    "json", "file", "1.0", "hosted", "issued", "2015-04-30T00:00:00Z", NULL },
  { "1edtech-openbadges-validator-core/components/1-1-basic-assertion.json",
    "json", "file", "1.1", "hosted", "id", BETH, NULL },
  { "1edtech-openbadges-validator-core/components/2-0-basic-assertion.json",
    "json", "file", "2.0", "hosted", "id", BETH, NULL },
  { "1edtech-openbadges-validator-core/components/2-0-basic-badgeclass.json",
    NULL, NULL, NULL, NULL, NULL, NULL, "not Assertion" },
  { "1edtech-openbadges-validator-core/components/openbadges-context-v2.json",
    NULL, NULL, NULL, NULL, NULL, NULL, "neither an Open Badges assertion nor a credential" },
};

typedef struct
{
  char    *path;
  gboolean badge;
} DccRow;

static void
dcc_row_free (gpointer data)
{
  DccRow *row = data;

  g_free (row->path);
  g_free (row);
}

/* The DCC table of the README: every credential it lists is a badge unless
 * the row says it is "not an OB credential". */
static GPtrArray *
read_dcc_rows (const char *readme)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func (dcc_row_free);
  g_auto(GStrv) lines = g_strsplit (readme, "\n", -1);
  gboolean in_section = FALSE;

  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *line = lines[i];
      const char *start;
      const char *end;
      DccRow *row;

      if (g_str_has_prefix (line, "### "))
        in_section = strstr (line, "dcc-vc-test-fixtures") != NULL;
      if (!in_section || !g_str_has_prefix (line, "| `dcc-"))
        continue;

      start = line + 3;
      end = strchr (start, '`');
      if (end == NULL || end - start < 6 || strncmp (end - 5, ".json", 5) != 0)
        continue;

      row = g_new0 (DccRow, 1);
      row->path = g_strndup (start, end - start);
      row->badge = strstr (line, "not an OB credential") == NULL;
      g_ptr_array_add (rows, row);
    }

  return g_steal_pointer (&rows);
}

static char *
run_inspect (const char * const *argv,
             int                *status)
{
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;

  process = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                               G_SUBPROCESS_FLAGS_STDERR_SILENCE, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &out, NULL, &error);
  g_assert_no_error (error);
  *status = g_subprocess_get_if_exited (process) ? g_subprocess_get_exit_status (process) : -1;
  return g_steal_pointer (&out);
}

static const char *
string_member (JsonObject *object,
               const char *member)
{
  JsonNode *node;

  if (object == NULL)
    return NULL;
  node = json_object_get_member (object, member);
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static char *
check_line (JsonObject        *line,
            const Expectation *expected)
{
  JsonObject *payload = NULL;
  JsonObject *badge = NULL;
  const char *error = string_member (line, "error");

  if (json_object_has_member (line, "payload") && !json_object_get_null_member (line, "payload"))
    payload = json_object_get_object_member (line, "payload");
  if (json_object_has_member (line, "badge") && !json_object_get_null_member (line, "badge"))
    badge = json_object_get_object_member (line, "badge");

  if (expected->kind == NULL)
    {
      if (error == NULL)
        return g_strdup_printf ("expected an error with “%s”, got none", expected->error);
      if (strstr (error, expected->error) == NULL)
        return g_strdup_printf ("expected an error with “%s”, got “%s”", expected->error, error);
      if (badge != NULL)
        return g_strdup ("an error but still a badge");
      return NULL;
    }

  if (error != NULL)
    return g_strdup_printf ("unexpected error “%s”", error);
  if (payload == NULL || badge == NULL)
    return g_strdup ("no payload or no badge");
  if (g_strcmp0 (string_member (payload, "kind"), expected->kind) != 0)
    return g_strdup_printf ("payload kind %s, expected %s", string_member (payload, "kind"),
                            expected->kind);
  if (g_strcmp0 (string_member (payload, "source"), expected->source) != 0)
    return g_strdup_printf ("payload source %s, expected %s", string_member (payload, "source"),
                            expected->source);
  if (string_member (payload, "text") == NULL)
    return g_strdup ("payload without text");
  if (g_strcmp0 (string_member (line, "spec"), expected->spec) != 0)
    return g_strdup_printf ("spec %s, expected %s", string_member (line, "spec"), expected->spec);
  if (g_strcmp0 (string_member (badge, "spec"), expected->spec) != 0)
    return g_strdup ("badge.spec differs from spec");
  if (g_strcmp0 (string_member (line, "verification"), expected->verification) != 0)
    return g_strdup_printf ("verification %s, expected %s", string_member (line, "verification"),
                            expected->verification);
  if (!json_object_has_member (badge, "issuer") || !json_object_has_member (badge, "issued") ||
      !json_object_has_member (badge, "expires") || !json_object_has_member (badge, "image"))
    return g_strdup ("badge object lacks members of cli.md");
  if (expected->member != NULL &&
      g_strcmp0 (string_member (badge, expected->member), expected->value) != 0)
    return g_strdup_printf ("badge.%s is %s, expected %s", expected->member,
                            string_member (badge, expected->member), expected->value);
  return NULL;
}

static void
test_inspect_conformance (void)
{
  const char *binary = g_getenv ("BW_BADGE_WALLET");
  const char *dir = g_getenv ("BW_CONFORMANCE_DIR");
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) expected = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) dcc = NULL;
  g_autoptr(GString) failures = g_string_new (NULL);
  g_autofree char *readme_path = NULL;
  g_autofree char *readme = NULL;
  g_autofree char *out = NULL;
  g_auto(GStrv) lines = NULL;
  guint n_lines = 0;
  guint agreed = 0;
  int status;

  if (dir == NULL || !g_file_test (dir, G_FILE_TEST_IS_DIR))
    {
      g_test_skip ("BW_CONFORMANCE_DIR is not available");
      return;
    }
  if (binary == NULL || !g_file_test (binary, G_FILE_TEST_IS_EXECUTABLE))
    {
      g_test_skip ("BW_BADGE_WALLET is not built");
      return;
    }

  readme_path = g_build_filename (dir, "README.md", NULL);
  g_assert_true (g_file_get_contents (readme_path, &readme, NULL, NULL));
  dcc = read_dcc_rows (readme);
  g_assert_cmpuint (dcc->len, >, 50);

  g_ptr_array_add (argv, g_strdup (binary));
  g_ptr_array_add (argv, g_strdup ("inspect"));
  g_ptr_array_add (argv, g_strdup ("--json"));

  for (guint i = 0; i < G_N_ELEMENTS (expectations); i++)
    {
      Expectation *e = g_memdup2 (&expectations[i], sizeof *e);

      g_ptr_array_add (expected, e);
      g_ptr_array_add (argv, g_build_filename (dir, e->path, NULL));
    }
  for (guint i = 0; i < dcc->len; i++)
    {
      DccRow *row = g_ptr_array_index (dcc, i);
      Expectation *e = g_new0 (Expectation, 1);

      e->path = row->path;
      if (row->badge)
        {
          e->kind = "json";
          e->source = "file";
          e->spec = "3.0";
          e->verification = "proof";
        }
      else
        e->error = "not a badge";
      g_ptr_array_add (expected, e);
      g_ptr_array_add (argv, g_build_filename (dir, row->path, NULL));
    }
  g_ptr_array_add (argv, NULL);

  out = run_inspect ((const char * const *)argv->pdata, &status);
  lines = g_strsplit (out, "\n", -1);
  while (lines[n_lines] != NULL && lines[n_lines][0] != '\0')
    n_lines++;
  g_assert_cmpuint (n_lines, ==, expected->len);
  /* Some inputs hold no badge, so the run as a whole fails. */
  g_assert_cmpint (status, ==, 1);

  for (guint i = 0; i < expected->len; i++)
    {
      const Expectation *e = g_ptr_array_index (expected, i);
      g_autoptr(JsonParser) parser = json_parser_new ();
      g_autoptr(GError) error = NULL;
      g_autofree char *problem = NULL;
      g_autofree char *input = NULL;
      JsonObject *line;

      g_assert_true (json_parser_load_from_data (parser, lines[i], -1, &error));
      g_assert_no_error (error);
      line = json_node_get_object (json_parser_get_root (parser));
      input = g_build_filename (dir, e->path, NULL);
      g_assert_cmpstr (string_member (line, "input"), ==, input);

      /* The DCC rows that are no OB credential may be refused either as
       * another kind of credential or as an endorsement. */
      if (e->kind == NULL && g_str_equal (e->error, "not a badge"))
        {
          const char *message = string_member (line, "error");

          if (message != NULL &&
              (strstr (message, "neither OpenBadgeCredential nor AchievementCredential") != NULL ||
               strstr (message, "EndorsementCredential, not a badge") != NULL))
            {
              agreed++;
              continue;
            }
          problem = g_strdup_printf ("expected no badge, got “%s”",
                                     message != NULL ? message : "a badge");
        }
      else
        problem = check_line (line, e);

      if (problem == NULL)
        agreed++;
      else
        g_string_append_printf (failures, "%s: %s\n", e->path, problem);
    }

  g_test_message ("inspect agreed with the conformance README on %u of %u files",
                  agreed, expected->len);
  if (failures->len > 0)
    g_error ("disagreements:\n%s", failures->str);
}

static void
test_inspect_exit_status (void)
{
  const char *binary = g_getenv ("BW_BADGE_WALLET");
  const char *dir = g_getenv ("BW_CONFORMANCE_DIR");
  g_autofree char *good = NULL;
  g_autofree char *out = NULL;
  int status;

  if (binary == NULL || !g_file_test (binary, G_FILE_TEST_IS_EXECUTABLE))
    {
      g_test_skip ("BW_BADGE_WALLET is not built");
      return;
    }

  {
    const char *argv[] = { binary, "inspect", NULL };

    g_free (run_inspect (argv, &status));
    g_assert_cmpint (status, ==, 2);
  }
  {
    const char *argv[] = { binary, "inspect", "--no-such-option", "x", NULL };

    g_free (run_inspect (argv, &status));
    g_assert_cmpint (status, ==, 2);
  }
  {
    const char *argv[] = { binary, "inspect", "--json", "/nonexistent/badge.png", NULL };
    g_autoptr(JsonParser) parser = json_parser_new ();
    g_autoptr(GError) error = NULL;
    JsonObject *line;

    out = run_inspect (argv, &status);
    g_assert_cmpint (status, ==, 1);
    g_assert_true (json_parser_load_from_data (parser, out, -1, &error));
    line = json_node_get_object (json_parser_get_root (parser));
    g_assert_true (json_object_get_null_member (line, "payload"));
    g_assert_true (json_object_get_null_member (line, "badge"));
    g_assert_nonnull (string_member (line, "error"));
    g_clear_pointer (&out, g_free);
  }

  if (dir == NULL || !g_file_test (dir, G_FILE_TEST_IS_DIR))
    {
      g_test_skip ("BW_CONFORMANCE_DIR is not available");
      return;
    }

  good = g_build_filename (dir, "1edtech-dc-public-validator/ob20/simple-badge.png", NULL);
  {
    const char *argv[] = { binary, "inspect", good, NULL };

    /* Human output: the payload and the badge as parsed. */
    out = run_inspect (argv, &status);
    g_assert_cmpint (status, ==, 0);
    g_assert_nonnull (strstr (out, "iTXt"));
    g_assert_nonnull (strstr (out, BETH));
    g_assert_nonnull (strstr (out, "https://example.org/robotics-badge.json"));
  }
}

static void
test_inspect_escapes (void)
{
  const char *binary = g_getenv ("BW_BADGE_WALLET");
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autofree char *out = NULL;
  int status;

  if (binary == NULL || !g_file_test (binary, G_FILE_TEST_IS_EXECUTABLE))
    {
      g_test_skip ("BW_BADGE_WALLET is not built");
      return;
    }

  /* A hostile badge must not reach the terminal with control characters. */
  dir = g_dir_make_tmp ("test-inspect-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (dir, "evil.json", NULL);
  g_assert_true (g_file_set_contents (path,
                                      "{\"@context\":\"https://w3id.org/openbadges/v2\","
                                      "\"id\":\"https://x.example/a\",\"recipient\":{\"identity\":\"a@b\","
                                      "\"type\":\"email\",\"hashed\":false},"
                                      "\"issuedOn\":\"2020-01-01T00:00:00Z\","
                                      "\"badge\":{\"name\":\"Evil\\u001b[2JRED\\u0007\","
                                      "\"issuer\":{\"id\":\"https://i.example\",\"name\":\"I\\u009b1m\"}},"
                                      "\"verification\":{\"type\":\"hosted\"}}", -1, &error));
  g_assert_no_error (error);

  {
    const char *argv[] = { binary, "inspect", path, NULL };

    out = run_inspect (argv, &status);
  }
  g_assert_cmpint (status, ==, 0);
  g_assert_null (strchr (out, '\033'));
  g_assert_null (strchr (out, '\007'));
  g_assert_null (strstr (out, "\xc2\x9b"));
  g_assert_nonnull (strstr (out, "Evil\\u001b[2JRED\\u0007"));

  g_assert_cmpint (g_unlink (path), ==, 0);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

int
main (int    argc,
      char **argv)
{
  setlocale (LC_ALL, "C.UTF-8");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/inspect/conformance", test_inspect_conformance);
  g_test_add_func ("/inspect/exit-status", test_inspect_exit_status);
  g_test_add_func ("/inspect/escapes", test_inspect_escapes);

  return g_test_run ();
}
