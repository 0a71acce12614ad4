/* bw-fetcher-policy.c
 *
 * Copyright 2026 The Badge Wallet authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bw-fetcher-policy"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "bw-error.h"
#include "bw-fetcher-private.h"

/* The scheme and address policy: only http and https, and without
 * allow-local no loopback, private or link-local address, whether named
 * literally, resolved from a name or actually connected to. URL maps are
 * applied before the checks, so a mapped URL is judged on its target. */

struct _BwUrlMap
{
  char *from;
  char *to;
};

/* Address policy */

static gboolean
ipv4_is_local (const guint8 *b)
{
  return b[0] == 0 ||                                    /* 0.0.0.0/8 "this network" */
         b[0] == 10 ||                                   /* 10/8 */
         b[0] == 127 ||                                  /* loopback */
         (b[0] == 100 && (b[1] & 0xc0) == 64) ||         /* 100.64/10 carrier NAT */
         (b[0] == 169 && b[1] == 254) ||                 /* link-local */
         (b[0] == 172 && (b[1] & 0xf0) == 16) ||         /* 172.16/12 */
         (b[0] == 192 && b[1] == 168) ||                 /* 192.168/16 */
         (b[0] == 192 && b[1] == 0 && b[2] == 0) ||      /* 192.0.0/24 protocol assignments */
         (b[0] == 198 && (b[1] & 0xfe) == 18) ||         /* 198.18/15 benchmarking */
         b[0] >= 224;                                    /* multicast, reserved, broadcast */
}

static gboolean
address_is_local (GInetAddress *address)
{
  const guint8 *b = g_inet_address_to_bytes (address);

  if (g_inet_address_get_family (address) == G_SOCKET_FAMILY_IPV4)
    return ipv4_is_local (b);

  if (g_inet_address_get_is_any (address) || g_inet_address_get_is_loopback (address) ||
      g_inet_address_get_is_link_local (address) || g_inet_address_get_is_site_local (address) ||
      g_inet_address_get_is_multicast (address))
    return TRUE;
  if ((b[0] & 0xfe) == 0xfc)                                  /* fc00::/7 unique local */
    return TRUE;
  /* IPv4-mapped (::ffff:a.b.c.d), IPv4-compatible (::a.b.c.d) and NAT64
   * (64:ff9b::a.b.c.d) addresses reach the IPv4 address they carry. */
  {
    static const guint8 zeros[10] = { 0 };
    static const guint8 nat64[12] = { 0, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0 };

    if (memcmp (b, zeros, 10) == 0 &&
        ((b[10] == 0xff && b[11] == 0xff) || (b[10] == 0 && b[11] == 0)))
      return ipv4_is_local (b + 12);
    if (memcmp (b, nat64, 12) == 0)
      return ipv4_is_local (b + 12);
  }
  return FALSE;
}

static gboolean
host_is_local_name (const char *host)
{
  g_autofree char *lower = g_ascii_strdown (host, -1);
  gsize length = strlen (lower);

  if (length > 0 && lower[length - 1] == '.')
    lower[--length] = '\0';
  return length == 0 ||
         strcmp (lower, "localhost") == 0 ||
         g_str_has_suffix (lower, ".localhost") ||
         strcmp (lower, "localhost.localdomain") == 0 ||
         strcmp (lower, "ip6-localhost") == 0 ||
         strcmp (lower, "ip6-loopback") == 0;
}

/* URL maps */

void
_bw_url_map_free (BwUrlMap *map)
{
  g_free (map->from);
  g_free (map->to);
  g_free (map);
}

static gboolean
is_http_url (const char *url)
{
  g_autoptr(GUri) uri = g_uri_parse (url, SOUP_HTTP_URI_FLAGS, NULL);

  return uri != NULL &&
         (g_strcmp0 (g_uri_get_scheme (uri), "http") == 0 ||
          g_strcmp0 (g_uri_get_scheme (uri), "https") == 0) &&
         g_uri_get_host (uri) != NULL && *g_uri_get_host (uri) != '\0';
}

/* Rewrites @url with the longest matching prefix, from FROM to TO
 * (@reverse FALSE) or back. */
char *
_bw_fetcher_apply_maps (BwFetcher  *self,
                        const char *url,
                        gboolean    reverse)
{
  const BwUrlMap *best = NULL;
  gsize best_length = 0;

  for (guint i = 0; i < self->maps->len; i++)
    {
      const BwUrlMap *map = g_ptr_array_index (self->maps, i);
      const char *prefix = reverse ? map->to : map->from;
      gsize length = strlen (prefix);

      if (length > best_length && strncmp (url, prefix, length) == 0)
        {
          best = map;
          best_length = length;
        }
    }

  if (best == NULL)
    return g_strdup (url);
  return g_strconcat (reverse ? best->from : best->to, url + best_length, NULL);
}

static void
job_refuse (BwFetchJob *job,
            const char *message)
{
  g_free (job->policy_message);
  job->policy_message = g_strdup (message);
  _bw_fetch_job_fail (job, BW_ERROR, BW_ERROR_POLICY, "%s", message);
}

/* libsoup resolves the host again when it connects, so the address
 * actually connected to is checked too: a name that answered with a
 * public address first and a local one now (DNS rebinding) is cut off
 * before a byte of the request is sent. */
static void
on_network_event (SoupMessage        *msg,
                  GSocketClientEvent  event,
                  GIOStream          *connection,
                  gpointer            user_data)
{
  BwFetchJob *job = user_data;
  g_autoptr(GSocketAddress) remote = NULL;

  /* Through a proxy the connection goes to the proxy, which may well be
   * on the local network; the target was checked before. */
  if (event != G_SOCKET_CLIENT_CONNECTED || job->fetcher->allow_local || job->via_proxy ||
      !G_IS_SOCKET_CONNECTION (connection))
    return;

  remote = g_socket_connection_get_remote_address (G_SOCKET_CONNECTION (connection), NULL);
  if (remote == NULL || !G_IS_INET_SOCKET_ADDRESS (remote) ||
      address_is_local (g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (remote))))
    {
      g_autofree char *message =
        g_strdup_printf (_("%s connected to a local address; local addresses are not allowed"),
                         job->hop_url);

      g_socket_close (g_socket_connection_get_socket (G_SOCKET_CONNECTION (connection)), NULL);
      job_refuse (job, message);
    }
}

/* Checks the address each connection of the job's current message
 * reaches. */
void
_bw_fetch_job_watch_connection (BwFetchJob *job)
{
  g_signal_connect (job->msg, "network-event", G_CALLBACK (on_network_event), job);
}

static void
on_proxy_looked_up (GObject      *source,
                    GAsyncResult *res,
                    gpointer      user_data)
{
  BwFetchJob *job = user_data;
  g_auto(GStrv) proxies = g_proxy_resolver_lookup_finish (G_PROXY_RESOLVER (source), res, NULL);

  if (!job->done)
    {
      job->via_proxy = proxies != NULL && proxies[0] != NULL && strcmp (proxies[0], "direct://") != 0;
      _bw_fetch_job_acquire_slot (job);
    }
  _bw_fetch_job_unref (job);
}

/* The target passed the address policy; find out whether a proxy will
 * carry the request, which changes what the connection check sees. */
static void
job_check_proxy (BwFetchJob *job)
{
  GProxyResolver *resolver = job->fetcher->proxy_resolver;

  if (resolver == NULL)
    resolver = g_proxy_resolver_get_default ();
  g_proxy_resolver_lookup_async (resolver, job->hop_mapped, job->cancellable,
                                 on_proxy_looked_up, _bw_fetch_job_ref (job));
}

static void
on_resolved (GObject      *source,
             GAsyncResult *res,
             gpointer      user_data)
{
  BwFetchJob *job = user_data;
  g_autoptr(GError) error = NULL;
  GList *addresses = g_resolver_lookup_by_name_finish (G_RESOLVER (source), res, &error);

  if (job->done)
    goto out;
  if (addresses == NULL)
    {
      _bw_fetch_job_fail_with (job, error);
      goto out;
    }

  for (GList *l = addresses; l != NULL; l = l->next)
    if (address_is_local (l->data))
      {
        g_autofree char *text = g_inet_address_to_string (l->data);
        g_autofree char *message =
          g_strdup_printf (_("%s resolves to the local address %s; local addresses are not allowed"),
                           job->hop_url, text);

        job_refuse (job, message);
        goto out;
      }

  job_check_proxy (job);

out:
  g_resolver_free_addresses (addresses);
  _bw_fetch_job_unref (job);
}

/* Starts a request for @url (in the caller's URL space): map it, check
 * scheme and address, then wait for a per-host slot. */
void
_bw_fetch_job_begin_hop (BwFetchJob *job,
                         const char *url)
{
  BwFetcher *self = job->fetcher;
  g_autoptr(GUri) unmapped = NULL;
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GInetAddress) address = NULL;
  const char *scheme;
  const char *host;

  g_free (job->hop_url);
  job->hop_url = g_strdup (url);
  g_free (job->hop_mapped);
  job->hop_mapped = _bw_fetcher_apply_maps (self, url, FALSE);

  unmapped = g_uri_parse (url, SOUP_HTTP_URI_FLAGS, NULL);
  uri = g_uri_parse (job->hop_mapped, SOUP_HTTP_URI_FLAGS, NULL);
  scheme = uri != NULL ? g_uri_get_scheme (uri) : NULL;
  if (uri == NULL || unmapped == NULL)
    {
      _bw_fetch_job_fail (job, BW_ERROR, BW_ERROR_POLICY,
                          _("“%s” is not a valid URL"), job->hop_mapped);
      return;
    }
  if (g_strcmp0 (scheme, "http") != 0 && g_strcmp0 (scheme, "https") != 0)
    {
      _bw_fetch_job_fail (job, BW_ERROR, BW_ERROR_POLICY,
                          _("%s uses “%s”; only http and https are allowed"),
                          job->hop_mapped, scheme);
      return;
    }
  /* Plain http is judged on the URL the badge names: a --map-url to a
   * local test server does not make an https issuer insecure. */
  if (g_strcmp0 (g_uri_get_scheme (unmapped), "http") == 0)
    job->insecure = TRUE;

  host = g_uri_get_host (uri);
  if (host == NULL || *host == '\0')
    {
      _bw_fetch_job_fail (job, BW_ERROR, BW_ERROR_POLICY, _("%s names no host"), job->hop_mapped);
      return;
    }

  if (self->allow_local)
    {
      _bw_fetch_job_acquire_slot (job);
      return;
    }

  if (host_is_local_name (host))
    {
      g_autofree char *message =
        g_strdup_printf (_("%s is on the local machine; local addresses are not allowed"),
                         job->hop_mapped);

      job_refuse (job, message);
      return;
    }

  address = g_inet_address_new_from_string (host);
  if (address == NULL && strchr (host, ':') != NULL)
    {
      _bw_fetch_job_fail (job, BW_ERROR, BW_ERROR_POLICY,
                          _("%s has an unusable address"), job->hop_mapped);
      return;
    }
  if (address != NULL)
    {
      if (address_is_local (address))
        {
          g_autofree char *message =
            g_strdup_printf (_("%s is a local or private address; local addresses are not allowed"),
                             job->hop_mapped);

          job_refuse (job, message);
          return;
        }
      job_check_proxy (job);
      return;
    }

  {
    g_autoptr(GResolver) resolver = g_resolver_get_default ();

    g_resolver_lookup_by_name_async (resolver, host, job->cancellable,
                                     on_resolved, _bw_fetch_job_ref (job));
  }
}

/**
 * bw_fetcher_add_url_map:
 * @mapping: `FROM=TO`, two http(s) URL prefixes
 * @error: return location for an error
 *
 * Every URL starting with FROM is requested from TO plus the rest. The
 * address policy applies to TO like to any URL.
 *
 * Returns: %TRUE, or %FALSE with %BW_ERROR_MALFORMED
 */
gboolean
bw_fetcher_add_url_map (BwFetcher   *self,
                        const char  *mapping,
                        GError     **error)
{
  const char *separator;
  BwUrlMap *map;

  g_return_val_if_fail (BW_IS_FETCHER (self), FALSE);
  g_return_val_if_fail (mapping != NULL, FALSE);

  /* FROM may itself hold "=" (in a query), so prefer the "=" that starts
   * the TO URL. */
  separator = strstr (mapping, "=http://");
  if (separator == NULL)
    separator = strstr (mapping, "=https://");
  if (separator == NULL)
    separator = strchr (mapping, '=');
  if (separator == NULL)
    {
      g_set_error (error, BW_ERROR, BW_ERROR_MALFORMED,
                   _("URL map “%s” is not of the form FROM=TO"), mapping);
      return FALSE;
    }

  map = g_new0 (BwUrlMap, 1);
  map->from = g_strndup (mapping, separator - mapping);
  map->to = g_strdup (separator + 1);
  if (!is_http_url (map->from) || !is_http_url (map->to))
    {
      g_set_error (error, BW_ERROR, BW_ERROR_MALFORMED,
                   _("URL map “%s” needs an http or https URL on both sides of “=”"), mapping);
      _bw_url_map_free (map);
      return FALSE;
    }

  g_ptr_array_add (self->maps, map);
  return TRUE;
}

/**
 * bw_fetcher_map_url:
 *
 * Returns: (transfer full): @url rewritten by the longest matching map,
 *   or a copy of @url
 */
char *
bw_fetcher_map_url (BwFetcher  *self,
                    const char *url)
{
  g_return_val_if_fail (BW_IS_FETCHER (self), NULL);
  g_return_val_if_fail (url != NULL, NULL);

  return _bw_fetcher_apply_maps (self, url, FALSE);
}

/**
 * bw_fetcher_is_local_address:
 * @address: an IPv4 or IPv6 address in text form
 *
 * Tells whether @address is one the policy refuses without allow-local:
 * loopback, private (RFC 1918, fc00::/7), link-local, carrier NAT,
 * unspecified, multicast or reserved, including IPv4 addresses wrapped in
 * IPv6 (mapped, compatible, NAT64).
 *
 * Returns: %TRUE for such an address, and for text that is no address
 */
gboolean
bw_fetcher_is_local_address (const char *address)
{
  g_autoptr(GInetAddress) inet = NULL;

  g_return_val_if_fail (address != NULL, TRUE);

  inet = g_inet_address_new_from_string (address);
  return inet == NULL || address_is_local (inet);
}
