/* bw-ob3.h
 *
 * Copyright 2026 The Badge Wallet authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "bw-badge.h"

G_BEGIN_DECLS

gboolean bw_ob3_is_credential (JsonObject *object);
gboolean bw_ob3_is_open_badge (JsonObject *object);

/* Checks of an OB 3.0 credential that need no cryptography. Each returns
 * %NULL when the credential passes, or the problems found, one message
 * each. */
char      *bw_ob3_context_problem    (JsonObject *credential,
                                      gboolean   *older_model);
char      *bw_ob3_type_problem       (JsonObject *credential);
GPtrArray *bw_ob3_structure_problems (JsonObject *credential,
                                      JsonObject *jwt_claims);

G_END_DECLS
