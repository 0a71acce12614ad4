/* bw-test-keys.h
 *
 * Copyright 2026 The Badge Wallet authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef enum
{
  BW_TEST_KEY_RSA,       /* RSA-2048, signs RS256 */
  BW_TEST_KEY_P256,      /* ECDSA P-256, signs ES256 */
  BW_TEST_KEY_ED25519,   /* Ed25519, signs EdDSA */
} BwTestKeyType;

typedef struct _BwTestKey BwTestKey;

BwTestKey  *bw_test_key_new              (BwTestKeyType  type,
                                          GError       **error);
void        bw_test_key_free             (BwTestKey     *key);
BwTestKeyType bw_test_key_get_key_type   (BwTestKey     *key);

/* "RS256", "ES256" or "EdDSA". */
const char *bw_test_key_get_alg          (BwTestKey     *key);

/* The public key as SPKI PEM ("-----BEGIN PUBLIC KEY-----"). */
char       *bw_test_key_dup_public_pem   (BwTestKey     *key);

/* The public key as a JWK object (kty, n/e, crv/x/y), without "d".
 * Returns: (transfer full) */
JsonObject *bw_test_key_dup_public_jwk   (BwTestKey     *key);
char       *bw_test_key_dup_public_jwk_json (BwTestKey  *key);

/* The raw 32-byte Ed25519 public key (Ed25519 keys only). */
GBytes     *bw_test_key_dup_raw_public   (BwTestKey     *key);

/* Signs @data with the key's algorithm; ES256 signatures come out as
 * raw r||s (64 bytes) as JOSE wants them. */
GBytes     *bw_test_key_sign             (BwTestKey     *key,
                                          GBytes        *data,
                                          GError       **error);

/* Signs @payload (any text, usually JSON) as a compact JWS. The header
 * is {"alg": ALG, "typ": "JWT"} plus the members of @extra_header (for
 * "kid" or "jwk"), which may be %NULL. */
char       *bw_test_key_sign_jws         (BwTestKey     *key,
                                          JsonObject    *extra_header,
                                          const char    *payload,
                                          GError       **error);

/* Broken tokens for negative tests. */
char       *bw_test_jws_make_alg_none    (const char    *payload);
char       *bw_test_jws_make_with_header (const char    *header_json,
                                          const char    *payload,
                                          const char    *signature_b64);
/* Flips one character of the payload, keeping the signature. */
char       *bw_test_jws_tamper           (const char    *jws);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BwTestKey, bw_test_key_free)

G_END_DECLS
