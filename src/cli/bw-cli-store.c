/* placeholder: being written */
#include "config.h"
#include "bw-cli.h"

#define PLACEHOLDER(fn) \
  int fn (int argc, char **argv) { bw_cli_printerr ("%s: not available in this build", argv[0]); return BW_EXIT_USAGE; }

PLACEHOLDER (bw_cli_import)
PLACEHOLDER (bw_cli_list)
PLACEHOLDER (bw_cli_export)
PLACEHOLDER (bw_cli_remove)
