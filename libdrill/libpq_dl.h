/* libpq, loaded when it is first needed (dlopen) instead of when the
 * program starts: libpq and what it links (Kerberos, LDAP, GnuTLS, SASL:
 * some twenty libraries, about 3 ms of every start of drillctl) stay out
 * of a program that only uses store files, and a system without a
 * PostgreSQL client library still runs everything but the server store.
 *
 * Header-only, for the two places that call libpq: store_pg.c, and
 * drillctl's lock of a server store (drillctl uses libdrill's public API
 * only, so it compiles its own copy). Once drill__pq_load() has succeeded,
 * the PQ* names used below call through drill__pq (the #defines at the
 * end): a file including this header calls libpq only through them, and
 * only after loading it.
 *
 * The library is DRILL_LIBPQ when that is set (a file name or path, for a
 * libpq of its own; ignored where the loader ignores LD_PRELOAD: a
 * set-user-ID or set-group-ID program, or one given file capabilities),
 * else libpq's soname, libpq.so.5. Packaging tools no longer see libpq
 * among the library's needs (dpkg-shlibdeps, rpm): a package says it
 * itself (Recommends: libpq5). */
#ifndef DRILL_LIBPQ_DL_H
#define DRILL_LIBPQ_DL_H

#include <dlfcn.h>
#include <libpq-fe.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/auxv.h>

#define DRILL__PQ_SONAME "libpq.so.5"

#define DRILL__PQ_FUNCTIONS(X)                                                                                        \
    X(PQclear) X(PQcmdStatus) X(PQcmdTuples) X(PQconnectdbParams) X(PQenterPipelineMode) X(PQerrorMessage)           \
    X(PQexec) X(PQexecParams) X(PQexecPrepared) X(PQexitPipelineMode) X(PQfinish) X(PQftype) X(PQgetisnull)          \
    X(PQgetResult) X(PQgetvalue) X(PQnfields) X(PQntuples) X(PQpipelineSync) X(PQprepare) X(PQputCopyData)          \
    X(PQputCopyEnd) X(PQresultErrorField) X(PQresultErrorMessage) X(PQresultStatus) X(PQsendQueryParams)            \
    X(PQsendQueryPrepared) X(PQsetClientEncoding) X(PQsetNoticeProcessor) X(PQstatus)

static struct {
#define DRILL__PQ_POINTER(f) __typeof__(f) *f;
    DRILL__PQ_FUNCTIONS(DRILL__PQ_POINTER)
#undef DRILL__PQ_POINTER
} drill__pq;

static pthread_mutex_t drill__pq_mutex = PTHREAD_MUTEX_INITIALIZER;
static int drill__pq_loaded; /* under drill__pq_mutex */

/* Load libpq and its functions, once per program (a failure is tried again
 * at the next call). 0; -1 with why in err (NUL-terminated) */
static inline int drill__pq_load(char *err, size_t size)
{
    pthread_mutex_lock(&drill__pq_mutex);
    int rc = 0;
    if (!drill__pq_loaded) {
        const char *file = getauxval(AT_SECURE) ? NULL : getenv("DRILL_LIBPQ");
        int named = file && *file;
        if (!named)
            file = DRILL__PQ_SONAME;
        void *h = dlopen(file, RTLD_NOW | RTLD_LOCAL);
        if (!h) {
            const char *why = dlerror();
            snprintf(err, size, "%s%s", named ? "DRILL_LIBPQ: " : "", why ? why : file);
            rc = -1;
        }
        /* POSIX: dlsym's object pointer converts to the function's pointer */
#define DRILL__PQ_RESOLVE(f)                                                                                          \
    if (rc == 0 && !(drill__pq.f = (__typeof__(drill__pq.f))dlsym(h, #f))) {                                          \
        snprintf(err, size, "%s has no %s (libpq 14 or later is needed)", file, #f);                                   \
        rc = -1;                                                                                                      \
    }
        DRILL__PQ_FUNCTIONS(DRILL__PQ_RESOLVE)
#undef DRILL__PQ_RESOLVE
        if (h && rc)
            dlclose(h);
        drill__pq_loaded = rc == 0; /* the handle stays open for the program's life */
    }
    pthread_mutex_unlock(&drill__pq_mutex);
    return rc;
}

/* the calls, through the table: a function of the list above without its
 * line here, or one used here without being in the list, is a direct call
 * to libpq, which neither libdrill.so nor drillctl links (the link fails) */
#define PQclear drill__pq.PQclear
#define PQcmdStatus drill__pq.PQcmdStatus
#define PQcmdTuples drill__pq.PQcmdTuples
#define PQconnectdbParams drill__pq.PQconnectdbParams
#define PQenterPipelineMode drill__pq.PQenterPipelineMode
#define PQerrorMessage drill__pq.PQerrorMessage
#define PQexec drill__pq.PQexec
#define PQexecParams drill__pq.PQexecParams
#define PQexecPrepared drill__pq.PQexecPrepared
#define PQexitPipelineMode drill__pq.PQexitPipelineMode
#define PQfinish drill__pq.PQfinish
#define PQftype drill__pq.PQftype
#define PQgetisnull drill__pq.PQgetisnull
#define PQgetResult drill__pq.PQgetResult
#define PQgetvalue drill__pq.PQgetvalue
#define PQnfields drill__pq.PQnfields
#define PQntuples drill__pq.PQntuples
#define PQpipelineSync drill__pq.PQpipelineSync
#define PQprepare drill__pq.PQprepare
#define PQputCopyData drill__pq.PQputCopyData
#define PQputCopyEnd drill__pq.PQputCopyEnd
#define PQresultErrorField drill__pq.PQresultErrorField
#define PQresultErrorMessage drill__pq.PQresultErrorMessage
#define PQresultStatus drill__pq.PQresultStatus
#define PQsendQueryParams drill__pq.PQsendQueryParams
#define PQsendQueryPrepared drill__pq.PQsendQueryPrepared
#define PQsetClientEncoding drill__pq.PQsetClientEncoding
#define PQsetNoticeProcessor drill__pq.PQsetNoticeProcessor
#define PQstatus drill__pq.PQstatus

#endif
