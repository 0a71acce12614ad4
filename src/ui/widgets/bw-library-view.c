/* bw-library-view.c
 *
 * Copyright 2026 The Badge Wallet authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bw-library-view"

#include "config.h"

#include <glib/gi18n.h>

#include "bw-badge-tile.h"
#include "bw-library-view.h"
#include "bw-widgets.h"

struct _BwLibraryView
{
  AdwBin          parent_instance;

  BwStore        *store;
  char           *search_text;
  char           *error_message;

  GtkDropDown    *filter_dropdown;
  GtkDropDown    *sort_dropdown;
  GtkLabel       *count_label;
  GtkStack       *stack;
  GtkGridView    *grid_view;
  AdwStatusPage  *no_results_page;
  AdwStatusPage  *error_page;

  GtkSliceListModel *slice;
  guint           columns_source;
  guint           fill_tick;
  guint           fill_frames;
  guint           first_rows;
  int             columns_width;
  guint           model_attached : 1;
};

G_DEFINE_FINAL_TYPE (BwLibraryView, bw_library_view, ADW_TYPE_BIN)

enum
{
  PROP_0,
  PROP_STORE,
  N_PROPS
};

enum
{
  BADGE_ACTIVATED,
  N_SIGNALS
};

/* The narrowest a grid cell gets (the tile's minimum width in style.css,
 * plus the cell's padding and margin), and the grid's own padding: what
 * decides how many columns fit before any tile exists to measure. */
#define CELL_MIN_WIDTH   148
#define GRID_PADDING     16
#define MAX_COLUMNS      12
/* The shortest a grid row gets, to guess how many rows the first frame
 * shows; and how many rows the grid (GTK 4.8) keeps widgets for. */
#define ROW_MIN_HEIGHT   180
#define KEPT_ROWS        32
/* Rows of tiles added per frame once the window is up. */
#define FILL_ROWS        4

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* The dropdowns list their entries in the order of these enums. */
static const BwStoreFilter filters[] = {
  BW_STORE_FILTER_ALL,
  BW_STORE_FILTER_VALID,
  BW_STORE_FILTER_EXPIRING,
  BW_STORE_FILTER_EXPIRED,
  BW_STORE_FILTER_REVOKED,
  BW_STORE_FILTER_UNVERIFIED,
};

static const BwStoreSort sorts[] = {
  BW_STORE_SORT_ADDED,
  BW_STORE_SORT_NAME,
  BW_STORE_SORT_ISSUER,
  BW_STORE_SORT_ISSUED,
};

/* The settings' names for the same entries, in the same order. */
static const char * const filter_names[] = {
  "all", "valid", "expiring", "expired", "revoked", "unverified", NULL
};

static const char * const sort_names[] = {
  "added", "name", "issuer", "issued", NULL
};

G_STATIC_ASSERT (G_N_ELEMENTS (filter_names) == G_N_ELEMENTS (filters) + 1);
G_STATIC_ASSERT (G_N_ELEMENTS (sort_names) == G_N_ELEMENTS (sorts) + 1);

static void
update_state (BwLibraryView *self)
{
  g_autofree char *count = NULL;
  guint shown;
  guint total;

  if (self->store == NULL || self->error_message != NULL)
    {
      /* The status page reads its description as markup. */
      g_autofree char *escaped = g_markup_escape_text (self->error_message != NULL
                                                       ? self->error_message
                                                       : _("The wallet is not available."), -1);

      adw_status_page_set_description (self->error_page, escaped);
      gtk_stack_set_visible_child_name (self->stack, "error");
      gtk_label_set_label (self->count_label, "");
      gtk_widget_set_sensitive (GTK_WIDGET (self->filter_dropdown), FALSE);
      gtk_widget_set_sensitive (GTK_WIDGET (self->sort_dropdown), FALSE);
      return;
    }

  shown = g_list_model_get_n_items (G_LIST_MODEL (self->store));
  total = bw_store_get_total (self->store);

  gtk_widget_set_sensitive (GTK_WIDGET (self->filter_dropdown), total > 0);
  gtk_widget_set_sensitive (GTK_WIDGET (self->sort_dropdown), total > 0);

  if (total == 0)
    {
      gtk_stack_set_visible_child_name (self->stack, "empty");
      gtk_label_set_label (self->count_label, "");
      return;
    }

  if (shown == total)
    count = g_strdup_printf (ngettext ("%u badge", "%u badges", total), total);
  else
    /* Translators: "3 of 12 badges": how many are shown of all in the wallet. */
    count = g_strdup_printf (ngettext ("%u of %u badge", "%u of %u badges", total),
                             shown, total);
  gtk_label_set_label (self->count_label, count);

  if (shown > 0)
    {
      gtk_stack_set_visible_child_name (self->stack, "grid");
      return;
    }

  if (self->search_text != NULL && *self->search_text != '\0')
    {
      g_autofree char *description = NULL;

      /* Translators: %s is what the user searched for. */
      description = g_markup_printf_escaped (_("No badge in the chosen view matches “%s”."),
                                             self->search_text);
      adw_status_page_set_description (self->no_results_page, description);
    }
  else
    adw_status_page_set_description (self->no_results_page,
                                     _("No badge in your wallet is in this state. "
                                       "Choose “All Badges” to see them all."));

  gtk_stack_set_visible_child_name (self->stack, "no-results");
}

static void
items_changed_cb (BwLibraryView *self)
{
  update_state (self);
}

static void
setup_tile_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               BwLibraryView            *self)
{
  gtk_list_item_set_child (item, bw_badge_tile_new ());
}

static void
bind_tile_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              BwLibraryView            *self)
{
  BwBadgeTile *tile = BW_BADGE_TILE (gtk_list_item_get_child (item));

  bw_badge_tile_set_badge (tile, self->store, BW_BADGE (gtk_list_item_get_item (item)));
}

static void
unbind_tile_cb (GtkSignalListItemFactory *factory,
                GtkListItem              *item,
                BwLibraryView            *self)
{
  /* Cancels the tile's image load if it is still on its way. */
  bw_badge_tile_set_badge (BW_BADGE_TILE (gtk_list_item_get_child (item)), NULL, NULL);
}

static void
grid_activate_cb (BwLibraryView *self,
                  guint          position)
{
  g_autoptr(BwBadge) badge = NULL;

  if (self->store == NULL)
    return;

  badge = g_list_model_get_item (G_LIST_MODEL (self->store), position);
  if (badge != NULL)
    g_signal_emit (self, signals[BADGE_ACTIVATED], 0, badge);
}

static void
filter_changed_cb (BwLibraryView *self)
{
  guint selected = gtk_drop_down_get_selected (self->filter_dropdown);

  if (self->store == NULL || selected >= G_N_ELEMENTS (filters))
    return;

  bw_store_set_filter (self->store, filters[selected]);
  update_state (self);
}

static void
sort_changed_cb (BwLibraryView *self)
{
  guint selected = gtk_drop_down_get_selected (self->sort_dropdown);

  if (self->store == NULL || selected >= G_N_ELEMENTS (sorts))
    return;

  bw_store_set_sort (self->store, sorts[selected]);
  update_state (self);
}

/* Grows the grid's slice of the wallet a few rows a frame, from the
 * second frame on, until it covers every row the grid keeps widgets for;
 * rows past those cost no tile, so the rest of the wallet then comes in
 * at once. */
static gboolean
fill_tick_cb (GtkWidget     *widget,
              GdkFrameClock *clock,
              gpointer       user_data)
{
  BwLibraryView *self = BW_LIBRARY_VIEW (widget);
  guint columns = gtk_grid_view_get_max_columns (self->grid_view);
  guint size = gtk_slice_list_model_get_size (self->slice);

  if (++self->fill_frames < 2)
    return G_SOURCE_CONTINUE;

  if (size >= columns * KEPT_ROWS ||
      size >= g_list_model_get_n_items (G_LIST_MODEL (self->store)))
    {
      gtk_slice_list_model_set_size (self->slice, G_MAXUINT);
      self->fill_tick = 0;
      return G_SOURCE_REMOVE;
    }

  gtk_slice_list_model_set_size (self->slice, size + columns * FILL_ROWS);
  return G_SOURCE_CONTINUE;
}

/* The grid builds its tiles as soon as it has a model, so the model waits
 * until the view is in a window whose size tells how many columns fit and
 * how many rows show. The first frame gets the tiles it shows; the rows
 * kept beyond them follow a few a frame. */
static void
attach_model (BwLibraryView *self)
{
  g_autoptr(GtkNoSelection) selection = NULL;
  guint first_items = G_MAXUINT;

  if (self->store == NULL || self->model_attached)
    return;

  self->model_attached = TRUE;
  if (self->first_rows > 0)
    first_items = self->first_rows * gtk_grid_view_get_max_columns (self->grid_view);
  self->slice = gtk_slice_list_model_new (g_object_ref (G_LIST_MODEL (self->store)),
                                          0, first_items);
  selection = gtk_no_selection_new (g_object_ref (G_LIST_MODEL (self->slice)));
  gtk_grid_view_set_model (self->grid_view, GTK_SELECTION_MODEL (selection));

  if (first_items != G_MAXUINT)
    self->fill_tick = gtk_widget_add_tick_callback (GTK_WIDGET (self), fill_tick_cb, NULL, NULL);
}

static void
set_store (BwLibraryView *self,
           BwStore       *store)
{

  if (store == NULL)
    {
      update_state (self);
      return;
    }

  self->store = g_object_ref (store);
  if (gtk_widget_get_root (GTK_WIDGET (self)) != NULL)
    attach_model (self);

  g_signal_connect_object (store, "items-changed",
                           G_CALLBACK (items_changed_cb), self, G_CONNECT_SWAPPED);

  /* The store keeps its own view settings; the controls start from ours. */
  filter_changed_cb (self);
  sort_changed_cb (self);
  update_state (self);
}

/* GtkGridView in GTK 4.8 keeps widgets for thirty rows of max-columns
 * cells around what is visible, however few columns fit: with twelve that
 * is 385 tiles before the first frame. The limit follows the width, so only
 * the columns that can be shown are ever built. */
static void
update_max_columns (BwLibraryView *self,
                    int            width)
{
  GtkWidget *cell = gtk_widget_get_first_child (GTK_WIDGET (self->grid_view));
  int cell_width = CELL_MIN_WIDTH;
  guint columns;

  if (cell != NULL && gtk_widget_get_visible (cell))
    {
      int minimum = 0;

      gtk_widget_measure (cell, GTK_ORIENTATION_HORIZONTAL, -1, &minimum, NULL, NULL, NULL);
      if (minimum > 0)
        cell_width = minimum;
    }

  columns = (guint) CLAMP ((width - GRID_PADDING) / cell_width, 1, MAX_COLUMNS);
  if (gtk_grid_view_get_max_columns (self->grid_view) != columns)
    gtk_grid_view_set_max_columns (self->grid_view, columns);
}

static gboolean
columns_idle_cb (gpointer user_data)
{
  BwLibraryView *self = user_data;

  self->columns_source = 0;
  update_max_columns (self, self->columns_width);
  return G_SOURCE_REMOVE;
}

static void
bw_library_view_root (GtkWidget *widget)
{
  BwLibraryView *self = BW_LIBRARY_VIEW (widget);
  GtkRoot *root;

  GTK_WIDGET_CLASS (bw_library_view_parent_class)->root (widget);

  /* The window's size, restored before it is shown, is the best guess
   * of the view's width before the first allocation. A maximized window
   * is wider than that; the first frame corrects the limit. */
  root = gtk_widget_get_root (widget);
  if (GTK_IS_WINDOW (root) && !gtk_window_is_maximized (GTK_WINDOW (root)))
    {
      int width = 0;
      int height = 0;

      gtk_window_get_default_size (GTK_WINDOW (root), &width, &height);
      if (width > 0)
        update_max_columns (self, width);
      if (height > 0)
        self->first_rows = (guint) height / ROW_MIN_HEIGHT + 1;
    }

  attach_model (self);
}

/* A resized view adjusts the column limit after the frame, not while the
 * grid is being laid out. */
static void
bw_library_view_snapshot (GtkWidget   *widget,
                          GtkSnapshot *snapshot)
{
  BwLibraryView *self = BW_LIBRARY_VIEW (widget);
  int width = gtk_widget_get_width (widget);

  GTK_WIDGET_CLASS (bw_library_view_parent_class)->snapshot (widget, snapshot);

  if (width != self->columns_width)
    {
      self->columns_width = width;
      if (self->columns_source == 0)
        self->columns_source = g_idle_add (columns_idle_cb, self);
    }
}

static void
bw_library_view_dispose (GObject *object)
{
  BwLibraryView *self = (BwLibraryView *) object;

  g_clear_handle_id (&self->columns_source, g_source_remove);
  if (self->fill_tick != 0)
    {
      gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->fill_tick);
      self->fill_tick = 0;
    }
  gtk_widget_dispose_template (GTK_WIDGET (self), BW_TYPE_LIBRARY_VIEW);
  g_clear_object (&self->slice);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (bw_library_view_parent_class)->dispose (object);
}

static void
bw_library_view_finalize (GObject *object)
{
  BwLibraryView *self = (BwLibraryView *) object;

  g_free (self->search_text);
  g_free (self->error_message);

  G_OBJECT_CLASS (bw_library_view_parent_class)->finalize (object);
}

static void
bw_library_view_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  BwLibraryView *self = BW_LIBRARY_VIEW (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bw_library_view_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  BwLibraryView *self = BW_LIBRARY_VIEW (object);

  switch (prop_id)
    {
    case PROP_STORE:
      set_store (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bw_library_view_class_init (BwLibraryViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = bw_library_view_dispose;
  object_class->finalize = bw_library_view_finalize;
  object_class->get_property = bw_library_view_get_property;
  object_class->set_property = bw_library_view_set_property;
  widget_class->root = bw_library_view_root;
  widget_class->snapshot = bw_library_view_snapshot;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL,
                         BW_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[BADGE_ACTIVATED] =
    g_signal_new ("badge-activated",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, BW_TYPE_BADGE);

  bw_widgets_init ();

  gtk_widget_class_set_template_from_resource (widget_class,
                                               BW_WIDGETS_RESOURCE_PATH "bw-library-view.ui");
  gtk_widget_class_bind_template_child (widget_class, BwLibraryView, filter_dropdown);
  gtk_widget_class_bind_template_child (widget_class, BwLibraryView, sort_dropdown);
  gtk_widget_class_bind_template_child (widget_class, BwLibraryView, count_label);
  gtk_widget_class_bind_template_child (widget_class, BwLibraryView, stack);
  gtk_widget_class_bind_template_child (widget_class, BwLibraryView, grid_view);
  gtk_widget_class_bind_template_child (widget_class, BwLibraryView, no_results_page);
  gtk_widget_class_bind_template_child (widget_class, BwLibraryView, error_page);
  gtk_widget_class_bind_template_callback (widget_class, grid_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, filter_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, sort_changed_cb);
}

static void
bw_library_view_init (BwLibraryView *self)
{
  GtkListItemFactory *factory;

  gtk_widget_init_template (GTK_WIDGET (self));

  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (factory, "setup", G_CALLBACK (setup_tile_cb), self);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_tile_cb), self);
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_tile_cb), self);
  gtk_grid_view_set_factory (self->grid_view, factory);
  g_object_unref (factory);
}

GtkWidget *
bw_library_view_new (BwStore *store)
{
  g_return_val_if_fail (store == NULL || BW_IS_STORE (store), NULL);

  return g_object_new (BW_TYPE_LIBRARY_VIEW, "store", store, NULL);
}

BwStore *
bw_library_view_get_store (BwLibraryView *self)
{
  g_return_val_if_fail (BW_IS_LIBRARY_VIEW (self), NULL);

  return self->store;
}

void
bw_library_view_set_search_text (BwLibraryView *self,
                                 const char    *text)
{
  g_return_if_fail (BW_IS_LIBRARY_VIEW (self));

  if (g_strcmp0 (self->search_text, text) == 0)
    return;

  g_free (self->search_text);
  self->search_text = g_strdup (text);

  if (self->store != NULL)
    bw_store_set_search (self->store, text);
  update_state (self);
}

void
bw_library_view_set_sort (BwLibraryView *self,
                          BwStoreSort    sort)
{
  g_return_if_fail (BW_IS_LIBRARY_VIEW (self));

  for (guint i = 0; i < G_N_ELEMENTS (sorts); i++)
    {
      if (sorts[i] == sort)
        gtk_drop_down_set_selected (self->sort_dropdown, i);
    }
}

void
bw_library_view_set_filter (BwLibraryView *self,
                            BwStoreFilter  filter)
{
  g_return_if_fail (BW_IS_LIBRARY_VIEW (self));

  for (guint i = 0; i < G_N_ELEMENTS (filters); i++)
    {
      if (filters[i] == filter)
        gtk_drop_down_set_selected (self->filter_dropdown, i);
    }
}

static gboolean
name_to_position (GValue   *value,
                  GVariant *variant,
                  gpointer  user_data)
{
  const char * const *names = user_data;
  const char *name = g_variant_get_string (variant, NULL);

  for (guint i = 0; names[i] != NULL; i++)
    {
      if (g_str_equal (names[i], name))
        {
          g_value_set_uint (value, i);
          return TRUE;
        }
    }

  return FALSE;
}

static GVariant *
position_to_name (const GValue       *value,
                  const GVariantType *expected_type,
                  gpointer            user_data)
{
  const char * const *names = user_data;
  guint position = g_value_get_uint (value);

  if (position >= g_strv_length ((char **) names))
    return NULL;

  return g_variant_new_string (names[position]);
}

void
bw_library_view_bind_settings (BwLibraryView *self,
                               GSettings     *settings)
{
  g_return_if_fail (BW_IS_LIBRARY_VIEW (self));
  g_return_if_fail (G_IS_SETTINGS (settings));

  g_settings_bind_with_mapping (settings, "filter", self->filter_dropdown, "selected",
                                G_SETTINGS_BIND_DEFAULT,
                                name_to_position, position_to_name,
                                (gpointer) filter_names, NULL);
  g_settings_bind_with_mapping (settings, "sort", self->sort_dropdown, "selected",
                                G_SETTINGS_BIND_DEFAULT,
                                name_to_position, position_to_name,
                                (gpointer) sort_names, NULL);
}

void
bw_library_view_set_error (BwLibraryView *self,
                           const char    *message)
{
  g_return_if_fail (BW_IS_LIBRARY_VIEW (self));

  g_free (self->error_message);
  self->error_message = g_strdup (message);
  update_state (self);
}

const char *
bw_library_view_get_state (BwLibraryView *self)
{
  g_return_val_if_fail (BW_IS_LIBRARY_VIEW (self), NULL);

  return gtk_stack_get_visible_child_name (self->stack);
}

guint
bw_library_view_get_n_shown (BwLibraryView *self)
{
  g_return_val_if_fail (BW_IS_LIBRARY_VIEW (self), 0);

  if (self->store == NULL)
    return 0;

  return g_list_model_get_n_items (G_LIST_MODEL (self->store));
}
