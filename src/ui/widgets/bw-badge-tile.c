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

/* The grid shows a screenful of tiles in the first frame of the window
 * and rebinds them while scrolling, so a tile is four widgets laid out
 * by hand, with texts of a fixed size: binding one to another badge
 * changes what is drawn, never the size of anything. */

#define PICTURE_SIZE 112
#define SPACING      6

struct _BwBadgeTile
{
  GtkWidget       parent_instance;

  BwBadge        *badge;
  gulong          verdict_handler;
  char           *accessible_label;
  /* Made the first time it is asked for: most tiles never show it. */
  char           *emblem_tooltip;
  const char     *emblem_icon;
  const char     *emblem_class;

  GtkWidget      *picture;
  GtkWidget      *emblem;
  GtkWidget      *name;
  GtkWidget      *issuer;
};

G_DEFINE_FINAL_TYPE (BwBadgeTile, bw_badge_tile, GTK_TYPE_WIDGET)

/* The emblem's look for the badge's last verdict. A valid badge about to
 * lapse is flagged before it does. */
static BwVerdictStyle
get_emblem (BwBadge     *badge,
            const char **icon_name,
            gboolean    *expiring)
{
  const char *verdict = bw_badge_get_last_verdict (badge);
  BwVerdictStyle style = bw_widgets_verdict_style (verdict);

  *icon_name = bw_widgets_verdict_icon_name (verdict);
  *expiring = style == BW_VERDICT_STYLE_GOOD && bw_widgets_badge_is_expiring (badge, NULL);
  if (*expiring)
    {
      *icon_name = "alarm-symbolic";
      style = BW_VERDICT_STYLE_WARNING;
    }

  return style;
}

static char *
dup_emblem_tooltip (BwBadge *badge)
{
  const char *verdict = bw_badge_get_last_verdict (badge);
  const char *icon_name;
  gboolean expiring;
  g_autofree char *checked = NULL;

  if (verdict == NULL)
    return g_strdup (bw_widgets_verdict_title (NULL));

  get_emblem (badge, &icon_name, &expiring);
  checked = bw_widgets_format_checked (bw_badge_get_last_checked (badge), NULL);
  if (expiring)
    {
      g_autofree char *date = bw_widgets_format_date (bw_badge_get_expires (badge));

      /* Translators: %s is a date; the second line says when it was checked. */
      return g_strdup_printf (_("Valid, expires on %s\n%s"), date, checked);
    }

  return g_strdup_printf ("%s\n%s", bw_widgets_verdict_title (verdict), checked);
}

static const char *
get_display_name (BwBadge *badge)
{
  const char *name = bw_badge_get_name (badge);

  return name != NULL && *name != '\0' ? name : _("Untitled Badge");
}

static void
update (BwBadgeTile *self)
{
  const char *icon_name = NULL;
  const char *style_class;
  const char *issuer;
  const char *name;
  const char *verdict;
  gboolean expiring = FALSE;

  g_clear_pointer (&self->emblem_tooltip, g_free);
  g_clear_pointer (&self->accessible_label, g_free);

  if (self->badge == NULL)
    {
      /* The emblem is hidden without changing any size, so the next bind
       * relays nothing out. */
      gtk_inscription_set_text (GTK_INSCRIPTION (self->name), NULL);
      gtk_inscription_set_text (GTK_INSCRIPTION (self->issuer), NULL);
      gtk_widget_set_opacity (self->emblem, 0.0);
      return;
    }

  name = get_display_name (self->badge);
  issuer = bw_badge_get_issuer_name (self->badge);
  if (issuer == NULL || *issuer == '\0')
    issuer = _("Unknown issuer");

  gtk_inscription_set_text (GTK_INSCRIPTION (self->name), name);
  gtk_inscription_set_text (GTK_INSCRIPTION (self->issuer), issuer);

  /* Most badges share a verdict, so a recycled tile rarely changes its
   * icon or its style class: each change would restyle or resize it. */
  style_class = bw_widgets_verdict_style_class (get_emblem (self->badge, &icon_name, &expiring));
  if (g_strcmp0 (self->emblem_icon, icon_name) != 0)
    {
      gtk_image_set_from_icon_name (GTK_IMAGE (self->emblem), icon_name);
      self->emblem_icon = icon_name;
    }
  if (g_strcmp0 (self->emblem_class, style_class) != 0)
    {
      if (self->emblem_class != NULL)
        gtk_widget_remove_css_class (self->emblem, self->emblem_class);
      gtk_widget_add_css_class (self->emblem, style_class);
      self->emblem_class = style_class;
    }
  gtk_widget_set_opacity (self->emblem, 1.0);

  verdict = expiring ? _("Valid, expires soon")
                     : bw_widgets_verdict_title (bw_badge_get_last_verdict (self->badge));
  /* Translators: how a screen reader names a badge in the library: its
   * name, its issuer and the outcome of its last check. */
  self->accessible_label = g_strdup_printf (_("%s, issued by %s: %s"), name, issuer, verdict);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, self->accessible_label,
                                  -1);
}

static void
verdict_changed_cb (BwBadgeTile *self)
{
  update (self);
}

static gboolean
child_contains (GtkWidget *widget,
                GtkWidget *child,
                double     x,
                double     y)
{
  graphene_rect_t bounds;

  return gtk_widget_compute_bounds (child, widget, &bounds) &&
         graphene_rect_contains_point (&bounds, &GRAPHENE_POINT_INIT (x, y));
}

/* Tooltips are made when one is about to show, not on every bind. */
static gboolean
bw_badge_tile_query_tooltip (GtkWidget  *widget,
                             int         x,
                             int         y,
                             gboolean    keyboard_tooltip,
                             GtkTooltip *tooltip)
{
  BwBadgeTile *self = BW_BADGE_TILE (widget);

  if (self->badge == NULL)
    return FALSE;

  if (child_contains (widget, self->emblem, x, y))
    {
      gtk_tooltip_set_text (tooltip, bw_badge_tile_get_emblem_tooltip (self));
      return TRUE;
    }

  /* A long name is cut short in the tile. */
  if (child_contains (widget, self->name, x, y))
    {
      gtk_tooltip_set_text (tooltip, get_display_name (self->badge));
      return TRUE;
    }

  return FALSE;
}

static GtkSizeRequestMode
bw_badge_tile_get_request_mode (GtkWidget *widget)
{
  return GTK_SIZE_REQUEST_CONSTANT_SIZE;
}

static void
bw_badge_tile_measure (GtkWidget      *widget,
                       GtkOrientation  orientation,
                       int             for_size,
                       int            *minimum,
                       int            *natural,
                       int            *minimum_baseline,
                       int            *natural_baseline)
{
  BwBadgeTile *self = BW_BADGE_TILE (widget);
  GtkWidget *stacked[] = { self->picture, self->name, self->issuer };

  *minimum = 0;
  *natural = 0;

  /* The emblem sits on the picture and adds nothing to the size. */
  for (guint i = 0; i < G_N_ELEMENTS (stacked); i++)
    {
      int child_min = 0;
      int child_nat = 0;

      gtk_widget_measure (stacked[i], orientation, -1, &child_min, &child_nat, NULL, NULL);
      if (orientation == GTK_ORIENTATION_HORIZONTAL)
        {
          *minimum = MAX (*minimum, child_min);
          *natural = MAX (*natural, child_nat);
        }
      else
        {
          *minimum += child_min;
          *natural += child_nat;
        }
    }

  if (orientation == GTK_ORIENTATION_VERTICAL)
    {
      *minimum += SPACING * (G_N_ELEMENTS (stacked) - 1);
      *natural += SPACING * (G_N_ELEMENTS (stacked) - 1);
    }
}

static int
allocate_row (GtkWidget *child,
              int        width,
              int        y)
{
  int height = 0;

  gtk_widget_measure (child, GTK_ORIENTATION_VERTICAL, -1, NULL, &height, NULL, NULL);
  gtk_widget_size_allocate (child, &(GtkAllocation) { 0, y, width, height }, -1);
  return y + height + SPACING;
}

/* The picture centred at the top with the emblem on its bottom end
 * corner, the name and the issuer below, any height left to spare at
 * the bottom, as the rows of the grid line up that way. */
static void
bw_badge_tile_size_allocate (GtkWidget *widget,
                             int        width,
                             int        height,
                             int        baseline)
{
  BwBadgeTile *self = BW_BADGE_TILE (widget);
  GtkRequisition picture;
  GtkRequisition emblem;
  int picture_x;
  int emblem_x;
  int y;

  gtk_widget_get_preferred_size (self->picture, NULL, &picture);
  gtk_widget_get_preferred_size (self->emblem, NULL, &emblem);
  picture.width = MIN (picture.width, width);
  picture_x = (width - picture.width) / 2;
  gtk_widget_size_allocate (self->picture,
                            &(GtkAllocation) { picture_x, 0, picture.width, picture.height }, -1);

  if (gtk_widget_get_direction (widget) == GTK_TEXT_DIR_RTL)
    emblem_x = picture_x;
  else
    emblem_x = picture_x + picture.width - emblem.width;
  gtk_widget_size_allocate (self->emblem,
                            &(GtkAllocation) { emblem_x, picture.height - emblem.height,
                                               emblem.width, emblem.height }, -1);

  y = picture.height + SPACING;
  y = allocate_row (self->name, width, y);
  allocate_row (self->issuer, width, y);
}

static void
bw_badge_tile_dispose (GObject *object)
{
  BwBadgeTile *self = (BwBadgeTile *) object;

  g_clear_signal_handler (&self->verdict_handler, self->badge);
  g_clear_object (&self->badge);
  g_clear_pointer (&self->picture, gtk_widget_unparent);
  g_clear_pointer (&self->emblem, gtk_widget_unparent);
  g_clear_pointer (&self->name, gtk_widget_unparent);
  g_clear_pointer (&self->issuer, gtk_widget_unparent);

  G_OBJECT_CLASS (bw_badge_tile_parent_class)->dispose (object);
}

static void
bw_badge_tile_finalize (GObject *object)
{
  BwBadgeTile *self = (BwBadgeTile *) object;

  g_free (self->accessible_label);
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

  widget_class->get_request_mode = bw_badge_tile_get_request_mode;
  widget_class->measure = bw_badge_tile_measure;
  widget_class->size_allocate = bw_badge_tile_size_allocate;
  widget_class->query_tooltip = bw_badge_tile_query_tooltip;

  gtk_widget_class_set_css_name (widget_class, "badgetile");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);

  bw_widgets_init ();
}

/* The tile is read out as one thing, by the label update() gives it; its
 * parts would only repeat that label. */
static GtkWidget *
add_part (BwBadgeTile *self,
          GtkWidget   *part)
{
  gtk_widget_set_parent (part, GTK_WIDGET (self));
  gtk_accessible_update_state (GTK_ACCESSIBLE (part),
                               GTK_ACCESSIBLE_STATE_HIDDEN, TRUE,
                               -1);
  return part;
}

static void
bw_badge_tile_init (BwBadgeTile *self)
{
  self->picture = add_part (self, bw_badge_picture_new (PICTURE_SIZE));
  /* A badge kept as JSON has no image of its own; its image URL is only
   * fetched if the application gave the image loader a fetcher. */
  bw_badge_picture_set_allow_network (BW_BADGE_PICTURE (self->picture), TRUE);
  bw_badge_picture_set_load_when_drawn (BW_BADGE_PICTURE (self->picture), TRUE);

  self->emblem = add_part (self, gtk_image_new ());
  gtk_image_set_pixel_size (GTK_IMAGE (self->emblem), 16);
  gtk_widget_add_css_class (self->emblem, "badge-emblem");
  gtk_widget_set_opacity (self->emblem, 0.0);

  /* Two lines of name and one of issuer, however long each is. */
  self->name = add_part (self, g_object_new (GTK_TYPE_INSCRIPTION,
                                             "min-chars", 10,
                                             "nat-chars", 14,
                                             "min-lines", 2,
                                             "xalign", 0.5f,
                                             "yalign", 0.0f,
                                             "wrap-mode", PANGO_WRAP_WORD_CHAR,
                                             "text-overflow", GTK_INSCRIPTION_OVERFLOW_ELLIPSIZE_END,
                                             "css-classes", (const char * const []) { "heading", NULL },
                                             NULL));
  self->issuer = add_part (self, g_object_new (GTK_TYPE_INSCRIPTION,
                                               "min-chars", 10,
                                               "nat-chars", 14,
                                               "xalign", 0.5f,
                                               "text-overflow", GTK_INSCRIPTION_OVERFLOW_ELLIPSIZE_END,
                                               "css-classes", (const char * const []) { "dim-label", "caption", NULL },
                                               NULL));

  gtk_widget_set_has_tooltip (GTK_WIDGET (self), TRUE);
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
  bw_badge_picture_set_badge (BW_BADGE_PICTURE (self->picture), store, badge);
  update (self);
}

/**
 * bw_badge_tile_get_emblem_tooltip:
 * @self: a tile
 *
 * Returns: (nullable): what the emblem's tooltip says: the verdict and
 *   when it was reached, or %NULL for a tile with no badge
 */
const char *
bw_badge_tile_get_emblem_tooltip (BwBadgeTile *self)
{
  g_return_val_if_fail (BW_IS_BADGE_TILE (self), NULL);

  if (self->emblem_tooltip == NULL && self->badge != NULL)
    self->emblem_tooltip = dup_emblem_tooltip (self->badge);

  return self->emblem_tooltip;
}

/**
 * bw_badge_tile_get_accessible_label:
 * @self: a tile
 *
 * Returns: (nullable): the name assistive technologies read for the tile:
 *   the badge, its issuer and its verdict
 */
const char *
bw_badge_tile_get_accessible_label (BwBadgeTile *self)
{
  g_return_val_if_fail (BW_IS_BADGE_TILE (self), NULL);

  return self->accessible_label;
}

/**
 * bw_badge_tile_get_picture:
 * @self: a tile
 *
 * Returns: (transfer none): the tile's #BwBadgePicture
 */
GtkWidget *
bw_badge_tile_get_picture (BwBadgeTile *self)
{
  g_return_val_if_fail (BW_IS_BADGE_TILE (self), NULL);

  return self->picture;
}
