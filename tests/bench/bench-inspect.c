/* bench-inspect.c
 *
 * Copyright 2026 The Badge Wallet authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* How fast baked PNGs are inspected, and how much is read and kept.
 *
 * It writes 2,000 real PNGs of 1 to 3 MB (noise, so that they do not
 * compress; the Open Badges iTXt chunk last, just before IEND, the worst
 * place for a reader that walks chunks) into a temporary folder, in two
 * layouts one after the other: one IDAT chunk per image, then IDAT split
 * in 8 KiB chunks as libpng does. Then:
 *   (a) reads all of them in-process with bw_baked_read_file(), through
 *       the mapping and through pread() (BW_BAKED_NO_MMAP=1);
 *   (b) runs `$BW_BADGE_WALLET inspect --json` over 200 and over all
 *       2,000 files of the 8 KiB layout, for its wall time and peak RSS.
 * The folder is deleted at the end. Usage: bench-inspect [N-FILES]. */

#define G_LOG_DOMAIN "bench-inspect"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "bw-baked.h"
#include "bw-test-png.h"

#define N_TEMPLATES 8

typedef struct
{
  GByteArray *image;   /* signature, IHDR and the IDAT chunks */
} Template;

static void
write_all (int           fd,
           const guint8 *data,
           gsize         length)
{
  while (length > 0)
    {
      gssize w = write (fd, data, length);

      if (w < 0 && errno == EINTR)
        continue;
      g_assert_cmpint (w, >, 0);
      data += w;
      length -= (gsize)w;
    }
}

static char *
make_file (const char *dir,
           guint       index,
           Template   *templates)
{
  Template *t = &templates[index % N_TEMPLATES];
  g_autofree char *name = g_strdup_printf ("badge-%05u.png", index);
  char *path = g_build_filename (dir, name, NULL);
  g_autofree char *json = NULL;
  g_autoptr(GByteArray) tail = g_byte_array_new ();
  int fd;

  json = g_strdup_printf ("{\"@context\":\"https://w3id.org/openbadges/v2\",\"type\":\"Assertion\","
                          "\"id\":\"https://example.org/assertions/%u.json\","
                          "\"recipient\":{\"type\":\"email\",\"hashed\":true,\"salt\":\"deadsea\","
                          "\"identity\":\"sha256$ecf5409f3f4b91ab60cc5ef4c02aef7032354375e70cf4d8"
                          "e43f6a1d29891942\"},"
                          "\"badge\":\"https://example.org/robotics-badge.json\","
                          "\"verification\":{\"type\":\"hosted\"},"
                          "\"issuedOn\":\"2016-12-31T23:59:59Z\"}", index);
  bw_test_png_text_chunk (tail, "iTXt", "openbadges", json);
  bw_test_png_end (tail);

  fd = g_open (path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  g_assert_cmpint (fd, >=, 0);
  write_all (fd, t->image->data, t->image->len);
  write_all (fd, tail->data, tail->len);
  close (fd);

  return path;
}

static double
now_seconds (void)
{
  return (double)g_get_monotonic_time () / G_USEC_PER_SEC;
}

static void
read_all (GPtrArray *paths,
          double    *seconds,
          guint64   *mean_read,
          guint64   *max_read)
{
  guint64 total = 0;
  guint64 max = 0;
  double start = now_seconds ();

  for (guint i = 0; i < paths->len; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(BwPayload) payload = NULL;
      guint64 bytes_read = 0;

      payload = bw_baked_read_file (g_ptr_array_index (paths, i), &bytes_read, &error);
      g_assert_no_error (error);
      g_assert_cmpint (payload->kind, ==, BW_PAYLOAD_KIND_JSON);
      total += bytes_read;
      max = MAX (max, bytes_read);
    }

  *seconds = now_seconds () - start;
  *mean_read = total / paths->len;
  *max_read = max;
}

/* The cost of one small pread() from the page cache: the walk makes one
 * per chunk, so this bounds how fast any chunk-walking reader can go. */
static double
pread_seconds (const char *path)
{
  guint8 buf[8];
  double start;
  int fd = g_open (path, O_RDONLY | O_CLOEXEC, 0);
  const guint n = 200000;

  g_assert_cmpint (fd, >=, 0);
  start = now_seconds ();
  for (guint i = 0; i < n; i++)
    g_assert_cmpint (pread (fd, buf, sizeof buf, 33 + (off_t)(i % 100) * 8204), ==, 8);
  close (fd);
  return (now_seconds () - start) / n;
}

/* Runs the CLI over the first @n files; returns its exit status, or -1
 * when it could not be run. */
static int
run_inspect (const char *program,
             GPtrArray  *paths,
             guint       n,
             double     *seconds,
             long       *peak_rss_kib,
             guint      *lines)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autofree char *out_path = NULL;
  g_autofree char *out = NULL;
  struct rusage usage;
  double start;
  int status = 0;
  int out_fd;
  pid_t pid;

  out_fd = g_file_open_tmp ("bench-inspect-out-XXXXXX", &out_path, NULL);
  g_assert_cmpint (out_fd, >=, 0);

  g_ptr_array_add (argv, (char *)program);
  g_ptr_array_add (argv, (char *)"inspect");
  g_ptr_array_add (argv, (char *)"--json");
  for (guint i = 0; i < n; i++)
    g_ptr_array_add (argv, g_ptr_array_index (paths, i));
  g_ptr_array_add (argv, NULL);

  start = now_seconds ();
  pid = fork ();
  g_assert_cmpint (pid, >=, 0);
  if (pid == 0)
    {
      int null_fd = open ("/dev/null", O_WRONLY);

      dup2 (out_fd, STDOUT_FILENO);
      dup2 (null_fd, STDERR_FILENO);
      execv (program, (char **)argv->pdata);
      _exit (127);
    }
  close (out_fd);

  /* wait4() gives this child's own peak RSS; RUSAGE_CHILDREN would keep
   * the largest of every child run so far. */
  g_assert_cmpint (wait4 (pid, &status, 0, &usage), ==, pid);
  *seconds = now_seconds () - start;
  *peak_rss_kib = usage.ru_maxrss;

  *lines = 0;
  if (g_file_get_contents (out_path, &out, NULL, NULL))
    {
      for (const char *p = out; *p != '\0'; p++)
        {
          if (*p == '\n')
            (*lines)++;
        }
    }
  g_unlink (out_path);

  if (!WIFEXITED (status))
    return -1;
  return WEXITSTATUS (status);
}

/* Writes @n_files PNGs of one layout into @dir; returns their total size. */
static guint64
make_files (const char *dir,
            guint       n_files,
            gsize       idat_chunk_size,
            GPtrArray  *paths)
{
  Template templates[N_TEMPLATES];
  guint64 total_size = 0;

  /* Eight real images from 1.0 to 3.0 MB: sides of 580 to 1000 pixels. */
  for (guint t = 0; t < N_TEMPLATES; t++)
    {
      guint side = 580 + t * 60;

      templates[t].image = bw_test_png_image (side, side, t + 1, idat_chunk_size);
    }
  for (guint i = 0; i < n_files; i++)
    {
      char *path = make_file (dir, i, templates);

      total_size += templates[i % N_TEMPLATES].image->len;
      g_ptr_array_add (paths, path);
    }
  for (guint t = 0; t < N_TEMPLATES; t++)
    g_byte_array_unref (templates[t].image);

  return total_size;
}

/* Reads every file through one path: the mapping, or pread() when
 * BW_BAKED_NO_MMAP is 1. The first pass warms the page cache; the best of
 * the next three is reported. */
static void
bench_in_process (GPtrArray *paths,
                  guint64    total_size,
                  gboolean   use_mmap)
{
  guint n_files = paths->len;
  double seconds;
  guint64 mean_read, max_read;
  double best = G_MAXDOUBLE;

  if (use_mmap)
    g_unsetenv ("BW_BAKED_NO_MMAP");
  else
    g_setenv ("BW_BAKED_NO_MMAP", "1", TRUE);

  read_all (paths, &seconds, &mean_read, &max_read);
  g_print ("    %s: cold-ish pass %.3f s, %.0f files/s\n",
           use_mmap ? "mmap " : "pread", seconds, n_files / seconds);
  for (guint pass = 0; pass < 3; pass++)
    {
      read_all (paths, &seconds, &mean_read, &max_read);
      best = MIN (best, seconds);
    }
  g_print ("           warm cache (best of 3): %.3f s, %.0f files/s (target >= 15000)\n",
           best, n_files / best);
  g_print ("           bytes read per file: mean %" G_GUINT64_FORMAT ", max %" G_GUINT64_FORMAT
           " (target < 4096), of %.1f MB mean file size\n",
           mean_read, max_read, total_size / 1e6 / n_files);
  g_unsetenv ("BW_BAKED_NO_MMAP");
}

static void
delete_files (GPtrArray *paths)
{
  for (guint i = 0; i < paths->len; i++)
    g_unlink (g_ptr_array_index (paths, i));
  g_ptr_array_set_size (paths, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GPtrArray) paths = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  const char *program = g_getenv ("BW_BADGE_WALLET");
  guint n_files = argc > 1 ? (guint)g_ascii_strtoull (argv[1], NULL, 10) : 2000;
  guint64 total_size = 0;
  double seconds;
  double start;

  g_assert_cmpuint (n_files, >=, 200);

  dir = g_dir_make_tmp ("bench-inspect-XXXXXX", &error);
  g_assert_no_error (error);

  /* (a) In-process, for two layouts: IDAT in 8 KiB chunks as libpng
   * writes it, and one IDAT chunk per image as many other encoders do. */
  g_print ("(a) bw_baked_read_file, in-process\n");
  start = now_seconds ();
  total_size = make_files (dir, n_files, G_MAXSIZE, paths);
  g_print ("  Layout 1: %u PNGs, %.2f GB (%.1f MB mean), one IDAT chunk, the openbadges "
           "iTXt last (written in %.1f s)\n",
           n_files, total_size / 1e9, total_size / 1e6 / n_files, now_seconds () - start);
  bench_in_process (paths, total_size, TRUE);
  bench_in_process (paths, total_size, FALSE);
  delete_files (paths);

  start = now_seconds ();
  total_size = make_files (dir, n_files, 8192, paths);
  g_print ("  Layout 2: %u PNGs, %.2f GB (%.1f MB mean), IDAT in 8 KiB chunks, the "
           "openbadges iTXt last (written in %.1f s)\n",
           n_files, total_size / 1e9, total_size / 1e6 / n_files, now_seconds () - start);
  bench_in_process (paths, total_size, TRUE);
  bench_in_process (paths, total_size, FALSE);
  {
    double one = pread_seconds (g_ptr_array_index (paths, N_TEMPLATES - 1));
    guint64 mean_read, max_read;

    read_all (paths, &seconds, &mean_read, &max_read);
    g_print ("    one 8-byte pread: %.2f us; about %.0f per file (8 bytes per chunk header),\n"
             "    so the syscalls alone allow at most %.0f pread files/s on this machine\n\n",
             one * 1e6, mean_read / 8.0, 1.0 / ((mean_read / 8.0) * one));
  }

  /* (b) The CLI, over the 8 KiB layout. */
  g_print ("(b) badge-wallet inspect --json\n");
  if (program == NULL || !g_file_test (program, G_FILE_TEST_IS_EXECUTABLE))
    g_print ("    skipped: BW_BADGE_WALLET is not set or not built\n");
  else
    {
      const guint counts[2] = { 200, n_files };
      long rss[2] = { 0, 0 };
      gboolean ran = TRUE;

      for (guint k = 0; k < 2 && ran; k++)
        {
          guint lines = 0;
          int status = run_inspect (program, paths, counts[k], &seconds, &rss[k], &lines);

          if (status == 2 || status < 0)
            {
              g_print ("    skipped: inspect is not implemented yet (exit status %d)\n", status);
              ran = FALSE;
              break;
            }
          g_print ("    %4u files: exit %d, %u JSON lines, wall %.3f s, %.0f files/s, "
                   "peak RSS %ld KiB\n",
                   counts[k], status, lines, seconds, counts[k] / seconds, rss[k]);
        }
      if (ran)
        {
          struct rusage children;

          getrusage (RUSAGE_CHILDREN, &children);
          g_print ("    peak RSS growth from 200 to %u files: %+ld KiB "
                   "(getrusage RUSAGE_CHILDREN max: %ld KiB)\n",
                   n_files, rss[1] - rss[0], children.ru_maxrss);
        }
    }

  delete_files (paths);
  g_rmdir (dir);

  return 0;
}
