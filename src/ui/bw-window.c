/* bw-window.c
 *
 * Copyright 2026 The Badge Wallet authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bw-window"

#include "config.h"

#include <glib/gi18n.h>

#include "bw-badge-page.h"
#include "bw-batch.h"
#include "bw-library-view.h"
#include "bw-verify-dialog.h"
#include "bw-window-private.h"

/* Dropping a whole folder of files must not bury the desktop in windows:
 * past this many, the user is pointed at importing instead. */
#define MAX_VERIFY_DIALOGS 10
/* Stale badges are gathered in slices so a large wallet never stalls a
 * frame while the application starts. */
#define STALE_SCAN_SLICE   200

typedef struct
{
  BwWindow *self;
  char     *wallet_id;
  AdwToast *toast;      /* weak: the overlay owns it */
  gboolean  undone;
  gboolean  dismissed;
} Removal;

G_DEFINE_FINAL_TYPE (BwWindow, bw_window, ADW_TYPE_APPLICATION_WINDOW)


gboolean
_bw_window_details_visible (BwWindow *self)
{
  return adw_leaflet_get_visible_child (self->leaflet) == self->details_page;
}

void
bw_window_add_toast (BwWindow *self,
                     AdwToast *toast)
{
  g_return_if_fail (BW_IS_WINDOW (self));
  g_return_if_fail (ADW_IS_TOAST (toast));

  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

/**
 * bw_window_get_batch:
 * @self: a window
 *
 * Returns: (transfer none) (nullable): the background work of the window,
 *   or %NULL when the wallet could not be opened
 */
BwBatch *
bw_window_get_batch (BwWindow *self)
{
  g_return_val_if_fail (BW_IS_WINDOW (self), NULL);

  return self->batch;
}

/**
 * bw_window_get_library_view:
 * @self: a window
 *
 * Returns: (transfer none) (nullable): the library, or %NULL when the
 *   wallet could not be opened
 */
GtkWidget *
bw_window_get_library_view (BwWindow *self)
{
  g_return_val_if_fail (BW_IS_WINDOW (self), NULL);

  return self->library_view;
}

void
_bw_window_show_toast (BwWindow   *self,
            const char *message)
{
  AdwToast *toast = adw_toast_new (message);

  adw_toast_set_timeout (toast, 5);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

/* Library state ------------------------------------------------------------ */

/* Type-to-search belongs to a library with badges in it; on the details
 * page typing must reach the page itself. */
static void
update_key_capture (BwWindow *self)
{
  gboolean searchable = self->store != NULL && bw_store_get_total (self->store) > 0 &&
                        !_bw_window_details_visible (self);

  gtk_search_bar_set_key_capture_widget (self->search_bar,
                                         searchable ? GTK_WIDGET (self) : NULL);
}

static void
update_library_state (BwWindow *self)
{
  guint total;
  g_autofree char *subtitle = NULL;

  if (self->store == NULL)
    {
      gtk_stack_set_visible_child_name (self->content_stack, "error");
      adw_window_title_set_subtitle (self->window_title, NULL);
      adw_window_title_set_subtitle (self->short_title, NULL);
      gtk_widget_set_sensitive (GTK_WIDGET (self->search_button), FALSE);
      return;
    }

  total = bw_store_get_total (self->store);
  gtk_widget_set_sensitive (GTK_WIDGET (self->search_button), total > 0);
  if (total == 0)
    gtk_search_bar_set_search_mode (self->search_bar, FALSE);
  gtk_stack_set_visible_child_name (self->content_stack,
                                    total == 0 ? "empty" : "library");
  if (total > 0)
    /* Translators: the window subtitle, the number of badges in the wallet. */
    subtitle = g_strdup_printf (ngettext ("%u badge", "%u badges", total), total);
  adw_window_title_set_subtitle (self->window_title, subtitle);
  adw_window_title_set_subtitle (self->short_title, subtitle);
  update_key_capture (self);
  _bw_window_update_actions (self);
}

static void
store_items_changed_cb (BwWindow   *self,
                        guint       position,
                        guint       removed,
                        guint       added,
                        GListModel *model)
{
  update_library_state (self);
}

void
_bw_window_update_actions (BwWindow *self)
{
  gboolean has_store = self->store != NULL;
  gboolean running = self->batch != NULL && bw_batch_get_running (self->batch);
  gboolean has_badges = has_store && bw_store_get_total (self->store) > 0;
  gboolean on_library = !_bw_window_details_visible (self);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.import-folder", has_store);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.verify-all",
                                 has_badges && self->verifier != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.cancel-work", running);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.back", !on_library);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.search", has_badges);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.undo-remove",
                                 self->live_removal_toasts > 0);
}

/* Details and navigation --------------------------------------------------- */

static void
commit_removals (BwWindow *self)
{
  g_autoptr(GError) error = NULL;

  if (self->store == NULL || self->removals->len == 0)
    return;

  g_ptr_array_set_size (self->removals, 0);
  if (!bw_store_commit_removals (self->store, &error))
    {
      g_autofree char *message = g_strdup_printf (_("Removing badges failed: %s"),
                                                  error->message);
      _bw_window_show_toast (self, message);
    }
}

static void
removal_clear (gpointer data)
{
  Removal *removal = data;

  if (removal->toast != NULL)
    g_object_remove_weak_pointer (G_OBJECT (removal->toast), (gpointer *)&removal->toast);
  g_free (removal->wallet_id);
}

static void
removal_unref (gpointer data)
{
  g_rc_box_release_full (data, removal_clear);
}

static void
removal_release (gpointer  data,
                 GClosure *closure)
{
  g_rc_box_release_full (data, removal_clear);
}

static void
undo_removal (BwWindow *self,
              Removal  *removal,
              gboolean  dismiss_toast)
{
  if (removal->undone || self->store == NULL)
    return;

  removal->undone = TRUE;
  bw_store_undo_remove (self->store, removal->wallet_id);

  /* Undone by the keyboard, the toast offering Undo has done its job. */
  if (dismiss_toast && removal->toast != NULL && !removal->dismissed)
    adw_toast_dismiss (removal->toast);
}

/* Undoes the most recent removal still waiting for its toast (Ctrl+Z). */
void
_bw_window_undo_last_removal (BwWindow *self)
{
  for (guint i = self->removals->len; i > 0; i--)
    {
      Removal *removal = g_ptr_array_index (self->removals, i - 1);

      if (!removal->undone)
        {
          undo_removal (self, removal, TRUE);
          break;
        }
    }
}

static void
removal_toast_button_clicked_cb (AdwToast *toast,
                                 Removal  *removal)
{
  if (!removal->self->disposed)
    undo_removal (removal->self, removal, FALSE);
}

static void
removal_toast_dismissed_cb (AdwToast *toast,
                            Removal  *removal)
{
  BwWindow *self = removal->self;

  /* Toasts are dismissed while the window is torn down; the removals were
   * committed just before. */
  if (self->disposed || removal->dismissed)
    return;

  removal->dismissed = TRUE;
  g_assert (self->live_removal_toasts > 0);
  self->live_removal_toasts--;

  /* The store commits every pending removal at once, so it waits until no
   * undo toast is left; a newer toast replacing an older one must not cut
   * short the newer undo. */
  if (self->live_removal_toasts == 0)
    {
      g_autoptr(GPtrArray) undone = g_ptr_array_new ();

      for (guint i = 0; i < self->removals->len; i++)
        {
          Removal *r = g_ptr_array_index (self->removals, i);

          if (r->undone)
            g_ptr_array_add (undone, r);
        }
      if (undone->len < self->removals->len)
        commit_removals (self);
      else
        g_ptr_array_set_size (self->removals, 0);
    }
  _bw_window_update_actions (self);
}

void
_bw_window_go_back (BwWindow *self)
{
  adw_leaflet_set_visible_child (self->leaflet, self->library_page);
  if (self->library_view != NULL)
    gtk_widget_grab_focus (self->library_view);
}

static void
remove_requested_cb (BwWindow    *self,
                     BwBadge     *badge,
                     BwBadgePage *page)
{
  Removal *removal;
  AdwToast *toast;
  const char *name;

  g_assert (BW_IS_WINDOW (self));
  g_assert (BW_IS_BADGE (badge));

  if (self->store == NULL || bw_badge_get_wallet_id (badge) == NULL)
    return;

  removal = g_rc_box_new0 (Removal);
  removal->self = self;
  removal->wallet_id = g_strdup (bw_badge_get_wallet_id (badge));
  g_ptr_array_add (self->removals, removal);

  name = bw_badge_get_name (badge);
  if (name == NULL || *name == '\0')
    name = _("Badge");

  bw_store_remove_pending (self->store, removal->wallet_id);
  _bw_window_go_back (self);

  /* Translators: a toast after removing a badge; %s is the badge name. */
  toast = adw_toast_new_format (_("“%s” removed"), name);
  adw_toast_set_button_label (toast, _("_Undo"));
  adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
  adw_toast_set_timeout (toast, 8);
  g_signal_connect_data (toast, "button-clicked",
                         G_CALLBACK (removal_toast_button_clicked_cb),
                         g_rc_box_acquire (removal), removal_release, 0);
  g_signal_connect_data (toast, "dismissed",
                         G_CALLBACK (removal_toast_dismissed_cb),
                         g_rc_box_acquire (removal), removal_release, 0);
  removal->toast = toast;
  g_object_add_weak_pointer (G_OBJECT (toast), (gpointer *)&removal->toast);
  self->live_removal_toasts++;
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
  _bw_window_update_actions (self);
}

/**
 * bw_window_show_badge:
 * @self: a window
 * @badge: a badge of the wallet
 *
 * Shows the details page of @badge.
 */
void
bw_window_show_badge (BwWindow *self,
                      BwBadge  *badge)
{
  GtkWidget *page;
  const char *name;

  g_return_if_fail (BW_IS_WINDOW (self));
  g_return_if_fail (BW_IS_BADGE (badge));

  if (self->store == NULL)
    return;

  page = bw_badge_page_new (self->store, self->verifier, badge);
  g_signal_connect_object (page, "remove-requested",
                           G_CALLBACK (remove_requested_cb), self, G_CONNECT_SWAPPED);
  adw_bin_set_child (self->details_bin, page);

  name = bw_badge_get_name (badge);
  adw_window_title_set_title (self->details_title,
                              name != NULL && *name != '\0' ? name : _("Badge"));
  adw_window_title_set_subtitle (self->details_title, bw_badge_get_issuer_name (badge));

  adw_leaflet_set_visible_child (self->leaflet, self->details_page);
  gtk_widget_grab_focus (self->back_button);
}

static void
badge_activated_cb (BwWindow      *self,
                    BwBadge       *badge,
                    BwLibraryView *view)
{
  bw_window_show_badge (self, badge);
}

static void
leaflet_visible_child_cb (BwWindow *self)
{
  gboolean on_library = !_bw_window_details_visible (self);

  update_key_capture (self);

  /* Once the details page has slid away it is dropped, so it neither keeps
   * a badge alive nor keeps working in the background. */
  if (on_library && !adw_leaflet_get_child_transition_running (self->leaflet))
    adw_bin_set_child (self->details_bin, NULL);

  _bw_window_update_actions (self);
}

/* Opening badges for verification ------------------------------------------- */

/**
 * bw_window_open_inputs:
 * @self: a window
 * @inputs: local paths or http(s) URLs
 * @data: (nullable): content already read, for a paste; @inputs then
 *   holds one name for it
 *
 * Opens the verification dialog for each input. This is where dropped,
 * pasted, opened and command-line badges all arrive; nothing is added to
 * the wallet unless the user asks in the dialog.
 */
void
bw_window_open_inputs (BwWindow           *self,
                       const char * const *inputs,
                       GBytes             *data)
{
  guint n_inputs;

  g_return_if_fail (BW_IS_WINDOW (self));
  g_return_if_fail (inputs != NULL);

  n_inputs = g_strv_length ((char **)inputs);
  if (n_inputs == 0)
    {
      _bw_window_show_toast (self, _("There was no badge to open"));
      return;
    }

  for (guint i = 0; i < n_inputs && i < MAX_VERIFY_DIALOGS; i++)
    {
      BwVerifyDialog *dialog;

      dialog = bw_verify_dialog_new (GTK_WINDOW (self), self->store, self->verifier,
                                     inputs[i], data);
      gtk_window_present (GTK_WINDOW (dialog));
    }

  if (n_inputs > MAX_VERIFY_DIALOGS)
    {
      g_autofree char *message = NULL;

      /* Translators: %u is the number of badges dropped or opened at once. */
      message = g_strdup_printf (ngettext ("Only the first %u badge was opened; import a folder to check many at once",
                                           "Only the first %u badges were opened; import a folder to check many at once",
                                           MAX_VERIFY_DIALOGS),
                                 MAX_VERIFY_DIALOGS);
      _bw_window_show_toast (self, message);
    }
}

char *
_bw_window_input_for_file (GFile *file)
{
  g_autofree char *uri = NULL;
  char *path = g_file_get_path (file);

  if (path != NULL)
    return path;

  uri = g_file_get_uri (file);
  if (g_str_has_prefix (uri, "https://") || g_str_has_prefix (uri, "http://"))
    return g_steal_pointer (&uri);
  return NULL;
}

/**
 * bw_window_open_files:
 * @self: a window
 * @files: (array length=n_files): local files, or http(s) locations
 * @n_files: the number of @files
 *
 * Opens each of @files in a verification dialog.
 */
void
bw_window_open_files (BwWindow  *self,
                      GFile    **files,
                      guint      n_files)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) inputs = NULL;
  guint skipped = 0;

  g_return_if_fail (BW_IS_WINDOW (self));
  g_return_if_fail (files != NULL || n_files == 0);

  for (guint i = 0; i < n_files; i++)
    {
      g_autofree char *input = _bw_window_input_for_file (files[i]);

      if (input != NULL)
        g_strv_builder_add (builder, input);
      else
        skipped++;
    }

  if (skipped > 0)
    _bw_window_show_toast (self, _("Only local files and web addresses can be opened"));

  inputs = g_strv_builder_end (builder);
  if (inputs[0] != NULL)
    bw_window_open_inputs (self, (const char * const *)inputs, NULL);
}

gboolean
_bw_window_is_web_address (const char *text)
{
  return g_str_has_prefix (text, "https://") || g_str_has_prefix (text, "http://");
}

/**
 * bw_window_open_text:
 * @self: a window
 * @text: dropped or pasted text: web addresses or file URIs, one a line,
 *   or the badge itself (JSON or a compact JWS)
 *
 * Opens the badges @text names or holds in verification dialogs.
 */
void
bw_window_open_text (BwWindow   *self,
                     const char *text)
{
  g_autofree char *trimmed = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) inputs = NULL;
  gboolean all_locations = TRUE;

  g_return_if_fail (BW_IS_WINDOW (self));
  g_return_if_fail (text != NULL);

  trimmed = g_strstrip (g_strdup (text));
  if (*trimmed == '\0')
    {
      _bw_window_show_toast (self, _("There was no badge to open"));
      return;
    }

  /* A list of locations (text/uri-list or plain lines) opens each one;
   * anything else is taken as the badge itself. */
  lines = g_strsplit_set (trimmed, "\r\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_strstrip (lines[i]);
      if (*lines[i] == '\0' || lines[i][0] == '#')
        continue;
      if (_bw_window_is_web_address (lines[i]))
        g_strv_builder_add (builder, lines[i]);
      else if (g_str_has_prefix (lines[i], "file://"))
        {
          g_autofree char *path = g_filename_from_uri (lines[i], NULL, NULL);

          if (path == NULL)
            {
              all_locations = FALSE;
              break;
            }
          g_strv_builder_add (builder, path);
        }
      else
        {
          all_locations = FALSE;
          break;
        }
    }

  if (all_locations)
    {
      inputs = g_strv_builder_end (builder);
      bw_window_open_inputs (self, (const char * const *)inputs, NULL);
    }
  else
    {
      g_autoptr(GBytes) data = g_bytes_new (trimmed, strlen (trimmed));
      const char *name[] = { _("Pasted badge"), NULL };

      bw_window_open_inputs (self, name, data);
    }
}

/* Drag and drop ------------------------------------------------------------- */

static GdkDragAction
drop_enter_cb (BwWindow      *self,
               double         x,
               double         y,
               GtkDropTarget *target)
{
  gtk_revealer_set_reveal_child (self->drop_revealer, TRUE);
  return GDK_ACTION_COPY;
}

static void
drop_leave_cb (BwWindow      *self,
               GtkDropTarget *target)
{
  gtk_revealer_set_reveal_child (self->drop_revealer, FALSE);
}

gboolean
_bw_window_drop_value (BwWindow      *self,
         const GValue  *value,
         double         x,
         double         y,
         GtkDropTarget *target)
{
  gtk_revealer_set_reveal_child (self->drop_revealer, FALSE);

  if (G_VALUE_HOLDS (value, GDK_TYPE_FILE_LIST))
    {
      GSList *list = g_value_get_boxed (value);
      g_autoptr(GPtrArray) files = g_ptr_array_new ();

      for (GSList *l = list; l != NULL; l = l->next)
        g_ptr_array_add (files, l->data);
      if (files->len == 0)
        return FALSE;
      bw_window_open_files (self, (GFile **)files->pdata, files->len);
      return TRUE;
    }

  if (G_VALUE_HOLDS_STRING (value) && g_value_get_string (value) != NULL)
    {
      bw_window_open_text (self, g_value_get_string (value));
      return TRUE;
    }

  return FALSE;
}

/* Search -------------------------------------------------------------------- */

static void
search_changed_cb (BwWindow       *self,
                   GtkSearchEntry *entry)
{
  if (self->library_view != NULL)
    bw_library_view_set_search_text (BW_LIBRARY_VIEW (self->library_view),
                                     gtk_editable_get_text (GTK_EDITABLE (entry)));
}

static void
stop_search_cb (BwWindow       *self,
                GtkSearchEntry *entry)
{
  gtk_editable_set_text (GTK_EDITABLE (entry), "");
  gtk_search_bar_set_search_mode (self->search_bar, FALSE);
}

/* Background work ----------------------------------------------------------- */

static void
failures_dialog_response_cb (AdwMessageDialog *dialog,
                             const char       *response,
                             gpointer          user_data)
{
  gtk_window_destroy (GTK_WINDOW (dialog));
}

static void
show_failures (BwWindow *self)
{
  GPtrArray *failures = bw_batch_get_failures (self->batch);
  g_autoptr(GString) body = g_string_new (NULL);
  GtkWidget *dialog;
  GtkWidget *scrolled;
  GtkWidget *label;

  for (guint i = 0; i < failures->len; i++)
    {
      BwBatchFailure *failure = g_ptr_array_index (failures, i);

      if (body->len > 0)
        g_string_append_c (body, '\n');
      /* Translators: one failed file or badge and the reason, in a list. */
      g_string_append_printf (body, _("%s: %s"), failure->input, failure->message);
    }

  dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Some Badges Failed"), NULL);
  label = gtk_label_new (body->str);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_xalign (GTK_LABEL (label), 0.0f);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  scrolled = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled),
                                  GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scrolled), TRUE);
  gtk_scrolled_window_set_max_content_height (GTK_SCROLLED_WINDOW (scrolled), 320);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), label);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), scrolled);
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  g_signal_connect (dialog, "response", G_CALLBACK (failures_dialog_response_cb), NULL);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
failures_toast_button_clicked_cb (AdwToast *toast,
                                  BwWindow *self)
{
  show_failures (self);
}

static void
batch_finished_cb (BwWindow *self,
                   gboolean  cancelled,
                   BwBatch  *batch)
{
  guint added = bw_batch_get_added (batch);
  guint verified = bw_batch_get_verified (batch);
  guint failed = bw_batch_get_failures (batch)->len;
  g_autoptr(GString) message = g_string_new (NULL);
  AdwToast *toast;

  if (cancelled)
    g_string_append (message, _("Stopped."));

  if (added > 0)
    {
      if (message->len > 0)
        g_string_append_c (message, ' ');
      /* Translators: the outcome of an import. */
      g_string_append_printf (message, ngettext ("%u badge added", "%u badges added", added), added);
    }
  else if (verified > 0)
    {
      if (message->len > 0)
        g_string_append_c (message, ' ');
      /* Translators: the outcome of verifying badges. */
      g_string_append_printf (message, ngettext ("%u badge verified", "%u badges verified", verified), verified);
    }

  if (failed > 0)
    {
      if (message->len > 0)
        g_string_append (message, ", ");
      /* Translators: how many files or badges failed in a background job. */
      g_string_append_printf (message, ngettext ("%u failed", "%u failed", failed), failed);
    }

  if (message->len == 0)
    g_string_append (message, _("No new badges were found"));

  toast = adw_toast_new (message->str);
  adw_toast_set_timeout (toast, failed > 0 ? 0 : 5);
  if (failed > 0)
    {
      adw_toast_set_button_label (toast, _("_Details"));
      g_signal_connect_object (toast, "button-clicked",
                               G_CALLBACK (failures_toast_button_clicked_cb), self, 0);
    }
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
  _bw_window_update_actions (self);
}

static void
batch_running_cb (BwWindow   *self,
                  GParamSpec *pspec,
                  BwBatch    *batch)
{
  _bw_window_update_actions (self);
}

/**
 * bw_window_import_paths:
 * @self: a window
 * @paths: files, folders or http(s) URLs
 *
 * Adds @paths to the wallet in the background, with progress shown in the
 * window and a report of the failures.
 */
void
bw_window_import_paths (BwWindow           *self,
                        const char * const *paths)
{
  g_return_if_fail (BW_IS_WINDOW (self));
  g_return_if_fail (paths != NULL);

  if (self->batch == NULL)
    {
      _bw_window_show_toast (self, _("The wallet is not available"));
      return;
    }
  bw_batch_set_verify_on_import (self->batch,
                                 g_settings_get_boolean (self->settings, "verify-on-import"));
  bw_batch_import_paths (self->batch, paths);
}

/**
 * bw_window_verify_badges:
 * @self: a window
 * @badges: (element-type BwBadge): wallet badges
 *
 * Verifies @badges again in the background and saves their reports.
 */
void
bw_window_verify_badges (BwWindow  *self,
                         GPtrArray *badges)
{
  g_return_if_fail (BW_IS_WINDOW (self));
  g_return_if_fail (badges != NULL);

  if (self->batch != NULL && badges->len > 0)
    bw_batch_verify (self->batch, badges);
}

/* Reads the last check of the badge at @position from the store's listing
 * fields, so that finding stale badges never builds the fresh ones. */
static gboolean
position_is_stale (BwStore    *store,
                   guint       position,
                   GDateTime  *limit,
                   char      **wallet_id)
{
  g_autoptr(JsonNode) summary = bw_store_dup_summary (store, position);
  g_autoptr(GDateTime) checked = NULL;
  JsonObject *object;
  const char *id;
  const char *text;

  if (summary == NULL || !JSON_NODE_HOLDS_OBJECT (summary))
    return FALSE;

  object = json_node_get_object (summary);
  id = bw_json_object_get_string (object, "id");
  text = bw_json_object_get_string (object, "checked");
  if (id == NULL)
    return FALSE;
  if (text != NULL)
    checked = bw_parse_datetime (text, FALSE);
  if (checked != NULL && g_date_time_compare (checked, limit) >= 0)
    return FALSE;

  *wallet_id = g_strdup (id);
  return TRUE;
}

static gboolean
stale_scan_cb (gpointer user_data)
{
  BwWindow *self = user_data;
  guint n_items = g_list_model_get_n_items (G_LIST_MODEL (self->store));
  guint32 days = g_settings_get_uint (self->settings, "reverify-after-days");
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) limit = g_date_time_add_days (now, -(int)days);
  guint end = MIN (n_items, self->stale_position + STALE_SCAN_SLICE);

  for (; self->stale_position < end; self->stale_position++)
    {
      g_autofree char *wallet_id = NULL;

      if (position_is_stale (self->store, self->stale_position, limit, &wallet_id))
        {
          BwBadge *badge = bw_store_lookup (self->store, wallet_id);

          if (badge != NULL)
            g_ptr_array_add (self->stale_badges, g_object_ref (badge));
        }
    }

  if (self->stale_position < n_items)
    return G_SOURCE_CONTINUE;

  self->stale_source = 0;
  bw_window_verify_badges (self, self->stale_badges);
  g_clear_pointer (&self->stale_badges, g_ptr_array_unref);
  return G_SOURCE_REMOVE;
}

static void
start_stale_scan (BwWindow *self)
{
  if (self->store == NULL || self->verifier == NULL || self->stale_source != 0 ||
      g_settings_get_uint (self->settings, "reverify-after-days") == 0 ||
      bw_store_get_total (self->store) == 0)
    return;

  self->stale_position = 0;
  self->stale_badges = g_ptr_array_new_with_free_func (g_object_unref);
  self->stale_source = g_idle_add_full (G_PRIORITY_LOW, stale_scan_cb, self, NULL);
}

/* Window state -------------------------------------------------------------- */

static void
load_window_state (BwWindow *self)
{
  int width = g_settings_get_int (self->settings, "window-width");
  int height = g_settings_get_int (self->settings, "window-height");

  gtk_window_set_default_size (GTK_WINDOW (self), width, height);
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));
}

static void
save_window_state (BwWindow *self)
{
  gboolean maximized = gtk_window_is_maximized (GTK_WINDOW (self));
  int width = 0;
  int height = 0;

  if (self->settings == NULL)
    return;

  g_settings_delay (self->settings);
  g_settings_set_boolean (self->settings, "window-maximized", maximized);
  if (!maximized)
    {
      gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);
      if (width >= 360 && height >= 294)
        {
          g_settings_set_int (self->settings, "window-width", width);
          g_settings_set_int (self->settings, "window-height", height);
        }
    }
  g_settings_apply (self->settings);
}

static gboolean
bw_window_close_request (GtkWindow *window)
{
  BwWindow *self = BW_WINDOW (window);

  save_window_state (self);
  commit_removals (self);

  return GTK_WINDOW_CLASS (bw_window_parent_class)->close_request (window);
}

/* Set-up -------------------------------------------------------------------- */

static void
setup_wallet (BwWindow      *self,
              BwApplication *application)
{
  const GError *store_error = bw_application_get_store_error (application);
  const char *recovery;

  self->settings = g_object_ref (bw_application_get_settings (application));
  g_set_object (&self->store, bw_application_get_store (application));
  g_set_object (&self->verifier, bw_application_get_verifier (application));

  load_window_state (self);

  if (self->store == NULL)
    {
      /* The description is read as markup; paths may hold '&' or '<'. */
      g_autofree char *escaped = g_markup_escape_text (store_error != NULL ? store_error->message
                                                                           : "", -1);

      adw_status_page_set_description (self->error_page, escaped);
      update_library_state (self);
      return;
    }

  self->batch = bw_batch_new (self->store, self->verifier);
  g_signal_connect_object (self->batch, "finished",
                           G_CALLBACK (batch_finished_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->batch, "notify::running",
                           G_CALLBACK (batch_running_cb), self, G_CONNECT_SWAPPED);
  g_object_bind_property (self->batch, "running", self->progress_revealer, "reveal-child",
                          G_BINDING_SYNC_CREATE);
  g_object_bind_property (self->batch, "fraction", self->progress_bar, "fraction",
                          G_BINDING_SYNC_CREATE);
  g_object_bind_property (self->batch, "status", self->progress_label, "label",
                          G_BINDING_SYNC_CREATE);

  self->library_view = bw_library_view_new (self->store);
  bw_library_view_bind_settings (BW_LIBRARY_VIEW (self->library_view), self->settings);
  g_signal_connect_object (self->library_view, "badge-activated",
                           G_CALLBACK (badge_activated_cb), self, G_CONNECT_SWAPPED);
  adw_bin_set_child (self->library_bin, self->library_view);

  g_signal_connect_object (self->store, "items-changed",
                           G_CALLBACK (store_items_changed_cb), self, G_CONNECT_SWAPPED);

  recovery = bw_store_get_recovery_message (self->store);
  if (recovery != NULL && *recovery != '\0')
    {
      gtk_label_set_text (self->banner_label, recovery);
      gtk_revealer_set_reveal_child (self->banner_revealer, TRUE);
    }

  update_library_state (self);
}

static void
bw_window_map (GtkWidget *widget)
{
  BwWindow *self = BW_WINDOW (widget);

  GTK_WIDGET_CLASS (bw_window_parent_class)->map (widget);

  /* Stale badges are checked once the window is up, in slices at low
   * priority, so the first frame never waits for them. */
  start_stale_scan (self);
}

static void
bw_window_dispose (GObject *object)
{
  BwWindow *self = (BwWindow *)object;

  self->disposed = TRUE;
  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->stale_source, g_source_remove);
  g_clear_pointer (&self->stale_badges, g_ptr_array_unref);
  if (self->batch != NULL)
    bw_batch_cancel (self->batch);
  commit_removals (self);
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);

  gtk_widget_dispose_template (GTK_WIDGET (self), BW_TYPE_WINDOW);

  g_clear_object (&self->batch);
  g_clear_object (&self->store);
  g_clear_object (&self->verifier);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (bw_window_parent_class)->dispose (object);
}

static void
bw_window_finalize (GObject *object)
{
  BwWindow *self = (BwWindow *)object;

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->removals, g_ptr_array_unref);

  G_OBJECT_CLASS (bw_window_parent_class)->finalize (object);
}

static void
bw_window_class_init (BwWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = bw_window_dispose;
  object_class->finalize = bw_window_finalize;
  widget_class->map = bw_window_map;
  window_class->close_request = bw_window_close_request;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/bw-window.ui");
  gtk_widget_class_bind_template_child (widget_class, BwWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, BwWindow, drop_overlay);
  gtk_widget_class_bind_template_child (widget_class, BwWindow, leaflet);
  gtk_widget_class_bind_template_child (widget_class, BwWindow, library_page);
  gtk_widget_class_bind_template_child (widget_class, BwWindow, details_page);
  gtk_widget_class_bind_template_child (widget_class, BwWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, BwWindow, short_title);
  gtk_widget_class_bind_template_child (widget_class, BwWindow, details_title);
  gtk_widget_class_bind_template_child (widget_class, BwWindow, add_button);
  gtk_widget_class_bind_template_child (widget_class, BwWindow, primary_menu_button);
  gtk_widget_class_bind_template_child (widget_class, BwWindow, search_button);
  gtk_widget_class_bind_template_child (widget_class, BwWindow, search_bar);
  gtk_widget_class_bind_template_child (widget_class, BwWindow, search_entry);
  gtk_widget_class_bind_template_child (widget_class, BwWindow, banner_revealer);
  gtk_widget_class_bind_template_child (widget_class, BwWindow, banner_label);
  gtk_widget_class_bind_template_child (widget_class, BwWindow, content_stack);
  gtk_widget_class_bind_template_child (widget_class, BwWindow, empty_page);
  gtk_widget_class_bind_template_child (widget_class, BwWindow, error_page);
  gtk_widget_class_bind_template_child (widget_class, BwWindow, library_bin);
  gtk_widget_class_bind_template_child (widget_class, BwWindow, details_bin);
  gtk_widget_class_bind_template_child (widget_class, BwWindow, progress_revealer);
  gtk_widget_class_bind_template_child (widget_class, BwWindow, progress_label);
  gtk_widget_class_bind_template_child (widget_class, BwWindow, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, BwWindow, drop_revealer);
  gtk_widget_class_bind_template_child (widget_class, BwWindow, back_button);
  gtk_widget_class_bind_template_callback (widget_class, leaflet_visible_child_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, stop_search_cb);

  _bw_window_class_init_actions (widget_class);
}

static void
bw_window_init (BwWindow *self)
{
  GtkDropTarget *target;
  GType types[] = { GDK_TYPE_FILE_LIST, G_TYPE_STRING };

  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  self->removals = g_ptr_array_new_with_free_func (removal_unref);

  /* Files and text dropped anywhere on the window go to the same place as
   * pasted and opened ones. */
  target = gtk_drop_target_new (G_TYPE_INVALID, GDK_ACTION_COPY);
  gtk_drop_target_set_gtypes (target, types, G_N_ELEMENTS (types));
  g_signal_connect_swapped (target, "enter", G_CALLBACK (drop_enter_cb), self);
  g_signal_connect_swapped (target, "leave", G_CALLBACK (drop_leave_cb), self);
  g_signal_connect_swapped (target, "drop", G_CALLBACK (_bw_window_drop_value), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (target));

  gtk_search_bar_connect_entry (self->search_bar, GTK_EDITABLE (self->search_entry));
}

/**
 * bw_window_new:
 * @application: the application, which owns the wallet
 *
 * Returns: (transfer full): a new wallet window
 */
BwWindow *
bw_window_new (BwApplication *application)
{
  BwWindow *self;

  g_return_val_if_fail (BW_IS_APPLICATION (application), NULL);

  self = g_object_new (BW_TYPE_WINDOW, "application", application, NULL);
  setup_wallet (self, application);
  return self;
}
