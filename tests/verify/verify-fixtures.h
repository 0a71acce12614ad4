/* verify-fixtures.h
 *
 * Copyright 2026 The Badge Wallet authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "bw-test-issuer.h"

G_BEGIN_DECLS

/* The recipient every fixture badge is issued to, and its salt. */
#define VF_EMAIL "nobody@example.org"
#define VF_SALT  "deadsea"

GBytes *vf_make_png              (void);
GBytes *vf_make_svg              (void);
char   *vf_hash                  (GChecksumType  type,
                                  const char    *value,
                                  const char    *salt);
char   *vf_recipient_json        (void);

/* Each publishes a document on @origin at @path and returns its URL.
 * @extra is appended inside the JSON object (",\"a\": 1"), or NULL. */
char   *vf_publish_issuer        (BwTestIssuer  *issuer,
                                  guint          origin,
                                  const char    *path,
                                  const char    *extra);
char   *vf_publish_badge_class   (BwTestIssuer  *issuer,
                                  guint          origin,
                                  const char    *path,
                                  const char    *issuer_url,
                                  const char    *image_url);
char   *vf_publish_image         (BwTestIssuer  *issuer,
                                  guint          origin,
                                  const char    *path);

/* An OB 2.0 Assertion. @recipient_json may be NULL for vf_recipient_json();
 * @verification_json NULL means HostedBadge. */
char   *vf_assertion_json        (const char    *id,
                                  const char    *badge_url,
                                  const char    *recipient_json,
                                  const char    *verification_json,
                                  const char    *extra);

G_END_DECLS
