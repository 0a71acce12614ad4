/* bw-jose.c
 *
 * Copyright 2026 The Badge Wallet authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bw-jose"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>
#include <gnutls/gnutls.h>
#include <gnutls/abstract.h>
#include <gnutls/crypto.h>

#include "bw-error.h"
#include "bw-jose.h"
#include "bw-util.h"

/* A token carries at most one JSON document (plus base64 growth); the
 * protected header is small in every real token. */
#define MAX_COMPACT_BYTES  (BW_MAX_JSON_BYTES / 3 * 4 + 64 * 1024)
#define MAX_HEADER_BYTES   (16 * 1024)
#define MAX_SIGNATURE_BYTES 1024

typedef enum
{
  ALG_RS256,
  ALG_ES256,
  ALG_EDDSA,
} Alg;

struct _BwJws
{
  char       *signing_input;   /* header_b64 "." payload_b64 */
  JsonNode   *header;
  char       *alg;
  GBytes     *payload;
  GBytes     *signature;
  JsonNode   *payload_json;
  gboolean    payload_parsed;
};

static gboolean
is_b64url (const char *text,
           gsize       length)
{
  for (gsize i = 0; i < length; i++)
    {
      char c = text[i];

      if (!(g_ascii_isalnum (c) || c == '-' || c == '_'))
        return FALSE;
    }
  return TRUE;
}

void
bw_jws_free (BwJws *jws)
{
  if (jws == NULL)
    return;
  g_free (jws->signing_input);
  g_clear_pointer (&jws->header, json_node_unref);
  g_free (jws->alg);
  g_clear_pointer (&jws->payload, g_bytes_unref);
  g_clear_pointer (&jws->signature, g_bytes_unref);
  g_clear_pointer (&jws->payload_json, json_node_unref);
  g_free (jws);
}

/**
 * bw_jws_parse:
 * @compact: a JWS in compact serialisation (surrounding white space is
 *   ignored)
 * @error: return location for an error
 *
 * Splits and decodes a compact JWS: three base64url parts, a JSON object
 * header with a string `alg`, a non-empty payload. Nothing is verified.
 * A `crit` header is refused, since no extension is understood.
 *
 * Returns: (transfer full): the token, or %NULL with @error set
 *   (%BW_ERROR_MALFORMED, %BW_ERROR_TOO_LARGE or %BW_ERROR_UNSUPPORTED)
 */
BwJws *
bw_jws_parse (const char  *compact,
              GError     **error)
{
  g_autoptr(BwJws) jws = NULL;
  g_autoptr(GBytes) header_bytes = NULL;
  g_autoptr(GError) local_error = NULL;
  const char *start;
  const char *end;
  const char *dot1;
  const char *dot2;
  gsize length;
  JsonObject *header;
  JsonNode *alg;

  g_return_val_if_fail (compact != NULL, NULL);

  start = compact;
  while (g_ascii_isspace (*start))
    start++;
  length = strlen (start);
  while (length > 0 && g_ascii_isspace (start[length - 1]))
    length--;
  end = start + length;

  if (length > MAX_COMPACT_BYTES)
    {
      g_set_error (error, BW_ERROR, BW_ERROR_TOO_LARGE,
                   _("The JWS is %zu bytes long, more than the %d allowed"),
                   length, MAX_COMPACT_BYTES);
      return NULL;
    }

  dot1 = memchr (start, '.', length);
  dot2 = dot1 != NULL ? memchr (dot1 + 1, '.', end - dot1 - 1) : NULL;
  if (dot1 == NULL || dot2 == NULL || memchr (dot2 + 1, '.', end - dot2 - 1) != NULL)
    {
      g_set_error (error, BW_ERROR, BW_ERROR_MALFORMED,
                   _("A compact JWS has exactly three parts separated by dots"));
      return NULL;
    }
  if (dot1 == start || dot2 == dot1 + 1)
    {
      g_set_error (error, BW_ERROR, BW_ERROR_MALFORMED,
                   _("The JWS has an empty %s"), dot1 == start ? "header" : "payload");
      return NULL;
    }
  if (!is_b64url (start, dot1 - start) || !is_b64url (dot1 + 1, dot2 - dot1 - 1) ||
      !is_b64url (dot2 + 1, end - dot2 - 1))
    {
      g_set_error (error, BW_ERROR, BW_ERROR_MALFORMED,
                   _("The JWS contains characters outside base64url"));
      return NULL;
    }
  if ((gsize)(dot1 - start) > MAX_HEADER_BYTES / 3 * 4 + 4 ||
      (gsize)(end - dot2 - 1) > MAX_SIGNATURE_BYTES / 3 * 4 + 4)
    {
      g_set_error (error, BW_ERROR, BW_ERROR_TOO_LARGE,
                   _("The JWS header or signature is too large"));
      return NULL;
    }

  jws = g_new0 (BwJws, 1);
  jws->signing_input = g_strndup (start, dot2 - start);

  header_bytes = bw_base64url_decode (start, dot1 - start, &local_error);
  if (header_bytes == NULL)
    {
      g_set_error (error, BW_ERROR, BW_ERROR_MALFORMED,
                   _("The JWS header is not valid base64url: %s"), local_error->message);
      return NULL;
    }
  jws->header = bw_json_parse (g_bytes_get_data (header_bytes, NULL),
                               g_bytes_get_size (header_bytes), &local_error);
  if (jws->header == NULL)
    {
      g_set_error (error, BW_ERROR, BW_ERROR_MALFORMED,
                   _("The JWS header is not JSON: %s"), local_error->message);
      return NULL;
    }
  if (!JSON_NODE_HOLDS_OBJECT (jws->header))
    {
      g_set_error (error, BW_ERROR, BW_ERROR_MALFORMED,
                   _("The JWS header is not a JSON object"));
      return NULL;
    }
  header = json_node_get_object (jws->header);
  alg = json_object_get_member (header, "alg");
  if (alg == NULL || !JSON_NODE_HOLDS_VALUE (alg) ||
      json_node_get_value_type (alg) != G_TYPE_STRING)
    {
      g_set_error (error, BW_ERROR, BW_ERROR_MALFORMED,
                   _("The JWS header has no “alg” string"));
      return NULL;
    }
  jws->alg = g_strdup (json_node_get_string (alg));
  if (json_object_has_member (header, "crit"))
    {
      g_set_error (error, BW_ERROR, BW_ERROR_UNSUPPORTED,
                   _("The JWS header lists critical extensions (“crit”), which are not supported"));
      return NULL;
    }

  jws->payload = bw_base64url_decode (dot1 + 1, dot2 - dot1 - 1, &local_error);
  if (jws->payload == NULL)
    {
      g_set_error (error, BW_ERROR, BW_ERROR_MALFORMED,
                   _("The JWS payload is not valid base64url: %s"), local_error->message);
      return NULL;
    }
  if (g_bytes_get_size (jws->payload) > BW_MAX_JSON_BYTES)
    {
      g_set_error (error, BW_ERROR, BW_ERROR_TOO_LARGE,
                   _("The JWS payload is larger than %d bytes"), BW_MAX_JSON_BYTES);
      return NULL;
    }

  jws->signature = bw_base64url_decode (dot2 + 1, end - dot2 - 1, &local_error);
  if (jws->signature == NULL)
    {
      g_set_error (error, BW_ERROR, BW_ERROR_MALFORMED,
                   _("The JWS signature is not valid base64url: %s"), local_error->message);
      return NULL;
    }

  return g_steal_pointer (&jws);
}

/**
 * bw_jws_get_header:
 *
 * Returns: (transfer none): the protected header
 */
JsonObject *
bw_jws_get_header (BwJws *jws)
{
  g_return_val_if_fail (jws != NULL, NULL);

  return json_node_get_object (jws->header);
}

const char *
bw_jws_get_alg (BwJws *jws)
{
  g_return_val_if_fail (jws != NULL, NULL);

  return jws->alg;
}

/**
 * bw_jws_get_payload:
 *
 * Returns: (transfer none): the decoded payload bytes
 */
GBytes *
bw_jws_get_payload (BwJws *jws)
{
  g_return_val_if_fail (jws != NULL, NULL);

  return jws->payload;
}

/**
 * bw_jws_get_payload_json:
 *
 * Parses the payload as JSON, once, within the usual size and depth
 * limits.
 *
 * Returns: (transfer none) (nullable): the payload, or %NULL when it is
 *   not JSON
 */
JsonNode *
bw_jws_get_payload_json (BwJws *jws)
{
  g_return_val_if_fail (jws != NULL, NULL);

  if (!jws->payload_parsed)
    {
      jws->payload_parsed = TRUE;
      jws->payload_json = bw_json_parse (g_bytes_get_data (jws->payload, NULL),
                                         g_bytes_get_size (jws->payload), NULL);
    }
  return jws->payload_json;
}

/* Maps the header's alg onto what is supported, refusing `none`, HMAC
 * (a public key used as an HMAC secret is the classic confusion) and
 * anything unknown. */
static gboolean
parse_alg (const char  *name,
           Alg         *alg,
           GError     **error)
{
  if (g_strcmp0 (name, "RS256") == 0)
    *alg = ALG_RS256;
  else if (g_strcmp0 (name, "ES256") == 0)
    *alg = ALG_ES256;
  else if (g_strcmp0 (name, "EdDSA") == 0 || g_strcmp0 (name, "Ed25519") == 0)
    *alg = ALG_EDDSA;
  else if (g_ascii_strcasecmp (name, "none") == 0)
    {
      g_set_error (error, BW_ERROR, BW_ERROR_UNSUPPORTED,
                   _("Unsigned JWS (alg “none”) are refused"));
      return FALSE;
    }
  else if (g_str_has_prefix (name, "HS"))
    {
      g_set_error (error, BW_ERROR, BW_ERROR_UNSUPPORTED,
                   _("Shared-secret JWS (alg “%s”) are refused: an issuer's public key cannot check them"),
                   name);
      return FALSE;
    }
  else
    {
      g_set_error (error, BW_ERROR, BW_ERROR_UNSUPPORTED,
                   _("JWS algorithm “%s” is not supported (RS256, ES256 and EdDSA are)"), name);
      return FALSE;
    }
  return TRUE;
}

static const char *
alg_name (Alg alg)
{
  switch (alg)
    {
    case ALG_RS256:
      return "RS256";
    case ALG_ES256:
      return "ES256";
    case ALG_EDDSA:
    default:
      return "EdDSA";
    }
}

/* The key must be of the one type the algorithm is defined for. */
static gboolean
check_key_type (gnutls_pubkey_t   key,
                Alg               alg,
                GError          **error)
{
  unsigned int bits = 0;
  int pk = gnutls_pubkey_get_pk_algorithm (key, &bits);
  gboolean fits = FALSE;

  switch (alg)
    {
    case ALG_RS256:
      fits = pk == GNUTLS_PK_RSA;
      break;
    case ALG_ES256:
      if (pk == GNUTLS_PK_ECDSA)
        {
          gnutls_ecc_curve_t curve = GNUTLS_ECC_CURVE_INVALID;

          if (gnutls_pubkey_export_ecc_raw2 (key, &curve, NULL, NULL, 0) >= 0)
            fits = curve == GNUTLS_ECC_CURVE_SECP256R1;
        }
      break;
    case ALG_EDDSA:
      fits = pk == GNUTLS_PK_EDDSA_ED25519;
      break;
    default:
      break;
    }

  if (!fits)
    {
      g_set_error (error, BW_ERROR, BW_ERROR_CRYPTO,
                   _("A %s key cannot check a %s signature"),
                   gnutls_pk_get_name ((gnutls_pk_algorithm_t)pk), alg_name (alg));
      return FALSE;
    }
  return TRUE;
}

static gboolean
verify_with_key (BwJws            *jws,
                 gnutls_pubkey_t   key,
                 Alg               alg,
                 GError          **error)
{
  gnutls_datum_t data;
  gnutls_datum_t signature;
  gnutls_datum_t der = { NULL, 0 };
  gnutls_sign_algorithm_t sign;
  gsize size = 0;
  int ret;

  if (!check_key_type (key, alg, error))
    return FALSE;

  data.data = (unsigned char *)jws->signing_input;
  data.size = (unsigned int)strlen (jws->signing_input);
  signature.data = (unsigned char *)g_bytes_get_data (jws->signature, &size);
  signature.size = (unsigned int)size;

  switch (alg)
    {
    case ALG_RS256:
      sign = GNUTLS_SIGN_RSA_SHA256;
      break;

    case ALG_ES256:
      {
        gnutls_datum_t r;
        gnutls_datum_t s;

        /* JOSE carries ECDSA signatures as raw r||s; GnuTLS wants DER. */
        if (size != 64)
          {
            g_set_error (error, BW_ERROR, BW_ERROR_CRYPTO,
                         _("An ES256 signature is 64 bytes, this one is %zu"), size);
            return FALSE;
          }
        r.data = signature.data;
        r.size = 32;
        s.data = signature.data + 32;
        s.size = 32;
        ret = gnutls_encode_rs_value (&der, &r, &s);
        if (ret < 0)
          {
            g_set_error (error, BW_ERROR, BW_ERROR_CRYPTO,
                         _("Cannot use the ES256 signature: %s"), gnutls_strerror (ret));
            return FALSE;
          }
        signature = der;
        sign = GNUTLS_SIGN_ECDSA_SHA256;
      }
      break;

    case ALG_EDDSA:
      if (size != 64)
        {
          g_set_error (error, BW_ERROR, BW_ERROR_CRYPTO,
                       _("An Ed25519 signature is 64 bytes, this one is %zu"), size);
          return FALSE;
        }
      sign = GNUTLS_SIGN_EDDSA_ED25519;
      break;

    default:
      g_return_val_if_reached (FALSE);
    }

  ret = gnutls_pubkey_verify_data2 (key, sign, 0, &data, &signature);
  gnutls_free (der.data);
  if (ret < 0)
    {
      if (ret == GNUTLS_E_PK_SIG_VERIFY_FAILED)
        g_set_error (error, BW_ERROR, BW_ERROR_CRYPTO,
                     _("The %s signature does not match the key"), alg_name (alg));
      else
        g_set_error (error, BW_ERROR, BW_ERROR_CRYPTO,
                     _("The %s signature cannot be checked: %s"), alg_name (alg),
                     gnutls_strerror (ret));
      return FALSE;
    }
  return TRUE;
}

/**
 * bw_jws_verify_pem:
 * @jws: a parsed token
 * @public_key_pem: an SPKI public key (`-----BEGIN PUBLIC KEY-----`)
 * @error: return location for an error
 *
 * Returns: %TRUE when the signature verifies with the key; otherwise
 *   %FALSE with %BW_ERROR_UNSUPPORTED (refused algorithm) or
 *   %BW_ERROR_CRYPTO (unusable key, wrong key type, bad signature)
 */
gboolean
bw_jws_verify_pem (BwJws       *jws,
                   const char  *public_key_pem,
                   GError     **error)
{
  gnutls_pubkey_t key = NULL;
  gnutls_datum_t pem;
  gboolean ok;
  Alg alg;
  int ret;

  g_return_val_if_fail (jws != NULL, FALSE);
  g_return_val_if_fail (public_key_pem != NULL, FALSE);

  if (!parse_alg (jws->alg, &alg, error))
    return FALSE;

  pem.data = (unsigned char *)public_key_pem;
  pem.size = (unsigned int)strlen (public_key_pem);
  if ((ret = gnutls_pubkey_init (&key)) < 0 ||
      (ret = gnutls_pubkey_import (key, &pem, GNUTLS_X509_FMT_PEM)) < 0)
    {
      g_set_error (error, BW_ERROR, BW_ERROR_CRYPTO,
                   _("The public key PEM cannot be read: %s"), gnutls_strerror (ret));
      if (key != NULL)
        gnutls_pubkey_deinit (key);
      return FALSE;
    }

  ok = verify_with_key (jws, key, alg, error);
  gnutls_pubkey_deinit (key);
  return ok;
}

static GBytes *
jwk_member_bytes (JsonObject  *jwk,
                  const char  *member,
                  gsize        exact_size,
                  GError     **error)
{
  const char *text = bw_json_object_get_string (jwk, member);
  g_autoptr(GError) local_error = NULL;
  GBytes *bytes;

  if (text == NULL || *text == '\0')
    {
      g_set_error (error, BW_ERROR, BW_ERROR_CRYPTO,
                   _("The JWK has no “%s” member"), member);
      return NULL;
    }
  bytes = bw_base64url_decode (text, -1, &local_error);
  if (bytes == NULL)
    {
      g_set_error (error, BW_ERROR, BW_ERROR_CRYPTO,
                   _("The JWK member “%s” is not base64url: %s"), member, local_error->message);
      return NULL;
    }
  if (exact_size != 0 && g_bytes_get_size (bytes) != exact_size)
    {
      g_set_error (error, BW_ERROR, BW_ERROR_CRYPTO,
                   _("The JWK member “%s” is %zu bytes, not %zu"),
                   member, g_bytes_get_size (bytes), exact_size);
      g_bytes_unref (bytes);
      return NULL;
    }
  return bytes;
}

static void
datum_from_bytes (gnutls_datum_t *datum,
                  GBytes         *bytes)
{
  gsize size = 0;

  datum->data = (unsigned char *)g_bytes_get_data (bytes, &size);
  datum->size = (unsigned int)size;
}

/* Builds a GnuTLS key from a public JWK (RSA, EC P-256 or OKP Ed25519). */
static gnutls_pubkey_t
import_jwk (JsonObject  *jwk,
            GError     **error)
{
  const char *kty = bw_json_object_get_string (jwk, "kty");
  const char *crv = bw_json_object_get_string (jwk, "crv");
  g_autoptr(GBytes) a = NULL;
  g_autoptr(GBytes) b = NULL;
  gnutls_datum_t da;
  gnutls_datum_t db;
  gnutls_pubkey_t key = NULL;
  int ret;

  if (json_object_has_member (jwk, "d"))
    {
      g_set_error (error, BW_ERROR, BW_ERROR_CRYPTO,
                   _("The JWK holds a private key (“d”); a public key was expected"));
      return NULL;
    }

  if (g_strcmp0 (kty, "RSA") == 0)
    {
      if ((a = jwk_member_bytes (jwk, "n", 0, error)) == NULL ||
          (b = jwk_member_bytes (jwk, "e", 0, error)) == NULL)
        return NULL;
    }
  else if (g_strcmp0 (kty, "EC") == 0 && g_strcmp0 (crv, "P-256") == 0)
    {
      if ((a = jwk_member_bytes (jwk, "x", 32, error)) == NULL ||
          (b = jwk_member_bytes (jwk, "y", 32, error)) == NULL)
        return NULL;
    }
  else if (g_strcmp0 (kty, "OKP") == 0 && g_strcmp0 (crv, "Ed25519") == 0)
    {
      if ((a = jwk_member_bytes (jwk, "x", 32, error)) == NULL)
        return NULL;
    }
  else
    {
      g_set_error (error, BW_ERROR, BW_ERROR_UNSUPPORTED,
                   _("JWK key type “%s”%s%s is not supported"),
                   kty != NULL ? kty : "?", crv != NULL ? " " : "", crv != NULL ? crv : "");
      return NULL;
    }

  if ((ret = gnutls_pubkey_init (&key)) < 0)
    goto fail;
  datum_from_bytes (&da, a);
  if (b != NULL)
    datum_from_bytes (&db, b);
  if (g_strcmp0 (kty, "RSA") == 0)
    ret = gnutls_pubkey_import_rsa_raw (key, &da, &db);
  else if (g_strcmp0 (kty, "EC") == 0)
    ret = gnutls_pubkey_import_ecc_raw (key, GNUTLS_ECC_CURVE_SECP256R1, &da, &db);
  else
    ret = gnutls_pubkey_import_ecc_raw (key, GNUTLS_ECC_CURVE_ED25519, &da, NULL);
  if (ret < 0)
    goto fail;
  return key;

fail:
  g_set_error (error, BW_ERROR, BW_ERROR_CRYPTO,
               _("The JWK cannot be used as a key: %s"), gnutls_strerror (ret));
  if (key != NULL)
    gnutls_pubkey_deinit (key);
  return NULL;
}

/**
 * bw_jws_verify_jwk:
 * @jws: a parsed token
 * @jwk: a public JWK (RSA; EC P-256; OKP Ed25519)
 * @error: return location for an error
 *
 * A JWK that names its own `alg` must name the token's; a JWK with
 * `use` other than `sig`, or with private members, is refused.
 *
 * Returns: %TRUE when the signature verifies with the key
 */
gboolean
bw_jws_verify_jwk (BwJws       *jws,
                   JsonObject  *jwk,
                   GError     **error)
{
  gnutls_pubkey_t key;
  const char *key_alg;
  const char *use;
  gboolean ok;
  Alg alg;

  g_return_val_if_fail (jws != NULL, FALSE);
  g_return_val_if_fail (jwk != NULL, FALSE);

  if (!parse_alg (jws->alg, &alg, error))
    return FALSE;

  key_alg = bw_json_object_get_string (jwk, "alg");
  if (key_alg != NULL && strcmp (key_alg, jws->alg) != 0)
    {
      g_set_error (error, BW_ERROR, BW_ERROR_CRYPTO,
                   _("The key is for %s, the token claims %s"), key_alg, jws->alg);
      return FALSE;
    }
  use = bw_json_object_get_string (jwk, "use");
  if (use != NULL && strcmp (use, "sig") != 0)
    {
      g_set_error (error, BW_ERROR, BW_ERROR_CRYPTO,
                   _("The key is meant for “%s”, not for signatures"), use);
      return FALSE;
    }

  key = import_jwk (jwk, error);
  if (key == NULL)
    return FALSE;
  ok = verify_with_key (jws, key, alg, error);
  gnutls_pubkey_deinit (key);
  return ok;
}

/**
 * bw_jose_verify_ed25519:
 * @public_key: the raw 32-byte Ed25519 public key
 * @data: the signed bytes
 * @signature: the 64-byte signature
 * @error: return location for an error
 *
 * Checks a bare Ed25519 signature, as Data Integrity proofs carry them.
 *
 * Returns: %TRUE when the signature verifies
 */
gboolean
bw_jose_verify_ed25519 (GBytes  *public_key,
                        GBytes  *data,
                        GBytes  *signature,
                        GError **error)
{
  gnutls_pubkey_t key = NULL;
  gnutls_datum_t dkey;
  gnutls_datum_t ddata;
  gnutls_datum_t dsig;
  int ret;

  g_return_val_if_fail (public_key != NULL, FALSE);
  g_return_val_if_fail (data != NULL, FALSE);
  g_return_val_if_fail (signature != NULL, FALSE);

  if (g_bytes_get_size (public_key) != 32 || g_bytes_get_size (signature) != 64)
    {
      g_set_error (error, BW_ERROR, BW_ERROR_CRYPTO,
                   _("An Ed25519 key is 32 bytes and a signature 64; got %zu and %zu"),
                   g_bytes_get_size (public_key), g_bytes_get_size (signature));
      return FALSE;
    }

  datum_from_bytes (&dkey, public_key);
  datum_from_bytes (&ddata, data);
  datum_from_bytes (&dsig, signature);
  if ((ret = gnutls_pubkey_init (&key)) >= 0 &&
      (ret = gnutls_pubkey_import_ecc_raw (key, GNUTLS_ECC_CURVE_ED25519, &dkey, NULL)) >= 0)
    ret = gnutls_pubkey_verify_data2 (key, GNUTLS_SIGN_EDDSA_ED25519, 0, &ddata, &dsig);
  if (key != NULL)
    gnutls_pubkey_deinit (key);

  if (ret == GNUTLS_E_PK_SIG_VERIFY_FAILED)
    {
      g_set_error (error, BW_ERROR, BW_ERROR_CRYPTO,
                   _("The Ed25519 signature does not match the key"));
      return FALSE;
    }
  if (ret < 0)
    {
      g_set_error (error, BW_ERROR, BW_ERROR_CRYPTO,
                   _("The Ed25519 signature cannot be checked: %s"), gnutls_strerror (ret));
      return FALSE;
    }
  return TRUE;
}

/* Longest multibase text accepted: keys and signatures are short, and
 * base58 decoding is quadratic. */
#define MAX_MULTIBASE_CHARS 4096

static GBytes *
base58btc_decode (const char  *text,
                  GError     **error)
{
  static const char alphabet[] = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
  gsize length = strlen (text);
  g_autofree guint8 *digits = g_malloc0 (length + 1);   /* base 256, big-endian */
  gsize used = 0;
  gsize zeros = 0;
  GByteArray *out;

  while (zeros < length && text[zeros] == '1')
    zeros++;

  for (gsize i = zeros; i < length; i++)
    {
      const char *hit = strchr (alphabet, text[i]);
      guint carry;

      if (hit == NULL || text[i] == '\0')
        {
          g_set_error (error, BW_ERROR, BW_ERROR_MALFORMED,
                       _("Invalid base58 character at offset %zu"), i);
          return NULL;
        }
      carry = (guint)(hit - alphabet);
      for (gsize j = 0; j < used; j++)
        {
          carry += (guint)digits[length - j] * 58;
          digits[length - j] = carry & 0xff;
          carry >>= 8;
        }
      while (carry > 0)
        {
          digits[length - used] = carry & 0xff;
          used++;
          carry >>= 8;
        }
    }

  out = g_byte_array_sized_new (zeros + used);
  for (gsize i = 0; i < zeros; i++)
    g_byte_array_append (out, (const guint8 *)"", 1);
  g_byte_array_append (out, digits + length + 1 - used, used);
  return g_byte_array_free_to_bytes (out);
}

/**
 * bw_jose_multibase_decode:
 * @text: multibase text: `z` + base58btc, or `u` + base64url
 * @error: return location for an error
 *
 * Returns: (transfer full): the decoded bytes, or %NULL with
 *   %BW_ERROR_MALFORMED (or %BW_ERROR_UNSUPPORTED for another base)
 */
GBytes *
bw_jose_multibase_decode (const char  *text,
                          GError     **error)
{
  g_return_val_if_fail (text != NULL, NULL);

  if (strlen (text) > MAX_MULTIBASE_CHARS)
    {
      g_set_error (error, BW_ERROR, BW_ERROR_TOO_LARGE,
                   _("Multibase text longer than %d characters"), MAX_MULTIBASE_CHARS);
      return NULL;
    }
  if (text[0] == 'z' && text[1] != '\0')
    return base58btc_decode (text + 1, error);
  if (text[0] == 'u' && text[1] != '\0')
    {
      if (!is_b64url (text + 1, strlen (text + 1)))
        {
          g_set_error (error, BW_ERROR, BW_ERROR_MALFORMED,
                       _("Multibase “u” text is not base64url"));
          return NULL;
        }
      return bw_base64url_decode (text + 1, -1, error);
    }
  if (text[0] == '\0' || text[1] == '\0')
    {
      g_set_error (error, BW_ERROR, BW_ERROR_MALFORMED, _("Empty multibase text"));
      return NULL;
    }
  g_set_error (error, BW_ERROR, BW_ERROR_UNSUPPORTED,
               _("Multibase prefix “%c” is not supported (z and u are)"), text[0]);
  return NULL;
}

/**
 * bw_jose_ed25519_from_multikey:
 * @key: an Ed25519 Multikey (`z6Mk…`), a `did:key:z6Mk…` identifier or
 *   verification method, or a URL whose fragment is such a Multikey
 * @error: return location for an error
 *
 * Decodes the multicodec-tagged key (0xed 0x01 then 32 bytes).
 *
 * Returns: (transfer full): the raw 32-byte public key, or %NULL with
 *   %BW_ERROR_CRYPTO (not an Ed25519 key) or a decoding error
 */
GBytes *
bw_jose_ed25519_from_multikey (const char  *key,
                               GError     **error)
{
  g_autofree char *multikey = NULL;
  g_autoptr(GBytes) decoded = NULL;
  const guint8 *data;
  gsize size = 0;

  g_return_val_if_fail (key != NULL, NULL);

  if (g_str_has_prefix (key, "did:key:"))
    {
      const char *start = key + strlen ("did:key:");
      const char *hash = strchr (start, '#');

      multikey = hash != NULL ? g_strndup (start, hash - start) : g_strdup (start);
    }
  else if (strchr (key, '#') != NULL)
    multikey = g_strdup (strchr (key, '#') + 1);
  else
    multikey = g_strdup (key);

  if (multikey[0] != 'z')
    {
      g_set_error (error, BW_ERROR, BW_ERROR_CRYPTO,
                   _("“%s” is not a base58 Multikey"), key);
      return NULL;
    }
  decoded = bw_jose_multibase_decode (multikey, error);
  if (decoded == NULL)
    return NULL;
  data = g_bytes_get_data (decoded, &size);
  if (size != 34 || data[0] != 0xed || data[1] != 0x01)
    {
      g_set_error (error, BW_ERROR, BW_ERROR_CRYPTO,
                   _("“%s” is not an Ed25519 public key"), key);
      return NULL;
    }
  return g_bytes_new_from_bytes (decoded, 2, 32);
}
