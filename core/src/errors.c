/* Status codes: names and messages generated from SP_STATUS_TABLE. */
#include "staffplan.h"

#include "internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

const char *sp_version(void) { return SP_VERSION_STRING; }

const char *sp_strerror(int status)
{
    switch (status) {
#define SP__STATUS_TEXT(name, code, text) \
    case code:                            \
        return text;
        SP_STATUS_TABLE(SP__STATUS_TEXT)
#undef SP__STATUS_TEXT
    }
    return "unknown status";
}

const char *sp_status_name(int status)
{
    switch (status) {
#define SP__STATUS_NAME(name, code, text) \
    case code:                            \
        return #name;
        SP_STATUS_TABLE(SP__STATUS_NAME)
#undef SP__STATUS_NAME
    }
    return "SP_EUNKNOWN";
}

int sp__diag_set(sp_diag *diag, int status, const char *field, long long index,
                 const char *fmt, ...)
{
    if (diag != NULL) {
        va_list ap;
        diag->status = status;
        diag->index = index;
        snprintf(diag->field, sizeof diag->field, "%s", field ? field : "");
        va_start(ap, fmt);
        vsnprintf(diag->message, sizeof diag->message, fmt, ap);
        va_end(ap);
    }
    return status;
}
