/* verify-fixtures.c
 *
 * Copyright 2026 The Badge Wallet authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "verify-fixtures"

#include "config.h"

#include <string.h>
#include <zlib.h>

#include "verify-fixtures.h"

static void
put_be32 (GByteArray *out,
          guint32     value)
{
  guint8 b[4] = { value >> 24, value >> 16, value >> 8, value };

  g_byte_array_append (out, b, 4);
}

static void
put_chunk (GByteArray   *out,
           const char   *type,
           const guint8 *data,
           guint32       length)
{
  uLong crc = crc32 (0, (const Bytef *)type, 4);

  if (length > 0)
    crc = crc32 (crc, data, length);
  put_be32 (out, length);
  g_byte_array_append (out, (const guint8 *)type, 4);
  if (length > 0)
    g_byte_array_append (out, data, length);
  put_be32 (out, (guint32)crc);
}

/* A real 4×4 grey PNG, so that bakers and image checks see a valid file. */
GBytes *
vf_make_png (void)
{
  static const guint8 signature[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };
  guint8 ihdr[13] = { 0, 0, 0, 4, 0, 0, 0, 4, 8, 0, 0, 0, 0 };
  guint8 raw[4 * 5];
  guint8 packed[128];
  uLongf packed_length = sizeof packed;
  GByteArray *out = g_byte_array_new ();

  for (guint row = 0; row < 4; row++)
    {
      raw[row * 5] = 0;
      memset (raw + row * 5 + 1, 0x80, 4);
    }
  g_assert_cmpint (compress (packed, &packed_length, raw, sizeof raw), ==, Z_OK);

  g_byte_array_append (out, signature, sizeof signature);
  put_chunk (out, "IHDR", ihdr, sizeof ihdr);
  put_chunk (out, "IDAT", packed, (guint32)packed_length);
  put_chunk (out, "IEND", NULL, 0);
  return g_byte_array_free_to_bytes (out);
}

GBytes *
vf_make_svg (void)
{
  static const char svg[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"16\" height=\"16\">\n"
    "  <rect width=\"16\" height=\"16\" fill=\"#3584e4\"/>\n"
    "</svg>\n";

  return g_bytes_new_static (svg, sizeof svg - 1);
}

char *
vf_hash (GChecksumType  type,
         const char    *value,
         const char    *salt)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (type);

  g_checksum_update (checksum, (const guchar *)value, -1);
  if (salt != NULL)
    g_checksum_update (checksum, (const guchar *)salt, -1);
  return g_strdup_printf ("%s$%s", type == G_CHECKSUM_MD5 ? "md5" : "sha256",
                          g_checksum_get_string (checksum));
}

char *
vf_recipient_json (void)
{
  g_autofree char *hash = vf_hash (G_CHECKSUM_SHA256, VF_EMAIL, VF_SALT);

  return g_strdup_printf ("{\"type\": \"email\", \"hashed\": true, \"salt\": \"%s\", "
                          "\"identity\": \"%s\"}", VF_SALT, hash);
}

char *
vf_publish_issuer (BwTestIssuer *issuer,
                   guint         origin,
                   const char   *path,
                   const char   *extra)
{
  const char *base = bw_test_issuer_get_url (issuer, origin);
  char *url = g_strconcat (base, path, NULL);
  g_autofree char *json = NULL;

  json = g_strdup_printf ("{\"@context\": \"https://w3id.org/openbadges/v2\", "
                          "\"type\": \"Profile\", \"id\": \"%s\", \"name\": \"Example Issuer\", "
                          "\"url\": \"%s\", \"email\": \"badges@example.org\"%s}",
                          url, base, extra != NULL ? extra : "");
  bw_test_issuer_add_json (issuer, origin, path, json);
  return url;
}

char *
vf_publish_image (BwTestIssuer *issuer,
                  guint         origin,
                  const char   *path)
{
  g_autoptr(GBytes) png = vf_make_png ();

  bw_test_issuer_add (issuer, origin, path, "image/png", png);
  return g_strconcat (bw_test_issuer_get_url (issuer, origin), path, NULL);
}

char *
vf_publish_badge_class (BwTestIssuer *issuer,
                        guint         origin,
                        const char   *path,
                        const char   *issuer_url,
                        const char   *image_url)
{
  char *url = g_strconcat (bw_test_issuer_get_url (issuer, origin), path, NULL);
  g_autofree char *json = NULL;

  json = g_strdup_printf ("{\"@context\": \"https://w3id.org/openbadges/v2\", "
                          "\"type\": \"BadgeClass\", \"id\": \"%s\", \"name\": \"Robotics\", "
                          "\"description\": \"Builds robots.\", \"image\": \"%s\", "
                          "\"criteria\": {\"narrative\": \"Build a robot.\"}, \"issuer\": \"%s\"}",
                          url, image_url, issuer_url);
  bw_test_issuer_add_json (issuer, origin, path, json);
  return url;
}

char *
vf_assertion_json (const char *id,
                   const char *badge_url,
                   const char *recipient_json,
                   const char *verification_json,
                   const char *extra)
{
  g_autofree char *recipient = recipient_json != NULL ? g_strdup (recipient_json)
                                                      : vf_recipient_json ();

  return g_strdup_printf ("{\"@context\": \"https://w3id.org/openbadges/v2\", "
                          "\"type\": \"Assertion\", \"id\": \"%s\", \"recipient\": %s, "
                          "\"badge\": \"%s\", \"verification\": %s, "
                          "\"issuedOn\": \"2024-03-12T00:00:00Z\"%s}",
                          id, recipient, badge_url,
                          verification_json != NULL ? verification_json
                                                    : "{\"type\": \"HostedBadge\"}",
                          extra != NULL ? extra : "");
}
