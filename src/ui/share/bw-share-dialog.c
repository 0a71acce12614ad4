/* bw-share-dialog.c
 *
 * Copyright 2026 The Badge Wallet authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bw-share-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "bw-baked.h"
#include "bw-error.h"
#include "bw-fetcher.h"
#include "bw-share.h"
#include "bw-share-dialog.h"
#include "bw-share-resources.h"

/* An original larger than this is not shown in the header; it is still
 * saved as it is. */
#define MAX_PREVIEW_BYTES (10 * 1024 * 1024)

struct _BwShareDialog
{
  AdwWindow          parent_instance;

  BwStore           *store;
  BwBadge           *badge;
  BwShareInfo       *info;
  GBytes            *original_image;   /* the original, when it is a baked image */
  BwFetcher         *fetcher;          /* made on first use, to fetch a remote image */
  GCancellable      *cancellable;

  BwUriLauncherFunc  launcher;
  gpointer           launcher_data;

  AdwToastOverlay   *toast_overlay;
  GtkStack          *image_stack;
  GtkPicture        *badge_picture;
  GtkLabel          *name_label;
  GtkLabel          *issuer_label;
  GtkWidget         *reason_box;
  GtkLabel          *reason_label;
  AdwExpanderRow    *linkedin_profile_row;
  GtkWidget         *linkedin_profile_button;
  AdwPreferencesGroup *jobs_group;
};

G_DEFINE_FINAL_TYPE (BwShareDialog, bw_share_dialog, ADW_TYPE_WINDOW)

enum {
  PROP_0,
  PROP_STORE,
  PROP_BADGE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The link targets, by the action that opens each; all of them need the
 * badge's public page. */
static const struct
{
  const char    *action;
  BwShareTarget  target;
} link_actions[] = {
  { "share.linkedin-profile", BW_SHARE_LINKEDIN_PROFILE },
  { "share.linkedin-post",    BW_SHARE_LINKEDIN_POST },
  { "share.facebook",         BW_SHARE_FACEBOOK },
  { "share.x",                BW_SHARE_X },
};

static void
show_toast (BwShareDialog *self,
            const char    *text)
{
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (text));
}

static void
show_uri_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(BwShareDialog) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!gtk_show_uri_full_finish (GTK_WINDOW (source), result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_autofree char *text = g_strdup_printf (_("Could not open the link: %s"), error->message);

      show_toast (self, text);
    }
}

static void
launch (BwShareDialog *self,
        const char    *uri)
{
  g_assert (BW_IS_SHARE_DIALOG (self));
  g_assert (uri != NULL);

  if (self->launcher != NULL)
    self->launcher (GTK_WINDOW (self), uri, self->launcher_data);
  else
    /* GTK 4.8 has no GtkUriLauncher; this goes through the OpenURI portal
     * when there is one. */
    gtk_show_uri_full (GTK_WINDOW (self), uri, GDK_CURRENT_TIME, self->cancellable,
                       show_uri_cb, g_object_ref (self));
}

static void
copy_text (BwShareDialog *self,
           const char    *text,
           const char    *toast)
{
  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (self)), text);
  show_toast (self, toast);
}

/* Actions */

static void
open_link_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  BwShareDialog *self = BW_SHARE_DIALOG (widget);

  for (guint i = 0; i < G_N_ELEMENTS (link_actions); i++)
    {
      if (g_str_equal (action_name, link_actions[i].action))
        {
          g_autofree char *uri = bw_share_info_build (self->info, link_actions[i].target, NULL);

          if (uri != NULL)
            launch (self, uri);
          return;
        }
    }

  g_assert_not_reached ();
}

static void
email_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  BwShareDialog *self = BW_SHARE_DIALOG (widget);
  g_autofree char *uri = bw_share_info_build (self->info, BW_SHARE_EMAIL, NULL);

  launch (self, uri);

  /* A mailto: URI cannot carry an attachment, and the portal that could is
   * not available to this build. Say so rather than let the mail go out
   * without the image unnoticed. */
  show_toast (self, _("The badge image could not be attached: save it and attach it yourself"));
}

static void
copy_link_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  BwShareDialog *self = BW_SHARE_DIALOG (widget);
  g_autofree char *url = bw_share_info_build (self->info, BW_SHARE_PUBLIC_URL, NULL);

  if (url != NULL)
    copy_text (self, url, _("Link copied"));
}

static void
copy_embed_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  BwShareDialog *self = BW_SHARE_DIALOG (widget);
  g_autofree char *html = bw_share_info_build (self->info, BW_SHARE_EMBED, NULL);

  if (html != NULL)
    copy_text (self, html, _("Embed code copied"));
}

static void
copy_field_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  BwShareDialog *self = BW_SHARE_DIALOG (widget);
  g_autoptr(GPtrArray) fields = bw_share_info_linkedin_fields (self->info);
  const char *key = g_variant_get_string (parameter, NULL);

  for (guint i = 0; i < fields->len; i++)
    {
      BwShareField *field = g_ptr_array_index (fields, i);

      if (g_str_equal (field->key, key))
        {
          /* Translators: a toast; %s is a field such as “Credential ID”. */
          g_autofree char *toast = g_strdup_printf (_("%s copied"), field->label);

          copy_text (self, field->value, toast);
          return;
        }
    }
}

static void
find_jobs_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  BwShareDialog *self = BW_SHARE_DIALOG (widget);
  const char *url = g_variant_get_string (parameter, NULL);

  /* Only the job searches this dialog built itself are opened. */
  if (g_str_has_prefix (url, "https://www.linkedin.com/jobs/search/?keywords="))
    launch (self, url);
}

/* Saving the image */

static BwImageFormat
guess_image_format (BwShareDialog *self)
{
  const char *image;

  if (self->original_image != NULL)
    return bw_baked_sniff (g_bytes_get_data (self->original_image, NULL),
                           g_bytes_get_size (self->original_image));

  image = bw_badge_get_image (self->badge);
  if (image != NULL &&
      (g_ascii_strncasecmp (image, "data:image/svg", 14) == 0 ||
       g_str_has_suffix (image, ".svg") || g_str_has_suffix (image, ".SVG")))
    return BW_IMAGE_FORMAT_SVG;

  return BW_IMAGE_FORMAT_PNG;
}

static void
save_return_baked (GTask  *task,
                   GBytes *image)
{
  BwShareDialog *self = g_task_get_source_object (task);
  GError *error = NULL;
  GBytes *baked = bw_share_bake_image (self->badge, image, &error);

  if (baked == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, baked, (GDestroyNotify)g_bytes_unref);
}

static void
fetch_image_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(BwFetchResult) fetched = NULL;
  GError *error = NULL;

  fetched = bw_fetcher_fetch_finish (BW_FETCHER (source), result, &error);
  if (fetched == NULL)
    {
      g_prefix_error (&error, "%s", _("The badge image could not be fetched: "));
      g_task_return_error (task, error);
      return;
    }

  if (fetched->status < 200 || fetched->status > 299 || fetched->body == NULL)
    {
      g_task_return_new_error (task, BW_ERROR, BW_ERROR_HTTP,
                               _("The badge image could not be fetched: %s answered with "
                                 "HTTP status %u"),
                               fetched->url, fetched->status);
      return;
    }

  save_return_baked (task, fetched->body);
}

/* Produces the bytes to save: the original when it is already a baked
 * image, otherwise the badge image with the badge baked into it. */
static void
prepare_image_async (BwShareDialog       *self,
                     GCancellable        *cancellable,
                     GAsyncReadyCallback  callback,
                     gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  const char *image;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, prepare_image_async);

  if (self->original_image != NULL)
    {
      g_task_return_pointer (task, g_bytes_ref (self->original_image),
                             (GDestroyNotify)g_bytes_unref);
      return;
    }

  image = bw_badge_get_image (self->badge);
  if (image == NULL)
    {
      g_task_return_new_error (task, BW_ERROR, BW_ERROR_NOT_FOUND,
                               _("The badge names no image to save"));
      return;
    }

  if (g_ascii_strncasecmp (image, "data:", 5) == 0)
    {
      g_autoptr(GBytes) bytes = NULL;
      GError *error = NULL;

      bytes = bw_share_decode_data_uri (image, NULL, &error);
      if (bytes == NULL)
        g_task_return_error (task, error);
      else
        save_return_baked (task, bytes);
      return;
    }

  if (g_ascii_strncasecmp (image, "https://", 8) == 0 ||
      g_ascii_strncasecmp (image, "http://", 7) == 0)
    {
      if (self->fetcher == NULL)
        self->fetcher = bw_fetcher_new ();
      bw_fetcher_fetch_async (self->fetcher, image, BW_FETCH_IMAGE, cancellable,
                              fetch_image_cb, g_steal_pointer (&task));
      return;
    }

  g_task_return_new_error (task, BW_ERROR, BW_ERROR_UNSUPPORTED,
                           _("The badge image is neither a web address nor a data URI"));
}

static GBytes *
prepare_image_finish (BwShareDialog  *self,
                      GAsyncResult   *result,
                      GError        **error)
{
  g_assert (g_task_is_valid (result, self));

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
replace_contents_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!g_file_replace_contents_finish (G_FILE (source), result, NULL, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
prepared_for_save_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GBytes) bytes = NULL;
  GError *error = NULL;

  bytes = prepare_image_finish (BW_SHARE_DIALOG (source), result, &error);
  if (bytes == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  g_file_replace_contents_bytes_async (g_task_get_task_data (task), bytes, NULL, FALSE,
                                       G_FILE_CREATE_REPLACE_DESTINATION,
                                       g_task_get_cancellable (task),
                                       replace_contents_cb, g_object_ref (task));
}

void
bw_share_dialog_save_image_async (BwShareDialog       *self,
                                  GFile               *file,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (BW_IS_SHARE_DIALOG (self));
  g_return_if_fail (G_IS_FILE (file));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, bw_share_dialog_save_image_async);
  g_task_set_task_data (task, g_object_ref (file), g_object_unref);

  prepare_image_async (self, cancellable, prepared_for_save_cb, g_steal_pointer (&task));
}

gboolean
bw_share_dialog_save_image_finish (BwShareDialog  *self,
                                   GAsyncResult   *result,
                                   GError        **error)
{
  g_return_val_if_fail (BW_IS_SHARE_DIALOG (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
save_image_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  BwShareDialog *self = BW_SHARE_DIALOG (source);
  g_autoptr(GFile) file = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  if (bw_share_dialog_save_image_finish (self, result, &error))
    {
      g_autofree char *name = g_file_get_basename (file);
      g_autofree char *display = g_filename_display_name (name);

      /* Translators: a toast; %s is a file name. */
      text = g_strdup_printf (_("Saved “%s”"), display);
    }
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      return;
    }
  else
    {
      text = g_strdup_printf (_("The badge image could not be saved: %s"), error->message);
    }

  show_toast (self, text);
}

static void
file_chooser_response_cb (GtkNativeDialog *chooser,
                          int              response,
                          gpointer         user_data)
{
  BwShareDialog *self = BW_SHARE_DIALOG (user_data);

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));

      if (file != NULL)
        bw_share_dialog_save_image_async (self, file, self->cancellable, save_image_cb,
                                          g_object_ref (file));
    }

  gtk_native_dialog_destroy (chooser);
  g_object_unref (chooser);
}

static void
save_image_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  BwShareDialog *self = BW_SHARE_DIALOG (widget);
  g_autofree char *name = NULL;
  GtkFileChooserNative *chooser;

  chooser = gtk_file_chooser_native_new (_("Save Badge Image"), GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_SAVE,
                                         _("_Save"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);

  name = bw_share_suggest_filename (bw_badge_get_name (self->badge), guess_image_format (self));
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);

  g_signal_connect (chooser, "response", G_CALLBACK (file_chooser_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* Building the dialog */

static void
load_original (BwShareDialog *self)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  const char *wallet_id = bw_badge_get_wallet_id (self->badge);
  const char *path = bw_badge_get_original_path (self->badge);

  /* One small file, read once; the dialog needs it for its header at once. */
  if (self->store != NULL && wallet_id != NULL)
    bytes = bw_store_load_original (self->store, wallet_id, &error);
  else if (path != NULL)
    {
      char *contents = NULL;
      gsize length = 0;

      if (g_file_get_contents (path, &contents, &length, &error))
        bytes = g_bytes_new_take (contents, length);
    }

  /* Not fatal: saving then bakes the badge into its image instead. */
  if (error != NULL)
    g_debug ("The original of badge %s could not be read: %s",
             wallet_id != NULL ? wallet_id : path, error->message);

  if (bytes != NULL &&
      bw_baked_sniff (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes)) != BW_IMAGE_FORMAT_NONE)
    self->original_image = g_steal_pointer (&bytes);
}

static void
load_picture (BwShareDialog *self)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  const char *image = bw_badge_get_image (self->badge);

  if (self->original_image != NULL)
    bytes = g_bytes_ref (self->original_image);
  else if (image != NULL && g_ascii_strncasecmp (image, "data:image/", 11) == 0)
    bytes = bw_share_decode_data_uri (image, NULL, NULL);

  if (bytes == NULL || g_bytes_get_size (bytes) > MAX_PREVIEW_BYTES)
    return;

  texture = gdk_texture_new_from_bytes (bytes, NULL);
  if (texture == NULL)
    return;

  gtk_picture_set_paintable (self->badge_picture, GDK_PAINTABLE (texture));
  gtk_stack_set_visible_child_name (self->image_stack, "picture");
}

static GtkWidget *
make_copy_button (const char *key,
                  const char *label)
{
  GtkWidget *button = gtk_button_new_from_icon_name ("edit-copy-symbolic");
  /* Translators: a tooltip; %s is a field such as “Credential ID”. */
  g_autofree char *tooltip = g_strdup_printf (_("Copy %s"), label);

  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (button, tooltip);
  gtk_widget_add_css_class (button, "flat");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "share.copy-field");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "s", key);
  return button;
}

static void
populate_linkedin_fields (BwShareDialog *self)
{
  g_autoptr(GPtrArray) fields = bw_share_info_linkedin_fields (self->info);

  for (guint i = 0; i < fields->len; i++)
    {
      BwShareField *field = g_ptr_array_index (fields, i);
      GtkWidget *row = adw_action_row_new ();

      /* Badge values are text, never markup. */
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), field->label);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), field->value);
      adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 2);
      gtk_widget_add_css_class (row, "property");
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), make_copy_button (field->key, field->label));
      adw_expander_row_add_row (self->linkedin_profile_row, row);
    }
}

static void
populate_jobs (BwShareDialog *self)
{
  g_autoptr(GPtrArray) jobs = bw_share_info_jobs (self->info);

  gtk_widget_set_visible (GTK_WIDGET (self->jobs_group), jobs->len > 0);

  for (guint i = 0; i < jobs->len; i++)
    {
      BwShareField *job = g_ptr_array_index (jobs, i);
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), job->label);
      adw_action_row_set_icon_name (ADW_ACTION_ROW (row), "system-search-symbolic");
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      gtk_actionable_set_action_name (GTK_ACTIONABLE (row), "share.find-jobs");
      gtk_actionable_set_action_target (GTK_ACTIONABLE (row), "s", job->value);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                                 gtk_image_new_from_icon_name ("adw-external-link-symbolic"));
      adw_preferences_group_add (self->jobs_group, row);
    }
}

static void
bw_share_dialog_constructed (GObject *object)
{
  BwShareDialog *self = BW_SHARE_DIALOG (object);
  g_autofree char *reason = NULL;
  g_autofree char *public_url = NULL;
  gboolean has_link;

  G_OBJECT_CLASS (bw_share_dialog_parent_class)->constructed (object);

  g_assert (BW_IS_BADGE (self->badge));

  self->info = bw_share_info_new_from_badge (self->badge);

  gtk_label_set_text (self->name_label, bw_share_info_get_display_name (self->info));
  if (self->info->issuer_name != NULL)
    {
      /* Translators: under the badge name; %s is the issuing organisation. */
      g_autofree char *issued_by = g_strdup_printf (_("Issued by %s"), self->info->issuer_name);

      gtk_label_set_text (self->issuer_label, issued_by);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->issuer_label), self->info->issuer_name != NULL);

  /* Without a public page there is nothing to link to: the reason is
   * shown, and only e-mail and saving the image stay available. */
  public_url = bw_share_info_build (self->info, BW_SHARE_PUBLIC_URL, &reason);
  has_link = public_url != NULL;
  gtk_widget_set_visible (self->reason_box, !has_link);
  if (!has_link)
    gtk_label_set_text (self->reason_label, reason);

  for (guint i = 0; i < G_N_ELEMENTS (link_actions); i++)
    gtk_widget_action_set_enabled (GTK_WIDGET (self), link_actions[i].action, has_link);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "share.copy-link", has_link);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "share.copy-embed", has_link);

  load_original (self);
  load_picture (self);
  populate_linkedin_fields (self);
  populate_jobs (self);
}

static void
bw_share_dialog_dispose (GObject *object)
{
  BwShareDialog *self = BW_SHARE_DIALOG (object);

  g_cancellable_cancel (self->cancellable);

  gtk_widget_dispose_template (GTK_WIDGET (self), BW_TYPE_SHARE_DIALOG);

  g_clear_object (&self->store);
  g_clear_object (&self->badge);
  g_clear_object (&self->fetcher);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (bw_share_dialog_parent_class)->dispose (object);
}

static void
bw_share_dialog_finalize (GObject *object)
{
  BwShareDialog *self = BW_SHARE_DIALOG (object);

  g_clear_pointer (&self->info, bw_share_info_free);
  g_clear_pointer (&self->original_image, g_bytes_unref);

  G_OBJECT_CLASS (bw_share_dialog_parent_class)->finalize (object);
}

static void
bw_share_dialog_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  BwShareDialog *self = BW_SHARE_DIALOG (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;

    case PROP_BADGE:
      g_value_set_object (value, self->badge);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bw_share_dialog_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  BwShareDialog *self = BW_SHARE_DIALOG (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;

    case PROP_BADGE:
      self->badge = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bw_share_dialog_class_init (BwShareDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = bw_share_dialog_constructed;
  object_class->dispose = bw_share_dialog_dispose;
  object_class->finalize = bw_share_dialog_finalize;
  object_class->get_property = bw_share_dialog_get_property;
  object_class->set_property = bw_share_dialog_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL,
                         BW_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_BADGE] =
    g_param_spec_object ("badge", NULL, NULL,
                         BW_TYPE_BADGE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* The resource lives in a static library, where a constructor that
   * registers it would be dropped by the linker. */
  bw_share_register_resource ();

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/badgewallet/BadgeWallet/share/"
                                               "bw-share-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, BwShareDialog, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, BwShareDialog, image_stack);
  gtk_widget_class_bind_template_child (widget_class, BwShareDialog, badge_picture);
  gtk_widget_class_bind_template_child (widget_class, BwShareDialog, name_label);
  gtk_widget_class_bind_template_child (widget_class, BwShareDialog, issuer_label);
  gtk_widget_class_bind_template_child (widget_class, BwShareDialog, reason_box);
  gtk_widget_class_bind_template_child (widget_class, BwShareDialog, reason_label);
  gtk_widget_class_bind_template_child (widget_class, BwShareDialog, linkedin_profile_row);
  gtk_widget_class_bind_template_child (widget_class, BwShareDialog, linkedin_profile_button);
  gtk_widget_class_bind_template_child (widget_class, BwShareDialog, jobs_group);

  for (guint i = 0; i < G_N_ELEMENTS (link_actions); i++)
    gtk_widget_class_install_action (widget_class, link_actions[i].action, NULL, open_link_action);
  gtk_widget_class_install_action (widget_class, "share.email", NULL, email_action);
  gtk_widget_class_install_action (widget_class, "share.copy-link", NULL, copy_link_action);
  gtk_widget_class_install_action (widget_class, "share.copy-embed", NULL, copy_embed_action);
  gtk_widget_class_install_action (widget_class, "share.save-image", NULL, save_image_action);
  gtk_widget_class_install_action (widget_class, "share.copy-field", "s", copy_field_action);
  gtk_widget_class_install_action (widget_class, "share.find-jobs", "s", find_jobs_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
bw_share_dialog_init (BwShareDialog *self)
{
  self->cancellable = g_cancellable_new ();

  gtk_widget_init_template (GTK_WIDGET (self));
}

/**
 * bw_share_dialog_new:
 * @parent: (nullable): the window it belongs to
 * @store: (nullable): the wallet holding @badge, for its original
 * @badge: the badge to share
 *
 * Returns: (transfer none): a new dialog, owned by GTK like every window
 *   until it is closed; present it with gtk_window_present()
 */
BwShareDialog *
bw_share_dialog_new (GtkWindow *parent,
                     BwStore   *store,
                     BwBadge   *badge)
{
  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (store == NULL || BW_IS_STORE (store), NULL);
  g_return_val_if_fail (BW_IS_BADGE (badge), NULL);

  return g_object_new (BW_TYPE_SHARE_DIALOG,
                       "transient-for", parent,
                       "store", store,
                       "badge", badge,
                       NULL);
}

/**
 * bw_share_dialog_set_launcher:
 * @launcher: (nullable): how to open URIs, or %NULL for gtk_show_uri_full()
 *
 * Replaces the way URIs are opened, so that tests can record them.
 */
void
bw_share_dialog_set_launcher (BwShareDialog     *self,
                              BwUriLauncherFunc  launcher,
                              gpointer           user_data)
{
  g_return_if_fail (BW_IS_SHARE_DIALOG (self));

  self->launcher = launcher;
  self->launcher_data = user_data;
}
