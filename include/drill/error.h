/**
 * @file drill/error.h
 * @brief Error codes and the per-thread last error.
 *
 * Every libdrill function that can fail returns an int: 0 on success or one
 * of the negative DRILL_E* codes below. The human-readable message, and for
 * parse errors the source name, line and column, are kept per thread and
 * read with drill_error_last().
 */
#ifndef DRILL_ERROR_H
#define DRILL_ERROR_H

#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Return codes: 0 is success, every failure is negative. */
typedef enum drill_error_code {
    DRILL_OK = 0,          /**< success */
    DRILL_EINVAL = -1,     /**< invalid argument (a NULL pointer, a bad enum value) */
    DRILL_ENOMEM = -2,     /**< out of memory */
    DRILL_ENOTFOUND = -3,  /**< the thing asked for does not exist */
    DRILL_EEXISTS = -4,    /**< the thing to add exists already, or conflicts */
    DRILL_EPARSE = -5,     /**< malformed input text; see line and column */
    DRILL_ERANGE = -6,     /**< a value outside its allowed range (an impossible date) */
    DRILL_ESTATE = -7,     /**< an operation not allowed in the object's state */
    DRILL_EIO = -8,        /**< reading or writing a file failed */
    DRILL_EVERSION = -9,   /**< unsupported version (of an options struct, a file) */
    DRILL_ENODATA = -10,   /**< no data loaded for what was asked (a year with no holiday arrangement) */
    DRILL_ECORRUPT = -11,  /**< a file that is corrupt, or not what it should be (not a libdrill store) */
    DRILL_ECONFLICT = -12  /**< a change based on a revision that is no longer the current one (another writer changed it first) */
} drill_error_code;

/** The last error on the calling thread. */
typedef struct drill_error {
    int code;            /**< the DRILL_E* code, or 0 if nothing failed yet */
    const char *message; /**< what went wrong; "" when code is 0; never NULL */
    const char *source;  /**< parse errors: the file or source name; otherwise "" */
    int line;            /**< parse errors: 1-based line; otherwise 0 */
    int column;          /**< parse errors: 1-based column in characters; otherwise 0 */
} drill_error;

/**
 * The name of an error code, e.g. "invalid argument" for DRILL_EINVAL.
 *
 * @param code a DRILL_E* code or 0
 * @return a static string, never NULL ("unknown error" for other values)
 */
DRILL_EXTERN const char *drill_strerror(int code);

/**
 * The last error raised on the calling thread.
 *
 * Success does not clear it: read it right after a call returned a negative
 * code. The strings live until the next failing libdrill call on this thread
 * or drill_error_clear().
 *
 * @return a pointer owned by the library, never NULL
 */
DRILL_EXTERN const drill_error *drill_error_last(void);

/** Forget the last error of the calling thread (code 0, empty message). */
DRILL_EXTERN void drill_error_clear(void);

#ifdef __cplusplus
}
#endif
#endif
