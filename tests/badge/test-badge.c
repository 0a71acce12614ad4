/* test-badge.c
 *
 * Copyright 2026 The Badge Wallet authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-badge"

#include "config.h"

#include <glib/gstdio.h>
#include <locale.h>
#include <string.h>

#include "bw-badge.h"
#include "bw-baked.h"
#include "bw-error.h"
#include "bw-ob2.h"
#include "bw-ob3.h"
#include "bw-util.h"

static BwBadge *
parse_text (const char  *text,
            const char  *fetched_from,
            GError     **error)
{
  g_autoptr(JsonNode) node = bw_json_parse (text, -1, error);

  if (node == NULL)
    return NULL;
  return bw_badge_new_from_json (node, fetched_from, error);
}

static BwBadge *
parse_ok (const char *text)
{
  g_autoptr(GError) error = NULL;
  BwBadge *badge = parse_text (text, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (badge);
  return badge;
}

static void
assert_date (GDateTime  *date,
             const char *expected)
{
  g_autofree char *text = bw_format_datetime (date);

  g_assert_cmpstr (text, ==, expected);
}

static char *
make_jws (const char *header,
          const char *payload)
{
  g_autofree char *h = bw_base64url_encode ((const guint8 *)header, strlen (header));
  g_autofree char *p = bw_base64url_encode ((const guint8 *)payload, strlen (payload));

  return g_strdup_printf ("%s.%s.c2lnbmF0dXJl", h, p);
}

#define OB2_EMBEDDED \
  "{\"@context\":\"https://w3id.org/openbadges/v2\",\"type\":\"Assertion\"," \
  "\"id\":\"https://example.org/a/1\"," \
  "\"recipient\":{\"type\":\"email\",\"hashed\":true,\"salt\":\"deadsea\"," \
  "\"identity\":\"sha256$ecf5409f3f4b91ab60cc5ef4c02aef7032354375e70cf4d8e43f6a1d29891942\"}," \
  "\"issuedOn\":\"2016-12-31T23:59:59+01:00\",\"expires\":\"2030-01-01T00:00:00Z\"," \
  "\"image\":\"https://example.org/baked.png\"," \
  "\"evidence\":[\"https://example.org/work.html\",{\"id\":\"https://example.org/e2\"," \
  "\"name\":\"Report\",\"narrative\":\"# Done\",\"genre\":\"Research\",\"audience\":\"All\"}]," \
  "\"verification\":{\"type\":\"HostedBadge\"}," \
  "\"badge\":{\"type\":\"BadgeClass\",\"id\":\"https://example.org/bc\",\"name\":\"Robotics\"," \
  "\"description\":\"Robots.\",\"image\":{\"id\":\"data:image/png;base64,iVBORw0KGgo=\"}," \
  "\"criteria\":{\"id\":\"https://example.org/criteria\",\"narrative\":\"Build one.\"}," \
  "\"tags\":[\"robots\",\"Robots\",\"stem\"]," \
  "\"alignment\":[{\"targetName\":\"Robot Programming\",\"targetUrl\":\"https://f.example/rp\"," \
  "\"targetFramework\":\"Robotics Framework\",\"targetCode\":\"RP1\"}," \
  "{\"targetName\":\"State standard 4\",\"targetUrl\":\"https://std.example/4\"}]," \
  "\"issuer\":{\"type\":\"Profile\",\"id\":\"https://example.org/issuer\",\"name\":\"Example\"," \
  "\"url\":\"https://example.org\",\"email\":\"badges@example.org\"," \
  "\"image\":\"https://example.org/logo.png\"}}}"

static void
test_ob2_embedded (void)
{
  g_autoptr(BwBadge) badge = parse_ok (OB2_EMBEDDED);
  GPtrArray *recipients = bw_badge_get_recipients (badge);
  GPtrArray *evidence = bw_badge_get_evidence (badge);
  GPtrArray *alignments = bw_badge_get_alignments (badge);
  const char * const *tags = bw_badge_get_tags (badge);
  const char * const *skills = bw_badge_get_skills (badge);
  BwRecipient *recipient;
  BwEvidence *second;

  g_assert_cmpint (bw_badge_get_spec (badge), ==, BW_SPEC_2_0);
  g_assert_cmpint (bw_badge_get_verification (badge), ==, BW_VERIFICATION_HOSTED);
  g_assert_cmpstr (bw_badge_get_id (badge), ==, "https://example.org/a/1");
  g_assert_cmpstr (bw_badge_get_name (badge), ==, "Robotics");
  g_assert_cmpstr (bw_badge_get_description (badge), ==, "Robots.");
  g_assert_cmpstr (bw_badge_get_image (badge), ==, "data:image/png;base64,iVBORw0KGgo=");
  g_assert_cmpstr (bw_badge_get_criteria_url (badge), ==, "https://example.org/criteria");
  g_assert_cmpstr (bw_badge_get_criteria_narrative (badge), ==, "Build one.");
  g_assert_cmpstr (bw_badge_get_badge_class_id (badge), ==, "https://example.org/bc");
  g_assert_cmpstr (bw_badge_get_issuer_id (badge), ==, "https://example.org/issuer");
  g_assert_cmpstr (bw_badge_get_issuer_name (badge), ==, "Example");
  g_assert_cmpstr (bw_badge_get_issuer_url (badge), ==, "https://example.org");
  g_assert_cmpstr (bw_badge_get_issuer_email (badge), ==, "badges@example.org");
  g_assert_cmpstr (bw_badge_get_issuer_image (badge), ==, "https://example.org/logo.png");
  assert_date (bw_badge_get_issued (badge), "2016-12-31T22:59:59Z");
  assert_date (bw_badge_get_expires (badge), "2030-01-01T00:00:00Z");
  g_assert_cmpstr (bw_badge_get_hosted_url (badge), ==, "https://example.org/a/1");
  g_assert_cmpstr (bw_badge_get_public_url (badge), ==, "https://example.org/a/1");
  g_assert_null (bw_badge_get_jws (badge));
  g_assert_false (bw_badge_needs_fetch (badge));
  g_assert_false (bw_badge_get_revoked (badge));
  g_assert_cmpuint (bw_badge_get_warnings (badge)->len, ==, 0);

  g_assert_cmpuint (recipients->len, ==, 1);
  recipient = g_ptr_array_index (recipients, 0);
  g_assert_cmpstr (recipient->type, ==, "email");
  g_assert_true (recipient->hashed);
  g_assert_cmpstr (recipient->salt, ==, "deadsea");
  g_assert_true (g_str_has_prefix (recipient->identity, "sha256$ecf5409f"));

  g_assert_cmpuint (evidence->len, ==, 2);
  g_assert_cmpstr (((BwEvidence *)g_ptr_array_index (evidence, 0))->id, ==,
                   "https://example.org/work.html");
  second = g_ptr_array_index (evidence, 1);
  g_assert_cmpstr (second->name, ==, "Report");
  g_assert_cmpstr (second->narrative, ==, "# Done");
  g_assert_cmpstr (second->genre, ==, "Research");
  g_assert_cmpstr (second->audience, ==, "All");

  g_assert_cmpuint (alignments->len, ==, 2);
  g_assert_cmpstr (((BwAlignment *)g_ptr_array_index (alignments, 0))->target_code, ==, "RP1");

  /* Tags are kept once whatever their case; only the alignment that names
   * a framework is a skill. */
  g_assert_cmpuint (g_strv_length ((char **)tags), ==, 2);
  g_assert_cmpstr (tags[0], ==, "robots");
  g_assert_cmpstr (tags[1], ==, "stem");
  g_assert_cmpuint (g_strv_length ((char **)skills), ==, 1);
  g_assert_cmpstr (skills[0], ==, "Robot Programming");

  g_assert_nonnull (bw_badge_get_assertion_document (badge));
  g_assert_null (bw_badge_get_badge_class_document (badge));
  g_assert_null (bw_badge_get_payload (badge));
}

static void
count_notify (GObject    *object,
              GParamSpec *pspec,
              gpointer    user_data)
{
  GHashTable *counts = user_data;
  guint n = GPOINTER_TO_UINT (g_hash_table_lookup (counts, pspec->name));

  g_hash_table_insert (counts, g_strdup (pspec->name), GUINT_TO_POINTER (n + 1));
}

static guint
notified (GHashTable *counts,
          const char *name)
{
  return GPOINTER_TO_UINT (g_hash_table_lookup (counts, name));
}

#define OB2_REFERENCED \
  "{\"@context\":\"https://w3id.org/openbadges/v2\",\"type\":\"Assertion\"," \
  "\"id\":\"https://example.org/beths-robotics-badge.json\"," \
  "\"recipient\":{\"type\":\"email\",\"hashed\":false,\"identity\":\"beth@example.org\"}," \
  "\"issuedOn\":\"2016-12-31T23:59:59Z\",\"badge\":\"https://example.org/robotics-badge.json\"," \
  "\"verification\":{\"type\":\"hosted\"}}"

#define OB2_BADGE_CLASS \
  "{\"@context\":\"https://w3id.org/openbadges/v2\",\"type\":\"BadgeClass\"," \
  "\"id\":\"https://example.org/robotics-badge.json\",\"name\":\"Awesome Robotics Badge\"," \
  "\"description\":\"For robots.\",\"image\":\"https://example.org/robotics-badge.png\"," \
  "\"criteria\":\"https://example.org/criteria.html\"," \
  "\"issuer\":\"https://example.org/organization.json\"}"

#define OB2_ISSUER \
  "{\"@context\":\"https://w3id.org/openbadges/v2\",\"type\":\"Issuer\"," \
  "\"id\":\"https://example.org/organization.json\",\"name\":\"An Example Badge Issuer\"," \
  "\"url\":\"https://example.org\",\"email\":\"contact@example.org\"}"

static void
resolve_text (BwBadge        *badge,
              BwDocumentKind  kind,
              const char     *url,
              const char     *text)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = bw_json_parse (text, -1, &error);

  g_assert_no_error (error);
  g_assert_true (bw_badge_resolve (badge, kind, url, node, &error));
  g_assert_no_error (error);
}

static void
test_ob2_referenced (void)
{
  g_autoptr(BwBadge) badge = parse_ok (OB2_REFERENCED);
  g_autoptr(GHashTable) counts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) other = NULL;
  g_autofree char *url = NULL;
  BwDocumentKind kind = BW_DOCUMENT_ASSERTION;

  g_signal_connect (badge, "notify", G_CALLBACK (count_notify), counts);

  g_assert_null (bw_badge_get_name (badge));
  g_assert_true (bw_badge_needs_fetch (badge));
  url = bw_badge_dup_pending_url (badge, &kind);
  g_assert_cmpstr (url, ==, "https://example.org/robotics-badge.json");
  g_assert_cmpint (kind, ==, BW_DOCUMENT_BADGE_CLASS);
  g_clear_pointer (&url, g_free);

  /* A BadgeClass the assertion does not refer to is refused, and nothing
   * changes. */
  other = bw_json_parse ("{\"type\":\"BadgeClass\",\"id\":\"https://evil.example/bc\","
                         "\"name\":\"Evil\",\"issuer\":\"https://evil.example/i\"}", -1, &error);
  g_assert_no_error (error);
  g_assert_false (bw_badge_resolve (badge, BW_DOCUMENT_BADGE_CLASS,
                                    "https://evil.example/bc", other, &error));
  g_assert_error (error, BW_ERROR, BW_ERROR_INVALID_DATA);
  g_assert_cmpstr (error->message, ==, "badge class JSON: https://evil.example/bc is not the "
                                       "document this badge refers to");
  g_clear_error (&error);
  g_assert_null (bw_badge_get_name (badge));
  g_assert_cmpuint (notified (counts, "name"), ==, 0);

  resolve_text (badge, BW_DOCUMENT_BADGE_CLASS, "https://example.org/robotics-badge.json",
                OB2_BADGE_CLASS);
  g_assert_cmpstr (bw_badge_get_name (badge), ==, "Awesome Robotics Badge");
  g_assert_cmpstr (bw_badge_get_image (badge), ==, "https://example.org/robotics-badge.png");
  g_assert_cmpstr (bw_badge_get_criteria_url (badge), ==, "https://example.org/criteria.html");
  g_assert_cmpuint (notified (counts, "name"), ==, 1);
  g_assert_cmpuint (notified (counts, "image"), ==, 1);
  g_assert_cmpuint (notified (counts, "issuer-name"), ==, 0);
  g_assert_nonnull (bw_badge_get_badge_class_document (badge));

  url = bw_badge_dup_pending_url (badge, &kind);
  g_assert_cmpstr (url, ==, "https://example.org/organization.json");
  g_assert_cmpint (kind, ==, BW_DOCUMENT_ISSUER);
  g_assert_cmpstr (bw_badge_get_issuer_id (badge), ==, "https://example.org/organization.json");

  resolve_text (badge, BW_DOCUMENT_ISSUER, url, OB2_ISSUER);
  g_assert_false (bw_badge_needs_fetch (badge));
  g_assert_cmpstr (bw_badge_get_issuer_name (badge), ==, "An Example Badge Issuer");
  g_assert_cmpstr (bw_badge_get_issuer_email (badge), ==, "contact@example.org");
  g_assert_cmpuint (notified (counts, "issuer-name"), ==, 1);
  g_assert_cmpuint (notified (counts, "name"), ==, 1);
  g_assert_nonnull (bw_badge_get_issuer_document (badge));

  /* The hosted copy replaces the baked one and keeps what was fetched. */
  resolve_text (badge, BW_DOCUMENT_ASSERTION, "https://example.org/beths-robotics-badge.json",
                OB2_REFERENCED);
  g_assert_cmpstr (bw_badge_get_name (badge), ==, "Awesome Robotics Badge");
  g_assert_cmpstr (bw_badge_get_issuer_name (badge), ==, "An Example Badge Issuer");
  g_assert_false (bw_badge_needs_fetch (badge));
}

static void
test_url_payload (void)
{
  g_autoptr(BwPayload) payload = NULL;
  g_autoptr(BwBadge) badge = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  BwDocumentKind kind = BW_DOCUMENT_ISSUER;

  payload = bw_payload_new (BW_PAYLOAD_KIND_URL, BW_PAYLOAD_SOURCE_TEXT,
                            "https://example.org/beths-robotics-badge.json");
  badge = bw_badge_new_from_payload (payload, &error);
  g_assert_no_error (error);
  g_assert_cmpint (bw_badge_get_spec (badge), ==, BW_SPEC_UNKNOWN);
  g_assert_cmpint (bw_badge_get_verification (badge), ==, BW_VERIFICATION_HOSTED);
  g_assert_cmpstr (bw_badge_get_hosted_url (badge), ==,
                   "https://example.org/beths-robotics-badge.json");
  g_assert_nonnull (bw_badge_get_payload (badge));
  g_assert_true (bw_badge_get_payload (badge) != payload);
  url = bw_badge_dup_pending_url (badge, &kind);
  g_assert_cmpstr (url, ==, "https://example.org/beths-robotics-badge.json");
  g_assert_cmpint (kind, ==, BW_DOCUMENT_ASSERTION);

  resolve_text (badge, BW_DOCUMENT_ASSERTION, url, OB2_REFERENCED);
  g_assert_cmpint (bw_badge_get_spec (badge), ==, BW_SPEC_2_0);
  g_clear_pointer (&url, g_free);
  url = bw_badge_dup_pending_url (badge, &kind);
  g_assert_cmpint (kind, ==, BW_DOCUMENT_BADGE_CLASS);
  g_assert_cmpstr (url, ==, "https://example.org/robotics-badge.json");

  /* A broken hosted document leaves the badge as it was. */
  g_clear_pointer (&url, g_free);
  {
    g_autoptr(JsonNode) broken = bw_json_parse ("{\"badge\":3}", -1, &error);

    g_assert_no_error (error);
    g_assert_false (bw_badge_resolve (badge, BW_DOCUMENT_ASSERTION,
                                      "https://example.org/beths-robotics-badge.json",
                                      broken, &error));
    g_assert_error (error, BW_ERROR, BW_ERROR_INVALID_DATA);
    g_assert_cmpstr (error->message, ==, "assertion JSON: 'recipient' is missing");
    g_assert_cmpint (bw_badge_get_spec (badge), ==, BW_SPEC_2_0);
    g_assert_true (bw_badge_needs_fetch (badge));
  }
}

static void
test_ob1_upgrade (void)
{
  g_autoptr(BwBadge) v10 = NULL;
  g_autoptr(BwBadge) unix_secs = NULL;
  g_autoptr(BwBadge) v11 = NULL;
  g_autoptr(BwBadge) v05 = NULL;
  g_autoptr(BwBadge) v05_hashed = NULL;
  BwRecipient *recipient;
  BwAlignment *alignment;

  /* 1.0: no context; id from verify.url; a date-only issuedOn. */
  v10 = parse_ok ("{\"uid\":\"123abc\",\"recipient\":{\"identity\":\"test@example.com\","
                  "\"hashed\":false,\"type\":\"email\"},\"badge\":\"http://a.com/badgeclass\","
                  "\"issuedOn\":\"2015-04-30\",\"verify\":{\"type\":\"hosted\","
                  "\"url\":\"http://a.com/instance\"}}");
  g_assert_cmpint (bw_badge_get_spec (v10), ==, BW_SPEC_1_0);
  g_assert_cmpstr (bw_badge_get_id (v10), ==, "http://a.com/instance");
  g_assert_cmpint (bw_badge_get_verification (v10), ==, BW_VERIFICATION_HOSTED);
  g_assert_cmpstr (bw_badge_get_hosted_url (v10), ==, "http://a.com/instance");
  g_assert_null (bw_badge_get_public_url (v10));
  assert_date (bw_badge_get_issued (v10), "2015-04-30T00:00:00Z");

  /* 1.0 signed, with Unix seconds as a JSON number and a 1.0 BadgeClass. */
  unix_secs = parse_ok ("{\"uid\":\"u-9\",\"recipient\":{\"identity\":\"sha256$00\","
                        "\"hashed\":true,\"type\":\"email\"},"
                        "\"badge\":\"https://a.com/bc\",\"issuedOn\":1430352000,"
                        "\"expires\":\"1461974400\","
                        "\"verify\":{\"type\":\"signed\",\"url\":\"https://a.com/key.pem\"}}");
  g_assert_cmpstr (bw_badge_get_id (unix_secs), ==, "uid:u-9");
  g_assert_cmpint (bw_badge_get_verification (unix_secs), ==, BW_VERIFICATION_SIGNED);
  g_assert_null (bw_badge_get_hosted_url (unix_secs));
  assert_date (bw_badge_get_issued (unix_secs), "2015-04-30T00:00:00Z");
  assert_date (bw_badge_get_expires (unix_secs), "2016-04-30T00:00:00Z");
  resolve_text (unix_secs, BW_DOCUMENT_BADGE_CLASS, "https://a.com/bc",
                "{\"name\":\"Old\",\"image\":\"https://a.com/i.png\",\"criteria\":\"https://a.com/c\","
                "\"description\":\"d\",\"issuer\":\"https://a.com/issuer\","
                "\"alignment\":[{\"name\":\"Skill A\",\"url\":\"https://a.com/skills/a\","
                "\"description\":\"Align\"}]}");
  alignment = g_ptr_array_index (bw_badge_get_alignments (unix_secs), 0);
  g_assert_cmpstr (alignment->target_name, ==, "Skill A");
  g_assert_cmpstr (alignment->target_url, ==, "https://a.com/skills/a");
  g_assert_cmpstr (alignment->target_description, ==, "Align");
  g_assert_cmpstr (bw_badge_get_skills (unix_secs)[0], ==, "Skill A");

  /* 1.1: context v1, naive datetime taken as UTC with a warning-free read. */
  v11 = parse_ok ("{\"@context\":\"https://w3id.org/openbadges/v1\",\"type\":\"Assertion\","
                  "\"id\":\"https://example.org/b.json\",\"recipient\":{\"type\":\"email\","
                  "\"hashed\":false,\"identity\":\"a@example.org\"},"
                  "\"issuedOn\":\"2016-12-31T23:59:59\",\"badge\":\"https://example.org/bc.json\","
                  "\"verify\":{\"type\":\"hosted\",\"url\":\"https://example.org/b.json\"}}");
  g_assert_cmpint (bw_badge_get_spec (v11), ==, BW_SPEC_1_1);
  assert_date (bw_badge_get_issued (v11), "2016-12-31T23:59:59Z");
  g_assert_cmpstr (bw_badge_get_public_url (v11), ==, "https://example.org/b.json");

  /* 0.5: a string recipient, issued_on, and the issuer's origin and org. */
  v05 = parse_ok ("{\"recipient\":\"test@example.com\",\"salt\":\"s\","
                  "\"issued_on\":\"2013-01-02\",\"badge\":{\"version\":\"0.5.0\","
                  "\"name\":\"Basic McBadge\",\"image\":\"http://oldstyle.com/images/1\","
                  "\"description\":\"A basic badge.\",\"criteria\":\"http://oldstyle.com/c/1\","
                  "\"issuer\":{\"origin\":\"http://oldstyle.com\",\"name\":\"Basic Issuer\","
                  "\"org\":\"Basic Org\",\"contact\":\"me@oldstyle.com\"}}}");
  g_assert_cmpint (bw_badge_get_spec (v05), ==, BW_SPEC_0_5);
  g_assert_cmpint (bw_badge_get_verification (v05), ==, BW_VERIFICATION_HOSTED);
  g_assert_cmpstr (bw_badge_get_issuer_url (v05), ==, "http://oldstyle.com");
  g_assert_cmpstr (bw_badge_get_issuer_email (v05), ==, "me@oldstyle.com");
  g_assert_cmpstr (bw_badge_get_issuer_name (v05), ==, "Basic Issuer: Basic Org");
  g_assert_cmpstr (bw_badge_get_criteria_url (v05), ==, "http://oldstyle.com/c/1");
  assert_date (bw_badge_get_issued (v05), "2013-01-02T00:00:00Z");
  g_assert_null (bw_badge_get_id (v05));
  recipient = g_ptr_array_index (bw_badge_get_recipients (v05), 0);
  g_assert_false (recipient->hashed);
  g_assert_cmpstr (recipient->type, ==, "email");
  g_assert_cmpstr (recipient->salt, ==, "s");

  /* 0.5 fetched from a URL takes that URL as its id; a hash-shaped
   * recipient is hashed. */
  {
    g_autoptr(GError) error = NULL;

    v05_hashed = parse_text ("{\"recipient\":\"sha256$abc\",\"badge\":{\"name\":\"B\","
                             "\"issuer\":{\"origin\":\"http://o.example\",\"name\":\"I\"}}}",
                             "https://o.example/a.json", &error);
    g_assert_no_error (error);
  }
  g_assert_cmpstr (bw_badge_get_id (v05_hashed), ==, "https://o.example/a.json");
  g_assert_cmpstr (bw_badge_get_hosted_url (v05_hashed), ==, "https://o.example/a.json");
  recipient = g_ptr_array_index (bw_badge_get_recipients (v05_hashed), 0);
  g_assert_true (recipient->hashed);
}

static void
test_detect_version (void)
{
  static const struct
  {
    const char    *json;
    BwSpecVersion  expected;
  } cases[] = {
    { "{\"@context\":\"https://w3id.org/openbadges/v1\"}", BW_SPEC_1_1 },
    { "{\"@context\":\"https://w3id.org/openbadges/v2\"}", BW_SPEC_2_0 },
    { "{\"recipient\":\"a@b.c\"}", BW_SPEC_0_5 },
    { "{\"recipient\":{}}", BW_SPEC_1_0 },
    { "{}", BW_SPEC_1_0 },
    { "{\"@context\":[\"https://w3id.org/openbadges/v1\"]}", BW_SPEC_2_0 },
    { "{\"@context\":\"https://w3id.org/openbadges/invalid\"}", BW_SPEC_2_0 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) node = bw_json_parse (cases[i].json, -1, &error);

      g_assert_no_error (error);
      g_assert_cmpint (bw_ob2_detect_version (json_node_get_object (node)), ==, cases[i].expected);
    }
}

#define OB3_V2 \
  "{\"@context\":[\"https://www.w3.org/ns/credentials/v2\"," \
  "\"https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json\"]," \
  "\"id\":\"urn:uuid:1\",\"type\":[\"VerifiableCredential\",\"OpenBadgeCredential\"]," \
  "\"name\":\"Teamwork Credential\",\"description\":\"Credential text\"," \
  "\"issuer\":{\"id\":\"did:key:z6Mk\",\"type\":[\"Profile\"],\"name\":\"Example Corp\"," \
  "\"url\":\"https://corp.example\",\"email\":\"a@corp.example\"," \
  "\"image\":{\"id\":\"https://corp.example/logo.png\",\"type\":\"Image\"}}," \
  "\"validFrom\":\"2010-01-01T00:00:00Z\",\"validUntil\":\"2040-01-01T00:00:00+02:00\"," \
  "\"credentialSubject\":{\"id\":\"did:example:me\",\"type\":[\"AchievementSubject\"]," \
  "\"identifier\":[{\"type\":\"IdentityObject\",\"identityHash\":\"sha256$ab\"," \
  "\"identityType\":\"emailAddress\",\"hashed\":true,\"salt\":\"pepper\"}]," \
  "\"achievement\":{\"id\":\"https://corp.example/ach/1\",\"type\":[\"Achievement\"]," \
  "\"name\":\"Teamwork\",\"description\":\"Works with others.\"," \
  "\"image\":{\"id\":\"https://corp.example/ach.png\",\"type\":\"Image\"}," \
  "\"criteria\":{\"narrative\":\"Nominated by peers.\"},\"tag\":[\"team\",\"soft skills\"]," \
  "\"alignment\":[{\"type\":[\"Alignment\"],\"targetName\":\"Collaboration\"," \
  "\"targetUrl\":\"https://fw.example/c\",\"targetType\":\"CFItem\"}]}}," \
  "\"evidence\":[{\"id\":\"https://corp.example/e/1\",\"type\":[\"Evidence\"],\"name\":\"E1\"}]," \
  "\"proof\":[{\"type\":\"DataIntegrityProof\"}]}"

static void
test_ob3_credential (void)
{
  g_autoptr(BwBadge) badge = parse_ok (OB3_V2);
  GPtrArray *recipients = bw_badge_get_recipients (badge);
  BwRecipient *recipient;
  BwAlignment *alignment;

  g_assert_cmpint (bw_badge_get_spec (badge), ==, BW_SPEC_3_0);
  g_assert_cmpint (bw_badge_get_verification (badge), ==, BW_VERIFICATION_PROOF);
  g_assert_cmpstr (bw_badge_get_id (badge), ==, "urn:uuid:1");
  g_assert_cmpstr (bw_badge_get_name (badge), ==, "Teamwork");
  g_assert_cmpstr (bw_badge_get_description (badge), ==, "Works with others.");
  g_assert_cmpstr (bw_badge_get_image (badge), ==, "https://corp.example/ach.png");
  g_assert_null (bw_badge_get_criteria_url (badge));
  g_assert_cmpstr (bw_badge_get_criteria_narrative (badge), ==, "Nominated by peers.");
  g_assert_cmpstr (bw_badge_get_badge_class_id (badge), ==, "https://corp.example/ach/1");
  g_assert_cmpstr (bw_badge_get_issuer_id (badge), ==, "did:key:z6Mk");
  g_assert_cmpstr (bw_badge_get_issuer_name (badge), ==, "Example Corp");
  g_assert_cmpstr (bw_badge_get_issuer_url (badge), ==, "https://corp.example");
  g_assert_cmpstr (bw_badge_get_issuer_email (badge), ==, "a@corp.example");
  g_assert_cmpstr (bw_badge_get_issuer_image (badge), ==, "https://corp.example/logo.png");
  assert_date (bw_badge_get_issued (badge), "2010-01-01T00:00:00Z");
  assert_date (bw_badge_get_expires (badge), "2039-12-31T22:00:00Z");
  g_assert_null (bw_badge_get_public_url (badge));
  g_assert_null (bw_badge_get_hosted_url (badge));
  g_assert_false (bw_badge_needs_fetch (badge));

  g_assert_cmpuint (recipients->len, ==, 2);
  recipient = g_ptr_array_index (recipients, 0);
  g_assert_cmpstr (recipient->type, ==, "emailAddress");
  g_assert_true (recipient->hashed);
  g_assert_cmpstr (recipient->identity, ==, "sha256$ab");
  g_assert_cmpstr (recipient->salt, ==, "pepper");
  recipient = g_ptr_array_index (recipients, 1);
  g_assert_cmpstr (recipient->type, ==, "id");
  g_assert_cmpstr (recipient->identity, ==, "did:example:me");

  alignment = g_ptr_array_index (bw_badge_get_alignments (badge), 0);
  g_assert_cmpstr (alignment->target_type, ==, "CFItem");
  g_assert_cmpstr (bw_badge_get_skills (badge)[0], ==, "Collaboration");
  g_assert_null (bw_badge_get_skills (badge)[1]);
  g_assert_cmpstr (bw_badge_get_tags (badge)[1], ==, "soft skills");
  g_assert_cmpuint (bw_badge_get_evidence (badge)->len, ==, 1);
}

static void
test_ob3_vcdm11 (void)
{
  g_autoptr(BwBadge) badge = NULL;

  badge = parse_ok ("{\"@context\":[\"https://www.w3.org/2018/credentials/v1\","
                    "\"https://purl.imsglobal.org/spec/ob/v3p0/context.json\"],"
                    "\"type\":[\"VerifiableCredential\",\"AchievementCredential\"],"
                    "\"name\":\"Credential name\",\"issuer\":\"https://issuer.example\","
                    "\"issuanceDate\":\"2020-05-01T10:00:00Z\","
                    "\"expirationDate\":\"2021-05-01T10:00:00Z\","
                    "\"credentialSubject\":{\"type\":\"AchievementSubject\","
                    "\"achievement\":{\"type\":\"Achievement\",\"criteria\":{\"id\":\"https://c\"},"
                    "\"description\":\"D\"}}}");
  g_assert_cmpint (bw_badge_get_spec (badge), ==, BW_SPEC_3_0);
  g_assert_cmpint (bw_badge_get_verification (badge), ==, BW_VERIFICATION_NONE);
  g_assert_cmpstr (bw_badge_get_issuer_id (badge), ==, "https://issuer.example");
  g_assert_null (bw_badge_get_issuer_name (badge));
  /* An Achievement without a name takes the credential's. */
  g_assert_cmpstr (bw_badge_get_name (badge), ==, "Credential name");
  g_assert_cmpstr (bw_badge_get_criteria_url (badge), ==, "https://c");
  assert_date (bw_badge_get_issued (badge), "2020-05-01T10:00:00Z");
  assert_date (bw_badge_get_expires (badge), "2021-05-01T10:00:00Z");
  /* No subject id or identifier: noted, not refused. */
  g_assert_cmpuint (bw_badge_get_recipients (badge)->len, ==, 0);
  g_assert_cmpuint (bw_badge_get_warnings (badge)->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (bw_badge_get_warnings (badge), 0), ==,
                   "credential JSON: the credential subject has neither 'id' nor 'identifier'");
}

static void
test_ob3_no_achievement (void)
{
  g_autoptr(BwBadge) badge = NULL;

  badge = parse_ok ("{\"@context\":[\"https://www.w3.org/2018/credentials/v1\"],"
                    "\"type\":[\"VerifiableCredential\",\"OpenBadgeCredential\"],"
                    "\"name\":\"Example University Degree\",\"issuer\":\"https://u.example\","
                    "\"credentialSubject\":{\"id\":\"did:example:s\"}}");
  g_assert_cmpstr (bw_badge_get_name (badge), ==, "Example University Degree");
  g_assert_null (bw_badge_get_badge_class_id (badge));
  g_assert_cmpuint (bw_badge_get_warnings (badge)->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (bw_badge_get_warnings (badge), 0), ==,
                   "credential JSON: 'credentialSubject.achievement' is missing");
}

static void
test_svg_fallback (void)
{
  g_autoptr(BwPayload) payload = NULL;
  g_autoptr(BwPayload) broken_jws = NULL;
  g_autoptr(BwBadge) badge = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  BwDocumentKind kind = BW_DOCUMENT_ISSUER;

  /* The body is JSON but no assertion; the verify URL names the hosted
   * copy, so the badge is that URL, with a note. */
  payload = bw_payload_new (BW_PAYLOAD_KIND_JSON, BW_PAYLOAD_SOURCE_SVG_ASSERTION,
                            "{\"verify\":{\"url\":\"http://example.org\"}}");
  payload->svg_verify = g_strdup ("http://example.org");
  badge = bw_badge_new_from_payload (payload, &error);
  g_assert_no_error (error);
  url = bw_badge_dup_pending_url (badge, &kind);
  g_assert_cmpstr (url, ==, "http://example.org");
  g_assert_cmpint (kind, ==, BW_DOCUMENT_ASSERTION);
  g_assert_cmpint (bw_badge_get_verification (badge), ==, BW_VERIFICATION_HOSTED);
  g_assert_cmpstr (g_ptr_array_index (bw_badge_get_warnings (badge), 0), ==,
                   "the assertion in the image could not be read (assertion JSON: 'recipient' "
                   "is missing); its hosted copy is used");

  /* The note stays after the hosted copy is resolved. */
  resolve_text (badge, BW_DOCUMENT_ASSERTION, "http://example.org", OB2_REFERENCED);
  g_assert_cmpint (bw_badge_get_spec (badge), ==, BW_SPEC_2_0);
  g_assert_true (g_str_has_prefix (g_ptr_array_index (bw_badge_get_warnings (badge), 0),
                                   "the assertion in the image could not be read"));

  /* Without a verify URL there is nothing to fall back on. */
  broken_jws = bw_payload_new (BW_PAYLOAD_KIND_JSON, BW_PAYLOAD_SOURCE_SVG_ASSERTION,
                               "{\"verify\":{\"url\":\"http://example.org\"}}");
  g_clear_object (&badge);
  badge = bw_badge_new_from_payload (broken_jws, &error);
  g_assert_null (badge);
  g_assert_error (error, BW_ERROR, BW_ERROR_INVALID_DATA);
}

static void
test_from_file (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BwBadge) badge = NULL;
  g_autofree char *dir = g_dir_make_tmp ("test-badge-XXXXXX", &error);
  g_autofree char *path = NULL;
  g_autofree char *missing = NULL;

  g_assert_no_error (error);
  path = g_build_filename (dir, "assertion.json", NULL);
  g_assert_true (g_file_set_contents (path, "\n  " OB2_EMBEDDED "\n", -1, &error));

  badge = bw_badge_new_from_file (path, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (bw_badge_get_name (badge), ==, "Robotics");
  g_assert_cmpint (bw_badge_get_payload (badge)->kind, ==, BW_PAYLOAD_KIND_JSON);
  g_assert_cmpint (bw_badge_get_payload (badge)->source, ==, BW_PAYLOAD_SOURCE_FILE);

  missing = g_build_filename (dir, "missing.png", NULL);
  g_clear_object (&badge);
  badge = bw_badge_new_from_file (missing, &error);
  g_assert_null (badge);
  g_assert_nonnull (error);
  g_clear_error (&error);

  g_assert_cmpint (g_unlink (path), ==, 0);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

static void
test_jws_payload (void)
{
  g_autofree char *jws = make_jws ("{\"alg\":\"RS256\"}", OB2_REFERENCED);
  g_autoptr(BwPayload) payload = bw_payload_new (BW_PAYLOAD_KIND_JWS, BW_PAYLOAD_SOURCE_ITXT, jws);
  g_autoptr(BwBadge) badge = NULL;
  g_autoptr(GError) error = NULL;

  badge = bw_badge_new_from_payload (payload, &error);
  g_assert_no_error (error);
  g_assert_cmpint (bw_badge_get_spec (badge), ==, BW_SPEC_2_0);
  /* The JWS makes it signed whatever the assertion says; that mismatch is
   * noted. A signed badge has no public URL. */
  g_assert_cmpint (bw_badge_get_verification (badge), ==, BW_VERIFICATION_SIGNED);
  g_assert_cmpstr (bw_badge_get_jws (badge), ==, jws);
  g_assert_null (bw_badge_get_public_url (badge));
  g_assert_cmpuint (bw_badge_get_warnings (badge)->len, ==, 1);
  g_assert_cmpstr (bw_badge_get_id (badge), ==, "https://example.org/beths-robotics-badge.json");
}

static void
test_vc_jwt_payload (void)
{
  g_autofree char *claims2 = NULL;
  g_autofree char *jwt2 = NULL;
  g_autofree char *jwt1 = NULL;
  g_autoptr(BwPayload) payload2 = NULL;
  g_autoptr(BwPayload) payload1 = NULL;
  g_autoptr(BwBadge) badge2 = NULL;
  g_autoptr(BwBadge) badge1 = NULL;
  g_autoptr(GError) error = NULL;
  JsonNode *document;

  /* VCDM 2.0: the payload is the credential plus JWT claims; the claims
   * stand in for what the credential leaves out. */
  claims2 = g_strdup ("{\"@context\":[\"https://www.w3.org/ns/credentials/v2\"],"
                      "\"type\":[\"VerifiableCredential\",\"OpenBadgeCredential\"],"
                      "\"credentialSubject\":{\"achievement\":{\"name\":\"JWT badge\"}},"
                      "\"iss\":\"https://iss.example\",\"jti\":\"urn:uuid:j\","
                      "\"nbf\":1262304000,\"exp\":1893456000,\"sub\":\"did:example:s\"}");
  jwt2 = make_jws ("{\"alg\":\"RS256\",\"typ\":\"JWT\"}", claims2);
  payload2 = bw_payload_new (BW_PAYLOAD_KIND_VC_JWT, BW_PAYLOAD_SOURCE_ITXT, jwt2);
  badge2 = bw_badge_new_from_payload (payload2, &error);
  g_assert_no_error (error);
  g_assert_cmpint (bw_badge_get_spec (badge2), ==, BW_SPEC_3_0);
  g_assert_cmpint (bw_badge_get_verification (badge2), ==, BW_VERIFICATION_PROOF);
  g_assert_cmpstr (bw_badge_get_jws (badge2), ==, jwt2);
  g_assert_cmpstr (bw_badge_get_name (badge2), ==, "JWT badge");
  g_assert_cmpstr (bw_badge_get_issuer_id (badge2), ==, "https://iss.example");
  g_assert_cmpstr (bw_badge_get_id (badge2), ==, "urn:uuid:j");
  assert_date (bw_badge_get_issued (badge2), "2010-01-01T00:00:00Z");
  assert_date (bw_badge_get_expires (badge2), "2030-01-01T00:00:00Z");
  g_assert_cmpstr (((BwRecipient *)g_ptr_array_index (bw_badge_get_recipients (badge2), 0))->identity,
                   ==, "did:example:s");

  /* VCDM 1.1: the credential is the `vc` claim, classified as a plain JWS
   * by the container. */
  jwt1 = make_jws ("{\"alg\":\"ES256\"}",
                   "{\"iss\":\"https://iss.example\",\"vc\":{\"@context\":"
                   "[\"https://www.w3.org/2018/credentials/v1\"],\"type\":[\"VerifiableCredential\","
                   "\"OpenBadgeCredential\"],\"issuer\":{\"id\":\"https://iss.example\","
                   "\"name\":\"Issuer One\"},\"issuanceDate\":\"2022-01-01T00:00:00Z\","
                   "\"credentialSubject\":{\"id\":\"did:example:x\","
                   "\"achievement\":{\"name\":\"V1 badge\"}}}}");
  payload1 = bw_payload_new (BW_PAYLOAD_KIND_JWS, BW_PAYLOAD_SOURCE_FILE, jwt1);
  badge1 = bw_badge_new_from_payload (payload1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (bw_badge_get_spec (badge1), ==, BW_SPEC_3_0);
  g_assert_cmpint (bw_badge_get_verification (badge1), ==, BW_VERIFICATION_PROOF);
  g_assert_cmpstr (bw_badge_get_issuer_name (badge1), ==, "Issuer One");
  document = bw_badge_get_assertion_document (badge1);
  g_assert_true (json_object_has_member (json_node_get_object (document), "credentialSubject"));
  g_assert_false (json_object_has_member (json_node_get_object (document), "iss"));
}

typedef struct
{
  BwPayloadKind  kind;
  const char    *text;
  int            code;
  const char    *message;
} PayloadCase;

static void
test_payload_errors (void)
{
  static const PayloadCase cases[] = {
    { BW_PAYLOAD_KIND_JSON, "{\"a\":", BW_ERROR_MALFORMED, NULL },
    { BW_PAYLOAD_KIND_JSON, "[1,2]", BW_ERROR_NOT_A_BADGE,
      "badge JSON: expected an object at the top level" },
    { BW_PAYLOAD_KIND_URL, "ftp://example.org/a", BW_ERROR_MALFORMED,
      "payload: expected an http or https URL" },
    { BW_PAYLOAD_KIND_JWS, "abc.def", BW_ERROR_MALFORMED,
      "JWS: expected 3 parts separated by dots, found 2" },
    { BW_PAYLOAD_KIND_JWS, "a.b.c.d", BW_ERROR_MALFORMED,
      "JWS: expected 3 parts separated by dots, found 4" },
    { BW_PAYLOAD_KIND_JWS, "e30.!!!.c2ln", BW_ERROR_MALFORMED,
      "JWS payload: invalid base64url character at offset 0" },
    { BW_PAYLOAD_KIND_JWS, "bm90IGpzb24.e30.c2ln", BW_ERROR_MALFORMED, NULL },
    { BW_PAYLOAD_KIND_JWS, "e30.WzFd.c2ln", BW_ERROR_MALFORMED,
      "JWS payload: expected a JSON object" },
    { BW_PAYLOAD_KIND_VC_JWT, "e30.e30.c2ln", BW_ERROR_NOT_A_BADGE,
      "JSON: neither an Open Badges assertion nor a credential" },
    { BW_PAYLOAD_KIND_UNKNOWN, "hello", BW_ERROR_NOT_A_BADGE,
      "payload: not a URL, JSON or a compact JWS" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(BwPayload) payload = bw_payload_new (cases[i].kind, BW_PAYLOAD_SOURCE_FILE,
                                                     cases[i].text);
      g_autoptr(BwBadge) badge = NULL;
      g_autoptr(GError) error = NULL;

      badge = bw_badge_new_from_payload (payload, &error);
      g_assert_null (badge);
      g_assert_error (error, BW_ERROR, cases[i].code);
      if (cases[i].message != NULL)
        g_assert_cmpstr (error->message, ==, cases[i].message);
    }
}

typedef struct
{
  const char *json;
  int         code;
  const char *message;
} ErrorCase;

static const ErrorCase error_cases[] = {
  /* OB 2.0 assertions. */
  { "{\"@context\":\"https://w3id.org/openbadges/v2\",\"recipient\":{\"identity\":\"a@b.c\"},"
    "\"badge\":\"https://b\",\"issuedOn\":20161231}",
    BW_ERROR_INVALID_DATA, "assertion JSON: expected a string for 'issuedOn'" },
  { "{\"@context\":\"https://w3id.org/openbadges/v2\",\"recipient\":{\"identity\":\"a@b.c\"},"
    "\"badge\":\"https://b\",\"issuedOn\":\"yesterday\"}",
    BW_ERROR_INVALID_DATA, "assertion JSON: 'issuedOn' is not a valid date: “yesterday”" },
  { "{\"@context\":\"https://w3id.org/openbadges/v2\",\"recipient\":{\"identity\":\"a@b.c\"},"
    "\"badge\":\"https://b\"}",
    BW_ERROR_INVALID_DATA, "assertion JSON: 'issuedOn' is missing" },
  { "{\"@context\":\"https://w3id.org/openbadges/v2\",\"badge\":\"https://b\","
    "\"issuedOn\":\"2016-01-01T00:00:00Z\"}",
    BW_ERROR_INVALID_DATA, "assertion JSON: 'recipient' is missing" },
  { "{\"@context\":\"https://w3id.org/openbadges/v2\",\"recipient\":[],"
    "\"badge\":\"https://b\",\"issuedOn\":\"2016-01-01T00:00:00Z\"}",
    BW_ERROR_INVALID_DATA, "assertion JSON: expected an object for 'recipient'" },
  { "{\"@context\":\"https://w3id.org/openbadges/v2\",\"recipient\":{\"type\":\"email\"},"
    "\"badge\":\"https://b\",\"issuedOn\":\"2016-01-01T00:00:00Z\"}",
    BW_ERROR_INVALID_DATA, "assertion JSON: 'recipient.identity' is missing" },
  { "{\"@context\":\"https://w3id.org/openbadges/v2\",\"recipient\":{\"identity\":\"x\","
    "\"hashed\":\"true\"},\"badge\":\"https://b\",\"issuedOn\":\"2016-01-01T00:00:00Z\"}",
    BW_ERROR_INVALID_DATA, "assertion JSON: expected a boolean for 'recipient.hashed'" },
  { "{\"@context\":\"https://w3id.org/openbadges/v2\",\"recipient\":{\"identity\":\"x\"},"
    "\"issuedOn\":\"2016-01-01T00:00:00Z\"}",
    BW_ERROR_INVALID_DATA, "assertion JSON: 'badge' is missing" },
  { "{\"@context\":\"https://w3id.org/openbadges/v2\",\"recipient\":{\"identity\":\"x\"},"
    "\"badge\":42,\"issuedOn\":\"2016-01-01T00:00:00Z\"}",
    BW_ERROR_INVALID_DATA, "assertion JSON: expected a URL or an object for 'badge'" },
  { "{\"@context\":\"https://w3id.org/openbadges/v2\",\"recipient\":{\"identity\":\"x\"},"
    "\"badge\":{\"issuer\":\"https://i\"},\"issuedOn\":\"2016-01-01T00:00:00Z\"}",
    BW_ERROR_INVALID_DATA, "assertion JSON: 'badge.name' is missing" },
  { "{\"@context\":\"https://w3id.org/openbadges/v2\",\"recipient\":{\"identity\":\"x\"},"
    "\"badge\":{\"name\":\"N\"},\"issuedOn\":\"2016-01-01T00:00:00Z\"}",
    BW_ERROR_INVALID_DATA, "assertion JSON: 'badge.issuer' is missing" },
  { "{\"@context\":\"https://w3id.org/openbadges/v2\",\"recipient\":{\"identity\":\"x\"},"
    "\"badge\":{\"name\":[\"N\"],\"issuer\":\"https://i\"},\"issuedOn\":\"2016-01-01T00:00:00Z\"}",
    BW_ERROR_INVALID_DATA, "assertion JSON: expected a string for 'badge.name'" },
  { "{\"@context\":\"https://w3id.org/openbadges/v2\",\"recipient\":{\"identity\":\"x\"},"
    "\"badge\":{\"name\":\"N\",\"issuer\":{\"name\":7}},\"issuedOn\":\"2016-01-01T00:00:00Z\"}",
    BW_ERROR_INVALID_DATA, "assertion JSON: expected a string for 'badge.issuer.name'" },
  { "{\"@context\":\"https://w3id.org/openbadges/v2\",\"recipient\":{\"identity\":\"x\"},"
    "\"badge\":{\"name\":\"N\",\"issuer\":\"https://i\",\"tags\":[\"a\",3]},"
    "\"issuedOn\":\"2016-01-01T00:00:00Z\"}",
    BW_ERROR_INVALID_DATA, "assertion JSON: expected a string for 'badge.tags[1]'" },
  { "{\"@context\":\"https://w3id.org/openbadges/v2\",\"recipient\":{\"identity\":\"x\"},"
    "\"badge\":{\"name\":\"N\",\"issuer\":\"https://i\",\"alignment\":[\"x\"]},"
    "\"issuedOn\":\"2016-01-01T00:00:00Z\"}",
    BW_ERROR_INVALID_DATA, "assertion JSON: expected an object for 'badge.alignment[0]'" },
  { "{\"@context\":\"https://w3id.org/openbadges/v2\",\"recipient\":{\"identity\":\"x\"},"
    "\"badge\":{\"name\":\"N\",\"issuer\":\"https://i\",\"image\":5},"
    "\"issuedOn\":\"2016-01-01T00:00:00Z\"}",
    BW_ERROR_INVALID_DATA, "assertion JSON: expected a URL or an Image object for 'badge.image'" },
  { "{\"@context\":\"https://w3id.org/openbadges/v2\",\"recipient\":{\"identity\":\"x\"},"
    "\"badge\":\"https://b\",\"issuedOn\":\"2016-01-01T00:00:00Z\",\"evidence\":[true]}",
    BW_ERROR_INVALID_DATA, "assertion JSON: expected a URL or an object for 'evidence[0]'" },
  { "{\"@context\":\"https://w3id.org/openbadges/v2\",\"recipient\":{\"identity\":\"x\"},"
    "\"badge\":\"https://b\",\"issuedOn\":\"2016-01-01T00:00:00Z\",\"revoked\":\"yes\"}",
    BW_ERROR_INVALID_DATA, "assertion JSON: expected a boolean for 'revoked'" },
  { "{\"@context\":\"https://w3id.org/openbadges/v2\",\"recipient\":{\"identity\":\"x\"},"
    "\"badge\":\"https://b\",\"issuedOn\":\"2016-01-01T00:00:00Z\",\"verification\":\"hosted\"}",
    BW_ERROR_INVALID_DATA, "assertion JSON: expected an object for 'verification'" },
  { "{\"@context\":\"https://w3id.org/openbadges/v2\",\"revoked\":true}",
    BW_ERROR_INVALID_DATA, "assertion JSON: 'id' is missing" },
  { "{\"@context\":\"https://w3id.org/openbadges/v2\",\"type\":\"BadgeClass\",\"name\":\"N\"}",
    BW_ERROR_NOT_A_BADGE, "assertion JSON: 'type' says BadgeClass, not Assertion" },
  { "{\"@context\":\"https://w3id.org/openbadges/v2\",\"type\":[\"Issuer\"],\"name\":\"N\"}",
    BW_ERROR_NOT_A_BADGE, "assertion JSON: 'type' says Issuer, not Assertion" },
  { "{\"@context\":\"https://w3id.org/openbadges/v2\",\"id\":\"https://x\",\"name\":\"N\"}",
    BW_ERROR_NOT_A_BADGE, "JSON: neither an Open Badges assertion nor a credential" },
  /* 1.x */
  { "{\"recipient\":{\"identity\":\"x\"},\"badge\":\"https://b\",\"issuedOn\":-5}",
    BW_ERROR_INVALID_DATA, "assertion JSON: 'issuedOn' is not a valid date: -5" },
  { "{\"recipient\":5,\"badge\":\"https://b\",\"issuedOn\":\"2015-01-01\"}",
    BW_ERROR_INVALID_DATA, "assertion JSON: expected an object for 'recipient'" },
  /* OB 3.0 credentials. */
  { "{\"@context\":[\"https://www.w3.org/ns/credentials/v2\"],"
    "\"type\":[\"VerifiableCredential\",\"OpenBadgeCredential\"],\"issuer\":\"https://i\"}",
    BW_ERROR_INVALID_DATA, "credential JSON: 'credentialSubject' is missing" },
  { "{\"type\":[\"VerifiableCredential\",\"OpenBadgeCredential\"],"
    "\"credentialSubject\":{\"achievement\":{\"name\":\"A\"}}}",
    BW_ERROR_INVALID_DATA, "credential JSON: 'issuer' is missing" },
  { "{\"type\":[\"VerifiableCredential\",\"OpenBadgeCredential\"],\"issuer\":{\"name\":\"I\"},"
    "\"credentialSubject\":{\"achievement\":{\"name\":\"A\"}}}",
    BW_ERROR_INVALID_DATA, "credential JSON: 'issuer.id' is missing" },
  { "{\"type\":[\"VerifiableCredential\",\"OpenBadgeCredential\"],\"issuer\":[\"https://i\"],"
    "\"credentialSubject\":{\"achievement\":{\"name\":\"A\"}}}",
    BW_ERROR_INVALID_DATA, "credential JSON: expected a URI or an object for 'issuer'" },
  { "{\"type\":[\"VerifiableCredential\",\"OpenBadgeCredential\"],\"issuer\":\"https://i\","
    "\"credentialSubject\":{\"id\":\"did:x\"}}",
    BW_ERROR_INVALID_DATA, "credential JSON: 'credentialSubject.achievement' is missing" },
  { "{\"type\":[\"VerifiableCredential\",\"OpenBadgeCredential\"],\"issuer\":\"https://i\","
    "\"credentialSubject\":{\"id\":\"did:x\",\"achievement\":\"https://a\"}}",
    BW_ERROR_INVALID_DATA, "credential JSON: expected an object for 'credentialSubject.achievement'" },
  { "{\"type\":[\"VerifiableCredential\",\"OpenBadgeCredential\"],\"issuer\":\"https://i\","
    "\"credentialSubject\":{\"id\":\"did:x\",\"achievement\":{\"id\":\"https://a\"}}}",
    BW_ERROR_INVALID_DATA, "credential JSON: 'credentialSubject.achievement.name' is missing" },
  { "{\"type\":[\"VerifiableCredential\",\"OpenBadgeCredential\"],\"issuer\":\"https://i\","
    "\"validFrom\":\"2020-01-01\","
    "\"credentialSubject\":{\"id\":\"did:x\",\"achievement\":{\"name\":\"A\"}}}",
    0, NULL },
  { "{\"type\":[\"VerifiableCredential\",\"OpenBadgeCredential\"],\"issuer\":\"https://i\","
    "\"validFrom\":1577836800,"
    "\"credentialSubject\":{\"id\":\"did:x\",\"achievement\":{\"name\":\"A\"}}}",
    BW_ERROR_INVALID_DATA, "credential JSON: expected a string for 'validFrom'" },
  { "{\"type\":[\"VerifiableCredential\",\"OpenBadgeCredential\"],\"issuer\":\"https://i\","
    "\"credentialSubject\":{\"identifier\":[{\"identityType\":\"emailAddress\"}],"
    "\"achievement\":{\"name\":\"A\"}}}",
    BW_ERROR_INVALID_DATA,
    "credential JSON: 'credentialSubject.identifier[0].identityHash' is missing" },
  { "{\"type\":[\"VerifiableCredential\",\"OpenBadgeCredential\"],\"issuer\":\"https://i\","
    "\"credentialSubject\":{\"id\":\"did:x\",\"achievement\":{\"name\":\"A\","
    "\"alignment\":[{\"targetName\":1}]}}}",
    BW_ERROR_INVALID_DATA,
    "credential JSON: expected a string for 'credentialSubject.achievement.alignment[0].targetName'" },
  { "{\"type\":[\"VerifiableCredential\",\"OpenBadgeCredential\"],\"issuer\":\"https://i\","
    "\"credentialSubject\":{\"id\":\"did:x\",\"achievement\":{\"name\":\"A\"}},"
    "\"evidence\":[\"https://e\"]}",
    BW_ERROR_INVALID_DATA, "credential JSON: expected an object for 'evidence[0]'" },
  { "{\"type\":[\"VerifiableCredential\",\"BitstringStatusListCredential\"],"
    "\"issuer\":\"https://i\",\"credentialSubject\":{\"id\":\"https://i/list\"}}",
    BW_ERROR_NOT_A_BADGE, "credential JSON: 'type' names neither OpenBadgeCredential nor "
    "AchievementCredential, and there is no achievement" },
  { "{\"type\":[\"VerifiableCredential\",\"EndorsementCredential\"],\"issuer\":\"https://i\","
    "\"credentialSubject\":{\"id\":\"https://i\"}}",
    BW_ERROR_NOT_A_BADGE, "credential JSON: this is an EndorsementCredential, not a badge" },
};

static void
test_errors (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (error_cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(BwBadge) badge = parse_text (error_cases[i].json, NULL, &error);

      if (error_cases[i].message == NULL)
        {
          g_assert_no_error (error);
          g_assert_nonnull (badge);
          continue;
        }
      if (error == NULL)
        g_error ("case %u parsed but should fail with “%s”", i, error_cases[i].message);
      g_assert_null (badge);
      g_assert_error (error, BW_ERROR, error_cases[i].code);
      g_assert_cmpstr (error->message, ==, error_cases[i].message);
    }
}

static char *
repeat_items (const char *item,
              guint       count)
{
  GString *s = g_string_new ("[");

  for (guint i = 0; i < count; i++)
    {
      if (i > 0)
        g_string_append_c (s, ',');
      g_string_append (s, item);
    }
  g_string_append_c (s, ']');
  return g_string_free (s, FALSE);
}

static void
test_limits (void)
{
  g_autofree char *many = repeat_items ("\"https://e\"", BW_BADGE_MAX_ITEMS + 1);
  g_autofree char *enough = repeat_items ("\"https://e\"", BW_BADGE_MAX_ITEMS);
  g_autofree char *many_tags = repeat_items ("\"t\"", BW_BADGE_MAX_ITEMS + 5);
  g_autofree char *deep = NULL;
  g_autofree char *json = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(BwBadge) badge = NULL;
  GString *nest;

  json = g_strdup_printf ("{\"@context\":\"https://w3id.org/openbadges/v2\","
                          "\"recipient\":{\"identity\":\"x\"},\"badge\":\"https://b\","
                          "\"issuedOn\":\"2016-01-01T00:00:00Z\",\"evidence\":%s}", many);
  badge = parse_text (json, NULL, &error);
  g_assert_null (badge);
  g_assert_error (error, BW_ERROR, BW_ERROR_TOO_LARGE);
  g_assert_cmpstr (error->message, ==, "assertion JSON: 'evidence' has 1001 items, over the "
                                       "limit of 1000");
  g_clear_error (&error);
  g_free (json);

  json = g_strdup_printf ("{\"@context\":\"https://w3id.org/openbadges/v2\","
                          "\"recipient\":{\"identity\":\"x\"},\"badge\":\"https://b\","
                          "\"issuedOn\":\"2016-01-01T00:00:00Z\",\"evidence\":%s}", enough);
  badge = parse_text (json, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (bw_badge_get_evidence (badge)->len, ==, BW_BADGE_MAX_ITEMS);
  g_clear_object (&badge);
  g_free (json);

  json = g_strdup_printf ("{\"type\":[\"VerifiableCredential\",\"OpenBadgeCredential\"],"
                          "\"issuer\":\"https://i\",\"credentialSubject\":{\"id\":\"did:x\","
                          "\"achievement\":{\"name\":\"A\",\"tag\":%s}}}", many_tags);
  badge = parse_text (json, NULL, &error);
  g_assert_error (error, BW_ERROR, BW_ERROR_TOO_LARGE);
  g_assert_cmpstr (error->message, ==, "credential JSON: 'credentialSubject.achievement.tag' "
                                       "has 1005 items, over the limit of 1000");
  g_clear_error (&error);

  /* Nesting is refused before any tree is built. */
  nest = g_string_new ("{\"recipient\":");
  for (guint i = 0; i < 100000; i++)
    g_string_append_c (nest, '[');
  deep = g_string_free (nest, FALSE);
  badge = parse_text (deep, NULL, &error);
  g_assert_null (badge);
  g_assert_error (error, BW_ERROR, BW_ERROR_TOO_LARGE);
}

static void
test_payload_limits (void)
{
  g_autoptr(GString) url = g_string_new ("https://example.org/");
  g_autoptr(GString) jws = g_string_new ("e30.");
  g_autoptr(BwPayload) url_payload = NULL;
  g_autoptr(BwPayload) jws_payload = NULL;
  g_autoptr(BwBadge) badge = NULL;
  g_autoptr(GError) error = NULL;

  while (url->len <= BW_BADGE_MAX_URL)
    g_string_append (url, "aaaaaaaa");
  url_payload = bw_payload_new (BW_PAYLOAD_KIND_URL, BW_PAYLOAD_SOURCE_URL, url->str);
  badge = bw_badge_new_from_payload (url_payload, &error);
  g_assert_null (badge);
  g_assert_error (error, BW_ERROR, BW_ERROR_TOO_LARGE);
  g_clear_error (&error);

  while (jws->len <= BW_BADGE_MAX_JWS)
    g_string_append (jws, "QUFBQUFBQUFB");
  g_string_append (jws, ".c2ln");
  jws_payload = bw_payload_new (BW_PAYLOAD_KIND_JWS, BW_PAYLOAD_SOURCE_FILE, jws->str);
  badge = bw_badge_new_from_payload (jws_payload, &error);
  g_assert_null (badge);
  g_assert_error (error, BW_ERROR, BW_ERROR_TOO_LARGE);
  g_assert_true (g_str_has_prefix (error->message, "JWS of "));
}

static void
test_public_url (void)
{
  g_autoptr(BwBadge) credly = NULL;
  g_autoptr(BwBadge) plain_http = NULL;
  g_autoptr(BwBadge) ob3 = NULL;

  credly = parse_ok ("{\"@context\":\"https://w3id.org/openbadges/v2\",\"type\":\"Assertion\","
                     "\"id\":\"https://api.credly.com/v1/obi/v2/badge_assertions/1234\","
                     "\"recipient\":{\"type\":\"email\",\"hashed\":true,\"identity\":\"sha256$00\"},"
                     "\"evidence\":[{\"id\":\"https://www.credly.com/badges/1234\","
                     "\"name\":\"Badge page\"}],\"issuedOn\":\"2024-03-12T00:00:00Z\","
                     "\"verification\":{\"type\":\"HostedBadge\"},\"badge\":{\"name\":\"AZ-900\","
                     "\"tags\":[\"Cloud\",\"Azure\"],\"issuer\":"
                     "\"https://api.credly.com/v1/obi/v2/issuers/ms\"}}");
  g_assert_cmpstr (bw_badge_get_public_url (credly), ==, "https://www.credly.com/badges/1234");
  g_assert_cmpstr (bw_badge_get_hosted_url (credly), ==,
                   "https://api.credly.com/v1/obi/v2/badge_assertions/1234");
  /* Credly's tags are its skills. */
  g_assert_cmpstr (bw_badge_get_skills (credly)[0], ==, "Cloud");
  g_assert_cmpstr (bw_badge_get_skills (credly)[1], ==, "Azure");

  plain_http = parse_ok ("{\"@context\":\"https://w3id.org/openbadges/v2\","
                         "\"id\":\"http://example.org/a\",\"recipient\":{\"identity\":\"x\"},"
                         "\"issuedOn\":\"2024-03-12T00:00:00Z\",\"badge\":\"http://example.org/b\","
                         "\"verification\":{\"type\":\"hosted\"}}");
  g_assert_cmpstr (bw_badge_get_hosted_url (plain_http), ==, "http://example.org/a");
  g_assert_null (bw_badge_get_public_url (plain_http));
  g_assert_null (bw_badge_get_skills (plain_http)[0]);

  ob3 = parse_ok (OB3_V2);
  g_assert_null (bw_badge_get_public_url (ob3));
}

static void
test_to_json (void)
{
  g_autoptr(BwBadge) badge = parse_ok (OB2_EMBEDDED);
  g_autoptr(BwBadge) pending = NULL;
  g_autoptr(JsonNode) node = bw_badge_to_json (badge);
  g_autoptr(JsonNode) pending_node = NULL;
  JsonObject *object = json_node_get_object (node);
  JsonObject *issuer = json_object_get_object_member (object, "issuer");
  JsonObject *pending_object;

  g_assert_cmpstr (json_object_get_string_member (object, "id"), ==, "https://example.org/a/1");
  g_assert_cmpstr (json_object_get_string_member (object, "name"), ==, "Robotics");
  g_assert_cmpstr (json_object_get_string_member (object, "description"), ==, "Robots.");
  g_assert_true (g_str_has_prefix (json_object_get_string_member (object, "image"), "data:"));
  g_assert_cmpstr (json_object_get_string_member (issuer, "id"), ==, "https://example.org/issuer");
  g_assert_cmpstr (json_object_get_string_member (issuer, "name"), ==, "Example");
  g_assert_cmpstr (json_object_get_string_member (issuer, "url"), ==, "https://example.org");
  g_assert_cmpstr (json_object_get_string_member (object, "issued"), ==, "2016-12-31T22:59:59Z");
  g_assert_cmpstr (json_object_get_string_member (object, "expires"), ==, "2030-01-01T00:00:00Z");
  g_assert_cmpstr (json_object_get_string_member (object, "spec"), ==, "2.0");
  g_assert_cmpstr (json_object_get_string_member (object, "verification"), ==, "hosted");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (object, "recipients")),
                    ==, 1);

  pending = parse_ok (OB2_REFERENCED);
  pending_node = bw_badge_to_json (pending);
  pending_object = json_node_get_object (pending_node);
  g_assert_true (json_object_get_null_member (pending_object, "name"));
  g_assert_true (json_object_get_null_member (pending_object, "expires"));
  g_assert_cmpstr (json_object_get_string_member (pending_object, "pendingUrl"), ==,
                   "https://example.org/robotics-badge.json");
}

static void
test_properties (void)
{
  g_autoptr(BwBadge) badge = parse_ok (OB2_EMBEDDED);
  g_autoptr(GHashTable) counts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) issued = NULL;
  g_autofree char *name = NULL;
  g_autofree char *issuer_name = NULL;
  g_autofree char *verdict = NULL;

  g_object_get (badge, "name", &name, "issuer-name", &issuer_name, "issued", &issued, NULL);
  g_assert_cmpstr (name, ==, "Robotics");
  g_assert_cmpstr (issuer_name, ==, "Example");
  assert_date (issued, "2016-12-31T22:59:59Z");
  g_assert_true (g_object_class_find_property (G_OBJECT_GET_CLASS (badge), "image")->flags &
                 G_PARAM_READABLE);
  g_assert_false (g_object_class_find_property (G_OBJECT_GET_CLASS (badge), "name")->flags &
                  G_PARAM_WRITABLE);

  g_signal_connect (badge, "notify", G_CALLBACK (count_notify), counts);

  bw_badge_set_wallet_id (badge, "abc");
  bw_badge_set_wallet_id (badge, "abc");
  g_assert_cmpuint (notified (counts, "wallet-id"), ==, 1);
  g_assert_cmpstr (bw_badge_get_wallet_id (badge), ==, "abc");

  bw_badge_set_last_verification (badge, "valid", now);
  bw_badge_set_last_verification (badge, "valid", now);
  g_assert_cmpuint (notified (counts, "last-verdict"), ==, 1);
  g_assert_cmpuint (notified (counts, "last-checked"), ==, 1);
  g_object_get (badge, "last-verdict", &verdict, NULL);
  g_assert_cmpstr (verdict, ==, "valid");
  g_assert_true (bw_badge_get_last_checked (badge) == now);

  bw_badge_set_last_verification (badge, "revoked", now);
  g_assert_cmpuint (notified (counts, "last-verdict"), ==, 2);
  g_assert_cmpuint (notified (counts, "last-checked"), ==, 1);

  bw_badge_set_added (badge, now);
  g_assert_true (bw_badge_get_added (badge) == now);
  bw_badge_set_original_path (badge, "/tmp/x.png");
  g_assert_cmpstr (bw_badge_get_original_path (badge), ==, "/tmp/x.png");

  g_assert_cmpstr (bw_spec_version_to_string (BW_SPEC_1_1), ==, "1.1");
  g_assert_null (bw_spec_version_to_string (BW_SPEC_UNKNOWN));
  g_assert_cmpstr (bw_verification_kind_to_string (BW_VERIFICATION_PROOF), ==, "proof");
}

static void
test_boxed_copies (void)
{
  BwRecipient recipient = { (char *)"email", TRUE, (char *)"sha256$aa", (char *)"salt" };
  BwEvidence evidence = { (char *)"https://e", (char *)"n", NULL, NULL, NULL, (char *)"a" };
  BwAlignment alignment = { (char *)"t", (char *)"u", NULL, (char *)"f", NULL, (char *)"CFItem" };
  g_autoptr(BwRecipient) r = bw_recipient_copy (&recipient);
  g_autoptr(BwEvidence) e = bw_evidence_copy (&evidence);
  g_autoptr(BwAlignment) a = bw_alignment_copy (&alignment);

  g_assert_true (r->identity != recipient.identity);
  g_assert_cmpstr (r->salt, ==, "salt");
  g_assert_true (r->hashed);
  g_assert_cmpstr (e->audience, ==, "a");
  g_assert_null (e->description);
  g_assert_cmpstr (a->target_type, ==, "CFItem");
  g_assert_true (G_TYPE_IS_BOXED (BW_TYPE_RECIPIENT));
}

/* Conformance: the specification's own examples. */

static char *
conformance_path (const char *relative)
{
  const char *dir = g_getenv ("BW_CONFORMANCE_DIR");

  if (dir == NULL || !g_file_test (dir, G_FILE_TEST_IS_DIR))
    return NULL;
  return g_build_filename (dir, relative, NULL);
}

static void
test_spec_examples_ob2 (void)
{
  g_autofree char *dir_path = conformance_path ("openbadges-specification/ob_v2p0/examples");
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *jws_path = NULL;
  g_autofree char *jws_text = NULL;
  const char *name;
  guint parsed = 0;
  guint refused = 0;

  if (dir_path == NULL || !g_file_test (dir_path, G_FILE_TEST_IS_DIR))
    {
      g_test_skip ("BW_CONFORMANCE_DIR is not available");
      return;
    }

  dir = g_dir_open (dir_path, 0, &error);
  g_assert_no_error (error);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = NULL;
      g_autofree char *text = NULL;
      g_autoptr(JsonNode) node = NULL;
      g_autoptr(BwBadge) badge = NULL;
      g_autoptr(GError) local_error = NULL;
      JsonObject *object;
      gboolean assertion;

      if (!g_str_has_suffix (name, ".json"))
        continue;
      path = g_build_filename (dir_path, name, NULL);
      g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
      node = bw_json_parse (text, -1, &local_error);
      g_assert_no_error (local_error);
      object = json_node_get_object (node);

      /* Assertions (and the revoked hosted form) must parse; every other
       * class must be refused as no badge. */
      assertion = g_strcmp0 (bw_json_object_get_string (object, "type"), "Assertion") == 0 ||
                  json_object_has_member (object, "revoked");
      if (json_object_has_member (object, "alg"))
        continue;
      badge = bw_badge_new_from_json (node, NULL, &local_error);
      if (assertion && g_strcmp0 (bw_json_object_get_string (object, "type"), "Endorsement") != 0)
        {
          if (local_error != NULL)
            g_error ("%s: %s", name, local_error->message);
          g_assert_nonnull (badge);
          g_assert_cmpint (bw_badge_get_spec (badge), ==, BW_SPEC_2_0);
          g_assert_nonnull (bw_badge_get_id (badge));
          parsed++;
        }
      else
        {
          if (local_error == NULL)
            g_error ("%s: parsed as a badge but is no assertion", name);
          refused++;
        }
    }

  /* Assertion-1 in detail. */
  {
    g_autofree char *path = g_build_filename (dir_path, "Assertion-1.json", NULL);
    g_autofree char *text = NULL;
    g_autoptr(BwBadge) badge = NULL;

    g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
    badge = parse_ok (text);
    g_assert_cmpint (bw_badge_get_verification (badge), ==, BW_VERIFICATION_HOSTED);
    assert_date (bw_badge_get_expires (badge), "2017-06-30T23:59:59Z");
    g_assert_cmpstr (bw_badge_get_badge_class_id (badge), ==,
                     "https://example.org/robotics-badge.json");
  }

  /* The spec's example JWS, split over lines in the document. */
  jws_path = g_build_filename (dir_path, "SignedBadge-1.txt", NULL);
  if (g_file_get_contents (jws_path, &jws_text, NULL, NULL))
    {
      g_autoptr(GString) compact = g_string_new (NULL);
      g_autoptr(BwPayload) payload = NULL;
      g_autoptr(BwBadge) badge = NULL;

      for (const char *p = jws_text; *p; p++)
        if (!g_ascii_isspace (*p))
          g_string_append_c (compact, *p);
      payload = bw_payload_new (BW_PAYLOAD_KIND_JWS, BW_PAYLOAD_SOURCE_FILE, compact->str);
      badge = bw_badge_new_from_payload (payload, &error);
      g_assert_no_error (error);
      g_assert_cmpint (bw_badge_get_verification (badge), ==, BW_VERIFICATION_SIGNED);
      g_assert_cmpstr (bw_badge_get_id (badge), ==, "https://example.org/beths-robotics-badge.json");
      parsed++;
    }

  g_test_message ("OB 2.0 spec examples: %u parsed, %u refused as no assertion", parsed, refused);
  g_assert_cmpuint (parsed, >=, 4);
  g_assert_cmpuint (refused, >=, 5);
}

static void
test_spec_examples_ob3 (void)
{
  g_autofree char *dir_path = conformance_path ("openbadges-specification/ob_v3p0/examples");
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GError) error = NULL;
  const char *name;
  guint parsed = 0;

  if (dir_path == NULL || !g_file_test (dir_path, G_FILE_TEST_IS_DIR))
    {
      g_test_skip ("BW_CONFORMANCE_DIR is not available");
      return;
    }

  dir = g_dir_open (dir_path, 0, &error);
  g_assert_no_error (error);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = NULL;
      g_autofree char *text = NULL;
      g_autoptr(BwBadge) badge = NULL;
      g_autoptr(GError) local_error = NULL;

      if (!g_str_has_suffix (name, ".json"))
        continue;
      path = g_build_filename (dir_path, name, NULL);
      g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
      badge = parse_text (text, NULL, &local_error);

      if (g_str_equal (name, "endorsement.json"))
        {
          g_assert_error (local_error, BW_ERROR, BW_ERROR_NOT_A_BADGE);
          continue;
        }
      if (local_error != NULL)
        g_error ("%s: %s", name, local_error->message);
      g_assert_cmpint (bw_badge_get_spec (badge), ==, BW_SPEC_3_0);
      g_assert_nonnull (bw_badge_get_name (badge));
      g_assert_nonnull (bw_badge_get_issuer_id (badge));
      g_assert_cmpuint (bw_badge_get_recipients (badge)->len, >, 0);
      parsed++;

      if (g_str_equal (name, "fullOpenBadge.json"))
        {
          g_assert_cmpstr (bw_badge_get_issuer_name (badge), ==, "1EdTech University");
          g_assert_cmpuint (bw_badge_get_evidence (badge)->len, ==, 2);
          g_assert_cmpuint (bw_badge_get_alignments (badge)->len, ==, 2);
          g_assert_nonnull (bw_badge_get_expires (badge));
        }
      if (g_str_equal (name, "skillAssertionCase.json"))
        g_assert_cmpstr (bw_badge_get_skills (badge)[0], ==, "Robot Programming");
    }

  g_test_message ("OB 3.0 spec examples: %u parsed", parsed);
  g_assert_cmpuint (parsed, >=, 6);
}

int
main (int    argc,
      char **argv)
{
  setlocale (LC_ALL, "C.UTF-8");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/badge/ob2/embedded", test_ob2_embedded);
  g_test_add_func ("/badge/ob2/referenced", test_ob2_referenced);
  g_test_add_func ("/badge/ob2/detect-version", test_detect_version);
  g_test_add_func ("/badge/ob1/upgrade", test_ob1_upgrade);
  g_test_add_func ("/badge/ob3/credential", test_ob3_credential);
  g_test_add_func ("/badge/ob3/vcdm11", test_ob3_vcdm11);
  g_test_add_func ("/badge/ob3/no-achievement", test_ob3_no_achievement);
  g_test_add_func ("/badge/payload/url", test_url_payload);
  g_test_add_func ("/badge/payload/file", test_from_file);
  g_test_add_func ("/badge/payload/svg-fallback", test_svg_fallback);
  g_test_add_func ("/badge/payload/jws", test_jws_payload);
  g_test_add_func ("/badge/payload/vc-jwt", test_vc_jwt_payload);
  g_test_add_func ("/badge/payload/errors", test_payload_errors);
  g_test_add_func ("/badge/errors", test_errors);
  g_test_add_func ("/badge/limits", test_limits);
  g_test_add_func ("/badge/payload/limits", test_payload_limits);
  g_test_add_func ("/badge/public-url", test_public_url);
  g_test_add_func ("/badge/to-json", test_to_json);
  g_test_add_func ("/badge/properties", test_properties);
  g_test_add_func ("/badge/boxed", test_boxed_copies);
  g_test_add_func ("/badge/conformance/ob2-examples", test_spec_examples_ob2);
  g_test_add_func ("/badge/conformance/ob3-examples", test_spec_examples_ob3);

  return g_test_run ();
}
