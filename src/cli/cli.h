/* Subcommands of the chokepoint command. Each takes the arguments after its
 * own name (argv[0] is the subcommand name) and returns the process exit
 * status. They print to stdout/stderr; the library never does. */
#ifndef CP_CLI_H
#define CP_CLI_H
#include "chokepoint.h"

int cp_cli_search(int argc, char **argv);
int cp_cli_compare(int argc, char **argv);
int cp_cli_lists(int argc, char **argv);
int cp_cli_screen(int argc, char **argv);
int cp_cli_serve(int argc, char **argv);
int cp_cli_audit(int argc, char **argv);

/* Shared by subcommands: load the engine from --data DIR / $CHOKEPOINT_DATA /
 * the bundled snapshot, with a progress bar on a terminal. NULL after
 * printing the error to stderr. `lenient` as in cp_load_opts. */
cp_engine *cp_cli_load_engine(const char *lists_dir, int lenient);
#endif
