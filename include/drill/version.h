/**
 * @file drill/version.h
 * @brief The libdrill version: the one place it is written down.
 *
 * The Makefile reads these three macros to name the shared library
 * (libdrill.so.MAJOR.MINOR.PATCH, SONAME libdrill.so.MAJOR) and the pkg-config
 * file; drill_version() returns the same numbers at run time.
 */
#ifndef DRILL_VERSION_H
#define DRILL_VERSION_H

#define DRILL_VERSION_MAJOR 0
#define DRILL_VERSION_MINOR 1
#define DRILL_VERSION_PATCH 0

/** The version as one number, MAJOR * 10000 + MINOR * 100 + PATCH. */
#define DRILL_VERSION_NUMBER \
    (DRILL_VERSION_MAJOR * 10000 + DRILL_VERSION_MINOR * 100 + DRILL_VERSION_PATCH)

#endif
