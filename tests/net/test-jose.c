/* test-jose.c
 *
 * Copyright 2026 The Badge Wallet authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-jose"

#include "config.h"

#include <string.h>

#include "bw-error.h"
#include "bw-jose.h"
#include "bw-util.h"
#include "bw-test-keys.h"

#define PAYLOAD "{\"iss\":\"https://example.org/issuer\",\"name\":\"Test badge\"}"

static const char *
conformance_dir (void)
{
  const char *dir = g_getenv ("BW_CONFORMANCE_DIR");

  if (dir == NULL || !g_file_test (dir, G_FILE_TEST_IS_DIR))
    return NULL;
  return dir;
}

static char *
read_fixture (const char *relative)
{
  g_autofree char *path = g_build_filename (conformance_dir (), relative, NULL);
  char *text = NULL;

  if (!g_file_get_contents (path, &text, NULL, NULL))
    return NULL;
  return text;
}

static char *
fixture_key_pem (const char *name)
{
  g_autofree char *relative = g_strdup_printf ("1edtech-dc-public-validator/ob20/assets/%s", name);
  g_autofree char *text = read_fixture (relative);
  g_autoptr(JsonNode) node = NULL;

  if (text == NULL)
    return NULL;
  node = bw_json_parse (text, -1, NULL);
  g_assert_nonnull (node);
  return g_strdup (json_object_get_string_member (json_node_get_object (node), "publicKeyPem"));
}

static void
test_conformance_ob20 (void)
{
  static const struct { const char *jwt; const char *key; } pairs[] = {
    { "simple.jwt", "key1.json" },
    { "simple-not-revoked.jwt", "key2.json" },
    { "simple-revoked.jwt", "key3.json" },
  };

  if (conformance_dir () == NULL)
    {
      g_test_skip ("the conformance fixtures are absent");
      return;
    }

  for (guint i = 0; i < G_N_ELEMENTS (pairs); i++)
    {
      g_autofree char *relative = g_strdup_printf ("1edtech-dc-public-validator/ob20/%s", pairs[i].jwt);
      g_autofree char *compact = read_fixture (relative);
      g_autofree char *pem = fixture_key_pem (pairs[i].key);
      g_autofree char *other_pem = fixture_key_pem (pairs[(i + 1) % G_N_ELEMENTS (pairs)].key);
      g_autoptr(GError) error = NULL;
      g_autoptr(BwJws) jws = NULL;
      JsonNode *payload;

      g_assert_nonnull (compact);
      g_assert_nonnull (pem);
      jws = bw_jws_parse (compact, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (bw_jws_get_alg (jws), ==, "RS256");
      payload = bw_jws_get_payload_json (jws);
      g_assert_nonnull (payload);
      g_assert_true (JSON_NODE_HOLDS_OBJECT (payload));
      g_assert_true (json_object_has_member (json_node_get_object (payload), "recipient"));

      g_assert_true (bw_jws_verify_pem (jws, pem, &error));
      g_assert_no_error (error);

      /* Each token verifies with its own key only. */
      g_assert_false (bw_jws_verify_pem (jws, other_pem, &error));
      g_assert_error (error, BW_ERROR, BW_ERROR_CRYPTO);
    }
}

/* Pulls the iTXt text of keyword @keyword out of a PNG, walking chunks. */
static char *
png_itxt (GBytes     *png,
          const char *keyword)
{
  gsize size = 0;
  const guint8 *data = g_bytes_get_data (png, &size);
  gsize offset = 8;

  while (offset + 12 <= size)
    {
      guint32 length = (guint32)data[offset] << 24 | (guint32)data[offset + 1] << 16 |
                       (guint32)data[offset + 2] << 8 | data[offset + 3];
      const char *type = (const char *)data + offset + 4;
      const char *body = (const char *)data + offset + 8;

      if (offset + 12 + length > size)
        return NULL;
      if (memcmp (type, "iTXt", 4) == 0 && length > strlen (keyword) + 5 &&
          strcmp (body, keyword) == 0)
        {
          const char *p = body + strlen (keyword) + 3;
          const char *end = body + length;

          p = memchr (p, '\0', end - p);       /* language tag */
          if (p == NULL)
            return NULL;
          p = memchr (p + 1, '\0', end - p - 1);   /* translated keyword */
          if (p == NULL)
            return NULL;
          return g_strndup (p + 1, end - p - 1);
        }
      offset += 12 + length;
    }
  return NULL;
}

static void
test_conformance_ob30_inline_jwk (void)
{
  g_autofree char *path = NULL;
  g_autoptr(GMappedFile) file = NULL;
  g_autoptr(GBytes) png = NULL;
  g_autofree char *compact = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(BwJws) jws = NULL;
  JsonObject *header;
  JsonObject *jwk;

  if (conformance_dir () == NULL)
    {
      g_test_skip ("the conformance fixtures are absent");
      return;
    }

  path = g_build_filename (conformance_dir (), "1edtech-dc-public-validator", "ob30", "simple-jwt.png", NULL);
  file = g_mapped_file_new (path, FALSE, &error);
  g_assert_no_error (error);
  png = g_mapped_file_get_bytes (file);
  compact = png_itxt (png, "openbadgecredential");
  g_assert_nonnull (compact);

  jws = bw_jws_parse (compact, &error);
  g_assert_no_error (error);
  header = bw_jws_get_header (jws);
  g_assert_true (json_object_has_member (header, "jwk"));
  jwk = json_object_get_object_member (header, "jwk");
  g_assert_true (bw_jws_verify_jwk (jws, jwk, &error));
  g_assert_no_error (error);

  /* The same key, but the token altered. */
  {
    g_autofree char *tampered = bw_test_jws_tamper (compact);
    g_autoptr(BwJws) bad = bw_jws_parse (tampered, &error);

    g_assert_no_error (error);
    g_assert_false (bw_jws_verify_jwk (bad, jwk, &error));
    g_assert_error (error, BW_ERROR, BW_ERROR_CRYPTO);
  }
}

static void
check_generated (BwTestKeyType type)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BwTestKey) key = bw_test_key_new (type, &error);
  g_autofree char *compact = NULL;
  g_autofree char *pem = NULL;
  g_autofree char *tampered = NULL;
  g_autoptr(JsonObject) jwk = NULL;
  g_autoptr(BwJws) jws = NULL;
  g_autoptr(BwJws) bad = NULL;
  g_autoptr(GBytes) payload = NULL;

  g_assert_no_error (error);
  compact = bw_test_key_sign_jws (key, NULL, PAYLOAD, &error);
  g_assert_no_error (error);
  pem = bw_test_key_dup_public_pem (key);
  jwk = bw_test_key_dup_public_jwk (key);
  g_assert_nonnull (pem);
  g_assert_nonnull (jwk);

  jws = bw_jws_parse (compact, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (bw_jws_get_alg (jws), ==, bw_test_key_get_alg (key));
  payload = g_bytes_new_static (PAYLOAD, strlen (PAYLOAD));
  g_assert_true (g_bytes_equal (bw_jws_get_payload (jws), payload));

  g_assert_true (bw_jws_verify_pem (jws, pem, &error));
  g_assert_no_error (error);
  g_assert_true (bw_jws_verify_jwk (jws, jwk, &error));
  g_assert_no_error (error);

  tampered = bw_test_jws_tamper (compact);
  bad = bw_jws_parse (tampered, &error);
  g_assert_no_error (error);
  g_assert_false (bw_jws_verify_pem (bad, pem, &error));
  g_assert_error (error, BW_ERROR, BW_ERROR_CRYPTO);
  g_clear_error (&error);
  g_assert_false (bw_jws_verify_jwk (bad, jwk, &error));
  g_assert_error (error, BW_ERROR, BW_ERROR_CRYPTO);
  g_clear_error (&error);

  /* Another key of the same type does not verify. */
  {
    g_autoptr(BwTestKey) other = bw_test_key_new (type, &error);
    g_autofree char *other_pem = bw_test_key_dup_public_pem (other);

    g_assert_false (bw_jws_verify_pem (jws, other_pem, &error));
    g_assert_error (error, BW_ERROR, BW_ERROR_CRYPTO);
  }
}

static void
test_generated_rsa (void)
{
  check_generated (BW_TEST_KEY_RSA);
}

static void
test_generated_p256 (void)
{
  /* ECDSA signatures are random and their r or s often have a leading
   * zero byte; several rounds exercise the raw r||s conversion. */
  for (guint i = 0; i < 48; i++)
    check_generated (BW_TEST_KEY_P256);
}

static void
test_generated_ed25519 (void)
{
  check_generated (BW_TEST_KEY_ED25519);
}

static void
test_refused_algorithms (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BwTestKey) rsa = bw_test_key_new (BW_TEST_KEY_RSA, &error);
  g_autofree char *pem = bw_test_key_dup_public_pem (rsa);
  g_autoptr(JsonObject) jwk = bw_test_key_dup_public_jwk (rsa);
  g_autofree char *none = bw_test_jws_make_alg_none (PAYLOAD);
  g_autofree char *hs256 = bw_test_jws_make_with_header ("{\"alg\":\"HS256\"}", PAYLOAD, "c2lnbmF0dXJl");
  g_autofree char *ps256 = bw_test_jws_make_with_header ("{\"alg\":\"PS256\"}", PAYLOAD, "c2lnbmF0dXJl");
  g_autoptr(BwJws) jws = NULL;

  g_assert_no_error (error);

  /* alg none parses (an empty signature is well-formed) but never verifies. */
  jws = bw_jws_parse (none, &error);
  g_assert_no_error (error);
  g_assert_false (bw_jws_verify_pem (jws, pem, &error));
  g_assert_error (error, BW_ERROR, BW_ERROR_UNSUPPORTED);
  g_clear_error (&error);
  g_assert_false (bw_jws_verify_jwk (jws, jwk, &error));
  g_assert_error (error, BW_ERROR, BW_ERROR_UNSUPPORTED);
  g_clear_error (&error);
  g_clear_pointer (&jws, bw_jws_free);

  /* HMAC with the public key as secret: the classic confusion. */
  jws = bw_jws_parse (hs256, &error);
  g_assert_no_error (error);
  g_assert_false (bw_jws_verify_pem (jws, pem, &error));
  g_assert_error (error, BW_ERROR, BW_ERROR_UNSUPPORTED);
  g_clear_error (&error);
  g_clear_pointer (&jws, bw_jws_free);

  jws = bw_jws_parse (ps256, &error);
  g_assert_no_error (error);
  g_assert_false (bw_jws_verify_pem (jws, pem, &error));
  g_assert_error (error, BW_ERROR, BW_ERROR_UNSUPPORTED);
}

/* A token whose alg does not fit the key type is refused before any
 * signature arithmetic. */
static void
test_algorithm_confusion (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BwTestKey) rsa = bw_test_key_new (BW_TEST_KEY_RSA, &error);
  g_autoptr(BwTestKey) ec = bw_test_key_new (BW_TEST_KEY_P256, &error);
  g_autoptr(BwTestKey) ed = bw_test_key_new (BW_TEST_KEY_ED25519, &error);
  g_autofree char *rs_token = bw_test_key_sign_jws (rsa, NULL, PAYLOAD, &error);
  g_autofree char *es_token = bw_test_key_sign_jws (ec, NULL, PAYLOAD, &error);
  g_autofree char *ed_token = bw_test_key_sign_jws (ed, NULL, PAYLOAD, &error);
  g_autofree char *ec_pem = bw_test_key_dup_public_pem (ec);
  g_autofree char *ed_pem = bw_test_key_dup_public_pem (ed);
  g_autofree char *rsa_pem = bw_test_key_dup_public_pem (rsa);
  g_autoptr(JsonObject) ed_jwk = bw_test_key_dup_public_jwk (ed);
  g_autoptr(JsonObject) rsa_jwk = bw_test_key_dup_public_jwk (rsa);
  g_autoptr(BwJws) rs = NULL;
  g_autoptr(BwJws) es = NULL;
  g_autoptr(BwJws) eddsa = NULL;

  g_assert_no_error (error);
  rs = bw_jws_parse (rs_token, &error);
  es = bw_jws_parse (es_token, &error);
  eddsa = bw_jws_parse (ed_token, &error);
  g_assert_no_error (error);

  g_assert_false (bw_jws_verify_pem (rs, ec_pem, &error));
  g_assert_error (error, BW_ERROR, BW_ERROR_CRYPTO);
  g_clear_error (&error);
  g_assert_false (bw_jws_verify_pem (rs, ed_pem, &error));
  g_assert_error (error, BW_ERROR, BW_ERROR_CRYPTO);
  g_clear_error (&error);
  g_assert_false (bw_jws_verify_pem (es, rsa_pem, &error));
  g_assert_error (error, BW_ERROR, BW_ERROR_CRYPTO);
  g_clear_error (&error);
  g_assert_false (bw_jws_verify_jwk (eddsa, rsa_jwk, &error));
  g_assert_error (error, BW_ERROR, BW_ERROR_CRYPTO);
  g_clear_error (&error);
  g_assert_false (bw_jws_verify_jwk (rs, ed_jwk, &error));
  g_assert_error (error, BW_ERROR, BW_ERROR_CRYPTO);
  g_clear_error (&error);

  /* A JWK that names another alg than the token's. */
  json_object_set_string_member (rsa_jwk, "alg", "PS256");
  g_assert_false (bw_jws_verify_jwk (rs, rsa_jwk, &error));
  g_assert_error (error, BW_ERROR, BW_ERROR_CRYPTO);
  g_clear_error (&error);
  json_object_set_string_member (rsa_jwk, "alg", "RS256");
  g_assert_true (bw_jws_verify_jwk (rs, rsa_jwk, &error));
  g_assert_no_error (error);

  /* Private key material where a public key belongs. */
  json_object_set_string_member (rsa_jwk, "d", "AQAB");
  g_assert_false (bw_jws_verify_jwk (rs, rsa_jwk, &error));
  g_assert_error (error, BW_ERROR, BW_ERROR_CRYPTO);
}

static void
test_bad_keys (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BwTestKey) ec = bw_test_key_new (BW_TEST_KEY_P256, &error);
  g_autofree char *token = bw_test_key_sign_jws (ec, NULL, PAYLOAD, &error);
  g_autoptr(BwJws) jws = bw_jws_parse (token, &error);
  g_autoptr(JsonObject) jwk = bw_test_key_dup_public_jwk (ec);

  g_assert_no_error (error);
  g_assert_false (bw_jws_verify_pem (jws, "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n", &error));
  g_assert_error (error, BW_ERROR, BW_ERROR_CRYPTO);
  g_clear_error (&error);

  json_object_set_string_member (jwk, "x", "AAAA");
  g_assert_false (bw_jws_verify_jwk (jws, jwk, &error));
  g_assert_error (error, BW_ERROR, BW_ERROR_CRYPTO);
  g_clear_error (&error);

  json_object_set_string_member (jwk, "crv", "P-521");
  g_assert_false (bw_jws_verify_jwk (jws, jwk, &error));
  g_assert_error (error, BW_ERROR, BW_ERROR_UNSUPPORTED);
}

static void
test_parse_errors (void)
{
  static const struct { const char *text; int code; } cases[] = {
    { "", BW_ERROR_MALFORMED },
    { "abc", BW_ERROR_MALFORMED },
    { "abc.def", BW_ERROR_MALFORMED },
    { "a.b.c.d", BW_ERROR_MALFORMED },
    { ".e30.c2ln", BW_ERROR_MALFORMED },                         /* no header */
    { "eyJhbGciOiJSUzI1NiJ9..c2ln", BW_ERROR_MALFORMED },        /* no payload */
    { "ey$$.e30.c2ln", BW_ERROR_MALFORMED },                     /* not base64url */
    { "bm90IGpzb24.e30.c2ln", BW_ERROR_MALFORMED },              /* "not json" */
    { "WzFd.e30.c2ln", BW_ERROR_MALFORMED },                     /* [1] */
    { "e30.e30.c2ln", BW_ERROR_MALFORMED },                      /* {} without alg */
    { "eyJhbGciOjF9.e30.c2ln", BW_ERROR_MALFORMED },             /* {"alg":1} */
    { "eyJhbGciOiJSUzI1NiIsImNyaXQiOlsiYjY0Il19.e30.c2ln", BW_ERROR_UNSUPPORTED },  /* crit */
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(BwJws) jws = bw_jws_parse (cases[i].text, &error);

      g_test_message ("case %u: %s", i, cases[i].text);
      g_assert_null (jws);
      g_assert_error (error, BW_ERROR, cases[i].code);
    }

  /* Surrounding white space (as in SVG CDATA) is fine. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(BwJws) jws = bw_jws_parse ("\n  eyJhbGciOiJSUzI1NiJ9.e30.c2ln \n", &error);

    g_assert_no_error (error);
    g_assert_cmpstr (bw_jws_get_alg (jws), ==, "RS256");
  }

  /* Too big to be a badge. */
  {
    g_autoptr(GError) error = NULL;
    gsize length = 4 * 1024 * 1024;
    g_autofree char *huge = g_malloc (length + 1);
    g_autoptr(BwJws) jws = NULL;

    memset (huge, 'A', length);
    memcpy (huge, "eyJhbGciOiJSUzI1NiJ9.", 21);
    memcpy (huge + length - 5, ".c2ln", 5);
    huge[length] = '\0';
    jws = bw_jws_parse (huge, &error);
    g_assert_null (jws);
    g_assert_error (error, BW_ERROR, BW_ERROR_TOO_LARGE);
  }

  /* A payload that is not JSON is kept as bytes. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(BwJws) jws = bw_jws_parse ("eyJhbGciOiJSUzI1NiJ9.aGVsbG8.c2ln", &error);

    g_assert_no_error (error);
    g_assert_null (bw_jws_get_payload_json (jws));
    g_assert_cmpuint (g_bytes_get_size (bw_jws_get_payload (jws)), ==, 5);
  }
}

static void
test_raw_ed25519 (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BwTestKey) key = bw_test_key_new (BW_TEST_KEY_ED25519, &error);
  g_autoptr(GBytes) public_key = bw_test_key_dup_raw_public (key);
  g_autoptr(GBytes) data = g_bytes_new_static ("proof hash || document hash", 28);
  g_autoptr(GBytes) other = g_bytes_new_static ("proof hash || document hasH", 28);
  g_autoptr(GBytes) signature = bw_test_key_sign (key, data, &error);
  g_autoptr(GBytes) short_key = g_bytes_new_static ("short", 5);

  g_assert_no_error (error);
  g_assert_true (bw_jose_verify_ed25519 (public_key, data, signature, &error));
  g_assert_no_error (error);
  g_assert_false (bw_jose_verify_ed25519 (public_key, other, signature, &error));
  g_assert_error (error, BW_ERROR, BW_ERROR_CRYPTO);
  g_clear_error (&error);
  g_assert_false (bw_jose_verify_ed25519 (short_key, data, signature, &error));
  g_assert_error (error, BW_ERROR, BW_ERROR_CRYPTO);
}

/* The OB 3.0 implementation guide's eddsa-rdfc-2022 test vector. */
#define VECTOR_KEY_MULTIBASE  "z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi"
#define VECTOR_KEY_HEX        "4bdeafde2ea8beefadd8c699b5c7e0704cf51154d52e17b20b71337ca04cc5a5"
#define VECTOR_PROOF_VALUE    "z5x9aCBYovW3CQCbKdNyhEm7ffYSw1YpEdPywQJoNbzDD2gkzQDKJ1sYKJaWvqZtkMtSbz35HcbgXVEDYHxCzgkCr"
#define VECTOR_SIGNATURE_HEX  "f7a017acf7d27983267ec362657c0fb08e955549f49dac5bf36a03c4f2c3a4f1" \
                              "e3738a6c5ecd7ffba7135cb9cd754e6196f4b73082ea8df8e703c8ecd4333503"

static char *
to_hex (GBytes *bytes)
{
  gsize size = 0;
  const guint8 *data = g_bytes_get_data (bytes, &size);
  GString *hex = g_string_new (NULL);

  for (gsize i = 0; i < size; i++)
    g_string_append_printf (hex, "%02x", data[i]);
  return g_string_free (hex, FALSE);
}

static void
test_multikey (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) key = bw_jose_ed25519_from_multikey (VECTOR_KEY_MULTIBASE, &error);
  g_autoptr(GBytes) from_did = NULL;
  g_autoptr(GBytes) from_url = NULL;
  g_autoptr(GBytes) signature = NULL;
  g_autoptr(GBytes) bad = NULL;
  g_autofree char *key_hex = NULL;
  g_autofree char *signature_hex = NULL;

  g_assert_no_error (error);
  key_hex = to_hex (key);
  g_assert_cmpstr (key_hex, ==, VECTOR_KEY_HEX);

  from_did = bw_jose_ed25519_from_multikey ("did:key:" VECTOR_KEY_MULTIBASE "#" VECTOR_KEY_MULTIBASE, &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (from_did, key));
  from_url = bw_jose_ed25519_from_multikey ("https://example.edu/issuers/565049#" VECTOR_KEY_MULTIBASE, &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (from_url, key));

  signature = bw_jose_multibase_decode (VECTOR_PROOF_VALUE, &error);
  g_assert_no_error (error);
  signature_hex = to_hex (signature);
  g_assert_cmpstr (signature_hex, ==, VECTOR_SIGNATURE_HEX);

  /* Leading "1"s are leading zero bytes. */
  {
    g_autoptr(GBytes) zeros = bw_jose_multibase_decode ("z112", &error);
    g_autofree char *zeros_hex = to_hex (zeros);

    g_assert_cmpstr (zeros_hex, ==, "000001");
  }
  {
    g_autoptr(GBytes) b64 = bw_jose_multibase_decode ("uAQID", &error);
    g_autofree char *b64_hex = to_hex (b64);

    g_assert_cmpstr (b64_hex, ==, "010203");
  }

  bad = bw_jose_multibase_decode ("z0OIl", &error);
  g_assert_error (error, BW_ERROR, BW_ERROR_MALFORMED);
  g_clear_error (&error);
  bad = bw_jose_multibase_decode ("f0102", &error);
  g_assert_error (error, BW_ERROR, BW_ERROR_UNSUPPORTED);
  g_clear_error (&error);
  /* A secp256k1 Multikey (0xe7 0x01) is not an Ed25519 key. */
  bad = bw_jose_ed25519_from_multikey ("zQ3shokFTS3brHcDQrn82RUDfCZESWL1ZdCEJwekUDPQiYBme", &error);
  g_assert_error (error, BW_ERROR, BW_ERROR_CRYPTO);
  g_assert_null (bad);
}

/* Verifies the vector's signature over sha256(proof) || sha256(document),
 * from the canonical N-Quads in the conformance folder. */
static void
test_multikey_vector_signature (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *proof = NULL;
  g_autofree char *document = NULL;
  g_autoptr(GBytes) key = NULL;
  g_autoptr(GBytes) signature = NULL;
  g_autoptr(GBytes) data = NULL;
  g_autoptr(GBytes) other = NULL;
  guint8 hashes[64];
  gsize length = 32;
  g_autoptr(GChecksum) checksum = NULL;

  if (conformance_dir () == NULL)
    {
      g_test_skip ("the conformance fixtures are absent");
      return;
    }
  proof = read_fixture ("openbadges-specification/ob_v3p0/eddsa-rdfc-2022-test-vector/proof-canon.txt");
  document = read_fixture ("openbadges-specification/ob_v3p0/eddsa-rdfc-2022-test-vector/document-canon.txt");
  g_assert_nonnull (proof);
  g_assert_nonnull (document);

  checksum = g_checksum_new (G_CHECKSUM_SHA256);
  g_checksum_update (checksum, (const guchar *)proof, strlen (proof));
  g_checksum_get_digest (checksum, hashes, &length);
  g_checksum_reset (checksum);
  length = 32;
  g_checksum_update (checksum, (const guchar *)document, strlen (document));
  g_checksum_get_digest (checksum, hashes + 32, &length);
  data = g_bytes_new (hashes, sizeof hashes);

  key = bw_jose_ed25519_from_multikey (VECTOR_KEY_MULTIBASE, &error);
  signature = bw_jose_multibase_decode (VECTOR_PROOF_VALUE, &error);
  g_assert_no_error (error);
  g_assert_true (bw_jose_verify_ed25519 (key, data, signature, &error));
  g_assert_no_error (error);

  /* The hashes the other way round do not verify. */
  {
    guint8 swapped[64];

    memcpy (swapped, hashes + 32, 32);
    memcpy (swapped + 32, hashes, 32);
    other = g_bytes_new (swapped, sizeof swapped);
  }
  g_assert_false (bw_jose_verify_ed25519 (key, other, signature, &error));
  g_assert_error (error, BW_ERROR, BW_ERROR_CRYPTO);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/jose/conformance/ob20", test_conformance_ob20);
  g_test_add_func ("/jose/conformance/ob30-inline-jwk", test_conformance_ob30_inline_jwk);
  g_test_add_func ("/jose/generated/rs256", test_generated_rsa);
  g_test_add_func ("/jose/generated/es256", test_generated_p256);
  g_test_add_func ("/jose/generated/eddsa", test_generated_ed25519);
  g_test_add_func ("/jose/refused-algorithms", test_refused_algorithms);
  g_test_add_func ("/jose/algorithm-confusion", test_algorithm_confusion);
  g_test_add_func ("/jose/bad-keys", test_bad_keys);
  g_test_add_func ("/jose/parse-errors", test_parse_errors);
  g_test_add_func ("/jose/raw-ed25519", test_raw_ed25519);
  g_test_add_func ("/jose/multikey", test_multikey);
  g_test_add_func ("/jose/conformance/eddsa-rdfc-2022-vector", test_multikey_vector_signature);

  return g_test_run ();
}
