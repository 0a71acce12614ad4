/* bw-application.c
 *
 * Copyright 2026 The Badge Wallet authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bw-application"

#include "config.h"

#include <glib/gi18n.h>
#include <gnutls/gnutls.h>
#include <json-glib/json-glib.h>
#include <librsvg/rsvg.h>
#include <libsoup/soup.h>
#include <sqlite3.h>

#include "bw-application.h"
#include "bw-preferences-window.h"
#include "bw-widgets.h"
#include "bw-window.h"

struct _BwApplication
{
  AdwApplication  parent_instance;

  GSettings      *settings;
  BwStore        *store;
  GError         *store_error;
  BwFetcher      *fetcher;
  BwVerifier     *verifier;
};

G_DEFINE_FINAL_TYPE (BwApplication, bw_application, ADW_TYPE_APPLICATION)

static const struct
{
  const char *action;
  const char *accels[3];
} accelerators[] = {
  { "app.quit", { "<Control>q", NULL } },
  { "app.preferences", { "<Control>comma", NULL } },
  { "window.close", { "<Control>w", NULL } },
  { "win.open", { "<Control>o", NULL } },
  { "win.import-folder", { "<Control><Shift>o", NULL } },
  { "win.add-url", { "<Control>l", NULL } },
  { "win.search", { "<Control>f", NULL } },
  { "win.verify-all", { "<Control>r", NULL } },
  { "win.undo-remove", { "<Control>z", NULL } },
  { "win.dismiss-banner", { "<Control><Shift>d", NULL } },
};

/**
 * bw_application_dup_identities:
 * @self: the application
 *
 * Parses the identities setting. Entries that do not parse are skipped
 * with a warning in the log, so one bad entry never hides the others.
 *
 * Returns: (transfer full) (element-type BwIdentity): the user's identities
 */
GPtrArray *
bw_application_dup_identities (BwApplication *self)
{
  g_auto(GStrv) values = NULL;
  GPtrArray *identities;

  g_return_val_if_fail (BW_IS_APPLICATION (self), NULL);

  identities = g_ptr_array_new_with_free_func ((GDestroyNotify)bw_identity_free);
  if (self->settings == NULL)
    return identities;

  values = g_settings_get_strv (self->settings, "identities");
  for (guint i = 0; values[i] != NULL; i++)
    {
      g_autoptr(GError) error = NULL;
      BwIdentity *identity = bw_identity_parse (values[i], &error);

      if (identity == NULL)
        g_message ("Ignoring the identity “%s”: %s", values[i], error->message);
      else
        g_ptr_array_add (identities, identity);
    }
  return identities;
}

static void
apply_identities (BwApplication *self)
{
  g_autoptr(GPtrArray) identities = NULL;

  if (self->verifier == NULL)
    return;

  identities = bw_application_dup_identities (self);
  bw_verifier_clear_identities (self->verifier);
  for (guint i = 0; i < identities->len; i++)
    bw_verifier_add_identity (self->verifier, g_ptr_array_index (identities, i));
}

static void
settings_changed_cb (BwApplication *self,
                     const char    *key,
                     GSettings     *settings)
{
  if (g_strcmp0 (key, "identities") == 0)
    apply_identities (self);
  else if (g_strcmp0 (key, "allow-local-issuers") == 0 && self->fetcher != NULL)
    bw_fetcher_set_allow_local (self->fetcher,
                                g_settings_get_boolean (settings, "allow-local-issuers"));
}

static void
open_wallet (BwApplication *self)
{
  g_autofree char *wallet_dir = g_build_filename (g_get_user_data_dir (), "badge-wallet", NULL);
  g_autofree char *cache_dir = g_build_filename (g_get_user_cache_dir (), "badge-wallet",
                                                 "documents", NULL);

  self->fetcher = bw_fetcher_new ();
  bw_fetcher_set_cache_dir (self->fetcher, cache_dir);
  bw_fetcher_set_allow_local (self->fetcher,
                              g_settings_get_boolean (self->settings, "allow-local-issuers"));
  self->verifier = bw_verifier_new (self->fetcher);
  apply_identities (self);

  self->store = bw_store_open (wallet_dir, &self->store_error);
  if (self->store == NULL)
    {
      g_message ("The wallet in %s could not be opened: %s",
                 wallet_dir, self->store_error->message);
      return;
    }

  /* The store resolves a hosted badge's documents as it adds it, so its
   * name and issuer are known offline afterwards. Verification stays with
   * the window, which runs it in the background. */
  bw_store_set_fetcher (self->store, self->fetcher);
}

static void
quit_action (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       user_data)
{
  BwApplication *self = user_data;
  g_autoptr(GList) windows = g_list_copy (gtk_application_get_windows (GTK_APPLICATION (self)));

  /* Closing each window saves its state and commits its removals. */
  for (GList *l = windows; l != NULL; l = l->next)
    gtk_window_close (GTK_WINDOW (l->data));

  g_application_quit (G_APPLICATION (self));
}

static void
preferences_action (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  BwApplication *self = user_data;
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));
  BwPreferencesWindow *preferences;

  preferences = bw_preferences_window_new (self->settings);
  gtk_window_set_transient_for (GTK_WINDOW (preferences), parent);
  gtk_window_set_modal (GTK_WINDOW (preferences), parent != NULL);
  gtk_window_present (GTK_WINDOW (preferences));
}

static char *
dup_debug_info (BwApplication *self)
{
  GString *info = g_string_new (NULL);

  g_string_append_printf (info, "Badge Wallet %s (%s)\n\n", PACKAGE_VERSION, APP_ID);
  g_string_append_printf (info, "GLib %u.%u.%u\n",
                          glib_major_version, glib_minor_version, glib_micro_version);
  g_string_append_printf (info, "GTK %u.%u.%u\n",
                          gtk_get_major_version (), gtk_get_minor_version (),
                          gtk_get_micro_version ());
  g_string_append_printf (info, "libadwaita %u.%u.%u\n",
                          adw_get_major_version (), adw_get_minor_version (),
                          adw_get_micro_version ());
  g_string_append_printf (info, "libsoup %u.%u.%u\n",
                          soup_get_major_version (), soup_get_minor_version (),
                          soup_get_micro_version ());
  g_string_append_printf (info, "json-glib %s (built with)\n", JSON_VERSION_S);
  g_string_append_printf (info, "librsvg %u.%u.%u\n",
                          rsvg_major_version, rsvg_minor_version, rsvg_micro_version);
  g_string_append_printf (info, "SQLite %s\n", sqlite3_libversion ());
  g_string_append_printf (info, "GnuTLS %s\n\n", gnutls_check_version (NULL));

  g_string_append_printf (info, "Wallet: %s\n",
                          self->store != NULL ? bw_store_get_directory (self->store)
                                              : "(not open)");
  if (self->store_error != NULL)
    g_string_append_printf (info, "Wallet error: %s\n", self->store_error->message);
  if (self->store != NULL && bw_store_get_recovery_message (self->store) != NULL)
    g_string_append_printf (info, "Wallet recovery: %s\n",
                            bw_store_get_recovery_message (self->store));
  if (self->store != NULL)
    g_string_append_printf (info, "Badges: %u\n", bw_store_get_total (self->store));
  if (self->settings != NULL)
    {
      g_auto(GStrv) identities = g_settings_get_strv (self->settings, "identities");

      g_string_append_printf (info, "Identities: %u\n", g_strv_length (identities));
      g_string_append_printf (info, "Verify on import: %s\n",
                              g_settings_get_boolean (self->settings, "verify-on-import") ? "yes" : "no");
      g_string_append_printf (info, "Verify again after: %u days\n",
                              g_settings_get_uint (self->settings, "reverify-after-days"));
      g_string_append_printf (info, "Allow local issuers: %s\n",
                              g_settings_get_boolean (self->settings, "allow-local-issuers") ? "yes" : "no");
    }
  g_string_append_printf (info, "\nGTK backend: %s\n",
                          G_OBJECT_TYPE_NAME (gdk_display_get_default ()));
  g_string_append_printf (info, "Flatpak: %s\n",
                          g_file_test ("/.flatpak-info", G_FILE_TEST_EXISTS) ? "yes" : "no");

  return g_string_free (info, FALSE);
}

static void
about_action (GSimpleAction *action,
              GVariant      *parameter,
              gpointer       user_data)
{
  BwApplication *self = user_data;
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));
  g_autofree char *debug_info = dup_debug_info (self);
  static const char *developers[] = { "The Badge Wallet authors", NULL };
  GtkWidget *about;

  about = adw_about_window_new ();
  gtk_window_set_transient_for (GTK_WINDOW (about), parent);
  gtk_window_set_modal (GTK_WINDOW (about), parent != NULL);
  g_object_set (about,
                "application-name", _("Badge Wallet"),
                "application-icon", APP_ID,
                "version", PACKAGE_VERSION,
                "developer-name", _("The Badge Wallet authors"),
                "developers", developers,
                "copyright", _("© 2026 The Badge Wallet authors"),
                "comments", _("Keep, verify and share your Open Badges"),
                "website", PACKAGE_WEBSITE,
                "issue-url", PACKAGE_ISSUES,
                "support-url", PACKAGE_ISSUES,
                "license-type", GTK_LICENSE_GPL_3_0,
                /* Translators: Replace "translator-credits" with your names, one name per line. */
                "translator-credits", _("translator-credits"),
                "debug-info", debug_info,
                "debug-info-filename", "badge-wallet-debug-info.txt",
                NULL);
  gtk_window_present (GTK_WINDOW (about));
}

static const GActionEntry app_actions[] = {
  { "quit", quit_action },
  { "preferences", preferences_action },
  { "about", about_action },
};

static BwWindow *
ensure_window (BwApplication *self)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (BW_IS_WINDOW (window))
    return BW_WINDOW (window);
  return bw_window_new (self);
}

static void
bw_application_startup (GApplication *application)
{
  BwApplication *self = BW_APPLICATION (application);

  G_APPLICATION_CLASS (bw_application_parent_class)->startup (application);

  bw_widgets_init ();

  self->settings = g_settings_new (APP_ID);
  g_signal_connect_object (self->settings, "changed",
                           G_CALLBACK (settings_changed_cb), self, G_CONNECT_SWAPPED);

  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions,
                                   G_N_ELEMENTS (app_actions), self);
  for (guint i = 0; i < G_N_ELEMENTS (accelerators); i++)
    gtk_application_set_accels_for_action (GTK_APPLICATION (self),
                                           accelerators[i].action,
                                           accelerators[i].accels);

  open_wallet (self);
}

static void
bw_application_shutdown (GApplication *application)
{
  BwApplication *self = BW_APPLICATION (application);
  g_autoptr(GError) error = NULL;

  /* A removal still waiting for its undo toast is what the user asked
   * for; it is committed, not lost, when the application stops. */
  if (self->store != NULL && !bw_store_commit_removals (self->store, &error))
    g_warning ("Removals could not be committed: %s", error->message);

  G_APPLICATION_CLASS (bw_application_parent_class)->shutdown (application);
}

static void
bw_application_activate (GApplication *application)
{
  BwWindow *window = ensure_window (BW_APPLICATION (application));

  gtk_window_present (GTK_WINDOW (window));
}

static void
bw_application_open (GApplication  *application,
                     GFile        **files,
                     int            n_files,
                     const char    *hint)
{
  BwWindow *window = ensure_window (BW_APPLICATION (application));

  gtk_window_present (GTK_WINDOW (window));
  bw_window_open_files (window, files, (guint)n_files);
}

static void
bw_application_dispose (GObject *object)
{
  BwApplication *self = (BwApplication *)object;

  g_clear_object (&self->verifier);
  g_clear_object (&self->fetcher);
  g_clear_object (&self->store);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (bw_application_parent_class)->dispose (object);
}

static void
bw_application_finalize (GObject *object)
{
  BwApplication *self = (BwApplication *)object;

  g_clear_error (&self->store_error);

  G_OBJECT_CLASS (bw_application_parent_class)->finalize (object);
}

static void
bw_application_class_init (BwApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *application_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = bw_application_dispose;
  object_class->finalize = bw_application_finalize;
  application_class->startup = bw_application_startup;
  application_class->shutdown = bw_application_shutdown;
  application_class->activate = bw_application_activate;
  application_class->open = bw_application_open;
}

static void
bw_application_init (BwApplication *self)
{
}

/**
 * bw_application_new:
 *
 * Returns: (transfer full): the application
 */
BwApplication *
bw_application_new (void)
{
  return g_object_new (BW_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_HANDLES_OPEN,
                       "resource-base-path", RESOURCE_BASE,
                       NULL);
}

int
bw_application_run (int    argc,
                    char **argv)
{
  g_autoptr(BwApplication) app = bw_application_new ();

  g_set_application_name (_("Badge Wallet"));
  gtk_window_set_default_icon_name (APP_ID);

  return g_application_run (G_APPLICATION (app), argc, argv);
}

/**
 * bw_application_get_settings:
 * @self: the application
 *
 * Returns: (transfer none): the settings, once the application started
 */
GSettings *
bw_application_get_settings (BwApplication *self)
{
  g_return_val_if_fail (BW_IS_APPLICATION (self), NULL);

  return self->settings;
}

/**
 * bw_application_get_store:
 * @self: the application
 *
 * Returns: (transfer none) (nullable): the wallet, or %NULL when it could
 *   not be opened (see bw_application_get_store_error())
 */
BwStore *
bw_application_get_store (BwApplication *self)
{
  g_return_val_if_fail (BW_IS_APPLICATION (self), NULL);

  return self->store;
}

/**
 * bw_application_get_store_error:
 * @self: the application
 *
 * Returns: (transfer none) (nullable): why the wallet could not be opened
 */
const GError *
bw_application_get_store_error (BwApplication *self)
{
  g_return_val_if_fail (BW_IS_APPLICATION (self), NULL);

  return self->store_error;
}

/**
 * bw_application_get_fetcher:
 * @self: the application
 *
 * Returns: (transfer none): the one fetcher of the application
 */
BwFetcher *
bw_application_get_fetcher (BwApplication *self)
{
  g_return_val_if_fail (BW_IS_APPLICATION (self), NULL);

  return self->fetcher;
}

/**
 * bw_application_get_verifier:
 * @self: the application
 *
 * Returns: (transfer none): the one verifier of the application
 */
BwVerifier *
bw_application_get_verifier (BwApplication *self)
{
  g_return_val_if_fail (BW_IS_APPLICATION (self), NULL);

  return self->verifier;
}
