/* bw-error.h
 *
 * Copyright 2026 The Badge Wallet authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define BW_ERROR (bw_error_quark ())

/**
 * BwError:
 * @BW_ERROR_FAILED: anything not covered below
 * @BW_ERROR_NOT_A_BADGE: the input holds no Open Badges data at all
 * @BW_ERROR_MALFORMED: the input is damaged or does not follow its format
 * @BW_ERROR_TRUNCATED: the input ends too early
 * @BW_ERROR_BAD_CRC: a PNG chunk fails its CRC
 * @BW_ERROR_TOO_LARGE: a size, depth or count limit was exceeded
 * @BW_ERROR_UNSUPPORTED: a valid but unsupported feature (algorithm, version)
 * @BW_ERROR_INVALID_DATA: well-formed JSON that is not a valid badge document
 * @BW_ERROR_NETWORK: the network could not be used (unreachable, refused, TLS)
 * @BW_ERROR_TIMEOUT: an operation did not finish in its time
 * @BW_ERROR_POLICY: refused by policy (local address, scheme, offline mode)
 * @BW_ERROR_HTTP: the server answered with an unexpected HTTP status
 * @BW_ERROR_NOT_FOUND: no such item (wallet id, key, document)
 * @BW_ERROR_IO: reading or writing local files failed
 * @BW_ERROR_CRYPTO: a key or signature could not be used
 */
typedef enum
{
  BW_ERROR_FAILED,
  BW_ERROR_NOT_A_BADGE,
  BW_ERROR_MALFORMED,
  BW_ERROR_TRUNCATED,
  BW_ERROR_BAD_CRC,
  BW_ERROR_TOO_LARGE,
  BW_ERROR_UNSUPPORTED,
  BW_ERROR_INVALID_DATA,
  BW_ERROR_NETWORK,
  BW_ERROR_TIMEOUT,
  BW_ERROR_POLICY,
  BW_ERROR_HTTP,
  BW_ERROR_NOT_FOUND,
  BW_ERROR_IO,
  BW_ERROR_CRYPTO,
} BwError;

GQuark bw_error_quark (void);

G_END_DECLS
