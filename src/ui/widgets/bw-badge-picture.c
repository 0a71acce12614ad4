/* bw-badge-picture.c
 *
 * Copyright 2026 The Badge Wallet authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bw-badge-picture"

#include "config.h"

#include "bw-badge-picture.h"

struct _BwBadgePicture
{
  GtkWidget     parent_instance;

  GtkWidget    *placeholder;
  BwBadgeImage *loader;
  GCancellable *cancellable;
  BwStore      *store;
  BwBadge      *badge;
  GBytes       *image;
  GdkTexture   *texture;
  int           pixel_size;
  int           loaded_scale;
  guint         allow_network : 1;
  guint         loading : 1;
  guint         load_when_drawn : 1;
  guint         drawn : 1;
  guint         load_pending : 1;
};

G_DEFINE_FINAL_TYPE (BwBadgePicture, bw_badge_picture, GTK_TYPE_WIDGET)

enum
{
  PROP_0,
  PROP_PIXEL_SIZE,
  PROP_TEXTURE,
  PROP_LOADING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
set_loading (BwBadgePicture *self,
             gboolean        loading)
{
  if (self->loading == !!loading)
    return;

  self->loading = !!loading;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

static void
set_texture (BwBadgePicture *self,
             GdkTexture     *texture,
             const char     *placeholder_icon)
{
  gboolean changed = g_set_object (&self->texture, texture);

  /* The placeholder is only drawn while there is no texture, and keeps
   * its size either way: rebinding a recycled grid tile must not resize
   * anything. */
  if (g_strcmp0 (gtk_image_get_icon_name (GTK_IMAGE (self->placeholder)), placeholder_icon) != 0)
    gtk_image_set_from_icon_name (GTK_IMAGE (self->placeholder), placeholder_icon);
  gtk_widget_queue_draw (GTK_WIDGET (self));

  if (changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TEXTURE]);
}

static BwBadgeImage *
get_loader (BwBadgePicture *self)
{
  return self->loader != NULL ? self->loader : bw_badge_image_get_default ();
}

static void
load_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(BwBadgePicture) self = user_data;
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GError) error = NULL;

  texture = bw_badge_image_load_finish (BW_BADGE_IMAGE (object), result, &error);
  if (texture == NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  /* Disposed while the image was on its way. */
  if (self->placeholder == NULL)
    return;

  if (texture == NULL)
    g_debug ("No badge image: %s", error->message);

  set_texture (self, texture, "image-missing-symbolic");
  set_loading (self, FALSE);
}

static void
start_load (BwBadgePicture *self)
{
  BwBadgeImage *loader = get_loader (self);
  int size = self->pixel_size * self->loaded_scale;

  self->load_pending = FALSE;
  self->cancellable = g_cancellable_new ();

  if (self->image != NULL)
    bw_badge_image_load_bytes_async (loader, self->image, size, self->cancellable,
                                     load_cb, g_object_ref (self));
  else
    bw_badge_image_load_async (loader, self->store, self->badge, size, self->allow_network,
                               self->cancellable, load_cb, g_object_ref (self));
}

static void
reload (BwBadgePicture *self)
{
  BwBadgeImage *loader = get_loader (self);
  g_autoptr(GdkTexture) cached = NULL;
  int size;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->load_pending = FALSE;

  if (self->badge == NULL && self->image == NULL)
    {
      set_texture (self, NULL, "image-missing-symbolic");
      set_loading (self, FALSE);
      return;
    }

  self->loaded_scale = gtk_widget_get_scale_factor (GTK_WIDGET (self));
  size = self->pixel_size * self->loaded_scale;

  /* A cached image is shown in the same frame, so recycled grid tiles do
   * not flash their placeholder while scrolling back. */
  if (self->badge != NULL)
    cached = bw_badge_image_lookup (loader, self->badge, size);
  if (cached != NULL)
    {
      set_texture (self, cached, "image-loading-symbolic");
      set_loading (self, FALSE);
      return;
    }

  set_texture (self, NULL, "image-loading-symbolic");
  set_loading (self, TRUE);

  if (self->load_when_drawn && !self->drawn)
    self->load_pending = TRUE;
  else
    start_load (self);
}

static void
scale_factor_changed_cb (BwBadgePicture *self)
{
  if (self->loaded_scale != gtk_widget_get_scale_factor (GTK_WIDGET (self)))
    reload (self);
}

static void
bw_badge_picture_measure (GtkWidget      *widget,
                          GtkOrientation  orientation,
                          int             for_size,
                          int            *minimum,
                          int            *natural,
                          int            *minimum_baseline,
                          int            *natural_baseline)
{
  BwBadgePicture *self = BW_BADGE_PICTURE (widget);
  int child_min = 0;
  int child_nat = 0;

  gtk_widget_measure (self->placeholder, orientation, -1, &child_min, &child_nat, NULL, NULL);
  *minimum = MAX (self->pixel_size, child_min);
  *natural = MAX (self->pixel_size, child_nat);
}

static void
bw_badge_picture_size_allocate (GtkWidget *widget,
                                int        width,
                                int        height,
                                int        baseline)
{
  BwBadgePicture *self = BW_BADGE_PICTURE (widget);

  gtk_widget_allocate (self->placeholder, width, height, baseline, NULL);
}

static void
bw_badge_picture_snapshot (GtkWidget   *widget,
                           GtkSnapshot *snapshot)
{
  BwBadgePicture *self = BW_BADGE_PICTURE (widget);
  double width = gtk_widget_get_width (widget);
  double height = gtk_widget_get_height (widget);
  double texture_width;
  double texture_height;
  double scale;

  /* The first frame of a widget that waits to be drawn is laid out and
   * painted before any worker thread starts decoding for it. */
  if (!self->drawn)
    {
      self->drawn = TRUE;
      if (self->load_pending)
        start_load (self);
    }

  if (self->texture == NULL)
    {
      gtk_widget_snapshot_child (widget, self->placeholder, snapshot);
      return;
    }

  /* Fit inside the widget, keeping the aspect ratio, centred. */
  texture_width = gdk_texture_get_width (self->texture);
  texture_height = gdk_texture_get_height (self->texture);
  scale = MIN (width / texture_width, height / texture_height);
  scale = MIN (scale, (double) self->pixel_size / MAX (texture_width, texture_height));
  texture_width *= scale;
  texture_height *= scale;

  gtk_snapshot_append_texture (snapshot, self->texture,
                               &GRAPHENE_RECT_INIT ((width - texture_width) / 2,
                                                    (height - texture_height) / 2,
                                                    texture_width, texture_height));
}

static void
bw_badge_picture_dispose (GObject *object)
{
  BwBadgePicture *self = (BwBadgePicture *) object;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->placeholder, gtk_widget_unparent);
  g_clear_object (&self->loader);
  g_clear_object (&self->store);
  g_clear_object (&self->badge);
  g_clear_pointer (&self->image, g_bytes_unref);
  g_clear_object (&self->texture);

  G_OBJECT_CLASS (bw_badge_picture_parent_class)->dispose (object);
}

static void
bw_badge_picture_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  BwBadgePicture *self = BW_BADGE_PICTURE (object);

  switch (prop_id)
    {
    case PROP_PIXEL_SIZE:
      g_value_set_int (value, self->pixel_size);
      break;
    case PROP_TEXTURE:
      g_value_set_object (value, self->texture);
      break;
    case PROP_LOADING:
      g_value_set_boolean (value, self->loading);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bw_badge_picture_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  BwBadgePicture *self = BW_BADGE_PICTURE (object);

  switch (prop_id)
    {
    case PROP_PIXEL_SIZE:
      bw_badge_picture_set_pixel_size (self, g_value_get_int (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bw_badge_picture_class_init (BwBadgePictureClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = bw_badge_picture_dispose;
  object_class->get_property = bw_badge_picture_get_property;
  object_class->set_property = bw_badge_picture_set_property;

  widget_class->measure = bw_badge_picture_measure;
  widget_class->size_allocate = bw_badge_picture_size_allocate;
  widget_class->snapshot = bw_badge_picture_snapshot;

  properties[PROP_PIXEL_SIZE] =
    g_param_spec_int ("pixel-size", NULL, NULL,
                      1, BW_BADGE_IMAGE_MAX_SIZE, 128,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TEXTURE] =
    g_param_spec_object ("texture", NULL, NULL,
                         GDK_TYPE_TEXTURE,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL,
                          FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "badgepicture");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
bw_badge_picture_init (BwBadgePicture *self)
{
  self->pixel_size = 128;

  self->placeholder = gtk_image_new_from_icon_name ("image-missing-symbolic");
  gtk_image_set_pixel_size (GTK_IMAGE (self->placeholder), 32);
  gtk_widget_add_css_class (self->placeholder, "dim-label");
  gtk_widget_set_parent (self->placeholder, GTK_WIDGET (self));

  g_signal_connect (self, "notify::scale-factor",
                    G_CALLBACK (scale_factor_changed_cb), NULL);
}

GtkWidget *
bw_badge_picture_new (int pixel_size)
{
  g_return_val_if_fail (pixel_size > 0, NULL);

  return g_object_new (BW_TYPE_BADGE_PICTURE, "pixel-size", pixel_size, NULL);
}

int
bw_badge_picture_get_pixel_size (BwBadgePicture *self)
{
  g_return_val_if_fail (BW_IS_BADGE_PICTURE (self), 0);

  return self->pixel_size;
}

void
bw_badge_picture_set_pixel_size (BwBadgePicture *self,
                                 int             pixel_size)
{
  g_return_if_fail (BW_IS_BADGE_PICTURE (self));
  g_return_if_fail (pixel_size > 0);

  if (self->pixel_size == pixel_size)
    return;

  self->pixel_size = pixel_size;
  gtk_image_set_pixel_size (GTK_IMAGE (self->placeholder), CLAMP (pixel_size / 3, 16, 64));
  gtk_widget_queue_resize (GTK_WIDGET (self));
  if (self->badge != NULL || self->image != NULL)
    reload (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PIXEL_SIZE]);
}

void
bw_badge_picture_set_loader (BwBadgePicture *self,
                             BwBadgeImage   *loader)
{
  g_return_if_fail (BW_IS_BADGE_PICTURE (self));
  g_return_if_fail (loader == NULL || BW_IS_BADGE_IMAGE (loader));

  if (g_set_object (&self->loader, loader) && (self->badge != NULL || self->image != NULL))
    reload (self);
}

void
bw_badge_picture_set_allow_network (BwBadgePicture *self,
                                    gboolean        allow_network)
{
  g_return_if_fail (BW_IS_BADGE_PICTURE (self));

  self->allow_network = !!allow_network;
}

void
bw_badge_picture_set_badge (BwBadgePicture *self,
                            BwStore        *store,
                            BwBadge        *badge)
{
  g_return_if_fail (BW_IS_BADGE_PICTURE (self));
  g_return_if_fail (store == NULL || BW_IS_STORE (store));
  g_return_if_fail (badge == NULL || BW_IS_BADGE (badge));

  g_set_object (&self->store, store);
  g_set_object (&self->badge, badge);
  g_clear_pointer (&self->image, g_bytes_unref);
  reload (self);
}

void
bw_badge_picture_set_image_bytes (BwBadgePicture *self,
                                  GBytes         *image)
{
  g_return_if_fail (BW_IS_BADGE_PICTURE (self));

  g_clear_object (&self->store);
  g_clear_object (&self->badge);
  g_clear_pointer (&self->image, g_bytes_unref);
  if (image != NULL)
    self->image = g_bytes_ref (image);
  reload (self);
}

/**
 * bw_badge_picture_set_load_when_drawn:
 * @self: a picture
 * @when_drawn: whether to wait
 *
 * Makes an image that is not in the memory cache load only once the
 * picture has been drawn for the first time, so that building many
 * pictures for a window's first frame never has that frame compete with
 * the image decoders. Later images load as soon as they are set.
 */
void
bw_badge_picture_set_load_when_drawn (BwBadgePicture *self,
                                      gboolean        when_drawn)
{
  g_return_if_fail (BW_IS_BADGE_PICTURE (self));

  self->load_when_drawn = !!when_drawn;
  if (!self->load_when_drawn && self->load_pending)
    start_load (self);
}

GdkTexture *
bw_badge_picture_get_texture (BwBadgePicture *self)
{
  g_return_val_if_fail (BW_IS_BADGE_PICTURE (self), NULL);

  return self->texture;
}

gboolean
bw_badge_picture_get_loading (BwBadgePicture *self)
{
  g_return_val_if_fail (BW_IS_BADGE_PICTURE (self), FALSE);

  return self->loading;
}
