/**
 * @file drill/common.h
 * @brief Export macro and the run-time version check.
 */
#ifndef DRILL_COMMON_H
#define DRILL_COMMON_H

#include <stdio.h>
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

#ifndef SWIG /* a FILE * has no Python counterpart */
/** Writes a file's content to f; returns 0 or a negative DRILL_E* code (recorded). */
typedef int (*drill_write_fn)(FILE *f, void *arg);

/**
 * Write a file the way libdrill writes every file: the content goes to an
 * unpredictable temporary name in the target's folder (created with
 * O_EXCL|O_NOFOLLOW, so nothing planted in the folder is followed), is
 * fsynced, gets the old file's permission bits and is renamed over path;
 * the folder is fsynced. A reader never sees half a file, and on any error
 * the old file is left as it was and no temporary is left behind;
 * temporaries of killed runs are removed by the next write. A FIFO or a
 * device at path, or a symlink leading to one (or to a file), is written in
 * place when it and every link on the way belong to the caller or to root;
 * one that belongs to anyone else is replaced.
 * @param path the file
 * @param write called once with the open stream and arg
 * @param arg passed to write
 * @return 0; whatever write returns; DRILL_EINVAL for a NULL pointer or a
 *         file name too long for a temporary name beside it; DRILL_EIO;
 *         DRILL_ENOMEM
 */
DRILL_EXTERN int drill_file_write(const char *path, drill_write_fn write, void *arg);
#endif

#ifdef __cplusplus
}
#endif
#endif
