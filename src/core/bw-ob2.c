/* bw-ob2.c
 *
 * Copyright 2026 The Badge Wallet authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bw-ob2"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "bw-badge-private.h"
#include "bw-error.h"
#include "bw-ob2.h"
#include "bw-util.h"

/* Open Badges 0.5, 1.0, 1.1 and 2.0 assertions, BadgeClasses and issuer
 * Profiles. The 1.x forms are read the way the 1EdTech validator upgrades
 * them (open-badges.md §4): a string recipient, `issued_on`, `verify.url`
 * as the id, Unix-second and date-only dates, alignment `name`/`url`/
 * `description`, and the 0.5 issuer's `origin`/`contact`/`org`. */

typedef struct
{
  const BwBadgeSources *sources;
  BwBadgeData          *data;
  BwSpecVersion         version;
  gboolean              minimal;
} Ob2Context;

/**
 * bw_ob2_detect_version:
 * @object: an assertion
 *
 * Detects the version as the 1EdTech validator does: an `@context` string
 * naming v1 is 1.1, v2 is 2.0; without `@context`, a string recipient is
 * 0.5 and anything else 1.0; every other shape is taken as 2.0.
 *
 * Returns: the version
 */
BwSpecVersion
bw_ob2_detect_version (JsonObject *object)
{
  JsonNode *context;
  JsonNode *recipient;

  g_return_val_if_fail (object != NULL, BW_SPEC_UNKNOWN);

  context = json_object_get_member (object, "@context");
  if (context == NULL)
    {
      recipient = json_object_get_member (object, "recipient");
      if (recipient != NULL && JSON_NODE_HOLDS_VALUE (recipient) &&
          json_node_get_value_type (recipient) == G_TYPE_STRING)
        return BW_SPEC_0_5;
      return BW_SPEC_1_0;
    }

  if (JSON_NODE_HOLDS_VALUE (context) && json_node_get_value_type (context) == G_TYPE_STRING)
    {
      const char *text = json_node_get_string (context);

      if (strstr (text, "v1") != NULL)
        return BW_SPEC_1_1;
      if (strstr (text, "v2") != NULL)
        return BW_SPEC_2_0;
    }

  return BW_SPEC_2_0;
}

/**
 * bw_ob2_is_assertion_like:
 * @object: a JSON object
 *
 * Whether @object is typed as an Assertion or has any member that only an
 * assertion of some version has. JSON without either (a context, a schema, a
 * key) is no badge at all, rather than a broken one.
 */
gboolean
bw_ob2_is_assertion_like (JsonObject *object)
{
  static const char * const members[] = {
    "recipient", "badge", "verify", "verification", "revoked", "uid", "issuedOn", "issued_on",
  };

  g_return_val_if_fail (object != NULL, FALSE);

  if (_bw_json_type_contains (object, "Assertion"))
    return TRUE;
  for (guint i = 0; i < G_N_ELEMENTS (members); i++)
    if (json_object_has_member (object, members[i]))
      return TRUE;
  return FALSE;
}

static gboolean
is_http_url (const char *text)
{
  return text != NULL &&
         (g_str_has_prefix (text, "https://") || g_str_has_prefix (text, "http://"));
}

static gboolean
contains_ci (const char *haystack,
             const char *needle)
{
  g_autofree char *folded = NULL;

  if (haystack == NULL)
    return FALSE;
  folded = g_ascii_strdown (haystack, -1);
  return strstr (folded, needle) != NULL;
}

static gboolean
parse_issuer (Ob2Context  *ctx,
              JsonObject  *issuer,
              const char  *doc,
              const char  *prefix,
              GError     **error)
{
  BwBadgeData *data = ctx->data;
  const char *origin = NULL;
  const char *org = NULL;

  if (!_bw_json_dup_string (issuer, doc, prefix, "id", FALSE, &data->issuer_id, error) ||
      !_bw_json_dup_string (issuer, doc, prefix, "name", FALSE, &data->issuer_name, error) ||
      !_bw_json_dup_string (issuer, doc, prefix, "url", FALSE, &data->issuer_url, error) ||
      !_bw_json_dup_string (issuer, doc, prefix, "email", FALSE, &data->issuer_email, error))
    return FALSE;

  g_clear_pointer (&data->issuer_image, g_free);
  if (!_bw_json_get_image (issuer, doc, prefix, "image", &data->issuer_image, error))
    return FALSE;

  /* 0.5 issuers: `origin` is the url, `contact` the email, and `org` a
   * part of the organisation named after the issuer. */
  if (!_bw_json_get_string (issuer, doc, prefix, "origin", FALSE, &origin, error) ||
      !_bw_json_get_string (issuer, doc, prefix, "org", FALSE, &org, error))
    return FALSE;
  if (data->issuer_url == NULL && origin != NULL)
    data->issuer_url = g_strdup (origin);
  if (data->issuer_email == NULL &&
      !_bw_json_dup_string (issuer, doc, prefix, "contact", FALSE, &data->issuer_email, error))
    return FALSE;
  if (origin != NULL && org != NULL && data->issuer_name != NULL)
    {
      char *combined = g_strdup_printf ("%s: %s", data->issuer_name, org);

      g_free (data->issuer_name);
      data->issuer_name = combined;
    }

  if (data->issuer_name == NULL)
    {
      g_autofree char *path = _bw_path (prefix, "name");

      _bw_badge_data_warn (data, _("%s: '%s' is missing"), doc, path);
    }

  return TRUE;
}

static gboolean
parse_alignment (Ob2Context  *ctx,
                 JsonObject  *object,
                 const char  *doc,
                 const char  *prefix,
                 GError     **error)
{
  g_autoptr(BwAlignment) alignment = g_new0 (BwAlignment, 1);

  if (!_bw_json_dup_string (object, doc, prefix, "name", FALSE, &alignment->target_name, error) ||
      !_bw_json_dup_string (object, doc, prefix, "targetName", FALSE, &alignment->target_name,
                            error) ||
      !_bw_json_dup_string (object, doc, prefix, "url", FALSE, &alignment->target_url, error) ||
      !_bw_json_dup_string (object, doc, prefix, "targetUrl", FALSE, &alignment->target_url,
                            error) ||
      !_bw_json_dup_string (object, doc, prefix, "description", FALSE,
                            &alignment->target_description, error) ||
      !_bw_json_dup_string (object, doc, prefix, "targetDescription", FALSE,
                            &alignment->target_description, error) ||
      !_bw_json_dup_string (object, doc, prefix, "targetFramework", FALSE,
                            &alignment->target_framework, error) ||
      !_bw_json_dup_string (object, doc, prefix, "targetCode", FALSE, &alignment->target_code,
                            error) ||
      !_bw_json_dup_string (object, doc, prefix, "targetType", FALSE, &alignment->target_type,
                            error))
    return FALSE;

  /* An OB 2.0 alignment may point at a standard, a course or a skill. It
   * counts as a skill when it names a framework or a code within one, or
   * when its name or URL says so. */
  if (alignment->target_framework != NULL || alignment->target_code != NULL ||
      contains_ci (alignment->target_name, "skill") ||
      contains_ci (alignment->target_name, "competenc") ||
      contains_ci (alignment->target_url, "skill") ||
      contains_ci (alignment->target_url, "competenc"))
    _bw_badge_data_add_tag (ctx->data, ctx->data->skills, alignment->target_name);

  g_ptr_array_add (ctx->data->alignments, g_steal_pointer (&alignment));
  return TRUE;
}

static gboolean
matches_reference (JsonNode   *document,
                   const char *url,
                   const char *reference)
{
  if (document == NULL || !JSON_NODE_HOLDS_OBJECT (document))
    return FALSE;
  return g_strcmp0 (url, reference) == 0 ||
         g_strcmp0 (bw_json_object_get_string (json_node_get_object (document), "id"),
                    reference) == 0;
}

static void
set_pending (BwBadgeData    *data,
             BwDocumentKind  kind,
             const char     *url)
{
  if (data->pending_url != NULL)
    return;

  if (!is_http_url (url))
    {
      _bw_badge_data_warn (data, _("“%s” is not an http or https URL and cannot be fetched"),
                           url);
      return;
    }

  data->pending_url = g_strdup (url);
  data->pending_kind = kind;
}

static gboolean
parse_badge_class (Ob2Context  *ctx,
                   JsonObject  *badge,
                   const char  *doc,
                   const char  *prefix,
                   GError     **error)
{
  BwBadgeData *data = ctx->data;
  g_autoptr(GPtrArray) alignments = NULL;
  g_autoptr(GPtrArray) tags = NULL;
  g_autofree char *image = NULL;
  JsonNode *criteria;
  JsonNode *issuer;

  if (!_bw_json_dup_string (badge, doc, prefix, "id", FALSE, &data->badge_class_id, error) ||
      !_bw_json_dup_string (badge, doc, prefix, "name", !ctx->minimal, &data->name, error) ||
      !_bw_json_dup_string (badge, doc, prefix, "description", FALSE, &data->description, error) ||
      !_bw_json_get_image (badge, doc, prefix, "image", &image, error))
    return FALSE;

  /* The BadgeClass image is the badge's picture; the assertion's image is
   * only the baked copy, kept when the class has none. */
  if (image != NULL)
    {
      g_free (data->image);
      data->image = g_steal_pointer (&image);
    }

  criteria = json_object_get_member (badge, "criteria");
  if (criteria != NULL && JSON_NODE_HOLDS_OBJECT (criteria))
    {
      g_autofree char *inner = _bw_path (prefix, "criteria.");
      JsonObject *object = json_node_get_object (criteria);

      if (!_bw_json_dup_string (object, doc, inner, "id", FALSE, &data->criteria_url, error) ||
          !_bw_json_dup_string (object, doc, inner, "narrative", FALSE, &data->criteria_narrative,
                                error))
        return FALSE;
    }
  else if (!_bw_json_dup_string (badge, doc, prefix, "criteria", FALSE, &data->criteria_url, error))
    return FALSE;

  alignments = _bw_json_get_list (badge, doc, prefix, "alignment", error);
  if (alignments == NULL)
    return FALSE;
  for (guint i = 0; i < alignments->len; i++)
    {
      JsonNode *node = g_ptr_array_index (alignments, i);
      g_autofree char *inner = g_strdup_printf ("%salignment[%u].", prefix, i);

      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          g_autofree char *path = g_strdup_printf ("%salignment[%u]", prefix, i);

          _bw_set_error (error, BW_ERROR_INVALID_DATA, doc,
                         _("expected an object for '%s'"), path);
          return FALSE;
        }
      if (!parse_alignment (ctx, json_node_get_object (node), doc, inner, error))
        return FALSE;
    }

  tags = _bw_json_get_list (badge, doc, prefix, "tags", error);
  if (tags == NULL)
    return FALSE;
  for (guint i = 0; i < tags->len; i++)
    {
      JsonNode *node = g_ptr_array_index (tags, i);

      if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
        {
          g_autofree char *path = g_strdup_printf ("%stags[%u]", prefix, i);

          _bw_set_error (error, BW_ERROR_INVALID_DATA, doc,
                         _("expected a string for '%s'"), path);
          return FALSE;
        }
      _bw_badge_data_add_tag (data, data->tags, json_node_get_string (node));
    }

  issuer = json_object_get_member (badge, "issuer");
  if (issuer == NULL || JSON_NODE_HOLDS_NULL (issuer))
    {
      g_autofree char *path = _bw_path (prefix, "issuer");

      if (!ctx->minimal)
        {
          _bw_set_error (error, BW_ERROR_INVALID_DATA, doc, _("'%s' is missing"), path);
          return FALSE;
        }
    }
  else if (JSON_NODE_HOLDS_OBJECT (issuer))
    {
      g_autofree char *inner = _bw_path (prefix, "issuer.");

      if (!parse_issuer (ctx, json_node_get_object (issuer), doc, inner, error))
        return FALSE;
    }
  else if (JSON_NODE_HOLDS_VALUE (issuer) && json_node_get_value_type (issuer) == G_TYPE_STRING)
    {
      const char *reference = json_node_get_string (issuer);

      g_free (data->issuer_id);
      data->issuer_id = g_strdup (reference);

      if (matches_reference (ctx->sources->issuer, ctx->sources->issuer_url, reference))
        {
          if (!parse_issuer (ctx, json_node_get_object (ctx->sources->issuer),
                             _("issuer JSON"), "", error))
            return FALSE;
          g_free (data->issuer_id);
          data->issuer_id = g_strdup (reference);
          data->uses_issuer = TRUE;
        }
      else
        set_pending (data, BW_DOCUMENT_ISSUER, reference);
    }
  else
    {
      g_autofree char *path = _bw_path (prefix, "issuer");

      _bw_set_error (error, BW_ERROR_INVALID_DATA, doc,
                     _("expected a URL or an object for '%s'"), path);
      return FALSE;
    }

  return TRUE;
}

static gboolean
parse_recipient (Ob2Context  *ctx,
                 JsonObject  *assertion,
                 const char  *doc,
                 GError     **error)
{
  g_autoptr(BwRecipient) recipient = g_new0 (BwRecipient, 1);
  JsonNode *node = json_object_get_member (assertion, "recipient");

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    {
      if (ctx->minimal)
        return TRUE;
      _bw_set_error (error, BW_ERROR_INVALID_DATA, doc, _("'%s' is missing"), "recipient");
      return FALSE;
    }

  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    {
      /* 0.5: a bare email or hash, with the salt beside it. */
      recipient->identity = g_strdup (json_node_get_string (node));
      recipient->type = g_strdup ("email");
      recipient->hashed = strchr (recipient->identity, '@') == NULL;
      if (!_bw_json_dup_string (assertion, doc, "", "salt", FALSE, &recipient->salt, error))
        return FALSE;
    }
  else if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *object = json_node_get_object (node);
      gboolean hashed_given = json_object_get_member (object, "hashed") != NULL;

      if (!_bw_json_dup_string (object, doc, "recipient.", "type", FALSE, &recipient->type,
                                error) ||
          !_bw_json_dup_string (object, doc, "recipient.", "identity", TRUE, &recipient->identity,
                                error) ||
          !_bw_json_dup_string (object, doc, "recipient.", "salt", FALSE, &recipient->salt,
                                error) ||
          !_bw_json_get_boolean (object, doc, "recipient.", "hashed", &recipient->hashed, error))
        return FALSE;

      if (recipient->type == NULL)
        {
          _bw_badge_data_warn (ctx->data, _("%s: '%s' is missing; taken as email"),
                               doc, "recipient.type");
          recipient->type = g_strdup ("email");
        }
      if (!hashed_given)
        {
          recipient->hashed = g_str_has_prefix (recipient->identity, "sha256$") ||
                              g_str_has_prefix (recipient->identity, "md5$");
          _bw_badge_data_warn (ctx->data, _("%s: '%s' is missing"), doc, "recipient.hashed");
        }
    }
  else
    {
      _bw_set_error (error, BW_ERROR_INVALID_DATA, doc,
                     _("expected an object for '%s'"), "recipient");
      return FALSE;
    }

  g_ptr_array_add (ctx->data->recipients, g_steal_pointer (&recipient));
  return TRUE;
}

static gboolean
parse_evidence (Ob2Context  *ctx,
                JsonObject  *assertion,
                const char  *doc,
                GError     **error)
{
  g_autoptr(GPtrArray) list = _bw_json_get_list (assertion, doc, "", "evidence", error);

  if (list == NULL)
    return FALSE;

  for (guint i = 0; i < list->len; i++)
    {
      JsonNode *node = g_ptr_array_index (list, i);
      g_autoptr(BwEvidence) evidence = g_new0 (BwEvidence, 1);

      if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
        evidence->id = g_strdup (json_node_get_string (node));
      else if (JSON_NODE_HOLDS_OBJECT (node))
        {
          JsonObject *object = json_node_get_object (node);
          g_autofree char *inner = g_strdup_printf ("evidence[%u].", i);

          if (!_bw_json_read_evidence (object, doc, inner, evidence, error))
            return FALSE;
        }
      else
        {
          g_autofree char *path = g_strdup_printf ("evidence[%u]", i);

          _bw_set_error (error, BW_ERROR_INVALID_DATA, doc,
                         _("expected a URL or an object for '%s'"), path);
          return FALSE;
        }

      g_ptr_array_add (ctx->data->evidence, g_steal_pointer (&evidence));
    }

  return TRUE;
}

static gboolean
is_credly_url (const char *url)
{
  g_autoptr(GUri) uri = NULL;
  const char *host;

  if (!is_http_url (url))
    return FALSE;
  uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL || (host = g_uri_get_host (uri)) == NULL)
    return FALSE;
  return g_str_equal (host, "credly.com") || g_str_has_suffix (host, ".credly.com") ||
         g_str_equal (host, "youracclaim.com") || g_str_has_suffix (host, ".youracclaim.com");
}

static gboolean
is_credly_badge_page (const char *url)
{
  static const char * const prefixes[] = {
    "https://www.credly.com/badges/",
    "https://credly.com/badges/",
    "https://www.youracclaim.com/badges/",
  };

  if (url == NULL)
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (prefixes); i++)
    if (g_str_has_prefix (url, prefixes[i]) && url[strlen (prefixes[i])] != '\0')
      return TRUE;
  return FALSE;
}

/* Credly names the public page of a badge in the assertion's evidence or
 * among its top-level links; the hosted assertion itself lives on its API
 * host and is no page for people. */
static char *
find_credly_page (JsonObject  *assertion,
                  BwBadgeData *data)
{
  JsonObjectIter iter;
  const char *member;
  JsonNode *node;
  guint seen = 0;

  for (guint i = 0; i < data->evidence->len; i++)
    {
      BwEvidence *evidence = g_ptr_array_index (data->evidence, i);

      if (is_credly_badge_page (evidence->id))
        return g_strdup (evidence->id);
    }

  json_object_iter_init (&iter, assertion);
  while (json_object_iter_next (&iter, &member, &node) && seen++ < BW_BADGE_MAX_ITEMS)
    {
      if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING &&
          is_credly_badge_page (json_node_get_string (node)))
        return g_strdup (json_node_get_string (node));
    }

  return NULL;
}

static const char * const not_assertions[] = {
  "BadgeClass", "Profile", "Issuer", "CryptographicKey", "RevocationList",
  "Endorsement", "Criteria", "Evidence", "Image",
};

gboolean
_bw_ob2_build (const BwBadgeSources  *sources,
               BwBadgeData           *data,
               GError               **error)
{
  Ob2Context ctx = { sources, data, BW_SPEC_UNKNOWN, FALSE };
  const char *doc = _("assertion JSON");
  JsonObject *assertion;
  JsonObject *verification = NULL;
  const char *verification_type = NULL;
  const char *verify_url = NULL;
  const char *uid = NULL;
  const char *svg_verify;
  JsonNode *badge;
  gboolean credly;

  g_return_val_if_fail (sources != NULL, FALSE);
  g_return_val_if_fail (sources->assertion != NULL, FALSE);
  g_return_val_if_fail (data != NULL, FALSE);

  assertion = json_node_get_object (sources->assertion);
  ctx.version = bw_ob2_detect_version (assertion);
  data->spec = ctx.version;

  if (!_bw_json_type_contains (assertion, "Assertion"))
    for (guint i = 0; i < G_N_ELEMENTS (not_assertions); i++)
      if (_bw_json_type_contains (assertion, not_assertions[i]))
        {
          _bw_set_error (error, BW_ERROR_NOT_A_BADGE, doc,
                         _("'type' says %s, not Assertion"), not_assertions[i]);
          return FALSE;
        }

  /* JSON with nothing of an assertion (a context, a schema, a key) is no
   * badge at all, rather than a broken one. */
  if (!bw_ob2_is_assertion_like (assertion))
    {
      g_set_error_literal (error, BW_ERROR, BW_ERROR_NOT_A_BADGE,
                           _("JSON: neither an Open Badges assertion nor a credential"));
      return FALSE;
    }

  /* A revoked hosted assertion needs only its id and `revoked`. */
  if (!_bw_json_get_boolean (assertion, doc, "", "revoked", &data->revoked, error) ||
      !_bw_json_dup_string (assertion, doc, "", "revocationReason", FALSE,
                            &data->revocation_reason, error))
    return FALSE;
  ctx.minimal = data->revoked;

  if (!_bw_json_get_object (assertion, doc, "", "verification", FALSE, &verification, error))
    return FALSE;
  if (verification == NULL &&
      !_bw_json_get_object (assertion, doc, "", "verify", FALSE, &verification, error))
    return FALSE;
  if (verification != NULL)
    {
      const char *prefix = json_object_has_member (assertion, "verification") ?
                           "verification." : "verify.";

      if (!_bw_json_get_string (verification, doc, prefix, "type", FALSE,
                                &verification_type, error) ||
          !_bw_json_get_string (verification, doc, prefix, "url", FALSE, &verify_url, error))
        return FALSE;
    }

  if (ctx.version == BW_SPEC_0_5)
    data->verification = BW_VERIFICATION_HOSTED;
  else if (verification_type == NULL)
    {
      if (!ctx.minimal && sources->jws == NULL)
        _bw_badge_data_warn (data, _("%s: '%s' is missing"), doc, "verification");
      data->verification = BW_VERIFICATION_NONE;
    }
  else if (g_str_equal (verification_type, "hosted") ||
           g_str_equal (verification_type, "HostedBadge"))
    data->verification = BW_VERIFICATION_HOSTED;
  else if (g_str_equal (verification_type, "signed") ||
           g_str_equal (verification_type, "SignedBadge"))
    data->verification = BW_VERIFICATION_SIGNED;
  else
    {
      _bw_badge_data_warn (data, _("%s: unknown verification type “%s”"),
                           doc, verification_type);
      data->verification = BW_VERIFICATION_NONE;
    }

  if (sources->jws != NULL)
    {
      if (data->verification == BW_VERIFICATION_HOSTED)
        _bw_badge_data_warn (data, _("a signed badge whose assertion says it is hosted"));
      data->verification = BW_VERIFICATION_SIGNED;
    }

  /* The id, with the 1.x fallbacks. */
  if (!_bw_json_dup_string (assertion, doc, "", "id", FALSE, &data->id, error) ||
      !_bw_json_get_string (assertion, doc, "", "uid", FALSE, &uid, error))
    return FALSE;
  if (data->id == NULL)
    {
      if (ctx.version == BW_SPEC_0_5)
        data->id = g_strdup (sources->assertion_url);
      else if (data->verification == BW_VERIFICATION_HOSTED && verify_url != NULL)
        data->id = g_strdup (verify_url);
      else if (uid != NULL)
        data->id = g_strdup_printf ("uid:%s", uid);
      else if (ctx.version == BW_SPEC_1_0 && verify_url != NULL)
        data->id = g_strdup (verify_url);

      if (ctx.version == BW_SPEC_2_0 || ctx.version == BW_SPEC_1_1)
        _bw_badge_data_warn (data, _("%s: '%s' is missing"), doc, "id");
    }

  if (ctx.minimal)
    {
      if (data->id == NULL)
        {
          _bw_set_error (error, BW_ERROR_INVALID_DATA, doc, _("'%s' is missing"), "id");
          return FALSE;
        }
    }

  if (!parse_recipient (&ctx, assertion, doc, error))
    return FALSE;

  if (ctx.version == BW_SPEC_0_5)
    {
      if (!_bw_json_get_date (assertion, doc, "", "issued_on", FALSE, data, &data->issued, error))
        return FALSE;
    }
  else
    {
      gboolean strict = ctx.version == BW_SPEC_2_0;

      if (!_bw_json_get_date (assertion, doc, "", "issuedOn", strict, data, &data->issued, error))
        return FALSE;
      if (data->issued == NULL && !ctx.minimal)
        {
          _bw_set_error (error, BW_ERROR_INVALID_DATA, doc, _("'%s' is missing"), "issuedOn");
          return FALSE;
        }
    }
  if (!_bw_json_get_date (assertion, doc, "", "expires", ctx.version == BW_SPEC_2_0, data,
                          &data->expires, error))
    return FALSE;

  if (!_bw_json_get_image (assertion, doc, "", "image", &data->image, error))
    return FALSE;

  if (!parse_evidence (&ctx, assertion, doc, error))
    return FALSE;

  badge = json_object_get_member (assertion, "badge");
  if (badge == NULL || JSON_NODE_HOLDS_NULL (badge))
    {
      if (!ctx.minimal)
        {
          _bw_set_error (error, BW_ERROR_INVALID_DATA, doc, _("'%s' is missing"), "badge");
          return FALSE;
        }
    }
  else if (JSON_NODE_HOLDS_OBJECT (badge))
    {
      if (!parse_badge_class (&ctx, json_node_get_object (badge), doc, "badge.", error))
        return FALSE;
    }
  else if (JSON_NODE_HOLDS_VALUE (badge) && json_node_get_value_type (badge) == G_TYPE_STRING)
    {
      const char *reference = json_node_get_string (badge);

      data->badge_class_id = g_strdup (reference);
      if (matches_reference (sources->badge_class, sources->badge_class_url, reference))
        {
          JsonObject *object = json_node_get_object (sources->badge_class);

          if (!parse_badge_class (&ctx, object, _("badge class JSON"), "", error))
            return FALSE;
          g_free (data->badge_class_id);
          data->badge_class_id = g_strdup (reference);
          data->uses_badge_class = TRUE;
        }
      else
        set_pending (data, BW_DOCUMENT_BADGE_CLASS, reference);
    }
  else
    {
      _bw_set_error (error, BW_ERROR_INVALID_DATA, doc,
                     _("expected a URL or an object for '%s'"), "badge");
      return FALSE;
    }

  /* Where the hosted copy lives. */
  svg_verify = sources->payload != NULL ? sources->payload->svg_verify : NULL;
  if (data->verification == BW_VERIFICATION_HOSTED)
    {
      if (ctx.version == BW_SPEC_0_5)
        data->hosted_url = g_strdup (sources->assertion_url);
      else if (ctx.version == BW_SPEC_1_0 && is_http_url (verify_url))
        data->hosted_url = g_strdup (verify_url);
      else if (is_http_url (data->id))
        data->hosted_url = g_strdup (data->id);
      else if (is_http_url (verify_url))
        data->hosted_url = g_strdup (verify_url);

      if (data->hosted_url == NULL && is_http_url (svg_verify))
        data->hosted_url = g_strdup (svg_verify);
      if (data->hosted_url == NULL && is_http_url (sources->assertion_url))
        data->hosted_url = g_strdup (sources->assertion_url);
    }

  if (is_http_url (svg_verify) && data->hosted_url != NULL &&
      g_strcmp0 (svg_verify, data->hosted_url) != 0)
    _bw_badge_data_warn (data, _("the image's verify URL %s differs from the assertion's %s"),
                         svg_verify, data->hosted_url);

  if (sources->assertion_url != NULL && data->id != NULL &&
      ctx.version != BW_SPEC_0_5 && ctx.version != BW_SPEC_1_0 &&
      g_strcmp0 (sources->assertion_url, data->id) != 0)
    _bw_badge_data_warn (data, _("the assertion fetched from %s declares its id as %s"),
                         sources->assertion_url, data->id);

  /* Credly uses tags for skills and has a public page for each badge. */
  credly = is_credly_url (data->id) || is_credly_url (data->badge_class_id) ||
           is_credly_url (data->issuer_id) || is_credly_url (data->issuer_url) ||
           is_credly_url (sources->assertion_url);
  if (credly)
    {
      for (guint i = 0; i < data->tags->len; i++)
        _bw_badge_data_add_tag (data, data->skills, g_ptr_array_index (data->tags, i));
      data->public_url = find_credly_page (assertion, data);
    }
  if (data->public_url == NULL && data->verification == BW_VERIFICATION_HOSTED &&
      data->hosted_url != NULL && g_str_has_prefix (data->hosted_url, "https://"))
    data->public_url = g_strdup (data->hosted_url);

  return TRUE;
}
