/* bw-verify-dialog.c
 *
 * Copyright 2026 The Badge Wallet authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bw-verify-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "bw-badge-image.h"
#include "bw-badge-picture.h"
#include "bw-verify-dialog.h"
#include "bw-widgets.h"

struct _BwVerifyDialog
{
  AdwWindow            parent_instance;

  BwStore             *store;
  BwVerifier          *verifier;
  char                *input;
  GBytes              *data;
  BwReport            *report;
  GCancellable        *cancellable;
  GPtrArray           *check_rows;
  BwRecipientMatch     recipient_match;
  char                *added_wallet_id;
  guint                adding : 1;

  AdwWindowTitle      *window_title;
  AdwToastOverlay     *toast_overlay;
  GtkStack            *stack;
  GtkSpinner          *spinner;
  AdwStatusPage       *error_page;
  BwBadgePicture      *picture;
  GtkLabel            *name_label;
  GtkLabel            *issuer_label;
  GtkLabel            *domain_label;
  GtkWidget           *banner;
  GtkImage            *banner_icon;
  GtkLabel            *banner_title;
  GtkLabel            *banner_text;
  AdwPreferencesGroup *candidate_group;
  AdwEntryRow         *email_row;
  AdwActionRow        *recipient_row;
  GtkImage            *recipient_icon;
  AdwActionRow        *issued_row;
  AdwActionRow        *expires_row;
  AdwExpanderRow      *checks_row;
  GtkButton           *add_button;
};

G_DEFINE_FINAL_TYPE (BwVerifyDialog, bw_verify_dialog, ADW_TYPE_WINDOW)

enum
{
  PROP_0,
  PROP_STORE,
  PROP_VERIFIER,
  PROP_INPUT,
  PROP_DATA,
  PROP_REPORT,
  N_PROPS
};

enum
{
  BADGE_ADDED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static gboolean
has_text (const char *text)
{
  return text != NULL && *text != '\0';
}

static gboolean
is_url (const char *input)
{
  return input != NULL &&
         (g_ascii_strncasecmp (input, "https://", 8) == 0 ||
          g_ascii_strncasecmp (input, "http://", 7) == 0);
}

static gboolean
is_image (GBytes *bytes)
{
  return bytes != NULL &&
         bw_baked_sniff (g_bytes_get_data (bytes, NULL),
                         g_bytes_get_size (bytes)) != BW_IMAGE_FORMAT_NONE;
}

static void
show_toast (BwVerifyDialog *self,
            const char     *message)
{
  g_autofree char *escaped = g_markup_escape_text (message, -1);
  AdwToast *toast = adw_toast_new (escaped);

  adw_toast_set_timeout (toast, 4);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

static void
fill_checks (BwVerifyDialog *self)
{
  GPtrArray *checks = bw_report_get_checks (self->report);
  g_autofree char *summary = NULL;

  for (guint i = 0; i < self->check_rows->len; i++)
    adw_expander_row_remove (self->checks_row, g_ptr_array_index (self->check_rows, i));
  g_ptr_array_set_size (self->check_rows, 0);

  for (guint i = 0; checks != NULL && i < checks->len; i++)
    {
      GtkWidget *row = bw_widgets_check_row_new (g_ptr_array_index (checks, i));

      adw_expander_row_add_row (self->checks_row, row);
      g_ptr_array_add (self->check_rows, row);
    }

  summary = bw_widgets_dup_checks_summary (checks);
  adw_expander_row_set_subtitle (self->checks_row, summary);
}

static void
update_recipient (BwVerifyDialog *self)
{
  g_autoptr(GPtrArray) identities = NULL;
  g_autofree char *text = NULL;
  const BwIdentity *matched = NULL;
  BwVerdictStyle style;
  const char *icon_name;
  const char *title;
  const char *subtitle;

  if (self->report == NULL)
    return;

  identities = g_ptr_array_new_with_free_func ((GDestroyNotify) bw_identity_free);
  text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->email_row))));
  if (*text != '\0')
    g_ptr_array_add (identities, bw_identity_new ("email", text));

  /* Hashing the typed address against the badge's recipient needs no
   * network, so it runs on every keystroke. */
  self->recipient_match = bw_verifier_recheck_recipient (self->report, identities, &matched);
  /* The recheck also rewrites the report's recipient check. */
  fill_checks (self);

  if (*text == '\0')
    {
      style = BW_VERDICT_STYLE_NEUTRAL;
      icon_name = "avatar-default-symbolic";
      title = _("Who Was It Issued To?");
      subtitle = _("Enter the candidate’s e-mail address to check that the badge was "
                   "issued to them.");
    }
  else if (self->recipient_match == BW_MATCH_MATCH)
    {
      style = BW_VERDICT_STYLE_GOOD;
      icon_name = "emblem-ok-symbolic";
      title = _("Issued to This Address");
      subtitle = _("The badge was issued to the e-mail address entered.");
    }
  else if (self->recipient_match == BW_MATCH_MISMATCH)
    {
      style = BW_VERDICT_STYLE_BAD;
      icon_name = "dialog-error-symbolic";
      title = _("Not Issued to This Address");
      subtitle = _("The badge was issued to someone else, or to another address of the candidate.");
    }
  else
    {
      style = BW_VERDICT_STYLE_NEUTRAL;
      icon_name = "dialog-question-symbolic";
      title = _("Cannot Compare");
      subtitle = _("The badge does not name its recipient by e-mail address.");
    }

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->recipient_row), title);
  adw_action_row_set_subtitle (self->recipient_row, subtitle);
  gtk_image_set_from_icon_name (self->recipient_icon, icon_name);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->recipient_icon),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, title,
                                  -1);
  bw_widgets_set_style_class (GTK_WIDGET (self->recipient_icon), "verdict-",
                              bw_widgets_verdict_style_class (style));
}

static void
email_changed_cb (BwVerifyDialog *self)
{
  update_recipient (self);
}

static void
show_badge_picture (BwVerifyDialog *self,
                    BwBadge        *badge)
{
  /* The dropped file is the badge image itself when it is baked; else
   * the image the badge names, fetched like the documents were. */
  if (is_image (self->data))
    {
      bw_badge_picture_set_image_bytes (self->picture, self->data);
      return;
    }

  if (badge != NULL)
    {
      BwBadgeImage *loader = bw_badge_image_get_default ();

      if (self->verifier != NULL)
        bw_badge_image_set_fetcher (loader, bw_verifier_get_fetcher (self->verifier));
      bw_badge_picture_set_allow_network (self->picture, TRUE);
      bw_badge_picture_set_badge (self->picture, NULL, badge);
    }
  else
    bw_badge_picture_set_badge (self->picture, NULL, NULL);
}

static const char *
find_reason (BwReport *report)
{
  GPtrArray *checks = bw_report_get_checks (report);

  for (guint i = 0; checks != NULL && i < checks->len; i++)
    {
      const BwCheck *check = g_ptr_array_index (checks, i);

      /* The recipient check follows the e-mail entry, not the verdict. */
      if (check->status == BW_CHECK_FAIL && check->message != NULL &&
          g_strcmp0 (check->id, "recipient") != 0)
        return check->message;
    }

  return NULL;
}

static void
show_report (BwVerifyDialog *self)
{
  BwBadge *badge = bw_report_get_badge (self->report);
  const char *verdict = bw_verdict_to_string (bw_report_get_verdict (self->report));
  BwVerdictStyle style = bw_widgets_verdict_style (verdict);
  const char *reason;

  if (badge != NULL)
    {
      const char *name = bw_badge_get_name (badge);
      const char *issuer = bw_badge_get_issuer_name (badge);
      g_autofree char *issued_by = NULL;
      g_autofree char *domain = NULL;
      g_autofree char *issued = NULL;
      g_autofree char *expires = NULL;

      /* Translators: %s is the name of the organisation that issued the badge. */
      issued_by = g_strdup_printf (_("Issued by %s"),
                                   has_text (issuer) ? issuer : _("an unknown issuer"));
      domain = bw_widgets_dup_domain (bw_badge_get_issuer_url (badge));
      if (domain == NULL)
        domain = bw_widgets_dup_domain (bw_badge_get_issuer_id (badge));

      gtk_label_set_label (self->name_label, has_text (name) ? name : _("Untitled Badge"));
      gtk_label_set_label (self->issuer_label, issued_by);
      gtk_label_set_label (self->domain_label, domain != NULL ? domain : "");
      gtk_widget_set_visible (GTK_WIDGET (self->domain_label), domain != NULL);

      if (bw_badge_get_issued (badge) != NULL)
        issued = bw_widgets_format_date (bw_badge_get_issued (badge));
      else
        issued = g_strdup (_("Unknown"));
      if (bw_badge_get_expires (badge) != NULL)
        expires = bw_widgets_format_date (bw_badge_get_expires (badge));
      else
        expires = g_strdup (_("Never"));
      adw_action_row_set_subtitle (self->issued_row, issued);
      adw_action_row_set_subtitle (self->expires_row, expires);
    }
  else
    {
      gtk_label_set_label (self->name_label, _("Not a Badge"));
      gtk_label_set_label (self->issuer_label, _("No Open Badges data could be read from it"));
      gtk_widget_set_visible (GTK_WIDGET (self->domain_label), FALSE);
      adw_action_row_set_subtitle (self->issued_row, _("Unknown"));
      adw_action_row_set_subtitle (self->expires_row, _("Unknown"));
    }
  show_badge_picture (self, badge);

  gtk_label_set_label (self->banner_title, bw_widgets_verdict_title (verdict));
  /* When it is not valid, the first failed check says why, in the banner
   * itself rather than only in the list below. */
  reason = style != BW_VERDICT_STYLE_GOOD ? find_reason (self->report) : NULL;
  if (reason != NULL)
    {
      g_autofree char *text = g_strdup_printf ("%s\n%s", bw_widgets_verdict_explanation (verdict),
                                               reason);

      gtk_label_set_label (self->banner_text, text);
    }
  else
    gtk_label_set_label (self->banner_text, bw_widgets_verdict_explanation (verdict));
  gtk_image_set_from_icon_name (self->banner_icon, bw_widgets_verdict_icon_name (verdict));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->banner),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, bw_widgets_verdict_title (verdict),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  bw_widgets_verdict_explanation (verdict),
                                  -1);
  bw_widgets_set_style_class (self->banner, "verdict-", bw_widgets_verdict_style_class (style));

  /* The checks are filled by update_recipient(), which runs the recheck
   * that rewrites the recipient check. A badge that failed is explained
   * by its checks, so they start open. */
  adw_expander_row_set_expanded (self->checks_row, style == BW_VERDICT_STYLE_BAD);

  gtk_widget_set_visible (GTK_WIDGET (self->add_button), badge != NULL && self->store != NULL);
  /* Without a badge there is no recipient to compare. */
  gtk_widget_set_visible (GTK_WIDGET (self->candidate_group), badge != NULL);
  /* Keeping a badge that failed stays possible, but is not suggested. */
  if (style == BW_VERDICT_STYLE_GOOD)
    gtk_widget_add_css_class (GTK_WIDGET (self->add_button), "suggested-action");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->add_button), "suggested-action");
  update_recipient (self);

  gtk_spinner_set_spinning (self->spinner, FALSE);
  gtk_stack_set_visible_child_name (self->stack, "result");
}

static void
verify_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(BwVerifyDialog) self = user_data;
  g_autoptr(BwReport) report = NULL;
  g_autoptr(GError) error = NULL;

  report = bw_verifier_verify_finish (BW_VERIFIER (object), result, &error);
  if (report == NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  /* Disposed while the issuer was being asked. */
  if (self->stack == NULL)
    return;

  if (report == NULL)
    {
      g_autofree char *escaped = g_markup_escape_text (error->message, -1);

      adw_status_page_set_description (self->error_page, escaped);
      gtk_spinner_set_spinning (self->spinner, FALSE);
      gtk_stack_set_visible_child_name (self->stack, "error");
      return;
    }

  self->report = g_steal_pointer (&report);
  show_report (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REPORT]);
}

static void
add_bytes (BwVerifyDialog *self,
           GBytes         *original)
{
  g_autoptr(BwImportResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;

  name = is_url (self->input) ? g_strdup (self->input) : g_path_get_basename (self->input);
  result = bw_store_add_bytes (self->store, original, name, &error);
  if (result == NULL)
    {
      g_autofree char *message = NULL;

      message = g_strdup_printf (_("The badge could not be added: %s"), error->message);

      show_toast (self, message);
      gtk_widget_set_sensitive (GTK_WIDGET (self->add_button), TRUE);
      return;
    }

  switch (result->status)
    {
    case BW_IMPORT_ADDED:
    case BW_IMPORT_ALREADY_PRESENT:
      g_free (self->added_wallet_id);
      self->added_wallet_id = g_strdup (result->wallet_id);
      /* The wallet shows the verdict just reached without asking again. */
      if (result->status == BW_IMPORT_ADDED && result->wallet_id != NULL &&
          !bw_store_save_report (self->store, result->wallet_id, self->report, &error))
        g_debug ("The report of %s was not saved: %s", result->wallet_id, error->message);
      show_toast (self, result->status == BW_IMPORT_ADDED
                        ? _("Added to your wallet")
                        : _("This badge is already in your wallet"));
      gtk_button_set_label (self->add_button, _("In Your Wallet"));
      gtk_widget_set_sensitive (GTK_WIDGET (self->add_button), FALSE);
      g_signal_emit (self, signals[BADGE_ADDED], 0, result->wallet_id);
      break;

    case BW_IMPORT_NOT_A_BADGE:
    case BW_IMPORT_FAILED:
    default:
      {
        g_autofree char *message = NULL;

        message = g_strdup_printf (_("The badge could not be added: %s"),
                                   result->message != NULL ? result->message : _("unknown error"));
        show_toast (self, message);
        gtk_widget_set_sensitive (GTK_WIDGET (self->add_button), TRUE);
      }
      break;
    }
}

static void
fetch_original_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(BwVerifyDialog) self = user_data;
  g_autoptr(BwFetchResult) fetched = NULL;
  g_autoptr(GError) error = NULL;

  fetched = bw_fetcher_fetch_finish (BW_FETCHER (object), result, &error);
  if (self->stack == NULL ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self->adding = FALSE;
  if (fetched == NULL || fetched->status < 200 || fetched->status > 299 || fetched->body == NULL)
    {
      g_autofree char *message = NULL;

      if (fetched == NULL)
        message = g_strdup_printf (_("The badge could not be downloaded: %s"), error->message);
      else
        message = g_strdup_printf (_("The badge could not be downloaded: HTTP status %u"),
                                   fetched->status);
      show_toast (self, message);
      gtk_widget_set_sensitive (GTK_WIDGET (self->add_button), TRUE);
      return;
    }

  g_clear_pointer (&self->data, g_bytes_unref);
  self->data = g_bytes_ref (fetched->body);
  add_bytes (self, self->data);
}

static void
add_clicked_cb (BwVerifyDialog *self)
{
  if (self->store == NULL || self->adding)
    return;

  gtk_widget_set_sensitive (GTK_WIDGET (self->add_button), FALSE);

  if (self->data != NULL)
    {
      add_bytes (self, self->data);
      return;
    }

  if (is_url (self->input) && self->verifier != NULL)
    {
      /* The wallet keeps the original exactly as the issuer serves it. */
      self->adding = TRUE;
      bw_fetcher_fetch_async (bw_verifier_get_fetcher (self->verifier), self->input,
                              BW_FETCH_ANY, self->cancellable,
                              fetch_original_cb, g_object_ref (self));
      return;
    }

  show_toast (self, _("The badge could not be added: its file could not be read"));
  gtk_widget_set_sensitive (GTK_WIDGET (self->add_button), TRUE);
}

static void
load_file_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(BwVerifyDialog) self = user_data;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;

  bytes = g_file_load_bytes_finish (G_FILE (object), result, NULL, &error);
  if (bytes == NULL)
    {
      g_debug ("Cannot read %s for the wallet: %s", self->input, error->message);
      return;
    }

  if (self->stack == NULL || self->data != NULL)
    return;

  self->data = g_steal_pointer (&bytes);
  if (self->report != NULL)
    show_badge_picture (self, bw_report_get_badge (self->report));
}

static void
start (BwVerifyDialog *self)
{
  g_autofree char *subtitle = NULL;

  if (self->cancellable == NULL)
    self->cancellable = g_cancellable_new ();
  /* A local file is also read here, once, for its picture and for "Add to
   * Wallet", so that what is added is what was checked. */
  if (self->data == NULL && !is_url (self->input))
    {
      g_autoptr(GFile) file = g_file_new_for_commandline_arg (self->input);

      g_file_load_bytes_async (file, self->cancellable, load_file_cb, g_object_ref (self));
    }

  subtitle = is_url (self->input) ? g_strdup (self->input) : g_path_get_basename (self->input);
  adw_window_title_set_subtitle (self->window_title, subtitle);

  gtk_spinner_set_spinning (self->spinner, TRUE);
  gtk_stack_set_visible_child_name (self->stack, "progress");

  if (self->verifier == NULL)
    {
      adw_status_page_set_description (self->error_page, _("No verifier is available."));
      gtk_stack_set_visible_child_name (self->stack, "error");
      return;
    }

  bw_verifier_verify_input_async (self->verifier, self->input, self->data, self->cancellable,
                                  verify_cb, g_object_ref (self));
}

/* Stops the work and lets go of the parent window. A pending request keeps
 * the dialog alive until it reports back, and gtk_window_destroy() only
 * unrealizes the dialog; its parent may be gone by the time it is
 * disposed. */
static void
release (BwVerifyDialog *self)
{
  g_cancellable_cancel (self->cancellable);
  gtk_window_set_transient_for (GTK_WINDOW (self), NULL);
}

static gboolean
close_request_cb (BwVerifyDialog *self)
{
  /* Closing stops the verification; nothing was added unless asked. */
  release (self);

  return GDK_EVENT_PROPAGATE;
}

static void
bw_verify_dialog_unrealize (GtkWidget *widget)
{
  release (BW_VERIFY_DIALOG (widget));

  GTK_WIDGET_CLASS (bw_verify_dialog_parent_class)->unrealize (widget);
}

static void
bw_verify_dialog_constructed (GObject *object)
{
  BwVerifyDialog *self = (BwVerifyDialog *) object;

  G_OBJECT_CLASS (bw_verify_dialog_parent_class)->constructed (object);

  start (self);
}

static void
bw_verify_dialog_dispose (GObject *object)
{
  BwVerifyDialog *self = (BwVerifyDialog *) object;

  release (self);
  g_clear_object (&self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), BW_TYPE_VERIFY_DIALOG);
  g_clear_object (&self->store);
  g_clear_object (&self->verifier);
  g_clear_object (&self->report);
  g_clear_pointer (&self->data, g_bytes_unref);

  G_OBJECT_CLASS (bw_verify_dialog_parent_class)->dispose (object);
}

static void
bw_verify_dialog_finalize (GObject *object)
{
  BwVerifyDialog *self = (BwVerifyDialog *) object;

  g_clear_pointer (&self->check_rows, g_ptr_array_unref);
  g_free (self->input);
  g_free (self->added_wallet_id);

  G_OBJECT_CLASS (bw_verify_dialog_parent_class)->finalize (object);
}

static void
bw_verify_dialog_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  BwVerifyDialog *self = BW_VERIFY_DIALOG (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_VERIFIER:
      g_value_set_object (value, self->verifier);
      break;
    case PROP_INPUT:
      g_value_set_string (value, self->input);
      break;
    case PROP_DATA:
      g_value_set_boxed (value, self->data);
      break;
    case PROP_REPORT:
      g_value_set_object (value, self->report);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bw_verify_dialog_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  BwVerifyDialog *self = BW_VERIFY_DIALOG (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;
    case PROP_VERIFIER:
      self->verifier = g_value_dup_object (value);
      break;
    case PROP_INPUT:
      self->input = g_value_dup_string (value);
      break;
    case PROP_DATA:
      self->data = g_value_dup_boxed (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bw_verify_dialog_class_init (BwVerifyDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = bw_verify_dialog_constructed;
  object_class->dispose = bw_verify_dialog_dispose;
  widget_class->unrealize = bw_verify_dialog_unrealize;
  object_class->finalize = bw_verify_dialog_finalize;
  object_class->get_property = bw_verify_dialog_get_property;
  object_class->set_property = bw_verify_dialog_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL,
                         BW_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_VERIFIER] =
    g_param_spec_object ("verifier", NULL, NULL,
                         BW_TYPE_VERIFIER,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_INPUT] =
    g_param_spec_string ("input", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DATA] =
    g_param_spec_boxed ("data", NULL, NULL,
                        G_TYPE_BYTES,
                        G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_REPORT] =
    g_param_spec_object ("report", NULL, NULL,
                         BW_TYPE_REPORT,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* Emitted with the wallet id once the user has added the badge. */
  signals[BADGE_ADDED] =
    g_signal_new ("badge-added",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);

  bw_widgets_init ();
  g_type_ensure (BW_TYPE_BADGE_PICTURE);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               BW_WIDGETS_RESOURCE_PATH "bw-verify-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, BwVerifyDialog, window_title);
  gtk_widget_class_bind_template_child (widget_class, BwVerifyDialog, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, BwVerifyDialog, stack);
  gtk_widget_class_bind_template_child (widget_class, BwVerifyDialog, spinner);
  gtk_widget_class_bind_template_child (widget_class, BwVerifyDialog, error_page);
  gtk_widget_class_bind_template_child (widget_class, BwVerifyDialog, picture);
  gtk_widget_class_bind_template_child (widget_class, BwVerifyDialog, name_label);
  gtk_widget_class_bind_template_child (widget_class, BwVerifyDialog, issuer_label);
  gtk_widget_class_bind_template_child (widget_class, BwVerifyDialog, domain_label);
  gtk_widget_class_bind_template_child (widget_class, BwVerifyDialog, banner);
  gtk_widget_class_bind_template_child (widget_class, BwVerifyDialog, banner_icon);
  gtk_widget_class_bind_template_child (widget_class, BwVerifyDialog, banner_title);
  gtk_widget_class_bind_template_child (widget_class, BwVerifyDialog, banner_text);
  gtk_widget_class_bind_template_child (widget_class, BwVerifyDialog, candidate_group);
  gtk_widget_class_bind_template_child (widget_class, BwVerifyDialog, email_row);
  gtk_widget_class_bind_template_child (widget_class, BwVerifyDialog, recipient_row);
  gtk_widget_class_bind_template_child (widget_class, BwVerifyDialog, recipient_icon);
  gtk_widget_class_bind_template_child (widget_class, BwVerifyDialog, issued_row);
  gtk_widget_class_bind_template_child (widget_class, BwVerifyDialog, expires_row);
  gtk_widget_class_bind_template_child (widget_class, BwVerifyDialog, checks_row);
  gtk_widget_class_bind_template_child (widget_class, BwVerifyDialog, add_button);
  gtk_widget_class_bind_template_callback (widget_class, email_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, add_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, close_request_cb);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
bw_verify_dialog_init (BwVerifyDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->check_rows = g_ptr_array_new ();
  self->recipient_match = BW_MATCH_UNKNOWN;
}

BwVerifyDialog *
bw_verify_dialog_new (GtkWindow  *parent,
                      BwStore    *store,
                      BwVerifier *verifier,
                      const char *input,
                      GBytes     *data)
{
  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (store == NULL || BW_IS_STORE (store), NULL);
  g_return_val_if_fail (BW_IS_VERIFIER (verifier), NULL);
  g_return_val_if_fail (input != NULL, NULL);

  return g_object_new (BW_TYPE_VERIFY_DIALOG,
                       "transient-for", parent,
                       "store", store,
                       "verifier", verifier,
                       "input", input,
                       "data", data,
                       NULL);
}

BwReport *
bw_verify_dialog_get_report (BwVerifyDialog *self)
{
  g_return_val_if_fail (BW_IS_VERIFY_DIALOG (self), NULL);

  return self->report;
}

BwRecipientMatch
bw_verify_dialog_get_recipient_match (BwVerifyDialog *self)
{
  g_return_val_if_fail (BW_IS_VERIFY_DIALOG (self), BW_MATCH_UNKNOWN);

  return self->recipient_match;
}

void
bw_verify_dialog_set_candidate_email (BwVerifyDialog *self,
                                      const char     *email)
{
  g_return_if_fail (BW_IS_VERIFY_DIALOG (self));

  gtk_editable_set_text (GTK_EDITABLE (self->email_row), email != NULL ? email : "");
}

const char *
bw_verify_dialog_get_added_wallet_id (BwVerifyDialog *self)
{
  g_return_val_if_fail (BW_IS_VERIFY_DIALOG (self), NULL);

  return self->added_wallet_id;
}
