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

    if (!_bw_json_dup_string (issuer, doc, "issuer.", "id", TRUE, &data->issuer_id, error) ||
        !_bw_json_dup_string (issuer, doc, "issuer.", "name", FALSE, &data->issuer_name, error) ||
        !_bw_json_dup_string (issuer, doc, "issuer.", "url", FALSE, &data->issuer_url, error) ||
        !_bw_json_dup_string (issuer, doc, "issuer.", "email", FALSE, &data->issuer_email, error) ||
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

  if (!_bw_json_dup_string (subject, doc, "credentialSubject.", "id", FALSE, &subject_id, error))
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

      if (!_bw_json_dup_string (object, doc, inner, "identityType", TRUE, &recipient->type,
                                error) ||
          !_bw_json_dup_string (object, doc, inner, "identityHash", TRUE, &recipient->identity,
                                error) ||
          !_bw_json_dup_string (object, doc, inner, "salt", FALSE, &recipient->salt, error) ||
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

  if (!_bw_json_dup_string (achievement, doc, prefix, "id", FALSE, &data->badge_class_id, error) ||
      !_bw_json_dup_string (achievement, doc, prefix, "name", FALSE, &data->name, error) ||
      !_bw_json_dup_string (achievement, doc, prefix, "description", FALSE, &data->description,
                            error) ||
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

      if (!_bw_json_dup_string (object, doc, inner, "id", FALSE, &data->criteria_url, error) ||
          !_bw_json_dup_string (object, doc, inner, "narrative", FALSE, &data->criteria_narrative,
                                error))
        return FALSE;
    }
  else if (!_bw_json_dup_string (achievement, doc, prefix, "criteria", FALSE, &data->criteria_url,
                                 error))
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

      if (!_bw_json_dup_string (object, doc, inner, "targetName", FALSE, &alignment->target_name,
                                error) ||
          !_bw_json_dup_string (object, doc, inner, "targetUrl", FALSE, &alignment->target_url,
                                error) ||
          !_bw_json_dup_string (object, doc, inner, "targetDescription", FALSE,
                                &alignment->target_description, error) ||
          !_bw_json_dup_string (object, doc, inner, "targetFramework", FALSE,
                                &alignment->target_framework, error) ||
          !_bw_json_dup_string (object, doc, inner, "targetCode", FALSE, &alignment->target_code,
                                error) ||
          !_bw_json_dup_string (object, doc, inner, "targetType", FALSE, &alignment->target_type,
                                error))
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

      if (!_bw_json_read_evidence (object, doc, inner, evidence, error))
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

  if (!_bw_json_dup_string (credential, doc, "", "id", FALSE, &data->id, error) ||
      !_bw_json_dup_string (credential, doc, "", "name", FALSE, &credential_name, error) ||
      !_bw_json_dup_string (credential, doc, "", "description", FALSE, &credential_description,
                            error) ||
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

/* Shape checks (open-badges.md §5.1, §5.2, and the 1EdTech validator's
 * context, type, credential subject, evidence and issuer probes). They
 * need no cryptography, so they run before the proof and can make a
 * credential invalid whatever its proof would say. */

static gboolean
is_ob3_context (const char *url)
{
  const char *prefix = "https://purl.imsglobal.org/spec/ob/v3p0/context";
  const char *rest;

  if (url == NULL || !g_str_has_prefix (url, prefix))
    return FALSE;
  rest = url + strlen (prefix);
  /* Any number of "-3.d.d" version parts, then ".json". */
  while (rest[0] == '-')
    {
      if (rest[1] != '3' || rest[2] != '.' || !g_ascii_isdigit (rest[3]) || rest[4] != '.' ||
          !g_ascii_isdigit (rest[5]))
        return FALSE;
      rest += 6;
    }
  return g_str_equal (rest, ".json");
}

static const char *
node_string (JsonNode *node)
{
  if (node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
      json_node_get_value_type (node) == G_TYPE_STRING)
    return json_node_get_string (node);
  return NULL;
}

/**
 * bw_ob3_context_problem:
 * @credential: a credential
 * @older_model: (out) (optional): set to %TRUE when the credential uses
 *   the older Verifiable Credentials 1.1 data model
 *
 * Returns: (transfer full) (nullable): what is wrong with its `@context`
 */
char *
bw_ob3_context_problem (JsonObject *credential,
                        gboolean   *older_model)
{
  JsonNode *node;
  JsonArray *array;
  const char *first;

  g_return_val_if_fail (credential != NULL, NULL);

  if (older_model != NULL)
    *older_model = FALSE;
  node = json_object_get_member (credential, "@context");
  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node) ||
      json_array_get_length (json_node_get_array (node)) < 2)
    return g_strdup (_("'@context' must be a list naming the Verifiable Credentials context "
                       "first and an Open Badges 3.0 context second"));
  array = json_node_get_array (node);
  first = node_string (json_array_get_element (array, 0));
  if (g_strcmp0 (first, VCDM_2_0) != 0 && g_strcmp0 (first, VCDM_1_1) != 0)
    return g_strdup_printf (_("the first '@context' entry must be %s (or, in the older data "
                              "model, %s), not %s"),
                            VCDM_2_0, VCDM_1_1, first != NULL ? first : _("a non-text value"));
  if (!is_ob3_context (node_string (json_array_get_element (array, 1))))
    return g_strdup_printf (_("the second '@context' entry must be an Open Badges 3.0 context "
                              "(https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json)"));
  if (older_model != NULL)
    *older_model = g_str_equal (first, VCDM_1_1);
  return NULL;
}

/**
 * bw_ob3_type_problem:
 * @credential: a credential
 *
 * Returns: (transfer full) (nullable): what is wrong with its `type`
 */
char *
bw_ob3_type_problem (JsonObject *credential)
{
  g_return_val_if_fail (credential != NULL, NULL);

  if (!_bw_json_type_contains (credential, "VerifiableCredential"))
    return g_strdup (_("'type' does not name VerifiableCredential"));
  if (!bw_ob3_is_open_badge (credential))
    return g_strdup (_("'type' names neither OpenBadgeCredential nor AchievementCredential"));
  return NULL;
}

/* The values of a member that may be one value or a list of them. */
static GPtrArray *
member_values (JsonObject *object,
               const char *member)
{
  GPtrArray *values = g_ptr_array_new ();
  JsonNode *node = object != NULL ? json_object_get_member (object, member) : NULL;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return values;
  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        g_ptr_array_add (values, json_array_get_element (array, i));
    }
  else
    g_ptr_array_add (values, node);
  return values;
}

static char *
item_path (const char *path,
           guint       index,
           guint       count,
           gboolean    listed)
{
  if (!listed && count == 1)
    return g_strdup (path);
  return g_strdup_printf ("%s[%u]", path, index);
}

/* Checks that each object of @member has a `type` naming @class_name;
 * @required says whether the member must be present. */
static void
check_typed (GPtrArray  *problems,
             JsonObject *parent,
             const char *prefix,
             const char *member,
             const char *class_name,
             gboolean    required,
             GPtrArray  *objects)
{
  g_autoptr(GPtrArray) values = member_values (parent, member);
  g_autofree char *path = g_strconcat (prefix, member, NULL);
  JsonNode *node = parent != NULL ? json_object_get_member (parent, member) : NULL;
  gboolean listed = node != NULL && JSON_NODE_HOLDS_ARRAY (node);

  if (values->len == 0 && required)
    g_ptr_array_add (problems, g_strdup_printf (_("'%s' is missing"), path));

  for (guint i = 0; i < values->len; i++)
    {
      JsonNode *value = g_ptr_array_index (values, i);
      g_autofree char *at = item_path (path, i, values->len, listed);
      JsonObject *object;

      if (!JSON_NODE_HOLDS_OBJECT (value))
        {
          g_ptr_array_add (problems, g_strdup_printf (_("'%s' must be an object"), at));
          continue;
        }
      object = json_node_get_object (value);
      if (!_bw_json_type_contains (object, class_name))
        g_ptr_array_add (problems, g_strdup_printf (_("'%s.type' must name %s"), at, class_name));
      if (objects != NULL)
        g_ptr_array_add (objects, object);
    }
}

static void
check_required (GPtrArray  *problems,
                JsonObject *object,
                const char *prefix,
                const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    g_ptr_array_add (problems, g_strdup_printf (_("'%s%s' is missing"), prefix, member));
}

static gboolean
is_identity_type (const char *value)
{
  static const char * const known[] = {
    "name", "sourcedId", "systemId", "productId", "userName", "accountId", "emailAddress",
    "nationalIdentityNumber", "isbn", "issn", "lisSourcedId", "oneRosterSourcedId",
    "sisSourcedId", "ltiContextId", "ltiDeploymentId", "ltiToolId", "ltiPlatformId",
    "ltiUserId", "identifier",
  };

  if (value == NULL)
    return FALSE;
  if (g_str_has_prefix (value, "ext:") && value[4] != '\0')
    return TRUE;
  return g_strv_contains ((const char * const *)known, value);
}

static void
check_profile (GPtrArray  *problems,
               JsonObject *profile,
               const char *path)
{
  g_autofree char *prefix = g_strconcat (path, ".", NULL);

  check_required (problems, profile, prefix, "id");
  check_typed (problems, profile, prefix, "otherIdentifier", "IdentifierEntry", FALSE, NULL);
  check_typed (problems, profile, prefix, "parentOrg", "Profile", FALSE, NULL);
}

/**
 * bw_ob3_structure_problems:
 * @credential: a credential
 * @jwt_claims: (nullable): the JWT claims when it came as a VC-JWT
 *
 * Checks the members OB 3.0 requires and the classes of the nested
 * objects: issuer, credential subject, achievement, identifiers, results,
 * evidence.
 *
 * Returns: (transfer full) (nullable) (element-type utf8): the problems,
 *   or %NULL when there are none
 */
GPtrArray *
bw_ob3_structure_problems (JsonObject *credential,
                           JsonObject *jwt_claims)
{
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) subjects = g_ptr_array_new ();
  JsonNode *issuer;
  gboolean vcdm2;
  gboolean vcdm1;

  g_return_val_if_fail (credential != NULL, NULL);

  vcdm2 = _bw_json_context_contains (credential, VCDM_2_0);
  vcdm1 = !vcdm2 && _bw_json_context_contains (credential, VCDM_1_1);

  issuer = json_object_get_member (credential, "issuer");
  if (issuer == NULL || JSON_NODE_HOLDS_NULL (issuer))
    g_ptr_array_add (problems, g_strdup_printf (_("'%s' is missing"), "issuer"));
  else if (JSON_NODE_HOLDS_OBJECT (issuer))
    {
      check_typed (problems, credential, "", "issuer", "Profile", TRUE, NULL);
      check_profile (problems, json_node_get_object (issuer), "issuer");
    }
  else if (node_string (issuer) == NULL)
    g_ptr_array_add (problems, g_strdup (_("'issuer' must be a URI or a Profile object")));

  /* Validity: VCDM 2.0 names it validFrom, VCDM 1.1 issuanceDate; a
   * VC-JWT may carry it as its nbf claim instead. Without either data
   * model's context (a fault the context check reports) either name
   * will do. */
  if (vcdm2)
    {
      if (json_object_has_member (credential, "issuanceDate") ||
          json_object_has_member (credential, "expirationDate"))
        g_ptr_array_add (problems,
                         g_strdup (_("'issuanceDate' and 'expirationDate' belong to the older "
                                     "data model; this credential must use 'validFrom' and "
                                     "'validUntil'")));
      else if (!json_object_has_member (credential, "validFrom") &&
               (jwt_claims == NULL || !json_object_has_member (jwt_claims, "nbf")))
        g_ptr_array_add (problems, g_strdup_printf (_("'%s' is missing"), "validFrom"));
    }
  else if (!json_object_has_member (credential, "issuanceDate") &&
           (vcdm1 || !json_object_has_member (credential, "validFrom")) &&
           (jwt_claims == NULL || !json_object_has_member (jwt_claims, "nbf")))
    g_ptr_array_add (problems, g_strdup_printf (_("'%s' is missing"),
                                                vcdm1 ? "issuanceDate" : "validFrom"));

  check_typed (problems, credential, "", "credentialSubject", "AchievementSubject", TRUE,
               subjects);
  for (guint s = 0; s < subjects->len; s++)
    {
      JsonObject *subject = g_ptr_array_index (subjects, s);
      const char *prefix = "credentialSubject.";
      g_autoptr(GPtrArray) identifiers = g_ptr_array_new ();
      g_autoptr(GPtrArray) achievements = g_ptr_array_new ();

      check_typed (problems, subject, prefix, "identifier", "IdentityObject", FALSE, identifiers);
      for (guint i = 0; i < identifiers->len; i++)
        {
          JsonObject *identifier = g_ptr_array_index (identifiers, i);
          const char *type = bw_json_object_get_string (identifier, "identityType");
          g_autofree char *at = g_strdup_printf ("credentialSubject.identifier[%u].", i);

          check_required (problems, identifier, at, "identityHash");
          check_required (problems, identifier, at, "hashed");
          if (type == NULL)
            check_required (problems, identifier, at, "identityType");
          else if (!is_identity_type (type))
            g_ptr_array_add (problems,
                             g_strdup_printf (_("'%sidentityType' is “%s”, which is no "
                                                "identifier type of Open Badges 3.0 (such as "
                                                "emailAddress) nor an ext: extension"),
                                              at, type));
        }

      check_typed (problems, subject, prefix, "achievement", "Achievement", TRUE, achievements);
      for (guint a = 0; a < achievements->len; a++)
        {
          JsonObject *achievement = g_ptr_array_index (achievements, a);
          const char *inner = "credentialSubject.achievement.";

          check_required (problems, achievement, inner, "id");
          check_required (problems, achievement, inner, "name");
          check_required (problems, achievement, inner, "description");
          check_required (problems, achievement, inner, "criteria");
          check_typed (problems, achievement, inner, "resultDescription", "ResultDescription",
                       FALSE, NULL);
          check_typed (problems, achievement, inner, "alignment", "Alignment", FALSE, NULL);
          check_typed (problems, achievement, inner, "otherIdentifier", "IdentifierEntry",
                       FALSE, NULL);
        }

      check_typed (problems, subject, prefix, "result", "Result", FALSE, NULL);
      check_typed (problems, subject, prefix, "source", "Profile", FALSE, NULL);
    }

  check_typed (problems, credential, "", "evidence", "Evidence", FALSE, NULL);

  if (problems->len == 0)
    return NULL;
  return g_steal_pointer (&problems);
}
