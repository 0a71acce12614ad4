/* test-conformance.c
 *
 * Copyright 2026 The Badge Wallet authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-conformance"

#include "config.h"

#include <string.h>
#include <glib/gstdio.h>

#include "bw-report.h"
#include "bw-test-issuer.h"
#include "bw-util.h"

/* Expected outcomes of the 1EdTech validator's OB 2.0 files, from the
 * conformance README: 'V' valid (with or without warnings), 'I' invalid.
 * The wallet's `expired` and `revoked` verdicts count as 'I'. */
typedef struct
{
  const char *file;
  char        expected;
} Expected;

static const Expected ob20[] = {
  { "basic-assertion.json", 'V' },
  { "simple-badge.png", 'V' },
  { "simple.jwt", 'V' },
  { "simple-not-revoked.jwt", 'V' },
  { "simple-revoked.jwt", 'I' },
  { "basic-assertion-invalid-context.json", 'I' },
  { "basic-assertion-invalid-type.json", 'I' },
  { "basic-assertion-no-public-key.json", 'V' },
  { "basic-assertion-with-language.json", 'V' },
  { "basic-assertion-expired.json", 'I' },
  { "basic-assertion-expired-before-issued.json", 'I' },
  { "basic-assertion-in-future.json", 'I' },
  { "basic-assertion-with-allowed-origins.json", 'V' },
  { "basic-assertion-with-allowed-origins-valid-starts-with.json", 'V' },
  { "basic-assertion-with-allowed-origins-invalid-starts-with.json", 'I' },
  { "basic-assertion-with-allowed-origins-valid-multiple-starts-with.json", 'V' },
  { "basic-assertion-with-allowed-origins-invalid-multiple-starts-with.json", 'I' },
  { "assertion-with-data-image.json", 'I' },
  { "assertion-with-endorsements.json", 'V' },
  { "assertion-with-extension-node-basic.json", 'V' },
  { "assertion-with-multiple-extensions.json", 'V' },
  { "assertion-with-extension-node-invalid.json", 'I' },
  { "warning-with-redirection.json", 'V' },
  { "warning-issuer-non-http.json", 'V' },
};

/* The README's "W" files: valid, with this check warning. */
static const struct
{
  const char *file;
  const char *check;
} warnings[] = {
  { "warning-with-redirection.json", "documents" },
  { "warning-issuer-non-http.json", "verification-policy" },
};

static const char *
warning_for (const char *file)
{
  for (guint i = 0; i < G_N_ELEMENTS (warnings); i++)
    if (g_str_equal (warnings[i].file, file))
      return warnings[i].check;
  return NULL;
}

/* Disagreements explained in docs/verification.md ("Conformance"). */
static const struct
{
  const char *file;
  const char *reason;
} explained[] = {
  { "assertion-with-extension-node-invalid.json",
    "extension nodes are not validated against their JSON schema" },
};

static const char *
explanation_for (const char *file)
{
  for (guint i = 0; i < G_N_ELEMENTS (explained); i++)
    if (g_str_equal (explained[i].file, file))
      return explained[i].reason;
  return NULL;
}

/* The path of a document's id on example.org, which the mock server maps
 * to the test issuer; NULL for another host. */
static char *
example_path (const char *id)
{
  const char *prefixes[] = { "https://example.org", "http://example.org", "https://www.example.org" };

  for (guint i = 0; id != NULL && i < G_N_ELEMENTS (prefixes); i++)
    if (g_str_has_prefix (id, prefixes[i]) && id[strlen (prefixes[i])] == '/')
      return g_strdup (id + strlen (prefixes[i]));
  return NULL;
}

/* The Java validator verifies the JSON it is given; validator-core and the
 * wallet fetch the hosted copy by its id. Serving each input at its own id
 * ("the issuer hosts this document") keeps both readings equal. */
static void
host_input (BwTestIssuer *issuer,
            const char   *dir,
            const char   *file)
{
  g_autofree char *path = g_build_filename (dir, file, NULL);
  g_autofree char *contents = NULL;
  g_autofree char *url_path = NULL;
  g_autoptr(JsonNode) root = NULL;
  gsize length = 0;

  if (g_str_equal (file, "simple-badge.png"))
    {
      g_free (path);
      path = g_build_filename (dir, "basic-assertion.json", NULL);
    }
  if (!g_str_has_suffix (path, ".json") || !g_file_get_contents (path, &contents, &length, NULL))
    return;
  root = bw_json_parse (contents, (gssize)length, NULL);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return;
  url_path = example_path (bw_json_object_get_string (json_node_get_object (root), "id"));
  if (url_path != NULL)
    bw_test_issuer_add_json (issuer, 0, url_path, contents);
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

/* Runs `badge-wallet verify --json` on one input, with the README's URL
 * maps as --map-url, and reads its report back. */
static BwReport *
verify_one (BwTestIssuer *issuer,
            const char   *dir,
            const char   *file)
{
  const char *base = bw_test_issuer_get_url (issuer, 0);
  const char *hosts[] = { "https://example.org/", "https://www.example.org/", "http://example.org/",
                          "http://a.com/" };
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (dir, file, NULL);
  g_autofree char *cache = NULL;
  g_autofree char *out = NULL;
  g_auto(GStrv) argv = NULL;
  g_auto(GStrv) lines = NULL;
  BwReport *report;
  int status;

  g_strv_builder_add_many (builder, g_getenv ("BW_BADGE_WALLET"), "verify", "--json",
                           "--allow-local", "--timeout", "20", NULL);
  for (guint i = 0; i < G_N_ELEMENTS (hosts); i++)
    {
      g_autofree char *map = g_str_equal (hosts[i], "http://a.com/") ?
                             g_strdup_printf ("%s=%s/a.com/", hosts[i], base) :
                             g_strdup_printf ("%s=%s/", hosts[i], base);

      g_strv_builder_add_many (builder, "--map-url", map, NULL);
    }
  g_strv_builder_add (builder, path);
  argv = g_strv_builder_end (builder);

  host_input (issuer, dir, file);

  /* A fresh documents cache per input: the hosted copy changes between
   * inputs. */
  cache = g_dir_make_tmp ("bw-conformance-XXXXXX", &error);
  g_assert_no_error (error);
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_subprocess_launcher_setenv (launcher, "XDG_CACHE_HOME", cache, TRUE);
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *)argv, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &out, NULL, &error);
  g_assert_no_error (error);
  remove_tree (cache);

  status = g_subprocess_get_exit_status (process);
  g_assert_true (status == 0 || status == 1 || status == 3);
  lines = g_strsplit (out, "\n", 2);
  report = bw_report_new_from_json_string (lines[0], &error);
  g_assert_no_error (error);
  g_assert_cmpint (status, ==, bw_report_get_verdict (report) == BW_VERDICT_VALID ? 0 :
                               bw_report_get_verdict (report) == BW_VERDICT_UNREACHABLE ? 3 : 1);
  return report;
}

static void
test_ob20 (void)
{
  const char *root = g_getenv ("BW_CONFORMANCE_DIR");
  g_autofree char *dir = NULL;
  g_autofree char *assets = NULL;
  g_autoptr(BwTestIssuer) issuer = NULL;
  g_autoptr(GError) error = NULL;
  guint agreed = 0, explained_count = 0, unexplained = 0;

  if (root == NULL || g_getenv ("BW_BADGE_WALLET") == NULL)
    {
      g_test_skip ("BW_CONFORMANCE_DIR or BW_BADGE_WALLET is not set");
      return;
    }
  dir = g_build_filename (root, "1edtech-dc-public-validator", "ob20", NULL);
  assets = g_build_filename (dir, "assets", NULL);
  if (!g_file_test (assets, G_FILE_TEST_IS_DIR))
    {
      g_test_skip ("the conformance folder is absent");
      return;
    }

  issuer = bw_test_issuer_new (&error);
  g_assert_no_error (error);
  bw_test_issuer_serve_directory (issuer, "/", assets);

  for (guint i = 0; i < G_N_ELEMENTS (ob20); i++)
    {
      g_autoptr(BwReport) report = verify_one (issuer, dir, ob20[i].file);
      BwVerdict verdict = bw_report_get_verdict (report);
      char got = verdict == BW_VERDICT_VALID ? 'V' : verdict == BW_VERDICT_UNREACHABLE ? '?' : 'I';
      const char *reason = explanation_for (ob20[i].file);
      const char *warning = warning_for (ob20[i].file);

      if (warning != NULL)
        {
          const BwCheck *check = bw_report_get_check (report, warning);

          g_assert_nonnull (check);
          g_assert_cmpint (check->status, ==, BW_CHECK_WARN);
        }
      if (got == ob20[i].expected)
        {
          agreed++;
          g_test_message ("agree    %-70s %s", ob20[i].file, bw_verdict_to_string (verdict));
        }
      else if (reason != NULL)
        {
          explained_count++;
          g_test_message ("explained %-69s %s (expected %c): %s", ob20[i].file,
                          bw_verdict_to_string (verdict), ob20[i].expected, reason);
        }
      else
        {
          g_autofree char *json = bw_report_to_json_string (report);

          unexplained++;
          g_test_message ("DISAGREE %-70s %s (expected %c): %s", ob20[i].file,
                          bw_verdict_to_string (verdict), ob20[i].expected, json);
        }
    }

  g_test_message ("OB 2.0 conformance: %u of %u verdicts agree, %u explained, %u unexplained",
                  agreed, (guint)G_N_ELEMENTS (ob20), explained_count, unexplained);
  g_assert_cmpuint (unexplained, ==, 0);
}

/* validator-core's own component documents (its tests/test_components.py),
 * each set served where its ids say. */
typedef struct
{
  const char *label;
  const char *input;
  char        expected;
  const char *serve[4][2];
} ComponentSet;

static const ComponentSet component_sets[] = {
  { "2.0 basic", "2-0-basic-assertion.json", 'V',
    { { "/beths-robotics-badge.json", "2-0-basic-assertion.json" },
      { "/robotics-badge.json", "2-0-basic-badgeclass.json" },
      { "/organization.json", "2-0-basic-issuer.json" } } },
  { "1.1 basic", "1-1-basic-assertion.json", 'V',
    { { "/beths-robotics-badge.json", "1-1-basic-assertion.json" },
      { "/robotics-badge.json", "1-1-basic-badgeclass.json" },
      { "/organization.json", "1-1-basic-issuer.json" } } },
  { "1.0 basic", "1-0-basic-assertion.json", 'V',
    { { "/a.com/instance", "1-0-basic-assertion.json" },
      { "/a.com/badgeclass", "1-0-basic-badgeclass.json" },
      { "/a.com/issuer", "1-0-basic-issuer.json" } } },
  { "0.5 as bare JSON", "0-5-assertion.json", 'I', { { NULL } } },
};

static void
test_validator_core (void)
{
  const char *root = g_getenv ("BW_CONFORMANCE_DIR");
  g_autofree char *dir = NULL;
  g_autofree char *assets = NULL;
  g_autofree char *heart = NULL;
  g_autoptr(BwTestIssuer) issuer = NULL;
  g_autoptr(GError) error = NULL;
  guint agreed = 0;

  if (root == NULL || g_getenv ("BW_BADGE_WALLET") == NULL)
    {
      g_test_skip ("BW_CONFORMANCE_DIR or BW_BADGE_WALLET is not set");
      return;
    }
  dir = g_build_filename (root, "1edtech-openbadges-validator-core", "components", NULL);
  assets = g_build_filename (root, "1edtech-dc-public-validator", "ob20", "assets", NULL);
  if (!g_file_test (dir, G_FILE_TEST_IS_DIR) || !g_file_test (assets, G_FILE_TEST_IS_DIR))
    {
      g_test_skip ("the conformance folder is absent");
      return;
    }

  issuer = bw_test_issuer_new (&error);
  g_assert_no_error (error);
  /* The images the documents name: the unbaked heart of validator-core's
   * tests and the assets of the 1EdTech fixtures. */
  bw_test_issuer_serve_directory (issuer, "/", assets);
  heart = g_build_filename (root, "1edtech-openbadges-validator-core", "public_domain_heart.png", NULL);
  if (g_file_test (heart, G_FILE_TEST_EXISTS))
    {
      g_autofree char *contents = NULL;
      gsize length = 0;

      g_file_get_contents (heart, &contents, &length, &error);
      g_assert_no_error (error);
      {
        g_autoptr(GBytes) bytes = g_bytes_new (contents, length);

        bw_test_issuer_add (issuer, 0, "/a.com/badgeclass_image", "image/png", bytes);
      }
    }

  for (guint i = 0; i < G_N_ELEMENTS (component_sets); i++)
    {
      const ComponentSet *set = &component_sets[i];
      g_autoptr(BwReport) report = NULL;
      BwVerdict verdict;
      char got;

      for (guint j = 0; j < G_N_ELEMENTS (set->serve) && set->serve[j][0] != NULL; j++)
        {
          g_autofree char *path = g_build_filename (dir, set->serve[j][1], NULL);
          g_autofree char *contents = NULL;

          g_file_get_contents (path, &contents, NULL, &error);
          g_assert_no_error (error);
          bw_test_issuer_add_json (issuer, 0, set->serve[j][0], contents);
        }
      report = verify_one (issuer, dir, set->input);
      verdict = bw_report_get_verdict (report);
      got = verdict == BW_VERDICT_VALID ? 'V' : verdict == BW_VERDICT_UNREACHABLE ? '?' : 'I';
      if (got == set->expected)
        {
          agreed++;
          g_test_message ("agree    %-20s %s", set->label, bw_verdict_to_string (verdict));
        }
      else
        {
          g_autofree char *json = bw_report_to_json_string (report);

          g_test_message ("DISAGREE %-20s %s (expected %c): %s", set->label,
                          bw_verdict_to_string (verdict), set->expected, json);
        }
    }

  g_test_message ("validator-core components: %u of %u verdicts agree",
                  agreed, (guint)G_N_ELEMENTS (component_sets));
  g_assert_cmpuint (agreed, ==, G_N_ELEMENTS (component_sets));
}

/* The 1EdTech OB 3.0 files. Only verdicts that need no proof checking are
 * compared: embedded Data Integrity proofs are not checked by this version
 * (docs/verification.md, "OB 3.0"), so a credential whose only fault, or
 * whose only ground for being valid, is its proof must come out
 * `unreachable`, never `valid`. @check is the check that must fail. */
typedef struct
{
  const char *file;
  char        readme;
  const char *verdict;
  const char *check;
  const char *reason;
} Ob30Expected;

#define PROOF_ONLY "the verdict rests on the embedded proof, which is not checked"

static const Ob30Expected ob30[] = {
  { "simple-err-context.json", 'I', "invalid", "context", NULL },
  { "simple-err-type.json", 'I', "invalid", "payload", NULL },
  { "simple-err-issuer.json", 'I', "invalid", "payload", NULL },
  { "simple-err-credential-subject-type.json", 'I', "invalid", "structure", NULL },
  { "simple-err-credential-subject-identifier-type.json", 'I', "invalid", "structure", NULL },
  { "simple-err-credential-subject-result-type.json", 'I', "invalid", "structure", NULL },
  { "simple-err-credential-subject-achievement-result-description-type.json", 'I', "invalid",
    "structure", NULL },
  { "simple-err-credential-subject-profile-type.json", 'I', "invalid", "structure", NULL },
  { "simple-err-evidence-type.json", 'I', "invalid", "structure", NULL },
  { "simple-err-issuer-type.json", 'I', "invalid", "structure", NULL },
  { "simple-err-issuer-parentorg-type.json", 'I', "invalid", "structure", NULL },
  { "simple-err-issuer-otheridentifier-type.json", 'I', "invalid", "structure", NULL },
  { "simple-err-expired.json", 'I', "expired", "expiry", NULL },
  { "simple-err-issued.json", 'I', "invalid", "issued-date", NULL },
  { "simple-noproof.json", 'I', "invalid", NULL, NULL },
  { "simple.json", 'V', "unreachable", NULL, PROOF_ONLY },
  { "simple_v1.json", 'W', "unreachable", NULL, PROOF_ONLY },
  { "simple-json.png", 'V', "unreachable", NULL, PROOF_ONLY },
  { "simple-json.svg", 'V', "unreachable", NULL, PROOF_ONLY },
  { "simple-context-alias.json", 'V', "unreachable", NULL, PROOF_ONLY },
  { "simple-context-version.json", 'V', "unreachable", NULL, PROOF_ONLY },
  { "simple-did-key-method.json", 'V', "unreachable", NULL, PROOF_ONLY },
  { "simple-eddsa-2022.json", 'W', "unreachable", NULL, PROOF_ONLY },
  { "simple-multiple-proofs.json", 'I', "unreachable", NULL, PROOF_ONLY },
  { "simple-err-proof-value.json", 'I', "unreachable", NULL, PROOF_ONLY },
  { "simple-err-proof-method.json", 'I', "unreachable", NULL, PROOF_ONLY },
  { "simple-err-proof-method-no-scheme.json", 'I', "unreachable", NULL, PROOF_ONLY },
  { "simple-err-proof-method-unknown-scheme.json", 'I', "unreachable", NULL, PROOF_ONLY },
  { "simple-err-proof-method-unknown-did-method.json", 'I', "unreachable", NULL, PROOF_ONLY },
  { "simple-jwt.png", 'V', "unreachable", NULL,
    "the VC-JWT key is only the inline jwk, which nothing ties to the issuer" },
  { "simple-jwt_v1.png", 'W', "unreachable", NULL,
    "the VC-JWT key is only the inline jwk, which nothing ties to the issuer" },
  { "credential-status-revoked.json", 'I', "unreachable", NULL,
    "the revocation list is on a live host and the proof is not checked" },
  { "complete.json", 'I', "unreachable", NULL,
    "its fault is an inline credentialSchema answering 404 upstream, which is not fetched" },
  { "complete_v1.json", 'I', "invalid", "structure", NULL },
};

static void
test_ob30 (void)
{
  const char *root = g_getenv ("BW_CONFORMANCE_DIR");
  g_autoptr(GStrvBuilder) builder = NULL;
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *cache = NULL;
  g_autofree char *out = NULL;
  g_auto(GStrv) argv = NULL;
  g_auto(GStrv) lines = NULL;
  guint agreed = 0, explained_count = 0;

  if (root == NULL || g_getenv ("BW_BADGE_WALLET") == NULL)
    {
      g_test_skip ("BW_CONFORMANCE_DIR or BW_BADGE_WALLET is not set");
      return;
    }
  dir = g_build_filename (root, "1edtech-dc-public-validator", "ob30", NULL);
  if (!g_file_test (dir, G_FILE_TEST_IS_DIR))
    {
      g_test_skip ("the conformance folder is absent");
      return;
    }

  builder = g_strv_builder_new ();
  g_strv_builder_add_many (builder, g_getenv ("BW_BADGE_WALLET"), "verify", "--json",
                           "--offline", NULL);
  for (guint i = 0; i < G_N_ELEMENTS (ob30); i++)
    {
      g_autofree char *path = g_build_filename (dir, ob30[i].file, NULL);

      g_strv_builder_add (builder, path);
    }
  argv = g_strv_builder_end (builder);

  cache = g_dir_make_tmp ("bw-conformance-XXXXXX", &error);
  g_assert_no_error (error);
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_subprocess_launcher_setenv (launcher, "XDG_CACHE_HOME", cache, TRUE);
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *)argv, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &out, NULL, &error);
  g_assert_no_error (error);
  remove_tree (cache);
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 1);

  lines = g_strsplit (out, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, G_N_ELEMENTS (ob30) + 1);
  for (guint i = 0; i < G_N_ELEMENTS (ob30); i++)
    {
      g_autoptr(BwReport) report = bw_report_new_from_json_string (lines[i], &error);
      const char *verdict;

      g_assert_no_error (error);
      g_assert_true (g_str_has_suffix (bw_report_get_input (report), ob30[i].file));
      verdict = bw_verdict_to_string (bw_report_get_verdict (report));
      if (!g_str_equal (verdict, ob30[i].verdict))
        g_test_message ("DISAGREE %-70s %s (expected %s): %s", ob30[i].file, verdict,
                        ob30[i].verdict, lines[i]);
      g_assert_cmpstr (verdict, ==, ob30[i].verdict);
      if (ob30[i].check != NULL)
        {
          const BwCheck *check = bw_report_get_check (report, ob30[i].check);

          g_assert_nonnull (check);
          g_assert_cmpint (check->status, ==, BW_CHECK_FAIL);
        }
      if (ob30[i].reason != NULL)
        {
          explained_count++;
          g_test_message ("explained %-69s %s (README %c): %s", ob30[i].file, verdict,
                          ob30[i].readme, ob30[i].reason);
        }
      else
        {
          g_assert_cmpint (ob30[i].readme, ==, 'I');
          agreed++;
          g_test_message ("agree    %-70s %s", ob30[i].file, verdict);
        }
    }
  g_test_message ("OB 3.0 conformance: %u of %u verdicts agree, %u explained",
                  agreed, (guint)G_N_ELEMENTS (ob30), explained_count);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/conformance/1edtech-ob20", test_ob20);
  g_test_add_func ("/conformance/validator-core-components", test_validator_core);
  g_test_add_func ("/conformance/1edtech-ob30", test_ob30);

  return g_test_run ();
}
