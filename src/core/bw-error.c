/* bw-error.c
 *
 * Copyright 2026 The Badge Wallet authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "bw-error.h"

G_DEFINE_QUARK (bw-error-quark, bw_error)
