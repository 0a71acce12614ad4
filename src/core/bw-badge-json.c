/* bw-badge-json.c
 *
 * Copyright 2026 The Badge Wallet authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bw-badge-json"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "bw-badge-private.h"
#include "bw-error.h"
#include "bw-util.h"

/* Typed access to untrusted JSON, shared by both parsers so that their
 * errors read the same way. */

char *
_bw_path (const char *prefix,
          const char *member)
{
  return g_strconcat (prefix != NULL ? prefix : "", member, NULL);
}

void
_bw_set_error (GError     **error,
               int          code,
               const char  *doc,
               const char  *format,
               ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  g_set_error (error, BW_ERROR, code, "%s: %s", doc, message);
}

static JsonNode *
get_member (JsonObject *object,
            const char *member)
{
  JsonNode *node;

  if (object == NULL)
    return NULL;
  node = json_object_get_member (object, member);
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return NULL;
  return node;
}

static gboolean
missing (gboolean     required,
         const char  *doc,
         const char  *prefix,
         const char  *member,
         GError     **error)
{
  g_autofree char *path = NULL;

  if (!required)
    return TRUE;
  path = _bw_path (prefix, member);
  _bw_set_error (error, BW_ERROR_INVALID_DATA, doc, _("'%s' is missing"), path);
  return FALSE;
}

gboolean
_bw_json_get_string (JsonObject  *object,
                     const char  *doc,
                     const char  *prefix,
                     const char  *member,
                     gboolean     required,
                     const char **out,
                     GError     **error)
{
  JsonNode *node;

  g_return_val_if_fail (doc != NULL, FALSE);
  g_return_val_if_fail (member != NULL, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  node = get_member (object, member);

  *out = NULL;
  if (node == NULL)
    return missing (required, doc, prefix, member, error);

  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    {
      g_autofree char *path = _bw_path (prefix, member);

      _bw_set_error (error, BW_ERROR_INVALID_DATA, doc,
                     _("expected a string for '%s'"), path);
      return FALSE;
    }

  *out = json_node_get_string (node);
  return TRUE;
}

gboolean
_bw_json_dup_string (JsonObject  *object,
                     const char  *doc,
                     const char  *prefix,
                     const char  *member,
                     gboolean     required,
                     char       **out,
                     GError     **error)
{
  const char *value = NULL;

  if (!_bw_json_get_string (object, doc, prefix, member, required, &value, error))
    return FALSE;
  if (value != NULL)
    {
      g_free (*out);
      *out = g_strdup (value);
    }
  return TRUE;
}

gboolean
_bw_json_read_evidence (JsonObject  *object,
                        const char  *doc,
                        const char  *prefix,
                        BwEvidence  *evidence,
                        GError     **error)
{
  return _bw_json_dup_string (object, doc, prefix, "id", FALSE, &evidence->id, error) &&
         _bw_json_dup_string (object, doc, prefix, "name", FALSE, &evidence->name, error) &&
         _bw_json_dup_string (object, doc, prefix, "description", FALSE,
                              &evidence->description, error) &&
         _bw_json_dup_string (object, doc, prefix, "narrative", FALSE,
                              &evidence->narrative, error) &&
         _bw_json_dup_string (object, doc, prefix, "genre", FALSE, &evidence->genre, error) &&
         _bw_json_dup_string (object, doc, prefix, "audience", FALSE, &evidence->audience, error);
}

gboolean
_bw_json_get_object (JsonObject  *object,
                     const char  *doc,
                     const char  *prefix,
                     const char  *member,
                     gboolean     required,
                     JsonObject **out,
                     GError     **error)
{
  JsonNode *node;

  g_return_val_if_fail (doc != NULL, FALSE);
  g_return_val_if_fail (member != NULL, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  node = get_member (object, member);

  *out = NULL;
  if (node == NULL)
    return missing (required, doc, prefix, member, error);

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_autofree char *path = _bw_path (prefix, member);

      _bw_set_error (error, BW_ERROR_INVALID_DATA, doc,
                     _("expected an object for '%s'"), path);
      return FALSE;
    }

  *out = json_node_get_object (node);
  return TRUE;
}

gboolean
_bw_json_get_boolean (JsonObject  *object,
                      const char  *doc,
                      const char  *prefix,
                      const char  *member,
                      gboolean    *out,
                      GError     **error)
{
  JsonNode *node;

  g_return_val_if_fail (doc != NULL, FALSE);
  g_return_val_if_fail (member != NULL, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  node = get_member (object, member);
  if (node == NULL)
    return TRUE;

  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    {
      g_autofree char *path = _bw_path (prefix, member);

      _bw_set_error (error, BW_ERROR_INVALID_DATA, doc,
                     _("expected a boolean for '%s'"), path);
      return FALSE;
    }

  *out = json_node_get_boolean (node);
  return TRUE;
}

/* Reads a date. With @strict, the Open Badges 2.0 / VC form (time and zone)
 * is expected and the 1.x forms are still accepted with a warning, since a
 * parser that refuses them would hide the badge from the person instead of
 * letting the verifier judge it. Without @strict, Unix seconds may also be
 * a JSON number (OB 1.0). */
gboolean
_bw_json_get_date (JsonObject   *object,
                   const char   *doc,
                   const char   *prefix,
                   const char   *member,
                   gboolean      strict,
                   BwBadgeData  *data,
                   GDateTime   **out,
                   GError      **error)
{
  JsonNode *node;
  g_autofree char *path = NULL;
  g_autoptr(GDateTime) parsed = NULL;
  const char *text;

  g_return_val_if_fail (doc != NULL, FALSE);
  g_return_val_if_fail (member != NULL, FALSE);
  g_return_val_if_fail (data != NULL, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  node = get_member (object, member);
  *out = NULL;
  if (node == NULL)
    return TRUE;

  path = _bw_path (prefix, member);

  if (!strict && JSON_NODE_HOLDS_VALUE (node) &&
      json_node_get_value_type (node) == G_TYPE_INT64)
    {
      gint64 secs = json_node_get_int (node);

      if (secs >= 0 && secs <= G_GINT64_CONSTANT (253402300799))
        parsed = g_date_time_new_from_unix_utc (secs);
      if (parsed == NULL)
        {
          _bw_set_error (error, BW_ERROR_INVALID_DATA, doc,
                         _("'%s' is not a valid date: %lld"), path, (long long)secs);
          return FALSE;
        }
      *out = g_steal_pointer (&parsed);
      return TRUE;
    }

  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    {
      _bw_set_error (error, BW_ERROR_INVALID_DATA, doc,
                     _("expected a string for '%s'"), path);
      return FALSE;
    }

  text = json_node_get_string (node);
  if (strict)
    parsed = bw_parse_datetime (text, TRUE);
  if (parsed == NULL)
    {
      parsed = bw_parse_datetime (text, FALSE);
      if (parsed != NULL && strict)
        _bw_badge_data_warn (data, _("'%s' is not a date and time with a time zone; "
                                     "taken as UTC"), path);
    }
  if (parsed == NULL)
    {
      g_autofree char *shown = g_utf8_substring (text, 0, MIN (g_utf8_strlen (text, -1), 40));

      _bw_set_error (error, BW_ERROR_INVALID_DATA, doc,
                     _("'%s' is not a valid date: “%s”"), path, shown);
      return FALSE;
    }

  *out = g_steal_pointer (&parsed);
  return TRUE;
}

/* Returns the nodes of a member that may hold one value or an array of
 * them (JSON-LD allows both), bounded by BW_BADGE_MAX_ITEMS. The nodes are
 * borrowed from @object. */
GPtrArray *
_bw_json_get_list (JsonObject  *object,
                   const char  *doc,
                   const char  *prefix,
                   const char  *member,
                   GError     **error)
{
  g_autoptr(GPtrArray) list = NULL;
  JsonNode *node;

  g_return_val_if_fail (doc != NULL, NULL);
  g_return_val_if_fail (member != NULL, NULL);

  list = g_ptr_array_new ();
  node = get_member (object, member);
  if (node == NULL)
    return g_steal_pointer (&list);

  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);
      guint n = json_array_get_length (array);

      if (n > BW_BADGE_MAX_ITEMS)
        {
          g_autofree char *path = _bw_path (prefix, member);

          _bw_set_error (error, BW_ERROR_TOO_LARGE, doc,
                         _("'%s' has %u items, over the limit of %d"),
                         path, n, BW_BADGE_MAX_ITEMS);
          return NULL;
        }
      for (guint i = 0; i < n; i++)
        {
          JsonNode *element = json_array_get_element (array, i);

          if (!JSON_NODE_HOLDS_NULL (element))
            g_ptr_array_add (list, element);
        }
    }
  else
    g_ptr_array_add (list, node);

  return g_steal_pointer (&list);
}

/* An image is a URL or data URI, or an Image object whose `id` is one. */
gboolean
_bw_json_get_image (JsonObject  *object,
                    const char  *doc,
                    const char  *prefix,
                    const char  *member,
                    char       **out,
                    GError     **error)
{
  JsonNode *node;

  g_return_val_if_fail (doc != NULL, FALSE);
  g_return_val_if_fail (member != NULL, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  node = get_member (object, member);

  *out = NULL;
  if (node == NULL)
    return TRUE;

  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    {
      *out = g_strdup (json_node_get_string (node));
      return TRUE;
    }

  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *image = json_node_get_object (node);
      g_autofree char *path = _bw_path (prefix, member);
      g_autofree char *inner = g_strconcat (path, ".", NULL);
      const char *id = NULL;

      if (!_bw_json_get_string (image, doc, inner, "id", FALSE, &id, error))
        return FALSE;
      if (id == NULL &&
          !_bw_json_get_string (image, doc, inner, "@id", FALSE, &id, error))
        return FALSE;
      *out = g_strdup (id);
      return TRUE;
    }

  {
    g_autofree char *path = _bw_path (prefix, member);

    _bw_set_error (error, BW_ERROR_INVALID_DATA, doc,
                   _("expected a URL or an Image object for '%s'"), path);
  }
  return FALSE;
}

static gboolean
node_contains_string (JsonNode   *node,
                      const char *needle,
                      gboolean    substring)
{
  if (node == NULL)
    return FALSE;

  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    {
      const char *value = json_node_get_string (node);

      return substring ? strstr (value, needle) != NULL : g_str_equal (value, needle);
    }

  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);
      guint n = MIN (json_array_get_length (array), BW_BADGE_MAX_ITEMS);

      for (guint i = 0; i < n; i++)
        {
          JsonNode *element = json_array_get_element (array, i);

          if (JSON_NODE_HOLDS_VALUE (element) &&
              json_node_get_value_type (element) == G_TYPE_STRING &&
              (substring ? strstr (json_node_get_string (element), needle) != NULL
                         : g_str_equal (json_node_get_string (element), needle)))
            return TRUE;
        }
    }

  return FALSE;
}

gboolean
_bw_json_type_contains (JsonObject *object,
                        const char *name)
{
  if (object == NULL)
    return FALSE;
  return node_contains_string (get_member (object, "type"), name, FALSE) ||
         node_contains_string (get_member (object, "@type"), name, FALSE);
}

gboolean
_bw_json_context_contains (JsonObject *object,
                           const char *needle)
{
  if (object == NULL)
    return FALSE;
  return node_contains_string (get_member (object, "@context"), needle, TRUE);
}

/* Serialisation of the normalized badge. */

static void
add_date (JsonBuilder *builder,
          const char  *member,
          GDateTime   *value)
{
  g_autofree char *text = bw_format_datetime (value);

  bw_json_builder_add_string (builder, member, text);
}

static void
add_strv (JsonBuilder *builder,
          const char  *member,
          GPtrArray   *list)
{
  json_builder_set_member_name (builder, member);
  json_builder_begin_array (builder);
  for (guint i = 0; i < list->len; i++)
    if (g_ptr_array_index (list, i) != NULL)
      json_builder_add_string_value (builder, g_ptr_array_index (list, i));
  json_builder_end_array (builder);
}

/**
 * bw_badge_to_json:
 *
 * The "badge" object of cli.md (id, name, description, image,
 * issuer {id, name, url}, issued, expires), followed by everything else
 * the badge says.
 *
 * Returns: (transfer full): a JSON object
 */
JsonNode *
bw_badge_to_json (BwBadge *self)
{
  g_autoptr(JsonBuilder) builder = NULL;
  BwBadgeData *d;

  g_return_val_if_fail (BW_IS_BADGE (self), NULL);

  d = _bw_badge_get_data (self);
  builder = json_builder_new ();
  json_builder_begin_object (builder);

  bw_json_builder_add_string (builder, "id", d->id);
  bw_json_builder_add_string (builder, "name", d->name);
  bw_json_builder_add_string (builder, "description", d->description);
  bw_json_builder_add_string (builder, "image", d->image);

  json_builder_set_member_name (builder, "issuer");
  json_builder_begin_object (builder);
  bw_json_builder_add_string (builder, "id", d->issuer_id);
  bw_json_builder_add_string (builder, "name", d->issuer_name);
  bw_json_builder_add_string (builder, "url", d->issuer_url);
  bw_json_builder_add_string (builder, "email", d->issuer_email);
  bw_json_builder_add_string (builder, "image", d->issuer_image);
  json_builder_end_object (builder);

  add_date (builder, "issued", d->issued);
  add_date (builder, "expires", d->expires);

  bw_json_builder_add_string (builder, "spec", bw_spec_version_to_string (d->spec));
  bw_json_builder_add_string (builder, "verification",
                              bw_verification_kind_to_string (d->verification));
  bw_json_builder_add_string (builder, "badgeClass", d->badge_class_id);

  json_builder_set_member_name (builder, "criteria");
  json_builder_begin_object (builder);
  bw_json_builder_add_string (builder, "url", d->criteria_url);
  bw_json_builder_add_string (builder, "narrative", d->criteria_narrative);
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "recipients");
  json_builder_begin_array (builder);
  for (guint i = 0; i < d->recipients->len; i++)
    {
      BwRecipient *r = g_ptr_array_index (d->recipients, i);

      json_builder_begin_object (builder);
      bw_json_builder_add_string (builder, "type", r->type);
      json_builder_set_member_name (builder, "hashed");
      json_builder_add_boolean_value (builder, r->hashed);
      bw_json_builder_add_string (builder, "identity", r->identity);
      bw_json_builder_add_string (builder, "salt", r->salt);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "evidence");
  json_builder_begin_array (builder);
  for (guint i = 0; i < d->evidence->len; i++)
    {
      BwEvidence *e = g_ptr_array_index (d->evidence, i);

      json_builder_begin_object (builder);
      bw_json_builder_add_string (builder, "id", e->id);
      bw_json_builder_add_string (builder, "name", e->name);
      bw_json_builder_add_string (builder, "description", e->description);
      bw_json_builder_add_string (builder, "narrative", e->narrative);
      bw_json_builder_add_string (builder, "genre", e->genre);
      bw_json_builder_add_string (builder, "audience", e->audience);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "alignments");
  json_builder_begin_array (builder);
  for (guint i = 0; i < d->alignments->len; i++)
    {
      BwAlignment *a = g_ptr_array_index (d->alignments, i);

      json_builder_begin_object (builder);
      bw_json_builder_add_string (builder, "targetName", a->target_name);
      bw_json_builder_add_string (builder, "targetUrl", a->target_url);
      bw_json_builder_add_string (builder, "targetDescription", a->target_description);
      bw_json_builder_add_string (builder, "targetFramework", a->target_framework);
      bw_json_builder_add_string (builder, "targetCode", a->target_code);
      bw_json_builder_add_string (builder, "targetType", a->target_type);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  add_strv (builder, "tags", d->tags);
  add_strv (builder, "skills", d->skills);

  json_builder_set_member_name (builder, "revoked");
  json_builder_add_boolean_value (builder, d->revoked);
  bw_json_builder_add_string (builder, "revocationReason", d->revocation_reason);
  bw_json_builder_add_string (builder, "hostedUrl", d->hosted_url);
  bw_json_builder_add_string (builder, "publicUrl", d->public_url);
  bw_json_builder_add_string (builder, "pendingUrl", d->pending_url);
  add_strv (builder, "warnings", d->warnings);

  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}
