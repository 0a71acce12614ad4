/* fuzz-ob.c
 *
 * Copyright 2026 The Badge Wallet authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* libFuzzer target over the Open Badges parsers: the input is JSON text
 * given to bw_json_parse() and bw_badge_new_from_json(), then fed back as
 * every referenced document the badge asks for, and wrapped in a compact
 * JWS so that the JWS and VC-JWT paths see it too. Besides crashes it
 * checks that a parsed badge always has a version and serializes. */

#define G_LOG_DOMAIN "fuzz-ob"

#include <string.h>

#include "bw-badge.h"
#include "bw-baked.h"
#include "bw-error.h"
#include "bw-util.h"

int LLVMFuzzerTestOneInput (const guint8 *data,
                            size_t        size);

static void
check_badge (BwBadge *badge)
{
  g_autoptr(JsonNode) json = NULL;
  g_autofree char *text = NULL;

  json = bw_badge_to_json (badge);
  g_assert_nonnull (json);
  text = json_to_string (json, FALSE);
  g_assert_nonnull (text);

  /* A badge with nothing fetched yet is the only one without a version. */
  if (bw_badge_get_spec (badge) == BW_SPEC_UNKNOWN)
    g_assert_true (bw_badge_needs_fetch (badge));
  g_assert_nonnull (bw_badge_get_tags (badge));
  g_assert_nonnull (bw_badge_get_skills (badge));
}

static void
fuzz_resolve (BwBadge  *badge,
              JsonNode *document)
{
  /* Every pending document is answered with the input itself; a refused
   * one must leave the badge usable, and the loop must end. */
  for (guint round = 0; round < 4 && bw_badge_needs_fetch (badge); round++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *url = NULL;
      BwDocumentKind kind;

      url = bw_badge_dup_pending_url (badge, &kind);
      g_assert_nonnull (url);
      if (!bw_badge_resolve (badge, kind, url, document, &error))
        {
          g_assert_nonnull (error);
          break;
        }
      check_badge (badge);
    }
}

static void
fuzz_jws (const guint8 *data,
          size_t        size)
{
  static const char header[] = "{\"alg\":\"RS256\"}";
  g_autofree char *h = bw_base64url_encode ((const guint8 *)header, strlen (header));
  g_autofree char *p = bw_base64url_encode (data, size);
  g_autofree char *jws = g_strdup_printf ("%s.%s.c2ln", h, p);

  for (BwPayloadKind kind = BW_PAYLOAD_KIND_JWS; kind <= BW_PAYLOAD_KIND_VC_JWT; kind++)
    {
      g_autoptr(BwPayload) payload = bw_payload_new (kind, BW_PAYLOAD_SOURCE_FILE, jws);
      g_autoptr(GError) error = NULL;
      g_autoptr(BwBadge) badge = bw_badge_new_from_payload (payload, &error);

      g_assert_true ((badge == NULL) != (error == NULL));
      if (badge != NULL)
        {
          g_assert_cmpstr (bw_badge_get_jws (badge), ==, jws);
          check_badge (badge);
        }
    }
}

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(BwBadge) badge = NULL;
  g_autoptr(GError) error = NULL;

  node = bw_json_parse ((const char *)data, (gssize)size, &error);
  if (node == NULL)
    {
      g_assert_nonnull (error);
      return 0;
    }

  badge = bw_badge_new_from_json (node, "https://fuzz.example/assertion", &error);
  g_assert_true ((badge == NULL) != (error == NULL));
  if (badge != NULL)
    {
      check_badge (badge);
      fuzz_resolve (badge, node);
    }

  if (size < 65536)
    fuzz_jws (data, size);

  return 0;
}
