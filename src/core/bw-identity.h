/* bw-identity.h
 *
 * Copyright 2026 The Badge Wallet authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "bw-badge.h"

G_BEGIN_DECLS

typedef enum
{
  BW_MATCH_UNKNOWN,
  BW_MATCH_MATCH,
  BW_MATCH_MISMATCH,
} BwRecipientMatch;

/**
 * BwIdentity:
 * @type: `email`, `url`, `telephone` or `id`
 * @value: the plain value the user typed
 */
typedef struct
{
  char *type;
  char *value;
} BwIdentity;

BwIdentity       *bw_identity_new          (const char        *type,
                                            const char        *value);
BwIdentity       *bw_identity_parse        (const char        *type_colon_value,
                                            GError           **error);
void              bw_identity_free         (BwIdentity        *identity);
char             *bw_identity_hash         (const char        *algorithm,
                                            const char        *value,
                                            const char        *salt);
BwRecipientMatch  bw_identity_match_one    (const BwRecipient *recipient,
                                            const BwIdentity  *identity);
BwRecipientMatch  bw_identity_match        (GPtrArray         *recipients,
                                            GPtrArray         *identities,
                                            const BwIdentity **matched);
const char       *bw_recipient_match_to_string (BwRecipientMatch match);

/* Like bw_identity_match(); @normalised tells whether the identity matched
 * only once lower-cased (e-mail) or reduced to digits (telephone). */
BwRecipientMatch  bw_identity_match_full   (GPtrArray         *recipients,
                                            GPtrArray         *identities,
                                            const BwIdentity **matched,
                                            gboolean          *normalised);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BwIdentity, bw_identity_free)

G_END_DECLS
