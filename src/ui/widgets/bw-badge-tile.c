/* bw-badge-tile.c
 *
 * Copyright 2026 The Badge Wallet authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bw-badge-tile"

#include "config.h"

#include <glib/gi18n.h>

#include "bw-badge-picture.h"
#include "bw-badge-tile.h"
#include "bw-widgets.h"

struct _BwBadgeTile
{
  AdwBin          parent_instance;

  BwBadge        *badge;
  gulong          verdict_handler;
  char           *emblem_tooltip;

  BwBadgePicture *picture;
  GtkImage       *emblem;
  GtkLabel       *name_label;
  GtkLabel       *issuer_label;
};

G_DEFINE_FINAL_TYPE (BwBadgeTile, bw_badge_tile, ADW_TYPE_BIN)

static char *
dup_emblem_tooltip (BwBadge         *badge,
                    BwVerdictStyle  *style,
                    const char     **icon_name)
{
  const char *verdict = bw_badge_get_last_verdict (badge);
  g_autofree char *checked = bw_widgets_format_checked (bw_badge_get_last_checked (badge), NULL);

  *style = bw_widgets_verdict_style (verdict);
  *icon_name = bw_widgets_verdict_icon_name (verdict);

  if (verdict == NULL)
    return g_strdup (bw_widgets_verdict_title (NULL));

  /* A valid badge about to lapse is flagged before it does. */
  if (*style == BW_VERDICT_STYLE_GOOD && bw_widgets_badge_is_expiring (badge, NULL))
    {
      g_autofree char *date = bw_widgets_format_date (bw_badge_get_expires (badge));

      *style = BW_VERDICT_STYLE_WARNING;
      *icon_name = "alarm-symbolic";
      /* Translators: %s is a date; the second line says when it was checked. */
      return g_strdup_printf (_("Valid, expires on %s\n%s"), date, checked);
    }

  return g_strdup_printf ("%s\n%s", bw_widgets_verdict_title (verdict), checked);
}

static void
update (BwBadgeTile *self)
{
  BwVerdictStyle style = BW_VERDICT_STYLE_NEUTRAL;
  const char *icon_name = NULL;
  const char *name;
  const char *issuer;
  g_autofree char *image_label = NULL;

  g_clear_pointer (&self->emblem_tooltip, g_free);

  if (self->badge == NULL)
    {
      gtk_label_set_label (self->name_label, "");
      gtk_label_set_label (self->issuer_label, "");
      gtk_widget_set_visible (GTK_WIDGET (self->emblem), FALSE);
      return;
    }

  name = bw_badge_get_name (self->badge);
  issuer = bw_badge_get_issuer_name (self->badge);
  if (name == NULL || *name == '\0')
    name = _("Untitled Badge");
  if (issuer == NULL || *issuer == '\0')
    issuer = _("Unknown issuer");

  gtk_label_set_label (self->name_label, name);
  gtk_label_set_label (self->issuer_label, issuer);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->name_label), name);

  self->emblem_tooltip = dup_emblem_tooltip (self->badge, &style, &icon_name);
  gtk_image_set_from_icon_name (self->emblem, icon_name);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->emblem), self->emblem_tooltip);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->emblem),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, self->emblem_tooltip,
                                  -1);
  bw_widgets_set_style_class (GTK_WIDGET (self->emblem), "verdict-",
                              bw_widgets_verdict_style_class (style));
  gtk_widget_set_visible (GTK_WIDGET (self->emblem), TRUE);

  /* Translators: the accessible description of a badge picture; %s is its name. */
  image_label = g_strdup_printf (_("Badge image: %s"), name);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->picture),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, image_label,
                                  -1);
}

static void
verdict_changed_cb (BwBadgeTile *self)
{
  update (self);
}

static void
bw_badge_tile_dispose (GObject *object)
{
  BwBadgeTile *self = (BwBadgeTile *) object;

  g_clear_signal_handler (&self->verdict_handler, self->badge);
  g_clear_object (&self->badge);
  gtk_widget_dispose_template (GTK_WIDGET (self), BW_TYPE_BADGE_TILE);

  G_OBJECT_CLASS (bw_badge_tile_parent_class)->dispose (object);
}

static void
bw_badge_tile_finalize (GObject *object)
{
  BwBadgeTile *self = (BwBadgeTile *) object;

  g_free (self->emblem_tooltip);

  G_OBJECT_CLASS (bw_badge_tile_parent_class)->finalize (object);
}

static void
bw_badge_tile_class_init (BwBadgeTileClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = bw_badge_tile_dispose;
  object_class->finalize = bw_badge_tile_finalize;

  bw_widgets_init ();
  g_type_ensure (BW_TYPE_BADGE_PICTURE);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               BW_WIDGETS_RESOURCE_PATH "bw-badge-tile.ui");
  gtk_widget_class_bind_template_child (widget_class, BwBadgeTile, picture);
  gtk_widget_class_bind_template_child (widget_class, BwBadgeTile, emblem);
  gtk_widget_class_bind_template_child (widget_class, BwBadgeTile, name_label);
  gtk_widget_class_bind_template_child (widget_class, BwBadgeTile, issuer_label);
}

static void
bw_badge_tile_init (BwBadgeTile *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  /* A badge kept as JSON has no image of its own; its image URL is only
   * fetched if the application gave the image loader a fetcher. */
  bw_badge_picture_set_allow_network (self->picture, TRUE);
}

GtkWidget *
bw_badge_tile_new (void)
{
  return g_object_new (BW_TYPE_BADGE_TILE, NULL);
}

BwBadge *
bw_badge_tile_get_badge (BwBadgeTile *self)
{
  g_return_val_if_fail (BW_IS_BADGE_TILE (self), NULL);

  return self->badge;
}

void
bw_badge_tile_set_badge (BwBadgeTile *self,
                         BwStore     *store,
                         BwBadge     *badge)
{
  g_return_if_fail (BW_IS_BADGE_TILE (self));
  g_return_if_fail (store == NULL || BW_IS_STORE (store));
  g_return_if_fail (badge == NULL || BW_IS_BADGE (badge));

  if (self->badge != badge)
    {
      g_clear_signal_handler (&self->verdict_handler, self->badge);
      g_set_object (&self->badge, badge);
      /* "Verify Again" on the details page changes the emblem here too. */
      if (badge != NULL)
        self->verdict_handler = g_signal_connect_object (badge, "notify::last-verdict",
                                                         G_CALLBACK (verdict_changed_cb), self,
                                                         G_CONNECT_SWAPPED);
    }
  bw_badge_picture_set_badge (self->picture, store, badge);
  update (self);
}

const char *
bw_badge_tile_get_emblem_tooltip (BwBadgeTile *self)
{
  g_return_val_if_fail (BW_IS_BADGE_TILE (self), NULL);

  return self->emblem_tooltip;
}
