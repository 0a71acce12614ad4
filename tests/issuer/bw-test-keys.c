/* bw-test-keys.c
 *
 * Copyright 2026 The Badge Wallet authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bw-test-keys"

#include "config.h"

#include <string.h>

#include <gnutls/gnutls.h>
#include <gnutls/abstract.h>
#include <gnutls/crypto.h>

#include "bw-error.h"
#include "bw-util.h"
#include "bw-test-keys.h"

struct _BwTestKey
{
  BwTestKeyType     type;
  gnutls_privkey_t  priv;
  gnutls_pubkey_t   pub;
};

static gboolean
check (int       ret,
       const char *what,
       GError  **error)
{
  if (ret >= 0)
    return TRUE;
  g_set_error (error, BW_ERROR, BW_ERROR_CRYPTO, "%s: %s", what, gnutls_strerror (ret));
  return FALSE;
}

void
bw_test_key_free (BwTestKey *key)
{
  if (key == NULL)
    return;
  if (key->priv != NULL)
    gnutls_privkey_deinit (key->priv);
  if (key->pub != NULL)
    gnutls_pubkey_deinit (key->pub);
  g_free (key);
}

/**
 * bw_test_key_new:
 *
 * Generates a fresh key pair. RSA-2048 takes a fraction of a second.
 *
 * Returns: (transfer full): the key, or %NULL
 */
BwTestKey *
bw_test_key_new (BwTestKeyType   type,
                 GError        **error)
{
  g_autoptr(BwTestKey) key = g_new0 (BwTestKey, 1);
  gnutls_pk_algorithm_t algorithm;
  unsigned int bits;

  key->type = type;
  switch (type)
    {
    case BW_TEST_KEY_RSA:
      algorithm = GNUTLS_PK_RSA;
      bits = 2048;
      break;
    case BW_TEST_KEY_P256:
      algorithm = GNUTLS_PK_ECDSA;
      bits = GNUTLS_CURVE_TO_BITS (GNUTLS_ECC_CURVE_SECP256R1);
      break;
    case BW_TEST_KEY_ED25519:
      algorithm = GNUTLS_PK_EDDSA_ED25519;
      bits = GNUTLS_CURVE_TO_BITS (GNUTLS_ECC_CURVE_ED25519);
      break;
    default:
      g_return_val_if_reached (NULL);
    }

  if (!check (gnutls_privkey_init (&key->priv), "privkey_init", error) ||
      !check (gnutls_privkey_generate (key->priv, algorithm, bits, 0), "generate", error) ||
      !check (gnutls_pubkey_init (&key->pub), "pubkey_init", error) ||
      !check (gnutls_pubkey_import_privkey (key->pub, key->priv, 0, 0), "import_privkey", error))
    return NULL;

  return g_steal_pointer (&key);
}

BwTestKeyType
bw_test_key_get_key_type (BwTestKey *key)
{
  return key->type;
}

const char *
bw_test_key_get_alg (BwTestKey *key)
{
  g_return_val_if_fail (key != NULL, NULL);

  switch (key->type)
    {
    case BW_TEST_KEY_RSA:
      return "RS256";
    case BW_TEST_KEY_P256:
      return "ES256";
    case BW_TEST_KEY_ED25519:
      return "EdDSA";
    default:
      g_return_val_if_reached (NULL);
    }
}

char *
bw_test_key_dup_public_pem (BwTestKey *key)
{
  gnutls_datum_t out = { NULL, 0 };
  char *pem;

  g_return_val_if_fail (key != NULL, NULL);

  if (gnutls_pubkey_export2 (key->pub, GNUTLS_X509_FMT_PEM, &out) < 0)
    return NULL;
  pem = g_strndup ((const char *)out.data, out.size);
  gnutls_free (out.data);
  return pem;
}

/* JWK coordinates have a fixed width; GnuTLS may drop leading zeros. */
static char *
encode_fixed (const gnutls_datum_t *datum,
              gsize                 width)
{
  g_autofree guint8 *buffer = NULL;

  if (width == 0 || datum->size >= width)
    return bw_base64url_encode (datum->data + (width != 0 ? datum->size - width : 0),
                                width != 0 ? width : datum->size);
  buffer = g_malloc0 (width);
  memcpy (buffer + width - datum->size, datum->data, datum->size);
  return bw_base64url_encode (buffer, width);
}

static void
set_coordinate (JsonObject           *jwk,
                const char           *member,
                const gnutls_datum_t *datum,
                gsize                 width)
{
  g_autofree char *text = encode_fixed (datum, width);

  json_object_set_string_member (jwk, member, text);
}

JsonObject *
bw_test_key_dup_public_jwk (BwTestKey *key)
{
  g_autoptr(JsonObject) jwk = json_object_new ();
  gnutls_datum_t a = { NULL, 0 };
  gnutls_datum_t b = { NULL, 0 };
  gnutls_ecc_curve_t curve;

  g_return_val_if_fail (key != NULL, NULL);

  switch (key->type)
    {
    case BW_TEST_KEY_RSA:
      if (gnutls_pubkey_export_rsa_raw2 (key->pub, &a, &b, GNUTLS_EXPORT_FLAG_NO_LZ) < 0)
        return NULL;
      json_object_set_string_member (jwk, "kty", "RSA");
      set_coordinate (jwk, "n", &a, 0);
      set_coordinate (jwk, "e", &b, 0);
      break;
    case BW_TEST_KEY_P256:
      if (gnutls_pubkey_export_ecc_raw2 (key->pub, &curve, &a, &b, GNUTLS_EXPORT_FLAG_NO_LZ) < 0)
        return NULL;
      json_object_set_string_member (jwk, "kty", "EC");
      json_object_set_string_member (jwk, "crv", "P-256");
      set_coordinate (jwk, "x", &a, 32);
      set_coordinate (jwk, "y", &b, 32);
      break;
    case BW_TEST_KEY_ED25519:
      if (gnutls_pubkey_export_ecc_raw2 (key->pub, &curve, &a, NULL, 0) < 0)
        return NULL;
      json_object_set_string_member (jwk, "kty", "OKP");
      json_object_set_string_member (jwk, "crv", "Ed25519");
      set_coordinate (jwk, "x", &a, 0);
      break;
    default:
      g_return_val_if_reached (NULL);
    }
  gnutls_free (a.data);
  gnutls_free (b.data);
  return g_steal_pointer (&jwk);
}

char *
bw_test_key_dup_public_jwk_json (BwTestKey *key)
{
  g_autoptr(JsonObject) jwk = bw_test_key_dup_public_jwk (key);
  g_autoptr(JsonNode) node = NULL;

  if (jwk == NULL)
    return NULL;
  node = json_node_init_object (json_node_alloc (), jwk);
  return json_to_string (node, FALSE);
}

GBytes *
bw_test_key_dup_raw_public (BwTestKey *key)
{
  gnutls_datum_t x = { NULL, 0 };
  gnutls_ecc_curve_t curve;
  GBytes *bytes;

  g_return_val_if_fail (key != NULL, NULL);
  g_return_val_if_fail (key->type == BW_TEST_KEY_ED25519, NULL);

  if (gnutls_pubkey_export_ecc_raw2 (key->pub, &curve, &x, NULL, 0) < 0)
    return NULL;
  bytes = g_bytes_new (x.data, x.size);
  gnutls_free (x.data);
  return bytes;
}

GBytes *
bw_test_key_sign (BwTestKey  *key,
                  GBytes     *data,
                  GError    **error)
{
  gnutls_datum_t input;
  gnutls_datum_t signature = { NULL, 0 };
  gnutls_sign_algorithm_t algorithm;
  gsize size = 0;
  GBytes *result;

  g_return_val_if_fail (key != NULL, NULL);
  g_return_val_if_fail (data != NULL, NULL);

  input.data = (unsigned char *)g_bytes_get_data (data, &size);
  input.size = (unsigned int)size;

  switch (key->type)
    {
    case BW_TEST_KEY_RSA:
      algorithm = GNUTLS_SIGN_RSA_SHA256;
      break;
    case BW_TEST_KEY_P256:
      algorithm = GNUTLS_SIGN_ECDSA_SHA256;
      break;
    case BW_TEST_KEY_ED25519:
      algorithm = GNUTLS_SIGN_EDDSA_ED25519;
      break;
    default:
      g_return_val_if_reached (NULL);
    }

  if (!check (gnutls_privkey_sign_data2 (key->priv, algorithm, 0, &input, &signature), "sign", error))
    return NULL;

  if (key->type == BW_TEST_KEY_P256)
    {
      gnutls_datum_t r = { NULL, 0 };
      gnutls_datum_t s = { NULL, 0 };
      guint8 raw[64] = { 0 };
      int ret = gnutls_decode_rs_value (&signature, &r, &s);

      gnutls_free (signature.data);
      if (!check (ret, "decode_rs_value", error))
        return NULL;
      /* DER integers may carry a sign byte or be shorter than 32 bytes. */
      memcpy (raw + 32 - MIN (r.size, 32), r.data + (r.size > 32 ? r.size - 32 : 0), MIN (r.size, 32));
      memcpy (raw + 64 - MIN (s.size, 32), s.data + (s.size > 32 ? s.size - 32 : 0), MIN (s.size, 32));
      gnutls_free (r.data);
      gnutls_free (s.data);
      return g_bytes_new (raw, sizeof raw);
    }

  result = g_bytes_new (signature.data, signature.size);
  gnutls_free (signature.data);
  return result;
}

static char *
encode_json_object (JsonObject *object)
{
  g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), object);
  g_autofree char *text = json_to_string (node, FALSE);

  return bw_base64url_encode ((const guint8 *)text, strlen (text));
}

char *
bw_test_key_sign_jws (BwTestKey   *key,
                      JsonObject  *extra_header,
                      const char  *payload,
                      GError     **error)
{
  g_autoptr(JsonObject) header = json_object_new ();
  g_autofree char *header_b64 = NULL;
  g_autofree char *payload_b64 = NULL;
  g_autofree char *signature_b64 = NULL;
  g_autofree char *input = NULL;
  g_autoptr(GBytes) data = NULL;
  g_autoptr(GBytes) signature = NULL;

  g_return_val_if_fail (key != NULL, NULL);
  g_return_val_if_fail (payload != NULL, NULL);

  json_object_set_string_member (header, "alg", bw_test_key_get_alg (key));
  json_object_set_string_member (header, "typ", "JWT");
  if (extra_header != NULL)
    {
      g_autoptr(GList) members = json_object_get_members (extra_header);

      for (GList *l = members; l != NULL; l = l->next)
        json_object_set_member (header, l->data,
                                json_node_copy (json_object_get_member (extra_header, l->data)));
    }

  header_b64 = encode_json_object (header);
  payload_b64 = bw_base64url_encode ((const guint8 *)payload, strlen (payload));
  input = g_strconcat (header_b64, ".", payload_b64, NULL);
  data = g_bytes_new (input, strlen (input));
  signature = bw_test_key_sign (key, data, error);
  if (signature == NULL)
    return NULL;
  signature_b64 = bw_base64url_encode (g_bytes_get_data (signature, NULL), g_bytes_get_size (signature));
  return g_strconcat (input, ".", signature_b64, NULL);
}

char *
bw_test_jws_make_with_header (const char *header_json,
                              const char *payload,
                              const char *signature_b64)
{
  g_autofree char *header_b64 = NULL;
  g_autofree char *payload_b64 = NULL;

  g_return_val_if_fail (header_json != NULL, NULL);
  g_return_val_if_fail (payload != NULL, NULL);

  header_b64 = bw_base64url_encode ((const guint8 *)header_json, strlen (header_json));
  payload_b64 = bw_base64url_encode ((const guint8 *)payload, strlen (payload));
  return g_strconcat (header_b64, ".", payload_b64, ".",
                      signature_b64 != NULL ? signature_b64 : "", NULL);
}

char *
bw_test_jws_make_alg_none (const char *payload)
{
  return bw_test_jws_make_with_header ("{\"alg\":\"none\",\"typ\":\"JWT\"}", payload, NULL);
}

/* The payload gets a trailing space: still the same JSON, but no
 * longer the signed bytes. */
char *
bw_test_jws_tamper (const char *jws)
{
  g_auto(GStrv) parts = NULL;
  g_autoptr(GBytes) payload = NULL;
  g_autoptr(GByteArray) changed = NULL;
  g_autofree char *payload_b64 = NULL;

  g_return_val_if_fail (jws != NULL, NULL);

  parts = g_strsplit (jws, ".", -1);
  if (g_strv_length (parts) != 3)
    return NULL;
  payload = bw_base64url_decode (parts[1], -1, NULL);
  if (payload == NULL)
    return NULL;
  changed = g_byte_array_new ();
  g_byte_array_append (changed, g_bytes_get_data (payload, NULL), g_bytes_get_size (payload));
  g_byte_array_append (changed, (const guint8 *)" ", 1);
  payload_b64 = bw_base64url_encode (changed->data, changed->len);
  return g_strconcat (parts[0], ".", payload_b64, ".", parts[2], NULL);
}
