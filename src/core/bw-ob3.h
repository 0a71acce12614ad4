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

G_END_DECLS
