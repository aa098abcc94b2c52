/* PLACEHOLDER: replaced by the real search/compare commands. */
#include "cli/cli.h"
#include <stdio.h>
int cp_cli_search(int argc, char **argv) { (void)argc; (void)argv; fputs("search: not built yet\n", stderr); return 70; }
int cp_cli_compare(int argc, char **argv) { (void)argc; (void)argv; fputs("compare: not built yet\n", stderr); return 70; }
