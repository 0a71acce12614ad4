/* test-verifier.c
 *
 * Copyright 2026 The Badge Wallet authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-verifier"

#include "config.h"

#include <string.h>

#include "bw-baked.h"
#include "bw-badge.h"
#include "bw-error.h"
#include "bw-fetcher.h"
#include "bw-identity.h"
#include "bw-report.h"
#include "bw-test-issuer.h"
#include "bw-test-keys.h"
#include "bw-verifier.h"
#include "verify-fixtures.h"

/* Generating RSA keys is slow: one key serves every test. */
static BwTestKey *rsa_key;
static BwTestKey *other_key;

typedef struct
{
  BwTestIssuer *issuer;
  BwFetcher    *fetcher;
  BwVerifier   *verifier;
  char         *issuer_url;
  char         *class_url;
  char         *image_url;
} Fixture;

static void
fixture_set_up (Fixture       *fx,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fx->issuer = bw_test_issuer_new (&error);
  g_assert_no_error (error);
  fx->fetcher = bw_fetcher_new ();
  bw_fetcher_set_allow_local (fx->fetcher, TRUE);
  bw_fetcher_set_cache_dir (fx->fetcher, NULL);
  fx->verifier = bw_verifier_new (fx->fetcher);
  bw_verifier_set_timeout (fx->verifier, 20);

  fx->image_url = vf_publish_image (fx->issuer, 0, "/badges/robotics.png");
  fx->issuer_url = vf_publish_issuer (fx->issuer, 0, "/issuer.json", NULL);
  fx->class_url = vf_publish_badge_class (fx->issuer, 0, "/badges/robotics.json",
                                          fx->issuer_url, fx->image_url);
}

static void
fixture_tear_down (Fixture       *fx,
                   gconstpointer  data)
{
  g_clear_object (&fx->verifier);
  g_clear_object (&fx->fetcher);
  g_clear_pointer (&fx->issuer, bw_test_issuer_free);
  g_free (fx->issuer_url);
  g_free (fx->class_url);
  g_free (fx->image_url);
}

static void
result_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static BwReport *
verify_input_full (BwVerifier    *verifier,
                   const char    *input,
                   GBytes        *data,
                   GCancellable  *cancellable,
                   GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  bw_verifier_verify_input_async (verifier, input, data, cancellable, result_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return bw_verifier_verify_finish (verifier, result, error);
}

static BwReport *
verify_input (Fixture    *fx,
              const char *input,
              GBytes     *data)
{
  g_autoptr(GError) error = NULL;
  BwReport *report = verify_input_full (fx->verifier, input, data, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (report);
  return report;
}

static const BwCheck *
expect_check (BwReport      *report,
              const char    *id,
              BwCheckStatus  status)
{
  const BwCheck *check = bw_report_get_check (report, id);

  if (check == NULL)
    g_error ("report has no check “%s”", id);
  if (check->status != status)
    g_error ("check “%s” is %s, expected %s: %s", id, bw_check_status_to_string (check->status),
             bw_check_status_to_string (status), check->message);
  return check;
}

static void
expect_verdict (BwReport  *report,
                BwVerdict  verdict)
{
  if (bw_report_get_verdict (report) != verdict)
    {
      g_autofree char *json = bw_report_to_json_string (report);

      g_error ("verdict %s, expected %s: %s", bw_verdict_to_string (bw_report_get_verdict (report)),
               bw_verdict_to_string (verdict), json);
    }
}

/* Publishes a hosted assertion at @path of @origin and returns its URL. */
static char *
publish_assertion (Fixture    *fx,
                   guint       origin,
                   const char *path,
                   const char *recipient,
                   const char *extra,
                   char      **json_out)
{
  char *url = g_strconcat (bw_test_issuer_get_url (fx->issuer, origin), path, NULL);
  g_autofree char *json = vf_assertion_json (url, fx->class_url, recipient, NULL, extra);

  bw_test_issuer_add_json (fx->issuer, origin, path, json);
  if (json_out != NULL)
    *json_out = g_steal_pointer (&json);
  return url;
}

static GBytes *
bake_png (const char *text)
{
  g_autoptr(GBytes) png = vf_make_png ();
  g_autoptr(GError) error = NULL;
  GBytes *baked = bw_baked_bake_png (png, "openbadges", text, &error);

  g_assert_no_error (error);
  return baked;
}

static GBytes *
bake_svg (const char *verify,
          const char *body)
{
  g_autoptr(GBytes) svg = vf_make_svg ();
  g_autoptr(GError) error = NULL;
  GBytes *baked = bw_baked_bake_svg (svg, FALSE, verify, body, &error);

  g_assert_no_error (error);
  return baked;
}

/* Hosted badges, baked as a URL or as JSON, in PNG and SVG. */

static void
test_hosted_url_png (Fixture       *fx,
                     gconstpointer  data)
{
  g_autofree char *url = publish_assertion (fx, 0, "/assertions/1.json", NULL, NULL, NULL);
  g_autoptr(GBytes) baked = bake_png (url);
  g_autoptr(BwReport) report = verify_input (fx, "badge.png", baked);
  g_autoptr(JsonNode) json = NULL;
  JsonObject *object;

  expect_verdict (report, BW_VERDICT_VALID);
  expect_check (report, "payload", BW_CHECK_PASS);
  expect_check (report, "assertion", BW_CHECK_PASS);
  expect_check (report, "revocation", BW_CHECK_PASS);
  expect_check (report, "badge-class", BW_CHECK_PASS);
  expect_check (report, "issuer", BW_CHECK_PASS);
  expect_check (report, "verification-policy", BW_CHECK_PASS);
  expect_check (report, "issued-date", BW_CHECK_PASS);
  expect_check (report, "expiry", BW_CHECK_PASS);
  expect_check (report, "image", BW_CHECK_PASS);
  expect_check (report, "transport", BW_CHECK_WARN);
  expect_check (report, "recipient", BW_CHECK_SKIP);
  g_assert_null (bw_report_get_check (report, "baked-copy"));
  g_assert_cmpint (bw_report_get_recipient_match (report), ==, BW_MATCH_UNKNOWN);

  json = bw_report_to_json (report);
  object = json_node_get_object (json);
  g_assert_cmpstr (json_object_get_string_member (object, "input"), ==, "badge.png");
  g_assert_cmpstr (json_object_get_string_member (object, "verdict"), ==, "valid");
  g_assert_cmpstr (json_object_get_string_member (object, "spec"), ==, "2.0");
  g_assert_cmpstr (json_object_get_string_member (object, "verification"), ==, "hosted");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (object, "badge"), "name"),
                   ==, "Robotics");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (object, "recipient"), "match"),
                   ==, "unknown");
  g_assert_cmpuint (bw_report_get_documents (report)->len, >=, 3);
  g_assert_cmpuint (bw_test_issuer_get_request_count (fx->issuer, "/assertions/1.json"), ==, 1);
}

static void
test_hosted_json_png (Fixture       *fx,
                      gconstpointer  data)
{
  g_autofree char *json = NULL;
  g_autofree char *url = publish_assertion (fx, 0, "/assertions/2.json", NULL, NULL, &json);
  g_autoptr(GBytes) baked = bake_png (json);
  g_autoptr(BwReport) report = verify_input (fx, "badge.png", baked);

  expect_verdict (report, BW_VERDICT_VALID);
  expect_check (report, "baked-copy", BW_CHECK_PASS);
  /* The hosted copy is fetched even though the file holds the assertion. */
  g_assert_cmpuint (bw_test_issuer_get_request_count (fx->issuer, "/assertions/2.json"), ==, 1);
}

static void
test_hosted_url_svg (Fixture       *fx,
                     gconstpointer  data)
{
  g_autofree char *url = publish_assertion (fx, 0, "/assertions/3.json", NULL, NULL, NULL);
  g_autoptr(GBytes) baked = bake_svg (url, NULL);
  g_autoptr(BwReport) report = verify_input (fx, "badge.svg", baked);

  expect_verdict (report, BW_VERDICT_VALID);
  expect_check (report, "assertion", BW_CHECK_PASS);
}

static void
test_hosted_json_svg (Fixture       *fx,
                      gconstpointer  data)
{
  g_autofree char *json = NULL;
  g_autofree char *url = publish_assertion (fx, 0, "/assertions/4.json", NULL, NULL, &json);
  g_autoptr(GBytes) baked = bake_svg (url, json);
  g_autoptr(BwReport) report = verify_input (fx, "badge.svg", baked);

  expect_verdict (report, BW_VERDICT_VALID);
  expect_check (report, "baked-copy", BW_CHECK_PASS);
}

static void
test_hosted_copy_differs (Fixture       *fx,
                          gconstpointer  data)
{
  g_autofree char *url = publish_assertion (fx, 0, "/assertions/5.json", NULL, NULL, NULL);
  g_autofree char *forged = vf_assertion_json (url, fx->class_url, NULL, NULL,
                                               ", \"expires\": \"2099-01-01T00:00:00Z\"");
  g_autoptr(GBytes) baked = bake_png (forged);
  g_autoptr(BwReport) report = verify_input (fx, "badge.png", baked);
  const BwCheck *check;

  expect_verdict (report, BW_VERDICT_VALID);
  check = expect_check (report, "baked-copy", BW_CHECK_WARN);
  g_assert_nonnull (strstr (check->message, "expires"));
  /* The issuer's copy, which has no expiry, is the one reported. */
  g_assert_null (bw_badge_get_expires (bw_report_get_badge (report)));
}

static void
test_hosted_url_direct (Fixture       *fx,
                        gconstpointer  data)
{
  g_autofree char *url = publish_assertion (fx, 1, "/assertions/6.json", NULL, NULL, NULL);
  g_autofree char *policy = g_strdup_printf (", \"verification\": {\"allowedOrigins\": [\"%s\"]}",
                                             bw_test_issuer_get_url (fx->issuer, 1) + strlen ("http://"));
  g_autoptr(BwReport) report = NULL;

  g_free (fx->issuer_url);
  fx->issuer_url = vf_publish_issuer (fx->issuer, 0, "/issuer.json", policy);
  report = verify_input (fx, url, NULL);
  expect_verdict (report, BW_VERDICT_VALID);
  g_assert_cmpstr (bw_report_get_input (report), ==, url);
}

static void
test_hosted_dropped_image_url (Fixture       *fx,
                               gconstpointer  data)
{
  g_autofree char *url = publish_assertion (fx, 0, "/assertions/7.json", NULL, NULL, NULL);
  g_autoptr(GBytes) baked = bake_png (url);
  g_autofree char *image_url = g_strconcat (bw_test_issuer_get_url (fx->issuer, 0), "/baked/7.png", NULL);
  g_autoptr(BwReport) report = NULL;

  bw_test_issuer_add (fx->issuer, 0, "/baked/7.png", "image/png", baked);
  report = verify_input (fx, image_url, NULL);
  expect_verdict (report, BW_VERDICT_VALID);
  expect_check (report, "assertion", BW_CHECK_PASS);
}

static void
test_hosted_badge_object (Fixture       *fx,
                          gconstpointer  data)
{
  g_autofree char *url = publish_assertion (fx, 0, "/assertions/object.json", NULL, NULL, NULL);
  g_autoptr(BwPayload) payload = bw_payload_new (BW_PAYLOAD_KIND_URL, BW_PAYLOAD_SOURCE_URL, url);
  g_autoptr(BwBadge) badge = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(BwReport) report = NULL;
  g_autoptr(GError) error = NULL;

  /* The badge-level entry point, as the wallet uses it for stored badges. */
  badge = bw_badge_new_from_payload (payload, &error);
  g_assert_no_error (error);
  bw_verifier_verify_async (fx->verifier, badge, NULL, result_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  report = bw_verifier_verify_finish (fx->verifier, result, &error);
  g_assert_no_error (error);
  expect_verdict (report, BW_VERDICT_VALID);
  g_assert_cmpstr (bw_report_get_input (report), ==, url);
  g_assert_cmpstr (bw_badge_get_name (bw_report_get_badge (report)), ==, "Robotics");
}

static void
test_hosted_wrong_id (Fixture       *fx,
                      gconstpointer  data)
{
  g_autofree char *other = g_strconcat (bw_test_issuer_get_url (fx->issuer, 0), "/assertions/other.json", NULL);
  g_autofree char *json = vf_assertion_json (other, fx->class_url, NULL, NULL, NULL);
  g_autofree char *url = g_strconcat (bw_test_issuer_get_url (fx->issuer, 0), "/assertions/8.json", NULL);
  g_autoptr(GBytes) baked = bake_png (url);
  g_autoptr(BwReport) report = NULL;

  bw_test_issuer_add_json (fx->issuer, 0, "/assertions/8.json", json);
  report = verify_input (fx, "badge.png", baked);
  expect_verdict (report, BW_VERDICT_INVALID);
  expect_check (report, "assertion", BW_CHECK_FAIL);
}

/* Revocation is tested three ways, then the dates. */

static void
test_revoked_gone (Fixture       *fx,
                   gconstpointer  data)
{
  g_autofree char *url = g_strconcat (bw_test_issuer_get_url (fx->issuer, 0), "/assertions/r1.json", NULL);
  g_autoptr(GBytes) baked = bake_png (url);
  g_autoptr(BwReport) report = NULL;
  g_autofree char *summary = NULL;
  const BwCheck *check;

  bw_test_issuer_add_revoked (fx->issuer, 0, "/assertions/r1.json", "Awarded by mistake");
  report = verify_input (fx, "badge.png", baked);
  expect_verdict (report, BW_VERDICT_REVOKED);
  check = expect_check (report, "revocation", BW_CHECK_FAIL);
  g_assert_nonnull (strstr (check->message, "Awarded by mistake"));
  summary = bw_report_dup_summary (report);
  g_assert_true (g_str_has_prefix (summary, "Revoked"));
}

static void
test_revoked_flag (Fixture       *fx,
                   gconstpointer  data)
{
  g_autofree char *url = publish_assertion (fx, 0, "/assertions/r2.json", NULL,
                                            ", \"revoked\": true, \"revocationReason\": \"Cheating\"",
                                            NULL);
  g_autoptr(GBytes) baked = bake_png (url);
  g_autoptr(BwReport) report = verify_input (fx, "badge.png", baked);
  const BwCheck *check;

  expect_verdict (report, BW_VERDICT_REVOKED);
  check = expect_check (report, "revocation", BW_CHECK_FAIL);
  g_assert_nonnull (strstr (check->message, "Cheating"));
}

static void
test_expired (Fixture       *fx,
              gconstpointer  data)
{
  g_autofree char *url = publish_assertion (fx, 0, "/assertions/e1.json", NULL,
                                            ", \"expires\": \"2025-01-01T00:00:00Z\"", NULL);
  g_autoptr(GBytes) baked = bake_png (url);
  g_autoptr(BwReport) report = verify_input (fx, "badge.png", baked);
  g_autofree char *summary = NULL;

  expect_verdict (report, BW_VERDICT_EXPIRED);
  expect_check (report, "expiry", BW_CHECK_FAIL);
  expect_check (report, "issued-date", BW_CHECK_PASS);
  summary = bw_report_dup_summary (report);
  g_assert_cmpstr (summary, ==, "Expired on 1 January 2025 — issued by Example Issuer, 12 March 2024");
}

static void
test_expired_with_fixed_now (Fixture       *fx,
                             gconstpointer  data)
{
  g_autofree char *url = publish_assertion (fx, 0, "/assertions/e2.json", NULL,
                                            ", \"expires\": \"2025-01-01T00:00:00Z\"", NULL);
  g_autoptr(GBytes) baked = bake_png (url);
  g_autoptr(GDateTime) now = g_date_time_new_utc (2024, 6, 1, 0, 0, 0);
  g_autoptr(BwReport) report = NULL;

  /* Before the expiry date the same badge is current. */
  bw_verifier_set_now (fx->verifier, now);
  report = verify_input (fx, "badge.png", baked);
  expect_verdict (report, BW_VERDICT_VALID);
  expect_check (report, "expiry", BW_CHECK_PASS);
}

static void
test_issued_in_future (Fixture       *fx,
                       gconstpointer  data)
{
  g_autofree char *url = g_strconcat (bw_test_issuer_get_url (fx->issuer, 0), "/assertions/f1.json", NULL);
  g_autofree char *json = vf_assertion_json (url, fx->class_url, NULL, NULL, NULL);
  g_autoptr(GString) future = g_string_new (json);
  g_autoptr(GBytes) baked = bake_png (url);
  g_autoptr(BwReport) report = NULL;
  g_autofree char *summary = NULL;

  g_string_replace (future, "2024-03-12T00:00:00Z", "2100-12-31T00:00:00Z", 1);
  bw_test_issuer_add_json (fx->issuer, 0, "/assertions/f1.json", future->str);
  report = verify_input (fx, "badge.png", baked);
  expect_verdict (report, BW_VERDICT_INVALID);
  expect_check (report, "issued-date", BW_CHECK_FAIL);
  summary = bw_report_dup_summary (report);
  g_assert_true (g_str_has_prefix (summary, "Not valid — The badge says it was issued on 2100-12-31"));
}

static void
test_expires_before_issued (Fixture       *fx,
                            gconstpointer  data)
{
  g_autofree char *url = publish_assertion (fx, 0, "/assertions/f2.json", NULL,
                                            ", \"expires\": \"2020-01-01T00:00:00Z\"", NULL);
  g_autoptr(GBytes) baked = bake_png (url);
  g_autoptr(BwReport) report = verify_input (fx, "badge.png", baked);

  expect_verdict (report, BW_VERDICT_INVALID);
  expect_check (report, "expiry", BW_CHECK_FAIL);
}

/* Signed badges use keys the tests publish on the test issuer. */

typedef struct
{
  char *key_url;
  char *assertion_json;
  char *jws;
} Signed;

static void
signed_clear (Signed *s)
{
  g_free (s->key_url);
  g_free (s->assertion_json);
  g_free (s->jws);
}

/* Publishes the key and an issuer listing it (with @issuer_extra), and
 * signs an assertion with @signer. */
static void
make_signed (Fixture    *fx,
             Signed     *s,
             BwTestKey  *signer,
             const char *owner,
             const char *issuer_extra,
             const char *assertion_extra)
{
  g_autofree char *pem = bw_test_key_dup_public_pem (rsa_key);
  g_autofree char *escaped = g_strescape (pem, NULL);
  g_autofree char *key_json = NULL;
  g_autofree char *extra = NULL;
  g_autofree char *verification = NULL;
  g_autoptr(GError) error = NULL;

  s->key_url = g_strconcat (bw_test_issuer_get_url (fx->issuer, 0), "/keys/1.json", NULL);
  key_json = g_strdup_printf ("{\"@context\": \"https://w3id.org/openbadges/v2\", "
                              "\"type\": \"CryptographicKey\", \"id\": \"%s\", \"owner\": \"%s\", "
                              "\"publicKeyPem\": \"%s\"}",
                              s->key_url, owner != NULL ? owner : fx->issuer_url, escaped);
  bw_test_issuer_add_json (fx->issuer, 0, "/keys/1.json", key_json);

  extra = g_strdup_printf (", \"publicKey\": \"%s\"%s", s->key_url,
                           issuer_extra != NULL ? issuer_extra : "");
  g_free (fx->issuer_url);
  fx->issuer_url = vf_publish_issuer (fx->issuer, 0, "/issuer.json", extra);

  verification = g_strdup_printf ("{\"type\": \"SignedBadge\", \"creator\": \"%s\"}", s->key_url);
  s->assertion_json = vf_assertion_json ("urn:uuid:3f1c6a2e-8a7b-4a55-9a3e-2b1f0c9d7e11",
                                         fx->class_url, NULL, verification, assertion_extra);
  s->jws = bw_test_key_sign_jws (signer, NULL, s->assertion_json, &error);
  g_assert_no_error (error);
}

static void
test_signed_valid (Fixture       *fx,
                   gconstpointer  data)
{
  Signed s = { 0 };
  g_autoptr(GBytes) baked = NULL;
  g_autoptr(BwReport) report = NULL;

  make_signed (fx, &s, rsa_key, NULL, NULL, NULL);
  baked = bake_png (s.jws);
  report = verify_input (fx, "signed.png", baked);
  expect_verdict (report, BW_VERDICT_VALID);
  expect_check (report, "algorithm", BW_CHECK_PASS);
  expect_check (report, "signing-key", BW_CHECK_PASS);
  expect_check (report, "signature", BW_CHECK_PASS);
  expect_check (report, "revocation", BW_CHECK_PASS);
  g_assert_null (bw_report_get_check (report, "verification-policy"));
  g_assert_cmpstr (bw_report_get_verification (report), ==, "signed");
  signed_clear (&s);
}

static void
test_signed_jws_file (Fixture       *fx,
                      gconstpointer  data)
{
  Signed s = { 0 };
  g_autoptr(GBytes) file = NULL;
  g_autoptr(BwReport) report = NULL;

  make_signed (fx, &s, rsa_key, NULL, NULL, NULL);
  file = g_bytes_new (s.jws, strlen (s.jws));
  report = verify_input (fx, "signed.jws", file);
  expect_verdict (report, BW_VERDICT_VALID);
  signed_clear (&s);
}

static void
test_signed_revocation_list (Fixture       *fx,
                             gconstpointer  data)
{
  Signed s = { 0 };
  g_autofree char *list_url = g_strconcat (bw_test_issuer_get_url (fx->issuer, 0), "/revocations.json", NULL);
  g_autofree char *extra = g_strdup_printf (", \"revocationList\": \"%s\"", list_url);
  g_autoptr(GBytes) baked = NULL;
  g_autoptr(BwReport) report = NULL;
  const BwCheck *check;

  make_signed (fx, &s, rsa_key, NULL, extra, NULL);
  bw_test_issuer_add_json (fx->issuer, 0, "/revocations.json",
                           "{\"@context\": \"https://w3id.org/openbadges/v2\", "
                           "\"type\": \"RevocationList\", \"revokedAssertions\": ["
                           "\"urn:uuid:00000000-0000-0000-0000-000000000000\", "
                           "{\"id\": \"urn:uuid:3f1c6a2e-8a7b-4a55-9a3e-2b1f0c9d7e11\", "
                           "\"revocationReason\": \"A good reason, for sure\"}]}");
  baked = bake_png (s.jws);
  report = verify_input (fx, "signed.png", baked);
  expect_verdict (report, BW_VERDICT_REVOKED);
  expect_check (report, "signature", BW_CHECK_PASS);
  check = expect_check (report, "revocation", BW_CHECK_FAIL);
  g_assert_nonnull (strstr (check->message, "A good reason, for sure"));
  signed_clear (&s);
}

static void
test_signed_not_in_revocation_list (Fixture       *fx,
                                    gconstpointer  data)
{
  Signed s = { 0 };
  g_autofree char *list_url = g_strconcat (bw_test_issuer_get_url (fx->issuer, 0), "/revocations.json", NULL);
  g_autofree char *extra = g_strdup_printf (", \"revocationList\": \"%s\"", list_url);
  g_autoptr(GBytes) baked = NULL;
  g_autoptr(BwReport) report = NULL;

  make_signed (fx, &s, rsa_key, NULL, extra, NULL);
  bw_test_issuer_add_json (fx->issuer, 0, "/revocations.json",
                           "{\"type\": \"RevocationList\", \"revokedAssertions\": []}");
  baked = bake_png (s.jws);
  report = verify_input (fx, "signed.png", baked);
  expect_verdict (report, BW_VERDICT_VALID);
  expect_check (report, "revocation", BW_CHECK_PASS);
  signed_clear (&s);
}

static void
test_signed_tampered (Fixture       *fx,
                      gconstpointer  data)
{
  Signed s = { 0 };
  g_autofree char *tampered = NULL;
  g_autoptr(GBytes) baked = NULL;
  g_autoptr(BwReport) report = NULL;

  make_signed (fx, &s, rsa_key, NULL, NULL, NULL);
  tampered = bw_test_jws_tamper (s.jws);
  baked = bake_png (tampered);
  report = verify_input (fx, "tampered.png", baked);
  expect_verdict (report, BW_VERDICT_INVALID);
  signed_clear (&s);
}

static void
test_signed_wrong_key (Fixture       *fx,
                       gconstpointer  data)
{
  Signed s = { 0 };
  g_autoptr(GBytes) baked = NULL;
  g_autoptr(BwReport) report = NULL;

  /* Signed by a key other than the one the issuer publishes. */
  make_signed (fx, &s, other_key, NULL, NULL, NULL);
  baked = bake_png (s.jws);
  report = verify_input (fx, "forged.png", baked);
  expect_verdict (report, BW_VERDICT_INVALID);
  expect_check (report, "signature", BW_CHECK_FAIL);
  signed_clear (&s);
}

static void
test_signed_key_owned_by_other (Fixture       *fx,
                                gconstpointer  data)
{
  Signed s = { 0 };
  g_autofree char *other = g_strconcat (bw_test_issuer_get_url (fx->issuer, 1), "/issuer.json", NULL);
  g_autoptr(GBytes) baked = NULL;
  g_autoptr(BwReport) report = NULL;

  make_signed (fx, &s, rsa_key, other, NULL, NULL);
  baked = bake_png (s.jws);
  report = verify_input (fx, "signed.png", baked);
  expect_verdict (report, BW_VERDICT_INVALID);
  expect_check (report, "signing-key", BW_CHECK_FAIL);
  signed_clear (&s);
}

static void
test_signed_creator_not_listed (Fixture       *fx,
                                gconstpointer  data)
{
  Signed s = { 0 };
  g_autoptr(GBytes) baked = NULL;
  g_autoptr(BwReport) report = NULL;

  make_signed (fx, &s, rsa_key, NULL, NULL, NULL);
  /* The issuer no longer lists the key the badge names. */
  g_free (fx->issuer_url);
  fx->issuer_url = vf_publish_issuer (fx->issuer, 0, "/issuer.json", NULL);
  baked = bake_png (s.jws);
  report = verify_input (fx, "signed.png", baked);
  expect_verdict (report, BW_VERDICT_INVALID);
  expect_check (report, "signing-key", BW_CHECK_FAIL);
  signed_clear (&s);
}

static void
test_signed_alg_none (Fixture       *fx,
                      gconstpointer  data)
{
  Signed s = { 0 };
  g_autofree char *unsigned_jws = NULL;
  g_autoptr(GBytes) baked = NULL;
  g_autoptr(BwReport) report = NULL;

  make_signed (fx, &s, rsa_key, NULL, NULL, NULL);
  unsigned_jws = bw_test_jws_make_alg_none (s.assertion_json);
  baked = bake_png (unsigned_jws);
  report = verify_input (fx, "none.png", baked);
  expect_verdict (report, BW_VERDICT_INVALID);
  g_assert_cmpuint (bw_test_issuer_get_request_count (fx->issuer, "/keys/1.json"), ==, 0);
  signed_clear (&s);
}

/* The hosted verification policy is tested across the two origins. */

static void
test_cross_origin_refused (Fixture       *fx,
                           gconstpointer  data)
{
  g_autofree char *url = publish_assertion (fx, 1, "/assertions/x1.json", NULL, NULL, NULL);
  g_autoptr(GBytes) baked = bake_png (url);
  g_autoptr(BwReport) report = verify_input (fx, "badge.png", baked);

  expect_verdict (report, BW_VERDICT_INVALID);
  expect_check (report, "verification-policy", BW_CHECK_FAIL);
}

static void
test_cross_origin_allowed (Fixture       *fx,
                           gconstpointer  data)
{
  g_autofree char *url = publish_assertion (fx, 1, "/assertions/x2.json", NULL, NULL, NULL);
  g_autofree char *policy = g_strdup_printf (", \"verification\": {\"type\": \"VerificationObject\", "
                                             "\"allowedOrigins\": [\"example.com\", \"%s\"]}",
                                             bw_test_issuer_get_url (fx->issuer, 1) + strlen ("http://"));
  g_autoptr(GBytes) baked = bake_png (url);
  g_autoptr(BwReport) report = NULL;

  g_free (fx->issuer_url);
  fx->issuer_url = vf_publish_issuer (fx->issuer, 0, "/issuer.json", policy);
  report = verify_input (fx, "badge.png", baked);
  expect_verdict (report, BW_VERDICT_VALID);
  expect_check (report, "verification-policy", BW_CHECK_PASS);
}

static void
test_starts_with (Fixture       *fx,
                  gconstpointer  data)
{
  g_autofree char *url = publish_assertion (fx, 0, "/assertions/s1.json", NULL, NULL, NULL);
  g_autoptr(GBytes) baked = bake_png (url);
  const char *base = bw_test_issuer_get_url (fx->issuer, 0);
  struct { const char *prefix; BwVerdict verdict; } cases[] = {
    { "/assertions/", BW_VERDICT_VALID },
    { "/NOT", BW_VERDICT_INVALID },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *policy = g_strdup_printf (", \"verification\": {\"startsWith\": [\"%s%s\"]}",
                                                 base, cases[i].prefix);
      g_autoptr(BwFetcher) fetcher = bw_fetcher_new ();
      g_autoptr(BwVerifier) verifier = NULL;
      g_autoptr(BwReport) report = NULL;
      g_autoptr(GError) error = NULL;

      g_free (fx->issuer_url);
      fx->issuer_url = vf_publish_issuer (fx->issuer, 0, "/issuer.json", policy);
      /* A fresh fetcher, so the changed issuer is not served from cache. */
      bw_fetcher_set_allow_local (fetcher, TRUE);
      verifier = bw_verifier_new (fetcher);
      report = verify_input_full (verifier, "badge.png", baked, NULL, &error);
      g_assert_no_error (error);
      expect_verdict (report, cases[i].verdict);
    }
}

/* Every recipient hash form is tested matched and mismatched. */

static void
test_recipient_forms (Fixture       *fx,
                      gconstpointer  data)
{
  g_autofree char *sha_salted = vf_hash (G_CHECKSUM_SHA256, VF_EMAIL, VF_SALT);
  g_autofree char *sha_plain = vf_hash (G_CHECKSUM_SHA256, VF_EMAIL, NULL);
  g_autofree char *md5_salted = vf_hash (G_CHECKSUM_MD5, VF_EMAIL, VF_SALT);
  g_autofree char *sha_upper = g_ascii_strup (sha_salted, -1);
  struct { const char *label; char *recipient; } forms[] = {
    { "sha256 salted", g_strdup_printf ("{\"type\": \"email\", \"hashed\": true, \"salt\": \"%s\", \"identity\": \"%s\"}", VF_SALT, sha_salted) },
    { "sha256 unsalted", g_strdup_printf ("{\"type\": \"email\", \"hashed\": true, \"identity\": \"%s\"}", sha_plain) },
    { "md5 salted", g_strdup_printf ("{\"type\": \"email\", \"hashed\": true, \"salt\": \"%s\", \"identity\": \"%s\"}", VF_SALT, md5_salted) },
    { "sha256 upper-case hex", g_strdup_printf ("{\"type\": \"email\", \"hashed\": true, \"salt\": \"%s\", \"identity\": \"sha256$%s\"}", VF_SALT, sha_upper + strlen ("SHA256$")) },
    { "plain", g_strdup_printf ("{\"type\": \"email\", \"hashed\": false, \"identity\": \"%s\"}", VF_EMAIL) },
  };

  for (guint i = 0; i < G_N_ELEMENTS (forms); i++)
    {
      g_autofree char *path = g_strdup_printf ("/assertions/recipient-%u.json", i);
      g_autofree char *url = publish_assertion (fx, 0, path, forms[i].recipient, NULL, NULL);
      g_autoptr(GBytes) baked = bake_png (url);
      const char *emails[] = { VF_EMAIL, "somebody@example.org" };
      BwRecipientMatch expected[] = { BW_MATCH_MATCH, BW_MATCH_MISMATCH };

      for (guint j = 0; j < G_N_ELEMENTS (emails); j++)
        {
          g_autoptr(BwIdentity) identity = bw_identity_new ("email", emails[j]);
          g_autoptr(BwReport) report = NULL;

          g_test_message ("%s, %s", forms[i].label, emails[j]);
          bw_verifier_clear_identities (fx->verifier);
          bw_verifier_add_identity (fx->verifier, identity);
          report = verify_input (fx, "badge.png", baked);
          expect_verdict (report, BW_VERDICT_VALID);
          g_assert_cmpint (bw_report_get_recipient_match (report), ==, expected[j]);
          expect_check (report, "recipient", j == 0 ? BW_CHECK_PASS : BW_CHECK_FAIL);
          if (j == 0)
            {
              g_autofree char *summary = bw_report_dup_summary (report);

              g_assert_cmpstr (summary, ==,
                               "Valid — issued by Example Issuer to the e-mail you entered, 12 March 2024");
            }
        }
      g_free (forms[i].recipient);
    }
}

static void
test_recheck_recipient (Fixture       *fx,
                        gconstpointer  data)
{
  g_autofree char *url = publish_assertion (fx, 0, "/assertions/rc.json", NULL, NULL, NULL);
  g_autoptr(GBytes) baked = bake_png (url);
  g_autoptr(BwReport) report = verify_input (fx, "badge.png", baked);
  g_autoptr(GPtrArray) identities = g_ptr_array_new_with_free_func ((GDestroyNotify)bw_identity_free);
  const BwIdentity *matched = NULL;
  guint before = bw_test_issuer_get_request_count (fx->issuer, NULL);

  g_ptr_array_add (identities, bw_identity_new ("email", "somebody@example.org"));
  g_assert_cmpint (bw_verifier_recheck_recipient (report, identities, &matched), ==, BW_MATCH_MISMATCH);
  expect_check (report, "recipient", BW_CHECK_FAIL);

  g_ptr_array_add (identities, bw_identity_new ("email", VF_EMAIL));
  g_assert_cmpint (bw_verifier_recheck_recipient (report, identities, &matched), ==, BW_MATCH_MATCH);
  g_assert_nonnull (matched);
  g_assert_cmpstr (matched->value, ==, VF_EMAIL);
  expect_check (report, "recipient", BW_CHECK_PASS);
  g_assert_cmpint (bw_report_get_recipient_match (report), ==, BW_MATCH_MATCH);
  /* No network for a re-check. */
  g_assert_cmpuint (bw_test_issuer_get_request_count (fx->issuer, NULL), ==, before);
}

/* Network faults end within their bound with the verdict docs/verification.md gives. */

static void
test_unreachable_issuer (Fixture       *fx,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  BwTestIssuer *gone = bw_test_issuer_new (&error);
  g_autofree char *url = NULL;
  g_autofree char *json = NULL;
  g_autoptr(GBytes) baked = NULL;
  g_autoptr(BwReport) report = NULL;
  g_autoptr(BwIdentity) identity = bw_identity_new ("email", VF_EMAIL);
  g_autofree char *summary = NULL;

  g_assert_no_error (error);
  url = g_strconcat (bw_test_issuer_get_url (gone, 0), "/assertions/1.json", NULL);
  /* Once freed, nothing listens on its port any more. */
  bw_test_issuer_free (gone);
  json = vf_assertion_json (url, fx->class_url, NULL, NULL, NULL);
  baked = bake_png (json);
  bw_verifier_add_identity (fx->verifier, identity);
  report = verify_input (fx, "badge.png", baked);
  expect_verdict (report, BW_VERDICT_UNREACHABLE);
  expect_check (report, "assertion", BW_CHECK_FAIL);
  /* The file's own recipient matches, but nothing confirmed it. */
  expect_check (report, "recipient", BW_CHECK_WARN);
  g_assert_cmpint (bw_report_get_recipient_match (report), ==, BW_MATCH_UNKNOWN);
  g_assert_null (bw_report_get_check (report, "expiry"));
  summary = bw_report_dup_summary (report);
  g_assert_true (g_str_has_prefix (summary, "Cannot be confirmed"));
}

static void
test_faults (Fixture       *fx,
             gconstpointer  data)
{
  struct {
    BwTestFault  fault;
    BwVerdict    verdict;
    const char  *label;
  } cases[] = {
    { BW_TEST_FAULT_GONE, BW_VERDICT_REVOKED, "gone" },
    { BW_TEST_FAULT_ERROR_500, BW_VERDICT_UNREACHABLE, "error 500" },
    { BW_TEST_FAULT_REDIRECT_LOOP, BW_VERDICT_UNREACHABLE, "redirect loop" },
    { BW_TEST_FAULT_SLOW_DRIP, BW_VERDICT_UNREACHABLE, "slow drip" },
    { BW_TEST_FAULT_TRUNCATED, BW_VERDICT_UNREACHABLE, "truncated" },
    { BW_TEST_FAULT_OVERSIZED, BW_VERDICT_INVALID, "oversized" },
    { BW_TEST_FAULT_NOT_FOUND, BW_VERDICT_INVALID, "not found" },
  };
  /* The bound of one whole verification; every fault must end within it
   * (with a margin for slow sanitizer builds). */
  const guint bound = 3;

  bw_verifier_set_timeout (fx->verifier, bound);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/assertions/fault-%u.json", i);
      g_autofree char *url = publish_assertion (fx, 0, path, NULL, NULL, NULL);
      g_autoptr(GBytes) baked = bake_png (url);
      g_autoptr(BwReport) report = NULL;
      gint64 start, elapsed;

      g_test_message ("fault: %s", cases[i].label);
      bw_test_issuer_set_fault (fx->issuer, 0, path, cases[i].fault);
      start = g_get_monotonic_time ();
      report = verify_input (fx, "badge.png", baked);
      elapsed = g_get_monotonic_time () - start;
      expect_verdict (report, cases[i].verdict);
      g_assert_cmpint (elapsed, <, (bound + 5) * G_USEC_PER_SEC);
    }
}

static void
test_fault_on_badge_class (Fixture       *fx,
                           gconstpointer  data)
{
  g_autofree char *url = publish_assertion (fx, 0, "/assertions/bc.json", NULL, NULL, NULL);
  g_autoptr(GBytes) baked = bake_png (url);
  g_autoptr(BwReport) report = NULL;

  bw_test_issuer_set_fault (fx->issuer, 0, "/badges/robotics.json", BW_TEST_FAULT_ERROR_500);
  report = verify_input (fx, "badge.png", baked);
  expect_verdict (report, BW_VERDICT_UNREACHABLE);
  expect_check (report, "badge-class", BW_CHECK_FAIL);
}

static void
test_local_refused (Fixture       *fx,
                    gconstpointer  data)
{
  g_autofree char *url = publish_assertion (fx, 0, "/assertions/l1.json", NULL, NULL, NULL);
  g_autoptr(GBytes) baked = bake_png (url);
  g_autoptr(BwFetcher) fetcher = bw_fetcher_new ();
  g_autoptr(BwVerifier) verifier = bw_verifier_new (fetcher);
  g_autoptr(BwReport) report = NULL;
  g_autoptr(GError) error = NULL;

  report = verify_input_full (verifier, "badge.png", baked, NULL, &error);
  g_assert_no_error (error);
  expect_verdict (report, BW_VERDICT_UNREACHABLE);
  g_assert_cmpuint (bw_test_issuer_get_request_count (fx->issuer, NULL), ==, 0);
}

static void
test_offline (Fixture       *fx,
              gconstpointer  data)
{
  g_autofree char *url = publish_assertion (fx, 0, "/assertions/o1.json", NULL, NULL, NULL);
  g_autoptr(GBytes) baked = bake_png (url);
  g_autoptr(BwReport) report = NULL;

  bw_fetcher_set_offline (fx->fetcher, TRUE);
  report = verify_input (fx, "badge.png", baked);
  expect_verdict (report, BW_VERDICT_UNREACHABLE);
  g_assert_cmpuint (bw_test_issuer_get_request_count (fx->issuer, NULL), ==, 0);
}

/* Inputs that are no badge still get a report. */

static void
test_not_a_badge (Fixture       *fx,
                  gconstpointer  data)
{
  g_autoptr(GBytes) png = vf_make_png ();
  g_autoptr(GBytes) broken = g_bytes_new_static ("{\"@context\": ", 13);
  GBytes *inputs[] = { png, broken };

  for (guint i = 0; i < G_N_ELEMENTS (inputs); i++)
    {
      g_autoptr(BwReport) report = verify_input (fx, "plain", inputs[i]);
      g_autoptr(JsonNode) json = bw_report_to_json (report);
      JsonObject *object = json_node_get_object (json);
      const BwCheck *check;

      expect_verdict (report, BW_VERDICT_INVALID);
      check = expect_check (report, "payload", BW_CHECK_FAIL);
      g_assert_cmpstr (check->message, !=, "");
      g_assert_true (json_node_is_null (json_object_get_member (object, "spec")));
      g_assert_cmpstr (json_object_get_string_member (object, "verification"), ==, "none");
    }
  g_assert_cmpuint (bw_test_issuer_get_request_count (fx->issuer, NULL), ==, 0);
}

static void
test_missing_file (Fixture       *fx,
                   gconstpointer  data)
{
  g_autoptr(BwReport) report = verify_input (fx, "/nonexistent/badge.png", NULL);

  expect_verdict (report, BW_VERDICT_INVALID);
  expect_check (report, "payload", BW_CHECK_FAIL);
}

/* OB 1.0 hosted badge, upgraded the way validator-core does. */

static void
test_ob10_hosted (Fixture       *fx,
                  gconstpointer  data)
{
  const char *base = bw_test_issuer_get_url (fx->issuer, 0);
  g_autofree char *issuer_json = g_strdup_printf ("{\"name\": \"Old Issuer\", \"url\": \"%s\"}", base);
  g_autofree char *class_json = g_strdup_printf ("{\"name\": \"Old Badge\", \"description\": \"An OB 1.0 badge\", "
                                                 "\"image\": \"%s\", \"criteria\": \"%s/criteria\", "
                                                 "\"issuer\": \"%s/v1/issuer.json\"}",
                                                 fx->image_url, base, base);
  g_autofree char *assertion_json = g_strdup_printf ("{\"uid\": \"abc-1\", \"recipient\": {\"type\": \"email\", "
                                                     "\"hashed\": false, \"identity\": \"%s\"}, "
                                                     "\"badge\": \"%s/v1/badge.json\", "
                                                     "\"verify\": {\"type\": \"hosted\", \"url\": \"%s/v1/assertion.json\"}, "
                                                     "\"issuedOn\": \"2015-04-30\"}",
                                                     VF_EMAIL, base, base);
  g_autoptr(GBytes) baked = NULL;
  g_autoptr(BwReport) report = NULL;
  g_autoptr(BwIdentity) identity = bw_identity_new ("email", VF_EMAIL);

  bw_test_issuer_add_json (fx->issuer, 0, "/v1/issuer.json", issuer_json);
  bw_test_issuer_add_json (fx->issuer, 0, "/v1/badge.json", class_json);
  bw_test_issuer_add_json (fx->issuer, 0, "/v1/assertion.json", assertion_json);
  baked = bake_png (assertion_json);
  bw_verifier_add_identity (fx->verifier, identity);
  report = verify_input (fx, "old.png", baked);
  expect_verdict (report, BW_VERDICT_VALID);
  g_assert_cmpstr (bw_report_get_spec (report), ==, "1.0");
  g_assert_cmpint (bw_report_get_recipient_match (report), ==, BW_MATCH_MATCH);
  g_assert_cmpuint (bw_test_issuer_get_request_count (fx->issuer, "/v1/assertion.json"), ==, 1);
}

/* OB 3.0: an embedded proof is reported honestly, never as valid. */

static void
test_ob3_embedded_proof (Fixture       *fx,
                         gconstpointer  data)
{
  static const char credential[] =
    "{\"@context\": [\"https://www.w3.org/ns/credentials/v2\", "
    "\"https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json\"], "
    "\"id\": \"urn:uuid:1f0c3b62-8e5c-4f0e-9d8f-3b2c1a0d9e8f\", "
    "\"type\": [\"VerifiableCredential\", \"OpenBadgeCredential\"], "
    "\"issuer\": {\"id\": \"https://issuer.example/issuers/1\", \"type\": [\"Profile\"], \"name\": \"Example\"}, "
    "\"validFrom\": \"2024-01-01T00:00:00Z\", \"name\": \"Example credential\", "
    "\"credentialSubject\": {\"type\": [\"AchievementSubject\"], \"id\": \"did:example:subject\", "
    "\"achievement\": {\"id\": \"https://issuer.example/achievements/1\", \"type\": [\"Achievement\"], "
    "\"name\": \"Example\", \"description\": \"Example\", \"criteria\": {\"narrative\": \"Do it.\"}}}, "
    "\"proof\": {\"type\": \"DataIntegrityProof\", \"cryptosuite\": \"eddsa-rdfc-2022\", "
    "\"proofPurpose\": \"assertionMethod\", \"verificationMethod\": \"did:key:z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi\", "
    "\"proofValue\": \"z3yUuWbFsLUp2CUrSZRaRbTk1UnkhpoJgJYu1SdMqd3AEMotpY41sKky7VzavnSfjApggtWJg1tcREvs5H4ZNnBRH\"}}";
  g_autoptr(GBytes) file = g_bytes_new_static (credential, sizeof credential - 1);
  g_autoptr(BwReport) report = verify_input (fx, "credential.json", file);

  g_assert_cmpint (bw_report_get_verdict (report), !=, BW_VERDICT_VALID);
  expect_check (report, "proof", BW_CHECK_SKIP);
  g_assert_cmpstr (bw_report_get_spec (report), ==, "3.0");
  g_assert_cmpstr (bw_report_get_verification (report), ==, "proof");
}

/* OB 3.0 VC-JWT: checked with bw-jose when the key is the issuer's. */

static char *
make_vc_jwt (Fixture    *fx,
             BwTestKey  *signer,
             JsonObject *header,
             const char *valid_until)
{
  const char *base = bw_test_issuer_get_url (fx->issuer, 0);
  g_autofree char *payload = NULL;
  g_autoptr(GError) error = NULL;
  char *jwt;

  payload = g_strdup_printf ("{\"@context\": [\"https://www.w3.org/ns/credentials/v2\", "
                             "\"https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json\"], "
                             "\"id\": \"urn:uuid:6a2b1f0c-1d2e-4f3a-8b9c-0d1e2f3a4b5c\", "
                             "\"type\": [\"VerifiableCredential\", \"OpenBadgeCredential\"], "
                             "\"issuer\": {\"id\": \"%s/issuers/3\", \"type\": [\"Profile\"], \"name\": \"JWT Issuer\"}, "
                             "\"validFrom\": \"2024-01-01T00:00:00Z\"%s%s%s, \"name\": \"JWT credential\", "
                             "\"credentialSubject\": {\"type\": [\"AchievementSubject\"], "
                             "\"identifier\": [{\"type\": \"IdentityObject\", \"hashed\": false, "
                             "\"identityHash\": \"%s\", \"identityType\": \"emailAddress\"}], "
                             "\"achievement\": {\"id\": \"%s/achievements/1\", \"type\": [\"Achievement\"], "
                             "\"name\": \"JWT\", \"description\": \"d\", \"criteria\": {\"narrative\": \"n\"}}}, "
                             "\"iss\": \"%s/issuers/3\", \"jti\": \"urn:uuid:6a2b1f0c-1d2e-4f3a-8b9c-0d1e2f3a4b5c\", "
                             "\"nbf\": 1704067200}",
                             base,
                             valid_until != NULL ? ", \"validUntil\": \"" : "",
                             valid_until != NULL ? valid_until : "",
                             valid_until != NULL ? "\"" : "",
                             VF_EMAIL, base, base);
  jwt = bw_test_key_sign_jws (signer, header, payload, &error);
  g_assert_no_error (error);
  return jwt;
}

static GBytes *
bake_credential (const char *jwt)
{
  g_autoptr(GBytes) png = vf_make_png ();
  g_autoptr(GError) error = NULL;
  GBytes *baked = bw_baked_bake_png (png, "openbadgecredential", jwt, &error);

  g_assert_no_error (error);
  return baked;
}

static void
test_ob3_vc_jwt (Fixture       *fx,
                 gconstpointer  data)
{
  g_autofree char *kid = g_strconcat (bw_test_issuer_get_url (fx->issuer, 0), "/issuers/3/key.json", NULL);
  g_autofree char *jwk = bw_test_key_dup_public_jwk_json (rsa_key);
  g_autoptr(JsonObject) kid_header = json_object_new ();
  g_autoptr(JsonObject) jwk_header = json_object_new ();
  g_autoptr(BwIdentity) identity = bw_identity_new ("email", VF_EMAIL);

  bw_test_issuer_add_json (fx->issuer, 0, "/issuers/3/key.json", jwk);
  json_object_set_string_member (kid_header, "kid", kid);
  json_object_set_object_member (jwk_header, "jwk", bw_test_key_dup_public_jwk (rsa_key));
  bw_verifier_add_identity (fx->verifier, identity);

  /* A key on the issuer's site: the credential can be confirmed. */
  {
    g_autofree char *jwt = make_vc_jwt (fx, rsa_key, kid_header, NULL);
    g_autoptr(GBytes) baked = bake_credential (jwt);
    g_autoptr(BwReport) report = verify_input (fx, "credential.png", baked);

    expect_verdict (report, BW_VERDICT_VALID);
    expect_check (report, "proof", BW_CHECK_PASS);
    expect_check (report, "signing-key", BW_CHECK_PASS);
    g_assert_cmpstr (bw_report_get_spec (report), ==, "3.0");
    g_assert_cmpstr (bw_report_get_verification (report), ==, "proof");
  }

  /* Signed by someone else's key under the issuer's kid. */
  {
    g_autofree char *jwt = make_vc_jwt (fx, other_key, kid_header, NULL);
    g_autoptr(GBytes) baked = bake_credential (jwt);
    g_autoptr(BwReport) report = verify_input (fx, "credential.png", baked);

    expect_verdict (report, BW_VERDICT_INVALID);
    expect_check (report, "proof", BW_CHECK_FAIL);
  }

  /* Expired. */
  {
    g_autofree char *jwt = make_vc_jwt (fx, rsa_key, kid_header, "2025-01-01T00:00:00Z");
    g_autoptr(GBytes) baked = bake_credential (jwt);
    g_autoptr(BwReport) report = verify_input (fx, "credential.png", baked);

    expect_verdict (report, BW_VERDICT_EXPIRED);
  }

  /* A key carried inside the credential ties nothing to the issuer. */
  {
    g_autofree char *jwt = make_vc_jwt (fx, rsa_key, jwk_header, NULL);
    g_autoptr(GBytes) baked = bake_credential (jwt);
    g_autoptr(BwReport) report = verify_input (fx, "credential.png", baked);

    expect_verdict (report, BW_VERDICT_UNREACHABLE);
    expect_check (report, "proof", BW_CHECK_PASS);
    expect_check (report, "signing-key", BW_CHECK_SKIP);
  }
}

/* The shared fetcher: many badges of one issuer cost one request each for
 * the documents they share. */

typedef struct
{
  guint    pending;
  GPtrArray *reports;
} Batch;

static void
batch_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  Batch *batch = user_data;
  g_autoptr(GError) error = NULL;
  BwReport *report = bw_verifier_verify_finish (BW_VERIFIER (source), result, &error);

  g_assert_no_error (error);
  g_ptr_array_add (batch->reports, report);
  batch->pending--;
}

static void
test_shared_documents (Fixture       *fx,
                       gconstpointer  data)
{
  const guint n = 20;
  Batch batch = { 0 };
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func ((GDestroyNotify)g_bytes_unref);

  batch.reports = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *path = g_strdup_printf ("/assertions/many-%u.json", i);
      g_autofree char *url = publish_assertion (fx, 0, path, NULL, NULL, NULL);

      g_ptr_array_add (files, bake_png (url));
    }
  bw_test_issuer_set_delay (fx->issuer, 20);
  for (guint i = 0; i < n; i++)
    {
      batch.pending++;
      bw_verifier_verify_input_async (fx->verifier, "badge.png", g_ptr_array_index (files, i),
                                      NULL, batch_cb, &batch);
    }
  while (batch.pending > 0)
    g_main_context_iteration (NULL, TRUE);

  for (guint i = 0; i < n; i++)
    expect_verdict (g_ptr_array_index (batch.reports, i), BW_VERDICT_VALID);
  g_assert_cmpuint (bw_test_issuer_get_request_count (fx->issuer, "/badges/robotics.json"), ==, 1);
  g_assert_cmpuint (bw_test_issuer_get_request_count (fx->issuer, "/issuer.json"), ==, 1);
  g_assert_cmpuint (bw_test_issuer_get_request_count (fx->issuer, "/badges/robotics.png"), ==, 1);
  g_assert_cmpuint (bw_test_issuer_get_request_count (fx->issuer, NULL), ==, n + 3);
  g_ptr_array_unref (batch.reports);
}

static void
test_cancel (Fixture       *fx,
             gconstpointer  data)
{
  g_autofree char *url = publish_assertion (fx, 0, "/assertions/c1.json", NULL, NULL, NULL);
  g_autoptr(GBytes) baked = bake_png (url);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(BwReport) report = NULL;
  g_autoptr(GError) error = NULL;

  bw_test_issuer_set_fault (fx->issuer, 0, "/assertions/c1.json", BW_TEST_FAULT_SLOW_DRIP);
  bw_verifier_verify_input_async (fx->verifier, "badge.png", baked, cancellable, result_cb, &result);
  /* Cancel once the request is on its way. */
  while (bw_test_issuer_get_request_count (fx->issuer, "/assertions/c1.json") == 0)
    g_main_context_iteration (NULL, TRUE);
  g_cancellable_cancel (cancellable);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  report = bw_verifier_verify_finish (fx->verifier, result, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (report);
}

/* The report's JSON must restore what the store saved. */

static void
test_report_round_trip (Fixture       *fx,
                        gconstpointer  data)
{
  g_autofree char *url = publish_assertion (fx, 0, "/assertions/j1.json", NULL, NULL, NULL);
  g_autoptr(GBytes) baked = bake_png (url);
  g_autoptr(BwIdentity) identity = bw_identity_new ("email", VF_EMAIL);
  g_autoptr(BwReport) report = NULL;
  g_autoptr(BwReport) restored = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL;
  g_autofree char *again = NULL;
  g_autofree char *summary = NULL;
  g_autofree char *restored_summary = NULL;

  bw_verifier_add_identity (fx->verifier, identity);
  report = verify_input (fx, "badge.png", baked);
  json = bw_report_to_json_string (report);
  g_assert_null (strchr (json, '\n'));
  restored = bw_report_new_from_json_string (json, &error);
  g_assert_no_error (error);
  g_assert_cmpint (bw_report_get_verdict (restored), ==, BW_VERDICT_VALID);
  g_assert_cmpint (bw_report_get_recipient_match (restored), ==, BW_MATCH_MATCH);
  g_assert_cmpuint (bw_report_get_checks (restored)->len, ==, bw_report_get_checks (report)->len);
  g_assert_true (g_date_time_equal (bw_report_get_checked (restored), bw_report_get_checked (report)) ||
                 g_date_time_difference (bw_report_get_checked (report),
                                         bw_report_get_checked (restored)) < G_USEC_PER_SEC);
  again = bw_report_to_json_string (restored);
  g_assert_cmpstr (again, ==, json);
  summary = bw_report_dup_summary (report);
  restored_summary = bw_report_dup_summary (restored);
  g_assert_cmpstr (summary, ==, restored_summary);

  g_clear_object (&restored);
  restored = bw_report_new_from_json_string ("{\"verdict\": \"maybe\"}", &error);
  g_assert_error (error, BW_ERROR, BW_ERROR_INVALID_DATA);
  g_assert_null (restored);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  int ret;

  g_test_init (&argc, &argv, NULL);

  rsa_key = bw_test_key_new (BW_TEST_KEY_RSA, &error);
  g_assert_no_error (error);
  other_key = bw_test_key_new (BW_TEST_KEY_RSA, &error);
  g_assert_no_error (error);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/verify/hosted/url-png", test_hosted_url_png);
  ADD ("/verify/hosted/json-png", test_hosted_json_png);
  ADD ("/verify/hosted/url-svg", test_hosted_url_svg);
  ADD ("/verify/hosted/json-svg", test_hosted_json_svg);
  ADD ("/verify/hosted/copy-differs", test_hosted_copy_differs);
  ADD ("/verify/hosted/url-direct", test_hosted_url_direct);
  ADD ("/verify/hosted/dropped-image-url", test_hosted_dropped_image_url);
  ADD ("/verify/hosted/wrong-id", test_hosted_wrong_id);
  ADD ("/verify/hosted/badge-object", test_hosted_badge_object);
  ADD ("/verify/revoked/gone", test_revoked_gone);
  ADD ("/verify/revoked/flag", test_revoked_flag);
  ADD ("/verify/revoked/list", test_signed_revocation_list);
  ADD ("/verify/dates/expired", test_expired);
  ADD ("/verify/dates/fixed-now", test_expired_with_fixed_now);
  ADD ("/verify/dates/future", test_issued_in_future);
  ADD ("/verify/dates/expires-before-issued", test_expires_before_issued);
  ADD ("/verify/signed/valid", test_signed_valid);
  ADD ("/verify/signed/jws-file", test_signed_jws_file);
  ADD ("/verify/signed/not-in-revocation-list", test_signed_not_in_revocation_list);
  ADD ("/verify/signed/tampered", test_signed_tampered);
  ADD ("/verify/signed/wrong-key", test_signed_wrong_key);
  ADD ("/verify/signed/key-owned-by-other", test_signed_key_owned_by_other);
  ADD ("/verify/signed/creator-not-listed", test_signed_creator_not_listed);
  ADD ("/verify/signed/alg-none", test_signed_alg_none);
  ADD ("/verify/policy/cross-origin-refused", test_cross_origin_refused);
  ADD ("/verify/policy/cross-origin-allowed", test_cross_origin_allowed);
  ADD ("/verify/policy/starts-with", test_starts_with);
  ADD ("/verify/recipient/forms", test_recipient_forms);
  ADD ("/verify/recipient/recheck", test_recheck_recipient);
  ADD ("/verify/network/unreachable", test_unreachable_issuer);
  ADD ("/verify/network/faults", test_faults);
  ADD ("/verify/network/badge-class-fault", test_fault_on_badge_class);
  ADD ("/verify/network/local-refused", test_local_refused);
  ADD ("/verify/network/offline", test_offline);
  ADD ("/verify/network/shared-documents", test_shared_documents);
  ADD ("/verify/network/cancel", test_cancel);
  ADD ("/verify/input/not-a-badge", test_not_a_badge);
  ADD ("/verify/input/missing-file", test_missing_file);
  ADD ("/verify/ob1/hosted", test_ob10_hosted);
  ADD ("/verify/ob3/embedded-proof", test_ob3_embedded_proof);
  ADD ("/verify/ob3/vc-jwt", test_ob3_vc_jwt);
  ADD ("/verify/report/round-trip", test_report_round_trip);

  ret = g_test_run ();
  bw_test_key_free (rsa_key);
  bw_test_key_free (other_key);
  return ret;
}
