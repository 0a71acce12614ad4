/* bw-share.h
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
  BW_SHARE_LINKEDIN_PROFILE,
  BW_SHARE_LINKEDIN_POST,
  BW_SHARE_FACEBOOK,
  BW_SHARE_X,
  BW_SHARE_EMAIL,
  BW_SHARE_EMBED,
  BW_SHARE_PUBLIC_URL,
  BW_SHARE_N_TARGETS,
} BwShareTarget;

const char *bw_share_target_to_string  (BwShareTarget  target);

/* Each returns a newly allocated string, or NULL with @reason set to why
 * the badge cannot be shared that way. */
char       *bw_share_public_url        (BwBadge       *badge,
                                        char         **reason);
char       *bw_share_build             (BwBadge       *badge,
                                        BwShareTarget  target,
                                        char         **reason);
char       *bw_share_linkedin_jobs_url (const char    *keywords);

G_END_DECLS
