/*
 * staffplan._core: the thin CPython binding of the C core.
 *
 * Inputs are parsed and copied into C arrays with the GIL held; the GIL is
 * released around every long C call; exceptions are raised only once it is
 * back.  Results are returned as staffplan.Array objects, read-only
 * buffers that numpy can view without a copy.  Multi-phase init (PEP 489)
 * with module state holding the heap types and exception classes.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <limits.h>
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <time.h>
#include <string.h>
#include <unistd.h>

#include "staffplan.h"
#include "internal.h" /* sp__glpk_fault, the test hook behind _glpk_fault */

typedef struct {
    PyTypeObject *array_type;
    PyObject *error;       /* staffplan.Error */
    PyObject *input_error; /* staffplan.InputError(Error, ValueError) */
    PyObject *solver_error; /* staffplan.SolverError(Error)            */
} module_state;

static struct PyModuleDef core_module;

static module_state *get_state(PyObject *module)
{
    return (module_state *)PyModule_GetState(module);
}

/* ---------------------------------------------------------------------
 * Array: a read-only 1-D buffer of float64 ('d') or int64 ('q').
 * ------------------------------------------------------------------- */

typedef struct {
    PyObject_HEAD
    char format[2];
    Py_ssize_t length;
    Py_ssize_t itemsize;
    void *data;
    Py_ssize_t shape[1];
    Py_ssize_t strides[1];
} ArrayObject;

/* A new array of `length` zeroed items; format 'd' or 'q'. */
static ArrayObject *array_new(module_state *st, char format, Py_ssize_t length)
{
    ArrayObject *self = PyObject_New(ArrayObject, st->array_type);
    if (self == NULL)
        return NULL;
    self->format[0] = format;
    self->format[1] = '\0';
    self->length = length;
    self->itemsize = format == 'd' ? (Py_ssize_t)sizeof(double)
                                   : (Py_ssize_t)sizeof(long long);
    self->shape[0] = length;
    self->strides[0] = self->itemsize;
    self->data = calloc(length > 0 ? (size_t)length : 1, (size_t)self->itemsize);
    if (self->data == NULL) {
        Py_DECREF(self);
        PyErr_NoMemory();
        return NULL;
    }
    return self;
}

static void array_dealloc(ArrayObject *self)
{
    PyTypeObject *tp = Py_TYPE(self);
    free(self->data);
    PyObject_Free(self);
    Py_DECREF(tp);
}

static Py_ssize_t array_length(ArrayObject *self) { return self->length; }

static PyObject *array_item(ArrayObject *self, Py_ssize_t i)
{
    if (i < 0 || i >= self->length) {
        PyErr_SetString(PyExc_IndexError, "staffplan.Array index out of range");
        return NULL;
    }
    if (self->format[0] == 'd')
        return PyFloat_FromDouble(((double *)self->data)[i]);
    return PyLong_FromLongLong(((long long *)self->data)[i]);
}

static PyObject *array_subscript(ArrayObject *self, PyObject *key)
{
    if (PyIndex_Check(key)) {
        Py_ssize_t i = PyNumber_AsSsize_t(key, PyExc_IndexError);
        if (i == -1 && PyErr_Occurred())
            return NULL;
        if (i < 0)
            i += self->length;
        return array_item(self, i);
    }
    if (PySlice_Check(key)) {
        Py_ssize_t start, stop, step;
        if (PySlice_Unpack(key, &start, &stop, &step) < 0)
            return NULL;
        Py_ssize_t n = PySlice_AdjustIndices(self->length, &start, &stop, step);
        PyObject *list = PyList_New(n);
        if (list == NULL)
            return NULL;
        for (Py_ssize_t k = 0, i = start; k < n; k++, i += step) {
            PyObject *item = array_item(self, i);
            if (item == NULL) {
                Py_DECREF(list);
                return NULL;
            }
            PyList_SET_ITEM(list, k, item);
        }
        return list;
    }
    PyErr_Format(PyExc_TypeError,
                 "staffplan.Array indices must be integers or slices, not %.200s",
                 Py_TYPE(key)->tp_name);
    return NULL;
}

static int array_getbuffer(ArrayObject *self, Py_buffer *view, int flags)
{
    if (flags & PyBUF_WRITABLE) {
        PyErr_SetString(PyExc_BufferError, "staffplan.Array is read-only");
        return -1;
    }
    view->obj = Py_NewRef(self);
    view->buf = self->data;
    view->len = self->length * self->itemsize;
    view->readonly = 1;
    view->itemsize = self->itemsize;
    view->format = (flags & PyBUF_FORMAT) ? self->format : NULL;
    view->ndim = 1;
    view->shape = (flags & PyBUF_ND) ? self->shape : NULL;
    view->strides = (flags & PyBUF_STRIDES) ? self->strides : NULL;
    view->suboffsets = NULL;
    view->internal = NULL;
    return 0;
}

static PyObject *array_tolist(ArrayObject *self, PyObject *Py_UNUSED(ignored))
{
    PyObject *list = PyList_New(self->length);
    if (list == NULL)
        return NULL;
    for (Py_ssize_t i = 0; i < self->length; i++) {
        PyObject *item = array_item(self, i);
        if (item == NULL) {
            Py_DECREF(list);
            return NULL;
        }
        PyList_SET_ITEM(list, i, item);
    }
    return list;
}

static PyObject *array_repr(ArrayObject *self)
{
    const Py_ssize_t shown = 6;
    PyObject *items = PyList_New(0);
    if (items == NULL)
        return NULL;
    for (Py_ssize_t i = 0; i < self->length && i < shown; i++) {
        PyObject *item = array_item(self, i);
        if (item == NULL || PyList_Append(items, item) < 0) {
            Py_XDECREF(item);
            Py_DECREF(items);
            return NULL;
        }
        Py_DECREF(item);
    }
    PyObject *r = PyUnicode_FromFormat(
        "staffplan.Array('%s', %R%s, length=%zd)", self->format, items,
        self->length > shown ? " ..." : "", self->length);
    Py_DECREF(items);
    return r;
}

static PyObject *array_get_format(ArrayObject *self, void *Py_UNUSED(c))
{
    return PyUnicode_FromString(self->format);
}

static PyMethodDef array_methods[] = {
    {"tolist", (PyCFunction)array_tolist, METH_NOARGS,
     "tolist()\n--\n\nThe values as a list of int or float."},
    {NULL, NULL, 0, NULL},
};

static PyGetSetDef array_getset[] = {
    {"format", (getter)array_get_format, NULL,
     "Buffer format: 'd' (float64) or 'q' (int64).", NULL},
    {NULL, NULL, NULL, NULL, NULL},
};

static PyType_Slot array_slots[] = {
    {Py_tp_dealloc, array_dealloc},
    {Py_tp_repr, array_repr},
    {Py_tp_methods, array_methods},
    {Py_tp_getset, array_getset},
    {Py_sq_length, array_length},
    {Py_sq_item, array_item},
    {Py_mp_length, array_length},
    {Py_mp_subscript, array_subscript},
    {Py_bf_getbuffer, array_getbuffer},
    {Py_tp_doc,
     "A read-only one-dimensional array of float64 or int64 values.\n\n"
     "Supports len(), indexing, slicing (to a list), iteration and the\n"
     "buffer protocol: numpy.asarray(x) views it without a copy."},
    {0, NULL},
};

static PyType_Spec array_spec = {
    .name = "staffplan.Array",
    .basicsize = sizeof(ArrayObject),
    .flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_IMMUTABLETYPE |
             Py_TPFLAGS_DISALLOW_INSTANTIATION,
    .slots = array_slots,
};

/* ---------------------------------------------------------------------
 * Input conversion
 * ------------------------------------------------------------------- */

/* Raises staffplan.InputError (a ValueError) carrying field and index. */
static void raise_input(module_state *st, const char *field, long long index,
                        const char *message)
{
    PyObject *exc = PyObject_CallFunction(st->input_error, "s", message);
    if (exc == NULL)
        return;
    PyObject *f = PyUnicode_FromString(field);
    PyObject *i = index >= 0 ? PyLong_FromLongLong(index) : Py_NewRef(Py_None);
    if (f != NULL && i != NULL && PyObject_SetAttrString(exc, "field", f) == 0 &&
        PyObject_SetAttrString(exc, "index", i) == 0)
        PyErr_SetObject(st->input_error, exc);
    Py_XDECREF(f);
    Py_XDECREF(i);
    Py_DECREF(exc);
}

static void raise_diag(module_state *st, int status, const sp_diag *d)
{
    if (status == SP_ENOMEM) {
        PyErr_NoMemory();
        return;
    }
    if (status == SP_EINVAL || status == SP_EUNREACHABLE || status == SP_ETOOBIG) {
        raise_input(st, d->field, d->index, d->message);
        return;
    }
    if (status == SP_ESOLVER) {
        PyErr_Format(st->solver_error, "GLPK internal error: %s", d->message);
        return;
    }
    PyErr_Format(st->error, "%s: %s", sp_strerror(status), d->message);
}

typedef struct {
    double *v;
    Py_ssize_t n;
    int scalar;
} dvec;

static void dvec_free(dvec *d)
{
    PyMem_RawFree(d->v);
    d->v = NULL;
}

static int is_number(PyObject *o)
{
    return !PyBool_Check(o) && (PyFloat_Check(o) || PyLong_Check(o) ||
                                (PyNumber_Check(o) && !PySequence_Check(o) &&
                                 PyIndex_Check(o)));
}

/* The most values one input may hold (2^31 - 1): beyond any horizon of
 * intervals, and refused before anything of that size is allocated. */
#define MAX_VALUES 2147483647LL

static int too_many(const char *name, Py_ssize_t n)
{
    if ((long long)n <= MAX_VALUES)
        return 0;
    if (n == PY_SSIZE_T_MAX)
        PyErr_Format(PyExc_ValueError,
                     "%s claims more values than fit in memory; at most %lld "
                     "are accepted", name, MAX_VALUES);
    else
        PyErr_Format(PyExc_ValueError,
                     "%s has %zd values; at most %lld are accepted", name, n,
                     MAX_VALUES);
    return -1;
}

/*
 * Converts a number or a sequence/buffer of numbers to doubles.  Fills a
 * TypeError naming `name` (and the index) when an element is not a number.
 */
static int to_dvec(PyObject *obj, const char *name, dvec *out)
{
    out->v = NULL;
    out->n = 0;
    out->scalar = 0;
    /* Python numbers, numpy scalars and 0-d arrays are scalars. */
    int scalar = PyFloat_Check(obj) || (PyLong_Check(obj) && !PyBool_Check(obj));
    if (!scalar && !PyBool_Check(obj) && !PyUnicode_Check(obj) &&
        !PyBytes_Check(obj) && (PyIndex_Check(obj) || PyNumber_Check(obj))) {
        PyObject *shape = PyObject_GetAttrString(obj, "shape");
        if (shape == NULL) {
            PyErr_Clear();
            scalar = !PySequence_Check(obj);
        } else {
            scalar = PyTuple_Check(shape) && PyTuple_GET_SIZE(shape) == 0;
            Py_DECREF(shape);
        }
    }
    if (scalar) {
        double x = PyComplex_Check(obj) ? (PyErr_SetString(PyExc_TypeError, ""), -1.0)
                                         : PyFloat_AsDouble(obj);
        if (x == -1.0 && PyErr_Occurred()) {
            int overflow = PyErr_ExceptionMatches(PyExc_OverflowError);
            if (!overflow && !PyErr_ExceptionMatches(PyExc_TypeError))
                return -1; /* the object's own error, unchanged */
            PyErr_Clear();
            if (overflow)
                PyErr_Format(PyExc_ValueError,
                             "%s is too large: beyond the float range "
                             "(1.8e308)", name);
            else
                PyErr_Format(PyExc_TypeError, "%s must be a real number, not %.100s",
                             name, Py_TYPE(obj)->tp_name);
            return -1;
        }
        out->v = PyMem_RawMalloc(sizeof(double));
        if (out->v == NULL) {
            PyErr_NoMemory();
            return -1;
        }
        out->v[0] = x;
        out->n = 1;
        out->scalar = 1;
        return 0;
    }
    if (PyBool_Check(obj) || PyUnicode_Check(obj) || PyBytes_Check(obj) ||
        PyByteArray_Check(obj) || PyDict_Check(obj) || obj == Py_None) {
        PyErr_Format(PyExc_TypeError,
                     "%s must be a number or a sequence of numbers, not %.100s",
                     name, Py_TYPE(obj)->tp_name);
        return -1;
    }
    if (PyObject_CheckBuffer(obj)) {
        Py_buffer view;
        if (PyObject_GetBuffer(obj, &view, PyBUF_FORMAT | PyBUF_C_CONTIGUOUS) == 0) {
            const char *fmt = view.format ? view.format : "B";
            if (fmt[0] == '<' || fmt[0] == '=' || fmt[0] == '@')
                fmt++;
            /* Complex and boolean arrays would otherwise be read element by
             * element below, complex values silently losing their
             * imaginary part; refuse them like complex and bool scalars. */
            if (fmt[0] == 'Z' || fmt[0] == '?') {
                PyBuffer_Release(&view);
                PyErr_Format(PyExc_TypeError,
                             "%s must hold real numbers, not %s values", name,
                             fmt[0] == 'Z' ? "complex" : "boolean");
                return -1;
            }
            int ok = view.ndim == 1 && fmt[1] == '\0' &&
                     strchr("dfqlihbQLIHB", fmt[0]) != NULL;
            if (ok) {
                Py_ssize_t n = view.shape ? view.shape[0] : view.len / view.itemsize;
                if (too_many(name, n) < 0) {
                    PyBuffer_Release(&view);
                    return -1;
                }
                out->v = PyMem_RawMalloc((size_t)(n > 0 ? n : 1) * sizeof(double));
                if (out->v == NULL) {
                    PyBuffer_Release(&view);
                    PyErr_NoMemory();
                    return -1;
                }
                const char *p = view.buf;
                for (Py_ssize_t i = 0; i < n; i++, p += view.itemsize) {
                    double x;
                    switch (fmt[0]) {
                    case 'd': memcpy(&x, p, sizeof x); break;
                    case 'f': { float f; memcpy(&f, p, sizeof f); x = f; break; }
                    case 'q': { long long q; memcpy(&q, p, sizeof q); x = (double)q; break; }
                    case 'l': { long q; memcpy(&q, p, sizeof q); x = (double)q; break; }
                    case 'i': { int q; memcpy(&q, p, sizeof q); x = q; break; }
                    case 'h': { short q; memcpy(&q, p, sizeof q); x = q; break; }
                    case 'b': x = *(const signed char *)p; break;
                    case 'Q': { unsigned long long q; memcpy(&q, p, sizeof q); x = (double)q; break; }
                    case 'L': { unsigned long q; memcpy(&q, p, sizeof q); x = (double)q; break; }
                    case 'I': { unsigned q; memcpy(&q, p, sizeof q); x = q; break; }
                    case 'H': { unsigned short q; memcpy(&q, p, sizeof q); x = q; break; }
                    default: x = *(const unsigned char *)p; break;
                    }
                    out->v[i] = x;
                }
                out->n = n;
                PyBuffer_Release(&view);
                return 0;
            }
            PyBuffer_Release(&view);
        } else {
            PyErr_Clear();
        }
    }
    /* A claimed length beyond what the core accepts fails here, before
     * PySequence_Fast preallocates a list of that size and iterates. */
    if (!PyList_Check(obj) && !PyTuple_Check(obj)) {
        Py_ssize_t hint = PyObject_LengthHint(obj, 0);
        if (hint < 0) {
            if (!PyErr_ExceptionMatches(PyExc_OverflowError))
                return -1;
            PyErr_Clear();
            hint = PY_SSIZE_T_MAX;
        }
        if (too_many(name, hint) < 0)
            return -1;
    }
    /* A tuple copy: converting an element may run user code (__float__)
     * that resizes a list under our feet; a tuple cannot change. */
    PyObject *seq = PyTuple_Check(obj) ? Py_NewRef(obj) : PySequence_Tuple(obj);
    if (seq == NULL) {
        /* Only "not iterable" is ours to reword; an exception raised while
         * iterating (MemoryError, KeyboardInterrupt, the object's own
         * errors) reaches the caller unchanged. */
        if (!PyErr_ExceptionMatches(PyExc_TypeError))
            return -1;
        PyErr_Clear();
        PyErr_Format(PyExc_TypeError,
                     "%s must be a number or a sequence of numbers, not %.100s",
                     name, Py_TYPE(obj)->tp_name);
        return -1;
    }
    Py_ssize_t n = PySequence_Fast_GET_SIZE(seq);
    if (too_many(name, n) < 0) {
        Py_DECREF(seq);
        return -1;
    }
    out->v = PyMem_RawMalloc((size_t)(n > 0 ? n : 1) * sizeof(double));
    if (out->v == NULL) {
        Py_DECREF(seq);
        PyErr_NoMemory();
        return -1;
    }
    PyObject **items = PySequence_Fast_ITEMS(seq);
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *it = items[i];
        if (PyFloat_CheckExact(it)) {
            out->v[i] = PyFloat_AS_DOUBLE(it);
            continue;
        }
        if (PyBool_Check(it) || PyUnicode_Check(it) || PyBytes_Check(it) ||
            PyComplex_Check(it) ||
            !(PyFloat_Check(it) || PyLong_Check(it) || PyIndex_Check(it) ||
              PyNumber_Check(it))) {
            PyErr_Format(PyExc_TypeError,
                         "%s[%zd] must be a number, not %.100s", name, i,
                         Py_TYPE(it)->tp_name);
            goto fail;
        }
        double x = PyFloat_AsDouble(it);
        if (x == -1.0 && PyErr_Occurred()) {
            if (PyErr_ExceptionMatches(PyExc_OverflowError)) {
                PyErr_Clear();
                PyErr_Format(PyExc_ValueError,
                             "%s[%zd] is too large: beyond the float range "
                             "(1.8e308)", name, i);
            } else if (!PyErr_ExceptionMatches(PyExc_TypeError)) {
                goto fail; /* the element's own error, unchanged */
            } else {
                PyErr_Clear();
                PyErr_Format(PyExc_TypeError,
                             "%s[%zd] must be a number, not %.100s", name, i,
                             Py_TYPE(it)->tp_name);
            }
            goto fail;
        }
        out->v[i] = x;
    }
    Py_DECREF(seq);
    out->n = n;
    return 0;
fail:
    Py_DECREF(seq);
    dvec_free(out);
    return -1;
}

/* Optional float argument: None -> NaN. */
static int opt_double(PyObject *obj, const char *name, double *out)
{
    if (obj == NULL || obj == Py_None) {
        *out = NAN;
        return 0;
    }
    if (!is_number(obj)) {
        PyErr_Format(PyExc_TypeError, "%s must be a number or None, not %.100s",
                     name, Py_TYPE(obj)->tp_name);
        return -1;
    }
    *out = PyFloat_AsDouble(obj);
    if (*out == -1.0 && PyErr_Occurred())
        return -1;
    if (isnan(*out)) {
        PyErr_Format(PyExc_ValueError, "%s must be a number, got NaN", name);
        return -1;
    }
    return 0;
}

/* ---------------------------------------------------------------------
 * Broadcast queueing functions
 * ------------------------------------------------------------------- */

enum formula { F_ERLANG_B, F_ERLANG_C, F_SL, F_ASA, F_OCC, F_ERLANG_A };

typedef struct {
    const char *name;
    double lo;     /* smallest allowed value */
    int lo_open;   /* 1: value must be > lo */
    int integer;   /* 1: value must be a whole number */
} arg_rule;

static const arg_rule R_AGENTS = {"agents", 0.0, 0, 1};
static const arg_rule R_TRAFFIC = {"traffic", 0.0, 0, 0};
static const arg_rule R_AHT = {"aht", 0.0, 1, 0};
static const arg_rule R_ANSWER = {"answer_time", 0.0, 0, 0};
static const arg_rule R_PATIENCE = {"patience", 0.0, 1, 0};

static int check_rule(module_state *st, const arg_rule *r, const dvec *d)
{
    char msg[192];
    for (Py_ssize_t i = 0; i < d->n; i++) {
        double x = d->v[i];
        int ok = isfinite(x) && (r->lo_open ? x > r->lo : x >= r->lo) &&
                 (!r->integer || (x == floor(x) && x <= 9e15));
        if (ok && r == &R_TRAFFIC && x > SP_MAX_TRAFFIC)
            ok = 0;
        if (!ok) {
            const char *want =
                r->integer ? "a whole number >= 0"
                : r == &R_TRAFFIC ? "a finite number of Erlangs in [0, 1e9]"
                : r->lo_open ? "a finite number > 0" : "a finite number >= 0";
            if (d->scalar)
                snprintf(msg, sizeof msg, "%s must be %s, got %g", r->name, want, x);
            else
                snprintf(msg, sizeof msg, "%s[%zd] must be %s, got %g", r->name,
                         i, want, x);
            raise_input(st, r->name, d->scalar ? -1 : (long long)i, msg);
            return -1;
        }
    }
    return 0;
}

static PyObject *broadcast(PyObject *module, enum formula f, PyObject **objs,
                           const arg_rule **rules, int nargs)
{
    module_state *st = get_state(module);
    dvec d[5] = {{0}};
    PyObject *result = NULL;
    ArrayObject *outs[5] = {NULL};
    int nout = f == F_ERLANG_A ? 5 : 1;
    Py_ssize_t n = 1, refused = -1;
    int all_scalar = 1, sized = -1;
    for (int k = 0; k < nargs; k++) {
        if (to_dvec(objs[k], rules[k]->name, &d[k]) < 0)
            goto done;
        if (!d[k].scalar) {
            if (sized >= 0 && d[k].n != n) {
                PyErr_Format(PyExc_ValueError,
                             "%s has %zd values but %s has %zd; give sequences "
                             "of one length or scalars",
                             rules[k]->name, d[k].n, rules[sized]->name, n);
                goto done;
            }
            n = d[k].n;
            sized = k;
            all_scalar = 0;
        }
    }
    for (int k = 0; k < nargs; k++)
        if (check_rule(st, rules[k], &d[k]) < 0)
            goto done;
    for (int j = 0; j < nout; j++)
        if ((outs[j] = array_new(st, 'd', n)) == NULL)
            goto done;
    Py_BEGIN_ALLOW_THREADS
    for (Py_ssize_t i = 0; i < n; i++) {
        double x[5];
        for (int k = 0; k < nargs; k++)
            x[k] = d[k].v[d[k].scalar ? 0 : i];
        long long agents = (long long)x[0];
        double *o0 = (double *)outs[0]->data;
        switch (f) {
        case F_ERLANG_B: o0[i] = sp_erlang_b(agents, x[1]); break;
        case F_ERLANG_C: o0[i] = sp_erlang_c(agents, x[1]); break;
        case F_SL: o0[i] = sp_service_level(agents, x[1], x[2], x[3]); break;
        case F_ASA: o0[i] = sp_asa(agents, x[1], x[2]); break;
        case F_OCC: o0[i] = sp_occupancy(agents, x[1]); break;
        case F_ERLANG_A: {
            sp_erlang_a_metrics m = {NAN, NAN, NAN, NAN, NAN};
            if (sp_erlang_a(agents, x[1], x[2], x[3], x[4], &m) != SP_OK &&
                refused < 0)
                refused = i;
            ((double *)outs[0]->data)[i] = m.p_wait;
            ((double *)outs[1]->data)[i] = m.p_abandon;
            ((double *)outs[2]->data)[i] = m.service_level;
            ((double *)outs[3]->data)[i] = m.asa;
            ((double *)outs[4]->data)[i] = m.occupancy;
            break;
        }
        }
    }
    Py_END_ALLOW_THREADS
    if (refused >= 0) {
        /* Every argument passed check_rule; only the load bound is left. */
        char msg[192], where[40] = "";
        if (!all_scalar)
            snprintf(where, sizeof where, " at index %zd", refused);
        snprintf(msg, sizeof msg,
                 "patience: traffic * patience / aht must be at most %g "
                 "(contacts per mean patience), got %g%s",
                 SP_MAX_ERLANG_A_LOAD,
                 d[1].v[d[1].scalar ? 0 : refused] *
                     d[3].v[d[3].scalar ? 0 : refused] /
                     d[2].v[d[2].scalar ? 0 : refused],
                 where);
        raise_input(st, "patience", all_scalar ? -1 : (long long)refused, msg);
        goto done;
    }
    if (nout == 1) {
        result = all_scalar ? PyFloat_FromDouble(((double *)outs[0]->data)[0])
                            : Py_NewRef((PyObject *)outs[0]);
    } else {
        result = PyTuple_New(nout);
        for (int j = 0; result != NULL && j < nout; j++) {
            PyObject *v = all_scalar
                              ? PyFloat_FromDouble(((double *)outs[j]->data)[0])
                              : Py_NewRef((PyObject *)outs[j]);
            if (v == NULL) {
                Py_CLEAR(result);
                break;
            }
            PyTuple_SET_ITEM(result, j, v);
        }
    }
done:
    for (int k = 0; k < 5; k++) {
        dvec_free(&d[k]);
        Py_XDECREF(outs[k]);
    }
    return result;
}

static PyObject *core_erlang_b(PyObject *m, PyObject *args)
{
    PyObject *o[2];
    const arg_rule *r[2] = {&R_AGENTS, &R_TRAFFIC};
    if (!PyArg_ParseTuple(args, "OO:erlang_b", &o[0], &o[1]))
        return NULL;
    return broadcast(m, F_ERLANG_B, o, r, 2);
}

static PyObject *core_erlang_c(PyObject *m, PyObject *args)
{
    PyObject *o[2];
    const arg_rule *r[2] = {&R_AGENTS, &R_TRAFFIC};
    if (!PyArg_ParseTuple(args, "OO:erlang_c", &o[0], &o[1]))
        return NULL;
    return broadcast(m, F_ERLANG_C, o, r, 2);
}

static PyObject *core_service_level(PyObject *m, PyObject *args)
{
    PyObject *o[4];
    const arg_rule *r[4] = {&R_AGENTS, &R_TRAFFIC, &R_AHT, &R_ANSWER};
    if (!PyArg_ParseTuple(args, "OOOO:service_level", &o[0], &o[1], &o[2], &o[3]))
        return NULL;
    return broadcast(m, F_SL, o, r, 4);
}

static PyObject *core_asa(PyObject *m, PyObject *args)
{
    PyObject *o[3];
    const arg_rule *r[3] = {&R_AGENTS, &R_TRAFFIC, &R_AHT};
    if (!PyArg_ParseTuple(args, "OOO:asa", &o[0], &o[1], &o[2]))
        return NULL;
    return broadcast(m, F_ASA, o, r, 3);
}

static PyObject *core_occupancy(PyObject *m, PyObject *args)
{
    PyObject *o[2];
    const arg_rule *r[2] = {&R_AGENTS, &R_TRAFFIC};
    if (!PyArg_ParseTuple(args, "OO:occupancy", &o[0], &o[1]))
        return NULL;
    return broadcast(m, F_OCC, o, r, 2);
}

static PyObject *core_erlang_a(PyObject *m, PyObject *args)
{
    PyObject *o[5];
    const arg_rule *r[5] = {&R_AGENTS, &R_TRAFFIC, &R_AHT, &R_PATIENCE, &R_ANSWER};
    if (!PyArg_ParseTuple(args, "OOOOO:erlang_a", &o[0], &o[1], &o[2], &o[3], &o[4]))
        return NULL;
    return broadcast(m, F_ERLANG_A, o, r, 5);
}

/* ---------------------------------------------------------------------
 * requirements
 * ------------------------------------------------------------------- */

/* Bytes a requirements call holds per interval: the copied volume, aht and
 * shrinkage and the eight output arrays, 8 bytes each. */
#define REQ_BYTES_PER_INTERVAL (11.0 * 8.0)

/*
 * Refuses with MemoryError a call whose arrays alone would exceed the
 * machine's physical memory: calloc would succeed (pages are lent lazily)
 * and the OpenMP loop would then push the machine into swap or the OOM
 * killer instead of failing.
 */
static int memory_guard(Py_ssize_t n)
{
#if defined(_SC_PHYS_PAGES) && defined(_SC_PAGE_SIZE)
    long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGE_SIZE);
    double need = (double)n * REQ_BYTES_PER_INTERVAL;
    double have = (double)pages * (double)page;
    if (pages > 0 && page > 0 && need > have) {
        /* PyErr_Format has no %f: the message is formatted here. */
        char msg[200];
        snprintf(msg, sizeof msg,
                 "requirements for %zd intervals need %.1f GB, more than "
                 "this machine's %.1f GB of memory; split the horizon",
                 n, need / 1e9, have / 1e9);
        PyErr_SetString(PyExc_MemoryError, msg);
        return -1;
    }
#else
    (void)n;
#endif
    return 0;
}

static PyObject *core_requirements(PyObject *module, PyObject *args, PyObject *kw)
{
    static char *kwlist[] = {"volume", "aht", "interval", "service_level",
                             "answer_time", "asa", "max_occupancy", "shrinkage",
                             "min_agents", "patience", "max_abandon", "threads",
                             "reference", NULL};
    module_state *st = get_state(module);
    PyObject *volume_o, *aht_o, *interval_o, *sl_o, *answer_o, *asa_o, *occ_o,
        *shrink_o, *min_o, *pat_o, *ab_o, *threads_o = Py_None;
    int reference = 0;
    if (!PyArg_ParseTupleAndKeywords(args, kw, "OOOOOOOOOOO|Op:requirements",
                                     kwlist, &volume_o, &aht_o, &interval_o,
                                     &sl_o, &answer_o, &asa_o, &occ_o, &shrink_o,
                                     &min_o, &pat_o, &ab_o, &threads_o, &reference))
        return NULL;

    sp_targets t;
    sp_targets_init(&t);
    t.reference = reference;
    if (opt_double(interval_o, "interval", &t.interval) < 0 ||
        opt_double(sl_o, "service_level", &t.service_level) < 0 ||
        opt_double(answer_o, "answer_time", &t.answer_time) < 0 ||
        opt_double(asa_o, "asa", &t.asa) < 0 ||
        opt_double(occ_o, "max_occupancy", &t.max_occupancy) < 0 ||
        opt_double(pat_o, "patience", &t.patience) < 0 ||
        opt_double(ab_o, "max_abandon", &t.max_abandon) < 0)
        return NULL;
    if (isnan(t.answer_time))
        t.answer_time = 0.0;
    if (interval_o == Py_None) {
        PyErr_SetString(PyExc_TypeError, "interval must be a number of seconds, not None");
        return NULL;
    }
    if (PyBool_Check(min_o) || !PyIndex_Check(min_o)) {
        PyErr_Format(PyExc_TypeError, "min_agents must be an int, not %.100s",
                     Py_TYPE(min_o)->tp_name);
        return NULL;
    }
    PyObject *min_int = PyNumber_Index(min_o);
    if (min_int == NULL)
        return NULL;
    int overflow = 0;
    t.min_agents = PyLong_AsLongLongAndOverflow(min_int, &overflow);
    Py_DECREF(min_int);
    if (overflow)
        t.min_agents = overflow > 0 ? LLONG_MAX : LLONG_MIN;
    if (t.min_agents == -1 && PyErr_Occurred())
        return NULL;
    int threads = 0;
    if (threads_o != Py_None) {
        if (PyBool_Check(threads_o) || !PyIndex_Check(threads_o)) {
            PyErr_Format(PyExc_TypeError, "threads must be an int or None, not %.100s",
                         Py_TYPE(threads_o)->tp_name);
            return NULL;
        }
        /* Any int is accepted here; out-of-range ones (10**400 too) get
         * the InputError below rather than an OverflowError. */
        Py_ssize_t v = PyNumber_AsSsize_t(threads_o, NULL);
        if (v == -1 && PyErr_Occurred())
            return NULL;
        if (v < 1 || v > 1024) {
            raise_input(st, "threads", -1, "threads must be between 1 and 1024");
            return NULL;
        }
        threads = (int)v;
    }

    dvec vol = {0}, aht = {0}, shr = {0};
    PyObject *result = NULL;
    ArrayObject *agents = NULL, *heads = NULL, *arr[6] = {NULL};
    /* Absurd sizes fail here, before any copy or allocation. */
    if (!PyFloat_Check(volume_o) && !PyLong_Check(volume_o) &&
        (PySequence_Check(volume_o) || PyObject_CheckBuffer(volume_o))) {
        Py_ssize_t claimed = PyObject_Size(volume_o);
        if (claimed < 0) {
            /* No usable length: to_dvec reports it, or iterates.  Anything
             * else __len__ raised (KeyboardInterrupt, ...) goes up as is. */
            if (!PyErr_ExceptionMatches(PyExc_TypeError) &&
                !PyErr_ExceptionMatches(PyExc_OverflowError))
                goto done;
            PyErr_Clear();
        } else if (too_many("volume", claimed) < 0 || memory_guard(claimed) < 0)
            goto done;
    }
    if (to_dvec(volume_o, "volume", &vol) < 0 || to_dvec(aht_o, "aht", &aht) < 0 ||
        to_dvec(shrink_o, "shrinkage", &shr) < 0)
        goto done;
    if (vol.scalar) {
        PyErr_SetString(PyExc_TypeError,
                        "volume must be a sequence of contacts per interval, "
                        "not a single number");
        goto done;
    }
    Py_ssize_t n = vol.n;
    if (!aht.scalar && aht.n != n) {
        char msg[160];
        snprintf(msg, sizeof msg,
                 "aht must be one number or one value per interval (%zd), got %zd values",
                 n, aht.n);
        raise_input(st, "aht", -1, msg);
        goto done;
    }
    if (!shr.scalar && shr.n != n) {
        char msg[160];
        snprintf(msg, sizeof msg,
                 "shrinkage must be one number or one value per interval (%zd), got %zd values",
                 n, shr.n);
        raise_input(st, "shrinkage", -1, msg);
        goto done;
    }
    if (memory_guard(n) < 0)
        goto done;
    if ((agents = array_new(st, 'q', n)) == NULL || (heads = array_new(st, 'q', n)) == NULL)
        goto done;
    int want_ab = !isnan(t.patience);
    for (int j = 0; j < (want_ab ? 6 : 5); j++)
        if ((arr[j] = array_new(st, 'd', n)) == NULL)
            goto done;
    sp_requirements_out out = {
        .agents = agents->data, .heads = heads->data,
        .traffic = arr[0]->data, .service_level = arr[1]->data,
        .asa = arr[2]->data, .occupancy = arr[3]->data,
        .p_wait = arr[4]->data, .p_abandon = want_ab ? arr[5]->data : NULL,
    };
    sp_diag diag = {0};
    int rc;
    Py_BEGIN_ALLOW_THREADS
    rc = sp_requirements((size_t)n, vol.v, aht.v, (size_t)aht.n, shr.v,
                         (size_t)shr.n, &t, threads, &out, &diag);
    Py_END_ALLOW_THREADS
    if (rc != SP_OK) {
        raise_diag(st, rc, &diag);
        goto done;
    }
    result = Py_BuildValue("(OOOOOOOO)", agents, heads, arr[0], arr[1], arr[2],
                           arr[3], arr[4], want_ab ? (PyObject *)arr[5] : Py_None);
done:
    dvec_free(&vol);
    dvec_free(&aht);
    dvec_free(&shr);
    Py_XDECREF(agents);
    Py_XDECREF(heads);
    for (int j = 0; j < 6; j++)
        Py_XDECREF(arr[j]);
    return result;
}

static PyObject *core_heads(PyObject *module, PyObject *args)
{
    long long agents;
    double s;
    if (!PyArg_ParseTuple(args, "Ld:heads", &agents, &s))
        return NULL;
    if (agents < 0 || !(s >= 0.0 && s < 1.0)) {
        raise_input(get_state(module), agents < 0 ? "agents" : "shrinkage", -1,
                    agents < 0 ? "agents must be >= 0"
                               : "shrinkage must be a fraction in [0, 1)");
        return NULL;
    }
    return PyLong_FromLongLong(sp_heads(agents, s));
}

/* ---------------------------------------------------------------------
 * schedule (the service-mode shift IP; staffplan/problem.py drives it)
 *
 * schedule_solve(intervals, interval_minutes, cyclic, required, shifts,
 *                under_cost, over_cost, time_limit, mip_gap, threads,
 *                progress, wait)
 * wait: None (service mode) or (volume, aht, shrinkage, per_waiting_hour,
 * per_late_call, late_after) for cost mode; volume one value per
 * interval, aht one number or one per interval.  tours: None (daily
 * shifts) or (work_days, consecutive_days_off).
 * shifts: a sequence of (start, daily, length, cost, breaks) with breaks a
 * sequence of (length, earliest, latest), minutes.  Everything is copied
 * into C with the GIL held; the solve runs without it.
 * ------------------------------------------------------------------- */

static int sched_int(PyObject *o, const char *what, Py_ssize_t i, long long *out)
{
    if (PyBool_Check(o) || !PyLong_Check(o)) {
        PyErr_Format(PyExc_TypeError, "shifts[%zd]: %s must be an int, not %.100s", i,
                     what, Py_TYPE(o)->tp_name);
        return -1;
    }
    int overflow = 0;
    *out = PyLong_AsLongLongAndOverflow(o, &overflow);
    if (overflow || (*out == -1 && PyErr_Occurred()) || *out > INT_MAX || *out < INT_MIN) {
        PyErr_Clear();
        PyErr_Format(PyExc_ValueError, "shifts[%zd]: %s is out of range", i, what);
        return -1;
    }
    return 0;
}

/* Copies one shift tuple; `bw` receives its break windows, `dc` its 7
 * costs by horizon day mod 7 when the tuple has them (*has_dc set). */
static int sched_shift(PyObject *item, Py_ssize_t i, sp_shift *sh, sp_break_window *bw,
                       double *dc, int *has_dc)
{
    PyObject *start_o, *daily_o, *length_o, *cost_o, *breaks_o, *dc_o = Py_None;
    long long v;
    if (!PyTuple_Check(item) ||
        !PyArg_ParseTuple(item, "OOOOO|O", &start_o, &daily_o, &length_o, &cost_o, &breaks_o,
                          &dc_o)) {
        PyErr_Clear();
        PyErr_Format(PyExc_TypeError,
                     "shifts[%zd] must be a tuple (start, daily, length, cost, breaks"
                     "[, day_costs])", i);
        return -1;
    }
    *has_dc = dc_o != Py_None;
    if (*has_dc) {
        PyObject *q = PySequence_Fast(dc_o, "day_costs must be a sequence");
        if (q == NULL)
            return -1;
        if (PySequence_Fast_GET_SIZE(q) != 7) {
            Py_DECREF(q);
            PyErr_Format(PyExc_ValueError, "shifts[%zd]: day_costs must hold 7 costs", i);
            return -1;
        }
        for (Py_ssize_t k = 0; k < 7; k++)
            if (opt_double(PySequence_Fast_GET_ITEM(q, k), "day_costs", &dc[k]) < 0 ||
                isnan(dc[k])) {
                Py_DECREF(q);
                if (!PyErr_Occurred())
                    PyErr_Format(PyExc_TypeError, "shifts[%zd]: day_costs must be numbers", i);
                return -1;
            }
        Py_DECREF(q);
    }
    if (sched_int(start_o, "start", i, &v) < 0)
        return -1;
    sh->start = v;
    sh->daily = PyObject_IsTrue(daily_o);
    if (sh->daily < 0)
        return -1;
    if (sched_int(length_o, "length", i, &v) < 0)
        return -1;
    sh->length = (int)v;
    if (opt_double(cost_o, "cost", &sh->cost) < 0)
        return -1;
    PyObject *seq = PySequence_Fast(breaks_o, "breaks must be a sequence");
    if (seq == NULL)
        return -1;
    Py_ssize_t nb = PySequence_Fast_GET_SIZE(seq);
    if (nb > SP_SCHEDULE_MAX_BREAKS) {
        Py_DECREF(seq);
        PyErr_Format(PyExc_ValueError, "shifts[%zd]: at most %d break windows", i,
                     SP_SCHEDULE_MAX_BREAKS);
        return -1;
    }
    for (Py_ssize_t k = 0; k < nb; k++) {
        PyObject *b = PySequence_Fast_GET_ITEM(seq, k);
        PyObject *l, *e, *t;
        long long lv, ev, tv;
        if (!PyTuple_Check(b) || !PyArg_ParseTuple(b, "OOO", &l, &e, &t)) {
            PyErr_Clear();
            Py_DECREF(seq);
            PyErr_Format(PyExc_TypeError,
                         "shifts[%zd].breaks[%zd] must be a tuple (length, earliest, latest)",
                         i, k);
            return -1;
        }
        if (sched_int(l, "break length", i, &lv) < 0 ||
            sched_int(e, "break earliest", i, &ev) < 0 ||
            sched_int(t, "break latest", i, &tv) < 0) {
            Py_DECREF(seq);
            return -1;
        }
        bw[k] = (sp_break_window){(int)lv, (int)ev, (int)tv};
    }
    Py_DECREF(seq);
    sh->break_count = (int)nb;
    sh->breaks = bw;
    return 0;
}

static PyObject *sched_result(const sp_schedule_result *r, const int *nbreaks)
{
    static const char *status_names[] = {"optimal", "feasible", "no_solution"};
    static const char *stop_names[] = {"gap", "time_limit", "cancelled"};
    PyObject *cov = PyList_New((Py_ssize_t)r->intervals);
    PyObject *groups = PyList_New((Py_ssize_t)r->group_count);
    PyObject *res = NULL;
    if (cov == NULL || groups == NULL)
        goto done;
    for (size_t t = 0; t < r->intervals; t++) {
        PyObject *v = PyLong_FromLongLong(r->coverage[t]);
        if (v == NULL)
            goto done;
        PyList_SET_ITEM(cov, (Py_ssize_t)t, v);
    }
    for (size_t g = 0; g < r->group_count; g++) {
        const sp_shift_group *grp = &r->groups[g];
        PyObject *offs = PyList_New(0);
        if (offs == NULL)
            goto done;
        for (int k = 0; k < nbreaks[grp->shift]; k++) {
            PyObject *o = PyLong_FromLong(grp->break_offset[k]);
            if (o == NULL || PyList_Append(offs, o) < 0) {
                Py_XDECREF(o);
                Py_DECREF(offs);
                goto done;
            }
            Py_DECREF(o);
        }
        PyObject *tup = Py_BuildValue("(iLLNL)", grp->shift, grp->start, grp->count, offs,
                                      grp->tour);
        if (tup == NULL)
            goto done;
        PyList_SET_ITEM(groups, (Py_ssize_t)g, tup);
    }
    res = Py_BuildValue(
        "{s:s,s:s,s:d,s:d,s:d,s:d,s:d,s:d,s:d,s:d,s:d,s:O,s:O,s:L,s:L}",
        "status", status_names[r->status], "stop", stop_names[r->stop],
        "objective", r->objective, "bound", r->bound, "lp_bound", r->lp_bound,
        "gap", r->gap, "labor_cost", r->labor_cost, "under_staffing", r->under_staffing,
        "over_staffing", r->over_staffing, "wait_cost", r->wait_cost,
        "seconds", r->seconds, "coverage", cov,
        "groups", groups, "columns", r->columns, "rows", r->rows);
done:
    Py_XDECREF(cov);
    Py_XDECREF(groups);
    return res;
}

/* schedule_solve and schedule_write_lp share everything but the last C
 * call: `path` NULL solves, otherwise writes the LP file. */
/* A solve running on a thread of its own, so that the calling thread can
 * watch for Ctrl-C and report progress while it runs. */
typedef struct solve_job {
    int (*run)(struct solve_job *job); /* NULL: the schedule solve */
    const sp_roster *roster;
    size_t group_count;
    const sp_shift_group *groups;
    sp_roster_result *rr;
    sp_schedule *s;
    sp_solve_limits lim;
    sp_schedule_result *r;
    const sp_lp_row *lp_rows;          /* schedule_lp_bound            */
    size_t lp_nrows;
    double lp_bound;
    double *lp_x;
    sp_diag diag;
    int rc;
    volatile int done;
} solve_job;

static void *solve_thread(void *arg)
{
    solve_job *job = arg;
    job->rc = job->run ? job->run(job)
                       : sp_schedule_solve(job->s, &job->lim, &job->r, &job->diag);
    __atomic_store_n(&job->done, 1, __ATOMIC_RELEASE);
    return NULL;
}

/*
 * Runs the solve on its own thread and waits with the GIL released, taking
 * the GIL back every 50 ms to run Python's signal handlers and the progress
 * callback.  Ctrl-C (or an exception from the callback) sets the cancel
 * flag; the solver then stops within a poll of its clock and returns its
 * best solution.  A KeyboardInterrupt is swallowed (the best solution is
 * the answer, marked "cancelled"); any other exception is raised after the
 * solve has ended.  Returns the solver's status, or -1 when the thread
 * could not start (an exception is set).
 */
typedef struct pending_error {
    PyObject *type, *value, *traceback;
} pending_error;

static int solve_watched(solve_job *job, PyObject *progress, pending_error *pending)
{
    volatile int cancel = 0;
    sp_progress prog = {NAN, -INFINITY, 0.0, 0};
    long long seen = 0;
    job->lim.cancel = &cancel;
    job->lim.progress = &prog;
    job->done = 0;
    pthread_t tid;
    int started;
    Py_BEGIN_ALLOW_THREADS
    started = pthread_create(&tid, NULL, solve_thread, job) == 0;
    Py_END_ALLOW_THREADS
    if (!started) {
        PyErr_SetString(PyExc_RuntimeError, "could not start the solver thread");
        return -1;
    }
    for (;;) {
        int finished = 0;
        Py_BEGIN_ALLOW_THREADS
        for (int k = 0; k < 5 && !finished; k++) {
            struct timespec ts = {0, 10 * 1000 * 1000};
            nanosleep(&ts, NULL);
            finished = __atomic_load_n(&job->done, __ATOMIC_ACQUIRE);
        }
        Py_END_ALLOW_THREADS
        if (!cancel && PyErr_CheckSignals() < 0) {
            cancel = 1;
            if (PyErr_ExceptionMatches(PyExc_KeyboardInterrupt))
                PyErr_Clear();
            else if (pending->type == NULL)
                PyErr_Fetch(&pending->type, &pending->value, &pending->traceback);
            else
                PyErr_Clear();
        }
        sp_progress now_p;
        sp_progress_read(&prog, &now_p);
        if (progress != Py_None && now_p.updates != seen && !cancel) {
            seen = now_p.updates;
            PyObject *ret = PyObject_CallFunction(
                progress, "ddd", now_p.objective, now_p.bound, now_p.seconds);
            if (ret == NULL) {
                /* Ctrl-C often lands while the callback runs (a progress
                 * bar redrawing): it means the same as anywhere else. */
                cancel = 1;
                if (PyErr_ExceptionMatches(PyExc_KeyboardInterrupt) || pending->type != NULL)
                    PyErr_Clear();
                else
                    PyErr_Fetch(&pending->type, &pending->value, &pending->traceback);
            }
            Py_XDECREF(ret);
        }
        if (finished)
            break;
    }
    Py_BEGIN_ALLOW_THREADS
    pthread_join(tid, NULL);
    Py_END_ALLOW_THREADS
    return job->rc;
}

static int lp_bound_job(solve_job *job)
{
    return sp_schedule_lp_bound(job->s, job->lp_rows, job->lp_nrows, &job->lim,
                                &job->lp_bound, job->lp_x, &job->diag);
}

/* rows: a sequence of (lo, hi, shifts, days, coefs), the last three
 * sequences of one length; lo/hi may be -inf/inf.  Fills rows[] and one
 * int/int/double pool owned by the caller (PyMem_Raw). */
static int lp_rows_read(module_state *st, PyObject *rows_o, sp_lp_row **rows_out,
                        Py_ssize_t *nrows_out, int **ints_out, double **coefs_out)
{
    PyObject *rows = PySequence_Fast(rows_o, "rows must be a sequence");
    if (rows == NULL)
        return -1;
    Py_ssize_t nr = PySequence_Fast_GET_SIZE(rows), total = 0, at = 0;
    PyObject **items = PySequence_Fast_ITEMS(rows);
    for (Py_ssize_t r = 0; r < nr; r++) {
        PyObject *sh;
        if (!PyTuple_Check(items[r]) || PyTuple_GET_SIZE(items[r]) != 5 ||
            (sh = PyTuple_GET_ITEM(items[r], 2), PySequence_Size(sh)) < 0) {
            PyErr_Clear();
            PyErr_Format(PyExc_TypeError, "rows[%zd] must be (lo, hi, shifts, days, coefs)", r);
            Py_DECREF(rows);
            return -1;
        }
        total += PySequence_Size(sh);
    }
    sp_lp_row *out = PyMem_RawCalloc((size_t)(nr > 0 ? nr : 1), sizeof *out);
    int *ints = PyMem_RawCalloc((size_t)(total > 0 ? 2 * total : 1), sizeof *ints);
    double *coefs = PyMem_RawCalloc((size_t)(total > 0 ? total : 1), sizeof *coefs);
    if (out == NULL || ints == NULL || coefs == NULL) {
        PyMem_RawFree(out);
        PyMem_RawFree(ints);
        PyMem_RawFree(coefs);
        Py_DECREF(rows);
        PyErr_NoMemory();
        return -1;
    }
    *rows_out = out;
    *ints_out = ints;
    *coefs_out = coefs;
    for (Py_ssize_t r = 0; r < nr; r++) {
        PyObject *t = items[r];
        double lo = PyFloat_AsDouble(PyTuple_GET_ITEM(t, 0));
        double hi = PyFloat_AsDouble(PyTuple_GET_ITEM(t, 1));
        if (PyErr_Occurred())
            goto fail;
        PyObject *seqs[3] = {NULL, NULL, NULL};
        Py_ssize_t n = -1;
        int bad = 0;
        for (int q = 0; q < 3 && !bad; q++) {
            seqs[q] = PySequence_Fast(PyTuple_GET_ITEM(t, 2 + q), "rows entries must be sequences");
            if (seqs[q] == NULL || (n >= 0 && PySequence_Fast_GET_SIZE(seqs[q]) != n))
                bad = 1;
            else
                n = PySequence_Fast_GET_SIZE(seqs[q]);
        }
        if (bad || n > total - at) {
            for (int q = 0; q < 3; q++)
                Py_XDECREF(seqs[q]);
            if (!PyErr_Occurred())
                PyErr_Format(PyExc_ValueError,
                             "rows[%zd]: shifts, days and coefs must have one length", r);
            goto fail;
        }
        out[r].n = (size_t)n;
        out[r].lo = lo;
        out[r].hi = hi;
        out[r].shift = ints + at;
        out[r].day = ints + total + at;
        out[r].coef = coefs + at;
        for (Py_ssize_t k = 0; k < n && !bad; k++) {
            long a = PyLong_AsLong(PySequence_Fast_GET_ITEM(seqs[0], k));
            long b = PyLong_AsLong(PySequence_Fast_GET_ITEM(seqs[1], k));
            double c = PyFloat_AsDouble(PySequence_Fast_GET_ITEM(seqs[2], k));
            if (PyErr_Occurred() || a < INT_MIN || a > INT_MAX || b < INT_MIN || b > INT_MAX)
                bad = 1;
            ints[at + k] = (int)a;
            ints[total + at + k] = (int)b;
            coefs[at + k] = c;
        }
        for (int q = 0; q < 3; q++)
            Py_XDECREF(seqs[q]);
        if (bad) {
            if (!PyErr_Occurred())
                PyErr_Format(PyExc_ValueError, "rows[%zd]: a shift or day is out of range", r);
            goto fail;
        }
        at += n;
    }
    (void)st;
    *nrows_out = nr;
    Py_DECREF(rows);
    return 0;
fail:
    PyMem_RawFree(out);
    PyMem_RawFree(ints);
    PyMem_RawFree(coefs);
    *rows_out = NULL;
    *ints_out = NULL;
    *coefs_out = NULL;
    Py_DECREF(rows);
    return -1;
}

static PyObject *sched_run(PyObject *module, PyObject *args, PyObject *kw, int mode)
{
    const int write = mode == 1, lp = mode == 2;
    static char *solve_kw[] = {"intervals", "interval_minutes", "cyclic", "required",
                               "shifts", "under_staffing_cost", "over_staffing_cost",
                               "time_limit", "mip_gap", "threads", "progress", "wait",
                               "tours", NULL};
    static char *write_kw[] = {"intervals", "interval_minutes", "cyclic", "required",
                               "shifts", "under_staffing_cost", "over_staffing_cost",
                               "path", "wait", "tours", NULL};
    static char *lp_kw[] = {"intervals", "interval_minutes", "cyclic", "required",
                            "shifts", "under_staffing_cost", "over_staffing_cost",
                            "time_limit", "rows", "wait", "tours", NULL};
    module_state *st = get_state(module);
    Py_ssize_t intervals;
    int minutes, cyclic, threads = 0;
    PyObject *req_o, *shifts_o, *path_o = NULL, *path_bytes = NULL, *progress = Py_None;
    PyObject *wait_o = Py_None, *tours_o = Py_None, *rows_o = NULL;
    sp_lp_row *lp_rows = NULL;
    Py_ssize_t lp_nrows = 0;
    int *lp_ints = NULL;
    double *lp_coefs = NULL;
    pending_error pending = {NULL, NULL, NULL};
    double under, over, time_limit = 60.0, mip_gap = 1e-4;
    if (write) {
        if (!PyArg_ParseTupleAndKeywords(args, kw, "nipOOddO|OO:schedule_write_lp", write_kw,
                                         &intervals, &minutes, &cyclic, &req_o, &shifts_o,
                                         &under, &over, &path_o, &wait_o, &tours_o))
            return NULL;
        if (!PyUnicode_FSConverter(path_o, &path_bytes))
            return NULL;
    } else if (lp) {
        if (!PyArg_ParseTupleAndKeywords(args, kw, "nipOOdddO|OO:schedule_lp_bound", lp_kw,
                                         &intervals, &minutes, &cyclic, &req_o, &shifts_o,
                                         &under, &over, &time_limit, &rows_o, &wait_o,
                                         &tours_o))
            return NULL;
        if (lp_rows_read(st, rows_o, &lp_rows, &lp_nrows, &lp_ints, &lp_coefs) < 0)
            return NULL;
    } else if (!PyArg_ParseTupleAndKeywords(args, kw, "nipOOdddd|iOOO:schedule_solve",
                                            solve_kw, &intervals, &minutes, &cyclic, &req_o,
                                            &shifts_o, &under, &over, &time_limit, &mip_gap,
                                            &threads, &progress, &wait_o, &tours_o)) {
        return NULL;
    }
    if (progress != Py_None && !PyCallable_Check(progress)) {
        PyErr_Format(PyExc_TypeError, "progress must be callable or None, not %.100s",
                     Py_TYPE(progress)->tp_name);
        return NULL;
    }
    const char *path = write ? PyBytes_AS_STRING(path_bytes) : NULL;
    dvec req = {0}, vol = {0}, aht = {0};
    sp_wait_params wp = {0};
    int cost_mode = wait_o != Py_None, work_days = 0, consecutive = 0;
    if (tours_o != Py_None &&
        (!PyTuple_Check(tours_o) || !PyArg_ParseTuple(tours_o, "ip", &work_days, &consecutive))) {
        PyErr_Clear();
        PyErr_SetString(PyExc_TypeError,
                        "tours must be None or a tuple (work_days, consecutive_days_off)");
        return NULL;
    }
    PyObject *shifts = NULL, *result = NULL;
    sp_shift *sh = NULL;
    sp_break_window *bw = NULL;
    int *nbreaks = NULL, *hasdc = NULL;
    double *dc = NULL;
    sp_schedule *s = NULL;
    sp_schedule_result *r = NULL;
    sp_diag diag = {0};
    int rc;
    /* Absurd sizes fail here, before the inputs are copied. */
    if ((long long)intervals > SP_SCHEDULE_MAX_INTERVALS) {
        char msg[160];
        snprintf(msg, sizeof msg, "%zd intervals are too many; at most %lld are supported",
                 intervals, SP_SCHEDULE_MAX_INTERVALS);
        raise_input(st, "intervals", -1, msg);
        goto done;
    }
    if (PySequence_Check(shifts_o) && !PyUnicode_Check(shifts_o)) {
        Py_ssize_t claimed = PySequence_Size(shifts_o);
        if (claimed < 0)
            goto done;
        if (claimed > SP_SCHEDULE_MAX_SHIFTS) {
            char msg[160];
            snprintf(msg, sizeof msg, "%zd shifts are too many; at most %d are supported",
                     claimed, SP_SCHEDULE_MAX_SHIFTS);
            raise_input(st, "shifts", -1, msg);
            goto done;
        }
    }
    if (to_dvec(req_o, "required", &req) < 0)
        goto done;
    if (req.scalar || req.n != intervals) {
        raise_input(st, "demand.required", -1,
                    "demand.required must hold one value per interval");
        goto done;
    }
    if (cost_mode) {
        PyObject *vol_o, *aht_o;
        if (!PyTuple_Check(wait_o) ||
            !PyArg_ParseTuple(wait_o, "OOdddd", &vol_o, &aht_o, &wp.shrinkage,
                              &wp.per_waiting_hour, &wp.per_late_call, &wp.late_after)) {
            PyErr_Clear();
            PyErr_SetString(PyExc_TypeError,
                            "wait must be None or a tuple (volume, aht, shrinkage, "
                            "per_waiting_hour, per_late_call, late_after)");
            goto done;
        }
        wp.interval = (double)minutes * 60.0;
        if (to_dvec(vol_o, "volume", &vol) < 0 || to_dvec(aht_o, "aht", &aht) < 0)
            goto done;
        if (vol.scalar || vol.n != intervals) {
            raise_input(st, "demand.forecast.volume", -1,
                        "demand.forecast.volume must hold one value per interval");
            goto done;
        }
        if (!aht.scalar && aht.n != intervals) {
            raise_input(st, "demand.forecast.aht", -1,
                        "demand.forecast.aht must be one number or one per interval");
            goto done;
        }
    }
    if ((shifts = PySequence_Fast(shifts_o, "shifts must be a sequence")) == NULL)
        goto done;
    Py_ssize_t n = PySequence_Fast_GET_SIZE(shifts);
    sh = PyMem_RawCalloc((size_t)(n > 0 ? n : 1), sizeof *sh);
    bw = PyMem_RawCalloc((size_t)(n > 0 ? n : 1) * SP_SCHEDULE_MAX_BREAKS, sizeof *bw);
    nbreaks = PyMem_RawCalloc((size_t)(n > 0 ? n : 1), sizeof *nbreaks);
    hasdc = PyMem_RawCalloc((size_t)(n > 0 ? n : 1), sizeof *hasdc);
    dc = PyMem_RawCalloc((size_t)(n > 0 ? n : 1) * 7, sizeof *dc);
    if (sh == NULL || bw == NULL || nbreaks == NULL || hasdc == NULL || dc == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        if (sched_shift(PySequence_Fast_GET_ITEM(shifts, i), i, &sh[i],
                        &bw[(size_t)i * SP_SCHEDULE_MAX_BREAKS], &dc[(size_t)i * 7],
                        &hasdc[i]) < 0)
            goto done;
        nbreaks[i] = sh[i].break_count;
    }
    sp_solve_limits lim;
    sp_solve_limits_init(&lim);
    lim.time_limit = time_limit;
    lim.mip_gap = mip_gap;
    lim.threads = threads;
    Py_BEGIN_ALLOW_THREADS
    rc = sp_schedule_create((size_t)intervals, minutes, cyclic, req.v, &s, &diag);
    for (Py_ssize_t i = 0; rc == SP_OK && i < n; i++) {
        rc = sp_schedule_add_shift(s, &sh[i], &diag);
        if (rc == SP_OK && hasdc[i])
            rc = sp_schedule_set_shift_day_costs(s, (int)i, &dc[(size_t)i * 7], &diag);
    }
    if (rc == SP_OK)
        rc = sp_schedule_set_costs(s, under, over, &diag);
    if (rc == SP_OK && tours_o != Py_None)
        rc = sp_schedule_set_tours(s, work_days, consecutive, &diag);
    if (rc == SP_OK && cost_mode)
        rc = sp_schedule_set_wait_cost(s, vol.v, aht.v, aht.scalar ? 1 : (size_t)aht.n, &wp,
                                       threads, &diag);
    if (rc == SP_OK && write)
        rc = sp_schedule_write_lp(s, path, &diag);
    Py_END_ALLOW_THREADS
    if (rc == SP_OK && lp) {
        size_t days = (size_t)intervals * (size_t)minutes / 1440;
        size_t cells = (size_t)n * (days > 0 ? days : 1);
        double *x = PyMem_RawCalloc(cells > 0 ? cells : 1, sizeof *x);
        if (x == NULL) {
            PyErr_NoMemory();
            goto done;
        }
        solve_job job = {.run = lp_bound_job, .s = s, .lim = lim, .lp_rows = lp_rows,
                         .lp_nrows = (size_t)lp_nrows, .lp_bound = NAN, .lp_x = x};
        rc = solve_watched(&job, Py_None, &pending);
        if (rc < 0) {
            PyMem_RawFree(x);
            goto done;
        }
        diag = job.diag;
        if (rc == SP_OK && pending.type == NULL) {
            PyObject *xs = PyList_New((Py_ssize_t)cells);
            for (size_t c = 0; xs != NULL && c < cells; c++) {
                PyObject *v = PyFloat_FromDouble(x[c]);
                if (v == NULL)
                    Py_CLEAR(xs);
                else
                    PyList_SET_ITEM(xs, (Py_ssize_t)c, v);
            }
            if (xs != NULL)
                result = Py_BuildValue("(dN)", job.lp_bound, xs);
        }
        PyMem_RawFree(x);
    } else if (rc == SP_OK && !write) {
        solve_job job = {.s = s, .lim = lim};
        rc = solve_watched(&job, progress, &pending);
        if (rc < 0)
            goto done;
        r = job.r;
        diag = job.diag;
    }
    if (rc != SP_OK) {
        if (tours_o != Py_None && (strcmp(diag.field, "work_days") == 0 ||
                                   strcmp(diag.field, "days") == 0)) {
            char field[64], msg[320];
            snprintf(field, sizeof field, "%s%s",
                     strcmp(diag.field, "days") == 0 ? "" : "tours.", diag.field);
            snprintf(msg, sizeof msg, "%s: %s", field, diag.message);
            raise_input(st, field, -1, msg);
        } else if (cost_mode && (strcmp(diag.field, "volume") == 0 ||
                          strcmp(diag.field, "aht") == 0)) {
            char field[64], msg[320];
            snprintf(field, sizeof field, "demand.forecast.%s", diag.field);
            snprintf(msg, sizeof msg, "%s: %s", field, diag.message);
            raise_input(st, field, diag.index, msg);
        } else if (cost_mode && (strcmp(diag.field, "per_waiting_hour") == 0 ||
                                 strcmp(diag.field, "per_late_call") == 0 ||
                                 strcmp(diag.field, "late_after") == 0)) {
            char field[64], msg[320];
            snprintf(field, sizeof field, "objective.wait_cost.%s", diag.field);
            snprintf(msg, sizeof msg, "%s: %s", field, diag.message);
            raise_input(st, field, -1, msg);
        } else if (rc == SP_EINVAL && diag.index >= 0 &&
            strcmp(diag.field, "required") != 0) {
            /* Shift fields come back as "breaks[0].latest" with the shift
             * index; name the full key path. */
            char field[64], msg[320];
            snprintf(field, sizeof field, "shifts[%lld].%s", diag.index, diag.field);
            snprintf(msg, sizeof msg, "%s: %s", field, diag.message);
            raise_input(st, field, diag.index, msg);
        } else if (write && rc == SP_EINVAL && strcmp(diag.field, "path") == 0) {
            PyErr_Format(PyExc_OSError, "%s", diag.message);
        } else {
            raise_diag(st, rc, &diag);
        }
        goto done;
    }
    if (pending.type != NULL) {
        /* The progress callback (or a signal handler) raised: the solve
         * was cancelled for it, and the caller gets that exception. */
        PyErr_Restore(pending.type, pending.value, pending.traceback);
        pending.type = pending.value = pending.traceback = NULL;
        goto done;
    }
    if (write) {
        Py_INCREF(Py_None);
        result = Py_None;
    } else if (!lp) {
        result = sched_result(r, nbreaks);
    }
done:
    PyMem_RawFree(lp_rows);
    PyMem_RawFree(lp_ints);
    PyMem_RawFree(lp_coefs);
    Py_XDECREF(pending.type);
    Py_XDECREF(pending.value);
    Py_XDECREF(pending.traceback);
    sp_schedule_result_free(r);
    sp_schedule_free(s);
    PyMem_RawFree(sh);
    PyMem_RawFree(bw);
    PyMem_RawFree(nbreaks);
    PyMem_RawFree(hasdc);
    PyMem_RawFree(dc);
    Py_XDECREF(shifts);
    Py_XDECREF(path_bytes);
    dvec_free(&req);
    dvec_free(&vol);
    dvec_free(&aht);
    return result;
}

static PyObject *core_schedule_solve(PyObject *module, PyObject *args, PyObject *kw)
{
    return sched_run(module, args, kw, 0);
}

static PyObject *core_schedule_write_lp(PyObject *module, PyObject *args, PyObject *kw)
{
    return sched_run(module, args, kw, 1);
}

static PyObject *core_schedule_lp_bound(PyObject *module, PyObject *args, PyObject *kw)
{
    return sched_run(module, args, kw, 2);
}

/*
 * _glpk_fault(): a private test hook.  Provokes a GLPK internal error
 * inside the guard (sp__glpk_fault: bounds on a column that does not
 * exist), with the GIL released like a solve, and raises the
 * staffplan.SolverError any GLPK error of a solve raises.  No public
 * input reaches a GLPK error (inputs are validated first), so this is
 * how tests prove that one is contained.
 */
static PyObject *core_glpk_fault(PyObject *module, PyObject *Py_UNUSED(ignored))
{
    sp_diag diag = {0};
    int rc;
    Py_BEGIN_ALLOW_THREADS
    rc = sp__glpk_fault(&diag);
    Py_END_ALLOW_THREADS
    raise_diag(get_state(module), rc, &diag);
    return NULL;
}

/* ---------------------------------------------------------------------
 * roster (named agents; staffplan/roster.py drives it)
 *
 * roster_solve(days, interval_minutes, cyclic, first_weekday, shifts,
 *              successions, required, under_cost, over_cost, cover, agents,
 *              groups, time_limit, progress=None) -> dict
 * shifts as for schedule_solve (daily); successions (previous, shift)
 * pairs; required None or one value per interval; cover a list of
 * (day, shift, required, under_cost, over_cost); agents a list of
 * (cost_per_hour or None, eligible bytes (days * shifts codes) or None,
 *  min_minutes, max_minutes, min_week_minutes, max_week_minutes,
 *  max_shifts (one int per shift) or None, min_work_days, max_work_days,
 *  min_days_off, max_weekends, min_rest, requests) with requests a list of
 * (day, shift, work, weight) and -1 for "no limit"; groups a list of
 * (shift, start, count, break offsets).
 * ------------------------------------------------------------------- */

static int roster_job(solve_job *job)
{
    return sp_roster_solve(job->roster, job->group_count, job->groups, &job->lim, &job->rr,
                           &job->diag);
}

static int ll_item(PyObject *seq, Py_ssize_t k, const char *what, Py_ssize_t i, long long *out)
{
    PyObject *o = PySequence_Fast_GET_ITEM(seq, k);
    if (PyBool_Check(o) || !PyLong_Check(o)) {
        PyErr_Format(PyExc_TypeError, "%s[%zd]: item %zd must be an int, not %.100s", what, i,
                     k, Py_TYPE(o)->tp_name);
        return -1;
    }
    int overflow = 0;
    *out = PyLong_AsLongLongAndOverflow(o, &overflow);
    if (overflow || (*out == -1 && PyErr_Occurred())) {
        PyErr_Clear();
        PyErr_Format(PyExc_ValueError, "%s[%zd]: item %zd is out of range", what, i, k);
        return -1;
    }
    return 0;
}

static int int_item(PyObject *seq, Py_ssize_t k, const char *what, Py_ssize_t i, int *out)
{
    long long v;
    if (ll_item(seq, k, what, i, &v) < 0)
        return -1;
    if (v > INT_MAX || v < INT_MIN) {
        PyErr_Format(PyExc_ValueError, "%s[%zd]: item %zd is out of range", what, i, k);
        return -1;
    }
    *out = (int)v;
    return 0;
}

static PyObject *fast_tuple(PyObject *o, Py_ssize_t n, const char *what, Py_ssize_t i)
{
    PyObject *seq = PySequence_Fast(o, "must be a sequence");
    if (seq == NULL)
        return NULL;
    if (PySequence_Fast_GET_SIZE(seq) != n) {
        Py_DECREF(seq);
        PyErr_Format(PyExc_TypeError, "%s[%zd] must have %zd items", what, i, n);
        return NULL;
    }
    return seq;
}

typedef struct roster_in {
    sp_roster_agent *agents;
    sp_roster_request **requests;
    int **max_shifts;
    unsigned char **eligible;
    Py_ssize_t nagents;
    sp_roster_cover *cover;
    sp_shift_group *groups;
} roster_in;

static void roster_in_free(roster_in *in)
{
    for (Py_ssize_t a = 0; a < in->nagents; a++) {
        if (in->requests)
            PyMem_RawFree(in->requests[a]);
        if (in->max_shifts)
            PyMem_RawFree(in->max_shifts[a]);
        if (in->eligible)
            PyMem_RawFree(in->eligible[a]);
    }
    PyMem_RawFree(in->agents);
    PyMem_RawFree(in->requests);
    PyMem_RawFree(in->max_shifts);
    PyMem_RawFree(in->eligible);
    PyMem_RawFree(in->cover);
    PyMem_RawFree(in->groups);
}

static int roster_agent(PyObject *item, Py_ssize_t i, Py_ssize_t S, Py_ssize_t DS,
                        roster_in *in)
{
    PyObject *t = fast_tuple(item, 13, "agents", i);
    if (t == NULL)
        return -1;
    sp_roster_agent *g = &in->agents[i];
    int rc = -1;
    PyObject *req = NULL;
    PyObject *o = PySequence_Fast_GET_ITEM(t, 0);
    g->cost_per_hour = NAN;
    if (o != Py_None && opt_double(o, "cost_per_hour", &g->cost_per_hour) < 0)
        goto done;
    o = PySequence_Fast_GET_ITEM(t, 1);
    if (o != Py_None) {
        if (!PyBytes_Check(o) || PyBytes_GET_SIZE(o) != DS) {
            PyErr_Format(PyExc_TypeError, "agents[%zd]: eligible must be bytes of %zd codes", i,
                         DS);
            goto done;
        }
        in->eligible[i] = PyMem_RawMalloc((size_t)(DS ? DS : 1));
        if (in->eligible[i] == NULL) {
            PyErr_NoMemory();
            goto done;
        }
        memcpy(in->eligible[i], PyBytes_AS_STRING(o), (size_t)DS);
        g->eligible = in->eligible[i];
    }
    if (ll_item(t, 2, "agents", i, &g->min_minutes) < 0 ||
        ll_item(t, 3, "agents", i, &g->max_minutes) < 0 ||
        ll_item(t, 4, "agents", i, &g->min_week_minutes) < 0 ||
        ll_item(t, 5, "agents", i, &g->max_week_minutes) < 0)
        goto done;
    o = PySequence_Fast_GET_ITEM(t, 6);
    if (o != Py_None) {
        PyObject *ms = PySequence_Fast(o, "max_shifts must be a sequence");
        if (ms == NULL)
            goto done;
        if (PySequence_Fast_GET_SIZE(ms) != S) {
            Py_DECREF(ms);
            PyErr_Format(PyExc_TypeError, "agents[%zd]: max_shifts needs one int per shift", i);
            goto done;
        }
        in->max_shifts[i] = PyMem_RawMalloc((size_t)(S ? S : 1) * sizeof(int));
        if (in->max_shifts[i] == NULL) {
            Py_DECREF(ms);
            PyErr_NoMemory();
            goto done;
        }
        for (Py_ssize_t k = 0; k < S; k++)
            if (int_item(ms, k, "max_shifts", i, &in->max_shifts[i][k]) < 0) {
                Py_DECREF(ms);
                goto done;
            }
        Py_DECREF(ms);
        g->max_shifts = in->max_shifts[i];
    }
    if (int_item(t, 7, "agents", i, &g->min_work_days) < 0 ||
        int_item(t, 8, "agents", i, &g->max_work_days) < 0 ||
        int_item(t, 9, "agents", i, &g->min_days_off) < 0 ||
        int_item(t, 10, "agents", i, &g->max_weekends) < 0 ||
        int_item(t, 11, "agents", i, &g->min_rest) < 0)
        goto done;
    req = PySequence_Fast(PySequence_Fast_GET_ITEM(t, 12), "requests must be a sequence");
    if (req == NULL)
        goto done;
    Py_ssize_t nr = PySequence_Fast_GET_SIZE(req);
    if (nr > SP_ROSTER_MAX_REQUESTS) {
        PyErr_Format(PyExc_ValueError, "at most %d requests per agent are supported",
                     SP_ROSTER_MAX_REQUESTS);
        goto done;
    }
    in->requests[i] = PyMem_RawCalloc((size_t)(nr ? nr : 1), sizeof(sp_roster_request));
    if (in->requests[i] == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    for (Py_ssize_t k = 0; k < nr; k++) {
        PyObject *q = fast_tuple(PySequence_Fast_GET_ITEM(req, k), 4, "requests", k);
        if (q == NULL)
            goto done;
        sp_roster_request *r = &in->requests[i][k];
        int bad = int_item(q, 0, "requests", k, &r->day) < 0 ||
                  int_item(q, 1, "requests", k, &r->shift) < 0 ||
                  int_item(q, 2, "requests", k, &r->work) < 0 ||
                  opt_double(PySequence_Fast_GET_ITEM(q, 3), "weight", &r->weight) < 0;
        Py_DECREF(q);
        if (bad)
            goto done;
    }
    g->request_count = (int)nr;
    g->requests = in->requests[i];
    rc = 0;
done:
    Py_XDECREF(req);
    Py_DECREF(t);
    return rc;
}

static PyObject *roster_result(const sp_roster_result *r, int S)
{
    static const char *status_names[] = {"optimal", "feasible", "no_solution"};
    static const char *stop_names[] = {"converged", "time_limit", "cancelled"};
    (void)S;
    size_t AD = (size_t)r->agents * (size_t)r->days;
    PyObject *shift = PyList_New((Py_ssize_t)AD);
    PyObject *offs = PyList_New((Py_ssize_t)(AD * SP_SCHEDULE_MAX_BREAKS));
    PyObject *cov = PyList_New((Py_ssize_t)r->intervals);
    PyObject *broken = PyList_New(r->agents);
    PyObject *un = PyList_New((Py_ssize_t)r->unassigned_count);
    PyObject *res = NULL;
    if (!shift || !offs || !cov || !broken || !un)
        goto done;
    for (size_t k = 0; k < AD; k++) {
        PyObject *v = PyLong_FromLong(r->shift[k]);
        if (v == NULL)
            goto done;
        PyList_SET_ITEM(shift, (Py_ssize_t)k, v);
    }
    for (size_t k = 0; k < AD * SP_SCHEDULE_MAX_BREAKS; k++) {
        PyObject *v = PyLong_FromLong(r->break_offset[k]);
        if (v == NULL)
            goto done;
        PyList_SET_ITEM(offs, (Py_ssize_t)k, v);
    }
    for (size_t t = 0; t < r->intervals; t++) {
        PyObject *v = PyLong_FromLongLong(r->coverage[t]);
        if (v == NULL)
            goto done;
        PyList_SET_ITEM(cov, (Py_ssize_t)t, v);
    }
    for (int a = 0; a < r->agents; a++) {
        PyObject *v = PyLong_FromUnsignedLong(r->broken[a]);
        if (v == NULL)
            goto done;
        PyList_SET_ITEM(broken, a, v);
    }
    for (size_t k = 0; k < r->unassigned_count; k++) {
        const sp_roster_unassigned *u = &r->unassigned[k];
        PyObject *v = Py_BuildValue("(iiLy#)", u->shift, u->day, u->count,
                                    (const char *)u->blocked, (Py_ssize_t)r->agents);
        if (v == NULL)
            goto done;
        PyList_SET_ITEM(un, (Py_ssize_t)k, v);
    }
    res = Py_BuildValue("{s:s,s:s,s:d,s:d,s:d,s:d,s:d,s:d,s:d,s:O,s:O,s:O,s:O,s:O}",
                        "status", status_names[r->status], "stop", stop_names[r->stop],
                        "objective", r->objective, "labor_cost", r->labor_cost,
                        "request_penalty", r->request_penalty, "cover_penalty",
                        r->cover_penalty, "under_staffing", r->under_staffing,
                        "over_staffing", r->over_staffing, "seconds", r->seconds, "shift",
                        shift, "break_offset", offs, "coverage", cov, "broken", broken,
                        "unassigned", un);
done:
    Py_XDECREF(shift);
    Py_XDECREF(offs);
    Py_XDECREF(cov);
    Py_XDECREF(broken);
    Py_XDECREF(un);
    return res;
}

static void raise_roster(module_state *st, int rc, const sp_diag *diag, const char *prefix)
{
    if (rc == SP_EINVAL && diag->index >= 0) {
        char field[96], msg[360];
        snprintf(field, sizeof field, "%s[%lld].%s", prefix, diag->index, diag->field);
        snprintf(msg, sizeof msg, "%s: %s", field, diag->message);
        raise_input(st, field, diag->index, msg);
    } else {
        raise_diag(st, rc, diag);
    }
}

static PyObject *core_roster_rule_names(PyObject *m, PyObject *Py_UNUSED(x))
{
    (void)m;
    PyObject *t = PyTuple_New(SP_RULE_COUNT);
    if (t == NULL)
        return NULL;
    for (int r = 0; r < SP_RULE_COUNT; r++) {
        PyObject *v = PyUnicode_FromString(sp_roster_rule_name(r));
        if (v == NULL) {
            Py_DECREF(t);
            return NULL;
        }
        PyTuple_SET_ITEM(t, r, v);
    }
    return t;
}

static PyObject *core_roster_solve(PyObject *module, PyObject *args, PyObject *kw)
{
    static char *kwlist[] = {"days", "interval_minutes", "cyclic", "first_weekday",
                             "shifts", "successions", "required", "under_staffing_cost",
                             "over_staffing_cost", "cover", "agents", "groups",
                             "time_limit", "progress", "threads", NULL};
    module_state *st = get_state(module);
    int days, minutes, cyclic, wd0, threads = 0;
    double under, over, time_limit;
    PyObject *shifts_o, *succ_o, *req_o, *cover_o, *agents_o, *groups_o, *progress = Py_None;
    if (!PyArg_ParseTupleAndKeywords(args, kw, "iipiOOOddOOOd|Oi:roster_solve", kwlist,
                                     &days, &minutes, &cyclic, &wd0, &shifts_o, &succ_o,
                                     &req_o, &under, &over, &cover_o, &agents_o, &groups_o,
                                     &time_limit, &progress, &threads))
        return NULL;
    if (progress != Py_None && !PyCallable_Check(progress)) {
        PyErr_Format(PyExc_TypeError, "progress must be callable or None, not %.100s",
                     Py_TYPE(progress)->tp_name);
        return NULL;
    }
    PyObject *shifts = NULL, *succ = NULL, *cover = NULL, *agents = NULL, *groups = NULL;
    PyObject *result = NULL;
    dvec req = {0};
    sp_shift *sh = NULL;
    sp_break_window *bw = NULL;
    double *dc = NULL;
    int *hasdc = NULL;
    roster_in in = {0};
    sp_roster *ro = NULL;
    sp_diag diag = {0};
    pending_error pending = {NULL, NULL, NULL};
    sp_roster_result *rr = NULL;
    int rc;
    if (PySequence_Check(agents_o) && !PyUnicode_Check(agents_o)) {
        Py_ssize_t claimed = PySequence_Size(agents_o);
        if (claimed < 0)
            goto done;
        if (claimed > SP_ROSTER_MAX_AGENTS) {
            char msg[160];
            snprintf(msg, sizeof msg, "%zd agents are too many; at most %d are supported",
                     claimed, SP_ROSTER_MAX_AGENTS);
            raise_input(st, "agents", -1, msg);
            goto done;
        }
    }
    if ((shifts = PySequence_Fast(shifts_o, "shifts must be a sequence")) == NULL ||
        (succ = PySequence_Fast(succ_o, "successions must be a sequence")) == NULL ||
        (cover = PySequence_Fast(cover_o, "cover must be a sequence")) == NULL ||
        (agents = PySequence_Fast(agents_o, "agents must be a sequence")) == NULL ||
        (groups = PySequence_Fast(groups_o, "groups must be a sequence")) == NULL)
        goto done;
    Py_ssize_t S = PySequence_Fast_GET_SIZE(shifts), A = PySequence_Fast_GET_SIZE(agents);
    Py_ssize_t NC = PySequence_Fast_GET_SIZE(cover), NG = PySequence_Fast_GET_SIZE(groups);
    Py_ssize_t NS = PySequence_Fast_GET_SIZE(succ);
    if (days <= 0 || days > 100000 || S > 100000 || A > SP_ROSTER_MAX_AGENTS) {
        raise_input(st, "days", -1, "days, shifts or agents out of range");
        goto done;
    }
    if ((long long)A * days * S > SP_ROSTER_MAX_CELLS) {
        raise_input(st, "agents", -1, "agents x days x shifts is above the supported cells");
        goto done;
    }
    Py_ssize_t DS = (Py_ssize_t)days * S;
    if (req_o != Py_None) {
        if (to_dvec(req_o, "required", &req) < 0)
            goto done;
        if (req.scalar || minutes <= 0 || 1440 % minutes ||
            req.n != (Py_ssize_t)days * (1440 / minutes)) {
            raise_input(st, "demand.required", -1,
                        "demand.required must hold one value per interval");
            goto done;
        }
    }
    sh = PyMem_RawCalloc((size_t)(S ? S : 1), sizeof *sh);
    bw = PyMem_RawCalloc((size_t)(S ? S : 1) * SP_SCHEDULE_MAX_BREAKS, sizeof *bw);
    dc = PyMem_RawCalloc((size_t)(S ? S : 1) * 7, sizeof *dc);
    hasdc = PyMem_RawCalloc((size_t)(S ? S : 1), sizeof *hasdc);
    in.nagents = A;
    in.agents = PyMem_RawCalloc((size_t)(A ? A : 1), sizeof *in.agents);
    in.requests = PyMem_RawCalloc((size_t)(A ? A : 1), sizeof *in.requests);
    in.max_shifts = PyMem_RawCalloc((size_t)(A ? A : 1), sizeof *in.max_shifts);
    in.eligible = PyMem_RawCalloc((size_t)(A ? A : 1), sizeof *in.eligible);
    in.cover = PyMem_RawCalloc((size_t)(NC ? NC : 1), sizeof *in.cover);
    in.groups = PyMem_RawCalloc((size_t)(NG ? NG : 1), sizeof *in.groups);
    if (!sh || !bw || !dc || !hasdc || !in.agents || !in.requests || !in.max_shifts || !in.eligible ||
        !in.cover || !in.groups) {
        PyErr_NoMemory();
        goto done;
    }
    for (Py_ssize_t i = 0; i < S; i++)
        if (sched_shift(PySequence_Fast_GET_ITEM(shifts, i), i, &sh[i],
                        &bw[(size_t)i * SP_SCHEDULE_MAX_BREAKS], &dc[(size_t)i * 7],
                        &hasdc[i]) < 0)
            goto done;
    for (Py_ssize_t i = 0; i < A; i++)
        if (roster_agent(PySequence_Fast_GET_ITEM(agents, i), i, S, DS, &in) < 0)
            goto done;
    for (Py_ssize_t i = 0; i < NC; i++) {
        PyObject *t = fast_tuple(PySequence_Fast_GET_ITEM(cover, i), 5, "cover", i);
        if (t == NULL)
            goto done;
        sp_roster_cover *c = &in.cover[i];
        int bad = int_item(t, 0, "cover", i, &c->day) < 0 ||
                  int_item(t, 1, "cover", i, &c->shift) < 0 ||
                  ll_item(t, 2, "cover", i, &c->required) < 0 ||
                  opt_double(PySequence_Fast_GET_ITEM(t, 3), "under_cost", &c->under_cost) < 0 ||
                  opt_double(PySequence_Fast_GET_ITEM(t, 4), "over_cost", &c->over_cost) < 0;
        Py_DECREF(t);
        if (bad)
            goto done;
    }
    for (Py_ssize_t i = 0; i < NG; i++) {
        PyObject *t = fast_tuple(PySequence_Fast_GET_ITEM(groups, i), 4, "groups", i);
        if (t == NULL)
            goto done;
        sp_shift_group *g = &in.groups[i];
        int bad = int_item(t, 0, "groups", i, &g->shift) < 0 ||
                  ll_item(t, 1, "groups", i, &g->start) < 0 ||
                  ll_item(t, 2, "groups", i, &g->count) < 0;
        PyObject *os = bad ? NULL
                           : PySequence_Fast(PySequence_Fast_GET_ITEM(t, 3),
                                             "break offsets must be a sequence");
        Py_DECREF(t);
        if (os == NULL)
            goto done;
        Py_ssize_t no = PySequence_Fast_GET_SIZE(os);
        for (Py_ssize_t k = 0; k < no && k < SP_SCHEDULE_MAX_BREAKS && !bad; k++)
            bad = int_item(os, k, "break offsets", i, &g->break_offset[k]) < 0;
        Py_DECREF(os);
        if (bad)
            goto done;
    }
    int succ_pairs[2] = {0, 0};
    Py_BEGIN_ALLOW_THREADS
    rc = sp_roster_create(days, minutes, cyclic, wd0, &ro, &diag);
    for (Py_ssize_t i = 0; rc == SP_OK && i < S; i++) {
        rc = sp_roster_add_shift(ro, &sh[i], &diag);
        if (rc == SP_OK && hasdc[i])
            rc = sp_roster_set_shift_day_costs(ro, (int)i, &dc[(size_t)i * 7], &diag);
    }
    Py_END_ALLOW_THREADS
    if (rc != SP_OK) {
        raise_roster(st, rc, &diag, "shifts");
        goto done;
    }
    for (Py_ssize_t i = 0; i < NS; i++) {
        PyObject *t = fast_tuple(PySequence_Fast_GET_ITEM(succ, i), 2, "successions", i);
        if (t == NULL)
            goto done;
        int bad = int_item(t, 0, "successions", i, &succ_pairs[0]) < 0 ||
                  int_item(t, 1, "successions", i, &succ_pairs[1]) < 0;
        Py_DECREF(t);
        if (bad)
            goto done;
        if ((rc = sp_roster_forbid_succession(ro, succ_pairs[0], succ_pairs[1], &diag)) != 0) {
            raise_diag(st, rc, &diag);
            goto done;
        }
    }
    Py_BEGIN_ALLOW_THREADS
    rc = SP_OK;
    if (req.v != NULL)
        rc = sp_roster_set_required(ro, req.v, under, over, &diag);
    Py_END_ALLOW_THREADS
    if (rc != SP_OK) {
        raise_diag(st, rc, &diag);
        goto done;
    }
    if (NC > 0 && (rc = sp_roster_set_cover(ro, (size_t)NC, in.cover, &diag)) != SP_OK) {
        raise_roster(st, rc, &diag, "demand.cover");
        goto done;
    }
    Py_BEGIN_ALLOW_THREADS
    for (Py_ssize_t i = 0; rc == SP_OK && i < A; i++)
        rc = sp_roster_add_agent(ro, &in.agents[i], &diag);
    Py_END_ALLOW_THREADS
    if (rc != SP_OK) {
        raise_roster(st, rc, &diag, "agents");
        goto done;
    }
    solve_job job = {.run = roster_job, .roster = ro, .group_count = (size_t)NG,
                     .groups = in.groups};
    sp_solve_limits_init(&job.lim);
    job.lim.time_limit = time_limit;
    job.lim.threads = threads;
    rc = solve_watched(&job, progress, &pending);
    if (rc < 0 && job.rr == NULL && PyErr_Occurred())
        goto done;
    rr = job.rr;
    if (rc != SP_OK) {
        raise_roster(st, rc, &job.diag, "groups");
        goto done;
    }
    if (pending.type != NULL) {
        PyErr_Restore(pending.type, pending.value, pending.traceback);
        pending.type = pending.value = pending.traceback = NULL;
        goto done;
    }
    result = roster_result(rr, (int)S);
done:
    Py_XDECREF(pending.type);
    Py_XDECREF(pending.value);
    Py_XDECREF(pending.traceback);
    sp_roster_result_free(rr);
    sp_roster_free(ro);
    roster_in_free(&in);
    PyMem_RawFree(sh);
    PyMem_RawFree(bw);
    PyMem_RawFree(dc);
    PyMem_RawFree(hasdc);
    dvec_free(&req);
    Py_XDECREF(shifts);
    Py_XDECREF(succ);
    Py_XDECREF(cover);
    Py_XDECREF(agents);
    Py_XDECREF(groups);
    return result;
}

/* ---------------------------------------------------------------------
 * Module
 * ------------------------------------------------------------------- */

static PyMethodDef core_methods[] = {
    {"erlang_b", core_erlang_b, METH_VARARGS, "erlang_b(agents, traffic)"},
    {"erlang_c", core_erlang_c, METH_VARARGS, "erlang_c(agents, traffic)"},
    {"service_level", core_service_level, METH_VARARGS,
     "service_level(agents, traffic, aht, answer_time)"},
    {"asa", core_asa, METH_VARARGS, "asa(agents, traffic, aht)"},
    {"occupancy", core_occupancy, METH_VARARGS, "occupancy(agents, traffic)"},
    {"erlang_a", core_erlang_a, METH_VARARGS,
     "erlang_a(agents, traffic, aht, patience, answer_time) -> 5-tuple"},
    {"requirements", (PyCFunction)(void (*)(void))core_requirements,
     METH_VARARGS | METH_KEYWORDS, "requirements(...) -> 8-tuple of arrays"},
    {"heads", core_heads, METH_VARARGS, "heads(agents, shrinkage) -> int"},
    {"schedule_solve", (PyCFunction)(void (*)(void))core_schedule_solve,
     METH_VARARGS | METH_KEYWORDS,
     "schedule_solve(intervals, interval_minutes, cyclic, required, shifts,\n"
     "               under_staffing_cost, over_staffing_cost, time_limit,\n"
     "               mip_gap, threads=0) -> dict (see staffplan.problem)"},
    {"schedule_lp_bound", (PyCFunction)(void (*)(void))core_schedule_lp_bound,
     METH_VARARGS | METH_KEYWORDS,
     "schedule_lp_bound(intervals, interval_minutes, cyclic, required, shifts,\n"
     "                  under_staffing_cost, over_staffing_cost, time_limit, rows)\n"
     "-> (bound, x): the LP relaxation with side rows (lo, hi, shifts, days,\n"
     "coefs) on the people per shift start; bound nan when not solved in time;\n"
     "x the LP's people per shift start, shift-major (shifts x days)"},
    {"schedule_write_lp", (PyCFunction)(void (*)(void))core_schedule_write_lp,
     METH_VARARGS | METH_KEYWORDS,
     "schedule_write_lp(intervals, interval_minutes, cyclic, required, shifts,\n"
     "                  under_staffing_cost, over_staffing_cost, path) -> None\n"
     "writes the model in CPLEX LP format"},
    {"_glpk_fault", core_glpk_fault, METH_NOARGS,
     "_glpk_fault() -> raises SolverError\n"
     "Test hook: provokes a GLPK internal error inside the guard."},
    {"roster_solve", (PyCFunction)(void (*)(void))core_roster_solve,
     METH_VARARGS | METH_KEYWORDS,
     "roster_solve(days, interval_minutes, cyclic, first_weekday, shifts, successions,\n"
     "             required, under_staffing_cost, over_staffing_cost, cover, agents,\n"
     "             groups, time_limit, progress=None, threads=0) -> dict\n"
     "(see staffplan.roster)"},
    {"roster_rule_names", core_roster_rule_names, METH_NOARGS,
     "roster_rule_names() -> tuple of the rule names by code"},
    {NULL, NULL, 0, NULL},
};

static int core_exec(PyObject *module)
{
    module_state *st = get_state(module);
    st->array_type = (PyTypeObject *)PyType_FromModuleAndSpec(module, &array_spec, NULL);
    if (st->array_type == NULL || PyModule_AddType(module, st->array_type) < 0)
        return -1;
    st->error = PyErr_NewExceptionWithDoc(
        "staffplan.Error", "Base class of staffplan's own errors.", NULL, NULL);
    if (st->error == NULL || PyModule_AddObjectRef(module, "Error", st->error) < 0)
        return -1;
    PyObject *bases = PyTuple_Pack(2, st->error, PyExc_ValueError);
    if (bases == NULL)
        return -1;
    st->input_error = PyErr_NewExceptionWithDoc(
        "staffplan.InputError",
        "Bad input: a ValueError whose .field names the argument or key and\n"
        ".index the first bad element (None when not tied to one).",
        bases, NULL);
    Py_DECREF(bases);
    if (st->input_error == NULL ||
        PyModule_AddObjectRef(module, "InputError", st->input_error) < 0)
        return -1;
    st->solver_error = PyErr_NewExceptionWithDoc(
        "staffplan.SolverError",
        "GLPK reported an internal error during a solve.  The message\n"
        "carries GLPK's own text; the process and later solves are unaffected.",
        st->error, NULL);
    if (st->solver_error == NULL ||
        PyModule_AddObjectRef(module, "SolverError", st->solver_error) < 0)
        return -1;
    if (PyModule_AddStringConstant(module, "core_version", sp_version()) < 0 ||
        PyModule_AddIntConstant(module, "SCHEDULE_MAX_MODEL", (long)SP_SCHEDULE_MAX_MODEL) < 0 ||
        PyModule_AddIntConstant(module, "ROSTER_MAX_AGENTS", SP_ROSTER_MAX_AGENTS) < 0 ||
        PyModule_AddIntConstant(module, "ROSTER_MAX_CELLS", (long)SP_ROSTER_MAX_CELLS) < 0 ||
        PyModule_AddIntConstant(module, "ROSTER_MAX_REQUESTS", SP_ROSTER_MAX_REQUESTS) < 0 ||
        PyModule_AddIntConstant(module, "ROSTER_MAX_COST", (long)SP_ROSTER_MAX_COST) < 0 ||
        PyModule_AddIntConstant(module, "SCHEDULE_MAX_INTERVALS",
                                (long)SP_SCHEDULE_MAX_INTERVALS) < 0 ||
        PyModule_AddIntConstant(module, "SCHEDULE_MAX_SHIFTS", SP_SCHEDULE_MAX_SHIFTS) < 0 ||
        PyModule_AddIntConstant(module, "SCHEDULE_MAX_BREAKS", SP_SCHEDULE_MAX_BREAKS) < 0)
        return -1;
    return 0;
}

static int core_traverse(PyObject *module, visitproc visit, void *arg)
{
    module_state *st = get_state(module);
    Py_VISIT(st->array_type);
    Py_VISIT(st->error);
    Py_VISIT(st->input_error);
    Py_VISIT(st->solver_error);
    return 0;
}

static int core_clear(PyObject *module)
{
    module_state *st = get_state(module);
    Py_CLEAR(st->array_type);
    Py_CLEAR(st->error);
    Py_CLEAR(st->input_error);
    Py_CLEAR(st->solver_error);
    return 0;
}

static void core_free(void *module) { core_clear((PyObject *)module); }

static PyModuleDef_Slot core_slots[] = {
    {Py_mod_exec, core_exec},
    {0, NULL},
};

static struct PyModuleDef core_module = {
    PyModuleDef_HEAD_INIT,
    .m_name = "staffplan._core",
    .m_doc = "The C core of staffplan (use the staffplan package, not this).",
    .m_size = sizeof(module_state),
    .m_methods = core_methods,
    .m_slots = core_slots,
    .m_traverse = core_traverse,
    .m_clear = core_clear,
    .m_free = core_free,
};

PyMODINIT_FUNC PyInit__core(void) { return PyModuleDef_Init(&core_module); }
