/* bw-store.c
 *
 * Copyright 2026 The Badge Wallet authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bw-store"

#include "config.h"

#include <fcntl.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "bw-error.h"
#include "bw-store-private.h"
#include "bw-util.h"

#define EXPIRING_DAYS   30

static void bw_store_list_model_init (GListModelInterface *iface);

static guint items_changed_signal;

G_DEFINE_FINAL_TYPE_WITH_CODE (BwStore, bw_store, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      bw_store_list_model_init))

/* ------------------------------------------------------------------------- */
/* Badges: payloads, documents and their stored form                         */
/* ------------------------------------------------------------------------- */

const char *
_bw_store_original_format (BwImageFormat  format,
                           BwPayloadKind  kind)
{
  if (format == BW_IMAGE_FORMAT_PNG)
    return "png";
  if (format == BW_IMAGE_FORMAT_SVG)
    return "svg";
  if (kind == BW_PAYLOAD_KIND_JSON)
    return "json";
  if (kind == BW_PAYLOAD_KIND_JWS || kind == BW_PAYLOAD_KIND_VC_JWT)
    return "jws";
  return "txt";
}

/* Reads the Open Badges payload of any original: a baked image, or a text
 * file holding badge JSON, a JWS or a hosted assertion URL. */
BwPayload *
_bw_store_payload_from_bytes (GBytes         *data,
                              BwPayloadSource text_source,
                              GError        **error)
{
  gsize length;
  const char *text = g_bytes_get_data (data, &length);
  g_autofree char *trimmed = NULL;
  BwPayloadKind kind;

  if (bw_baked_sniff ((const guint8 *)text, length) != BW_IMAGE_FORMAT_NONE)
    return bw_baked_read_bytes (data, error);

  if (length == 0)
    {
      g_set_error_literal (error, BW_ERROR, BW_ERROR_NOT_A_BADGE, _("The file is empty"));
      return NULL;
    }
  if (length > BW_MAX_JSON_BYTES || !bw_utf8_validate_len (text, length))
    {
      g_set_error_literal (error, BW_ERROR, BW_ERROR_NOT_A_BADGE,
                           _("Not a PNG or SVG image, nor a text file with badge data"));
      return NULL;
    }

  trimmed = g_strstrip (g_strndup (text, length));
  kind = bw_payload_classify (trimmed);
  if (kind == BW_PAYLOAD_KIND_UNKNOWN)
    {
      g_set_error_literal (error, BW_ERROR, BW_ERROR_NOT_A_BADGE,
                           _("No Open Badges data: the text is neither badge JSON, "
                             "a signed badge (JWS) nor a badge URL"));
      return NULL;
    }
  return bw_payload_new (kind, text_source, trimmed);
}

/* The stored form of a badge: its payload and every referenced document
 * that was fetched, enough to rebuild the BwBadge with no file or network. */
char *
_bw_store_badge_json_build (const BwPayload *payload,
                            JsonArray       *documents)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "payload");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "kind");
  json_builder_add_int_value (builder, payload->kind);
  json_builder_set_member_name (builder, "source");
  json_builder_add_int_value (builder, payload->source);
  json_builder_set_member_name (builder, "format");
  json_builder_add_int_value (builder, payload->format);
  bw_json_builder_add_string (builder, "keyword", payload->keyword);
  bw_json_builder_add_string (builder, "text", payload->text);
  bw_json_builder_add_string (builder, "svg_verify", payload->svg_verify);
  json_builder_set_member_name (builder, "ob3");
  json_builder_add_boolean_value (builder, payload->ob3);
  json_builder_set_member_name (builder, "offset");
  json_builder_add_int_value (builder, payload->offset);
  json_builder_set_member_name (builder, "warnings");
  json_builder_begin_array (builder);
  for (guint i = 0; payload->warnings != NULL && i < payload->warnings->len; i++)
    json_builder_add_string_value (builder, g_ptr_array_index (payload->warnings, i));
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "documents");
  if (documents != NULL)
    json_builder_add_value (builder, json_node_init_array (json_node_alloc (), documents));
  else
    {
      json_builder_begin_array (builder);
      json_builder_end_array (builder);
    }
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  return json_to_string (root, FALSE);
}

void
_bw_store_document_add (JsonArray      *documents,
                        BwDocumentKind  kind,
                        const char     *url,
                        JsonNode       *document)
{
  JsonObject *entry = json_object_new ();

  json_object_set_int_member (entry, "kind", kind);
  json_object_set_string_member (entry, "url", url);
  json_object_set_member (entry, "document", json_node_copy (document));
  json_array_add_object_element (documents, entry);
}

/* Resolves @badge's pending documents from a stored list of documents. */
void
_bw_store_resolve_documents (BwBadge   *badge,
                             JsonArray *documents)
{
  guint n = documents != NULL ? json_array_get_length (documents) : 0;

  for (guint i = 0; i < n; i++)
    {
      JsonObject *entry = json_array_get_object_element (documents, i);
      g_autoptr(GError) error = NULL;

      if (entry == NULL || !json_object_has_member (entry, "document"))
        continue;
      BwDocumentKind kind = json_object_get_int_member_with_default (entry, "kind", 0);

      if (!bw_badge_resolve (badge,
                             kind,
                             json_object_get_string_member_with_default (entry, "url", NULL),
                             json_object_get_member (entry, "document"),
                             &error))
        g_debug ("Stored document %u no longer resolves: %s", i, error->message);
    }
}

static BwBadge *
badge_from_stored_json (const char  *text,
                        GError     **error)
{
  g_autoptr(JsonNode) root = bw_json_parse (text, -1, error);
  g_autoptr(BwPayload) payload = NULL;
  JsonObject *object;
  JsonObject *p;
  JsonArray *warnings;
  BwBadge *badge;

  if (root == NULL)
    return NULL;
  object = JSON_NODE_HOLDS_OBJECT (root) ? json_node_get_object (root) : NULL;
  p = object != NULL && json_object_has_member (object, "payload")
      ? json_object_get_object_member (object, "payload") : NULL;
  if (p == NULL || bw_json_object_get_string (p, "text") == NULL)
    {
      g_set_error_literal (error, BW_ERROR, BW_ERROR_MALFORMED,
                           _("The stored badge has no payload"));
      return NULL;
    }

  payload = bw_payload_new (json_object_get_int_member_with_default (p, "kind", 0),
                            json_object_get_int_member_with_default (p, "source", 0),
                            bw_json_object_get_string (p, "text"));
  payload->format = (BwImageFormat)json_object_get_int_member_with_default (p, "format", 0);
  g_free (payload->keyword);
  payload->keyword = g_strdup (bw_json_object_get_string (p, "keyword"));
  g_free (payload->svg_verify);
  payload->svg_verify = g_strdup (bw_json_object_get_string (p, "svg_verify"));
  payload->ob3 = json_object_get_boolean_member_with_default (p, "ob3", FALSE);
  payload->offset = json_object_get_int_member_with_default (p, "offset", -1);
  warnings = json_object_has_member (p, "warnings")
             ? json_object_get_array_member (p, "warnings") : NULL;
  if (warnings != NULL && json_array_get_length (warnings) > 0)
    {
      if (payload->warnings == NULL)
        payload->warnings = g_ptr_array_new_with_free_func (g_free);
      for (guint i = 0; i < json_array_get_length (warnings); i++)
        g_ptr_array_add (payload->warnings,
                         g_strdup (json_array_get_string_element (warnings, i)));
    }

  badge = bw_badge_new_from_payload (payload, error);
  if (badge == NULL)
    return NULL;
  if (json_object_has_member (object, "documents"))
    _bw_store_resolve_documents (badge, json_object_get_array_member (object, "documents"));
  return badge;
}

char *
_bw_store_join_strv (const char * const *strv)
{
  if (strv == NULL || strv[0] == NULL)
    return NULL;
  return g_strjoinv ("\n", (char **)strv);
}

/* ------------------------------------------------------------------------- */
/* The model                                                                 */
/* ------------------------------------------------------------------------- */

/* Sorting ignores case and accents (“Émigré” sorts with “emigre”), then
 * follows the user's locale. */
static char *
collate_key (const char *text)
{
  g_autofree char *decomposed = NULL;
  g_autofree char *folded = NULL;
  GString *bare;

  if (text == NULL)
    return g_strdup ("");
  decomposed = g_utf8_normalize (text, -1, G_NORMALIZE_NFD);
  if (decomposed == NULL)
    return g_strdup ("");
  bare = g_string_sized_new (strlen (decomposed));
  for (const char *p = decomposed; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (!g_unichar_ismark (c))
        g_string_append_unichar (bare, c);
    }
  folded = g_utf8_casefold (bare->str, -1);
  g_string_free (bare, TRUE);
  return g_utf8_collate_key (folded, -1);
}

static int
compare_time_desc (gint64 a,
                   gint64 b)
{
  /* Unknown times sort last. */
  if (a == b)
    return 0;
  return a > b ? -1 : 1;
}

static int
compare_rows (gconstpointer a,
              gconstpointer b,
              gpointer      user_data)
{
  const Row *ra = *(const Row * const *)a;
  const Row *rb = *(const Row * const *)b;
  BwStoreSort sort = GPOINTER_TO_INT (user_data);
  int c = 0;

  switch (sort)
    {
    case BW_STORE_SORT_NAME:
      c = strcmp (ra->name_key, rb->name_key);
      break;
    case BW_STORE_SORT_ISSUER:
      c = strcmp (ra->issuer_key, rb->issuer_key);
      if (c == 0)
        c = strcmp (ra->name_key, rb->name_key);
      break;
    case BW_STORE_SORT_ISSUED:
      c = compare_time_desc (ra->issued, rb->issued);
      break;
    case BW_STORE_SORT_ADDED:
    default:
      break;
    }

  if (c == 0)
    c = compare_time_desc (ra->added, rb->added);
  if (c == 0)
    c = ra->rowid > rb->rowid ? -1 : (ra->rowid < rb->rowid ? 1 : 0);
  return c;
}

static gboolean
row_matches_filter (const Row     *row,
                    BwStoreFilter  filter,
                    gint64         now)
{
  switch (filter)
    {
    case BW_STORE_FILTER_VALID:
      return row->verdict == BW_VERDICT_VALID;
    case BW_STORE_FILTER_EXPIRING:
      return row->verdict == BW_VERDICT_VALID &&
             row->expires != G_MININT64 &&
             row->expires >= now &&
             row->expires <= now + EXPIRING_DAYS * (gint64)24 * 3600;
    case BW_STORE_FILTER_EXPIRED:
      return row->verdict == BW_VERDICT_EXPIRED;
    case BW_STORE_FILTER_REVOKED:
      return row->verdict == BW_VERDICT_REVOKED;
    case BW_STORE_FILTER_UNVERIFIED:
      /* Never checked, or the check could not reach the issuer. */
      return row->verdict < 0 || row->verdict == BW_VERDICT_UNREACHABLE;
    case BW_STORE_FILTER_ALL:
    default:
      return TRUE;
    }
}

/* Turns what the user typed into an FTS5 query: every word must appear,
 * each as a prefix, and nothing typed is read as query syntax. */
static char *
search_to_fts_query (const char *text)
{
  g_auto(GStrv) words = g_strsplit_set (text, " \t\n\r", -1);
  g_autoptr(GString) query = g_string_new (NULL);

  for (guint i = 0; words[i] != NULL; i++)
    {
      if (*words[i] == '\0')
        continue;
      if (query->len > 0)
        g_string_append_c (query, ' ');
      g_string_append_c (query, '"');
      for (const char *p = words[i]; *p; p++)
        {
          if (*p == '"')
            g_string_append (query, "\"\"");
          else
            g_string_append_c (query, *p);
        }
      g_string_append (query, "\"*");
    }

  if (query->len == 0)
    return NULL;
  return g_string_free (g_steal_pointer (&query), FALSE);
}

static void
update_search_hits (BwStore *self)
{
  g_autofree char *query = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GError) error = NULL;

  g_clear_pointer (&self->hits, g_hash_table_unref);
  if (self->search == NULL || (query = search_to_fts_query (self->search)) == NULL)
    return;

  self->hits = g_hash_table_new (g_direct_hash, g_direct_equal);
  stmt = _bw_store_db_prepare (self->db,
                               "SELECT rowid FROM badges_search WHERE badges_search MATCH ?1",
                               &error);
  if (stmt == NULL)
    {
      g_warning ("Search failed: %s", error->message);
      return;
    }
  _bw_store_bind_text (stmt, 1, query);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_hash_table_add (self->hits, GSIZE_TO_POINTER ((gsize)sqlite3_column_int64 (stmt, 0)));
}

static GPtrArray *
build_visible (BwStore *self)
{
  GPtrArray *visible = g_ptr_array_sized_new (self->rows->len);
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  gboolean keys = self->sort == BW_STORE_SORT_NAME || self->sort == BW_STORE_SORT_ISSUER;

  for (guint i = 0; i < self->rows->len; i++)
    {
      Row *row = g_ptr_array_index (self->rows, i);

      if (row->pending_removal ||
          !row_matches_filter (row, self->filter, now) ||
          (self->hits != NULL &&
           !g_hash_table_contains (self->hits, GSIZE_TO_POINTER ((gsize)row->rowid))))
        continue;

      /* Collation keys are made on first use, so a wallet sorted by date
       * never pays for them. */
      if (keys && row->name_key == NULL)
        {
          row->name_key = collate_key (row->name);
          row->issuer_key = collate_key (row->issuer);
        }
      g_ptr_array_add (visible, row);
    }

  g_ptr_array_sort_with_data (visible, compare_rows, GINT_TO_POINTER (self->sort));
  return visible;
}

static void
ensure_visible (BwStore *self)
{
  if (!self->dirty)
    return;
  update_search_hits (self);
  g_clear_pointer (&self->visible, g_ptr_array_unref);
  self->visible = build_visible (self);
  self->dirty = FALSE;
}

/* Rebuilds the visible list and announces the change as one items-changed
 * covering the span between the unchanged head and tail. With nobody
 * listening (the command line, a batch import before the window binds the
 * model) the rebuild waits until the model is next read. */
void
_bw_store_refresh_model (BwStore *self)
{
  g_autoptr(GPtrArray) old = NULL;
  guint prefix = 0;
  guint suffix = 0;
  guint old_n;
  guint new_n;

  if (!g_signal_has_handler_pending (self, items_changed_signal, 0, FALSE))
    {
      self->dirty = TRUE;
      return;
    }

  ensure_visible (self);
  update_search_hits (self);
  old = g_steal_pointer (&self->visible);
  self->visible = build_visible (self);

  old_n = old->len;
  new_n = self->visible->len;
  while (prefix < old_n && prefix < new_n &&
         g_ptr_array_index (old, prefix) == g_ptr_array_index (self->visible, prefix))
    prefix++;
  while (suffix < old_n - prefix && suffix < new_n - prefix &&
         g_ptr_array_index (old, old_n - 1 - suffix) ==
         g_ptr_array_index (self->visible, new_n - 1 - suffix))
    suffix++;

  if (old_n != new_n || prefix != old_n)
    g_list_model_items_changed (G_LIST_MODEL (self), prefix,
                                old_n - prefix - suffix,
                                new_n - prefix - suffix);
}

static void
row_apply_metadata (BwStore *self,
                    Row     *row,
                    BwBadge *badge)
{
  g_autoptr(GDateTime) added = g_date_time_new_from_unix_utc (row->added);
  g_autoptr(GDateTime) checked = NULL;
  g_autofree char *path = _bw_store_original_path (self, row->wallet_id);

  if (row->checked != G_MININT64)
    checked = g_date_time_new_from_unix_utc (row->checked);
  bw_badge_set_wallet_id (badge, row->wallet_id);
  bw_badge_set_added (badge, added);
  bw_badge_set_original_path (badge, path);
  bw_badge_set_last_verification (badge,
                                  row->verdict >= 0 ? bw_verdict_to_string (row->verdict) : NULL,
                                  checked);
}

/* ------------------------------------------------------------------------- */
/* The cache of built badges                                                 */
/* ------------------------------------------------------------------------- */

/* Building a BwBadge parses its documents, so the most recently used ones
 * are kept; beyond those, a badge lives only as long as someone holds it,
 * and a wallet of any size scrolled end to end costs the same memory. */
static void
cache_trim (BwStore *self)
{
  while (self->cache.length > self->cache_size)
    {
      Row *row = g_queue_pop_tail (&self->cache);

      row->cache_link = NULL;
      g_clear_object (&row->cached);
    }
}

static void
cache_take (BwStore *self,
            Row     *row,
            BwBadge *badge)
{
  g_assert (row->cached == NULL);

  row->cached = badge;
  g_queue_push_head (&self->cache, row);
  row->cache_link = self->cache.head;
  cache_trim (self);
}

static void
cache_forget (BwStore *self,
              Row     *row)
{
  if (row->cache_link != NULL)
    {
      g_queue_delete_link (&self->cache, row->cache_link);
      row->cache_link = NULL;
    }
  g_clear_object (&row->cached);
}

/* The badge built for @row if it is alive, whoever holds it. */
static BwBadge *
row_ref_live_badge (Row *row)
{
  if (row->cached != NULL)
    return g_object_ref (row->cached);
  return g_weak_ref_get (&row->live);
}

/* Returns @row's badge, built once for as long as it lives, and marks it
 * as the most recently used. */
static BwBadge *
row_get_badge (BwStore *self,
               Row     *row)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(BwBadge) badge = NULL;

  if (row->cached != NULL)
    {
      g_queue_unlink (&self->cache, row->cache_link);
      g_queue_push_head_link (&self->cache, row->cache_link);
      return row->cached;
    }

  /* Still held elsewhere (a tile, an open badge page): the same object. */
  badge = g_weak_ref_get (&row->live);
  if (badge != NULL)
    {
      cache_take (self, row, g_steal_pointer (&badge));
      return row->cached;
    }

  stmt = _bw_store_db_prepare (self->db, "SELECT badge_json FROM badge_data WHERE rowid = ?1",
                               &error);
  if (stmt != NULL)
    {
      sqlite3_bind_int64 (stmt, 1, row->rowid);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        badge = badge_from_stored_json ((const char *)sqlite3_column_text (stmt, 0), &error);
    }

  if (badge == NULL)
    {
      /* The stored form no longer parses (or the row went away under us):
       * the original is the truth, read it again. */
      g_autoptr(GBytes) original = NULL;
      g_autoptr(BwPayload) payload = NULL;
      g_autoptr(GError) local_error = NULL;

      original = bw_store_load_original (self, row->wallet_id, &local_error);
      if (original != NULL)
        payload = _bw_store_payload_from_bytes (original, BW_PAYLOAD_SOURCE_FILE, &local_error);
      if (payload != NULL)
        badge = bw_badge_new_from_payload (payload, &local_error);
      if (badge == NULL)
        {
          g_warning ("Badge %s cannot be rebuilt: %s", row->wallet_id,
                     local_error != NULL ? local_error->message : "");
          return NULL;
        }
    }

  row_apply_metadata (self, row, badge);
  g_weak_ref_set (&row->live, badge);
  cache_take (self, row, g_steal_pointer (&badge));
  return row->cached;
}

static GType
bw_store_get_item_type (GListModel *model)
{
  return BW_TYPE_BADGE;
}

static guint
bw_store_get_n_items (GListModel *model)
{
  BwStore *self = BW_STORE (model);

  ensure_visible (self);
  return self->visible->len;
}

static gpointer
bw_store_get_item (GListModel *model,
                   guint       position)
{
  BwStore *self = BW_STORE (model);
  BwBadge *badge;

  ensure_visible (self);
  if (position >= self->visible->len)
    return NULL;
  badge = row_get_badge (self, g_ptr_array_index (self->visible, position));
  return badge != NULL ? g_object_ref (badge) : NULL;
}

static void
bw_store_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = bw_store_get_item_type;
  iface->get_n_items = bw_store_get_n_items;
  iface->get_item = bw_store_get_item;
}

/* ------------------------------------------------------------------------- */
/* Reading and updating badges                                               */
/* ------------------------------------------------------------------------- */

static Row *
find_row (BwStore     *self,
          const char  *wallet_id,
          GError     **error)
{
  Row *row = wallet_id != NULL ? g_hash_table_lookup (self->by_id, wallet_id) : NULL;

  if (row == NULL || row->pending_removal)
    {
      g_set_error (error, BW_ERROR, BW_ERROR_NOT_FOUND,
                   _("No badge with id “%s” in the wallet"), wallet_id != NULL ? wallet_id : "");
      return NULL;
    }
  return row;
}

/**
 * bw_store_lookup:
 *
 * Returns: (transfer none) (nullable): the badge, valid until the store has
 *   handed out #BW_STORE_CACHE_SIZE other badges; take a reference to keep it
 */
BwBadge *
bw_store_lookup (BwStore    *self,
                 const char *wallet_id)
{
  Row *row;

  g_return_val_if_fail (BW_IS_STORE (self), NULL);
  g_return_val_if_fail (wallet_id != NULL, NULL);

  row = find_row (self, wallet_id, NULL);
  return row != NULL ? row_get_badge (self, row) : NULL;
}

/**
 * bw_store_load_original:
 *
 * Reads an original and checks it against its hash.
 *
 * Returns: (transfer full) (nullable): the original, byte-exact
 */
GBytes *
bw_store_load_original (BwStore     *self,
                        const char  *wallet_id,
                        GError     **error)
{
  g_autofree char *path = NULL;
  g_autofree char *hash = NULL;
  g_autoptr(GBytes) data = NULL;

  g_return_val_if_fail (BW_IS_STORE (self), NULL);
  g_return_val_if_fail (wallet_id != NULL, NULL);

  if (!_bw_store_is_wallet_id (wallet_id))
    {
      g_set_error (error, BW_ERROR, BW_ERROR_NOT_FOUND,
                   _("“%s” is not a wallet id"), wallet_id);
      return NULL;
    }
  path = _bw_store_original_path (self, wallet_id);
  data = _bw_store_read_file (path, error);
  if (data == NULL)
    return NULL;
  hash = bw_sha256_hex (g_bytes_get_data (data, NULL), g_bytes_get_size (data));
  if (!g_str_equal (hash, wallet_id))
    {
      g_set_error (error, BW_ERROR, BW_ERROR_IO,
                   _("The stored original of badge %s is damaged (its content no longer "
                     "matches its hash)"), wallet_id);
      return NULL;
    }
  return g_steal_pointer (&data);
}

/* Runs one UPDATE of a badge in its own transaction. */
static gboolean
update_badge (BwStore     *self,
              const char  *sql,
              const char  *wallet_id,
              const char  *text1,
              const char  *text2,
              gint64       time,
              const char  *text3,
              const char  *context,
              GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = _bw_store_db_prepare (self->db, sql, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  _bw_store_bind_text (stmt, 1, wallet_id);
  if (sqlite3_bind_parameter_count (stmt) >= 2)
    _bw_store_bind_text (stmt, 2, text1);
  if (sqlite3_bind_parameter_count (stmt) >= 3)
    _bw_store_bind_text (stmt, 3, text2);
  if (sqlite3_bind_parameter_count (stmt) >= 4)
    {
      if (time != G_MININT64)
        sqlite3_bind_int64 (stmt, 4, time);
      else
        sqlite3_bind_null (stmt, 4);
    }
  if (sqlite3_bind_parameter_count (stmt) >= 5)
    _bw_store_bind_text (stmt, 5, text3);

  rc = sqlite3_step (stmt);
  if (rc != SQLITE_DONE)
    {
      _bw_store_db_rollback (self->db);
      return _bw_store_set_db_error (error, self->db, rc, context);
    }
  return TRUE;
}

/* The document @resolved holds for @kind, when it is the one @url names:
 * a hosted assertion must be the one the stored badge points at. */
static JsonNode *
resolved_document (BwBadge        *resolved,
                   BwDocumentKind  kind,
                   const char     *url)
{
  switch (kind)
    {
    case BW_DOCUMENT_BADGE_CLASS:
      return bw_badge_get_badge_class_document (resolved);
    case BW_DOCUMENT_ISSUER:
      return bw_badge_get_issuer_document (resolved);
    case BW_DOCUMENT_ASSERTION:
    default:
      if (g_strcmp0 (bw_badge_get_hosted_url (resolved), url) != 0 &&
          g_strcmp0 (bw_badge_get_id (resolved), url) != 0)
        return NULL;
      return bw_badge_get_assertion_document (resolved);
    }
}

/* Rebuilds @row's badge from its stored form and feeds it the documents
 * @resolved (a verifier's badge) fetched that the stored badge still waits
 * for, so a badge imported while its issuer was offline gets its name once
 * verified. Returns %NULL when the stored badge needs nothing from
 * @resolved; else the new stored form in @badge_json and the documents
 * taken in @added. */
static BwBadge *
badge_with_resolved_documents (BwStore    *self,
                               Row        *row,
                               BwBadge    *resolved,
                               char      **badge_json,
                               JsonArray **added)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(BwBadge) badge = NULL;
  g_autoptr(JsonArray) taken = json_array_new ();
  const char *text;
  JsonObject *object;
  JsonArray *documents;

  stmt = _bw_store_db_prepare (self->db, "SELECT badge_json FROM badge_data WHERE rowid = ?1",
                               &error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, row->rowid);
  if (sqlite3_step (stmt) != SQLITE_ROW ||
      (text = (const char *)sqlite3_column_text (stmt, 0)) == NULL)
    return NULL;
  badge = badge_from_stored_json (text, &error);
  root = bw_json_parse (text, -1, NULL);
  if (badge == NULL || root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return NULL;

  /* Each kind of document is asked for at most once. */
  for (guint i = 0; i < 3 && bw_badge_needs_fetch (badge); i++)
    {
      g_autofree char *url = NULL;
      g_autoptr(GError) local_error = NULL;
      BwDocumentKind kind = BW_DOCUMENT_ASSERTION;
      JsonNode *document;

      url = bw_badge_dup_pending_url (badge, &kind);
      if (url == NULL)
        break;
      document = resolved_document (resolved, kind, url);
      if (document == NULL)
        break;
      if (!bw_badge_resolve (badge, kind, url, document, &local_error))
        {
          g_debug ("Document %s of badge %s not taken: %s", url, row->wallet_id,
                   local_error->message);
          break;
        }
      _bw_store_document_add (taken, kind, url, document);
    }
  if (json_array_get_length (taken) == 0)
    return NULL;

  object = json_node_get_object (root);
  if (!json_object_has_member (object, "documents") ||
      !JSON_NODE_HOLDS_ARRAY (json_object_get_member (object, "documents")))
    json_object_set_array_member (object, "documents", json_array_new ());
  documents = json_object_get_array_member (object, "documents");
  for (guint i = 0; i < json_array_get_length (taken); i++)
    json_array_add_element (documents, json_node_copy (json_array_get_element (taken, i)));

  *badge_json = json_to_string (root, FALSE);
  *added = g_steal_pointer (&taken);
  return g_steal_pointer (&badge);
}

/* Writes what @badge now says into @row's list columns, documents and
 * search index, inside the caller's transaction. */
static gboolean
update_resolved_badge (BwStore     *self,
                       Row         *row,
                       BwBadge     *badge,
                       const char  *badge_json,
                       GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(sqlite3_stmt) data = NULL;
  g_autoptr(sqlite3_stmt) fts = NULL;
  g_autofree char *tags = _bw_store_join_strv (bw_badge_get_tags (badge));
  g_autofree char *skills = _bw_store_join_strv (bw_badge_get_skills (badge));
  const char *issuer = bw_badge_get_issuer_name (badge);
  int rc;

  stmt = _bw_store_db_prepare (self->db,
                               "UPDATE badges SET assertion_id = ?2, name = ?3, issuer_name = ?4,"
                               " issued = ?5, expires = ?6 WHERE rowid = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, row->rowid);
  _bw_store_bind_text (stmt, 2, bw_badge_get_id (badge));
  _bw_store_bind_text (stmt, 3, bw_badge_get_name (badge));
  _bw_store_bind_text (stmt, 4, issuer);
  _bw_store_bind_time (stmt, 5, bw_badge_get_issued (badge));
  _bw_store_bind_time (stmt, 6, bw_badge_get_expires (badge));
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_DONE)
    return _bw_store_set_db_error (error, self->db, rc, _("saving a verification result"));

  data = _bw_store_db_prepare (self->db,
                               "UPDATE badge_data SET spec = ?2, description = ?3,"
                               " issuer_id = ?4, image = ?5, tags = ?6, skills = ?7,"
                               " badge_json = ?8 WHERE rowid = ?1", error);
  if (data == NULL)
    return FALSE;
  sqlite3_bind_int64 (data, 1, row->rowid);
  _bw_store_bind_text (data, 2, bw_spec_version_to_string (bw_badge_get_spec (badge)));
  _bw_store_bind_text (data, 3, bw_badge_get_description (badge));
  _bw_store_bind_text (data, 4, bw_badge_get_issuer_id (badge));
  _bw_store_bind_text (data, 5, bw_badge_get_image (badge));
  _bw_store_bind_text (data, 6, tags);
  _bw_store_bind_text (data, 7, skills);
  _bw_store_bind_text (data, 8, badge_json);
  rc = sqlite3_step (data);
  if (rc != SQLITE_DONE)
    return _bw_store_set_db_error (error, self->db, rc, _("saving a verification result"));

  fts = _bw_store_db_prepare (self->db,
                              "UPDATE badges_search SET name = ?2, description = ?3,"
                              " issuer = ?4, tags = ?5, skills = ?6 WHERE rowid = ?1", error);
  if (fts == NULL)
    return FALSE;
  sqlite3_bind_int64 (fts, 1, row->rowid);
  _bw_store_bind_text (fts, 2, bw_badge_get_name (badge));
  _bw_store_bind_text (fts, 3, bw_badge_get_description (badge));
  _bw_store_bind_text (fts, 4, issuer != NULL ? issuer : bw_badge_get_issuer_id (badge));
  _bw_store_bind_text (fts, 5, tags);
  _bw_store_bind_text (fts, 6, skills);
  rc = sqlite3_step (fts);
  if (rc != SQLITE_DONE)
    return _bw_store_set_db_error (error, self->db, rc, _("indexing a badge for search"));
  return TRUE;
}

/* Takes the new listing fields of @badge into @row, so the model sorts,
 * filters and lists the badge as a reopened wallet would. */
static void
row_apply_badge (Row     *row,
                 BwBadge *badge)
{
  g_free (row->name);
  row->name = g_strdup (bw_badge_get_name (badge));
  g_free (row->issuer);
  row->issuer = g_strdup (bw_badge_get_issuer_name (badge));
  /* The collation keys are made again on next use. */
  g_clear_pointer (&row->name_key, g_free);
  g_clear_pointer (&row->issuer_key, g_free);
  row->issued = bw_badge_get_issued (badge) != NULL
                ? g_date_time_to_unix (bw_badge_get_issued (badge)) : G_MININT64;
  row->expires = bw_badge_get_expires (badge) != NULL
                 ? g_date_time_to_unix (bw_badge_get_expires (badge)) : G_MININT64;
}

/**
 * bw_store_save_report:
 *
 * Keeps @report as the badge's last verification; the filters follow it.
 * When the report's badge carries documents the stored badge was still
 * waiting for (a badge class or issuer known only by URL), they are kept
 * too, with the name, issuer, dates and search index they give.
 */
gboolean
bw_store_save_report (BwStore     *self,
                      const char  *wallet_id,
                      BwReport    *report,
                      GError     **error)
{
  g_autofree char *json = NULL;
  g_autofree char *badge_json = NULL;
  g_autoptr(BwBadge) badge = NULL;
  g_autoptr(JsonArray) added = NULL;
  GDateTime *checked;
  gint64 when;
  Row *row;

  g_return_val_if_fail (BW_IS_STORE (self), FALSE);
  g_return_val_if_fail (BW_IS_REPORT (report), FALSE);

  row = find_row (self, wallet_id, error);
  if (row == NULL)
    return FALSE;

  if (bw_report_get_badge (report) != NULL)
    badge = badge_with_resolved_documents (self, row, bw_report_get_badge (report),
                                           &badge_json, &added);
  json = bw_report_to_json_string (report);
  checked = bw_report_get_checked (report);
  when = checked != NULL ? g_date_time_to_unix (checked) : g_get_real_time () / G_USEC_PER_SEC;
  if (!_bw_store_db_exec (self->db, "BEGIN IMMEDIATE", _("saving a verification result"), error))
    return FALSE;
  if (!update_badge (self,
                     "UPDATE badges SET verdict = ?3, checked = ?4 WHERE wallet_id = ?1",
                     wallet_id, NULL, bw_verdict_to_string (bw_report_get_verdict (report)),
                     when, NULL, _("saving a verification result"), error) ||
      !update_badge (self,
                     "UPDATE badge_data SET report = ?2"
                     " WHERE rowid = (SELECT rowid FROM badges WHERE wallet_id = ?1)",
                     wallet_id, json, NULL, G_MININT64, NULL,
                     _("saving a verification result"), error))
    return FALSE;
  if (badge != NULL && !update_resolved_badge (self, row, badge, badge_json, error))
    {
      _bw_store_db_rollback (self->db);
      return FALSE;
    }
  if (!_bw_store_db_exec (self->db, "COMMIT", _("saving a verification result"), error))
    {
      _bw_store_db_rollback (self->db);
      return FALSE;
    }

  row->verdict = (int)bw_report_get_verdict (report);
  row->checked = when;
  if (badge != NULL)
    {
      g_autoptr(BwBadge) live = row_ref_live_badge (row);

      row_apply_badge (row, badge);
      if (live != NULL)
        {
          /* The model's badge takes the documents in place, so whoever
           * holds it (a tile, an open badge page) sees the new name. */
          _bw_store_resolve_documents (live, added);
        }
      else
        {
          g_weak_ref_set (&row->live, badge);
          cache_take (self, row, g_steal_pointer (&badge));
        }
      /* A view that listed the row reads it again. */
      if (!self->dirty && g_signal_has_handler_pending (self, items_changed_signal, 0, FALSE))
        {
          guint position;

          if (g_ptr_array_find (self->visible, row, &position))
            g_list_model_items_changed (G_LIST_MODEL (self), position, 1, 1);
        }
    }
  {
    g_autoptr(BwBadge) live = row_ref_live_badge (row);

    if (live != NULL)
      row_apply_metadata (self, row, live);
  }
  _bw_store_refresh_model (self);
  return TRUE;
}

/**
 * bw_store_load_report:
 *
 * Returns: (transfer full) (nullable): the last report kept for the badge
 */
BwReport *
bw_store_load_report (BwStore    *self,
                      const char *wallet_id)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GError) error = NULL;
  BwReport *report = NULL;

  g_return_val_if_fail (BW_IS_STORE (self), NULL);
  g_return_val_if_fail (wallet_id != NULL, NULL);

  stmt = _bw_store_db_prepare (self->db,
                               "SELECT report FROM badge_data"
                               " WHERE rowid = (SELECT rowid FROM badges WHERE wallet_id = ?1)",
                               NULL);
  if (stmt == NULL)
    return NULL;
  _bw_store_bind_text (stmt, 1, wallet_id);
  if (sqlite3_step (stmt) != SQLITE_ROW || sqlite3_column_type (stmt, 0) == SQLITE_NULL)
    return NULL;
  report = bw_report_new_from_json_string ((const char *)sqlite3_column_text (stmt, 0), &error);
  if (report == NULL)
    g_warning ("The report kept for %s cannot be read: %s", wallet_id, error->message);
  return report;
}

gboolean
bw_store_set_note (BwStore     *self,
                   const char  *wallet_id,
                   const char  *note,
                   GError     **error)
{
  g_return_val_if_fail (BW_IS_STORE (self), FALSE);

  if (find_row (self, wallet_id, error) == NULL)
    return FALSE;
  if (note != NULL && *note == '\0')
    note = NULL;
  return update_badge (self,
                       "UPDATE badge_data SET note = ?2"
                       " WHERE rowid = (SELECT rowid FROM badges WHERE wallet_id = ?1)",
                       wallet_id, note, NULL, G_MININT64, NULL, _("saving a note"), error);
}

/**
 * bw_store_dup_note:
 *
 * Returns: (transfer full) (nullable): the user's note on the badge
 */
char *
bw_store_dup_note (BwStore    *self,
                   const char *wallet_id)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (BW_IS_STORE (self), NULL);
  g_return_val_if_fail (wallet_id != NULL, NULL);

  stmt = _bw_store_db_prepare (self->db,
                               "SELECT note FROM badge_data"
                               " WHERE rowid = (SELECT rowid FROM badges WHERE wallet_id = ?1)",
                               NULL);
  if (stmt == NULL)
    return NULL;
  _bw_store_bind_text (stmt, 1, wallet_id);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return NULL;
  return _bw_store_column_dup (stmt, 0);
}

/* ------------------------------------------------------------------------- */
/* Removing                                                                  */
/* ------------------------------------------------------------------------- */

/* Deletes @ids in one transaction, then forgets their rows and originals.
 * An original is deleted only after the commit, so a failure never leaves
 * a row without its file. */
static gboolean
delete_rows (BwStore    *self,
             GPtrArray  *ids,
             GError    **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(sqlite3_stmt) data = NULL;
  g_autoptr(sqlite3_stmt) fts = NULL;
  int rc;

  if (ids->len == 0)
    return TRUE;
  if (!_bw_store_db_exec (self->db, "BEGIN IMMEDIATE", _("removing badges"), error))
    return FALSE;
  stmt = _bw_store_db_prepare (self->db, "DELETE FROM badges WHERE rowid = ?1", error);
  if (stmt != NULL)
    data = _bw_store_db_prepare (self->db, "DELETE FROM badge_data WHERE rowid = ?1", error);
  if (data != NULL)
    fts = _bw_store_db_prepare (self->db, "DELETE FROM badges_search WHERE rowid = ?1", error);
  if (fts == NULL)
    {
      _bw_store_db_rollback (self->db);
      return FALSE;
    }

  for (guint i = 0; i < ids->len; i++)
    {
      Row *row = g_hash_table_lookup (self->by_id, g_ptr_array_index (ids, i));

      sqlite3_bind_int64 (stmt, 1, row->rowid);
      sqlite3_bind_int64 (data, 1, row->rowid);
      sqlite3_bind_int64 (fts, 1, row->rowid);
      if ((rc = sqlite3_step (data)) != SQLITE_DONE ||
          (rc = sqlite3_step (stmt)) != SQLITE_DONE ||
          (rc = sqlite3_step (fts)) != SQLITE_DONE)
        {
          _bw_store_set_db_error (error, self->db, rc, _("removing badges"));
          _bw_store_db_rollback (self->db);
          return FALSE;
        }
      sqlite3_reset (stmt);
      sqlite3_reset (data);
      sqlite3_reset (fts);
    }

  rc = sqlite3_exec (self->db, "COMMIT", NULL, NULL, NULL);
  if (rc != SQLITE_OK)
    {
      _bw_store_set_db_error (error, self->db, rc, _("removing badges"));
      _bw_store_db_rollback (self->db);
      return FALSE;
    }

  for (guint i = 0; i < ids->len; i++)
    {
      const char *wallet_id = g_ptr_array_index (ids, i);
      g_autofree char *path = _bw_store_original_path (self, wallet_id);
      Row *row = g_hash_table_lookup (self->by_id, wallet_id);

      g_unlink (path);
      cache_forget (self, row);
      g_hash_table_remove (self->by_id, wallet_id);
      /* The row owns the id string the table was keyed on, so it goes last. */
      g_ptr_array_remove_fast (self->rows, row);
    }
  _bw_store_refresh_model (self);
  return TRUE;
}

/**
 * bw_store_remove:
 *
 * Removes a badge at once, with no undo.
 */
gboolean
bw_store_remove (BwStore     *self,
                 const char  *wallet_id,
                 GError     **error)
{
  g_autoptr(GPtrArray) ids = g_ptr_array_new ();
  Row *row;

  g_return_val_if_fail (BW_IS_STORE (self), FALSE);

  row = wallet_id != NULL ? g_hash_table_lookup (self->by_id, wallet_id) : NULL;
  if (row == NULL)
    {
      find_row (self, wallet_id, error);
      return FALSE;
    }
  g_ptr_array_add (ids, row->wallet_id);
  return delete_rows (self, ids, error);
}

/**
 * bw_store_remove_pending:
 *
 * Hides a badge from the model at once; it is deleted by
 * bw_store_commit_removals() (called at the latest when the store is
 * disposed) unless bw_store_undo_remove() brings it back first.
 */
void
bw_store_remove_pending (BwStore    *self,
                         const char *wallet_id)
{
  Row *row;

  g_return_if_fail (BW_IS_STORE (self));
  g_return_if_fail (wallet_id != NULL);

  row = g_hash_table_lookup (self->by_id, wallet_id);
  if (row == NULL || row->pending_removal)
    return;
  row->pending_removal = TRUE;
  _bw_store_refresh_model (self);
}

void
bw_store_undo_remove (BwStore    *self,
                      const char *wallet_id)
{
  Row *row;

  g_return_if_fail (BW_IS_STORE (self));
  g_return_if_fail (wallet_id != NULL);

  row = g_hash_table_lookup (self->by_id, wallet_id);
  if (row == NULL || !row->pending_removal)
    return;
  row->pending_removal = FALSE;
  _bw_store_refresh_model (self);
}

gboolean
bw_store_commit_removals (BwStore  *self,
                          GError  **error)
{
  g_autoptr(GPtrArray) ids = g_ptr_array_new ();

  g_return_val_if_fail (BW_IS_STORE (self), FALSE);

  for (guint i = 0; i < self->rows->len; i++)
    {
      Row *row = g_ptr_array_index (self->rows, i);

      if (row->pending_removal)
        g_ptr_array_add (ids, row->wallet_id);
    }
  return delete_rows (self, ids, error);
}

/* ------------------------------------------------------------------------- */
/* The view                                                                  */
/* ------------------------------------------------------------------------- */

void
bw_store_set_sort (BwStore     *self,
                   BwStoreSort  sort)
{
  g_return_if_fail (BW_IS_STORE (self));

  if (self->sort == sort)
    return;
  self->sort = sort;
  _bw_store_refresh_model (self);
}

void
bw_store_set_filter (BwStore       *self,
                     BwStoreFilter  filter)
{
  g_return_if_fail (BW_IS_STORE (self));

  if (self->filter == filter)
    return;
  self->filter = filter;
  _bw_store_refresh_model (self);
}

/**
 * bw_store_set_search:
 * @text: (nullable): words that must all appear (as word prefixes) in the
 *   name, description, issuer, tags or skills; %NULL or blank for none
 */
void
bw_store_set_search (BwStore    *self,
                     const char *text)
{
  g_autofree char *query = NULL;

  g_return_if_fail (BW_IS_STORE (self));

  if (text != NULL && (query = search_to_fts_query (text)) == NULL)
    text = NULL;
  if (g_strcmp0 (self->search, text) == 0)
    return;
  g_free (self->search);
  self->search = g_strdup (text);
  _bw_store_refresh_model (self);
}

/**
 * bw_store_get_total:
 *
 * Returns: the number of badges in the wallet, whatever the filter
 */
guint
bw_store_get_total (BwStore *self)
{
  guint total = 0;

  g_return_val_if_fail (BW_IS_STORE (self), 0);

  for (guint i = 0; i < self->rows->len; i++)
    if (!((Row *)g_ptr_array_index (self->rows, i))->pending_removal)
      total++;
  return total;
}

void
_bw_store_json_add_time (JsonBuilder *builder,
                         const char  *member,
                         gint64       time)
{
  g_autoptr(GDateTime) datetime = NULL;
  g_autofree char *text = NULL;

  if (time != G_MININT64)
    datetime = g_date_time_new_from_unix_utc (time);
  text = bw_format_datetime (datetime);
  bw_json_builder_add_string (builder, member, text);
}

/**
 * bw_store_dup_summary:
 *
 * Returns: (transfer full) (nullable): an object with `id`, `name`,
 *   `issuer`, `issued`, `expires`, `added`, `verdict` and `checked`
 */
JsonNode *
bw_store_dup_summary (BwStore *self,
                      guint    position)
{
  g_autoptr(JsonBuilder) builder = NULL;
  Row *row;

  g_return_val_if_fail (BW_IS_STORE (self), NULL);

  ensure_visible (self);
  if (position >= self->visible->len)
    return NULL;
  row = g_ptr_array_index (self->visible, position);

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  bw_json_builder_add_string (builder, "id", row->wallet_id);
  bw_json_builder_add_string (builder, "name", row->name);
  bw_json_builder_add_string (builder, "issuer", row->issuer);
  _bw_store_json_add_time (builder, "issued", row->issued);
  _bw_store_json_add_time (builder, "expires", row->expires);
  _bw_store_json_add_time (builder, "added", row->added);
  bw_json_builder_add_string (builder, "verdict",
                              row->verdict >= 0
                              ? bw_verdict_to_string (row->verdict) : NULL);
  _bw_store_json_add_time (builder, "checked", row->checked);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

/**
 * bw_store_resolve_id:
 *
 * Returns: (transfer full) (nullable): the full wallet id
 */
char *
bw_store_resolve_id (BwStore     *self,
                     const char  *id_or_prefix,
                     GError     **error)
{
  g_autofree char *lower = NULL;
  const char *found = NULL;
  gsize length;

  g_return_val_if_fail (BW_IS_STORE (self), NULL);
  g_return_val_if_fail (id_or_prefix != NULL, NULL);

  if (find_row (self, id_or_prefix, NULL) != NULL)
    return g_strdup (id_or_prefix);

  /* Ids are lower-case hexadecimal; one copied from elsewhere may not be. */
  lower = g_ascii_strdown (id_or_prefix, -1);
  length = strlen (lower);
  if (length < BW_STORE_MIN_ID_PREFIX)
    {
      /* A beginning this short would too easily name a badge the user did
       * not mean, so it is refused even when only one badge matches. */
      g_set_error (error, BW_ERROR, BW_ERROR_NOT_FOUND,
                   g_dngettext (GETTEXT_PACKAGE,
                                "“%s” is too short to name a badge: give at least %d "
                                "character of the id",
                                "“%s” is too short to name a badge: give at least %d "
                                "characters of the id",
                                BW_STORE_MIN_ID_PREFIX),
                   id_or_prefix, BW_STORE_MIN_ID_PREFIX);
      return NULL;
    }
  if (find_row (self, lower, NULL) != NULL)
    return g_steal_pointer (&lower);

  for (guint i = 0; i < self->rows->len; i++)
    {
      Row *row = g_ptr_array_index (self->rows, i);

      if (row->pending_removal || strncmp (row->wallet_id, lower, length) != 0)
        continue;
      if (found != NULL)
        {
          g_set_error (error, BW_ERROR, BW_ERROR_NOT_FOUND,
                       _("“%s” matches more than one badge in the wallet; give more of the id"),
                       id_or_prefix);
          return NULL;
        }
      found = row->wallet_id;
    }

  if (found == NULL)
    {
      find_row (self, id_or_prefix, error);
      return NULL;
    }
  return g_strdup (found);
}

/* ------------------------------------------------------------------------- */
/* The documents cache                                                       */
/* ------------------------------------------------------------------------- */

/**
 * bw_store_cache_document:
 *
 * Keeps a fetched document (content-addressed under `documents/`) and
 * indexes it by URL, so verification can run offline later.
 */
gboolean
bw_store_cache_document (BwStore     *self,
                         const char  *url,
                         const char  *content_type,
                         GBytes      *body,
                         GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *hash = NULL;
  gboolean created = FALSE;
  int rc;

  g_return_val_if_fail (BW_IS_STORE (self), FALSE);
  g_return_val_if_fail (url != NULL, FALSE);
  g_return_val_if_fail (body != NULL, FALSE);

  hash = bw_sha256_hex (g_bytes_get_data (body, NULL), g_bytes_get_size (body));
  if (!_bw_store_write_blob (self->cache_dir, hash, body, TRUE, &created, error))
    return FALSE;

  stmt = _bw_store_db_prepare (self->db,
                               "INSERT OR REPLACE INTO documents"
                               " (url, sha256, content_type, size, fetched)"
                               " VALUES (?1, ?2, ?3, ?4, ?5)", error);
  if (stmt == NULL)
    return FALSE;
  _bw_store_bind_text (stmt, 1, url);
  _bw_store_bind_text (stmt, 2, hash);
  _bw_store_bind_text (stmt, 3, content_type);
  sqlite3_bind_int64 (stmt, 4, (sqlite3_int64)g_bytes_get_size (body));
  sqlite3_bind_int64 (stmt, 5, g_get_real_time () / G_USEC_PER_SEC);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_DONE)
    {
      g_autofree char *path = _bw_store_blob_path (self->cache_dir, hash);

      if (created)
        g_unlink (path);
      return _bw_store_set_db_error (error, self->db, rc, _("caching a document"));
    }
  return TRUE;
}

/**
 * bw_store_lookup_document:
 * @content_type: (out) (optional) (transfer full) (nullable): its media type
 *
 * Returns: (transfer full) (nullable): the cached body of @url
 */
GBytes *
bw_store_lookup_document (BwStore     *self,
                          const char  *url,
                          char       **content_type)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GBytes) data = NULL;
  g_autofree char *path = NULL;
  g_autofree char *hash = NULL;
  const char *expected;

  g_return_val_if_fail (BW_IS_STORE (self), NULL);
  g_return_val_if_fail (url != NULL, NULL);

  stmt = _bw_store_db_prepare (self->db,
                               "SELECT sha256, content_type FROM documents WHERE url = ?1", NULL);
  if (stmt == NULL)
    return NULL;
  _bw_store_bind_text (stmt, 1, url);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return NULL;
  expected = (const char *)sqlite3_column_text (stmt, 0);
  if (expected == NULL || !_bw_store_is_wallet_id (expected))
    return NULL;
  path = _bw_store_blob_path (self->cache_dir, expected);
  data = _bw_store_read_file (path, NULL);
  if (data == NULL)
    return NULL;
  hash = bw_sha256_hex (g_bytes_get_data (data, NULL), g_bytes_get_size (data));
  if (!g_str_equal (hash, expected))
    return NULL;
  if (content_type != NULL)
    *content_type = _bw_store_column_dup (stmt, 1);
  return g_steal_pointer (&data);
}

/* ------------------------------------------------------------------------- */
/* Collaborators and test seams                                              */
/* ------------------------------------------------------------------------- */

void
bw_store_set_fetcher (BwStore   *self,
                      BwFetcher *fetcher)
{
  g_return_if_fail (BW_IS_STORE (self));
  g_return_if_fail (fetcher == NULL || BW_IS_FETCHER (fetcher));

  g_set_object (&self->fetcher, fetcher);
}

/**
 * bw_store_get_fetcher:
 *
 * Returns: (transfer none) (nullable): the fetcher
 */
BwFetcher *
bw_store_get_fetcher (BwStore *self)
{
  g_return_val_if_fail (BW_IS_STORE (self), NULL);

  return self->fetcher;
}

void
bw_store_set_verifier (BwStore    *self,
                       BwVerifier *verifier)
{
  g_return_if_fail (BW_IS_STORE (self));
  g_return_if_fail (verifier == NULL || BW_IS_VERIFIER (verifier));

  g_set_object (&self->verifier, verifier);
}

sqlite3 *
_bw_store_get_db (BwStore *self)
{
  g_return_val_if_fail (BW_IS_STORE (self), NULL);

  return self->db;
}

void
_bw_store_set_cache_size (BwStore *self,
                          guint    cache_size)
{
  g_return_if_fail (BW_IS_STORE (self));
  g_return_if_fail (cache_size > 0);

  self->cache_size = cache_size;
  cache_trim (self);
}

void
_bw_store_set_batch_size (BwStore *self,
                          guint    batch_size)
{
  g_return_if_fail (BW_IS_STORE (self));
  g_return_if_fail (batch_size > 0);

  self->batch_size = batch_size;
}

/* ------------------------------------------------------------------------- */
/* GObject                                                                   */
/* ------------------------------------------------------------------------- */

static void
bw_store_dispose (GObject *object)
{
  BwStore *self = (BwStore *)object;

  /* Leaving ends every undo window: pending removals are carried out. */
  if (self->db != NULL && self->rows != NULL)
    {
      g_autoptr(GError) error = NULL;

      if (!bw_store_commit_removals (self, &error))
        g_warning ("Removals could not be saved: %s", error->message);
    }

  g_clear_object (&self->fetcher);
  g_clear_object (&self->verifier);

  G_OBJECT_CLASS (bw_store_parent_class)->dispose (object);
}

static void
bw_store_finalize (GObject *object)
{
  BwStore *self = (BwStore *)object;

  /* The rows drop their cached badges as they are freed. */
  for (GList *l = self->cache.head; l != NULL; l = l->next)
    ((Row *)l->data)->cache_link = NULL;
  g_queue_clear (&self->cache);
  g_clear_pointer (&self->visible, g_ptr_array_unref);
  g_clear_pointer (&self->by_id, g_hash_table_unref);
  g_clear_pointer (&self->rows, g_ptr_array_unref);
  g_clear_pointer (&self->hits, g_hash_table_unref);
  _bw_store_close_db (self);
  if (self->opened)
    {
      g_autofree char *clean = g_build_filename (self->directory,
                                                 BW_STORE_DB_NAME BW_STORE_CLEAN_SUFFIX, NULL);
      int fd;

      /* The session ended cleanly: the next open may check less. */
      fd = open (clean, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
      if (fd >= 0)
        close (fd);
    }
  g_free (self->search);
  g_free (self->directory);
  g_free (self->originals_dir);
  g_free (self->cache_dir);
  g_free (self->recovery_message);

  G_OBJECT_CLASS (bw_store_parent_class)->finalize (object);
}

static void
bw_store_class_init (BwStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = bw_store_dispose;
  object_class->finalize = bw_store_finalize;

  items_changed_signal = g_signal_lookup ("items-changed", G_TYPE_LIST_MODEL);
}

static void
bw_store_init (BwStore *self)
{
  self->rows = g_ptr_array_new_with_free_func (_bw_store_row_free);
  self->by_id = g_hash_table_new (g_str_hash, g_str_equal);
  self->visible = g_ptr_array_new ();
  self->sort = BW_STORE_SORT_ADDED;
  self->filter = BW_STORE_FILTER_ALL;
  self->batch_size = 64;
  g_queue_init (&self->cache);
  self->cache_size = BW_STORE_CACHE_SIZE;
}
