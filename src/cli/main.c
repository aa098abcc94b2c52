/* chokepoint: command-line front end. */
#include "cli/cli.h"
#include <stdio.h>
#include <string.h>

static const struct {
    const char *name;
    int (*fn)(int, char **);
    const char *help;
} commands[] = {
    {"search", cp_cli_search, "search the lists for a name (see: chokepoint search --help)"},
    {"compare", cp_cli_compare, "score two names against each other"},
    {"lists", cp_cli_lists, "show the loaded lists; 'lists update' downloads new ones"},
    {"screen", cp_cli_screen, "screen payments and letters of credit: PASS / REVIEW / BLOCK"},
    {"serve", cp_cli_serve, "HTTP API: screening, search, alerts with four-eyes review"},
    {"audit", cp_cli_audit, "verify or list the hash-chained audit log of the case store"},
};

static void usage(FILE *f) {
    fprintf(f, "usage: chokepoint COMMAND [OPTIONS] ...\n\ncommands:\n");
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(f, "  %-10s %s\n", commands[i].name, commands[i].help);
}

int main(int argc, char **argv) {
    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "help") == 0) {
        usage(argc < 2 ? stderr : stdout);
        return argc < 2 ? 64 : 0;
    }
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (strcmp(argv[1], commands[i].name) == 0) return commands[i].fn(argc - 1, argv + 1);
    fprintf(stderr, "chokepoint: unknown command '%s'\n", argv[1]);
    usage(stderr);
    return 64;
}
