/* test-identity.c
 *
 * Copyright 2026 The Badge Wallet authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-identity"

#include "config.h"

#include <string.h>

#include "bw-error.h"
#include "bw-identity.h"
#include "bw-util.h"

/* Digests computed independently (Python hashlib) of the inputs named. */
#define SHA256_A_KOSHER      "b5809d8a92f8858436d7e6b87c12ebc0ae1eac4baecc2c0b913aee2c922ef399"
#define SHA256_NOBODY_SEA    "ecf5409f3f4b91ab60cc5ef4c02aef7032354375e70cf4d8e43f6a1d29891942"
#define MD5_NOBODY_SEA       "df7f6ab472edfcaf9040a8bbdee36400"
#define MD5_A                "b418773a2c51fb9777a1648346fa7394"
#define SHA256_PHONE         "0cbf019479241f66c9c60d39e69e06989f108bc47da5b938a87045a615cad4a4"

static BwRecipient *
recipient_new (const char *type,
               gboolean    hashed,
               const char *identity,
               const char *salt)
{
  BwRecipient *recipient = g_new0 (BwRecipient, 1);

  recipient->type = g_strdup (type);
  recipient->hashed = hashed;
  recipient->identity = g_strdup (identity);
  recipient->salt = g_strdup (salt);
  return recipient;
}

static void
recipient_free (BwRecipient *recipient)
{
  g_free (recipient->type);
  g_free (recipient->identity);
  g_free (recipient->salt);
  g_free (recipient);
}

static void
test_hash_vectors (void)
{
  g_autofree char *kosher = bw_identity_hash ("sha256", "a@example.com", "Kosher");
  g_autofree char *sea = bw_identity_hash ("sha256", "nobody@example.org", "deadsea");
  g_autofree char *md5 = bw_identity_hash ("md5", "nobody@example.org", "deadsea");
  g_autofree char *md5_unsalted = bw_identity_hash ("MD5", "a@example.com", NULL);
  g_autofree char *unknown = bw_identity_hash ("sha1", "a@example.com", NULL);

  g_assert_cmpstr (kosher, ==, "sha256$" SHA256_A_KOSHER);
  g_assert_cmpstr (sea, ==, "sha256$" SHA256_NOBODY_SEA);
  g_assert_cmpstr (md5, ==, "md5$" MD5_NOBODY_SEA);
  g_assert_cmpstr (md5_unsalted, ==, "md5$" MD5_A);
  g_assert_null (unknown);
}

typedef struct
{
  const char       *recipient_type;
  gboolean          hashed;
  const char       *stored;
  const char       *salt;
  const char       *identity_type;
  const char       *typed;
  BwRecipientMatch  expected;
  gboolean          normalised;
} MatchCase;

static const MatchCase match_cases[] = {
  /* The spec's fixture, as typed. */
  { "email", TRUE, "sha256$" SHA256_NOBODY_SEA, "deadsea", "email", "nobody@example.org", BW_MATCH_MATCH, FALSE },
  /* Stored hex in upper case, and the algorithm name too. */
  { "email", TRUE, "SHA256$ECF5409F3F4B91AB60CC5EF4C02AEF7032354375E70CF4D8E43F6A1D29891942", "deadsea",
    "email", "nobody@example.org", BW_MATCH_MATCH, FALSE },
  /* Typed with capitals: validator-core would fail, the wallet matches
   * after lower-casing and says so. */
  { "email", TRUE, "sha256$" SHA256_NOBODY_SEA, "deadsea", "email", "Nobody@Example.org", BW_MATCH_MATCH, TRUE },
  /* Wrong salt, wrong address. */
  { "email", TRUE, "sha256$" SHA256_NOBODY_SEA, "pacific", "email", "nobody@example.org", BW_MATCH_MISMATCH, FALSE },
  { "email", TRUE, "sha256$" SHA256_NOBODY_SEA, "deadsea", "email", "somebody@example.org", BW_MATCH_MISMATCH, FALSE },
  /* md5, salted and not. */
  { "email", TRUE, "md5$" MD5_NOBODY_SEA, "deadsea", "email", "nobody@example.org", BW_MATCH_MATCH, FALSE },
  { "email", TRUE, "md5$" MD5_A, NULL, "email", "a@example.com", BW_MATCH_MATCH, FALSE },
  { "email", TRUE, "sha256$" SHA256_A_KOSHER, "Kosher", "email", "a@example.com", BW_MATCH_MATCH, FALSE },
  /* Plain identities. */
  { "email", FALSE, "a@example.com", NULL, "email", "a@example.com", BW_MATCH_MATCH, FALSE },
  { "email", FALSE, "A@Example.com", NULL, "email", "a@example.com", BW_MATCH_MATCH, TRUE },
  { "email", FALSE, "a@example.com", NULL, "email", "b@example.com", BW_MATCH_MISMATCH, FALSE },
  /* OB 3.0 identityType names. */
  { "emailAddress", TRUE, "sha256$" SHA256_A_KOSHER, "Kosher", "email", "a@example.com", BW_MATCH_MATCH, FALSE },
  /* A credentialSubject.id compares with url and id identities. */
  { "id", FALSE, "https://example.org/people/a", NULL, "url", "https://example.org/people/a", BW_MATCH_MATCH, FALSE },
  { "url", FALSE, "did:example:123", NULL, "id", "did:example:123", BW_MATCH_MATCH, FALSE },
  { "id", FALSE, "did:example:123", NULL, "id", "did:example:456", BW_MATCH_MISMATCH, FALSE },
  /* Telephone numbers as people type them. */
  { "telephone", TRUE, "sha256$" SHA256_PHONE, NULL, "telephone", "+1 555-555-0100", BW_MATCH_MATCH, TRUE },
  { "telephone", FALSE, "+15555550100", NULL, "telephone", "+15555550100", BW_MATCH_MATCH, FALSE },
  /* Nothing to compare: different kinds, unknown kinds, broken hashes. */
  { "email", TRUE, "sha256$" SHA256_A_KOSHER, "Kosher", "url", "https://example.org", BW_MATCH_UNKNOWN, FALSE },
  { "sourcedId", FALSE, "12345", NULL, "id", "12345", BW_MATCH_UNKNOWN, FALSE },
  { "email", TRUE, "sha256$not-hex", NULL, "email", "a@example.com", BW_MATCH_UNKNOWN, FALSE },
  { "email", TRUE, "sha256$abcd", NULL, "email", "a@example.com", BW_MATCH_UNKNOWN, FALSE },
  { "email", TRUE, "sha1$" MD5_A, NULL, "email", "a@example.com", BW_MATCH_UNKNOWN, FALSE },
};

static void
test_match_table (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (match_cases); i++)
    {
      const MatchCase *c = &match_cases[i];
      BwRecipient *recipient = recipient_new (c->recipient_type, c->hashed, c->stored, c->salt);
      g_autoptr(BwIdentity) identity = bw_identity_new (c->identity_type, c->typed);
      g_autoptr(GPtrArray) recipients = g_ptr_array_new_with_free_func ((GDestroyNotify)recipient_free);
      g_autoptr(GPtrArray) identities = g_ptr_array_new ();
      const BwIdentity *matched = NULL;
      gboolean normalised = FALSE;
      BwRecipientMatch result;

      g_test_message ("case %u: %s %s vs %s:%s", i, c->recipient_type, c->stored,
                      c->identity_type, c->typed);
      g_assert_cmpint (bw_identity_match_one (recipient, identity), ==, c->expected);

      g_ptr_array_add (recipients, recipient);
      g_ptr_array_add (identities, identity);
      result = bw_identity_match_full (recipients, identities, &matched, &normalised);
      g_assert_cmpint (result, ==, c->expected);
      if (c->expected == BW_MATCH_MATCH)
        {
          g_assert_true (matched == identity);
          g_assert_cmpint (normalised, ==, c->normalised);
        }
      else
        g_assert_null (matched);
    }
}

static void
test_match_many (void)
{
  g_autoptr(GPtrArray) recipients = g_ptr_array_new_with_free_func ((GDestroyNotify)recipient_free);
  g_autoptr(GPtrArray) identities = g_ptr_array_new_with_free_func ((GDestroyNotify)bw_identity_free);
  const BwIdentity *matched = NULL;
  gboolean normalised = TRUE;

  /* Nothing given either side. */
  g_assert_cmpint (bw_identity_match (NULL, NULL, &matched), ==, BW_MATCH_UNKNOWN);
  g_assert_cmpint (bw_identity_match (recipients, identities, &matched), ==, BW_MATCH_UNKNOWN);

  g_ptr_array_add (recipients, recipient_new ("sourcedId", FALSE, "x", NULL));
  g_ptr_array_add (recipients, recipient_new ("email", TRUE, "sha256$" SHA256_NOBODY_SEA, "deadsea"));
  g_ptr_array_add (identities, bw_identity_new ("url", "https://example.org/me"));
  g_assert_cmpint (bw_identity_match (recipients, identities, &matched), ==, BW_MATCH_UNKNOWN);

  g_ptr_array_add (identities, bw_identity_new ("email", "other@example.org"));
  g_assert_cmpint (bw_identity_match (recipients, identities, &matched), ==, BW_MATCH_MISMATCH);
  g_assert_null (matched);

  /* A case-folded match first, then the exact one: the exact one wins. */
  g_ptr_array_add (identities, bw_identity_new ("email", "NOBODY@example.org"));
  g_ptr_array_add (identities, bw_identity_new ("email", "nobody@example.org"));
  g_assert_cmpint (bw_identity_match_full (recipients, identities, &matched, &normalised), ==, BW_MATCH_MATCH);
  g_assert_true (matched == g_ptr_array_index (identities, 3));
  g_assert_false (normalised);

  g_assert_cmpstr (bw_recipient_match_to_string (BW_MATCH_MATCH), ==, "match");
  g_assert_cmpstr (bw_recipient_match_to_string (BW_MATCH_MISMATCH), ==, "mismatch");
  g_assert_cmpstr (bw_recipient_match_to_string (BW_MATCH_UNKNOWN), ==, "unknown");
}

static void
test_parse (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BwIdentity) url = bw_identity_parse ("url:https://example.org/me", &error);
  g_autoptr(BwIdentity) email = NULL;
  g_autoptr(BwIdentity) bad = NULL;

  g_assert_no_error (error);
  g_assert_cmpstr (url->type, ==, "url");
  g_assert_cmpstr (url->value, ==, "https://example.org/me");

  email = bw_identity_parse ("emailAddress:a@example.com", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (email->type, ==, "email");

  bad = bw_identity_parse ("https://example.org/me", &error);
  g_assert_error (error, BW_ERROR, BW_ERROR_MALFORMED);
  g_assert_null (bad);
  g_clear_error (&error);

  bad = bw_identity_parse ("a@example.com", &error);
  g_assert_error (error, BW_ERROR, BW_ERROR_MALFORMED);
  g_clear_error (&error);

  bad = bw_identity_parse ("email:", &error);
  g_assert_error (error, BW_ERROR, BW_ERROR_MALFORMED);
}

/* The hosted-assertion fixture's recipient, read from the file. */
static void
test_conformance_fixture (void)
{
  const char *dir = g_getenv ("BW_CONFORMANCE_DIR");
  g_autofree char *path = NULL;
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(BwIdentity) identity = NULL;
  JsonObject *object;
  BwRecipient recipient = { 0 };

  if (dir == NULL)
    {
      g_test_skip ("BW_CONFORMANCE_DIR is not set");
      return;
    }
  path = g_build_filename (dir, "1edtech-dc-public-validator", "ob20", "basic-assertion.json", NULL);
  if (!g_file_get_contents (path, &text, NULL, NULL))
    {
      g_test_skip ("the conformance fixtures are absent");
      return;
    }

  node = bw_json_parse (text, -1, &error);
  g_assert_no_error (error);
  object = json_object_get_object_member (json_node_get_object (node), "recipient");
  recipient.type = (char *)json_object_get_string_member (object, "type");
  recipient.hashed = json_object_get_boolean_member (object, "hashed");
  recipient.identity = (char *)json_object_get_string_member (object, "identity");
  recipient.salt = (char *)json_object_get_string_member (object, "salt");

  identity = bw_identity_new ("email", "nobody@example.org");
  g_assert_cmpint (bw_identity_match_one (&recipient, identity), ==, BW_MATCH_MATCH);
  g_clear_pointer (&identity, bw_identity_free);
  identity = bw_identity_new ("email", "nobody@example.com");
  g_assert_cmpint (bw_identity_match_one (&recipient, identity), ==, BW_MATCH_MISMATCH);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/identity/hash-vectors", test_hash_vectors);
  g_test_add_func ("/identity/match-table", test_match_table);
  g_test_add_func ("/identity/match-many", test_match_many);
  g_test_add_func ("/identity/parse", test_parse);
  g_test_add_func ("/identity/conformance-fixture", test_conformance_fixture);

  return g_test_run ();
}
