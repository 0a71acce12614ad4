/* placeholder: being written */
#include "config.h"
#include "bw-cli.h"

int
bw_cli_inspect (int argc, char **argv)
{
  bw_cli_printerr ("%s: not available in this build", argv[0]);
  return BW_EXIT_USAGE;
}
