/* bw-ob3.c
 *
 * Copyright 2026 The Badge Wallet authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bw-ob3"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "bw-badge-private.h"
#include "bw-error.h"
#include "bw-ob3.h"
#include "bw-util.h"

/* Open Badges 3.0 credentials (OpenBadgeCredential / AchievementCredential)
 * in the VCDM 1.1 and 2.0 forms, embedded-proof JSON or the credential of a
 * VC-JWT. The badge's name, description, image and criteria are the
 * Achievement's, since that is what the badge is; the credential's own
 * name and image stand in when the Achievement has none. */

#define VCDM_1_1 "https://www.w3.org/2018/credentials/v1"
#define VCDM_2_0 "https://www.w3.org/ns/credentials/v2"

/**
 * bw_ob3_is_credential:
 * @object: a JSON object
 *
 * Returns: %TRUE when @object is a Verifiable Credential: its type names
 *   VerifiableCredential or one of the Open Badges 3.0 credential classes,
 *   or its context is a VCDM context
 */
gboolean
bw_ob3_is_credential (JsonObject *object)
{
  g_return_val_if_fail (object != NULL, FALSE);

  return _bw_json_type_contains (object, "VerifiableCredential") ||
         _bw_json_type_contains (object, "OpenBadgeCredential") ||
         _bw_json_type_contains (object, "AchievementCredential") ||
         _bw_json_context_contains (object, VCDM_1_1) ||
         _bw_json_context_contains (object, VCDM_2_0);
}

/**
 * bw_ob3_is_open_badge:
 * @object: a credential
 *
 * Returns: %TRUE when its type names OpenBadgeCredential or
 *   AchievementCredential
 */
gboolean
bw_ob3_is_open_badge (JsonObject *object)
{
  g_return_val_if_fail (object != NULL, FALSE);

  return _bw_json_type_contains (object, "OpenBadgeCredential") ||
         _bw_json_type_contains (object, "AchievementCredential");
}

static gboolean
dup_string (JsonObject  *object,
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

/* A member that the data model defines as one object but JSON-LD lets be
 * an array of them: the first is taken, with a warning. */
static gboolean
get_single_object (JsonObject   *object,
                   const char   *doc,
                   const char   *prefix,
                   const char   *member,
                   gboolean      required,
                   BwBadgeData  *data,
                   JsonObject  **out,
                   GError      **error)
{
  JsonNode *node = json_object_get_member (object, member);
  g_autofree char *path = _bw_path (prefix, member);

  *out = NULL;
  if (node != NULL && JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      if (json_array_get_length (array) == 0)
        node = NULL;
      else
        {
          if (json_array_get_length (array) > 1)
            _bw_badge_data_warn (data, _("%s: '%s' has several entries; the first is used"),
                                 doc, path);
          node = json_array_get_element (array, 0);
          if (!JSON_NODE_HOLDS_OBJECT (node))
            {
              _bw_set_error (error, BW_ERROR_INVALID_DATA, doc,
                             _("expected an object for '%s'"), path);
              return FALSE;
            }
          *out = json_node_get_object (node);
          return TRUE;
        }
    }

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    {
      if (!required)
        return TRUE;
      _bw_set_error (error, BW_ERROR_INVALID_DATA, doc, _("'%s' is missing"), path);
      return FALSE;
    }

  return _bw_json_get_object (object, doc, prefix, member, required, out, error);
}

static gboolean
parse_issuer (JsonObject   *credential,
              JsonObject   *claims,
              const char   *doc,
              BwBadgeData  *data,
              GError      **error)
{
  JsonNode *node = json_object_get_member (credential, "issuer");

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    {
      const char *iss = claims != NULL ? bw_json_object_get_string (claims, "iss") : NULL;

      if (iss == NULL)
        {
          _bw_set_error (error, BW_ERROR_INVALID_DATA, doc, _("'%s' is missing"), "issuer");
          return FALSE;
        }
      data->issuer_id = g_strdup (iss);
      return TRUE;
    }

  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    {
      data->issuer_id = g_strdup (json_node_get_string (node));
      return TRUE;
    }

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      _bw_set_error (error, BW_ERROR_INVALID_DATA, doc,
                     _("expected a URI or an object for '%s'"), "issuer");
      return FALSE;
    }

  {
    JsonObject *issuer = json_node_get_object (node);

    if (!dup_string (issuer, doc, "issuer.", "id", TRUE, &data->issuer_id, error) ||
        !dup_string (issuer, doc, "issuer.", "name", FALSE, &data->issuer_name, error) ||
        !dup_string (issuer, doc, "issuer.", "url", FALSE, &data->issuer_url, error) ||
        !dup_string (issuer, doc, "issuer.", "email", FALSE, &data->issuer_email, error) ||
        !_bw_json_get_image (issuer, doc, "issuer.", "image", &data->issuer_image, error))
      return FALSE;
  }

  return TRUE;
}

static gboolean
parse_identifiers (JsonObject   *subject,
                   const char   *doc,
                   BwBadgeData  *data,
                   GError      **error)
{
  g_autoptr(GPtrArray) list = NULL;
  g_autofree char *subject_id = NULL;

  if (!dup_string (subject, doc, "credentialSubject.", "id", FALSE, &subject_id, error))
    return FALSE;

  list = _bw_json_get_list (subject, doc, "credentialSubject.", "identifier", error);
  if (list == NULL)
    return FALSE;

  for (guint i = 0; i < list->len; i++)
    {
      JsonNode *node = g_ptr_array_index (list, i);
      g_autofree char *inner = g_strdup_printf ("credentialSubject.identifier[%u].", i);
      g_autoptr(BwRecipient) recipient = g_new0 (BwRecipient, 1);
      JsonObject *object;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          g_autofree char *path = g_strdup_printf ("credentialSubject.identifier[%u]", i);

          _bw_set_error (error, BW_ERROR_INVALID_DATA, doc,
                         _("expected an object for '%s'"), path);
          return FALSE;
        }
      object = json_node_get_object (node);

      if (!dup_string (object, doc, inner, "identityType", TRUE, &recipient->type, error) ||
          !dup_string (object, doc, inner, "identityHash", TRUE, &recipient->identity, error) ||
          !dup_string (object, doc, inner, "salt", FALSE, &recipient->salt, error) ||
          !_bw_json_get_boolean (object, doc, inner, "hashed", &recipient->hashed, error))
        return FALSE;

      g_ptr_array_add (data->recipients, g_steal_pointer (&recipient));
    }

  if (subject_id != NULL)
    {
      BwRecipient *recipient = g_new0 (BwRecipient, 1);

      recipient->type = g_strdup ("id");
      recipient->identity = g_steal_pointer (&subject_id);
      g_ptr_array_add (data->recipients, recipient);
    }

  if (data->recipients->len == 0)
    _bw_badge_data_warn (data, _("%s: the credential subject has neither 'id' nor 'identifier'"),
                         doc);

  return TRUE;
}

static gboolean
parse_achievement (JsonObject   *achievement,
                   const char   *doc,
                   BwBadgeData  *data,
                   GError      **error)
{
  const char *prefix = "credentialSubject.achievement.";
  g_autoptr(GPtrArray) alignments = NULL;
  g_autoptr(GPtrArray) tags = NULL;
  g_autofree char *image = NULL;
  JsonNode *criteria;

  if (!dup_string (achievement, doc, prefix, "id", FALSE, &data->badge_class_id, error) ||
      !dup_string (achievement, doc, prefix, "name", FALSE, &data->name, error) ||
      !dup_string (achievement, doc, prefix, "description", FALSE, &data->description, error) ||
      !_bw_json_get_image (achievement, doc, prefix, "image", &image, error))
    return FALSE;

  if (image != NULL)
    {
      g_free (data->image);
      data->image = g_steal_pointer (&image);
    }

  criteria = json_object_get_member (achievement, "criteria");
  if (criteria != NULL && JSON_NODE_HOLDS_OBJECT (criteria))
    {
      JsonObject *object = json_node_get_object (criteria);
      const char *inner = "credentialSubject.achievement.criteria.";

      if (!dup_string (object, doc, inner, "id", FALSE, &data->criteria_url, error) ||
          !dup_string (object, doc, inner, "narrative", FALSE, &data->criteria_narrative, error))
        return FALSE;
    }
  else if (!dup_string (achievement, doc, prefix, "criteria", FALSE, &data->criteria_url, error))
    return FALSE;

  alignments = _bw_json_get_list (achievement, doc, prefix, "alignment", error);
  if (alignments == NULL)
    return FALSE;
  for (guint i = 0; i < alignments->len; i++)
    {
      JsonNode *node = g_ptr_array_index (alignments, i);
      g_autofree char *inner = g_strdup_printf ("%salignment[%u].", prefix, i);
      g_autoptr(BwAlignment) alignment = g_new0 (BwAlignment, 1);
      JsonObject *object;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          g_autofree char *path = g_strdup_printf ("%salignment[%u]", prefix, i);

          _bw_set_error (error, BW_ERROR_INVALID_DATA, doc,
                         _("expected an object for '%s'"), path);
          return FALSE;
        }
      object = json_node_get_object (node);

      if (!dup_string (object, doc, inner, "targetName", FALSE, &alignment->target_name, error) ||
          !dup_string (object, doc, inner, "targetUrl", FALSE, &alignment->target_url, error) ||
          !dup_string (object, doc, inner, "targetDescription", FALSE,
                       &alignment->target_description, error) ||
          !dup_string (object, doc, inner, "targetFramework", FALSE,
                       &alignment->target_framework, error) ||
          !dup_string (object, doc, inner, "targetCode", FALSE, &alignment->target_code, error) ||
          !dup_string (object, doc, inner, "targetType", FALSE, &alignment->target_type, error))
        return FALSE;

      /* OB 3.0 alignments point into competency frameworks (CASE, CTDL,
       * ...), so each one names a skill. */
      _bw_badge_data_add_tag (data, data->skills, alignment->target_name);
      g_ptr_array_add (data->alignments, g_steal_pointer (&alignment));
    }

  tags = _bw_json_get_list (achievement, doc, prefix, "tag", error);
  if (tags == NULL)
    return FALSE;
  for (guint i = 0; i < tags->len; i++)
    {
      JsonNode *node = g_ptr_array_index (tags, i);

      if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
        {
          g_autofree char *path = g_strdup_printf ("%stag[%u]", prefix, i);

          _bw_set_error (error, BW_ERROR_INVALID_DATA, doc,
                         _("expected a string for '%s'"), path);
          return FALSE;
        }
      _bw_badge_data_add_tag (data, data->tags, json_node_get_string (node));
    }

  return TRUE;
}

static gboolean
parse_evidence (JsonObject   *credential,
                const char   *doc,
                BwBadgeData  *data,
                GError      **error)
{
  g_autoptr(GPtrArray) list = _bw_json_get_list (credential, doc, "", "evidence", error);

  if (list == NULL)
    return FALSE;

  for (guint i = 0; i < list->len; i++)
    {
      JsonNode *node = g_ptr_array_index (list, i);
      g_autoptr(BwEvidence) evidence = g_new0 (BwEvidence, 1);
      g_autofree char *inner = g_strdup_printf ("evidence[%u].", i);
      JsonObject *object;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          g_autofree char *path = g_strdup_printf ("evidence[%u]", i);

          _bw_set_error (error, BW_ERROR_INVALID_DATA, doc,
                         _("expected an object for '%s'"), path);
          return FALSE;
        }
      object = json_node_get_object (node);

      if (!dup_string (object, doc, inner, "id", FALSE, &evidence->id, error) ||
          !dup_string (object, doc, inner, "name", FALSE, &evidence->name, error) ||
          !dup_string (object, doc, inner, "description", FALSE, &evidence->description, error) ||
          !dup_string (object, doc, inner, "narrative", FALSE, &evidence->narrative, error) ||
          !dup_string (object, doc, inner, "genre", FALSE, &evidence->genre, error) ||
          !dup_string (object, doc, inner, "audience", FALSE, &evidence->audience, error))
        return FALSE;

      g_ptr_array_add (data->evidence, g_steal_pointer (&evidence));
    }

  return TRUE;
}

/* A JWT NumericDate claim (seconds since the epoch). */
static GDateTime *
claim_date (JsonObject *claims,
            const char *member)
{
  JsonNode *node;

  if (claims == NULL)
    return NULL;
  node = json_object_get_member (claims, member);
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return NULL;
  if (json_node_get_value_type (node) == G_TYPE_INT64)
    {
      gint64 secs = json_node_get_int (node);

      if (secs >= 0 && secs <= G_GINT64_CONSTANT (253402300799))
        return g_date_time_new_from_unix_utc (secs);
    }
  else if (json_node_get_value_type (node) == G_TYPE_DOUBLE)
    {
      double secs = json_node_get_double (node);

      if (secs >= 0 && secs <= 253402300799.0)
        return g_date_time_new_from_unix_utc ((gint64)secs);
    }
  return NULL;
}

static gboolean
is_credly_page (const char *url)
{
  return url != NULL &&
         (g_str_has_prefix (url, "https://www.credly.com/badges/") ||
          g_str_has_prefix (url, "https://credly.com/badges/"));
}

gboolean
_bw_ob3_build (const BwBadgeSources  *sources,
               BwBadgeData           *data,
               GError               **error)
{
  const char *doc = _("credential JSON");
  JsonObject *credential;
  JsonObject *claims = NULL;
  JsonObject *subject = NULL;
  JsonObject *achievement = NULL;
  g_autofree char *credential_name = NULL;
  g_autofree char *credential_description = NULL;
  g_autofree char *credential_image = NULL;
  gboolean vcdm2;

  g_return_val_if_fail (sources != NULL, FALSE);
  g_return_val_if_fail (sources->assertion != NULL, FALSE);
  g_return_val_if_fail (data != NULL, FALSE);

  credential = json_node_get_object (sources->assertion);
  if (sources->jwt_claims != NULL && JSON_NODE_HOLDS_OBJECT (sources->jwt_claims))
    claims = json_node_get_object (sources->jwt_claims);

  data->spec = BW_SPEC_3_0;

  if (_bw_json_type_contains (credential, "EndorsementCredential") &&
      !bw_ob3_is_open_badge (credential))
    {
      _bw_set_error (error, BW_ERROR_NOT_A_BADGE, doc,
                     _("this is an EndorsementCredential, not a badge"));
      return FALSE;
    }
  if (!bw_ob3_is_open_badge (credential))
    _bw_badge_data_warn (data, _("%s: 'type' names neither OpenBadgeCredential nor "
                                 "AchievementCredential"), doc);

  vcdm2 = _bw_json_context_contains (credential, VCDM_2_0);
  if (!vcdm2 && !_bw_json_context_contains (credential, VCDM_1_1))
    _bw_badge_data_warn (data, _("%s: '@context' names no Verifiable Credentials context"), doc);

  if (!dup_string (credential, doc, "", "id", FALSE, &data->id, error) ||
      !dup_string (credential, doc, "", "name", FALSE, &credential_name, error) ||
      !dup_string (credential, doc, "", "description", FALSE, &credential_description, error) ||
      !_bw_json_get_image (credential, doc, "", "image", &credential_image, error))
    return FALSE;
  if (data->id == NULL && claims != NULL)
    data->id = g_strdup (bw_json_object_get_string (claims, "jti"));

  if (!parse_issuer (credential, claims, doc, data, error))
    return FALSE;

  /* Validity: VCDM 2.0 validFrom/validUntil, VCDM 1.1 issuanceDate/
   * expirationDate, then the JWT's nbf/exp; awardedDate last. */
  if (!_bw_json_get_date (credential, doc, "", "validFrom", TRUE, data, &data->issued, error))
    return FALSE;
  if (data->issued == NULL &&
      !_bw_json_get_date (credential, doc, "", "issuanceDate", TRUE, data, &data->issued, error))
    return FALSE;
  if (data->issued == NULL)
    data->issued = claim_date (claims, "nbf");
  if (data->issued == NULL &&
      !_bw_json_get_date (credential, doc, "", "awardedDate", TRUE, data, &data->issued, error))
    return FALSE;

  if (!_bw_json_get_date (credential, doc, "", "validUntil", TRUE, data, &data->expires, error))
    return FALSE;
  if (data->expires == NULL &&
      !_bw_json_get_date (credential, doc, "", "expirationDate", TRUE, data, &data->expires, error))
    return FALSE;
  if (data->expires == NULL)
    data->expires = claim_date (claims, "exp");

  if (!get_single_object (credential, doc, "", "credentialSubject", TRUE, data, &subject, error))
    return FALSE;
  if (!parse_identifiers (subject, doc, data, error))
    return FALSE;
  if (data->recipients->len == 0 && claims != NULL &&
      bw_json_object_get_string (claims, "sub") != NULL)
    {
      BwRecipient *recipient = g_new0 (BwRecipient, 1);

      recipient->type = g_strdup ("id");
      recipient->identity = g_strdup (bw_json_object_get_string (claims, "sub"));
      g_ptr_array_add (data->recipients, recipient);
    }

  /* Early OB 3.0 credentials (some 1EdTech test vectors among them) carry
   * no Achievement; they are still shown, by the credential's own name.
   * A credential that is neither typed as a badge nor has an Achievement
   * is some other kind of VC (a status list, an endorsement). */
  if (!get_single_object (subject, doc, "credentialSubject.", "achievement", FALSE, data,
                          &achievement, error))
    return FALSE;
  if (achievement == NULL && !bw_ob3_is_open_badge (credential))
    {
      _bw_set_error (error, BW_ERROR_NOT_A_BADGE, doc,
                     _("'type' names neither OpenBadgeCredential nor AchievementCredential, "
                       "and there is no achievement"));
      return FALSE;
    }
  if (achievement == NULL && credential_name == NULL)
    {
      _bw_set_error (error, BW_ERROR_INVALID_DATA, doc, _("'%s' is missing"),
                     "credentialSubject.achievement");
      return FALSE;
    }
  if (achievement == NULL)
    _bw_badge_data_warn (data, _("%s: '%s' is missing"), doc, "credentialSubject.achievement");
  else if (!parse_achievement (achievement, doc, data, error))
    return FALSE;

  if (data->name == NULL)
    data->name = g_steal_pointer (&credential_name);
  if (data->name == NULL)
    {
      _bw_set_error (error, BW_ERROR_INVALID_DATA, doc, _("'%s' is missing"),
                     "credentialSubject.achievement.name");
      return FALSE;
    }
  if (data->description == NULL)
    data->description = g_steal_pointer (&credential_description);
  if (data->image == NULL)
    data->image = g_steal_pointer (&credential_image);
  if (data->image == NULL &&
      !_bw_json_get_image (subject, doc, "credentialSubject.", "image", &data->image, error))
    return FALSE;

  if (!parse_evidence (credential, doc, data, error))
    return FALSE;

  if (sources->jws != NULL || json_object_get_member (credential, "proof") != NULL)
    data->verification = BW_VERIFICATION_PROOF;
  else
    data->verification = BW_VERIFICATION_NONE;

  /* Credly's OB 3.0 badges name their public page among the evidence;
   * other credentials have no page for people, and their id need not be
   * dereferenceable. */
  for (guint i = 0; i < data->evidence->len && data->public_url == NULL; i++)
    {
      BwEvidence *evidence = g_ptr_array_index (data->evidence, i);

      if (is_credly_page (evidence->id))
        data->public_url = g_strdup (evidence->id);
    }
  if (data->public_url != NULL)
    for (guint i = 0; i < data->tags->len; i++)
      _bw_badge_data_add_tag (data, data->skills, g_ptr_array_index (data->tags, i));

  return TRUE;
}
