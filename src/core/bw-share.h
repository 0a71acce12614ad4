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

/* The character budget of a post on X, and what any link costs in it. */
#define BW_SHARE_X_MAX_LENGTH   280
#define BW_SHARE_X_URL_LENGTH   23
#define BW_SHARE_X_MAX_HASHTAGS 3

/**
 * BwShareInfo:
 * @name: (nullable): the badge name
 * @issuer_name: (nullable): the issuing organisation's name
 * @issuer_url: (nullable): the issuer's web site
 * @organization_id: (nullable): the issuer's LinkedIn organisation id
 * @issued: (nullable): when the badge was issued
 * @expires: (nullable): when it expires, if it does
 * @public_url: (nullable): the https page every link target points at
 * @no_public_url_reason: (nullable): why @public_url is %NULL
 * @cert_id: (nullable): the credential id shown on LinkedIn
 * @image: (nullable): the badge image URL or data URI
 * @skills: (nullable) (array zero-terminated=1): skills, used for hashtags
 *   and job searches
 *
 * The plain values every share target is built from, so that the builders
 * are pure functions of data and need no parsed badge.
 */
typedef struct
{
  char       *name;
  char       *issuer_name;
  char       *issuer_url;
  char       *organization_id;
  GDateTime  *issued;
  GDateTime  *expires;
  char       *public_url;
  char       *no_public_url_reason;
  char       *cert_id;
  char       *image;
  char      **skills;
} BwShareInfo;

/**
 * BwShareField:
 * @key: a stable identifier (`name`, `organization`, `issued`, ...)
 * @label: the translated label
 * @value: the value to show or copy, or the URL of a job search
 */
typedef struct
{
  char *key;
  char *label;
  char *value;
} BwShareField;

#define BW_TYPE_SHARE_INFO (bw_share_info_get_type ())

GType         bw_share_info_get_type          (void) G_GNUC_CONST;
BwShareInfo  *bw_share_info_new               (void);
BwShareInfo  *bw_share_info_new_from_badge    (BwBadge            *badge);
BwShareInfo  *bw_share_info_copy              (const BwShareInfo  *info);
void          bw_share_info_free              (BwShareInfo        *info);
void          bw_share_field_free             (BwShareField       *field);

char         *bw_share_info_build             (const BwShareInfo  *info,
                                               BwShareTarget       target,
                                               char              **reason);
const char   *bw_share_info_get_display_name  (const BwShareInfo  *info);
GPtrArray    *bw_share_info_linkedin_fields   (const BwShareInfo  *info);
GPtrArray    *bw_share_info_jobs              (const BwShareInfo  *info);
char         *bw_share_info_x_text            (const BwShareInfo  *info);

/* The building blocks, exposed so each rule can be tested on its own. */
char         *bw_share_percent_encode         (const char         *text);
char         *bw_share_html_escape            (const char         *text);
gboolean      bw_share_url_is_public          (const char         *url);
guint         bw_share_x_length               (const char         *text);
char         *bw_share_fit_text               (const char         *text,
                                               guint               budget);
char         *bw_share_hashtag                (const char         *skill);
const char   *bw_share_linkedin_organization_id (const char       *issuer_url);
char         *bw_share_cert_id                (const char         *badge_id);

/* Saving the badge image so that it verifies anywhere. */
GBytes       *bw_share_decode_data_uri        (const char         *uri,
                                               char              **media_type,
                                               GError            **error);
GBytes       *bw_share_bake_image             (BwBadge            *badge,
                                               GBytes             *image,
                                               GError            **error);
char         *bw_share_suggest_filename       (const char         *name,
                                               BwImageFormat       format);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BwShareInfo, bw_share_info_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BwShareField, bw_share_field_free)

G_END_DECLS
