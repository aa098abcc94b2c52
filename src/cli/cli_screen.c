/* PLACEHOLDER: replaced by the real screen command. */
#include "cli/cli.h"
#include <stdio.h>
int cp_cli_screen(int argc, char **argv) { (void)argc; (void)argv; fputs("screen: not built yet\n", stderr); return 70; }
