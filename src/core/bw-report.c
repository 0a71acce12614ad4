/* bw-report.c
 *
 * Copyright 2026 The Badge Wallet authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bw-report"

#include "config.h"

#include <glib/gi18n.h>

#include "bw-error.h"
#include "bw-report.h"
#include "bw-util.h"

struct _BwReport
{
  GObject           parent_instance;

  BwVerdict         verdict;
  BwRecipientMatch  recipient_match;
  char             *matched_identity;
  char             *recipient_type;
  gboolean          recipient_hashed;
  gboolean          recipient_info_set;
  BwBadge          *badge;
  JsonNode         *badge_json;
  GDateTime        *checked;
  GPtrArray        *checks;
  GPtrArray        *documents;
  char             *input;
  char             *spec;
  char             *verification;
};

G_DEFINE_FINAL_TYPE (BwReport, bw_report, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_VERDICT,
  PROP_RECIPIENT_MATCH,
  PROP_BADGE,
  PROP_CHECKED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char * const verdict_names[] = {
  "valid", "expired", "revoked", "invalid", "unreachable",
};

static const char * const status_names[] = {
  "pass", "fail", "warn", "skip",
};

const char *
bw_verdict_to_string (BwVerdict verdict)
{
  g_return_val_if_fail ((guint)verdict < G_N_ELEMENTS (verdict_names), NULL);

  return verdict_names[verdict];
}

gboolean
bw_verdict_from_string (const char *text,
                        BwVerdict  *verdict)
{
  g_return_val_if_fail (verdict != NULL, FALSE);

  for (guint i = 0; text != NULL && i < G_N_ELEMENTS (verdict_names); i++)
    {
      if (g_str_equal (text, verdict_names[i]))
        {
          *verdict = (BwVerdict)i;
          return TRUE;
        }
    }
  return FALSE;
}

const char *
bw_check_status_to_string (BwCheckStatus status)
{
  g_return_val_if_fail ((guint)status < G_N_ELEMENTS (status_names), NULL);

  return status_names[status];
}

gboolean
bw_check_status_from_string (const char    *text,
                             BwCheckStatus *status)
{
  g_return_val_if_fail (status != NULL, FALSE);

  for (guint i = 0; text != NULL && i < G_N_ELEMENTS (status_names); i++)
    {
      if (g_str_equal (text, status_names[i]))
        {
          *status = (BwCheckStatus)i;
          return TRUE;
        }
    }
  return FALSE;
}

BwCheck *
bw_check_new (const char    *id,
              BwCheckStatus  status,
              const char    *message)
{
  BwCheck *check;

  g_return_val_if_fail (id != NULL, NULL);

  check = g_new0 (BwCheck, 1);
  check->id = g_strdup (id);
  check->status = status;
  check->message = g_strdup (message != NULL ? message : "");
  return check;
}

BwCheck *
bw_check_copy (const BwCheck *check)
{
  g_return_val_if_fail (check != NULL, NULL);

  return bw_check_new (check->id, check->status, check->message);
}

void
bw_check_free (BwCheck *check)
{
  if (check == NULL)
    return;
  g_free (check->id);
  g_free (check->message);
  g_free (check);
}

void
bw_report_document_free (BwReportDocument *document)
{
  if (document == NULL)
    return;
  g_free (document->role);
  g_free (document->url);
  g_clear_pointer (&document->document, json_node_unref);
  g_free (document);
}

static gboolean
set_string (char       **field,
            const char  *value)
{
  if (g_strcmp0 (*field, value) == 0)
    return FALSE;
  g_free (*field);
  *field = g_strdup (value);
  return TRUE;
}

static void
bw_report_finalize (GObject *object)
{
  BwReport *self = (BwReport *)object;

  g_clear_object (&self->badge);
  g_clear_pointer (&self->badge_json, json_node_unref);
  g_clear_pointer (&self->checked, g_date_time_unref);
  g_clear_pointer (&self->checks, g_ptr_array_unref);
  g_clear_pointer (&self->documents, g_ptr_array_unref);
  g_clear_pointer (&self->matched_identity, g_free);
  g_clear_pointer (&self->recipient_type, g_free);
  g_clear_pointer (&self->input, g_free);
  g_clear_pointer (&self->spec, g_free);
  g_clear_pointer (&self->verification, g_free);

  G_OBJECT_CLASS (bw_report_parent_class)->finalize (object);
}

static void
bw_report_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  BwReport *self = BW_REPORT (object);

  switch (prop_id)
    {
    case PROP_VERDICT:
      g_value_set_uint (value, self->verdict);
      break;

    case PROP_RECIPIENT_MATCH:
      g_value_set_uint (value, self->recipient_match);
      break;

    case PROP_BADGE:
      g_value_set_object (value, self->badge);
      break;

    case PROP_CHECKED:
      g_value_set_boxed (value, self->checked);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bw_report_class_init (BwReportClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = bw_report_finalize;
  object_class->get_property = bw_report_get_property;

  properties[PROP_VERDICT] =
    g_param_spec_uint ("verdict", NULL, NULL,
                       0, BW_VERDICT_UNREACHABLE, BW_VERDICT_VALID,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_RECIPIENT_MATCH] =
    g_param_spec_uint ("recipient-match", NULL, NULL,
                       0, BW_MATCH_MISMATCH, BW_MATCH_UNKNOWN,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_BADGE] =
    g_param_spec_object ("badge", NULL, NULL, BW_TYPE_BADGE,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CHECKED] =
    g_param_spec_boxed ("checked", NULL, NULL, G_TYPE_DATE_TIME,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
bw_report_init (BwReport *self)
{
  self->verdict = BW_VERDICT_VALID;
  self->recipient_match = BW_MATCH_UNKNOWN;
  self->checks = g_ptr_array_new_with_free_func ((GDestroyNotify)bw_check_free);
  self->documents = g_ptr_array_new_with_free_func ((GDestroyNotify)bw_report_document_free);
  self->checked = g_date_time_new_now_utc ();
}

/**
 * bw_report_new:
 *
 * Returns: (transfer full): an empty report, verdict valid, checked now
 */
BwReport *
bw_report_new (void)
{
  return g_object_new (BW_TYPE_REPORT, NULL);
}

BwVerdict
bw_report_get_verdict (BwReport *self)
{
  g_return_val_if_fail (BW_IS_REPORT (self), BW_VERDICT_INVALID);

  return self->verdict;
}

void
bw_report_set_verdict (BwReport  *self,
                       BwVerdict  verdict)
{
  g_return_if_fail (BW_IS_REPORT (self));

  if (self->verdict == verdict)
    return;
  self->verdict = verdict;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VERDICT]);
}

BwRecipientMatch
bw_report_get_recipient_match (BwReport *self)
{
  g_return_val_if_fail (BW_IS_REPORT (self), BW_MATCH_UNKNOWN);

  return self->recipient_match;
}

/**
 * bw_report_get_matched_identity:
 *
 * Returns: (nullable): the identity (as `type:value`) that matched
 */
const char *
bw_report_get_matched_identity (BwReport *self)
{
  g_return_val_if_fail (BW_IS_REPORT (self), NULL);

  return self->matched_identity;
}

void
bw_report_set_recipient (BwReport         *self,
                         BwRecipientMatch  match,
                         const char       *matched_identity)
{
  g_return_if_fail (BW_IS_REPORT (self));

  set_string (&self->matched_identity, matched_identity);
  if (self->recipient_match == match)
    return;
  self->recipient_match = match;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RECIPIENT_MATCH]);
}

/**
 * bw_report_set_recipient_info:
 * @type: (nullable): the recipient identity type the badge names
 * @hashed: whether the badge holds it hashed
 *
 * Sets the `recipient` object's `type` and `hashed` members explicitly,
 * which otherwise come from the badge's first recipient.
 */
void
bw_report_set_recipient_info (BwReport   *self,
                              const char *type,
                              gboolean    hashed)
{
  g_return_if_fail (BW_IS_REPORT (self));

  set_string (&self->recipient_type, type);
  self->recipient_hashed = hashed;
  self->recipient_info_set = TRUE;
}

/**
 * bw_report_get_badge:
 *
 * Returns: (transfer none) (nullable): the badge as verified
 */
BwBadge *
bw_report_get_badge (BwReport *self)
{
  g_return_val_if_fail (BW_IS_REPORT (self), NULL);

  return self->badge;
}

void
bw_report_set_badge (BwReport *self,
                     BwBadge  *badge)
{
  g_return_if_fail (BW_IS_REPORT (self));
  g_return_if_fail (badge == NULL || BW_IS_BADGE (badge));

  if (g_set_object (&self->badge, badge))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BADGE]);
}

/**
 * bw_report_get_checked:
 *
 * Returns: (transfer none): when the verification ran
 */
GDateTime *
bw_report_get_checked (BwReport *self)
{
  g_return_val_if_fail (BW_IS_REPORT (self), NULL);

  return self->checked;
}

void
bw_report_set_checked (BwReport  *self,
                       GDateTime *checked)
{
  g_return_if_fail (BW_IS_REPORT (self));
  g_return_if_fail (checked != NULL);

  if (self->checked != NULL && g_date_time_equal (self->checked, checked))
    return;
  g_clear_pointer (&self->checked, g_date_time_unref);
  self->checked = g_date_time_ref (checked);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CHECKED]);
}

/**
 * bw_report_get_checks:
 *
 * Returns: (transfer none) (element-type BwCheck): the checks, in the order run
 */
GPtrArray *
bw_report_get_checks (BwReport *self)
{
  g_return_val_if_fail (BW_IS_REPORT (self), NULL);

  return self->checks;
}

/**
 * bw_report_get_check:
 * @id: a check id
 *
 * Returns: (nullable): the last check with @id
 */
const BwCheck *
bw_report_get_check (BwReport   *self,
                     const char *id)
{
  g_return_val_if_fail (BW_IS_REPORT (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  for (guint i = self->checks->len; i > 0; i--)
    {
      const BwCheck *check = g_ptr_array_index (self->checks, i - 1);

      if (g_str_equal (check->id, id))
        return check;
    }
  return NULL;
}

void
bw_report_add_check (BwReport      *self,
                     const char    *id,
                     BwCheckStatus  status,
                     const char    *format,
                     ...)
{
  g_autofree char *message = NULL;
  va_list args;

  g_return_if_fail (BW_IS_REPORT (self));
  g_return_if_fail (id != NULL);
  g_return_if_fail (format != NULL);

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  g_ptr_array_add (self->checks, bw_check_new (id, status, message));
}

/**
 * bw_report_get_reason:
 *
 * Returns: (nullable): the message of the first failing check, the one
 *   that best explains a verdict other than valid; without one, the first
 *   check that was skipped (what could not be confirmed)
 */
const char *
bw_report_get_reason (BwReport *self)
{
  BwCheckStatus wanted[] = { BW_CHECK_FAIL, BW_CHECK_SKIP };

  g_return_val_if_fail (BW_IS_REPORT (self), NULL);

  for (guint w = 0; w < G_N_ELEMENTS (wanted); w++)
    {
      for (guint i = 0; i < self->checks->len; i++)
        {
          const BwCheck *check = g_ptr_array_index (self->checks, i);

          if (check->status == wanted[w] && !g_str_equal (check->id, "recipient"))
            return check->message;
        }
    }
  return NULL;
}

const char *
bw_report_get_input (BwReport *self)
{
  g_return_val_if_fail (BW_IS_REPORT (self), NULL);

  return self->input;
}

void
bw_report_set_input (BwReport   *self,
                     const char *input)
{
  g_return_if_fail (BW_IS_REPORT (self));

  set_string (&self->input, input);
}

/**
 * bw_report_get_spec:
 *
 * Returns: (nullable): `1.0`, `1.1`, `2.0`, `3.0` (cli.md), or %NULL when
 *   the input is no badge
 */
const char *
bw_report_get_spec (BwReport *self)
{
  g_return_val_if_fail (BW_IS_REPORT (self), NULL);

  return self->spec;
}

void
bw_report_set_spec (BwReport   *self,
                    const char *spec)
{
  g_return_if_fail (BW_IS_REPORT (self));

  set_string (&self->spec, spec);
}

/**
 * bw_report_get_verification:
 *
 * Returns: `hosted`, `signed`, `proof` or `none`
 */
const char *
bw_report_get_verification (BwReport *self)
{
  g_return_val_if_fail (BW_IS_REPORT (self), NULL);

  return self->verification != NULL ? self->verification : "none";
}

void
bw_report_set_verification (BwReport   *self,
                            const char *verification)
{
  g_return_if_fail (BW_IS_REPORT (self));

  set_string (&self->verification, verification);
}

/**
 * bw_report_add_document:
 * @role: what the document is
 * @url: (nullable): where it was fetched from
 * @document: (nullable): the parsed JSON (a reference is taken)
 *
 * Keeps a document the verification relied on.
 */
void
bw_report_add_document (BwReport   *self,
                        const char *role,
                        const char *url,
                        JsonNode   *document)
{
  BwReportDocument *doc;

  g_return_if_fail (BW_IS_REPORT (self));
  g_return_if_fail (role != NULL);

  doc = g_new0 (BwReportDocument, 1);
  doc->role = g_strdup (role);
  doc->url = g_strdup (url);
  doc->document = document != NULL ? json_node_ref (document) : NULL;
  g_ptr_array_add (self->documents, doc);
}

/**
 * bw_report_get_documents:
 *
 * Returns: (transfer none) (element-type BwReportDocument): the documents
 *   fetched or read, in order
 */
GPtrArray *
bw_report_get_documents (BwReport *self)
{
  g_return_val_if_fail (BW_IS_REPORT (self), NULL);

  return self->documents;
}

static void
recipient_info (BwReport    *self,
                const char **type,
                gboolean    *hashed)
{
  *type = NULL;
  *hashed = FALSE;

  if (self->recipient_info_set)
    {
      *type = self->recipient_type;
      *hashed = self->recipient_hashed;
    }
  else if (self->badge != NULL)
    {
      GPtrArray *recipients = bw_badge_get_recipients (self->badge);

      if (recipients != NULL && recipients->len > 0)
        {
          const BwRecipient *recipient = g_ptr_array_index (recipients, 0);

          *type = recipient->type;
          *hashed = recipient->hashed;
        }
    }
}

/**
 * bw_report_to_json:
 *
 * Returns: (transfer full): the cli.md `verify --json` object, plus
 *   `checked` (when the verification ran) and `documents` (role and URL of
 *   every document relied on)
 */
JsonNode *
bw_report_to_json (BwReport *self)
{
  g_autoptr(JsonBuilder) builder = NULL;
  g_autofree char *checked = NULL;
  const char *recipient_type;
  gboolean recipient_hashed;

  g_return_val_if_fail (BW_IS_REPORT (self), NULL);

  builder = json_builder_new_immutable ();
  json_builder_begin_object (builder);

  bw_json_builder_add_string (builder, "input", self->input);
  bw_json_builder_add_string (builder, "verdict", bw_verdict_to_string (self->verdict));
  bw_json_builder_add_string (builder, "spec", self->spec);
  bw_json_builder_add_string (builder, "verification", bw_report_get_verification (self));

  json_builder_set_member_name (builder, "badge");
  if (self->badge != NULL)
    json_builder_add_value (builder, bw_badge_to_json (self->badge));
  else if (self->badge_json != NULL)
    json_builder_add_value (builder, json_node_copy (self->badge_json));
  else
    json_builder_add_null_value (builder);

  recipient_info (self, &recipient_type, &recipient_hashed);
  json_builder_set_member_name (builder, "recipient");
  json_builder_begin_object (builder);
  bw_json_builder_add_string (builder, "type", recipient_type);
  json_builder_set_member_name (builder, "hashed");
  json_builder_add_boolean_value (builder, recipient_hashed);
  bw_json_builder_add_string (builder, "match",
                              bw_recipient_match_to_string (self->recipient_match));
  if (self->matched_identity != NULL)
    bw_json_builder_add_string (builder, "identity", self->matched_identity);
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "checks");
  json_builder_begin_array (builder);
  for (guint i = 0; i < self->checks->len; i++)
    {
      const BwCheck *check = g_ptr_array_index (self->checks, i);

      json_builder_begin_object (builder);
      bw_json_builder_add_string (builder, "id", check->id);
      bw_json_builder_add_string (builder, "status", bw_check_status_to_string (check->status));
      bw_json_builder_add_string (builder, "message", check->message);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  checked = bw_format_datetime (self->checked);
  bw_json_builder_add_string (builder, "checked", checked);

  json_builder_set_member_name (builder, "documents");
  json_builder_begin_array (builder);
  for (guint i = 0; i < self->documents->len; i++)
    {
      const BwReportDocument *doc = g_ptr_array_index (self->documents, i);

      json_builder_begin_object (builder);
      bw_json_builder_add_string (builder, "role", doc->role);
      bw_json_builder_add_string (builder, "url", doc->url);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

/**
 * bw_report_to_json_string:
 *
 * Returns: (transfer full): the JSON object on one line (JSON Lines)
 */
char *
bw_report_to_json_string (BwReport *self)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonGenerator) generator = NULL;

  g_return_val_if_fail (BW_IS_REPORT (self), NULL);

  root = bw_report_to_json (self);
  generator = json_generator_new ();
  json_generator_set_pretty (generator, FALSE);
  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, NULL);
}

static BwRecipientMatch
match_from_string (const char *text)
{
  if (g_strcmp0 (text, "match") == 0)
    return BW_MATCH_MATCH;
  if (g_strcmp0 (text, "mismatch") == 0)
    return BW_MATCH_MISMATCH;
  return BW_MATCH_UNKNOWN;
}

/**
 * bw_report_new_from_json_string:
 * @json: what bw_report_to_json_string() wrote
 * @error: return location for an error
 *
 * Restores a saved report. The badge is restored as its JSON only
 * (bw_report_get_badge() returns %NULL); the documents keep their role and
 * URL but not their contents.
 *
 * Returns: (transfer full): the report
 */
BwReport *
bw_report_new_from_json_string (const char  *json,
                                GError     **error)
{
  g_autoptr(BwReport) self = NULL;
  g_autoptr(JsonNode) root = NULL;
  JsonObject *object;
  JsonNode *node;
  BwVerdict verdict;
  const char *text;

  g_return_val_if_fail (json != NULL, NULL);

  root = bw_json_parse (json, -1, error);
  if (root == NULL)
    {
      g_prefix_error (error, "saved report: ");
      return NULL;
    }
  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error_literal (error, BW_ERROR, BW_ERROR_INVALID_DATA,
                           "saved report: expected a JSON object");
      return NULL;
    }
  object = json_node_get_object (root);

  if (!bw_verdict_from_string (bw_json_object_get_string (object, "verdict"), &verdict))
    {
      g_set_error_literal (error, BW_ERROR, BW_ERROR_INVALID_DATA,
                           "saved report: 'verdict' is missing or unknown");
      return NULL;
    }

  self = bw_report_new ();
  self->verdict = verdict;
  set_string (&self->input, bw_json_object_get_string (object, "input"));
  set_string (&self->spec, bw_json_object_get_string (object, "spec"));
  set_string (&self->verification, bw_json_object_get_string (object, "verification"));

  node = json_object_get_member (object, "badge");
  if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
    self->badge_json = json_node_copy (node);

  node = json_object_get_member (object, "recipient");
  if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *recipient = json_node_get_object (node);
      JsonNode *hashed = json_object_get_member (recipient, "hashed");

      self->recipient_match = match_from_string (bw_json_object_get_string (recipient, "match"));
      set_string (&self->matched_identity, bw_json_object_get_string (recipient, "identity"));
      set_string (&self->recipient_type, bw_json_object_get_string (recipient, "type"));
      self->recipient_hashed = hashed != NULL && JSON_NODE_HOLDS_VALUE (hashed) &&
                               json_node_get_value_type (hashed) == G_TYPE_BOOLEAN &&
                               json_node_get_boolean (hashed);
      self->recipient_info_set = TRUE;
    }

  text = bw_json_object_get_string (object, "checked");
  if (text != NULL)
    {
      g_autoptr(GDateTime) checked = bw_parse_datetime (text, TRUE);

      if (checked != NULL)
        {
          g_clear_pointer (&self->checked, g_date_time_unref);
          self->checked = g_steal_pointer (&checked);
        }
    }

  node = json_object_get_member (object, "checks");
  if (node != NULL && JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *element = json_array_get_element (array, i);
          JsonObject *check;
          BwCheckStatus status;
          const char *id;

          if (!JSON_NODE_HOLDS_OBJECT (element))
            continue;
          check = json_node_get_object (element);
          id = bw_json_object_get_string (check, "id");
          if (id == NULL ||
              !bw_check_status_from_string (bw_json_object_get_string (check, "status"), &status))
            {
              g_set_error (error, BW_ERROR, BW_ERROR_INVALID_DATA,
                           "saved report: check %u has no valid 'id' or 'status'", i);
              return NULL;
            }
          g_ptr_array_add (self->checks,
                           bw_check_new (id, status, bw_json_object_get_string (check, "message")));
        }
    }

  node = json_object_get_member (object, "documents");
  if (node != NULL && JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *element = json_array_get_element (array, i);
          JsonObject *doc;
          const char *role;

          if (!JSON_NODE_HOLDS_OBJECT (element))
            continue;
          doc = json_node_get_object (element);
          role = bw_json_object_get_string (doc, "role");
          if (role != NULL)
            bw_report_add_document (self, role, bw_json_object_get_string (doc, "url"), NULL);
        }
    }

  return g_steal_pointer (&self);
}

static const char *
recipient_phrase (BwReport *self)
{
  const char *type = NULL;
  gboolean hashed;

  if (self->matched_identity != NULL && g_str_has_prefix (self->matched_identity, "url:"))
    type = "url";
  else if (self->matched_identity != NULL && g_str_has_prefix (self->matched_identity, "telephone:"))
    type = "telephone";
  else if (self->matched_identity != NULL && g_str_has_prefix (self->matched_identity, "email:"))
    type = "email";
  else
    recipient_info (self, &type, &hashed);

  if (g_strcmp0 (type, "url") == 0 || g_strcmp0 (type, "id") == 0)
    return _("the web address you entered");
  if (g_strcmp0 (type, "telephone") == 0)
    return _("the phone number you entered");
  if (g_strcmp0 (type, "email") == 0 || g_strcmp0 (type, "emailAddress") == 0)
    return _("the e-mail you entered");
  return _("the identity you entered");
}

static char *
badge_field (BwReport   *self,
             const char *member)
{
  JsonObject *object;
  const char *value;

  if (self->badge != NULL)
    {
      if (g_str_equal (member, "issuer"))
        return g_strdup (bw_badge_get_issuer_name (self->badge));
      if (g_str_equal (member, "name"))
        return g_strdup (bw_badge_get_name (self->badge));
      if (g_str_equal (member, "issued"))
        return bw_format_datetime (bw_badge_get_issued (self->badge));
      if (g_str_equal (member, "expires"))
        return bw_format_datetime (bw_badge_get_expires (self->badge));
      return NULL;
    }

  if (self->badge_json == NULL)
    return NULL;
  object = json_node_get_object (self->badge_json);
  if (g_str_equal (member, "issuer"))
    {
      JsonNode *issuer = json_object_get_member (object, "issuer");

      if (issuer == NULL || !JSON_NODE_HOLDS_OBJECT (issuer))
        return NULL;
      value = bw_json_object_get_string (json_node_get_object (issuer), "name");
    }
  else
    value = bw_json_object_get_string (object, member);
  return g_strdup (value);
}

static char *
format_day (const char *iso)
{
  g_autoptr(GDateTime) datetime = bw_parse_datetime (iso, FALSE);

  if (datetime == NULL)
    return NULL;
  /* Translators: a date as in "12 March 2024"; see g_date_time_format(). */
  return g_date_time_format (datetime, _("%-d %B %Y"));
}

/**
 * bw_report_dup_summary:
 *
 * Says the verdict the way a recruiter reads it, e.g. "Valid — issued by
 * Microsoft to the e-mail you entered, 12 March 2024".
 *
 * Returns: (transfer full): one translated sentence
 */
char *
bw_report_dup_summary (BwReport *self)
{
  g_autofree char *issuer = NULL;
  g_autofree char *issued_iso = NULL;
  g_autofree char *expires_iso = NULL;
  g_autofree char *issued = NULL;
  g_autofree char *expires = NULL;
  g_autoptr(GString) detail = NULL;
  const char *reason;

  g_return_val_if_fail (BW_IS_REPORT (self), NULL);

  issuer = badge_field (self, "issuer");
  issued_iso = badge_field (self, "issued");
  expires_iso = badge_field (self, "expires");
  issued = format_day (issued_iso);
  expires = format_day (expires_iso);
  reason = bw_report_get_reason (self);

  detail = g_string_new (NULL);
  if (issuer != NULL)
    g_string_append_printf (detail, _("issued by %s"), issuer);
  else
    g_string_append (detail, _("issuer unknown"));

  if (self->recipient_match == BW_MATCH_MATCH)
    {
      g_string_append_c (detail, ' ');
      g_string_append_printf (detail, _("to %s"), recipient_phrase (self));
    }
  if (issued != NULL)
    g_string_append_printf (detail, ", %s", issued);
  if (self->recipient_match == BW_MATCH_MISMATCH)
    {
      g_string_append (detail, "; ");
      g_string_append_printf (detail, _("but NOT to %s"), recipient_phrase (self));
    }

  switch (self->verdict)
    {
    case BW_VERDICT_VALID:
      /* Translators: the verdict, then who issued the badge to whom and when. */
      return g_strdup_printf (_("Valid — %s"), detail->str);

    case BW_VERDICT_EXPIRED:
      if (expires != NULL)
        return g_strdup_printf (_("Expired on %s — %s"), expires, detail->str);
      return g_strdup_printf (_("Expired — %s"), detail->str);

    case BW_VERDICT_REVOKED:
      if (reason != NULL)
        return g_strdup_printf (_("Revoked by the issuer — %s. %s"), detail->str, reason);
      return g_strdup_printf (_("Revoked by the issuer — %s"), detail->str);

    case BW_VERDICT_INVALID:
      if (reason != NULL)
        return g_strdup_printf (_("Not valid — %s"), reason);
      return g_strdup (_("Not valid — this is not a genuine Open Badge"));

    case BW_VERDICT_UNREACHABLE:
    default:
      if (reason != NULL)
        return g_strdup_printf (_("Cannot be confirmed — %s"), reason);
      return g_strdup (_("Cannot be confirmed — the issuer could not be reached"));
    }
}
