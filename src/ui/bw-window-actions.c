/* bw-window-actions.c
 *
 * Copyright 2026 The Badge Wallet authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bw-window-actions"

#include "config.h"

#include <glib/gi18n.h>

#include "bw-window-private.h"

static char **
paths_from_chooser (GtkFileChooser *chooser)
{
  g_autoptr(GListModel) files = gtk_file_chooser_get_files (chooser);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  guint n_items = g_list_model_get_n_items (files);

  for (guint i = 0; i < n_items; i++)
    {
      g_autoptr(GFile) file = g_list_model_get_item (files, i);
      g_autofree char *input = _bw_window_input_for_file (file);

      if (input != NULL)
        g_strv_builder_add (builder, input);
    }
  return g_strv_builder_end (builder);
}

static void
open_response_cb (BwWindow             *self,
                  int                   response,
                  GtkFileChooserNative *chooser)
{
  g_auto(GStrv) paths = NULL;
  const char *mode;

  if (response == GTK_RESPONSE_ACCEPT)
    {
      paths = paths_from_chooser (GTK_FILE_CHOOSER (chooser));
      mode = gtk_file_chooser_get_choice (GTK_FILE_CHOOSER (chooser), "mode");

      if (g_strcmp0 (mode, "verify") == 0 || self->store == NULL)
        bw_window_open_inputs (self, (const char * const *)paths, NULL);
      else
        bw_window_import_paths (self, (const char * const *)paths);
    }

  g_clear_object (&self->chooser);
}

static void
open_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  BwWindow *self = BW_WINDOW (widget);
  g_autoptr(GtkFileFilter) badges = gtk_file_filter_new ();
  g_autoptr(GtkFileFilter) all = gtk_file_filter_new ();
  const char *choice_ids[] = { "add", "verify", NULL };
  const char *choice_labels[] = { _("Add to Wallet"), _("Verify Only"), NULL };

  if (self->chooser != NULL)
    return;

  self->chooser = gtk_file_chooser_native_new (_("Open Badges"), GTK_WINDOW (self),
                                               GTK_FILE_CHOOSER_ACTION_OPEN,
                                               _("_Open"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  gtk_file_chooser_set_select_multiple (GTK_FILE_CHOOSER (self->chooser), TRUE);

  gtk_file_filter_set_name (badges, _("Badges"));
  gtk_file_filter_add_mime_type (badges, "image/png");
  gtk_file_filter_add_mime_type (badges, "image/svg+xml");
  gtk_file_filter_add_mime_type (badges, "application/json");
  gtk_file_filter_add_mime_type (badges, "application/ld+json");
  gtk_file_filter_add_suffix (badges, "jwt");
  gtk_file_filter_add_suffix (badges, "jws");
  gtk_file_filter_add_suffix (badges, "json");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), badges);
  gtk_file_filter_set_name (all, _("All Files"));
  gtk_file_filter_add_pattern (all, "*");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), all);

  if (self->store != NULL)
    {
      gtk_file_chooser_add_choice (GTK_FILE_CHOOSER (self->chooser), "mode",
                                   _("What to do"), choice_ids, choice_labels);
      gtk_file_chooser_set_choice (GTK_FILE_CHOOSER (self->chooser), "mode", "add");
    }

  g_signal_connect_object (self->chooser, "response",
                           G_CALLBACK (open_response_cb), self, G_CONNECT_SWAPPED);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static void
import_folder_response_cb (BwWindow             *self,
                           int                   response,
                           GtkFileChooserNative *chooser)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_auto(GStrv) paths = paths_from_chooser (GTK_FILE_CHOOSER (chooser));

      bw_window_import_paths (self, (const char * const *)paths);
    }
  g_clear_object (&self->chooser);
}

static void
import_folder_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  BwWindow *self = BW_WINDOW (widget);

  if (self->chooser != NULL)
    return;

  self->chooser = gtk_file_chooser_native_new (_("Import Folder"), GTK_WINDOW (self),
                                               GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER,
                                               _("_Import"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  g_signal_connect_object (self->chooser, "response",
                           G_CALLBACK (import_folder_response_cb), self, G_CONNECT_SWAPPED);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static void
url_entry_changed_cb (GtkEditable      *entry,
                      AdwMessageDialog *dialog)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (entry)));
  gboolean valid = _bw_window_is_web_address (text) && g_uri_is_valid (text, G_URI_FLAGS_NONE, NULL);

  if (adw_message_dialog_has_response (dialog, "add"))
    adw_message_dialog_set_response_enabled (dialog, "add", valid);
  adw_message_dialog_set_response_enabled (dialog, "verify", valid);
}

static void
url_dialog_response_cb (AdwMessageDialog *dialog,
                        const char       *response,
                        BwWindow         *self)
{
  GtkEditable *entry = GTK_EDITABLE (adw_message_dialog_get_extra_child (dialog));
  g_autofree char *url = g_strstrip (g_strdup (gtk_editable_get_text (entry)));
  const char *inputs[] = { url, NULL };

  if (g_strcmp0 (response, "add") == 0)
    bw_window_import_paths (self, inputs);
  else if (g_strcmp0 (response, "verify") == 0)
    bw_window_open_inputs (self, inputs, NULL);
}

static void
add_url_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  BwWindow *self = BW_WINDOW (widget);
  GtkWidget *dialog;
  GtkWidget *entry;

  dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Add from URL"),
                                   _("Enter the web address of a badge, as its issuer or its earner shared it"));
  entry = gtk_entry_new ();
  gtk_entry_set_input_purpose (GTK_ENTRY (entry), GTK_INPUT_PURPOSE_URL);
  gtk_entry_set_placeholder_text (GTK_ENTRY (entry), "https://");
  gtk_entry_set_activates_default (GTK_ENTRY (entry), TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Badge web address"),
                                  -1);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), entry);

  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "verify", _("_Verify Only"),
                                    NULL);
  /* Without a wallet a badge can still be checked, just not kept. */
  if (self->store != NULL)
    {
      adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "add", _("_Add to Wallet"));
      adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "add",
                                                  ADW_RESPONSE_SUGGESTED);
    }
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog),
                                           self->store != NULL ? "add" : "verify");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  url_entry_changed_cb (GTK_EDITABLE (entry), ADW_MESSAGE_DIALOG (dialog));

  g_signal_connect (entry, "changed", G_CALLBACK (url_entry_changed_cb), dialog);
  g_signal_connect_object (dialog, "response", G_CALLBACK (url_dialog_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
  gtk_widget_grab_focus (entry);
}

static void
paste_files_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(BwWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  const GValue *value;

  value = gdk_clipboard_read_value_finish (GDK_CLIPBOARD (object), result, &error);
  if (value == NULL)
    {
      _bw_window_show_toast (self, _("The clipboard could not be read"));
      return;
    }
  _bw_window_drop_value (self, value, 0, 0, NULL);
}

static void
paste_text_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(BwWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  text = gdk_clipboard_read_text_finish (GDK_CLIPBOARD (object), result, &error);
  if (text == NULL)
    {
      _bw_window_show_toast (self, _("The clipboard holds no badge"));
      return;
    }
  bw_window_open_text (self, text);
}

static void
paste_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  BwWindow *self = BW_WINDOW (widget);
  GdkClipboard *clipboard = gtk_widget_get_clipboard (widget);
  GdkContentFormats *formats = gdk_clipboard_get_formats (clipboard);

  if (gdk_content_formats_contain_gtype (formats, GDK_TYPE_FILE_LIST))
    gdk_clipboard_read_value_async (clipboard, GDK_TYPE_FILE_LIST, G_PRIORITY_DEFAULT,
                                    self->cancellable, paste_files_cb, g_object_ref (self));
  else if (gdk_content_formats_contain_gtype (formats, G_TYPE_STRING))
    gdk_clipboard_read_text_async (clipboard, self->cancellable, paste_text_cb,
                                   g_object_ref (self));
  else if (gdk_content_formats_contain_gtype (formats, GDK_TYPE_TEXTURE))
    /* A copied picture has lost the chunk that holds the badge. */
    _bw_window_show_toast (self, _("A copied picture holds no badge data; copy the file instead"));
  else
    _bw_window_show_toast (self, _("The clipboard holds no badge"));
}

static void
search_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  BwWindow *self = BW_WINDOW (widget);
  gboolean enabled = gtk_search_bar_get_search_mode (self->search_bar);

  if (_bw_window_details_visible (self))
    {
      _bw_window_go_back (self);
      enabled = FALSE;
    }
  gtk_search_bar_set_search_mode (self->search_bar, !enabled);
  if (!enabled)
    gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

static void
verify_all_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  BwWindow *self = BW_WINDOW (widget);
  GListModel *model;
  g_autoptr(GPtrArray) badges = g_ptr_array_new_with_free_func (g_object_unref);
  guint n_items;

  if (self->store == NULL)
    return;

  model = G_LIST_MODEL (self->store);
  n_items = g_list_model_get_n_items (model);
  for (guint i = 0; i < n_items; i++)
    {
      BwBadge *badge = g_list_model_get_item (model, i);

      if (badge != NULL)
        g_ptr_array_add (badges, badge);
    }
  bw_window_verify_badges (self, badges);
}

static void
cancel_work_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  BwWindow *self = BW_WINDOW (widget);

  if (self->batch != NULL)
    bw_batch_cancel (self->batch);
}

static void
back_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  _bw_window_go_back (BW_WINDOW (widget));
}

static void
undo_remove_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  _bw_window_undo_last_removal (BW_WINDOW (widget));
}

static void
dismiss_banner_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  gtk_revealer_set_reveal_child (BW_WINDOW (widget)->banner_revealer, FALSE);
}

/* Escape leaves the details page, or else stops the background work. */
static gboolean
escape_cb (GtkWidget *widget,
           GVariant  *args,
           gpointer   user_data)
{
  BwWindow *self = BW_WINDOW (widget);

  if (_bw_window_details_visible (self))
    {
      _bw_window_go_back (self);
      return TRUE;
    }
  if (self->batch != NULL && bw_batch_get_running (self->batch))
    {
      bw_batch_cancel (self->batch);
      return TRUE;
    }
  return FALSE;
}

void
_bw_window_class_init_actions (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.open", NULL, open_action);
  gtk_widget_class_install_action (widget_class, "win.import-folder", NULL, import_folder_action);
  gtk_widget_class_install_action (widget_class, "win.add-url", NULL, add_url_action);
  gtk_widget_class_install_action (widget_class, "win.paste", NULL, paste_action);
  gtk_widget_class_install_action (widget_class, "win.search", NULL, search_action);
  gtk_widget_class_install_action (widget_class, "win.verify-all", NULL, verify_all_action);
  gtk_widget_class_install_action (widget_class, "win.cancel-work", NULL, cancel_work_action);
  gtk_widget_class_install_action (widget_class, "win.back", NULL, back_action);
  gtk_widget_class_install_action (widget_class, "win.undo-remove", NULL, undo_remove_action);
  gtk_widget_class_install_action (widget_class, "win.dismiss-banner", NULL, dismiss_banner_action);

  /* Paste is a window binding, not an application accelerator, so that a
   * focused text entry still gets Ctrl+V first. */
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_v, GDK_CONTROL_MASK,
                                       "win.paste", NULL);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_Escape, 0, escape_cb, NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, GDK_ALT_MASK,
                                       "win.back", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Back, 0, "win.back", NULL);
}
