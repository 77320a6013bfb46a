/**
 * @file drill/common.h
 * @brief Export macro and the run-time version check.
 */
#ifndef DRILL_COMMON_H
#define DRILL_COMMON_H

#include "version.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Marks a public function: the library is built with -fvisibility=hidden. */
#if defined(__GNUC__) || defined(__clang__)
#define DRILL_EXTERN __attribute__((visibility("default")))
#else
#define DRILL_EXTERN
#endif

/**
 * The version of the library actually loaded, as DRILL_VERSION_NUMBER.
 *
 * Compare it with DRILL_VERSION_NUMBER from the headers to check that the
 * headers a program was built with match the library it runs with.
 *
 * @return MAJOR * 10000 + MINOR * 100 + PATCH; never fails.
 */
DRILL_EXTERN unsigned int drill_version(void);

/**
 * The version of the library actually loaded as "MAJOR.MINOR.PATCH".
 *
 * @return a static string, never NULL; the caller does not free it.
 */
DRILL_EXTERN const char *drill_version_string(void);

#ifdef __cplusplus
}
#endif
#endif
