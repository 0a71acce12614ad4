/* widgets-fixtures.h
 *
 * Copyright 2026 The Badge Wallet authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "bw-core.h"
#include "bw-test-issuer.h"
#include "bw-test-keys.h"

G_BEGIN_DECLS

/* The candidate every fixture badge is issued to, hashed with a salt. */
#define WF_EMAIL "alice@example.org"
#define WF_SALT  "pepper"

typedef enum
{
  WF_STATE_VALID,
  WF_STATE_EXPIRING,   /* valid, expires in 10 days */
  WF_STATE_EXPIRED,
  WF_STATE_REVOKED,
} WfState;

typedef struct
{
  const char *name;
  const char *description;
  const char *tags;        /* a JSON array, or NULL */
  guint32     colour;      /* 0xRRGGBB */
  gboolean    svg;
  WfState     state;
} WfBadgeSpec;

typedef struct
{
  BwTestIssuer *issuer;
  BwTestKey    *key;
  char         *issuer_url;
  char         *key_url;
  char         *dir;
  BwFetcher    *fetcher;
  BwVerifier   *verifier;
  BwStore      *store;
  guint         next_id;
} WfWorld;

/* Images drawn with cairo: a round badge of @colour, @size pixels wide. */
GBytes  *wf_make_png         (guint32            colour,
                              int                size);
GBytes  *wf_make_svg         (guint32            colour);

/* A test issuer on 127.0.0.1, a verifier that may use it, and an empty
 * wallet in a fresh temporary folder. */
WfWorld *wf_world_new        (void);
void     wf_world_free       (WfWorld           *world);

/* A hosted OB 2.0 badge published on the test issuer and baked into a PNG
 * or an SVG image; revoked ones answer 410 Gone. */
GBytes  *wf_world_make_badge (WfWorld           *world,
                              const WfBadgeSpec *spec);
/* A signed badge whose signature is not the issuer's key's. */
GBytes  *wf_world_make_forged (WfWorld          *world);

/* Adds @baked to the wallet and, when @verify, saves its verification. */
BwBadge *wf_world_add        (WfWorld           *world,
                              GBytes            *baked,
                              const char        *name,
                              gboolean           verify);
BwReport *wf_world_verify_input (WfWorld        *world,
                                 const char     *name,
                                 GBytes         *data);

/* Iterates the main context until @done is TRUE, failing the test after
 * @seconds. */
void     wf_wait_for_flag    (gboolean          *done,
                              guint              seconds);

void     wf_rm_rf            (const char        *path);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WfWorld, wf_world_free)

G_END_DECLS
