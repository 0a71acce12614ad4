/* bw-widgets.c
 *
 * Copyright 2026 The Badge Wallet authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bw-widgets"

#include "config.h"

#include <glib/gi18n.h>

#include "bw-widgets.h"
#include "bw-widgets-resources.h"

void
bw_widgets_init (void)
{
  static gsize registered = 0;
  static GdkDisplay *styled_display = NULL;
  GdkDisplay *display;

  if (g_once_init_enter (&registered))
    {
      bw_widgets_register_resource ();
      g_once_init_leave (&registered, 1);
    }

  /* The style sheet is per display; a test or an application normally has
   * one, and adding the provider twice would only cost time. */
  display = gdk_display_get_default ();
  if (display != NULL && display != styled_display)
    {
      g_autoptr(GtkCssProvider) provider = gtk_css_provider_new ();

      gtk_css_provider_load_from_resource (provider, BW_WIDGETS_RESOURCE_PATH "style.css");
      gtk_style_context_add_provider_for_display (display,
                                                  GTK_STYLE_PROVIDER (provider),
                                                  GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
      gtk_icon_theme_add_resource_path (gtk_icon_theme_get_for_display (display),
                                        BW_WIDGETS_RESOURCE_PATH "icons");
      styled_display = display;
    }
}

BwVerdictStyle
bw_widgets_verdict_style (const char *verdict)
{
  BwVerdict value;

  if (verdict == NULL || !bw_verdict_from_string (verdict, &value))
    return BW_VERDICT_STYLE_NEUTRAL;

  switch (value)
    {
    case BW_VERDICT_VALID:
      return BW_VERDICT_STYLE_GOOD;
    case BW_VERDICT_EXPIRED:
    case BW_VERDICT_UNREACHABLE:
      return BW_VERDICT_STYLE_WARNING;
    case BW_VERDICT_REVOKED:
    case BW_VERDICT_INVALID:
      return BW_VERDICT_STYLE_BAD;
    default:
      return BW_VERDICT_STYLE_NEUTRAL;
    }
}

const char *
bw_widgets_verdict_icon_name (const char *verdict)
{
  BwVerdict value;

  if (verdict == NULL || !bw_verdict_from_string (verdict, &value))
    return "dialog-question-symbolic";

  switch (value)
    {
    case BW_VERDICT_VALID:
      return "emblem-ok-symbolic";
    case BW_VERDICT_EXPIRED:
      return "alarm-symbolic";
    case BW_VERDICT_REVOKED:
      return "action-unavailable-symbolic";
    case BW_VERDICT_INVALID:
      return "dialog-error-symbolic";
    case BW_VERDICT_UNREACHABLE:
      return "network-offline-symbolic";
    default:
      return "dialog-question-symbolic";
    }
}

const char *
bw_widgets_verdict_title (const char *verdict)
{
  BwVerdict value;

  if (verdict == NULL || !bw_verdict_from_string (verdict, &value))
    return _("Not Checked Yet");

  switch (value)
    {
    case BW_VERDICT_VALID:
      return _("Valid");
    case BW_VERDICT_EXPIRED:
      return _("Expired");
    case BW_VERDICT_REVOKED:
      return _("Revoked");
    case BW_VERDICT_INVALID:
      return _("Not Genuine");
    case BW_VERDICT_UNREACHABLE:
      return _("Could Not Check");
    default:
      return _("Not Checked Yet");
    }
}

const char *
bw_widgets_verdict_explanation (const char *verdict)
{
  BwVerdict value;

  if (verdict == NULL || !bw_verdict_from_string (verdict, &value))
    return _("This badge has not been checked with its issuer yet.");

  switch (value)
    {
    case BW_VERDICT_VALID:
      return _("The badge is genuine and current: its issuer vouches for it.");
    case BW_VERDICT_EXPIRED:
      return _("The badge is genuine, but its validity has ended.");
    case BW_VERDICT_REVOKED:
      return _("The issuer has withdrawn this badge. It no longer counts.");
    case BW_VERDICT_INVALID:
      return _("The badge could not be confirmed: it may be forged, altered or damaged.");
    case BW_VERDICT_UNREACHABLE:
      return _("The issuer could not be reached, so the badge could not be confirmed. "
               "Try again later.");
    default:
      return _("This badge has not been checked with its issuer yet.");
    }
}

const char *
bw_widgets_verdict_style_class (BwVerdictStyle style)
{
  switch (style)
    {
    case BW_VERDICT_STYLE_GOOD:
      return "verdict-good";
    case BW_VERDICT_STYLE_WARNING:
      return "verdict-warning";
    case BW_VERDICT_STYLE_BAD:
      return "verdict-bad";
    case BW_VERDICT_STYLE_NEUTRAL:
    default:
      return "verdict-neutral";
    }
}

const char *
bw_widgets_check_icon_name (BwCheckStatus status)
{
  switch (status)
    {
    case BW_CHECK_PASS:
      return "emblem-ok-symbolic";
    case BW_CHECK_FAIL:
      return "dialog-error-symbolic";
    case BW_CHECK_WARN:
      return "dialog-warning-symbolic";
    case BW_CHECK_SKIP:
    default:
      return "action-unavailable-symbolic";
    }
}

const char *
bw_widgets_check_style_class (BwCheckStatus status)
{
  switch (status)
    {
    case BW_CHECK_PASS:
      return "success";
    case BW_CHECK_FAIL:
      return "error";
    case BW_CHECK_WARN:
      return "warning";
    case BW_CHECK_SKIP:
    default:
      return "dim-label";
    }
}

const char *
bw_widgets_check_status_label (BwCheckStatus status)
{
  switch (status)
    {
    case BW_CHECK_PASS:
      return _("Passed");
    case BW_CHECK_FAIL:
      return _("Failed");
    case BW_CHECK_WARN:
      return _("Warning");
    case BW_CHECK_SKIP:
    default:
      return _("Skipped");
    }
}

char *
bw_widgets_format_date (GDateTime *datetime)
{
  g_autoptr(GDateTime) local = NULL;

  g_return_val_if_fail (datetime != NULL, NULL);

  local = g_date_time_to_local (datetime);
  /* Translators: a calendar date such as "12 March 2024"; see
   * g_date_time_format() for the conversions. */
  return g_date_time_format (local, _("%-d %B %Y"));
}

char *
bw_widgets_format_checked (GDateTime *checked,
                           GDateTime *now)
{
  g_autoptr(GDateTime) local_now = NULL;
  GTimeSpan span;
  int minutes;
  int hours;
  int days;

  if (checked == NULL)
    return g_strdup (_("Never checked"));

  local_now = now != NULL ? g_date_time_ref (now) : g_date_time_new_now_utc ();
  span = g_date_time_difference (local_now, checked);
  /* A clock slightly behind the checker's still reads as "just now". */
  if (span < G_TIME_SPAN_MINUTE)
    return g_strdup (_("Checked just now"));

  minutes = (int) (span / G_TIME_SPAN_MINUTE);
  if (minutes < 60)
    return g_strdup_printf (ngettext ("Checked %d minute ago", "Checked %d minutes ago", minutes),
                            minutes);

  hours = minutes / 60;
  if (hours < 24)
    return g_strdup_printf (ngettext ("Checked %d hour ago", "Checked %d hours ago", hours),
                            hours);

  days = hours / 24;
  if (days < 7)
    return g_strdup_printf (ngettext ("Checked %d day ago", "Checked %d days ago", days),
                            days);

  {
    g_autofree char *date = bw_widgets_format_date (checked);

    /* Translators: %s is a date such as "12 March 2024". */
    return g_strdup_printf (_("Checked on %s"), date);
  }
}

char *
bw_widgets_dup_domain (const char *url)
{
  g_autoptr(GUri) uri = NULL;
  const char *host;
  g_autofree char *ascii = NULL;

  if (url == NULL || *url == '\0')
    return NULL;

  uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL)
    return NULL;

  host = g_uri_get_host (uri);
  if (host == NULL || *host == '\0')
    return NULL;

  /* The ASCII (punycode) form is shown on purpose: a look-alike issuer
   * domain written with foreign letters then reads "xn--…" and stands out. */
  ascii = g_hostname_to_ascii (host);
  if (ascii == NULL)
    return NULL;

  return g_ascii_strdown (ascii, -1);
}

gboolean
bw_widgets_badge_is_expiring (BwBadge   *badge,
                              GDateTime *now)
{
  g_autoptr(GDateTime) current = NULL;
  GDateTime *expires;
  GTimeSpan left;

  g_return_val_if_fail (BW_IS_BADGE (badge), FALSE);

  expires = bw_badge_get_expires (badge);
  if (expires == NULL)
    return FALSE;

  current = now != NULL ? g_date_time_ref (now) : g_date_time_new_now_utc ();
  left = g_date_time_difference (expires, current);

  return left > 0 && left <= BW_WIDGETS_EXPIRING_DAYS * G_TIME_SPAN_DAY;
}

void
bw_widgets_set_style_class (GtkWidget  *widget,
                            const char *prefix,
                            const char *style_class)
{
  g_auto(GStrv) classes = NULL;

  g_return_if_fail (GTK_IS_WIDGET (widget));
  g_return_if_fail (prefix != NULL);

  classes = gtk_widget_get_css_classes (widget);
  for (guint i = 0; classes[i] != NULL; i++)
    {
      if (g_str_has_prefix (classes[i], prefix))
        gtk_widget_remove_css_class (widget, classes[i]);
    }

  if (style_class != NULL)
    gtk_widget_add_css_class (widget, style_class);
}

GtkWidget *
bw_widgets_check_row_new (const BwCheck *check)
{
  GtkWidget *row;
  GtkWidget *icon;

  g_return_val_if_fail (check != NULL, NULL);

  row = adw_action_row_new ();
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                 check->message != NULL ? check->message : check->id);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row),
                               bw_widgets_check_status_label (check->status));

  icon = gtk_image_new_from_icon_name (bw_widgets_check_icon_name (check->status));
  gtk_widget_add_css_class (icon, bw_widgets_check_style_class (check->status));
  gtk_accessible_update_property (GTK_ACCESSIBLE (icon),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  bw_widgets_check_status_label (check->status),
                                  -1);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);

  return row;
}

char *
bw_widgets_dup_checks_summary (GPtrArray *checks)
{
  guint failed = 0;
  guint warned = 0;
  guint total;

  if (checks == NULL || checks->len == 0)
    return g_strdup (_("No checks were run"));

  total = checks->len;
  for (guint i = 0; i < checks->len; i++)
    {
      const BwCheck *check = g_ptr_array_index (checks, i);

      if (check->status == BW_CHECK_FAIL)
        failed++;
      else if (check->status == BW_CHECK_WARN)
        warned++;
    }

  if (failed > 0)
    return g_strdup_printf (ngettext ("%u of %u checks failed", "%u of %u checks failed", failed),
                            failed, total);
  if (warned > 0)
    return g_strdup_printf (ngettext ("%u warning in %u checks",
                                      "%u warnings in %u checks", warned),
                            warned, total);

  return g_strdup_printf (ngettext ("The %u check passed", "All %u checks passed", total), total);
}

static void
free_url (gpointer  data,
          GClosure *closure)
{
  g_free (data);
}

static void
link_row_activated_cb (AdwActionRow *row,
                       const char   *url)
{
  bw_widgets_open_uri (GTK_WIDGET (row), url);
}

GtkWidget *
bw_widgets_link_row_new (const char *title,
                         const char *subtitle,
                         const char *url)
{
  GtkWidget *row;

  g_return_val_if_fail (title != NULL, NULL);

  row = adw_action_row_new ();
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 3);

  /* The address is always shown, so where a link leads is never hidden. */
  if (subtitle != NULL || url != NULL)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle != NULL ? subtitle : url);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 4);

  if (url != NULL &&
      (g_ascii_strncasecmp (url, "https://", 8) == 0 ||
       g_ascii_strncasecmp (url, "http://", 7) == 0))
    {
      GtkWidget *icon = gtk_image_new_from_icon_name ("adw-external-link-symbolic");

      gtk_accessible_update_property (GTK_ACCESSIBLE (icon),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, _("Opens in the web browser"),
                                      -1);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), icon);
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      gtk_widget_set_tooltip_text (row, url);
      g_signal_connect_data (row, "activated", G_CALLBACK (link_row_activated_cb),
                             g_strdup (url), free_url, 0);
    }

  return row;
}

gboolean
bw_widgets_open_uri (GtkWidget  *widget,
                     const char *uri)
{
  GtkRoot *root;

  g_return_val_if_fail (GTK_IS_WIDGET (widget), FALSE);
  g_return_val_if_fail (uri != NULL, FALSE);

  /* Links come from badges; only web pages are opened, never local files
   * or other schemes a hostile badge could name. */
  if (g_ascii_strncasecmp (uri, "https://", 8) != 0 &&
      g_ascii_strncasecmp (uri, "http://", 7) != 0)
    return FALSE;

  root = gtk_widget_get_root (widget);
  gtk_show_uri (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, uri, GDK_CURRENT_TIME);

  return TRUE;
}
