/* bw-badge.c
 *
 * Copyright 2026 The Badge Wallet authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bw-badge"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "bw-badge-private.h"
#include "bw-error.h"
#include "bw-ob2.h"
#include "bw-ob3.h"
#include "bw-util.h"

struct _BwBadge
{
  GObject      parent_instance;

  BwPayload   *payload;
  char        *jws;
  JsonNode    *jwt_claims;
  JsonNode    *assertion;
  char        *assertion_url;
  JsonNode    *badge_class;
  char        *badge_class_url;
  JsonNode    *issuer;
  char        *issuer_url;

  BwBadgeData *data;
  GPtrArray   *notes;

  char        *wallet_id;
  GDateTime   *added;
  char        *original_path;
  char        *last_verdict;
  GDateTime   *last_checked;
};

G_DEFINE_FINAL_TYPE (BwBadge, bw_badge, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_NAME,
  PROP_DESCRIPTION,
  PROP_ISSUER_NAME,
  PROP_IMAGE,
  PROP_ISSUED,
  PROP_EXPIRES,
  PROP_WALLET_ID,
  PROP_LAST_VERDICT,
  PROP_LAST_CHECKED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_BOXED_TYPE (BwRecipient, bw_recipient, bw_recipient_copy, bw_recipient_free)
G_DEFINE_BOXED_TYPE (BwEvidence, bw_evidence, bw_evidence_copy, bw_evidence_free)
G_DEFINE_BOXED_TYPE (BwAlignment, bw_alignment, bw_alignment_copy, bw_alignment_free)

BwRecipient *
bw_recipient_copy (const BwRecipient *recipient)
{
  BwRecipient *copy;

  g_return_val_if_fail (recipient != NULL, NULL);

  copy = g_new0 (BwRecipient, 1);
  copy->type = g_strdup (recipient->type);
  copy->hashed = recipient->hashed;
  copy->identity = g_strdup (recipient->identity);
  copy->salt = g_strdup (recipient->salt);
  return copy;
}

void
bw_recipient_free (BwRecipient *recipient)
{
  if (recipient == NULL)
    return;
  g_free (recipient->type);
  g_free (recipient->identity);
  g_free (recipient->salt);
  g_free (recipient);
}

BwEvidence *
bw_evidence_copy (const BwEvidence *evidence)
{
  BwEvidence *copy;

  g_return_val_if_fail (evidence != NULL, NULL);

  copy = g_new0 (BwEvidence, 1);
  copy->id = g_strdup (evidence->id);
  copy->name = g_strdup (evidence->name);
  copy->description = g_strdup (evidence->description);
  copy->narrative = g_strdup (evidence->narrative);
  copy->genre = g_strdup (evidence->genre);
  copy->audience = g_strdup (evidence->audience);
  return copy;
}

void
bw_evidence_free (BwEvidence *evidence)
{
  if (evidence == NULL)
    return;
  g_free (evidence->id);
  g_free (evidence->name);
  g_free (evidence->description);
  g_free (evidence->narrative);
  g_free (evidence->genre);
  g_free (evidence->audience);
  g_free (evidence);
}

BwAlignment *
bw_alignment_copy (const BwAlignment *alignment)
{
  BwAlignment *copy;

  g_return_val_if_fail (alignment != NULL, NULL);

  copy = g_new0 (BwAlignment, 1);
  copy->target_name = g_strdup (alignment->target_name);
  copy->target_url = g_strdup (alignment->target_url);
  copy->target_description = g_strdup (alignment->target_description);
  copy->target_framework = g_strdup (alignment->target_framework);
  copy->target_code = g_strdup (alignment->target_code);
  copy->target_type = g_strdup (alignment->target_type);
  return copy;
}

void
bw_alignment_free (BwAlignment *alignment)
{
  if (alignment == NULL)
    return;
  g_free (alignment->target_name);
  g_free (alignment->target_url);
  g_free (alignment->target_description);
  g_free (alignment->target_framework);
  g_free (alignment->target_code);
  g_free (alignment->target_type);
  g_free (alignment);
}

const char *
bw_spec_version_to_string (BwSpecVersion spec)
{
  switch (spec)
    {
    case BW_SPEC_0_5:
      return "0.5";
    case BW_SPEC_1_0:
      return "1.0";
    case BW_SPEC_1_1:
      return "1.1";
    case BW_SPEC_2_0:
      return "2.0";
    case BW_SPEC_3_0:
      return "3.0";
    case BW_SPEC_UNKNOWN:
    default:
      return NULL;
    }
}

const char *
bw_verification_kind_to_string (BwVerificationKind kind)
{
  switch (kind)
    {
    case BW_VERIFICATION_HOSTED:
      return "hosted";
    case BW_VERIFICATION_SIGNED:
      return "signed";
    case BW_VERIFICATION_PROOF:
      return "proof";
    case BW_VERIFICATION_NONE:
    default:
      return "none";
    }
}

/* The parsed data is kept apart from the object so that a rebuild can be
 * refused without touching what the object shows. */

BwBadgeData *
_bw_badge_data_new (void)
{
  BwBadgeData *data = g_new0 (BwBadgeData, 1);

  data->recipients = g_ptr_array_new_with_free_func ((GDestroyNotify)bw_recipient_free);
  data->evidence = g_ptr_array_new_with_free_func ((GDestroyNotify)bw_evidence_free);
  data->alignments = g_ptr_array_new_with_free_func ((GDestroyNotify)bw_alignment_free);
  data->tags = g_ptr_array_new_null_terminated (0, g_free, TRUE);
  data->skills = g_ptr_array_new_null_terminated (0, g_free, TRUE);
  data->warnings = g_ptr_array_new_with_free_func (g_free);
  return data;
}

void
_bw_badge_data_free (BwBadgeData *data)
{
  if (data == NULL)
    return;
  g_free (data->id);
  g_free (data->name);
  g_free (data->description);
  g_free (data->image);
  g_free (data->criteria_url);
  g_free (data->criteria_narrative);
  g_free (data->badge_class_id);
  g_free (data->issuer_id);
  g_free (data->issuer_name);
  g_free (data->issuer_url);
  g_free (data->issuer_email);
  g_free (data->issuer_image);
  g_clear_pointer (&data->issued, g_date_time_unref);
  g_clear_pointer (&data->expires, g_date_time_unref);
  g_clear_pointer (&data->recipients, g_ptr_array_unref);
  g_clear_pointer (&data->evidence, g_ptr_array_unref);
  g_clear_pointer (&data->alignments, g_ptr_array_unref);
  g_clear_pointer (&data->tags, g_ptr_array_unref);
  g_clear_pointer (&data->skills, g_ptr_array_unref);
  g_free (data->revocation_reason);
  g_free (data->hosted_url);
  g_free (data->public_url);
  g_clear_pointer (&data->warnings, g_ptr_array_unref);
  g_free (data->pending_url);
  g_free (data);
}

void
_bw_badge_data_warn (BwBadgeData *data,
                     const char  *format,
                     ...)
{
  va_list args;

  g_assert (data != NULL);

  /* A hostile document could repeat the same oddity many times; the
   * warnings list is for people, so it stays short. */
  if (data->warnings->len >= BW_BADGE_MAX_ITEMS)
    return;

  va_start (args, format);
  g_ptr_array_add (data->warnings, g_strdup_vprintf (format, args));
  va_end (args);
}

/* Adds @value to a tag or skill list once, ignoring case and surrounding
 * blanks, so that the same skill named by a tag and an alignment shows
 * once. */
void
_bw_badge_data_add_tag (BwBadgeData *data,
                        GPtrArray   *list,
                        const char  *value)
{
  g_autofree char *trimmed = NULL;

  g_assert (data != NULL);
  g_assert (list != NULL);

  if (value == NULL)
    return;
  trimmed = g_strstrip (g_strdup (value));
  if (*trimmed == '\0' || list->len >= BW_BADGE_MAX_ITEMS)
    return;
  for (guint i = 0; i < list->len; i++)
    if (g_ascii_strcasecmp (g_ptr_array_index (list, i), trimmed) == 0)
      return;
  g_ptr_array_add (list, g_steal_pointer (&trimmed));
}

static void
bw_badge_finalize (GObject *object)
{
  BwBadge *self = (BwBadge *)object;

  g_clear_pointer (&self->payload, bw_payload_free);
  g_clear_pointer (&self->jws, g_free);
  g_clear_pointer (&self->jwt_claims, json_node_unref);
  g_clear_pointer (&self->assertion, json_node_unref);
  g_clear_pointer (&self->assertion_url, g_free);
  g_clear_pointer (&self->badge_class, json_node_unref);
  g_clear_pointer (&self->badge_class_url, g_free);
  g_clear_pointer (&self->issuer, json_node_unref);
  g_clear_pointer (&self->issuer_url, g_free);
  g_clear_pointer (&self->data, _bw_badge_data_free);
  g_clear_pointer (&self->notes, g_ptr_array_unref);
  g_clear_pointer (&self->wallet_id, g_free);
  g_clear_pointer (&self->added, g_date_time_unref);
  g_clear_pointer (&self->original_path, g_free);
  g_clear_pointer (&self->last_verdict, g_free);
  g_clear_pointer (&self->last_checked, g_date_time_unref);

  G_OBJECT_CLASS (bw_badge_parent_class)->finalize (object);
}

static void
bw_badge_get_property (GObject    *object,
                       guint       prop_id,
                       GValue     *value,
                       GParamSpec *pspec)
{
  BwBadge *self = BW_BADGE (object);

  switch (prop_id)
    {
    case PROP_NAME:
      g_value_set_string (value, self->data->name);
      break;

    case PROP_DESCRIPTION:
      g_value_set_string (value, self->data->description);
      break;

    case PROP_ISSUER_NAME:
      g_value_set_string (value, self->data->issuer_name);
      break;

    case PROP_IMAGE:
      g_value_set_string (value, self->data->image);
      break;

    case PROP_ISSUED:
      g_value_set_boxed (value, self->data->issued);
      break;

    case PROP_EXPIRES:
      g_value_set_boxed (value, self->data->expires);
      break;

    case PROP_WALLET_ID:
      g_value_set_string (value, self->wallet_id);
      break;

    case PROP_LAST_VERDICT:
      g_value_set_string (value, self->last_verdict);
      break;

    case PROP_LAST_CHECKED:
      g_value_set_boxed (value, self->last_checked);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bw_badge_class_init (BwBadgeClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = bw_badge_finalize;
  object_class->get_property = bw_badge_get_property;

  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DESCRIPTION] =
    g_param_spec_string ("description", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ISSUER_NAME] =
    g_param_spec_string ("issuer-name", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_IMAGE] =
    g_param_spec_string ("image", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ISSUED] =
    g_param_spec_boxed ("issued", NULL, NULL, G_TYPE_DATE_TIME,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_EXPIRES] =
    g_param_spec_boxed ("expires", NULL, NULL, G_TYPE_DATE_TIME,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_WALLET_ID] =
    g_param_spec_string ("wallet-id", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LAST_VERDICT] =
    g_param_spec_string ("last-verdict", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LAST_CHECKED] =
    g_param_spec_boxed ("last-checked", NULL, NULL, G_TYPE_DATE_TIME,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
bw_badge_init (BwBadge *self)
{
  self->data = _bw_badge_data_new ();
  self->notes = g_ptr_array_new_with_free_func (g_free);
}

static gboolean
dates_equal (GDateTime *a,
             GDateTime *b)
{
  if (a == NULL || b == NULL)
    return a == b;
  return g_date_time_equal (a, b);
}

/* Builds the badge data from the documents held, and installs it only when
 * every document parsed: a refused document leaves the badge as it was. */
static gboolean
bw_badge_rebuild (BwBadge  *self,
                  GError  **error)
{
  g_autoptr(BwBadgeData) data = _bw_badge_data_new ();
  BwBadgeData *old;
  BwBadgeSources sources = {
    .payload = self->payload,
    .jws = self->jws,
    .jwt_claims = self->jwt_claims,
    .assertion = self->assertion,
    .assertion_url = self->assertion_url,
    .badge_class = self->badge_class,
    .badge_class_url = self->badge_class_url,
    .issuer = self->issuer,
    .issuer_url = self->issuer_url,
  };

  for (guint i = 0; i < self->notes->len; i++)
    g_ptr_array_add (data->warnings, g_strdup (g_ptr_array_index (self->notes, i)));

  if (self->assertion == NULL)
    {
      /* A hosted URL with nothing fetched yet. */
      data->verification = BW_VERIFICATION_HOSTED;
      data->hosted_url = g_strdup (self->assertion_url);
      data->pending_url = g_strdup (self->assertion_url);
      data->pending_kind = BW_DOCUMENT_ASSERTION;
    }
  else
    {
      JsonObject *object;
      gboolean ok;

      if (!JSON_NODE_HOLDS_OBJECT (self->assertion))
        {
          g_set_error_literal (error, BW_ERROR, BW_ERROR_NOT_A_BADGE,
                               _("badge JSON: expected an object at the top level"));
          return FALSE;
        }

      object = json_node_get_object (self->assertion);
      if (bw_ob3_is_credential (object) ||
          (self->payload != NULL && self->payload->kind == BW_PAYLOAD_KIND_VC_JWT &&
           bw_ob2_detect_version (object) != BW_SPEC_2_0 &&
           json_object_get_member (object, "credentialSubject") != NULL))
        ok = _bw_ob3_build (&sources, data, error);
      else
        ok = _bw_ob2_build (&sources, data, error);
      if (!ok)
        return FALSE;
    }

  old = g_steal_pointer (&self->data);
  self->data = g_steal_pointer (&data);

  if (!self->data->uses_badge_class)
    {
      g_clear_pointer (&self->badge_class, json_node_unref);
      g_clear_pointer (&self->badge_class_url, g_free);
    }
  if (!self->data->uses_issuer)
    {
      g_clear_pointer (&self->issuer, json_node_unref);
      g_clear_pointer (&self->issuer_url, g_free);
    }

  g_object_freeze_notify (G_OBJECT (self));
  if (g_strcmp0 (old->name, self->data->name) != 0)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NAME]);
  if (g_strcmp0 (old->description, self->data->description) != 0)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DESCRIPTION]);
  if (g_strcmp0 (old->issuer_name, self->data->issuer_name) != 0)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ISSUER_NAME]);
  if (g_strcmp0 (old->image, self->data->image) != 0)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_IMAGE]);
  if (!dates_equal (old->issued, self->data->issued))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ISSUED]);
  if (!dates_equal (old->expires, self->data->expires))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EXPIRES]);
  g_object_thaw_notify (G_OBJECT (self));

  _bw_badge_data_free (old);
  return TRUE;
}

/* Splits a compact JWS and decodes its header and payload. The signature
 * is not checked here: that is the verifier's job. */
static gboolean
decode_jws (const char  *text,
            JsonNode   **header_out,
            JsonNode   **payload_out,
            GError     **error)
{
  g_auto(GStrv) parts = NULL;
  g_autoptr(GBytes) header = NULL;
  g_autoptr(GBytes) payload = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(JsonNode) header_node = NULL;
  g_autoptr(JsonNode) payload_node = NULL;
  gsize length;
  const char *bytes;

  parts = g_strsplit (text, ".", 4);
  if (g_strv_length (parts) != 3)
    {
      g_set_error (error, BW_ERROR, BW_ERROR_MALFORMED,
                   _("JWS: expected 3 parts separated by dots, found %u"),
                   g_strv_length (parts));
      return FALSE;
    }

  header = bw_base64url_decode (parts[0], -1, &local_error);
  if (header == NULL)
    {
      g_set_error (error, BW_ERROR, BW_ERROR_MALFORMED,
                   _("JWS header: %s"), local_error->message);
      return FALSE;
    }
  bytes = g_bytes_get_data (header, &length);
  header_node = bw_json_parse (bytes != NULL ? bytes : "", length, &local_error);
  if (header_node == NULL)
    {
      g_set_error (error, BW_ERROR, g_error_matches (local_error, BW_ERROR, BW_ERROR_TOO_LARGE) ?
                   BW_ERROR_TOO_LARGE : BW_ERROR_MALFORMED,
                   _("JWS header: %s"), local_error->message);
      return FALSE;
    }
  if (!JSON_NODE_HOLDS_OBJECT (header_node))
    {
      g_set_error_literal (error, BW_ERROR, BW_ERROR_MALFORMED,
                           _("JWS header: expected a JSON object"));
      return FALSE;
    }

  payload = bw_base64url_decode (parts[1], -1, &local_error);
  if (payload == NULL)
    {
      g_set_error (error, BW_ERROR, BW_ERROR_MALFORMED,
                   _("JWS payload: %s"), local_error->message);
      return FALSE;
    }
  bytes = g_bytes_get_data (payload, &length);
  payload_node = bw_json_parse (bytes != NULL ? bytes : "", length, &local_error);
  if (payload_node == NULL)
    {
      g_set_error (error, BW_ERROR, g_error_matches (local_error, BW_ERROR, BW_ERROR_TOO_LARGE) ?
                   BW_ERROR_TOO_LARGE : BW_ERROR_MALFORMED,
                   _("JWS payload: %s"), local_error->message);
      return FALSE;
    }
  if (!JSON_NODE_HOLDS_OBJECT (payload_node))
    {
      g_set_error_literal (error, BW_ERROR, BW_ERROR_MALFORMED,
                           _("JWS payload: expected a JSON object"));
      return FALSE;
    }

  *header_out = g_steal_pointer (&header_node);
  *payload_out = g_steal_pointer (&payload_node);
  return TRUE;
}

static gboolean
looks_like_http_url (const char *text)
{
  return g_str_has_prefix (text, "https://") || g_str_has_prefix (text, "http://");
}

/**
 * bw_badge_new_from_payload:
 * @payload: a baked or file payload
 * @error: return location for an error
 *
 * Builds a badge from any payload kind without the network. A URL payload
 * gives a badge with only its hosted URL pending; a JWS or VC-JWT is
 * decoded (its signature is not checked) and kept in bw_badge_get_jws().
 *
 * Returns: (transfer full): the badge, or %NULL with @error set
 */
BwBadge *
bw_badge_new_from_payload (const BwPayload  *payload,
                           GError          **error)
{
  g_autoptr(BwBadge) self = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (payload != NULL, NULL);
  g_return_val_if_fail (payload->text != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self = g_object_new (BW_TYPE_BADGE, NULL);
  self->payload = bw_payload_copy (payload);

  switch (payload->kind)
    {
    case BW_PAYLOAD_KIND_URL:
      if (!looks_like_http_url (payload->text))
        {
          g_set_error_literal (error, BW_ERROR, BW_ERROR_MALFORMED,
                               _("payload: expected an http or https URL"));
          return NULL;
        }
      if (strlen (payload->text) > BW_BADGE_MAX_URL)
        {
          g_set_error (error, BW_ERROR, BW_ERROR_TOO_LARGE,
                       _("payload: URL of %lu bytes is over the limit of %d bytes"),
                       (gulong)strlen (payload->text), BW_BADGE_MAX_URL);
          return NULL;
        }
      self->assertion_url = g_strdup (payload->text);
      break;

    case BW_PAYLOAD_KIND_JSON:
      self->assertion = bw_json_parse (payload->text, -1, &local_error);
      if (self->assertion == NULL)
        {
          g_set_error (error, BW_ERROR, local_error->code, _("payload: %s"),
                       local_error->message);
          return NULL;
        }
      break;

    case BW_PAYLOAD_KIND_JWS:
    case BW_PAYLOAD_KIND_VC_JWT:
      {
        g_autoptr(JsonNode) header = NULL;
        g_autoptr(JsonNode) claims = NULL;
        JsonObject *object;
        JsonNode *vc;

        /* Bounded before decoding, so that a huge token costs nothing;
         * its decoded payload is bounded again as JSON. */
        if (strlen (payload->text) > BW_BADGE_MAX_JWS)
          {
            g_set_error (error, BW_ERROR, BW_ERROR_TOO_LARGE,
                         _("JWS of %lu bytes is over the limit of %d bytes"),
                         (gulong)strlen (payload->text), BW_BADGE_MAX_JWS);
            return NULL;
          }
        if (!decode_jws (payload->text, &header, &claims, error))
          return NULL;

        self->jws = g_strdup (payload->text);
        object = json_node_get_object (claims);
        vc = json_object_get_member (object, "vc");

        /* VCDM 1.1 puts the credential in the `vc` claim; VCDM 2.0 makes
         * the payload the credential itself, with the JWT claims beside
         * its members. The claims object is kept alive by jwt_claims. */
        if (vc != NULL && JSON_NODE_HOLDS_OBJECT (vc))
          self->assertion = json_node_ref (vc);
        else
          self->assertion = json_node_ref (claims);
        self->jwt_claims = g_steal_pointer (&claims);
        break;
      }

    case BW_PAYLOAD_KIND_UNKNOWN:
    default:
      g_set_error_literal (error, BW_ERROR, BW_ERROR_NOT_A_BADGE,
                           _("payload: not a URL, JSON or a compact JWS"));
      return NULL;
    }

  if (!bw_badge_rebuild (self, &local_error))
    {
      /* An SVG whose embedded assertion cannot be read still names its
       * hosted copy, which is the truth anyway. */
      if (payload->kind == BW_PAYLOAD_KIND_JSON && payload->svg_verify != NULL &&
          looks_like_http_url (payload->svg_verify) &&
          !g_error_matches (local_error, BW_ERROR, BW_ERROR_TOO_LARGE))
        {
          g_ptr_array_add (self->notes,
                           g_strdup_printf (_("the assertion in the image could not be read (%s); "
                                              "its hosted copy is used"),
                                            local_error->message));
          g_clear_pointer (&self->assertion, json_node_unref);
          self->assertion_url = g_strdup (payload->svg_verify);
          g_clear_error (&local_error);
          if (bw_badge_rebuild (self, error))
            return g_steal_pointer (&self);
          return NULL;
        }

      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  return g_steal_pointer (&self);
}

/**
 * bw_badge_new_from_json:
 * @document: an assertion or credential
 * @fetched_from: (nullable): the URL it was fetched from
 * @error: return location for an error
 *
 * Returns: (transfer full): the badge, or %NULL with @error set
 */
BwBadge *
bw_badge_new_from_json (JsonNode    *document,
                        const char  *fetched_from,
                        GError     **error)
{
  g_autoptr(BwBadge) self = NULL;

  g_return_val_if_fail (document != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self = g_object_new (BW_TYPE_BADGE, NULL);
  self->assertion = json_node_ref (document);
  self->assertion_url = g_strdup (fetched_from);

  if (!bw_badge_rebuild (self, error))
    return NULL;

  return g_steal_pointer (&self);
}

/**
 * bw_badge_new_from_file:
 * @path: a baked image, or a JSON or JWS file
 * @error: return location for an error
 *
 * Returns: (transfer full): the badge, or %NULL with @error set
 */
BwBadge *
bw_badge_new_from_file (const char  *path,
                        GError     **error)
{
  g_autoptr(BwPayload) payload = NULL;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  payload = bw_baked_read_file (path, NULL, error);
  if (payload == NULL)
    return NULL;

  return bw_badge_new_from_payload (payload, error);
}

gboolean
bw_badge_needs_fetch (BwBadge *self)
{
  g_return_val_if_fail (BW_IS_BADGE (self), FALSE);

  return self->data->pending_url != NULL;
}

/**
 * bw_badge_dup_pending_url:
 * @self: a badge
 * @kind: (out) (optional): what the URL stands for
 *
 * Returns: (transfer full) (nullable): the next document to fetch: the
 *   assertion when the payload was a URL, then the BadgeClass, then the
 *   issuer Profile
 */
char *
bw_badge_dup_pending_url (BwBadge        *self,
                          BwDocumentKind *kind)
{
  g_return_val_if_fail (BW_IS_BADGE (self), NULL);

  if (kind != NULL)
    *kind = self->data->pending_kind;
  return g_strdup (self->data->pending_url);
}

static const char *
document_label (BwDocumentKind kind)
{
  switch (kind)
    {
    case BW_DOCUMENT_BADGE_CLASS:
      return _("badge class JSON");
    case BW_DOCUMENT_ISSUER:
      return _("issuer JSON");
    case BW_DOCUMENT_ASSERTION:
    default:
      return _("assertion JSON");
    }
}

/**
 * bw_badge_resolve:
 * @self: a badge
 * @kind: what @document is
 * @url: the URL it was fetched from
 * @document: the fetched JSON
 * @error: return location for an error
 *
 * Feeds a fetched document in. An assertion may be given at any time (the
 * hosted copy replaces the baked one); a BadgeClass or issuer must be the
 * one the badge refers to, by fetch URL or declared id. When the document
 * is refused the badge is left unchanged.
 *
 * Returns: %TRUE if the document was taken
 */
gboolean
bw_badge_resolve (BwBadge         *self,
                  BwDocumentKind   kind,
                  const char      *url,
                  JsonNode        *document,
                  GError         **error)
{
  g_autoptr(JsonNode) saved_doc = NULL;
  g_autofree char *saved_url = NULL;
  JsonNode **doc_slot;
  char **url_slot;

  g_return_val_if_fail (BW_IS_BADGE (self), FALSE);
  g_return_val_if_fail (url != NULL, FALSE);
  g_return_val_if_fail (document != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  switch (kind)
    {
    case BW_DOCUMENT_BADGE_CLASS:
      doc_slot = &self->badge_class;
      url_slot = &self->badge_class_url;
      break;
    case BW_DOCUMENT_ISSUER:
      doc_slot = &self->issuer;
      url_slot = &self->issuer_url;
      break;
    case BW_DOCUMENT_ASSERTION:
    default:
      doc_slot = &self->assertion;
      url_slot = &self->assertion_url;
      break;
    }

  if (!JSON_NODE_HOLDS_OBJECT (document))
    {
      g_set_error (error, BW_ERROR, BW_ERROR_INVALID_DATA, "%s: %s",
                   document_label (kind), _("expected an object at the top level"));
      return FALSE;
    }

  saved_doc = g_steal_pointer (doc_slot);
  saved_url = g_steal_pointer (url_slot);
  *doc_slot = json_node_ref (document);
  *url_slot = g_strdup (url);

  if (bw_badge_rebuild (self, error))
    {
      if ((kind == BW_DOCUMENT_BADGE_CLASS && self->badge_class == NULL) ||
          (kind == BW_DOCUMENT_ISSUER && self->issuer == NULL))
        {
          /* The rebuild dropped it: the badge refers to another document.
           * Nothing else changed, since a document that is not used
           * contributes nothing. */
          g_set_error (error, BW_ERROR, BW_ERROR_INVALID_DATA,
                       _("%s: %s is not the document this badge refers to"),
                       document_label (kind), url);
          *doc_slot = g_steal_pointer (&saved_doc);
          *url_slot = g_steal_pointer (&saved_url);
          /* The documents are back as they were, and they built before. */
          bw_badge_rebuild (self, NULL);
          return FALSE;
        }
      return TRUE;
    }

  g_clear_pointer (doc_slot, json_node_unref);
  g_clear_pointer (url_slot, g_free);
  *doc_slot = g_steal_pointer (&saved_doc);
  *url_slot = g_steal_pointer (&saved_url);
  return FALSE;
}

const BwPayload *
bw_badge_get_payload (BwBadge *self)
{
  g_return_val_if_fail (BW_IS_BADGE (self), NULL);
  return self->payload;
}

BwSpecVersion
bw_badge_get_spec (BwBadge *self)
{
  g_return_val_if_fail (BW_IS_BADGE (self), BW_SPEC_UNKNOWN);
  return self->data->spec;
}

BwVerificationKind
bw_badge_get_verification (BwBadge *self)
{
  g_return_val_if_fail (BW_IS_BADGE (self), BW_VERIFICATION_NONE);
  return self->data->verification;
}

/* The normalized data, for the parts of the class kept in other files. */
BwBadgeData *
_bw_badge_get_data (BwBadge *self)
{
  return self->data;
}

#define STRING_GETTER(field) \
  const char * \
  bw_badge_get_##field (BwBadge *self) \
  { \
    g_return_val_if_fail (BW_IS_BADGE (self), NULL); \
    return self->data->field; \
  }

STRING_GETTER (id)
STRING_GETTER (name)
STRING_GETTER (description)
STRING_GETTER (image)
STRING_GETTER (criteria_url)
STRING_GETTER (criteria_narrative)
STRING_GETTER (badge_class_id)
STRING_GETTER (issuer_id)
STRING_GETTER (issuer_name)
STRING_GETTER (issuer_url)
STRING_GETTER (issuer_email)
STRING_GETTER (issuer_image)
STRING_GETTER (revocation_reason)
STRING_GETTER (hosted_url)
STRING_GETTER (public_url)

#undef STRING_GETTER

GDateTime *
bw_badge_get_issued (BwBadge *self)
{
  g_return_val_if_fail (BW_IS_BADGE (self), NULL);
  return self->data->issued;
}

GDateTime *
bw_badge_get_expires (BwBadge *self)
{
  g_return_val_if_fail (BW_IS_BADGE (self), NULL);
  return self->data->expires;
}

/**
 * bw_badge_get_recipients:
 *
 * Returns: (transfer none) (element-type BwRecipient): the identities
 */
GPtrArray *
bw_badge_get_recipients (BwBadge *self)
{
  g_return_val_if_fail (BW_IS_BADGE (self), NULL);
  return self->data->recipients;
}

/**
 * bw_badge_get_evidence:
 *
 * Returns: (transfer none) (element-type BwEvidence): the evidence
 */
GPtrArray *
bw_badge_get_evidence (BwBadge *self)
{
  g_return_val_if_fail (BW_IS_BADGE (self), NULL);
  return self->data->evidence;
}

/**
 * bw_badge_get_alignments:
 *
 * Returns: (transfer none) (element-type BwAlignment): the alignments
 */
GPtrArray *
bw_badge_get_alignments (BwBadge *self)
{
  g_return_val_if_fail (BW_IS_BADGE (self), NULL);
  return self->data->alignments;
}

/* An empty GPtrArray may have no storage at all, so it is shown as a
 * shared empty vector. */
static const char * const *
strv_of (GPtrArray *list)
{
  static const char * const empty[] = { NULL };

  if (list->len == 0 || list->pdata == NULL)
    return empty;
  return (const char * const *)list->pdata;
}

/**
 * bw_badge_get_tags:
 *
 * Returns: (transfer none): a %NULL-terminated array, possibly empty
 */
const char * const *
bw_badge_get_tags (BwBadge *self)
{
  g_return_val_if_fail (BW_IS_BADGE (self), NULL);
  return strv_of (self->data->tags);
}

/**
 * bw_badge_get_skills:
 *
 * Skills are the names of alignments that point into a competency
 * framework (every OB 3.0 alignment; OB 2.0 alignments with a framework or
 * code, or whose target names a skill or competency) and, for Credly
 * badges, their tags, which Credly uses for skills.
 *
 * Returns: (transfer none): a %NULL-terminated array, possibly empty
 */
const char * const *
bw_badge_get_skills (BwBadge *self)
{
  g_return_val_if_fail (BW_IS_BADGE (self), NULL);
  return strv_of (self->data->skills);
}

gboolean
bw_badge_get_revoked (BwBadge *self)
{
  g_return_val_if_fail (BW_IS_BADGE (self), FALSE);
  return self->data->revoked;
}

const char *
bw_badge_get_jws (BwBadge *self)
{
  g_return_val_if_fail (BW_IS_BADGE (self), NULL);
  return self->jws;
}

/**
 * bw_badge_get_warnings:
 *
 * Returns: (transfer none) (element-type utf8): notes about the documents
 *   that did not stop parsing (1.x forms, mismatched ids, ...)
 */
GPtrArray *
bw_badge_get_warnings (BwBadge *self)
{
  g_return_val_if_fail (BW_IS_BADGE (self), NULL);
  return self->data->warnings;
}

/**
 * bw_badge_get_assertion_document:
 *
 * Returns: (transfer none) (nullable): the assertion, or the credential
 *   (for a VCDM 1.1 VC-JWT, the `vc` claim)
 */
JsonNode *
bw_badge_get_assertion_document (BwBadge *self)
{
  g_return_val_if_fail (BW_IS_BADGE (self), NULL);
  return self->assertion;
}

JsonNode *
bw_badge_get_badge_class_document (BwBadge *self)
{
  g_return_val_if_fail (BW_IS_BADGE (self), NULL);
  return self->badge_class;
}

JsonNode *
bw_badge_get_issuer_document (BwBadge *self)
{
  g_return_val_if_fail (BW_IS_BADGE (self), NULL);
  return self->issuer;
}

/* Wallet metadata belongs to BwStore; it is not part of any document. */

const char *
bw_badge_get_wallet_id (BwBadge *self)
{
  g_return_val_if_fail (BW_IS_BADGE (self), NULL);
  return self->wallet_id;
}

void
bw_badge_set_wallet_id (BwBadge    *self,
                        const char *wallet_id)
{
  g_return_if_fail (BW_IS_BADGE (self));

  if (g_strcmp0 (self->wallet_id, wallet_id) == 0)
    return;
  g_free (self->wallet_id);
  self->wallet_id = g_strdup (wallet_id);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WALLET_ID]);
}

GDateTime *
bw_badge_get_added (BwBadge *self)
{
  g_return_val_if_fail (BW_IS_BADGE (self), NULL);
  return self->added;
}

void
bw_badge_set_added (BwBadge   *self,
                    GDateTime *added)
{
  g_return_if_fail (BW_IS_BADGE (self));

  if (added != NULL)
    g_date_time_ref (added);
  g_clear_pointer (&self->added, g_date_time_unref);
  self->added = added;
}

const char *
bw_badge_get_original_path (BwBadge *self)
{
  g_return_val_if_fail (BW_IS_BADGE (self), NULL);
  return self->original_path;
}

void
bw_badge_set_original_path (BwBadge    *self,
                            const char *path)
{
  g_return_if_fail (BW_IS_BADGE (self));

  if (self->original_path == path)
    return;
  g_free (self->original_path);
  self->original_path = g_strdup (path);
}

const char *
bw_badge_get_last_verdict (BwBadge *self)
{
  g_return_val_if_fail (BW_IS_BADGE (self), NULL);
  return self->last_verdict;
}

GDateTime *
bw_badge_get_last_checked (BwBadge *self)
{
  g_return_val_if_fail (BW_IS_BADGE (self), NULL);
  return self->last_checked;
}

void
bw_badge_set_last_verification (BwBadge    *self,
                                const char *verdict,
                                GDateTime  *checked)
{
  g_return_if_fail (BW_IS_BADGE (self));

  g_object_freeze_notify (G_OBJECT (self));

  if (g_strcmp0 (self->last_verdict, verdict) != 0)
    {
      g_free (self->last_verdict);
      self->last_verdict = g_strdup (verdict);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_VERDICT]);
    }

  if (!dates_equal (self->last_checked, checked))
    {
      if (checked != NULL)
        g_date_time_ref (checked);
      g_clear_pointer (&self->last_checked, g_date_time_unref);
      self->last_checked = checked;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_CHECKED]);
    }

  g_object_thaw_notify (G_OBJECT (self));
}
