/* The case store schema (src/cases/schema.sql) embedded in the library at
 * build time with the assembler's .incbin (GNU as / LLVM integrated
 * assembler, ELF targets), NUL-terminated. CP_SOURCE_DIR is set by
 * CMakeLists.txt. Note: CMake does not track schema.sql as a dependency of
 * this file; touch this file after editing the schema. */
#include "cases/store.h"

__asm__(".pushsection .rodata\n"
        ".global cp_cases_schema_sql\n"
        ".hidden cp_cases_schema_sql\n"
        ".type cp_cases_schema_sql, @object\n"
        "cp_cases_schema_sql:\n"
        ".incbin \"" CP_SOURCE_DIR "/src/cases/schema.sql\"\n"
        ".byte 0\n"
        ".popsection\n");

extern const char cp_cases_schema_sql[];

const char *cp_store_schema_sql(void) { return cp_cases_schema_sql; }
