/* bw-jose.h
 *
 * Copyright 2026 The Badge Wallet authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef struct _BwJws BwJws;

BwJws       *bw_jws_parse           (const char  *compact,
                                     GError     **error);
void         bw_jws_free            (BwJws       *jws);
JsonObject  *bw_jws_get_header      (BwJws       *jws);
const char  *bw_jws_get_alg         (BwJws       *jws);
GBytes      *bw_jws_get_payload     (BwJws       *jws);
JsonNode    *bw_jws_get_payload_json(BwJws       *jws);

/* Signature checks. The key's type must fit the header's alg; `none` and
 * HMAC algorithms are always refused. */
gboolean     bw_jws_verify_pem      (BwJws       *jws,
                                     const char  *public_key_pem,
                                     GError     **error);
gboolean     bw_jws_verify_jwk      (BwJws       *jws,
                                     JsonObject  *jwk,
                                     GError     **error);

/* A bare Ed25519 signature check (32-byte key, 64-byte signature), for
 * Data Integrity proofs. */
gboolean     bw_jose_verify_ed25519 (GBytes      *public_key,
                                     GBytes      *data,
                                     GBytes      *signature,
                                     GError     **error);

/* Multibase (`z` base58btc, `u` base64url), and Ed25519 Multikeys as
 * did:key and 1EdTech verification methods carry them. */
GBytes      *bw_jose_multibase_decode       (const char  *text,
                                             GError     **error);
GBytes      *bw_jose_ed25519_from_multikey  (const char  *key,
                                             GError     **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BwJws, bw_jws_free)

G_END_DECLS
