/* PLACEHOLDER: replaced by the real lists command. */
#include "cli/cli.h"
#include <stdio.h>
int cp_cli_lists(int argc, char **argv) { (void)argc; (void)argv; fputs("lists: not built yet\n", stderr); return 70; }
cp_engine *cp_cli_load_engine(const char *lists_dir, int lenient) { (void)lists_dir; (void)lenient; return NULL; }
