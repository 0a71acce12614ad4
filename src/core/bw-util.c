/* bw-util.c
 *
 * Copyright 2026 The Badge Wallet authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bw-util"

#include "config.h"

#include <string.h>
#include <stdio.h>
#include <stdlib.h>

#include <glib/gi18n.h>

#include "bw-error.h"
#include "bw-util.h"

static int
b64url_value (char c)
{
  if (c >= 'A' && c <= 'Z')
    return c - 'A';
  if (c >= 'a' && c <= 'z')
    return c - 'a' + 26;
  if (c >= '0' && c <= '9')
    return c - '0' + 52;
  if (c == '-' || c == '+')
    return 62;
  if (c == '_' || c == '/')
    return 63;
  return -1;
}

/**
 * bw_base64url_decode:
 * @text: base64url text (RFC 4648 §5), padding optional
 * @length: length of @text, or -1 if nul-terminated
 * @error: return location for an error
 *
 * Decodes base64url. Standard base64 characters are accepted too, since
 * some issuers mix them up; anything else is an error.
 *
 * Returns: (transfer full): the decoded bytes
 */
GBytes *
bw_base64url_decode (const char  *text,
                     gssize       length,
                     GError     **error)
{
  g_autoptr(GByteArray) out = NULL;
  guint32 acc = 0;
  int bits = 0;
  gsize len;

  g_return_val_if_fail (text != NULL, NULL);

  len = length < 0 ? strlen (text) : (gsize)length;
  while (len > 0 && text[len - 1] == '=')
    len--;

  out = g_byte_array_sized_new (len * 3 / 4 + 3);
  for (gsize i = 0; i < len; i++)
    {
      int v = b64url_value (text[i]);

      if (v < 0)
        {
          g_set_error (error, BW_ERROR, BW_ERROR_MALFORMED,
                       _("invalid base64url character at offset %lu"), (gulong)i);
          return NULL;
        }
      acc = (acc << 6) | (guint32)v;
      bits += 6;
      if (bits >= 8)
        {
          guint8 b;

          bits -= 8;
          b = (guint8)((acc >> bits) & 0xff);
          g_byte_array_append (out, &b, 1);
        }
    }

  if (bits >= 6)
    {
      g_set_error (error, BW_ERROR, BW_ERROR_MALFORMED,
                   _("base64url text has an impossible length"));
      return NULL;
    }

  return g_byte_array_free_to_bytes (g_steal_pointer (&out));
}

/**
 * bw_base64url_encode:
 *
 * Returns: (transfer full): unpadded base64url text
 */
char *
bw_base64url_encode (const guint8 *data,
                     gsize         length)
{
  g_autofree char *b64 = g_base64_encode (data, length);
  gsize n = strlen (b64);

  while (n > 0 && b64[n - 1] == '=')
    b64[--n] = '\0';
  for (char *p = b64; *p; p++)
    {
      if (*p == '+')
        *p = '-';
      else if (*p == '/')
        *p = '_';
    }
  return g_steal_pointer (&b64);
}

char *
bw_sha256_hex (const void *data,
               gsize       length)
{
  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, data, length);
}

static gboolean
all_digits (const char *s)
{
  if (*s == '\0')
    return FALSE;
  for (; *s; s++)
    if (!g_ascii_isdigit (*s))
      return FALSE;
  return TRUE;
}

/**
 * bw_parse_datetime:
 * @text: a date
 * @strict: %TRUE for the Open Badges 2.0 form (ISO 8601 with a time and a
 *   zone); %FALSE also accepts the 1.x forms: a bare date (`2015-04-30`,
 *   taken as UTC midnight), a datetime without zone (taken as UTC) and
 *   Unix seconds
 *
 * Returns: (transfer full) (nullable): the time in UTC, or %NULL
 */
GDateTime *
bw_parse_datetime (const char *text,
                   gboolean    strict)
{
  g_autoptr(GTimeZone) utc = NULL;
  g_autoptr(GDateTime) parsed = NULL;
  g_autofree char *trimmed = NULL;

  if (text == NULL)
    return NULL;

  trimmed = g_strstrip (g_strdup (text));
  if (*trimmed == '\0' || strlen (trimmed) > 64)
    return NULL;

  utc = g_time_zone_new_utc ();

  if (!strict && all_digits (trimmed) && strlen (trimmed) > 4)
    {
      gint64 secs = g_ascii_strtoll (trimmed, NULL, 10);

      if (secs < 0 || secs > G_GINT64_CONSTANT (253402300799))
        return NULL;
      return g_date_time_new_from_unix_utc (secs);
    }

  if (strchr (trimmed, 'T') == NULL && strchr (trimmed, 't') == NULL)
    {
      int y, m, d;
      char tail;

      if (strict)
        return NULL;
      if (sscanf (trimmed, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3)
        return NULL;
      return g_date_time_new (utc, y, m, d, 0, 0, 0);
    }

  parsed = g_date_time_new_from_iso8601 (trimmed, NULL);
  if (parsed == NULL)
    {
      if (strict)
        return NULL;
      /* A datetime without a zone designator: 1.x, taken as UTC. */
      parsed = g_date_time_new_from_iso8601 (trimmed, utc);
      if (parsed == NULL)
        return NULL;
    }

  return g_date_time_to_utc (parsed);
}

/**
 * bw_format_datetime:
 *
 * Returns: (transfer full) (nullable): ISO 8601 in UTC with a `Z`, to the second
 */
char *
bw_format_datetime (GDateTime *datetime)
{
  g_autoptr(GDateTime) utc = NULL;

  if (datetime == NULL)
    return NULL;
  utc = g_date_time_to_utc (datetime);
  return g_date_time_format (utc, "%Y-%m-%dT%H:%M:%SZ");
}

gboolean
bw_utf8_validate_len (const char *text,
                      gsize       length)
{
  const char *end = NULL;

  if (!g_utf8_validate_len (text, length, &end))
    return FALSE;
  return memchr (text, '\0', length) == NULL;
}

/**
 * bw_json_check_depth:
 *
 * Scans JSON text for object and array nesting deeper than @max_depth
 * without building anything, so hostile input never reaches a recursive
 * parser.
 */
gboolean
bw_json_check_depth (const char  *text,
                     gsize        length,
                     guint        max_depth,
                     GError     **error)
{
  guint depth = 0;
  gboolean in_string = FALSE;

  for (gsize i = 0; i < length; i++)
    {
      char c = text[i];

      if (in_string)
        {
          if (c == '\\')
            i++;
          else if (c == '"')
            in_string = FALSE;
          continue;
        }

      if (c == '"')
        in_string = TRUE;
      else if (c == '{' || c == '[')
        {
          if (++depth > max_depth)
            {
              g_set_error (error, BW_ERROR, BW_ERROR_TOO_LARGE,
                           _("JSON nested deeper than %u levels at byte %lu"),
                           max_depth, (gulong)i);
              return FALSE;
            }
        }
      else if ((c == '}' || c == ']') && depth > 0)
        depth--;
    }

  return TRUE;
}

/**
 * bw_json_parse:
 * @text: JSON text
 * @length: its length, or -1
 * @error: return location for an error
 *
 * Parses untrusted JSON with the size, depth and encoding limits every
 * badge document gets.
 *
 * Returns: (transfer full): the root node
 */
JsonNode *
bw_json_parse (const char  *text,
               gssize       length,
               GError     **error)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) local_error = NULL;
  gsize len;

  g_return_val_if_fail (text != NULL, NULL);

  len = length < 0 ? strlen (text) : (gsize)length;

  if (len > BW_MAX_JSON_BYTES)
    {
      g_set_error (error, BW_ERROR, BW_ERROR_TOO_LARGE,
                   _("JSON document of %lu bytes is over the limit of %d bytes"),
                   (gulong)len, BW_MAX_JSON_BYTES);
      return NULL;
    }

  if (!bw_utf8_validate_len (text, len))
    {
      g_set_error_literal (error, BW_ERROR, BW_ERROR_MALFORMED,
                           _("JSON text is not valid UTF-8"));
      return NULL;
    }

  if (!bw_json_check_depth (text, len, BW_MAX_JSON_DEPTH, error))
    return NULL;

  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, text, (gssize)len, &local_error))
    {
      g_set_error (error, BW_ERROR, BW_ERROR_MALFORMED,
                   _("not valid JSON: %s"), local_error->message);
      return NULL;
    }

  if (json_parser_get_root (parser) == NULL)
    {
      g_set_error_literal (error, BW_ERROR, BW_ERROR_MALFORMED, _("empty JSON document"));
      return NULL;
    }

  return json_parser_steal_root (parser);
}

/**
 * bw_json_object_get_string:
 *
 * Returns: (nullable): the member's string value, or %NULL when it is
 *   absent or not a string
 */
const char *
bw_json_object_get_string (JsonObject *object,
                           const char *member)
{
  JsonNode *node;

  if (object == NULL)
    return NULL;
  node = json_object_get_member (object, member);
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

/**
 * bw_json_builder_add_string:
 * @builder: a builder inside an object
 * @member: the member name
 * @value: (nullable): the value; %NULL writes JSON null
 *
 * Adds a string member, or null, as every JSON output of the project
 * writes an absent value. JSON text must be UTF-8, but a file name (and a
 * message quoting one) may be any bytes: bytes that are not UTF-8 become
 * U+FFFD.
 */
void
bw_json_builder_add_string (JsonBuilder *builder,
                            const char  *member,
                            const char  *value)
{
  g_return_if_fail (JSON_IS_BUILDER (builder));
  g_return_if_fail (member != NULL);

  json_builder_set_member_name (builder, member);
  if (value == NULL)
    json_builder_add_null_value (builder);
  else if (g_utf8_validate (value, -1, NULL))
    json_builder_add_string_value (builder, value);
  else
    {
      g_autofree char *valid = g_utf8_make_valid (value, -1);

      json_builder_add_string_value (builder, valid);
    }
}
