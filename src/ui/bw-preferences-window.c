/* bw-preferences-window.c
 *
 * Copyright 2026 The Badge Wallet authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bw-preferences-window"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "bw-core.h"
#include "bw-preferences-window.h"

struct _BwPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  GtkListBox           *identities_list;
  AdwEntryRow          *add_row;
  GtkSwitch            *verify_on_import_switch;
  GtkSpinButton        *reverify_spin;
  GtkSwitch            *allow_local_switch;

  GSettings            *settings;
  /* The rows shown for the identities setting, in its order. */
  GPtrArray            *identity_rows;
};

G_DEFINE_FINAL_TYPE (BwPreferencesWindow, bw_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

/**
 * bw_identity_setting_from_text:
 * @text: what the user typed: an e-mail address, a web address, a
 *   telephone number, or an explicit `TYPE:VALUE`
 * @error: return location for an error
 *
 * Turns what the user typed into the `TYPE:VALUE` form the identities
 * setting stores.
 *
 * Returns: (transfer full) (nullable): the setting entry, or %NULL with
 *   @error set when @text identifies no one
 */
char *
bw_identity_setting_from_text (const char  *text,
                               GError     **error)
{
  g_autofree char *trimmed = NULL;
  g_autofree char *entry = NULL;
  g_autoptr(BwIdentity) identity = NULL;

  g_return_val_if_fail (text != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  trimmed = g_strstrip (g_strdup (text));
  if (*trimmed == '\0')
    {
      g_set_error_literal (error, BW_ERROR, BW_ERROR_INVALID_DATA,
                           _("Enter an e-mail address or a web address"));
      return NULL;
    }

  if (g_str_has_prefix (trimmed, "email:") || g_str_has_prefix (trimmed, "url:") ||
      g_str_has_prefix (trimmed, "telephone:"))
    entry = g_strdup (trimmed);
  else if (g_str_has_prefix (trimmed, "mailto:"))
    entry = g_strconcat ("email:", trimmed + strlen ("mailto:"), NULL);
  else if (g_str_has_prefix (trimmed, "tel:"))
    entry = g_strconcat ("telephone:", trimmed + strlen ("tel:"), NULL);
  else if (g_str_has_prefix (trimmed, "https://") || g_str_has_prefix (trimmed, "http://"))
    entry = g_strconcat ("url:", trimmed, NULL);
  else if (strchr (trimmed, '@') != NULL && strchr (trimmed, ' ') == NULL)
    entry = g_strconcat ("email:", trimmed, NULL);
  else if (trimmed[0] == '+' && strspn (trimmed + 1, "0123456789 -()") == strlen (trimmed + 1) &&
           strlen (trimmed) > 4)
    {
      /* Telephone identities are compared in E.164 form, without spaces. */
      GString *digits = g_string_new ("telephone:+");

      for (const char *p = trimmed + 1; *p != '\0'; p++)
        if (g_ascii_isdigit (*p))
          g_string_append_c (digits, *p);
      entry = g_string_free (digits, FALSE);
    }
  else
    {
      g_set_error (error, BW_ERROR, BW_ERROR_INVALID_DATA,
                   _("“%s” is neither an e-mail address nor a web address"), trimmed);
      return NULL;
    }

  identity = bw_identity_parse (entry, error);
  if (identity == NULL)
    return NULL;

  return g_strdup_printf ("%s:%s", identity->type, identity->value);
}

static const char *
identity_type_label (const char *type)
{
  if (g_strcmp0 (type, "email") == 0)
    return _("E-mail address");
  if (g_strcmp0 (type, "url") == 0)
    return _("Web address");
  if (g_strcmp0 (type, "telephone") == 0)
    return _("Telephone number");
  return _("Identifier");
}

static void
remove_identity (BwPreferencesWindow *self,
                 const char          *entry)
{
  g_auto(GStrv) values = g_settings_get_strv (self->settings, "identities");
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) kept = NULL;

  for (guint i = 0; values[i] != NULL; i++)
    if (g_strcmp0 (values[i], entry) != 0)
      g_strv_builder_add (builder, values[i]);
  kept = g_strv_builder_end (builder);
  g_settings_set_strv (self->settings, "identities", (const char * const *)kept);
}

static void
remove_button_clicked_cb (GtkButton           *button,
                          BwPreferencesWindow *self)
{
  const char *entry = g_object_get_data (G_OBJECT (button), "bw-identity");

  remove_identity (self, entry);
  gtk_widget_grab_focus (GTK_WIDGET (self->add_row));
}

static GtkWidget *
create_identity_row (BwPreferencesWindow *self,
                     const char          *entry)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BwIdentity) identity = bw_identity_parse (entry, &error);
  g_autofree char *remove_label = NULL;
  GtkWidget *row;
  GtkWidget *button;

  row = adw_action_row_new ();
  /* Values are what the user typed; markup in them is shown as text. */
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                 identity != NULL ? identity->value : entry);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row),
                               identity != NULL ? identity_type_label (identity->type)
                                                : error->message);

  button = gtk_button_new_from_icon_name ("user-trash-symbolic");
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "flat");
  gtk_widget_set_tooltip_text (button, _("Remove"));
  /* Translators: the accessible label of the button removing one identity. */
  remove_label = g_strdup_printf (_("Remove %s"), identity != NULL ? identity->value : entry);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, remove_label,
                                  -1);
  g_object_set_data_full (G_OBJECT (button), "bw-identity", g_strdup (entry), g_free);
  g_signal_connect (button, "clicked", G_CALLBACK (remove_button_clicked_cb), self);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);

  return row;
}

static void
rebuild_identities (BwPreferencesWindow *self)
{
  g_auto(GStrv) values = g_settings_get_strv (self->settings, "identities");

  for (guint i = 0; i < self->identity_rows->len; i++)
    gtk_list_box_remove (self->identities_list, g_ptr_array_index (self->identity_rows, i));
  g_ptr_array_set_size (self->identity_rows, 0);

  for (guint i = 0; values[i] != NULL; i++)
    {
      GtkWidget *row = create_identity_row (self, values[i]);

      /* The entry row for adding stays last. */
      gtk_list_box_insert (self->identities_list, row, (int)i);
      g_ptr_array_add (self->identity_rows, row);
    }
}

/**
 * bw_preferences_window_add_identity:
 * @self: a preferences window
 * @text: what the user typed
 * @error: return location for an error
 *
 * Adds the identity @text names to the identities setting, once.
 *
 * Returns: whether @text was an identity
 */
gboolean
bw_preferences_window_add_identity (BwPreferencesWindow  *self,
                                    const char           *text,
                                    GError              **error)
{
  g_autofree char *entry = NULL;
  g_auto(GStrv) values = NULL;
  g_autoptr(GStrvBuilder) builder = NULL;
  g_auto(GStrv) updated = NULL;

  g_return_val_if_fail (BW_IS_PREFERENCES_WINDOW (self), FALSE);
  g_return_val_if_fail (text != NULL, FALSE);

  entry = bw_identity_setting_from_text (text, error);
  if (entry == NULL)
    return FALSE;

  values = g_settings_get_strv (self->settings, "identities");
  if (g_strv_contains ((const char * const *)values, entry))
    return TRUE;

  builder = g_strv_builder_new ();
  g_strv_builder_addv (builder, (const char **)values);
  g_strv_builder_add (builder, entry);
  updated = g_strv_builder_end (builder);
  g_settings_set_strv (self->settings, "identities", (const char * const *)updated);
  return TRUE;
}

static void
add_row_apply_cb (BwPreferencesWindow *self,
                  AdwEntryRow         *row)
{
  g_autoptr(GError) error = NULL;
  const char *text = gtk_editable_get_text (GTK_EDITABLE (row));

  if (!bw_preferences_window_add_identity (self, text, &error))
    {
      gtk_widget_add_css_class (GTK_WIDGET (row), "error");
      adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self),
                                        adw_toast_new (error->message));
      return;
    }
  gtk_editable_set_text (GTK_EDITABLE (row), "");
}

static void
add_row_changed_cb (BwPreferencesWindow *self,
                    AdwEntryRow         *row)
{
  gtk_widget_remove_css_class (GTK_WIDGET (row), "error");
}

static void
identities_changed_cb (BwPreferencesWindow *self,
                       const char          *key,
                       GSettings           *settings)
{
  rebuild_identities (self);
}

static void
bw_preferences_window_dispose (GObject *object)
{
  BwPreferencesWindow *self = (BwPreferencesWindow *)object;

  gtk_widget_dispose_template (GTK_WIDGET (self), BW_TYPE_PREFERENCES_WINDOW);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (bw_preferences_window_parent_class)->dispose (object);
}

static void
bw_preferences_window_finalize (GObject *object)
{
  BwPreferencesWindow *self = (BwPreferencesWindow *)object;

  g_clear_pointer (&self->identity_rows, g_ptr_array_unref);

  G_OBJECT_CLASS (bw_preferences_window_parent_class)->finalize (object);
}

static void
bw_preferences_window_class_init (BwPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = bw_preferences_window_dispose;
  object_class->finalize = bw_preferences_window_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_BASE "/bw-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, BwPreferencesWindow, identities_list);
  gtk_widget_class_bind_template_child (widget_class, BwPreferencesWindow, add_row);
  gtk_widget_class_bind_template_child (widget_class, BwPreferencesWindow, verify_on_import_switch);
  gtk_widget_class_bind_template_child (widget_class, BwPreferencesWindow, reverify_spin);
  gtk_widget_class_bind_template_child (widget_class, BwPreferencesWindow, allow_local_switch);
  gtk_widget_class_bind_template_callback (widget_class, add_row_apply_cb);
  gtk_widget_class_bind_template_callback (widget_class, add_row_changed_cb);
}

static void
bw_preferences_window_init (BwPreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->identity_rows = g_ptr_array_new ();
}

/**
 * bw_preferences_window_new:
 * @settings: the application settings
 *
 * Returns: (transfer full): a preferences window editing @settings
 */
BwPreferencesWindow *
bw_preferences_window_new (GSettings *settings)
{
  BwPreferencesWindow *self;

  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  self = g_object_new (BW_TYPE_PREFERENCES_WINDOW, NULL);
  self->settings = g_object_ref (settings);

  g_settings_bind (settings, "verify-on-import",
                   self->verify_on_import_switch, "active", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "reverify-after-days",
                   gtk_spin_button_get_adjustment (self->reverify_spin), "value",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "allow-local-issuers",
                   self->allow_local_switch, "active", G_SETTINGS_BIND_DEFAULT);
  g_signal_connect_object (settings, "changed::identities",
                           G_CALLBACK (identities_changed_cb), self, G_CONNECT_SWAPPED);
  rebuild_identities (self);

  return self;
}
