/* bw-share-image.c
 *
 * Copyright 2026 The Badge Wallet authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bw-share-image"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "bw-baked.h"
#include "bw-error.h"
#include "bw-share.h"

/* A data URI larger than this is not a badge image anyone should embed. */
#define MAX_DATA_URI_IMAGE    (10 * 1024 * 1024)
#define MAX_FILENAME_LENGTH   100

/**
 * bw_share_decode_data_uri:
 * @uri: a `data:` URI
 * @media_type: (out) (optional) (transfer full): its media type, lower-case
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the data
 */
GBytes *
bw_share_decode_data_uri (const char  *uri,
                          char       **media_type,
                          GError     **error)
{
  const char *comma;
  const char *header;
  const char *data;
  g_auto(GStrv) params = NULL;
  gboolean base64 = FALSE;
  guint n_params;

  g_return_val_if_fail (uri != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (media_type != NULL)
    *media_type = NULL;

  if (g_ascii_strncasecmp (uri, "data:", 5) != 0)
    {
      g_set_error (error, BW_ERROR, BW_ERROR_MALFORMED,
                   _("data URI: it does not start with “data:”"));
      return NULL;
    }

  header = uri + 5;
  comma = strchr (header, ',');
  if (comma == NULL)
    {
      g_set_error (error, BW_ERROR, BW_ERROR_MALFORMED,
                   _("data URI: the comma before the data is missing"));
      return NULL;
    }

  data = comma + 1;
  if (strlen (data) > MAX_DATA_URI_IMAGE / 3 * 4 + 4)
    {
      g_set_error (error, BW_ERROR, BW_ERROR_TOO_LARGE,
                   _("data URI: the data is larger than %d MiB"),
                   MAX_DATA_URI_IMAGE / (1024 * 1024));
      return NULL;
    }

  {
    g_autofree char *header_text = g_strndup (header, comma - header);

    params = g_strsplit (header_text, ";", -1);
  }
  n_params = g_strv_length (params);
  if (n_params > 0 && g_ascii_strcasecmp (params[n_params - 1], "base64") == 0)
    base64 = TRUE;

  if (media_type != NULL)
    *media_type = g_ascii_strdown (n_params > 0 && *params[0] != '\0' ? params[0]
                                                                      : "text/plain", -1);

  if (base64)
    {
      g_autofree char *clean = g_malloc (strlen (data) + 1);
      gsize n = 0;
      guchar *decoded;
      gsize length;

      for (gsize i = 0; data[i] != '\0'; i++)
        {
          char c = data[i];

          if (g_ascii_isalnum (c) || c == '+' || c == '/' || c == '=')
            clean[n++] = c;
          else if (c == '%' && data[i + 1] == '3' && g_ascii_toupper (data[i + 2]) == 'D')
            {
              /* Padding is sometimes written percent-encoded. */
              clean[n++] = '=';
              i += 2;
            }
          else if (!g_ascii_isspace (c))
            {
              g_set_error (error, BW_ERROR, BW_ERROR_MALFORMED,
                           _("data URI: unexpected character at byte %zu of the base64 data"),
                           i + 1);
              if (media_type != NULL)
                g_clear_pointer (media_type, g_free);
              return NULL;
            }
        }
      clean[n] = '\0';

      if (n % 4 != 0)
        {
          g_set_error (error, BW_ERROR, BW_ERROR_TRUNCATED,
                       _("data URI: the base64 data is %zu characters long, not a multiple of 4"),
                       n);
          if (media_type != NULL)
            g_clear_pointer (media_type, g_free);
          return NULL;
        }

      decoded = g_base64_decode (clean, &length);
      return g_bytes_new_take (decoded, length);
    }

  {
    GBytes *bytes = g_uri_unescape_bytes (data, -1, NULL, error);

    if (bytes == NULL)
      {
        g_prefix_error (error, "%s", _("data URI: "));
        if (media_type != NULL)
          g_clear_pointer (media_type, g_free);
      }
    return bytes;
  }
}

/* What to bake: the payload text as it came (byte-exact, so any signature
 * or proof in it still verifies), or for a badge that came as a URL the
 * hosted assertion it was resolved to. */
static char *
payload_to_bake (BwBadge  *badge,
                 gboolean *is_jws,
                 gboolean *is_url,
                 GError  **error)
{
  const BwPayload *payload = bw_badge_get_payload (badge);
  JsonNode *assertion;

  *is_jws = FALSE;
  *is_url = FALSE;

  if (payload != NULL)
    {
      switch (payload->kind)
        {
        case BW_PAYLOAD_KIND_JWS:
        case BW_PAYLOAD_KIND_VC_JWT:
          *is_jws = TRUE;
          return g_strdup (payload->text);
        case BW_PAYLOAD_KIND_JSON:
          return g_strdup (payload->text);
        case BW_PAYLOAD_KIND_URL:
        case BW_PAYLOAD_KIND_UNKNOWN:
        default:
          break;
        }
    }

  assertion = bw_badge_get_assertion_document (badge);
  if (assertion != NULL)
    return json_to_string (assertion, FALSE);

  if (payload != NULL && payload->kind == BW_PAYLOAD_KIND_URL && payload->text != NULL)
    {
      *is_url = TRUE;
      return g_strdup (payload->text);
    }

  g_set_error (error, BW_ERROR, BW_ERROR_INVALID_DATA,
               _("The badge holds no assertion or credential that could be baked into its image"));
  return NULL;
}

/**
 * bw_share_bake_image:
 * @badge: a badge
 * @image: its PNG or SVG image
 * @error: return location for a #GError
 *
 * Bakes @badge into @image: its payload as it came (JSON or JWS,
 * byte-exact), or the hosted assertion a URL payload was resolved to.
 *
 * Returns: (transfer full) (nullable): the baked image
 */
GBytes *
bw_share_bake_image (BwBadge  *badge,
                     GBytes   *image,
                     GError  **error)
{
  g_autofree char *text = NULL;
  gboolean is_jws;
  gboolean is_url;
  gboolean ob3;
  const BwPayload *payload;
  BwImageFormat format;
  gsize length;
  const guint8 *data;

  g_return_val_if_fail (BW_IS_BADGE (badge), NULL);
  g_return_val_if_fail (image != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  data = g_bytes_get_data (image, &length);
  format = bw_baked_sniff (data, length);
  if (format == BW_IMAGE_FORMAT_NONE)
    {
      g_set_error (error, BW_ERROR, BW_ERROR_UNSUPPORTED,
                   _("The badge image is neither PNG nor SVG, so it cannot carry the badge"));
      return NULL;
    }

  text = payload_to_bake (badge, &is_jws, &is_url, error);
  if (text == NULL)
    return NULL;

  payload = bw_badge_get_payload (badge);
  ob3 = bw_badge_get_spec (badge) == BW_SPEC_3_0 ||
        (payload != NULL && (payload->ob3 || payload->kind == BW_PAYLOAD_KIND_VC_JWT));

  if (format == BW_IMAGE_FORMAT_PNG)
    return bw_baked_bake_png (image, ob3 ? "openbadgecredential" : "openbadges", text, error);

  if (is_jws || is_url)
    return bw_baked_bake_svg (image, ob3, text, NULL, error);

  /* A hosted OB 2.0 assertion names the URL to re-fetch it from in the
   * verify attribute; an OB 3.0 credential with an embedded proof has none. */
  if (ob3)
    return bw_baked_bake_svg (image, TRUE, NULL, text, error);

  return bw_baked_bake_svg (image, FALSE, bw_badge_get_hosted_url (badge), text, error);
}

/**
 * bw_share_suggest_filename:
 * @name: (nullable): the badge name
 * @format: the image format
 *
 * Returns: (transfer full): a file name safe on common file systems
 */
char *
bw_share_suggest_filename (const char    *name,
                           BwImageFormat  format)
{
  const char *extension = format == BW_IMAGE_FORMAT_SVG ? ".svg" : ".png";
  GString *out = g_string_new (NULL);
  guint n = 0;

  if (name != NULL && g_utf8_validate (name, -1, NULL))
    {
      for (const char *p = name; *p != '\0' && n < MAX_FILENAME_LENGTH; p = g_utf8_next_char (p))
        {
          gunichar c = g_utf8_get_char (p);

          /* Path separators, control characters and characters other
           * systems refuse in file names become spaces. */
          if (c < 0x20 || c == 0x7f || (c < 0x80 && strchr ("/\\:*?\"<>|", (int)c) != NULL))
            c = ' ';
          if (c == ' ' && (out->len == 0 || out->str[out->len - 1] == ' '))
            continue;
          g_string_append_unichar (out, c);
          n++;
        }
    }

  while (out->len > 0 && (out->str[out->len - 1] == ' ' || out->str[out->len - 1] == '.'))
    g_string_truncate (out, out->len - 1);
  while (out->len > 0 && out->str[0] == '.')
    g_string_erase (out, 0, 1);

  if (out->len == 0)
    g_string_append (out, "badge");

  g_string_append (out, extension);
  return g_string_free (out, FALSE);
}
