/*
 * The GLPK guard: every call into GLPK runs through sp__glpk_run, so that
 * GLPK never prints, never aborts the process and never leaks its
 * environment into a pooled thread (design.md section 4, after GLPK's
 * examples/threads/multiseed.c).
 *
 * GLPK 5.0 calls abort() after an internal error unless the error hook
 * leaves by longjmp; the state it leaves behind is unusable, so the hook's
 * only job is to get back to sp__glpk_run, which then frees the whole
 * environment (every glp_prob of the task goes with it).
 */
#define _POSIX_C_SOURCE 200809L

#include "internal.h"

#include <glpk.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>

typedef struct guard {
    jmp_buf jump;
    sp__glpk_log *log;
} guard;

static pthread_once_t tls_once = PTHREAD_ONCE_INIT;
static int tls_available;

/* Serialises solves when GLPK keeps one global environment. */
static pthread_mutex_t global_env_lock = PTHREAD_MUTEX_INITIALIZER;

static void check_tls(void)
{
    /* glp_config does not touch the environment, so it is safe before
     * glp_init_env and from any thread. */
    tls_available = glp_config("TLS") != NULL;
}

int sp__glpk_thread_safe(void)
{
    pthread_once(&tls_once, check_tls);
    return tls_available;
}

/* Keeps the most recent output: when the buffer fills, its older half is
 * dropped, because the last lines (an error, a final status) matter most. */
static void log_append(sp__glpk_log *log, const char *s)
{
    size_t n = strlen(s), cap = sizeof log->text - 1;
    if (n > cap) {
        s += n - cap;
        n = cap;
    }
    if (log->len + n > cap) {
        size_t keep = cap / 2 < log->len ? cap / 2 : log->len;
        if (keep + n > cap)
            keep = cap - n;
        memmove(log->text, log->text + log->len - keep, keep);
        log->len = keep;
    }
    memcpy(log->text + log->len, s, n);
    log->len += n;
    log->text[log->len] = '\0';
}

static int term_hook(void *info, const char *s)
{
    log_append((sp__glpk_log *)info, s);
    /* Nonzero: GLPK must not write the text itself. */
    return 1;
}

/* The first line of GLPK's error report is the message; the second names
 * GLPK's source file and line, kept after it in parentheses (what a bug
 * report against GLPK needs). */
static void record_error(sp__glpk_log *log)
{
    const char *end = strstr(log->text, "Error detected in file");
    const char *text = log->text;
    size_t n = end != NULL ? (size_t)(end - text) : log->len;
    while (n > 0 && (text[n - 1] == '\n' || text[n - 1] == ' '))
        n--;
    size_t start = n;
    while (start > 0 && text[start - 1] != '\n')
        start--;
    size_t len = n - start;
    if (len >= sizeof log->error)
        len = sizeof log->error - 1;
    memcpy(log->error, text + start, len);
    log->error[len] = '\0';
    if (len == 0) {
        memcpy(log->error, "GLPK internal error", sizeof "GLPK internal error");
        len = strlen(log->error);
    }
    if (end != NULL) {
        size_t where = strcspn(end, "\n");
        int room = (int)(sizeof log->error - len);
        if (room > 4)
            snprintf(log->error + len, (size_t)room, " (%.*s)", (int)where, end);
    }
}

static void error_hook(void *info)
{
    guard *g = info;
    record_error(g->log);
    longjmp(g->jump, 1);
}

int sp__glpk_run(sp__glpk_task task, void *arg, sp__glpk_log *log)
{
    guard g;
    volatile int status = SP_ESOLVER;
    int serialise = !sp__glpk_thread_safe();

    memset(log, 0, sizeof *log);
    g.log = log;
    if (serialise)
        pthread_mutex_lock(&global_env_lock);
    int rc = glp_init_env();
    if (rc != 0) {
        /* 1 means this thread already has an environment (a caller of ours
         * uses GLPK directly): freeing it at the end would destroy their
         * problems, so refuse rather than share it. */
        const char *why = rc == 1 ? "a GLPK environment is already active on this thread"
                        : rc == 2 ? "GLPK could not allocate its environment"
                                  : "GLPK does not support this threading model";
        log_append(log, why);
        snprintf(log->error, sizeof log->error, "%s", why);
        if (serialise)
            pthread_mutex_unlock(&global_env_lock);
        return rc == 2 ? SP_ENOMEM : SP_ESOLVER;
    }
    glp_term_hook(term_hook, log);
    glp_error_hook(error_hook, &g);
    if (setjmp(g.jump) == 0)
        status = task(arg);
    else
        status = SP_ESOLVER;
    glp_free_env();
    if (serialise)
        pthread_mutex_unlock(&global_env_lock);
    return status;
}

/*
 * A deliberate GLPK internal error, for tests: bounds set on column 2 of a
 * problem with one column.  GLPK reports it through its error hook, which
 * would abort the process without the guard; here it must come back as
 * SP_ESOLVER with GLPK's message, the environment freed.
 */
static int fault_task(void *arg)
{
    (void)arg;
    glp_prob *P = glp_create_prob();
    glp_add_cols(P, 1);
    glp_set_col_bnds(P, 2, GLP_LO, 0.0, 0.0);
    return SP_OK; /* not reached: GLPK has reported the error */
}

int sp__glpk_fault(sp_diag *diag)
{
    sp__glpk_log log;
    int rc = sp__glpk_run(fault_task, NULL, &log);
    if (rc == SP_OK)
        return sp__diag_set(diag, SP_EINVAL, "glpk", -1,
                            "GLPK accepted a column out of range");
    return sp__diag_set(diag, rc, "glpk", -1, "%s", log.error);
}
