/* bw-badge-page.c
 *
 * Copyright 2026 The Badge Wallet authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bw-badge-page"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "bw-badge-page.h"
#include "bw-badge-picture.h"
#include "bw-share-dialog.h"
#include "bw-widgets.h"

struct _BwBadgePage
{
  AdwBin               parent_instance;

  BwStore             *store;
  BwVerifier          *verifier;
  BwBadge             *badge;
  BwReport            *report;
  GCancellable        *cancellable;
  GPtrArray           *check_rows;
  char                *verify_error;

  BwBadgePicture      *picture;
  GtkLabel            *name_label;
  GtkLabel            *issuer_label;
  GtkLabel            *domain_label;
  GtkButton           *share_button;
  AdwActionRow        *verdict_row;
  GtkImage            *verdict_icon;
  GtkSpinner          *verify_spinner;
  GtkButton           *verify_button;
  AdwExpanderRow      *checks_row;
  AdwActionRow        *issued_row;
  AdwActionRow        *expires_row;
  AdwActionRow        *recipient_row;
  AdwActionRow        *issuer_row;
  AdwPreferencesGroup *description_group;
  GtkLabel            *description_label;
  AdwPreferencesGroup *criteria_group;
  GtkLabel            *criteria_label;
  GtkListBox          *criteria_list;
  AdwPreferencesGroup *skills_group;
  GtkFlowBox          *skills_box;
  AdwPreferencesGroup *tags_group;
  GtkFlowBox          *tags_box;
  AdwPreferencesGroup *alignments_group;
  AdwPreferencesGroup *evidence_group;
  GtkButton           *remove_button;
};

G_DEFINE_FINAL_TYPE (BwBadgePage, bw_badge_page, ADW_TYPE_BIN)

enum
{
  PROP_0,
  PROP_STORE,
  PROP_VERIFIER,
  PROP_BADGE,
  PROP_VERIFYING,
  N_PROPS
};

enum
{
  REMOVE_REQUESTED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static gboolean
has_text (const char *text)
{
  return text != NULL && *text != '\0';
}

static const char *
identity_type_label (const char *type)
{
  if (g_strcmp0 (type, "email") == 0 || g_strcmp0 (type, "emailAddress") == 0)
    return _("e-mail address");
  if (g_strcmp0 (type, "url") == 0)
    return _("web address");
  if (g_strcmp0 (type, "telephone") == 0 || g_strcmp0 (type, "phoneNumber") == 0)
    return _("telephone number");

  return _("identifier");
}

static char *
dup_recipient_text (BwBadge  *badge,
                    BwReport *report)
{
  GPtrArray *recipients = bw_badge_get_recipients (badge);
  const BwRecipient *recipient;

  if (report != NULL && bw_report_get_recipient_match (report) == BW_MATCH_MATCH &&
      has_text (bw_report_get_matched_identity (report)))
    {
      static const char * const types[] = { "email:", "url:", "telephone:", "id:" };
      const char *identity = bw_report_get_matched_identity (report);

      /* The report names the identity as "type:value"; the value is what
       * the user knows. */
      for (guint i = 0; i < G_N_ELEMENTS (types); i++)
        {
          if (g_str_has_prefix (identity, types[i]))
            identity += strlen (types[i]);
        }

      /* Translators: %s is an e-mail address or other identity of the user. */
      return g_strdup_printf (_("%s (one of your identities)"), identity);
    }

  if (recipients == NULL || recipients->len == 0)
    return g_strdup (_("Not stated in the badge"));

  recipient = g_ptr_array_index (recipients, 0);
  if (!recipient->hashed && has_text (recipient->identity))
    return g_strdup (recipient->identity);

  /* Translators: %s is "e-mail address", "web address", ... */
  return g_strdup_printf (_("A hidden %s, checked against your identities"),
                          identity_type_label (recipient->type));
}

static char *
dup_expiry_text (GDateTime *expires)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *date = NULL;
  GTimeSpan left;
  int days;

  if (expires == NULL)
    return g_strdup (_("Never"));

  date = bw_widgets_format_date (expires);
  left = g_date_time_difference (expires, now);
  if (left <= 0)
    /* Translators: %s is a date in the past. */
    return g_strdup_printf (_("%s (expired)"), date);

  days = (int) (left / G_TIME_SPAN_DAY);
  if (days <= BW_WIDGETS_EXPIRING_DAYS)
    /* Translators: %s is a date, %d how many days are left until then. */
    return g_strdup_printf (ngettext ("%s (in %d day)", "%s (in %d days)", days), date, days);

  return g_steal_pointer (&date);
}

static void
fill_pills (AdwPreferencesGroup *group,
            GtkFlowBox          *box,
            const char * const  *values)
{
  gboolean any = FALSE;

  for (guint i = 0; values != NULL && values[i] != NULL; i++)
    {
      GtkWidget *label;

      if (!has_text (values[i]))
        continue;

      label = gtk_label_new (values[i]);
      gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
      gtk_label_set_max_width_chars (GTK_LABEL (label), 40);
      gtk_widget_add_css_class (label, "tag-pill");
      gtk_flow_box_append (box, label);
      any = TRUE;
    }

  gtk_widget_set_visible (GTK_WIDGET (group), any);
}

static void
fill_alignments (BwBadgePage *self)
{
  GPtrArray *alignments = bw_badge_get_alignments (self->badge);
  guint shown = 0;

  for (guint i = 0; alignments != NULL && i < alignments->len; i++)
    {
      const BwAlignment *alignment = g_ptr_array_index (alignments, i);
      g_autofree char *subtitle = NULL;
      GtkWidget *row;

      if (!has_text (alignment->target_name))
        continue;

      if (has_text (alignment->target_framework) && has_text (alignment->target_code))
        subtitle = g_strdup_printf ("%s · %s", alignment->target_framework,
                                    alignment->target_code);
      else if (has_text (alignment->target_framework))
        subtitle = g_strdup (alignment->target_framework);
      else if (has_text (alignment->target_code))
        subtitle = g_strdup (alignment->target_code);
      else if (has_text (alignment->target_description))
        subtitle = g_strdup (alignment->target_description);

      row = bw_widgets_link_row_new (alignment->target_name, subtitle, alignment->target_url);
      adw_preferences_group_add (self->alignments_group, row);
      shown++;
    }

  gtk_widget_set_visible (GTK_WIDGET (self->alignments_group), shown > 0);
}

static void
fill_evidence (BwBadgePage *self)
{
  GPtrArray *evidence = bw_badge_get_evidence (self->badge);
  guint shown = 0;

  for (guint i = 0; evidence != NULL && i < evidence->len; i++)
    {
      const BwEvidence *item = g_ptr_array_index (evidence, i);
      const char *title;
      const char *subtitle;
      GtkWidget *row;

      title = has_text (item->name) ? item->name
              : has_text (item->id) ? item->id
              : has_text (item->narrative) ? item->narrative
              : NULL;
      if (title == NULL)
        continue;

      subtitle = has_text (item->description) ? item->description : NULL;
      if (subtitle == NULL && title != item->id && has_text (item->id))
        subtitle = item->id;

      row = bw_widgets_link_row_new (title, subtitle, item->id);
      adw_preferences_group_add (self->evidence_group, row);
      shown++;
    }

  gtk_widget_set_visible (GTK_WIDGET (self->evidence_group), shown > 0);
}

static void
fill_badge (BwBadgePage *self)
{
  BwBadge *badge = self->badge;
  const char *name = bw_badge_get_name (badge);
  const char *issuer = bw_badge_get_issuer_name (badge);
  const char *issuer_url = bw_badge_get_issuer_url (badge);
  const char *criteria_url = bw_badge_get_criteria_url (badge);
  const char *narrative = bw_badge_get_criteria_narrative (badge);
  const char *description;
  g_autofree char *domain = NULL;
  g_autofree char *issued = NULL;
  g_autofree char *expires = NULL;
  g_autofree char *issued_by = NULL;
  g_autofree char *image_label = NULL;

  if (!has_text (name))
    name = _("Untitled Badge");
  if (!has_text (issuer))
    issuer = _("Unknown issuer");

  gtk_label_set_label (self->name_label, name);
  /* Translators: %s is the name of the organisation that issued the badge. */
  issued_by = g_strdup_printf (_("Issued by %s"), issuer);
  gtk_label_set_label (self->issuer_label, issued_by);

  /* The domain of the issuer's own web address, or else of its id: what a
   * reader should compare with the organisation they expect. */
  domain = bw_widgets_dup_domain (issuer_url);
  if (domain == NULL)
    domain = bw_widgets_dup_domain (bw_badge_get_issuer_id (badge));
  gtk_label_set_label (self->domain_label, domain != NULL ? domain : "");
  gtk_widget_set_visible (GTK_WIDGET (self->domain_label), domain != NULL);
  if (domain != NULL)
    gtk_widget_set_tooltip_text (GTK_WIDGET (self->domain_label), _("The issuer’s web domain"));

  image_label = g_strdup_printf (_("Badge image: %s"), name);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->picture),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, image_label,
                                  -1);
  bw_badge_picture_set_badge (self->picture, self->store, badge);

  if (bw_badge_get_issued (badge) != NULL)
    issued = bw_widgets_format_date (bw_badge_get_issued (badge));
  else
    issued = g_strdup (_("Unknown"));
  adw_action_row_set_subtitle (self->issued_row, issued);
  expires = dup_expiry_text (bw_badge_get_expires (badge));
  adw_action_row_set_subtitle (self->expires_row, expires);

  {
    g_autofree char *issuer_text = NULL;

    if (has_text (issuer_url))
      issuer_text = g_strdup_printf ("%s\n%s", issuer, issuer_url);
    else if (has_text (bw_badge_get_issuer_email (badge)))
      issuer_text = g_strdup_printf ("%s\n%s", issuer, bw_badge_get_issuer_email (badge));
    else
      issuer_text = g_strdup (issuer);
    adw_action_row_set_subtitle (self->issuer_row, issuer_text);
  }

  description = bw_badge_get_description (badge);
  gtk_label_set_label (self->description_label, has_text (description) ? description : "");
  gtk_widget_set_visible (GTK_WIDGET (self->description_group), has_text (description));

  gtk_label_set_label (self->criteria_label, has_text (narrative) ? narrative : "");
  gtk_widget_set_visible (GTK_WIDGET (self->criteria_label), has_text (narrative));
  if (has_text (criteria_url))
    gtk_list_box_append (self->criteria_list,
                         bw_widgets_link_row_new (_("Criteria Page"), criteria_url, criteria_url));
  gtk_widget_set_visible (GTK_WIDGET (self->criteria_list), has_text (criteria_url));
  gtk_widget_set_visible (GTK_WIDGET (self->criteria_group),
                          has_text (narrative) || has_text (criteria_url));

  fill_pills (self->skills_group, self->skills_box, bw_badge_get_skills (badge));
  fill_pills (self->tags_group, self->tags_box, bw_badge_get_tags (badge));
  fill_alignments (self);
  fill_evidence (self);
}

static void
clear_check_rows (BwBadgePage *self)
{
  for (guint i = 0; i < self->check_rows->len; i++)
    adw_expander_row_remove (self->checks_row, g_ptr_array_index (self->check_rows, i));
  g_ptr_array_set_size (self->check_rows, 0);
}

static void
update_verification (BwBadgePage *self)
{
  const char *verdict;
  GDateTime *checked;
  g_autofree char *checked_text = NULL;
  g_autofree char *subtitle = NULL;
  g_autofree char *recipient = NULL;
  BwVerdictStyle style;
  const char *title;
  const char *icon_name;
  GPtrArray *checks = NULL;
  gboolean verifying = self->cancellable != NULL;

  if (self->report != NULL)
    {
      verdict = bw_verdict_to_string (bw_report_get_verdict (self->report));
      checked = bw_report_get_checked (self->report);
      checks = bw_report_get_checks (self->report);
    }
  else
    {
      verdict = bw_badge_get_last_verdict (self->badge);
      checked = bw_badge_get_last_checked (self->badge);
    }

  style = bw_widgets_verdict_style (verdict);
  title = bw_widgets_verdict_title (verdict);
  icon_name = bw_widgets_verdict_icon_name (verdict);
  /* A valid badge about to lapse says so where the verdict is read. */
  if (style == BW_VERDICT_STYLE_GOOD && bw_widgets_badge_is_expiring (self->badge, NULL))
    {
      style = BW_VERDICT_STYLE_WARNING;
      title = _("Valid, Expires Soon");
      icon_name = "alarm-symbolic";
    }
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->verdict_row), title);
  gtk_image_set_from_icon_name (self->verdict_icon, icon_name);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->verdict_icon),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, title,
                                  -1);
  bw_widgets_set_style_class (GTK_WIDGET (self->verdict_icon), "verdict-",
                              bw_widgets_verdict_style_class (style));

  checked_text = bw_widgets_format_checked (checked, NULL);
  if (verifying)
    subtitle = g_strdup (_("Checking with the issuer…"));
  else if (self->verify_error != NULL)
    /* Translators: %s says why the check could not be made. */
    subtitle = g_strdup_printf (_("The badge could not be checked again: %s"), self->verify_error);
  else if (verdict != NULL)
    subtitle = g_strdup_printf ("%s\n%s", bw_widgets_verdict_explanation (verdict), checked_text);
  else
    subtitle = g_strdup (bw_widgets_verdict_explanation (NULL));
  adw_action_row_set_subtitle (self->verdict_row, subtitle);

  gtk_widget_set_visible (GTK_WIDGET (self->verify_spinner), verifying);
  gtk_spinner_set_spinning (self->verify_spinner, verifying);
  gtk_widget_set_sensitive (GTK_WIDGET (self->verify_button),
                            !verifying && self->verifier != NULL);

  clear_check_rows (self);
  if (checks != NULL && checks->len > 0)
    {
      g_autofree char *summary = bw_widgets_dup_checks_summary (checks);

      for (guint i = 0; i < checks->len; i++)
        {
          GtkWidget *row = bw_widgets_check_row_new (g_ptr_array_index (checks, i));

          adw_expander_row_add_row (self->checks_row, row);
          g_ptr_array_add (self->check_rows, row);
        }
      adw_expander_row_set_subtitle (self->checks_row, summary);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->checks_row), checks != NULL && checks->len > 0);

  recipient = dup_recipient_text (self->badge, self->report);
  adw_action_row_set_subtitle (self->recipient_row, recipient);
}

static void
verify_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(BwBadgePage) self = user_data;
  g_autoptr(BwReport) report = NULL;
  g_autoptr(GError) error = NULL;

  report = bw_verifier_verify_finish (BW_VERIFIER (object), result, &error);
  /* Cancelled, or disposed while the issuer was being asked. */
  if ((report == NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)) ||
      self->badge == NULL)
    return;

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->verify_error, g_free);

  if (report == NULL)
    self->verify_error = g_strdup (error->message);
  else
    {
      g_autoptr(GError) save_error = NULL;
      const char *wallet_id = bw_badge_get_wallet_id (self->badge);

      g_set_object (&self->report, report);
      if (wallet_id != NULL && self->store != NULL &&
          !bw_store_save_report (self->store, wallet_id, report, &save_error))
        self->verify_error = g_strdup (save_error->message);
    }

  update_verification (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VERIFYING]);
}

static void
verify_clicked_cb (BwBadgePage *self)
{
  bw_badge_page_verify (self);
}

static void
share_clicked_cb (BwBadgePage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  BwShareDialog *dialog;

  dialog = bw_share_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                self->store, self->badge);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
remove_clicked_cb (BwBadgePage *self)
{
  g_signal_emit (self, signals[REMOVE_REQUESTED], 0, self->badge);
}

static void
bw_badge_page_constructed (GObject *object)
{
  BwBadgePage *self = (BwBadgePage *) object;
  const char *wallet_id;

  G_OBJECT_CLASS (bw_badge_page_parent_class)->constructed (object);

  g_return_if_fail (BW_IS_BADGE (self->badge));

  wallet_id = bw_badge_get_wallet_id (self->badge);
  if (self->store != NULL && wallet_id != NULL)
    self->report = bw_store_load_report (self->store, wallet_id);

  gtk_widget_set_sensitive (GTK_WIDGET (self->share_button), self->store != NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->share_button), self->store != NULL);

  fill_badge (self);
  update_verification (self);
}

static void
bw_badge_page_dispose (GObject *object)
{
  BwBadgePage *self = (BwBadgePage *) object;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), BW_TYPE_BADGE_PAGE);
  g_clear_object (&self->store);
  g_clear_object (&self->verifier);
  g_clear_object (&self->badge);
  g_clear_object (&self->report);

  G_OBJECT_CLASS (bw_badge_page_parent_class)->dispose (object);
}

static void
bw_badge_page_finalize (GObject *object)
{
  BwBadgePage *self = (BwBadgePage *) object;

  g_clear_pointer (&self->check_rows, g_ptr_array_unref);
  g_free (self->verify_error);

  G_OBJECT_CLASS (bw_badge_page_parent_class)->finalize (object);
}

static void
bw_badge_page_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  BwBadgePage *self = BW_BADGE_PAGE (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_VERIFIER:
      g_value_set_object (value, self->verifier);
      break;
    case PROP_BADGE:
      g_value_set_object (value, self->badge);
      break;
    case PROP_VERIFYING:
      g_value_set_boolean (value, self->cancellable != NULL);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bw_badge_page_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  BwBadgePage *self = BW_BADGE_PAGE (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;
    case PROP_VERIFIER:
      self->verifier = g_value_dup_object (value);
      break;
    case PROP_BADGE:
      self->badge = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bw_badge_page_class_init (BwBadgePageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = bw_badge_page_constructed;
  object_class->dispose = bw_badge_page_dispose;
  object_class->finalize = bw_badge_page_finalize;
  object_class->get_property = bw_badge_page_get_property;
  object_class->set_property = bw_badge_page_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL,
                         BW_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_VERIFIER] =
    g_param_spec_object ("verifier", NULL, NULL,
                         BW_TYPE_VERIFIER,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_BADGE] =
    g_param_spec_object ("badge", NULL, NULL,
                         BW_TYPE_BADGE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_VERIFYING] =
    g_param_spec_boolean ("verifying", NULL, NULL,
                          FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[REMOVE_REQUESTED] =
    g_signal_new ("remove-requested",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, BW_TYPE_BADGE);

  bw_widgets_init ();
  g_type_ensure (BW_TYPE_BADGE_PICTURE);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               BW_WIDGETS_RESOURCE_PATH "bw-badge-page.ui");
  gtk_widget_class_bind_template_child (widget_class, BwBadgePage, picture);
  gtk_widget_class_bind_template_child (widget_class, BwBadgePage, name_label);
  gtk_widget_class_bind_template_child (widget_class, BwBadgePage, issuer_label);
  gtk_widget_class_bind_template_child (widget_class, BwBadgePage, domain_label);
  gtk_widget_class_bind_template_child (widget_class, BwBadgePage, share_button);
  gtk_widget_class_bind_template_child (widget_class, BwBadgePage, verdict_row);
  gtk_widget_class_bind_template_child (widget_class, BwBadgePage, verdict_icon);
  gtk_widget_class_bind_template_child (widget_class, BwBadgePage, verify_spinner);
  gtk_widget_class_bind_template_child (widget_class, BwBadgePage, verify_button);
  gtk_widget_class_bind_template_child (widget_class, BwBadgePage, checks_row);
  gtk_widget_class_bind_template_child (widget_class, BwBadgePage, issued_row);
  gtk_widget_class_bind_template_child (widget_class, BwBadgePage, expires_row);
  gtk_widget_class_bind_template_child (widget_class, BwBadgePage, recipient_row);
  gtk_widget_class_bind_template_child (widget_class, BwBadgePage, issuer_row);
  gtk_widget_class_bind_template_child (widget_class, BwBadgePage, description_group);
  gtk_widget_class_bind_template_child (widget_class, BwBadgePage, description_label);
  gtk_widget_class_bind_template_child (widget_class, BwBadgePage, criteria_group);
  gtk_widget_class_bind_template_child (widget_class, BwBadgePage, criteria_label);
  gtk_widget_class_bind_template_child (widget_class, BwBadgePage, criteria_list);
  gtk_widget_class_bind_template_child (widget_class, BwBadgePage, skills_group);
  gtk_widget_class_bind_template_child (widget_class, BwBadgePage, skills_box);
  gtk_widget_class_bind_template_child (widget_class, BwBadgePage, tags_group);
  gtk_widget_class_bind_template_child (widget_class, BwBadgePage, tags_box);
  gtk_widget_class_bind_template_child (widget_class, BwBadgePage, alignments_group);
  gtk_widget_class_bind_template_child (widget_class, BwBadgePage, evidence_group);
  gtk_widget_class_bind_template_child (widget_class, BwBadgePage, remove_button);
  gtk_widget_class_bind_template_callback (widget_class, verify_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, share_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, remove_clicked_cb);
}

static void
bw_badge_page_init (BwBadgePage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->check_rows = g_ptr_array_new ();
  /* As for the tiles: only when the application set a fetcher. */
  bw_badge_picture_set_allow_network (self->picture, TRUE);
}

GtkWidget *
bw_badge_page_new (BwStore    *store,
                   BwVerifier *verifier,
                   BwBadge    *badge)
{
  g_return_val_if_fail (store == NULL || BW_IS_STORE (store), NULL);
  g_return_val_if_fail (verifier == NULL || BW_IS_VERIFIER (verifier), NULL);
  g_return_val_if_fail (BW_IS_BADGE (badge), NULL);

  return g_object_new (BW_TYPE_BADGE_PAGE,
                       "store", store,
                       "verifier", verifier,
                       "badge", badge,
                       NULL);
}

BwBadge *
bw_badge_page_get_badge (BwBadgePage *self)
{
  g_return_val_if_fail (BW_IS_BADGE_PAGE (self), NULL);

  return self->badge;
}

BwReport *
bw_badge_page_get_report (BwBadgePage *self)
{
  g_return_val_if_fail (BW_IS_BADGE_PAGE (self), NULL);

  return self->report;
}

gboolean
bw_badge_page_get_verifying (BwBadgePage *self)
{
  g_return_val_if_fail (BW_IS_BADGE_PAGE (self), FALSE);

  return self->cancellable != NULL;
}

void
bw_badge_page_verify (BwBadgePage *self)
{
  g_return_if_fail (BW_IS_BADGE_PAGE (self));

  if (self->verifier == NULL || self->cancellable != NULL)
    return;

  self->cancellable = g_cancellable_new ();
  g_clear_pointer (&self->verify_error, g_free);
  bw_verifier_verify_async (self->verifier, self->badge, self->cancellable,
                            verify_cb, g_object_ref (self));
  update_verification (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VERIFYING]);
}
